"""`{% cache %}` (fragments.py): a piece of a page rendered once per build for each key.

The cache must never show one page's piece on another page that differs in
what the piece shows: its key's values, the page's language, autoescaping.
Built sites are checked elsewhere (test_incremental.py, test_render_keys.py
compare rebuilds with cold builds, which both use the cache); here the tag
itself is held to its key, with a Jinja environment that counts renders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment
from lxml import html

from newsarchive import fragments
from newsarchive.benchmark import make_corpus
from sitebuild import build_site

PIECE = '{% cache "piece", item, SITEURL %}<a href="{{ SITEURL }}/{{ item.url }}">{{ count() }} {{ item.title }}</a>{% endcache %}'


@dataclass
class Item:  # compares by value and cannot be hashed, as the site's sections
    url: str
    title: str


@pytest.fixture
def render():
    """render(context) -> the piece rendered in a fresh page of one environment; `renders` counts
    the times its body ran."""
    env = Environment(loader=DictLoader({"page.html": PIECE}), autoescape=True)
    fragments.install_in_templates(SimpleNamespace(env=env))
    renders = []

    def count():
        renders.append(1)
        return len(renders)

    def page(**context):
        return env.get_template("page.html").render(count=count, **context)

    page.renders = renders
    return page


def test_the_same_key_renders_once(render):
    item = Item("kk/a/", "Title")
    first = render(item=item, SITEURL="..", page_lang="kk")
    again = render(item=item, SITEURL="..", page_lang="kk")
    assert first == again == '<a href="../kk/a/">1 Title</a>'
    assert len(render.renders) == 1


@pytest.mark.parametrize("change", [
    {"SITEURL": "../.."},  # another depth
    {"page_lang": "ru"},  # another language: dates and interface text differ
    {"item": Item("kk/a/", "Title")},  # an equal but other object: by identity
    {"item": Item("kk/b/", "Other")},
])
def test_a_different_key_renders_again(render, change):
    item = Item("kk/a/", "Title")
    base = {"item": item, "SITEURL": "..", "page_lang": "kk"}
    render(**base)
    second = render(**{**base, **change})
    assert len(render.renders) == 2
    expected = {**base, **change}
    assert second == f'<a href="{expected["SITEURL"]}/{expected["item"].url}">2 {expected["item"].title}</a>'


def test_a_variable_the_page_lacks_is_one_key(render):
    """An article page has no `page_kind`: each lookup makes a new Undefined, yet it is one key,
    distinct from None."""
    env = Environment(loader=DictLoader({"page.html": '{% cache "x", missing %}{{ count() }}{% endcache %}'}))
    fragments.install_in_templates(SimpleNamespace(env=env))
    renders = []

    def count():
        renders.append(1)
        return len(renders)

    page = env.get_template("page.html")
    assert [page.render(count=count), page.render(count=count), page.render(count=count, missing=None)] == ["1", "1", "2"]


def test_autoescaping_is_part_of_the_key(render):
    env = Environment(loader=DictLoader({
        "page.html": '{% cache "x", v %}{{ v }}{% endcache %}'
                     '{% autoescape false %}{% cache "x", v %}{{ v }}{% endcache %}{% endautoescape %}'}),
        autoescape=True)
    fragments.install_in_templates(SimpleNamespace(env=env))
    assert env.get_template("page.html").render(v="<b>") == "&lt;b&gt;<b>"


def test_a_second_build_in_the_same_process_shows_its_own_cards(tmp_path):
    """Pelican makes a new environment for every build: a card never outlives its build, even
    where the next build's article has the same address (the tests and `invoke serve` build
    again in one process)."""
    corpus = make_corpus(tmp_path / "content", 12, languages=("kk",), seed=3)
    build_site(corpus.folder, tmp_path / "first")
    article = corpus.files[0]
    text = article.read_text(encoding="utf-8")
    old_title = re.search(r"^Title: (.*)$", text, re.M).group(1)
    article.write_text(text.replace(f"Title: {old_title}", "Title: Renamed between builds", 1), encoding="utf-8")
    second = build_site(corpus.folder, tmp_path / "second")
    front = html.fromstring((second / "kk" / "index.html").read_bytes())
    titles = [" ".join(a.text_content().split()) for a in front.cssselect(".card-title a")]
    assert "Renamed between builds" in titles
    assert " ".join(old_title.split()) not in titles
