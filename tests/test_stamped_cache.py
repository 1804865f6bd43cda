"""The per-file cache between builds (stamped_cache.py), on its own.

Each test opens caches as successive builds would and checks what a later
one gets back: values while their file and dependencies keep their stamps,
nothing after a change of settings or code, nothing kept for files a build
no longer asks about, and a build that never saved blocking no other. Entries
are written in batches: none is lost, and one that cannot be written is named.
"""
from __future__ import annotations

import os
import sqlite3

import pytest

from newsarchive import incremental
from newsarchive.stamped_cache import WRITTEN_TOGETHER, StampedCache


@pytest.fixture
def build(tmp_path, monkeypatch):
    """Start a build with these settings and plugin stamps; returns a function making its cache."""
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "PLUGIN_PATHS": [str(tmp_path / "plugins")]}

    def start(settings_digest="s1", code_stamp=(1, 1), load=True, **options):
        inputs = {"files": {str(tmp_path / "plugins" / "x.py"): list(code_stamp)}, "settings": settings_digest,
                  "libraries": {"pelican": "4"}, "day": None}
        monkeypatch.setattr(incremental.BUILD, "inputs", inputs)
        monkeypatch.setattr(incremental.BUILD, "load_caches", load)
        return StampedCache(settings, "test", **options)

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


def test_entries_written_together_are_all_kept_and_seen_by_the_build_that_put_them(tmp_path, build):
    sources = [touch(tmp_path / f"{number}.md", str(number)) for number in range(2 * WRITTEN_TOGETHER + 3)]
    cache = build()
    for number, source in enumerate(sources):
        cache.put(source, number)
    assert cache.get(sources[-1]) == len(sources) - 1  # not written yet when asked for
    cache.save()
    cache = build()
    assert [cache.get(source) for source in sources] == list(range(len(sources)))
    cache.save()


def test_a_cache_of_bytes_keeps_them_as_they_are(tmp_path, build):
    """as_bytes: the article cache's values, pickled already, are stored and given back as they
    are; a cache of pickled values by the same name is another cache."""
    source = touch(tmp_path / "a.md", "a")
    cache = build(as_bytes=True)
    cache.put(source, b"\x80\x05already pickled")
    cache.save()
    stored = sqlite3.connect(cache.path).execute("SELECT value FROM entries").fetchone()[0]
    assert stored == b"\x80\x05already pickled"
    cache = build(as_bytes=True)
    assert cache.get(source) == b"\x80\x05already pickled"
    cache.save()
    assert build().get(source) is None


class Recorded:
    """The build's SQLite connection, recording each statement; `failing` paths cannot be written."""

    def __init__(self, db, failing=()):
        self.db, self.failing, self.statements = db, set(failing), []

    def execute(self, sql, parameters=()):
        self.statements.append(sql.split()[0])
        if sql.startswith("INSERT") and parameters[0] in self.failing:
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, parameters)

    def executemany(self, sql, rows):
        rows = list(rows)
        self.statements.append(sql.split()[0])
        if sql.startswith("INSERT") and any(row[0] in self.failing for row in rows):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_a_cache_that_started_empty_answers_without_reading_the_file(tmp_path, build):
    source, other = touch(tmp_path / "a.md", "a"), touch(tmp_path / "b.md", "b")
    cache = build()
    assert not cache.loaded
    cache._db = recorded = Recorded(cache._db)
    assert cache.get(source) is None and not cache.holds(other)
    assert recorded.statements == []
    cache.put(source, "a")
    assert cache.get(source) == "a" and recorded.statements == ["INSERT", "SELECT"]
    cache.save()


def saved_then_reopened(tmp_path, build, count: int):
    """`count` files whose entries (their numbers) a build saved, and the next build's cache,
    its statements recorded: (sources, cache, recorded)."""
    sources = [touch(tmp_path / f"{number}.md", str(number)) for number in range(count)]
    cache = build()
    for number, source in enumerate(sources):
        cache.put(source, number)
    cache.save()
    cache = build()
    cache._db = recorded = Recorded(cache._db)
    return sources, cache, recorded


def test_a_loaded_cache_reads_every_entry_in_one_statement(tmp_path, build):
    sources, cache, recorded = saved_then_reopened(tmp_path, build, 10)
    assert [cache.get(source) for source in reversed(sources)] == list(reversed(range(10)))
    assert cache.holds(sources[0]) and recorded.statements == ["SELECT"]
    assert cache.get(sources[0]) == 0 and recorded.statements == ["SELECT", "SELECT"]  # given once: read back
    cache.save()


def test_a_build_that_asked_about_every_entry_only_commits(tmp_path, build):
    """Dropping the entries of files a build did not ask about takes a table of the 5,000 it did:
    made only when some entry was not asked about."""
    sources, cache, recorded = saved_then_reopened(tmp_path, build, 3)
    assert [cache.get(source) for source in sources] == [0, 1, 2]
    cache.save()
    assert recorded.statements == ["SELECT", "COMMIT"]

    cache = build()
    cache._db = recorded = Recorded(cache._db)
    assert cache.get(sources[0]) == 0
    cache.save()
    assert "DELETE" in recorded.statements
    assert build().holds(sources[1]) is False


def test_an_entry_that_cannot_be_written_is_named_and_the_others_are_kept(tmp_path, build, caplog):
    sources = [touch(tmp_path / f"{number}.md", str(number)) for number in range(5)]
    cache = build()
    cache._db = Recorded(cache._db, failing={sources[2]})
    for number, source in enumerate(sources):
        cache.put(source, number)
    cache.save()
    assert [record.getMessage() for record in caplog.records] == [
        f"Could not keep {sources[2]} in the cache {cache.path}: database or disk is full"]
    cache = build()
    assert [cache.get(source) for source in sources] == [0, 1, None, 3, 4]
    cache.save()
