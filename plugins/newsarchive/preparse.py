"""Parse new and changed article files on both cores before Pelican reads them.

Pelican reads articles one by one; Markdown is most of a cold build's reading
time. When its generator starts (article_generator_init, after the source
checks), the files its reader cache does not hold are parsed here, half in a
forked copy of the process (parallel.py), and stored in that cache exactly as
Pelican's `Readers.read_file` stores them. Pelican then finds every file
cached and builds its articles as usual: same signals, same objects.

A file that fails to parse is left out: Pelican parses it again itself and
reports the problem in its usual way. A file whose parsing logged a warning
is not kept between builds (article_cache.py), so the next build parses it
and shows the warning again.

Once Pelican has saved that cache (just before article_generator_finalized),
this build does not read it again; its copy of every parsed body (the
articles hold their own, sanitized) is let go rather than carried through
rendering: about a tenth of a 20,000-article build's memory.
"""
from __future__ import annotations

import logging
import os

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from . import article_cache, parallel
from .validate import article_files

logger = logging.getLogger(__name__)


def _uncached(generator) -> list[str]:
    readers = generator.readers
    kept = article_cache.of(generator)
    paths = []
    for relative in article_files(generator):
        path = os.path.abspath(os.path.join(generator.path, relative))
        if kept is not None and kept.serves(path):
            continue
        if file_suffix(path) in readers.readers and readers.get_cached_data(path, (None, None))[0] is None:
            paths.append(path)
    return paths


def warm_reader_cache(generator) -> None:
    """article_generator_init: parse what the reader cache lacks, on both cores."""
    if not getattr(generator.readers, "_cache_data_policy", False):
        return  # Pelican's reader cache is off: nowhere to put the results
    paths = _uncached(generator)
    if not parallel.can_fork(len(paths)):
        return  # Pelican reads them itself, as fast
    readers = generator.readers

    def parse(path):
        try:
            with article_cache.RecordsSeen() as records:
                content, metadata = readers.readers[file_suffix(path)].read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
            return None
        return content, _filter_discardable_metadata(metadata), records.seen

    kept = article_cache.of(generator)
    for path, parsed in zip(paths, parallel.split(paths, parse)):
        if parsed is not None:
            content, metadata, warned = parsed
            readers.cache_data(path, (content, metadata))
            if warned and kept is not None:
                kept.warned.add(path)  # shown now; kept nowhere, so shown again next time
    logger.debug("Parsed %d article files on two cores", len(paths))


def release_reader_cache(generator) -> None:
    """article_generator_finalized: drop the in-memory reader cache, saved to disk already."""
    readers = generator.readers
    if getattr(readers, "_cache_data_policy", False) and isinstance(getattr(readers, "_cache", None), dict):
        readers._cache = {}
