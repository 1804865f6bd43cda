"""Parse and read new and changed article files on both cores before Pelican reads them.

Pelican reads articles one by one; Markdown is most of a cold build's reading
time, and making the article (Pelican's metadata processing, the sanitizer,
picture sizes, word counts) most of the rest. When its generator starts
(article_generator_init, after the source checks), the files neither cache
holds are split in two halves, one for a forked copy of the process
(parallel.py). Each half is parsed first, its results stored in Pelican's
reader cache exactly as `Readers.read_file` stores them; then, when articles
are kept between builds (article_cache.py), each half's articles are made as
the generator will make them (`ArticleCache.read_ahead`), with the text
feeds and page heads take from each (`metadata.prepare_article_text`): the
pages are rendered in two processes, and each would otherwise parse again
the articles of the feeds it renders. The forked copy
sends back what article_cache.py keeps of them; the generator then gets
every article from here: the ones this process made, as they are, the other
half's from what was sent. Pelican's own loop runs as usual on them.

A file that fails to parse or to read, or whose reading logged anything, is
left to Pelican, which reads it again and reports it in its usual way. A file
whose parsing logged a warning is not kept between builds (article_cache.py),
so the next build parses it and shows the warning again.

Once Pelican has saved its reader cache (just before article_generator_finalized),
this build does not read it again; its copy of every parsed body (the
articles hold their own, sanitized) is let go rather than carried through
rendering: about a tenth of a 20,000-article build's memory.
"""
from __future__ import annotations

import logging
import os

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from . import article_cache, incremental, parallel, progress
from .metadata import absolute_base, prepare_article_text
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


def _stamp_each_file_once(cacher) -> None:
    """Pelican stamps a file (its mtime, or a hash of it) each time one of its caches (the
    readers', the generator's) is asked or given the file: six or seven times per file in a
    cold build, most of them in this process while the other core waits. The first stamp
    stands for the whole build. It is taken before the file is parsed, so a file edited
    during the build has another stamp by the next build, which parses it again."""
    stamps = {}
    if getattr(cacher, "_filestamp_func", None) is os.path.getmtime:  # CHECK_MODIFIED_METHOD "mtime"
        cacher._filestamp_func = _mtime_at_start
    stamp = cacher._get_file_stamp

    def stamp_once(filename):
        found = stamps.get(filename, _UNSTAMPED)
        if found is _UNSTAMPED:
            found = stamps[filename] = stamp(filename)
        return found

    cacher._get_file_stamp = stamp_once


_UNSTAMPED = object()


def _mtime_at_start(path: str) -> float:
    """os.path.getmtime(path), for an input file from the stamp the build took when it started
    (incremental.stamp_at_start): not one more os.stat of every article file."""
    stamp = incremental.stamp_at_start(path)
    if stamp is None:
        return os.path.getmtime(path)
    seconds, nanoseconds = divmod(stamp[0], 1_000_000_000)
    return seconds + nanoseconds * 1e-9  # the float os.stat makes of the same time


def warm_reader_cache(generator) -> None:
    """article_generator_init: parse (and read) what the caches lack, on both cores."""
    if not getattr(generator.readers, "_cache_data_policy", False):
        return  # Pelican's reader cache is off: nowhere to put the results
    for cacher in generator.readers, generator:
        _stamp_each_file_once(cacher)
    paths = _uncached(generator)
    if not parallel.can_fork(len(paths)):
        return  # Pelican reads them itself, as fast
    readers = generator.readers
    kept = article_cache.of(generator)
    read_ahead = kept is not None and kept.can_read_ahead(generator)
    settings = generator.settings
    absolute_base(settings)  # its warning about the site's address: once, here, not in each half

    def prepare(article):
        prepare_article_text(article, settings)

    def parse(path):
        try:
            with article_cache.RecordsSeen() as records:
                content, metadata = readers.readers[file_suffix(path)].read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
            return None
        return content, _filter_discardable_metadata(metadata), records.seen

    def parse_and_read(half):
        # All parsing first: its warnings show as they come. Then the articles, whose
        # records are held back (article_cache.read_ahead).
        parsed = [parse(path) for path in half]
        entries = [None] * len(half)
        if read_ahead:
            readable = [n for n, result in enumerate(parsed) if result is not None and not result[2]]
            for n in readable:
                readers.cache_data(half[n], parsed[n][:2])
            readable_paths = [half[n] for n in readable]
            for n, entry in zip(readable, kept.read_ahead(generator, readable_paths, prepare)):
                entries[n] = entry
        return list(zip(parsed, entries))

    # Two halves: each process parses its own, then reads its articles.
    read_there, forks_before = 0, parallel.forks
    for forked, (half, results) in enumerate(parallel.split_in_halves(paths, parse_and_read)):
        for path, (parsed, entry) in zip(half, results):
            if parsed is not None:
                content, metadata, warned = parsed
                readers.cache_data(path, (content, metadata))
                if warned and kept is not None:
                    kept.warned.add(path)  # shown now; kept nowhere, so shown again next time
            if entry is not None:
                kept.adopt(path, entry)
                read_there += forked
    if parallel.forks > forks_before:  # their content_object_init was the child's
        progress.PROGRESS.articles_read_elsewhere(read_there)
    logger.debug("Parsed %d article files on two cores", len(paths))


def release_reader_cache(generator) -> None:
    """article_generator_finalized: drop the in-memory reader cache, saved to disk already."""
    readers = generator.readers
    if getattr(readers, "_cache_data_policy", False) and isinstance(getattr(readers, "_cache", None), dict):
        readers._cache = {}
