"""The sample archive, built once: sections, translations, dates and term pages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitebuild import PROJECT, build_site
from sitepages import card_links, page, site_url

KK_COUNCIL = "kk/2024/01/balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti/"
RU_COUNCIL = "ru/2024/01/rasshirennoe-zasedanie-soveta-po-razvitiiu-detskogo-i-molodezhnogo-dvizheniia/"
EN_COUNCIL = "en/2024/01/regional-council-on-the-childrens-and-youth-movement-meets/"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_site(PROJECT / "content", tmp_path_factory.mktemp("sample") / "output")


def plain(text: str) -> str:
    """CLDR separates '2024 г.' with a narrow no-break space; compare as plain spaces."""
    return re.sub(r"[\s\u202f\xa0]+", " ", text).strip()


def sample_articles_by_lang():
    counts = {}
    for path in (PROJECT / "content" / "articles").rglob("*.md"):
        lang = path.name.rsplit(".", 2)[-2]
        counts[lang] = counts.get(lang, 0) + 1
    return counts


@pytest.mark.parametrize("lang", ["kk", "ky", "ru", "en"])
def test_front_page_lists_every_article_of_its_language_and_no_other(sample, lang):
    links = card_links(sample, f"{lang}/")
    assert links, f"/{lang}/ lists no article"
    assert all(link.startswith(f"{lang}/") for link in links), links
    assert len(links) == sample_articles_by_lang()[lang]
    assert page(sample, f"{lang}/").get("lang") == lang


def test_chooser_links_to_every_language_section(sample):
    chooser = page(sample, "")
    targets = {site_url("", a.get("href")) for a in chooser.cssselect(".chooser > li > a")}
    assert targets == {"kk/", "ky/", "ru/", "en/"}
    names = {li.get("lang"): li.text_content() for li in chooser.cssselect(".chooser > li")}
    assert "Қазақша" in names["kk"] and "Кыргызча" in names["ky"]


def test_kazakh_article_switcher_links_to_its_russian_translation(sample):
    doc = page(sample, KK_COUNCIL)
    switcher = {a.get("lang"): site_url(KK_COUNCIL, a.get("href")) for a in doc.cssselect(".switcher a")}
    assert switcher["ru"] == RU_COUNCIL
    assert switcher["en"] == EN_COUNCIL
    # Kyrgyz has no version of this report: the switcher offers the Kyrgyz front page.
    assert switcher["ky"] == "ky/"
    current = doc.cssselect(".switcher [aria-current]")
    assert [c.get("lang") for c in current] == ["kk"]


def test_kazakh_article_hreflang_set_is_complete(sample):
    doc = page(sample, KK_COUNCIL)
    alternates = {link.get("hreflang"): site_url(KK_COUNCIL, link.get("href"))
                  for link in doc.xpath("//head/link[@rel='alternate'][@hreflang]")}
    assert alternates == {"kk": KK_COUNCIL, "ru": RU_COUNCIL, "en": EN_COUNCIL, "x-default": ""}
    assert doc.get("lang") == "kk"


def test_kazakh_page_shows_kazakh_month_name(sample):
    text = plain(page(sample, KK_COUNCIL).cssselect(".article-header time")[0].text_content())
    assert text == "2024 ж. 29 қаңтар"


def test_russian_page_shows_genitive_month(sample):
    text = plain(page(sample, RU_COUNCIL).cssselect(".article-header time")[0].text_content())
    assert text == "29 января 2024 г."


def test_interface_text_is_in_the_page_language(sample):
    kk_nav = [a.text_content() for a in page(sample, "kk/").cssselect(".site-nav a")]
    ru_nav = [a.text_content() for a in page(sample, "ru/").cssselect(".site-nav a")]
    assert "Мұрағат" in kk_nav and "Тегтер" in kk_nav
    assert "Архив" in ru_nav and "Теги" in ru_nav
    assert page(sample, "ky/").cssselect(".skip-link")[0].text_content() == "Мазмунга өтүү"


def test_tag_page_lists_exactly_the_articles_with_that_tag(sample):
    links = card_links(sample, "kk/tags/rukhani-zhangyru/")
    assert sorted(links) == sorted([
        "kk/2019/05/zhasa-uiren-bolis-ozger-meetup-zhobasy-iske-qosyldy/",
        "kk/2020/04/rukhani-zhangyrudy-zhuzege-asyru-zhaiy-onlain-keneste-talqylandy/",
    ])
    assert page(sample, "kk/tags/rukhani-zhangyru/").cssselect("h1")[0].text_content() == "Рухани жаңғыру"


def test_region_page_lists_the_articles_of_that_region_in_its_language(sample):
    kk_abai = card_links(sample, "kk/regions/abai-oblysy/")
    assert sorted(kk_abai) == sorted([KK_COUNCIL, "kk/2023/07/tazhiribe-almasty/"])
    ru_abai = card_links(sample, "ru/regions/abaiskaia-oblast/")
    assert ru_abai == [RU_COUNCIL]
    ky_issyk_kul = card_links(sample, "ky/regions/ysyk-kol-oblusu/")
    assert ky_issyk_kul == ["ky/2020/01/trenerler-uchun-trening/"]


def test_category_page_is_labelled_in_the_page_language(sample):
    doc = page(sample, "ru/categories/event-report/")
    assert doc.cssselect("h1")[0].text_content() == "Отчёты о мероприятиях"
    assert len(card_links(sample, "ru/categories/event-report/")) == 2


def test_year_and_month_archives_list_their_period(sample):
    assert card_links(sample, "kk/archive/2024/01/") == [KK_COUNCIL]
    assert sorted(card_links(sample, "kk/archive/2024/")) == [KK_COUNCIL]
    month_heading = page(sample, "kk/archive/2024/01/").cssselect("h1")[0].text_content()
    assert month_heading.lower() == "қаңтар 2024"
    assert not (sample / "kk" / "archive" / "2021").exists()


def test_article_urls_follow_the_scheme(sample):
    for lang, count in sample_articles_by_lang().items():
        written = [p for p in (sample / lang).glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")]
        assert len(written) == count
        for path in written:
            assert re.fullmatch(r"[a-z0-9-]+", path.parent.name)


def test_pelican_global_listings_are_not_written(sample):
    for leftover in ("tags.html", "categories.html", "archives.html", "authors.html", "tag", "category", "author"):
        assert not (sample / leftover).exists(), leftover
