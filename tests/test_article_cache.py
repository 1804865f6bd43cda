"""Articles and source checks kept between builds (article_cache.py, stamped_cache.py).

A rebuild takes an unchanged file's article as the last build read it, and
its source findings as the last build found them. Each test checks both that
the kept copy is used (the sanitizer or the checks do not run again for it)
and that the site or the report is what a build without the cache gives.
"""
from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pelican.log import LimitFilter

from newsarchive import sanitize, validate
from newsarchive.benchmark import make_corpus
from newsarchive.errors import ContentError
from sitebuild import PROJECT
from test_incremental import build_into, tree


@pytest.fixture
def sanitized(monkeypatch):
    """The bodies the sanitizer cleans in the builds that follow (each body and summary)."""
    cleaned = []
    clean_html = sanitize.clean_html

    def counting(markup, *args, **kwargs):
        cleaned.append(markup)
        return clean_html(markup, *args, **kwargs)

    monkeypatch.setattr(sanitize, "clean_html", counting)
    return cleaned


@pytest.fixture
def checked(monkeypatch):
    """The files the source checks read in the builds that follow."""
    paths = []
    check_source = validate._check_source

    def counting(source, *args, **kwargs):
        paths.append(source.relpath)
        return check_source(source, *args, **kwargs)

    monkeypatch.setattr(validate, "_check_source", counting)
    return paths


def append(path: Path, text: str):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def set_status(path: Path, status: str):
    path.write_text(path.read_text(encoding="utf-8").replace("\n\n", f"\nStatus: {status}\n\n", 1),
                    encoding="utf-8")


def test_a_rebuild_reads_only_the_changed_article_again(tmp_path, sanitized, checked):
    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    for number, status in ((7, "skip"), (8, "draft"), (9, "hidden")):
        set_status(sorted(corpus.files)[number], status)
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    assert len(checked) == 12 and len(sanitized) >= 11  # the first build reads and checks every file

    sanitized.clear(), checked.clear()
    edited = sorted(corpus.files)[4]
    append(edited, "\nЖаңа сөйлем.\n")
    build_into(corpus.folder, output)
    assert [Path(path).name for path in checked] == [edited.name]
    assert 0 < len(sanitized) <= 2  # its body and its summary, no other article's

    cold = tmp_path / "cold"
    build_into(corpus.folder, cold, LOAD_CONTENT_CACHE=False)
    assert tree(output) == tree(cold)


def test_kept_articles_come_back_with_their_terms_slugs(tmp_path, monkeypatch):
    """Pelican groups articles by tag and category, hashing each term by its slug: a kept term
    carries the slug it was given, instead of slugifying its name again on every build."""
    from pelican import urlwrappers

    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    output = tmp_path / "output"
    build_into(corpus.folder, output)  # a first build: every term fresh from the reader
    slugified = []
    slugify = urlwrappers.slugify
    monkeypatch.setattr(urlwrappers, "slugify",
                        lambda value, **kwargs: slugified.append(value) or slugify(value, **kwargs))
    append(sorted(corpus.files)[4], "\nЖаңа сөйлем.\n")
    build_into(corpus.folder, output)
    assert 0 < len(slugified) <= 8  # the edited article's tags and category only


def test_a_cold_build_formats_each_articles_addresses_once(tmp_path, monkeypatch):
    """Frozen when the article is kept, as the next build gets it back: Pelican's validity check
    and frozen_urls.freeze do not format its URL settings again."""
    from pelican.contents import Content

    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    formatted = []
    url_format = Content.url_format
    monkeypatch.setattr(Content, "url_format",
                        property(lambda content: formatted.append(content.source_path) or url_format.fget(content)))
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    assert sorted(formatted) == sorted(str(path) for path in corpus.files)

    monkeypatch.undo()
    append(sorted(corpus.files)[4], "\nЖаңа сөйлем.\n")
    build_into(corpus.folder, output)
    cold = tmp_path / "cold"
    build_into(corpus.folder, cold, LOAD_CONTENT_CACHE=False)
    assert tree(output) == tree(cold)


def test_a_tag_on_many_articles_is_slugified_once_per_build(monkeypatch):
    from pelican import urlwrappers
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Category, Tag

    from newsarchive.article_cache import _Pickler, _Unpickler

    settings, copied = dict(DEFAULT_CONFIG), dict(DEFAULT_CONFIG)
    slugified = []
    slugify = urlwrappers.slugify
    monkeypatch.setattr(urlwrappers, "slugify",
                        lambda value, **kwargs: slugified.append(value) or slugify(value, **kwargs))
    shared = {"settings": settings, "_context": {}}
    pickler = _Pickler(shared)
    articles = [{"tags": [Tag("Білім беру", settings), Tag("Су", settings)], "category": Category("Су", settings)}
                for _ in range(3)]
    articles.append({"tags": [Tag("Білім беру", copied)]})  # another build's settings: its own slug
    blobs = [pickler.dumps(fields) for fields in articles]
    assert sorted(slugified) == ["Білім беру", "Білім беру", "Су", "Су"]  # the tag and the category Су
    for fields, blob in zip(articles, blobs):
        restored = _Unpickler(io.BytesIO(blob), shared).load()
        assert [vars(tag) for tag in restored["tags"]] == [vars(tag) for tag in fields["tags"]]
        assert [tag.slug for tag in restored["tags"]] == [tag.slug for tag in fields["tags"]]
    assert articles[2]["tags"][0].slug == "bilim-beru"


def test_a_replaced_picture_gets_its_new_size(tmp_path):
    content = tmp_path / "content"
    corpus = make_corpus(content, 6, seed=5)
    picture = content / "images" / "photo.png"
    picture.parent.mkdir()
    Image.new("RGB", (40, 30)).save(picture)
    article = sorted(corpus.files)[0]
    append(article, "\n![Жиналыс]({static}/images/photo.png)\n")
    output = tmp_path / "output"
    build_into(content, output)
    page = next(path for path in output.rglob("index.html") if article.name.split(".")[0][11:] in str(path))
    assert 'width="40" height="30"' in page.read_text(encoding="utf-8")

    Image.new("RGB", (80, 50)).save(picture)
    build_into(content, output)
    assert 'width="80" height="50"' in page.read_text(encoding="utf-8")
    cold = tmp_path / "cold"
    build_into(content, cold, LOAD_CONTENT_CACHE=False)
    assert tree(output) == tree(cold)


def test_warnings_from_reading_an_article_show_on_every_build(tmp_path, caplog, monkeypatch):
    corpus = make_corpus(tmp_path / "content", 6, seed=5)
    (corpus.folder / "images").mkdir()
    Image.new("RGB", (40, 30)).save(corpus.folder / "images" / "photo.png")
    without_alt = sorted(corpus.files)[1]
    append(without_alt, "\n![]({static}/images/photo.png)\n")
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    assert "Empty alt attribute" in caplog.text

    caplog.clear()
    # Pelican logs a message once per process; each `invoke build` is a new one.
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    append(sorted(corpus.files)[3], "\nТағы бір сөйлем.\n")  # another file changes: a real rebuild
    with caplog.at_level(logging.WARNING):
        build_into(corpus.folder, output)
    assert "Empty alt attribute" in caplog.text and without_alt.name in caplog.text


def test_an_unchanged_bad_file_fails_every_build_with_its_line(tmp_path, checked, sanitized):
    corpus = make_corpus(tmp_path / "content", 6, seed=5)
    bad = sorted(corpus.files)[2]
    bad.write_text(bad.read_text(encoding="utf-8").replace("Date: ", "Date: 31.02.", 1), encoding="utf-8")
    output = tmp_path / "output"
    with pytest.raises(ContentError) as first:
        build_into(corpus.folder, output)

    checked.clear(), sanitized.clear()
    append(sorted(corpus.files)[0], "\nТағы бір сөйлем.\n")
    with pytest.raises(ContentError) as again:
        build_into(corpus.folder, output)
    assert bad.name not in " ".join(checked)  # its findings were kept, not found again
    assert len(sanitized) <= 2  # a failed build keeps the others' articles for the next one
    assert str(again.value) == str(first.value)
    assert f"{bad.name}:" in str(again.value) and "Date '31.02." in str(again.value)


def test_a_change_to_the_plugin_code_or_a_setting_reads_every_article_again(tmp_path, sanitized):
    plugins = tmp_path / "plugins"
    shutil.copytree(PROJECT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))
    corpus = make_corpus(tmp_path / "content", 8, seed=5)
    output = tmp_path / "output"
    build_into(corpus.folder, output, PLUGIN_PATHS=[str(plugins)])

    sanitized.clear()
    append(plugins / "newsarchive" / "reading_time.py", "\n# a change to the code\n")
    build_into(corpus.folder, output, PLUGIN_PATHS=[str(plugins)])
    assert len(sanitized) >= 8

    sanitized.clear()
    build_into(corpus.folder, output, PLUGIN_PATHS=[str(plugins)], SUMMARY_MAX_LENGTH=20)
    assert len(sanitized) >= 8
    cold = tmp_path / "cold"
    build_into(corpus.folder, cold, PLUGIN_PATHS=[str(plugins)], SUMMARY_MAX_LENGTH=20, LOAD_CONTENT_CACHE=False)
    assert tree(output) == tree(cold)


def test_a_rebuild_stats_each_article_file_once(tmp_path, monkeypatch):
    """The caches take an article file's stamp from the one the build took when it started
    (incremental.stamp_at_start), not from one os.stat each (the checks, the kept article,
    Pelican's reader and generator caches): the stat of the up-to-date check is the only one."""
    import os

    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    append(sorted(corpus.files)[4], "\nЖаңа сөйлем.\n")
    stats = []
    stat = os.stat

    def counting(path, *args, **kwargs):
        if str(path).endswith(".md"):
            stats.append(os.path.basename(path))
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting)
    build_into(corpus.folder, output)
    assert sorted(stats) == sorted(path.name for path in corpus.files)


def test_an_article_edited_during_a_build_is_read_again_by_the_next(tmp_path):
    """The stamp the build took when it started stands for the file: an edit made while the
    build runs, after the file was read, gives the next build another stamp, which reads it."""
    from pelican import signals

    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    edited = sorted(corpus.files)[4]

    def edit_while_building(generators):
        append(edited, "\nКейін жазылған сөйлем.\n")

    append(sorted(corpus.files)[2], "\nЖаңа сөйлем.\n")  # so that the build runs
    signals.all_generators_finalized.connect(edit_while_building)
    try:
        build_into(corpus.folder, output)
    finally:
        signals.all_generators_finalized.disconnect(edit_while_building)
    assert "Кейін жазылған сөйлем" in edited.read_text(encoding="utf-8")
    assert "Кейін жазылған сөйлем".encode() not in b"".join(tree(output).values())

    build_into(corpus.folder, output)
    cold = tmp_path / "cold"
    build_into(corpus.folder, cold, LOAD_CONTENT_CACHE=False)
    assert "Кейін жазылған сөйлем".encode() in b"".join(tree(cold).values())
    assert tree(output) == tree(cold)


def test_an_entry_kept_for_another_class_gives_no_article():
    """article_cache._restore: an entry holds its class's name with the fields; the generator
    reads the file again rather than take it as another class."""
    from pelican.contents import Article, Page

    from newsarchive import article_cache

    shared = {"settings": {}, "_context": {}}
    blob = article_cache._Pickler(shared).dumps(("Article", {"title": "Жаңалық"}))
    assert article_cache._restore(Page, blob, shared) is None
    article = article_cache._restore(Article, blob, shared)
    assert type(article) is Article and article.title == "Жаңалық" and article.settings is shared["settings"]
