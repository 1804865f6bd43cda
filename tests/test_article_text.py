"""An article's text for feeds and page heads (metadata.article_text), made once and kept valid.

The two-core reading prepares it as each article is read (preparse.py); the pages, feeds and
the article cache then reuse it. What is kept must never outlive the body or summary it came
from, and a body whose links wait for the whole site is left for later.
"""
from __future__ import annotations

import copy
import datetime as dt

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from newsarchive import metadata

SITE = "https://reports.example.org"


@pytest.fixture
def settings():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(SITEURL=SITE, ARTICLE_URL="{slug}/", ARTICLE_SAVE_AS="{slug}/index.html")
    return settings


@pytest.fixture
def parses(monkeypatch):
    """How many times the body and summary were parsed."""
    calls = []
    machine_text = metadata._machine_text
    monkeypatch.setattr(metadata, "_machine_text", lambda *args: calls.append(args) or machine_text(*args))
    return calls


def article(settings, body, summary=None):
    fields = {"title": "Есеп", "date": dt.datetime(2024, 5, 1), "slug": "esep"}
    if summary is not None:
        fields["summary"] = summary
    return Article(body, metadata=fields, settings=settings, source_path="esep.md", context={})


def test_a_prepared_text_is_what_the_page_and_feeds_get_without_parsing_again(settings, parses):
    body = '<p>Бірінші <a href="../x/">сілтеме</a>.</p>\n<p><img alt="" src="p.jpg"></p>'
    prepared = article(settings, body, summary='<p>Қысқа <a href="y/">мазмұн</a></p>')
    metadata.prepare_article_text(prepared, settings)
    assert len(parses) == 1
    later = metadata.article_text(prepared, settings)
    assert len(parses) == 1
    fresh = article(settings, body, summary='<p>Қысқа <a href="y/">мазмұн</a></p>')
    assert metadata.article_text(fresh, settings) == later
    # (other tests' builds may have connected the site's receivers, which add to the <img>)
    assert later.html.startswith(f'<p>Бірінші <a href="{SITE}/x/">сілтеме</a>.</p>\n<p><img alt="" src="{SITE}/esep/p.jpg"')
    assert later.first_image == f"{SITE}/esep/p.jpg"
    assert later.summary_html == f'<p>Қысқа <a href="{SITE}/esep/y/">мазмұн</a></p>'
    assert later.summary_text == "Қысқа мазмұн"
    assert metadata.article_description(prepared, settings) == "Қысқа мазмұн"


def test_a_body_changed_after_its_text_was_made_gets_its_own_text(settings, parses):
    changed = article(settings, "<p>Ескі мәтін.</p>")
    metadata.prepare_article_text(changed, settings)
    changed._content = '<p>Жаңа <a href="z/">мәтін</a>.</p>'  # as a later plugin might
    text = metadata.article_text(changed, settings)
    assert text.html == f'<p>Жаңа <a href="{SITE}/esep/z/">мәтін</a>.</p>'
    assert text.first_paragraph == "Жаңа мәтін."
    assert len(parses) == 2


def test_a_changed_summary_gets_its_own_text(settings, parses):
    changed = article(settings, "<p>Мәтін.</p>", summary="<p>Бірінші</p>")
    metadata.prepare_article_text(changed, settings)
    changed.metadata["summary"] = "<p>Екінші</p>"
    assert metadata.article_text(changed, settings).summary_text == "Екінші"
    assert metadata.article_description(changed, settings) == "Екінші"


def test_a_body_linking_other_content_waits_for_the_whole_site(settings, parses):
    """{filename} links resolve against every article read: not known while reading."""
    linking = article(settings, '<p><a href="{filename}/other.md">Басқа</a></p>')
    metadata.prepare_article_text(linking, settings)
    assert parses == [] and metadata.TEXT_MEMO not in linking.__dict__


def test_plain_prose_keeps_one_string_for_the_body_and_its_machine_text(settings):
    body = "<p>Тек мәтін, сілтемесіз.</p>\n<p>Екінші абзац.</p>"
    prose = article(settings, body, summary="<p>Қысқа.</p>")
    metadata.prepare_article_text(prose, settings)
    text = metadata.article_text(prose, settings)
    assert text.html is prose._content
    assert text.summary_html is prose.metadata["summary"]
    assert text.first_paragraph == "Тек мәтін, сілтемесіз."
