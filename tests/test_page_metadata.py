"""What search engines and social networks read in each page's <head>."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from contentfactory import write_article
from newsarchive.languages import LANGUAGES
from sitebuild import PROJECT, build_site
from sitepages import page, site_url

SITEURL = "https://example.org/archive"
KK_COUNCIL = "kk/2024/01/balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti/"
RU_COUNCIL = "ru/2024/01/rasshirennoe-zasedanie-soveta-po-razvitiiu-detskogo-i-molodezhnogo-dvizheniia/"
EN_COUNCIL = "en/2024/01/regional-council-on-the-childrens-and-youth-movement-meets/"
HOSTILE_TITLE = 'Теst </script><script>alert("x")</script> & <!-- кейін'
HOSTILE = "en/2024/03/hostile-title/"
NO_SUMMARY = "kk/2024/03/tuiindemesiz-khabar/"
BODY_PICTURE = "kk/2024/03/sureti-bar-khabar/"
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("metadata") / "content"
    shutil.copytree(PROJECT / "content", folder)
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "hall.png").write_bytes(PIXEL)
    write_article(folder, HOSTILE_TITLE, lang="en", date="2024-03-05 10:00", slug="hostile-title",
                  summary="A summary quoting `</script><!--` inside.", image="{static}/images/hall.png",
                  author="Dana Example")
    write_article(folder, "Түйіндемесіз хабар", lang="kk", date="2024-03-06 10:00",
                  body="<!-- редактор үшін -->\n\nБірінші абзац осы.\n\nЕкінші абзац.")
    write_article(folder, "Суреті бар хабар", lang="kk", date="2024-03-07 10:00", slug="sureti-bar-khabar",
                  summary="Қысқаша мазмұны.", body="Мәтін.\n\n![Зал]({static}/images/hall.png)\n\nТағы бір абзац.")
    return folder


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    return build_site(content, tmp_path_factory.mktemp("published") / "output", conf="publishconf.py",
                      SITEURL=SITEURL)


@pytest.fixture(scope="module")
def dev_site(content, tmp_path_factory) -> Path:
    return build_site(content, tmp_path_factory.mktemp("dev") / "output")


def meta(doc, prop: str) -> list[str]:
    return doc.xpath(f"//head/meta[@property='{prop}']/@content")


def json_ld_blocks(doc) -> list[dict]:
    return [json.loads(script.text) for script in doc.xpath("//script[@type='application/ld+json']")]


def of_type(blocks, kind):
    found = [block for block in blocks if block.get("@type") == kind]
    assert len(found) == 1, f"{len(found)} {kind} blocks"
    return found[0]


def html_pages(output: Path):
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        yield relative.removesuffix("index.html"), lxml.html.fromstring(path.read_bytes())


def iso(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


# ---- JSON-LD --------------------------------------------------------------------------------

def test_article_json_ld_is_a_news_article_with_iso_dates(site):
    doc = page(site, KK_COUNCIL)
    article = of_type(json_ld_blocks(doc), "NewsArticle")
    assert article["@context"] == "https://schema.org"
    assert article["inLanguage"] == "kk"
    assert article["headline"] == doc.cssselect("h1.article-title")[0].text_content().strip()
    assert iso(article["datePublished"]) == iso(doc.cssselect(".article-header time")[0].get("datetime"))
    assert iso(article["dateModified"]) >= iso(article["datePublished"])
    assert article["url"] == article["mainEntityOfPage"]["@id"] == f"{SITEURL}/{KK_COUNCIL}"
    assert article["publisher"] == {"@type": "Organization", "name": "Steppe Reports", "url": f"{SITEURL}/"}
    assert article["author"]["name"] == "Steppe Reports"  # no Author: the publisher signs
    assert article["about"] == [{"@type": "AdministrativeArea", "name": "Абай облысы", "identifier": "KZ-10"}]
    assert article["articleSection"] == "Шара есептері"
    assert {t["url"] for t in article["workTranslation"]} == {f"{SITEURL}/{RU_COUNCIL}", f"{SITEURL}/{EN_COUNCIL}"}


def test_article_json_ld_names_its_author(site):
    article = of_type(json_ld_blocks(page(site, HOSTILE)), "NewsArticle")
    assert article["author"] == [{"@type": "Person", "name": "Dana Example"}]
    assert article["image"] == [f"{SITEURL}/images/hall.png"]


def test_article_breadcrumbs_lead_from_the_language_front_through_the_category(site):
    crumbs = of_type(json_ld_blocks(page(site, RU_COUNCIL)), "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert [c["item"] for c in crumbs] == [f"{SITEURL}/ru/", f"{SITEURL}/ru/categories/event-report/",
                                            f"{SITEURL}/{RU_COUNCIL}"]
    assert crumbs[1]["name"] == "Отчёты о мероприятиях"


def test_list_pages_have_breadcrumbs_in_their_language(site):
    crumbs = of_type(json_ld_blocks(page(site, "ky/tags/trening/")), "BreadcrumbList")["itemListElement"]
    assert [c["item"] for c in crumbs] == [f"{SITEURL}/ky/", f"{SITEURL}/ky/tags/", f"{SITEURL}/ky/tags/trening/"]
    assert crumbs[2]["name"] == "тренинг"
    month = of_type(json_ld_blocks(page(site, "kk/archive/2024/01/")), "BreadcrumbList")["itemListElement"]
    assert [c["item"] for c in month][-2:] == [f"{SITEURL}/kk/archive/2024/", f"{SITEURL}/kk/archive/2024/01/"]


def test_json_ld_survives_a_title_that_closes_the_script(site):
    doc = page(site, HOSTILE)
    scripts = doc.xpath("//script")
    assert len(scripts) == 2, "the title opened a script of its own"
    article = of_type(json_ld_blocks(doc), "NewsArticle")
    # Titles are plain text: the page shows them as written, and so does the JSON-LD.
    assert article["headline"] == HOSTILE_TITLE == doc.cssselect("h1.article-title")[0].text_content()
    assert article["description"] == "A summary quoting </script><!-- inside."
    raw = (site / HOSTILE / "index.html").read_text(encoding="utf-8")
    head_scripts = raw.split('<script type="application/ld+json">')[1:]
    assert all("</script" not in block.split("</script>", 1)[0] for block in head_scripts)


def test_every_json_ld_block_on_the_site_parses(site):
    count = 0
    for url, doc in html_pages(site):
        for block in json_ld_blocks(doc):
            assert block["@context"] == "https://schema.org", url
            count += 1
    assert count > 30


# ---- OpenGraph, canonical, description ------------------------------------------------------

def test_og_locale_matches_the_language_of_every_page(site):
    checked = 0
    for url, doc in html_pages(site):
        lang = doc.get("lang")
        assert meta(doc, "og:locale") == [LANGUAGES[lang].og_locale], url
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("url, locale, alternates", [
    (KK_COUNCIL, "kk_KZ", {"ru_RU", "en_US"}),
    (RU_COUNCIL, "ru_RU", {"kk_KZ", "en_US"}),
    ("ky/2020/01/trenerler-uchun-trening/", "ky_KG", {"ru_RU", "en_US"}),
    ("kk/2023/07/tazhiribe-almasty/", "kk_KZ", set()),
])
def test_article_opengraph_names_its_locale_and_its_translations(site, url, locale, alternates):
    doc = page(site, url)
    assert meta(doc, "og:locale") == [locale]
    assert set(meta(doc, "og:locale:alternate")) == alternates
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:url") == [f"{SITEURL}/{url}"]
    assert meta(doc, "og:title")[0] == doc.cssselect("h1.article-title")[0].text_content().strip()
    assert meta(doc, "og:description")[0]
    published = iso(meta(doc, "article:published_time")[0])
    assert published.isoformat() == doc.cssselect(".article-header time")[0].get("datetime")


def test_og_image_only_when_the_article_has_one(site):
    assert meta(page(site, HOSTILE), "og:image") == [f"{SITEURL}/images/hall.png"]
    assert (site / "images/hall.png").exists()
    assert meta(page(site, KK_COUNCIL), "og:image") == []


def test_without_image_metadata_the_first_picture_in_the_body_is_the_image(site):
    """A report with a summary and a picture in its text: the head finds the picture although its
    description needs no parse of the body."""
    doc = page(site, BODY_PICTURE)
    assert meta(doc, "og:image") == [f"{SITEURL}/images/hall.png"]
    assert of_type(json_ld_blocks(doc), "NewsArticle")["image"] == [f"{SITEURL}/images/hall.png"]
    assert meta(doc, "og:description") == ["Қысқаша мазмұны."]


def test_every_page_but_the_404_has_its_own_absolute_canonical_url(site):
    for url, doc in html_pages(site):
        canonical = doc.xpath("//head/link[@rel='canonical']/@href")
        if url == "404.html":
            assert canonical == []
            continue
        assert canonical == [f"{SITEURL}/{url}"], url


def test_description_comes_from_the_summary(site):
    doc = page(site, RU_COUNCIL)
    description = doc.xpath("//head/meta[@name='description']/@content")
    assert description == ["28 января в «Alikhan Bokeikhan University» прошло расширенное заседание "
                           "областного координационного совета по развитию детского и молодёжного движения."]


def test_description_falls_back_to_the_first_paragraph(site):
    assert page(site, NO_SUMMARY).xpath("//head/meta[@name='description']/@content") == ["Бірінші абзац осы."]


def test_long_descriptions_are_cut_at_a_word(site):
    description = page(site, "kk/2023/07/tazhiribe-almasty/").xpath("//head/meta[@name='description']/@content")[0]
    assert len(description) <= 200
    if description.endswith("…"):
        assert not description[:-1].endswith(" ")


def test_list_pages_describe_the_archive_in_their_language(site):
    for lang, word in (("ru", "Казахстане"), ("kk", "Қазақстан"), ("en", "Kazakhstan")):
        description = page(site, f"{lang}/").xpath("//head/meta[@name='description']/@content")[0]
        assert word in description


def test_front_pages_name_the_other_languages_as_alternate_locales(site):
    doc = page(site, "ky/")
    assert meta(doc, "og:locale") == ["ky_KG"]
    assert set(meta(doc, "og:locale:alternate")) == {"kk_KZ", "ru_RU", "en_US"}
    assert meta(doc, "og:type") == ["website"]


# ---- development build ----------------------------------------------------------------------

def test_dev_build_metadata_uses_the_development_address_and_links_stay_relative(dev_site):
    doc = page(dev_site, KK_COUNCIL)
    assert doc.xpath("//head/link[@rel='canonical']/@href") == [f"http://127.0.0.1:8000/{KK_COUNCIL}"]
    article = of_type(json_ld_blocks(doc), "NewsArticle")
    assert article["url"] == f"http://127.0.0.1:8000/{KK_COUNCIL}"
    for href in doc.xpath("//head/link[@rel='alternate'][@type]/@href") + doc.xpath("//body//a/@href"):
        if href.startswith(("http://", "https://", "#")):
            continue  # links out of the site (an article's source) or within the page
        assert not href.startswith("/"), href
        target = site_url(KK_COUNCIL, href)
        path = dev_site / target
        assert path.exists() or (path / "index.html").exists(), href
