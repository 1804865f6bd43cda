"""Results computed from one source file, kept between builds while the file is unchanged.

Pelican's reader cache keeps a file's parsed body and metadata; everything
built from them (the article object with its URLs and dates, the sanitized
body, the source checks' findings) is made again on every build, for every
file: at 5,000 articles about two seconds of a rebuild after one edit. A
`StampedCache` keeps such results per file, with the file's (mtime, size)
and those of the other files it depends on (an article's pictures), and
gives one back only while they are all the same.

A result also depends on the code that made it and the settings it used. The
whole cache is therefore tied to the build's settings digest, the library
versions and the stamps of the plugin files (as recorded by incremental.py):
when any of them changes, nothing is reused. It is also off when incremental
builds are (INCREMENTAL_BUILD = False, publishconf.py), and not read when
the settings turn LOAD_CONTENT_CACHE off, as Pelican's own cache is not.

The entries live in an SQLite file in CACHE_PATH, read all at once when the
build first asks for one and written a few dozen at a time as they are made:
a rebuild after one edit rewrites one entry, not the file. Pelican asks for
its files in no order (a set), and 5,000 lookups one at a time, at random
places in the file, took 0.13 s; one read of every entry takes 0.05 s. A
value is let go once it is given (a 20,000-article archive keeps about 200 MB
of articles), so the build's objects replace the cache's bytes as they are
made, rather than adding to them. The
changes of a build are committed when it saves the cache, entries for files
it did not ask about dropped, so a deleted article leaves nothing behind; a
build that fails before leaves the last build's cache as it was.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sqlite3

from . import incremental

logger = logging.getLogger(__name__)

FORMAT = 3  # 3: a cache of bytes keeps them as they are (as_bytes)
_INSERT = "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)"
# Entries are written this many at a time (some 500 kB of articles). Written one by one, between
# two files' reading, each write found SQLite's code and pages out of the processor's caches: the
# 10,000 writes of a cold 5,000-article build took 0.26 s, in batches 0.07 s.
WRITTEN_TOGETHER = 64


def stamp_of(path: str) -> tuple[int, int] | None:
    """(mtime_ns, size) of a file, None when it is missing; of an input file, as the build found
    it when it started (incremental.stamp_at_start)."""
    stamp = incremental.stamp_at_start(path)
    if stamp is not None:
        return stamp
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _validity(settings, extra) -> str | None:
    """A digest of what every entry depends on besides its own files, or None when incremental
    builds are off."""
    dependencies = incremental.dependencies_digest(settings)
    if dependencies is None:
        return None
    data = json.dumps([FORMAT, dependencies, extra], ensure_ascii=False)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def _dependencies_unchanged(encoded: str) -> bool:
    if encoded == "[]":  # most files have none: not one json.loads for each of 5,000 entries
        return True
    return all(stamp_of(path) == (tuple(stamp) if stamp else None) for path, stamp in json.loads(encoded))


_UNSAVED: dict = {}  # cache file -> the StampedCache of this process that has not saved it yet


class StampedCache:
    """`get(path)` gives what `put(path, value)` stored in this or the last build, while the
    file's stamp (and its dependencies') are unchanged."""

    def __init__(self, settings, name: str, extra=None, as_bytes: bool = False):
        """`as_bytes`: the values are bytes, kept as they are rather than pickled (the article
        cache's are pickled already: pickling them again copied 40 MB of a 5,000-article
        archive on every build, and unpickling copied them back)."""
        self.path = os.path.join(settings["CACHE_PATH"], f"newsarchive-{name}.sqlite")
        self.as_bytes = as_bytes
        self.validity = _validity(settings, [extra, as_bytes])
        self.loaded = False
        self._db: sqlite3.Connection | None = None
        self._used: set[str] = set()  # the paths this build asked about or stored
        self._pending: dict[str, tuple] = {}  # path -> the row `put` made, not written yet
        # path -> [mtime_ns, size, dependencies, pickled value, or None once given or when put by
        # this build]: every entry of the file, read at the first question, and those this build put.
        self._rows: dict[str, list] | None = None
        if self.validity is not None:
            self._open()

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _open(self):
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            # A build that failed in this process before saving still holds the write lock.
            unsaved = _UNSAVED.pop(self.path, None)
            if unsaved is not None:
                unsaved.abandon()
            db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,"
                       " dependencies TEXT, value BLOB)")
            db.execute("BEGIN IMMEDIATE")  # one build at a time writes this cache
            stored = db.execute("SELECT value FROM meta WHERE key = 'validity'").fetchone()
            # incremental.py may turn LOAD_CONTENT_CACHE off for Pelican's cache alone (it fits no
            # more); this cache has its own validity.
            if stored is None or stored[0] != self.validity or not incremental.BUILD.load_caches:
                db.execute("DELETE FROM entries")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('validity', ?)", (self.validity,))
            self.loaded = db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None
            self._db = db
            _UNSAVED[self.path] = self
        except sqlite3.Error as error:  # a damaged or locked cache: this build goes without
            logger.warning("Not using the cache %s: %s", self.path, error)

    def _all_rows(self) -> dict[str, list]:
        if self._rows is None:
            # A cache that started empty (a cold build) holds only what this build puts in it.
            query = "SELECT path, mtime_ns, size, dependencies, value FROM entries"
            self._rows = {row[0]: list(row[1:]) for row in self._db.execute(query)} if self.loaded else {}
        return self._rows

    def _row(self, path: str, stamp):
        if self._db is None:
            return None
        row = self._all_rows().get(path)
        if row is None:
            return None
        stamp = stamp if stamp is not None else stamp_of(path)
        if stamp is None or (row[0], row[1]) != stamp or not _dependencies_unchanged(row[2]):
            return None
        self._used.add(path)
        return row

    def holds(self, path: str, stamp=None) -> bool:
        """`get` would give a value."""
        return self._row(path, stamp) is not None

    def get(self, path: str, stamp=None):
        """The value kept for `path`, or None."""
        row = self._row(path, stamp)
        if row is None:
            return None
        value, row[3] = row[3], None
        if value is None:  # given once already, or put by this build: read from the file
            self._write_pending()
            found = self._db.execute("SELECT value FROM entries WHERE path = ?", (path,)).fetchone()
            if found is None:  # it could not be written (named then)
                return None
            value = found[0]
        return value if self.as_bytes else pickle.loads(value)

    def put(self, path: str, value, stamp=None, dependencies=()) -> None:
        """Keep `value` for `path` while it and the `dependencies` (paths) keep their stamps."""
        stamp = stamp if stamp is not None else stamp_of(path)
        if self._db is None or stamp is None:
            return
        encoded = json.dumps([(dependency, stamp_of(dependency)) for dependency in dependencies])
        data = value if self.as_bytes else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self._pending[path] = (path, stamp[0], stamp[1], encoded, data)
        # Known to be kept, its value left to the file: a cold build puts every article, whose
        # bytes held here until it ends would add a sixth to its peak memory.
        self._all_rows()[path] = [stamp[0], stamp[1], encoded, None]
        if len(self._pending) >= WRITTEN_TOGETHER:
            self._write_pending()

    def _write_pending(self) -> None:
        rows, self._pending = list(self._pending.values()), {}
        if not rows or self._db is None:
            return
        try:
            self._db.executemany(_INSERT, rows)
        except sqlite3.Error:
            # One at a time: every entry that can be kept is, and each one that cannot is named.
            for row in rows:
                try:
                    self._db.execute(_INSERT, row)
                except sqlite3.Error as error:  # a full disk, say: this build goes on without keeping it
                    logger.warning("Could not keep %s in the cache %s: %s", row[0], self.path, error)
                else:
                    self._used.add(row[0])
            return
        self._used.update(row[0] for row in rows)

    def abandon(self) -> None:
        """Leave the cache as the last saving build left it."""
        self._pending = {}
        db, self._db = self._db, None
        if db is not None:
            db.close()  # uncommitted: rolled back
        _UNSAVED.pop(self.path, None)

    def save(self) -> None:
        """Commit what this build stored; drop the entries of files it did not ask about."""
        self._write_pending()
        db, self._db = self._db, None
        _UNSAVED.pop(self.path, None)
        if db is None:
            return
        try:
            if self._rows is None or not self._rows.keys() <= self._used:
                # Entries of files this build did not ask about (deleted or renamed ones); a build
                # that asked about every file, as most do, has none and spares the 5,000 inserts.
                db.execute("CREATE TEMP TABLE used (path TEXT PRIMARY KEY)")
                db.executemany("INSERT INTO used VALUES (?)", ((path,) for path in self._used))
                db.execute("DELETE FROM entries WHERE path NOT IN (SELECT path FROM used)")
            db.execute("COMMIT")
        except sqlite3.Error as error:
            logger.warning("Could not save the cache %s: %s", self.path, error)
        finally:
            db.close()
