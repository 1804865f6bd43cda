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


def test_frozen_addresses_are_pelicans(tmp_path):
    corpus = make_corpus(tmp_path / "content", 24, seed=11)
    files = sorted(corpus.files)
    for path, status in ((files[1], "draft"), (files[2], "hidden")):
        path.write_text(path.read_text(encoding="utf-8").replace("\n\n", f"\nStatus: {status}\n\n", 1),
                        encoding="utf-8")
    contents = []

    def collect(generators):
        for generator in generators:
            for name in frozen_urls.CONTENT_LISTS:
                contents.extend(getattr(generator, name, None) or ())

    signals.all_generators_finalized.connect(collect)
    try:
        build(PROJECT / "pelicanconf.py", corpus.folder, tmp_path / "output", SEARCH_INDEX=False,
              CACHE_PATH=str(tmp_path / "cache"))
    finally:
        signals.all_generators_finalized.disconnect(collect)

    statuses = {content.status for content in contents}
    assert {"published", "hidden", "draft"} <= statuses
    assert {content.in_default_lang for content in contents} == {True, False}
    for content in contents:
        frozen_url, frozen_save_as = content.override_url, content.__dict__[frozen_urls.FROZEN_SAVE_AS]
        del content.override_url  # Pelican computes it again from the metadata
        assert (content.url, frozen_urls._PELICAN_SAVE_AS.fget(content)) == (frozen_url, frozen_save_as)
        assert content.save_as == frozen_save_as  # the property gives the frozen value
    drafts = [content for content in contents if content.status == "draft"]
    assert all(content.save_as.startswith("drafts/") for content in drafts)
    assert Path(tmp_path / "output" / drafts[0].save_as).is_file()
