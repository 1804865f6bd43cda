"""The per-file cache between builds (stamped_cache.py), on its own.

Each test opens caches as successive builds would and checks what a later
one gets back: values while their file and dependencies keep their stamps,
nothing after a change of settings or code, nothing kept for files a build
no longer asks about, and a build that never saved blocking no other.
"""
from __future__ import annotations

import os

import pytest

from newsarchive import incremental
from newsarchive.stamped_cache import StampedCache


@pytest.fixture
def build(tmp_path, monkeypatch):
    """Start a build with these settings and plugin stamps; returns a function making its cache."""
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "PLUGIN_PATHS": [str(tmp_path / "plugins")]}

    def start(settings_digest="s1", code_stamp=(1, 1), load=True):
        inputs = {"files": {str(tmp_path / "plugins" / "x.py"): list(code_stamp)}, "settings": settings_digest,
                  "libraries": {"pelican": "4"}, "day": None}
        monkeypatch.setattr(incremental.BUILD, "inputs", inputs)
        monkeypatch.setattr(incremental.BUILD, "load_caches", load)
        return StampedCache(settings, "test")

    return start


def touch(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_value_comes_back_while_its_file_and_dependencies_are_unchanged(tmp_path, build):
    source, picture = touch(tmp_path / "a.md", "one"), touch(tmp_path / "a.png", "png")
    cache = build()
    assert not cache.loaded and cache.get(source) is None
    cache.put(source, {"title": "A"}, dependencies=[picture, str(tmp_path / "missing.png")])
    cache.save()

    cache = build()
    assert cache.loaded and cache.holds(source) and cache.get(source) == {"title": "A"}
    cache.save()

    touch(tmp_path / "missing.png", "now here")  # a dependency that appears counts as a change
    cache = build()
    assert cache.get(source) is None
    cache.save()


def test_a_changed_file_gives_nothing(tmp_path, build):
    source = touch(tmp_path / "a.md", "one")
    cache = build()
    cache.put(source, "value")
    cache.save()
    touch(tmp_path / "a.md", "two, longer")
    assert build().get(source) is None


@pytest.mark.parametrize("change", [{"settings_digest": "s2"}, {"code_stamp": (2, 1)}, {"load": False}],
                         ids=["settings", "plugin-code", "no-load"])
def test_other_settings_or_code_give_nothing(tmp_path, build, change):
    source = touch(tmp_path / "a.md", "one")
    cache = build()
    cache.put(source, "value")
    cache.save()
    assert build(**change).get(source) is None


def test_entries_a_build_did_not_ask_about_are_dropped(tmp_path, build):
    kept, deleted = touch(tmp_path / "a.md", "a"), touch(tmp_path / "b.md", "b")
    cache = build()
    cache.put(kept, "a")
    cache.put(deleted, "b")
    cache.save()
    cache = build()
    assert cache.get(kept) == "a"  # b.md was deleted: nobody asks about it
    cache.save()
    assert build().holds(deleted) is False


def test_a_build_that_never_saved_leaves_the_last_saved_cache_and_blocks_nothing(tmp_path, build):
    source = touch(tmp_path / "a.md", "a")
    cache = build()
    cache.put(source, "saved")
    cache.save()
    failed = build()
    failed.put(source, "never saved")  # the build then stops with an error
    cache = build()  # the next build, in the same process, gets the write lock
    assert cache.get(source) == "saved"
    cache.save()
    assert os.path.isfile(cache.path)
