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


# Bodies and summaries of plain prose (no attributes, no comments), read without lxml, and what
# each must give: what the lxml round trip gives.
PLAIN_PROSE = [
    "<p>Тек мәтін, сілтемесіз.</p>\n<p>Екінші абзац.</p>",
    "<p>  \n </p>\n<p>Бос абзацтан <em>кейінгі</em> &amp; <strong>келесі</strong>&nbsp;мәтін &lt;тег емес&gt;.</p>",
    "<h2>Тақырып</h2>\n<p>Жол<br>\nбөлінген <code>a &lt; b</code> мәтін.</p>",
    "<h2>Абзацсыз</h2>\n<ul>\n<li>бір</li>\n<li>екі &quot;тырнақша&quot;</li>\n</ul>",
    "<blockquote>\n<p>Дәйексөз.</p>\n</blockquote>\n<hr>\n<pre><code>код\n  жолы</code></pre>",
    "<pre><code>код</code></pre>\n<p>Кодтан кейінгі абзац.</p>",
    "Мәтін тегсіз, a > b.",
    "<p>Басқару\x07 таңбасы.</p>",
]
NOT_PLAIN = [
    '<p>Сілтеме <a href="x/">мұнда</a>.</p>',
    "<p>Мәтін.</p><!-- редакторға -->",
    '<p class="lead">Мәтін.</p>',
    '<p><img alt="" src="p.jpg"></p>',
    "<p>a < b</p>",
    "<p>Мәтін.<span>аралық</span></p>",
]


def through_lxml(monkeypatch, body, summary):
    with monkeypatch.context() as patched:
        patched.setattr(metadata, "_is_plain", lambda html: False)
        return metadata._machine_text(body, summary, f"{SITE}/esep/")


@pytest.mark.parametrize("prose", PLAIN_PROSE)
def test_plain_prose_read_without_lxml_gives_what_lxml_gives(prose, monkeypatch):
    assert metadata._is_plain(prose)
    fast = metadata._machine_text(prose, prose, f"{SITE}/esep/")
    slow = through_lxml(monkeypatch, prose, prose)
    assert (fast.first_image, fast.first_paragraph, fast.summary_text) == \
           (slow.first_image, slow.first_paragraph, slow.summary_text)
    assert fast.first_paragraph and fast.summary_text
    # The HTML is the body as it was (lxml serializes some characters differently): the same document.
    for made, remade in (fast.html, slow.html), (fast.summary_html, slow.summary_html):
        assert "\x07" not in made
        assert metadata.absolute_html(made, SITE) == metadata.absolute_html(remade, SITE)


@pytest.mark.parametrize("html", NOT_PLAIN)
def test_html_with_attributes_comments_or_stray_brackets_goes_through_lxml(html, monkeypatch):
    assert not metadata._is_plain(html)
    made = metadata._machine_text(html, html, f"{SITE}/esep/")
    assert made == through_lxml(monkeypatch, html, html)
