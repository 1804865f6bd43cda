"""The end of a build, made cheaper without changing a byte.

The sitemap is written as text rather than built with lxml: its bytes must be
what lxml wrote, whatever the URLs hold. The manifest takes the stat of every
output from one walk of the output folder in a cold build, and in a rebuild
from the files it knows and the folders changed since it started; both find
the files written outside Pelican's writer: those must still be recorded, and
removed once no build writes them.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from pelican import signals

from newsarchive import incremental
from newsarchive.benchmark import make_corpus
from newsarchive.metadata import absolute_url, iso_datetime
from newsarchive.runner import build
from newsarchive.sitemap import SITEMAP_NS, XHTML_NS, SitemapEntry, SitemapGenerator
from sitebuild import PROJECT

SETTINGS = {"SITEURL": "https://example.org/archive"}
ALMATY = ZoneInfo("Asia/Almaty")
# What URLs could hold that XML escapes, or writes as it is.
AWKWARD = ["a&b", "<tag>", "]]>", 'say "hi"', "it's", "tab\there", "new\nline", "carriage\rreturn",
           "жаңалықтар/", "emoji-\U0001F600", "c1-\x85", "&amp;"]


def lxml_urlset(entries) -> bytes:
    """The sitemap as sitemap.py wrote it with lxml."""
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for entry in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute_url(SETTINGS, entry.url)
        if entry.lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = iso_datetime(entry.lastmod)
        for hreflang, target in entry.alternates:
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang,
                             href=absolute_url(SETTINGS, target))
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def lxml_index(parts) -> bytes:
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for name, lastmod in parts:
        sitemap = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}loc").text = absolute_url(SETTINGS, name)
        if lastmod:
            etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}lastmod").text = iso_datetime(lastmod)
    return etree.tostring(index, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# The documents only read the generator's settings.
GENERATOR = SimpleNamespace(settings=SETTINGS)


def test_the_sitemap_is_byte_for_byte_what_lxml_wrote():
    entries = [SitemapEntry("", dt.datetime(2024, 3, 1, 10, 0, tzinfo=ALMATY),
                            [("kk", "kk/"), ("ru", "ru/"), ("x-default", "")])]
    entries += [SitemapEntry(f"kk/{text}/", dt.date(2024, 3, 2), [(text, f"ru/{text}/"), ("x-default", "")])
                for text in AWKWARD]
    entries.append(SitemapEntry("kk/no-date/"))
    assert SitemapGenerator.urlset(GENERATOR, entries) == lxml_urlset(entries)


def test_an_empty_sitemap_and_a_sitemap_index_are_what_lxml_wrote():
    assert SitemapGenerator.urlset(GENERATOR, []) == lxml_urlset([])
    parts = [("sitemap-1.xml", dt.datetime(2024, 3, 1, 10, 0, tzinfo=ALMATY)), ("sitemap-2.xml", None)]
    assert SitemapGenerator.sitemap_index(GENERATOR, parts) == lxml_index(parts)
    assert SitemapGenerator.sitemap_index(GENERATOR, []) == lxml_index([])


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\ufffe", "\ud800"])
def test_a_character_xml_does_not_allow_fails_as_it_did_with_lxml(character):
    with pytest.raises(ValueError):
        lxml_urlset([SitemapEntry(f"kk/{character}/")])
    with pytest.raises(ValueError):
        SitemapGenerator.urlset(GENERATOR, [SitemapEntry(f"kk/{character}/")])


def walked_files(output: Path) -> dict[str, list[int]]:
    """What the manifest recorded before: os.walk's files, each with os.stat."""
    found = {}
    for root, _dirs, files in os.walk(output):
        for name in files:
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            found[path] = [stat.st_mtime_ns, stat.st_size]
    return found


def walked_files_relative(output: Path) -> dict[str, list[int]]:
    return {os.path.relpath(path, output): stamp for path, stamp in walked_files(output).items()}


def test_the_output_walk_finds_what_os_walk_finds(tmp_path):
    output = tmp_path / "output"
    (output / "kk" / "2024" / "03").mkdir(parents=True)
    (output / "kk" / "2024" / "03" / "index.html").write_text("page")
    (output / "sitemap.xml").write_text("<urlset/>")
    (output / "empty").mkdir()
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "linked.html").write_text("not entered")
    (output / "linked-folder").symlink_to(outside, target_is_directory=True)
    (output / "linked-file.html").symlink_to(output / "sitemap.xml")
    (output / "broken-link.html").symlink_to(tmp_path / "missing")
    assert incremental._output_files(str(output)) == walked_files(output)
    assert incremental._output_files(str(tmp_path / "missing")) == {}


def manifest_outputs(output: Path) -> dict:
    (manifest,) = (output.parent / (output.name + "-cache")).glob("newsarchive-build-*.manifest")
    return incremental.read_manifest(str(manifest))["outputs"]


def build_writing_directly(corpus, output: Path, write=None):
    """Build `corpus` into `output`; `write`, if given, writes files itself at the end of the build,
    as Pagefind or a plugin writing its own files would."""
    settings = {"SEARCH_INDEX": False, "EVENTS_TODAY": "2020-06-01", "FEED_DOMAIN": "http://127.0.0.1:8000",
                "CACHE_PATH": str(output.parent / "output-cache"), "THEME": str(PROJECT / "theme")}
    if write is not None:
        signals.all_generators_finalized.connect(write)
    try:
        build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    finally:
        if write is not None:
            signals.all_generators_finalized.disconnect(write)


def note_writer(output: Path):
    """A receiver writing extra/note.txt in `output`."""
    def write(generators):
        (output / "extra").mkdir(parents=True, exist_ok=True)
        (output / "extra" / "note.txt").write_text("written directly", encoding="utf-8")
    return write


def edit_first_article(corpus):
    edited = sorted(corpus.files)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")


def test_a_file_written_outside_the_writer_is_recorded_then_removed_when_no_longer_written(tmp_path):
    corpus = make_corpus(tmp_path / "content", 6, seed=7)
    output = tmp_path / "output"
    build_writing_directly(corpus, output, note_writer(output))
    note = output / "extra" / "note.txt"
    recorded = manifest_outputs(output)
    assert recorded["extra/note.txt"] == [note.stat().st_mtime_ns, note.stat().st_size]
    assert recorded == walked_files_relative(output)

    edit_first_article(corpus)
    build_writing_directly(corpus, output)
    assert not (output / "extra").exists()
    assert "extra/note.txt" not in manifest_outputs(output)


def test_a_rebuild_records_every_file_written_outside_the_writer_without_walking_the_output(tmp_path, monkeypatch):
    """A rebuild lists only the folders changed since it started (incremental._output_files_since):
    a new file in a known folder, a file in new folders, and a known file written over in place
    are all recorded, as a walk of the whole output would find them."""
    corpus = make_corpus(tmp_path / "content", 6, seed=7)
    output = tmp_path / "output"
    build_writing_directly(corpus, output, note_writer(output))
    assert manifest_outputs(output) == walked_files_relative(output)

    def write_again(generators):
        (output / "kk" / "note.txt").write_text("in a folder the writer made", encoding="utf-8")
        (output / "extra" / "deep").mkdir(parents=True)
        (output / "extra" / "deep" / "note.txt").write_text("in new folders", encoding="utf-8")
        with open(output / "extra" / "note.txt", "r+", encoding="utf-8") as note:  # over, in place
            note.write("WRITTEN")

    monkeypatch.setattr(incremental, "_output_files", lambda folder: pytest.fail("the whole output was walked"))
    edit_first_article(corpus)
    build_writing_directly(corpus, output, write_again)
    recorded = manifest_outputs(output)
    assert {"kk/note.txt", "extra/deep/note.txt", "extra/note.txt"} <= set(recorded)
    assert recorded == walked_files_relative(output)


def test_a_damaged_manifest_reads_as_none_and_the_old_json_one_is_removed(tmp_path):
    """The manifest is marshal's format (incremental.read_manifest): bytes it cannot read, as
    another Python's or a damaged file's, mean no last build. The JSON manifest earlier versions
    wrote is removed when a build saves its own."""
    corpus = make_corpus(tmp_path / "content", 6, seed=7)
    output = tmp_path / "output"
    cache = output.parent / "output-cache"
    cache.mkdir()
    build_writing_directly(corpus, output)
    (manifest,) = cache.glob("newsarchive-build-*.manifest")
    legacy = manifest.with_suffix(".json")
    legacy.write_text("{}", encoding="utf-8")
    assert incremental.read_manifest(str(manifest))["complete"] is True
    manifest.write_bytes(manifest.read_bytes()[:100])
    assert incremental.read_manifest(str(manifest)) is None
    manifest.write_bytes(b"not a manifest")
    assert incremental.read_manifest(str(manifest)) is None

    build_writing_directly(corpus, output)  # a full build: nothing tells it what the last one did
    assert incremental.read_manifest(str(manifest))["complete"] is True
    assert not legacy.exists()
