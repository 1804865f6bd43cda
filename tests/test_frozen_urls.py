"""Frozen URLs (frozen_urls.py) are the addresses Pelican itself computes.

The plugin formats an article's url and save_as once and keeps them; these
tests compare them, for published, hidden and draft articles in the default
language and in others, with what Pelican's own properties give.
"""
from __future__ import annotations

from pathlib import Path

from pelican import signals

from newsarchive import frozen_urls
from newsarchive.benchmark import make_corpus
from newsarchive.runner import build
from sitebuild import PROJECT


def built_contents(content: Path, output: Path, cache: Path) -> list:
    """Every article of a build of `content`, as its generators left them."""
    contents = []

    def collect(generators):
        for generator in generators:
            for name in frozen_urls.CONTENT_LISTS:
                contents.extend(getattr(generator, name, None) or ())

    signals.all_generators_finalized.connect(collect)
    try:
        build(PROJECT / "pelicanconf.py", content, output, SEARCH_INDEX=False, CACHE_PATH=str(cache))
    finally:
        signals.all_generators_finalized.disconnect(collect)
    return contents


def assert_addresses_are_pelicans(contents):
    for content in contents:
        frozen_url, frozen_save_as = content.override_url, content.__dict__[frozen_urls.FROZEN_SAVE_AS]
        del content.override_url  # Pelican computes it again from the metadata
        assert (content.url, frozen_urls._PELICAN_SAVE_AS.fget(content)) == (frozen_url, frozen_save_as)
        assert content.save_as == frozen_save_as  # the property gives the frozen value


def test_frozen_addresses_are_pelicans(tmp_path):
    corpus = make_corpus(tmp_path / "content", 24, seed=11)
    files = sorted(corpus.files)
    for path, status in ((files[1], "draft"), (files[2], "hidden")):
        path.write_text(path.read_text(encoding="utf-8").replace("\n\n", f"\nStatus: {status}\n\n", 1),
                        encoding="utf-8")
    contents = built_contents(corpus.folder, tmp_path / "output", tmp_path / "cache")
    assert {"published", "hidden", "draft"} <= {content.status for content in contents}
    assert {content.in_default_lang for content in contents} == {True, False}
    assert_addresses_are_pelicans(contents)
    drafts = [content for content in contents if content.status == "draft"]
    assert all(content.save_as.startswith("drafts/") for content in drafts)
    assert Path(tmp_path / "output" / drafts[0].save_as).is_file()

    # A rebuild takes the unchanged articles from article_cache.py, their addresses with them.
    files[5].write_text(files[5].read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    rebuilt = built_contents(corpus.folder, tmp_path / "output", tmp_path / "cache")
    assert len(rebuilt) == len(contents)
    assert_addresses_are_pelicans(rebuilt)
