"""Builds of content written for each rule: sections, pagination, and the errors that stop a build."""
from __future__ import annotations

import pytest

from contentfactory import write_article
from newsarchive.errors import ContentError
from sitebuild import build_site
from sitepages import card_links, page


def test_language_without_articles_gets_no_section(tmp_path):
    write_article(tmp_path / "content", "Павлодарда жиын өтті", lang="kk", regions="KZ-55")
    write_article(tmp_path / "content", "Собрание в Павлодаре", lang="ru", regions="KZ-55")
    out = build_site(tmp_path / "content", tmp_path / "out")
    assert (out / "kk" / "index.html").exists() and (out / "ru" / "index.html").exists()
    assert not (out / "ky").exists() and not (out / "en").exists()
    chooser_langs = [li.get("lang") for li in page(out, "").cssselect(".chooser > li")]
    assert chooser_langs == ["kk", "ru"]
    switcher_langs = [el.get("lang") for el in page(out, "kk/").cssselect(".switcher [lang]")]
    assert switcher_langs == ["kk", "ru"]


def test_front_page_and_term_pages_paginate(tmp_path):
    for day in range(1, 13):
        write_article(tmp_path / "content", f"Жаңалық нөмір {day}", date=f"2024-03-{day:02d} 09:00",
                      tags="білім", regions="KZ-10")
    out = build_site(tmp_path / "content", tmp_path / "out", DEFAULT_PAGINATION=5)
    first, second, third = (card_links(out, url) for url in ("kk/", "kk/page/2/", "kk/page/3/"))
    assert [len(first), len(second), len(third)] == [5, 5, 2]
    assert first[0].endswith("zhanalyq-nomir-12/")  # newest first
    assert not (out / "kk" / "page" / "4").exists()
    assert len(card_links(out, "kk/tags/bilim/page/3/")) == 2
    pager = page(out, "kk/page/2/").cssselect(".pager a")
    assert {a.get("rel") for a in pager} == {"prev", "next"}


def test_two_articles_with_the_same_url_fail_naming_both_files(tmp_path):
    first = write_article(tmp_path / "content", "Бірдей тақырып", date="2024-01-10 10:00")
    second = write_article(tmp_path / "content", "Бірдей тақырып", date="2024-01-20 10:00",
                           filename="2024-01-20-copy.kk.md")
    with pytest.raises(ContentError) as failure:
        build_site(tmp_path / "content", tmp_path / "out")
    message = str(failure.value)
    assert first.name in message and second.name in message
    assert "kk/2024/01/birdei-taqyryp/" in message


def test_unknown_region_fails_naming_the_file_and_line(tmp_path):
    bad = write_article(tmp_path / "content", "Белгісіз өңір", regions="KZ-55, KZ-99")
    with pytest.raises(ContentError) as failure:
        build_site(tmp_path / "content", tmp_path / "out")
    message = str(failure.value)
    assert f"{bad.name}:4: unknown region code 'KZ-99'" in message.replace(str(bad.parent) + "/", "")
    assert not (tmp_path / "out" / "kk").exists()


def test_unknown_category_fails_naming_the_file(tmp_path):
    bad = write_article(tmp_path / "content", "Белгісіз санат", category="gossip")
    with pytest.raises(ContentError, match=rf"{bad.name}:4: unknown category 'gossip' \(allowed: news, event-report"):
        build_site(tmp_path / "content", tmp_path / "out")


def test_unknown_language_fails_naming_the_file(tmp_path):
    bad = write_article(tmp_path / "content", "Unknown language", lang="de")
    with pytest.raises(ContentError, match=rf"{bad.name}:3: unknown language 'de' \(allowed: kk, ky, ru, en\)"):
        build_site(tmp_path / "content", tmp_path / "out")


def test_translation_group_with_two_articles_of_one_language_fails(tmp_path):
    write_article(tmp_path / "content", "Бірінші нұсқа", translation_key="report-1")
    write_article(tmp_path / "content", "Екінші нұсқа", translation_key="report-1")
    with pytest.raises(ContentError, match="translation key 'report-1' has two kk articles"):
        build_site(tmp_path / "content", tmp_path / "out")


def test_missing_slug_is_made_by_the_project_transliteration(tmp_path):
    write_article(tmp_path / "content", "Тәжірибе алмасты", date="2023-07-05 09:00")
    out = build_site(tmp_path / "content", tmp_path / "out")
    assert (out / "kk" / "2023" / "07" / "tazhiribe-almasty" / "index.html").exists()


def test_draft_without_category_builds_with_the_default_kind(tmp_path):
    write_article(tmp_path / "content", "Жоба туралы", status="draft")
    out = build_site(tmp_path / "content", tmp_path / "out")
    draft = page(out, "drafts/kk/zhoba-turaly/")
    assert draft.cssselect("h1")[0].text_content() == "Жоба туралы"
