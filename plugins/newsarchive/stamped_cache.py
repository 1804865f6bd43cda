"""Results computed from one source file, kept between builds while the file is unchanged.

Pelican's reader cache keeps a file's parsed body and metadata; everything
built from them (the article object with its URLs and dates, the sanitized
body, the source checks' findings) is made again on every build, for every
file: at 5,000 articles about two seconds of a rebuild after one edit. A
`StampedCache` keeps such results per file, with the file's (mtime, size),
and gives one back only while that stamp is the same.

A result also depends on the code that made it and the settings it used. The
whole cache is therefore tied to the build's settings digest, the library
versions and the stamps of the plugin files (as recorded by incremental.py):
when any of them changes, nothing is reused. It is also off when incremental
builds are (INCREMENTAL_BUILD = False, publishconf.py), and not read when
the settings turn LOAD_CONTENT_CACHE off, as Pelican's own cache is not.

Entries for files this build did not ask about are dropped when the cache is
saved, so a deleted article leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle

from . import incremental

logger = logging.getLogger(__name__)

FORMAT = 1


def stamp_of(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _validity(settings, extra) -> str | None:
    """A digest of what every entry depends on besides its own file, or None when incremental
    builds are off."""
    inputs = incremental.BUILD.inputs
    if inputs is None or not incremental.enabled(settings):
        return None
    roots = tuple(os.path.abspath(folder) + os.sep for folder in settings.get("PLUGIN_PATHS", []) if folder)
    code = sorted((path, stamp) for path, stamp in inputs["files"].items() if path.startswith(roots))
    data = json.dumps([FORMAT, inputs["settings"], inputs["libraries"], code, extra], ensure_ascii=False)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


class StampedCache:
    """`get(path)` gives what `put(path, value)` stored in this or the last build, while the
    file's stamp is unchanged."""

    def __init__(self, settings, name: str, extra=None):
        self.path = os.path.join(settings["CACHE_PATH"], f"newsarchive-{name}.pickle")
        self.validity = _validity(settings, extra)
        self._previous: dict = {}  # path -> (stamp, value), from the last build
        self._current: dict = {}  # what this build used or stored
        self._changed = False
        # incremental.py may turn LOAD_CONTENT_CACHE off for Pelican's cache alone (it fits no
        # more); this cache has its own validity.
        if self.validity is not None and incremental.BUILD.load_caches:
            self._previous = self._load()
        self.loaded = bool(self._previous)
        self._changed = not self._previous  # a first build writes the cache

    @property
    def enabled(self) -> bool:
        return self.validity is not None

    def _load(self) -> dict:
        try:
            with open(self.path, "rb") as handle:
                validity, entries = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception as error:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
            logger.debug("Ignoring the cache %s: %s", self.path, error)
            return {}
        return entries if validity == self.validity else {}

    def get(self, path: str, stamp=None):
        """The value kept for `path`, or None."""
        if not self.enabled:
            return None
        stamp = stamp if stamp is not None else stamp_of(path)
        entry = self._previous.get(path)
        if entry is None or stamp is None or entry[0] != stamp:
            return None
        self._current[path] = entry
        return entry[1]

    def put(self, path: str, value, stamp=None) -> None:
        stamp = stamp if stamp is not None else stamp_of(path)
        if not self.enabled or stamp is None:
            return
        self._current[path] = (stamp, value)
        self._changed = True

    def save(self) -> None:
        """Write what this build used and stored (atomically); nothing when that is what is on disk."""
        if not self.enabled:
            return
        if not self._changed and self._current.keys() == self._previous.keys():
            self._previous = self._current = {}
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                pickle.dump((self.validity, self._current), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError as error:
            logger.warning("Could not save the cache %s: %s", self.path, error)
        # The values are not needed once saved; a large archive's copy is let go.
        self._previous = self._current = {}
