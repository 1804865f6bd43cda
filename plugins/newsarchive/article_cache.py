"""Articles kept between builds as Pelican's reader and the per-file plugins left them.

Pelican's reader cache spares a rebuild the Markdown parsing, but not the
rest of `Readers.read_file`: for every file it builds the article again
(metadata processors, dates from file names, URL formats for `is_valid`),
and the `content_object_init` receivers sanitize its body, size its images
and count its words again. At 5,000 articles that is about a second of a
rebuild after one edit, spent making objects equal to the last build's.

Here `Readers.read_file` of the articles generator is wrapped: an article
whose file (and every local picture its body shows) has the same stamp as
when it was read is rebuilt from a pickled copy of its fields, taken as
`read_file` returned it. Everything Pelican and the plugins do after
reading (validity checks, translations, sections, URLs, checks) runs as
usual on it. Shared objects (the settings, the generators' context) are not
copied: the restored article gets this build's.

The same pickled copy carries a new article from a forked copy of the build:
preparse.py reads new and changed files on both cores ahead of the generator
(`read_ahead`), and the generator gets the forked half's articles restored
from their entries (`adopt`).

Not kept, so read again on every build: an article whose reading or parsing
logged anything (its warnings must show on every build; it is left out of
Pelican's reader cache too), a draft when
WITH_FUTURE_DATES is off (it becomes published on its date), anything when
a receiver of `article_generator_context` could change the metadata.
The validity of the whole cache (settings, plugin code, libraries) is
stamped_cache.py's.
"""
from __future__ import annotations

import copyreg
import functools
import io
import logging
import os
import pickle

from pelican import signals
from pelican.contents import Article, Content
from pelican.urlwrappers import URLWrapper

from . import frozen_urls, images
from .stamped_cache import StampedCache, stamp_of

logger = logging.getLogger(__name__)

_SHARED = ("settings", "_context")  # the build's own, never copied into an entry


def _term_classes(base=URLWrapper):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _term_classes(subclass)


def _restore_term(term_class, fields: dict, settings):
    term = term_class.__new__(term_class)
    term.__dict__.update(fields)
    term.settings = settings
    return term


class _Pickler(pickle.Pickler):
    """Pickles an article's fields with references to the build's settings and context.

    A tag's, category's or author's settings may be a copy (the one in Pelican's reader cache):
    it is left out and the term gets the build's settings back.

    One pickler serves a whole build (`dumps`, its memo cleared after each article): making one
    per article, with its table of term classes, was a seventh of the time of pickling, and the
    slugs it made could not be reused."""

    def __init__(self, shared: dict):
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared
        self._shared = {id(value): name for name, value in shared.items()}
        settings = shared["settings"]
        slugs: dict = {}  # (term class, name) -> the slug Pelican made for it with these settings

        def reduce_term(term):
            # The slug is made once and kept with the term: Pelican hashes terms by slug. A tag is
            # on hundreds of articles, each with its own Tag: the slug made for the first one, with
            # the same settings, is given to the others as Pelican's property would store it (not
            # an empty one: Pelican warns about each).
            if term._slug is None and term.settings is settings:
                key = (type(term), term.name)
                slug = slugs.get(key)
                if slug:
                    term._slug = slug
                else:
                    slugs[key] = term.slug
            term.slug  # noqa: B018
            return _restore_term, (type(term), {name: value for name, value in vars(term).items()
                                                if name != "settings"}, settings)

        self.dispatch_table = {**copyreg.dispatch_table, **{cls: reduce_term for cls in _term_classes()}}

    def persistent_id(self, obj):
        return self._shared.get(id(obj))

    def dumps(self, obj) -> bytes:
        try:
            self.dump(obj)
            return self._buffer.getvalue()
        finally:
            self.clear_memo()
            self._buffer.seek(0)
            self._buffer.truncate()


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict):
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid):
        return self._shared[pid]


def _dumps(article, pickler: _Pickler) -> bytes:
    # Its addresses follow from what was read and the settings. They are frozen (frozen_urls.py)
    # on the article now, as it comes back from the cache in the next build: neither Pelican's
    # validity check nor frozen_urls.freeze formats them again, in this build or the next.
    article.override_url, article.__dict__[frozen_urls.FROZEN_SAVE_AS] = frozen_urls.addresses(article)
    fields = {name: value for name, value in vars(article).items() if name not in _SHARED}
    return pickler.dumps((type(article).__name__, fields))


def _restore(content_class, blob: bytes, shared: dict):
    """The article `blob` (from `_dumps`) holds, or None when it was kept as another class."""
    class_name, fields = _Unpickler(io.BytesIO(blob), shared).load()
    if class_name != content_class.__name__:
        return None
    article = content_class.__new__(content_class)
    article.__dict__.update(fields)
    article.settings = shared["settings"]
    article._context = shared["_context"]
    return article


class RecordsSeen(logging.Handler):
    """Whether reading a file logged anything that a later build would have to show again.

    Watches the root logger and Pelican's, whose records reach the root only while it
    propagates: `with RecordsSeen() as records: ...`, then `records.seen`."""

    WATCHED = ("", "pelican")

    def __init__(self):
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record):
        self.seen = True

    def __enter__(self):
        for name in self.WATCHED:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *_exception):
        for name in self.WATCHED:
            logging.getLogger(name).removeHandler(self)


class _Muted:
    """While files are read ahead of Pelican (`ArticleCache.read_ahead`), log records are only
    noted, never shown: a file that logged anything is read again by Pelican itself, and its
    records are shown then, in their place. The loggers' filters are set aside too: Pelican's
    drops a message it has seen before, and would then drop the one that must be shown.
    `with _Muted() as records: ...`, then `records.seen`."""

    def __enter__(self):
        self.records = RecordsSeen()
        loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict.values()
                                          if isinstance(logger, logging.Logger))]
        self._saved = [(logger, logger.handlers, logger.filters, logger.propagate) for logger in loggers]
        for logger in loggers:
            logger.handlers, logger.filters, logger.propagate = [self.records], [], False
        return self.records

    def __exit__(self, *_exception):
        for logger, handlers, filters, propagate in self._saved:
            logger.handlers, logger.filters, logger.propagate = handlers, filters, propagate


class ArticleCache:
    def __init__(self, readers, settings, kept: StampedCache):
        self.readers = readers
        self.settings = settings
        self.kept = kept
        self.read_file = readers.read_file  # Pelican's
        self.warned: set[str] = set()  # files whose parsing logged something (preparse.py parsed them)
        self.read_ahead_of: dict[str, object] = {}  # path -> its article, or its kept entry, read ahead
        self.reused = self.stored = 0
        self._pickler: _Pickler | None = None

    def _pickler_for(self, context) -> _Pickler:
        pickler = self._pickler
        if pickler is None or pickler.shared["_context"] is not context:
            pickler = self._pickler = _Pickler({"settings": self.settings, "_context": context})
        return pickler

    def _forget_parsed(self, path: str):
        parsed = getattr(self.readers, "_cache", None)  # Pelican's reader cache, in memory until saved
        if isinstance(parsed, dict):
            parsed.pop(path, None)

    def serves(self, path: str) -> bool:
        """This build will give `path`'s article from the cache (preparse.py need not parse it)."""
        return self.kept.holds(path)

    def wrapped_read_file(self, base_path, path, content_class=Content, fmt=None, context=None,
                          preread_signal=None, preread_sender=None, context_signal=None, context_sender=None):
        arguments = dict(content_class=content_class, fmt=fmt, context=context, preread_signal=preread_signal,
                         preread_sender=preread_sender, context_signal=context_signal,
                         context_sender=context_sender)
        if context is None or (context_signal is not None and context_signal.receivers):
            return self.read_file(base_path, path, **arguments)
        full_path = os.path.abspath(os.path.join(base_path, path))
        shared = {"settings": self.settings, "_context": context}
        ahead = self.read_ahead_of.pop(full_path, None)
        if ahead is not None and context is self.context_read_ahead:
            if isinstance(ahead, Content):
                if type(ahead) is content_class:
                    return ahead  # read in this process, signals and all
            else:
                article = _restore(content_class, ahead, shared)
                if article is not None:
                    if preread_signal is not None:
                        preread_signal.send(preread_sender)
                    return article
        stamp = stamp_of(full_path)
        entry = self.kept.get(full_path, stamp)
        article = None if entry is None else _restore(content_class, entry, shared)
        if article is not None:
            if preread_signal is not None:
                preread_signal.send(preread_sender)
            self.reused += 1
            return article
        with RecordsSeen() as records:
            article = self.read_file(base_path, path, **arguments)
        if records.seen or full_path in self.warned:
            # Its warnings must show again: Pelican's cache must not spare the next build the parsing.
            self._forget_parsed(full_path)
            return article
        # Exactly the class asked for: Pelican answers `Status: skip` with a SkipStub, read every time.
        if type(article) is content_class and self._keepable(article):
            try:
                blob = _dumps(article, self._pickler_for(context))
            except Exception as error:  # noqa: BLE001 - a field that cannot be pickled: read it every time
                logger.debug("Not keeping %s between builds: %s", full_path, error)
                return article
            self.kept.put(full_path, blob, stamp, dependencies=images.local_image_paths(article))
            self.stored += 1
        return article

    context_read_ahead = None

    def can_read_ahead(self, generator) -> bool:
        """Whether preparse.py may read the generator's articles before it: not when a receiver of
        article_generator_context could change their metadata (it must see them in order)."""
        return not signals.article_generator_context.receivers

    def read_ahead(self, generator, full_paths: list, prepare=None) -> list:
        """Read article files as the generator will, before it asks (preparse.py, on both cores;
        their parsed text is in Pelican's reader cache). For each, the entry to keep between
        builds (the pickled article, its stamp and pictures), or None when the generator must
        read it itself: reading it (or `prepare(article)`, run on each article before it is
        pickled) logged something (shown then, not now), raised, or gave what is not kept.
        In this process the articles themselves wait for the generator; a forked copy's
        entries are taken with `adopt`."""
        context = self.context_read_ahead = generator.context
        pickler = self._pickler_for(context)
        entries = []
        with _Muted() as records:
            for full_path in full_paths:
                records.seen = False
                stamp = stamp_of(full_path)
                try:
                    article = self.read_file(generator.path, full_path, context=context,
                                             **as_the_articles_generator(generator))
                    keep = type(article) is Article and self._keepable(article)
                    if keep and prepare is not None:
                        prepare(article)
                    keep = keep and not records.seen
                    blob = _dumps(article, pickler) if keep else None
                except Exception:  # noqa: BLE001 - the generator reads it again and reports it
                    blob = None
                if blob is None:
                    entries.append(None)
                    continue
                self.read_ahead_of[full_path] = article
                entries.append((blob, stamp, images.local_image_paths(article)))
        return entries

    def adopt(self, full_path: str, entry) -> None:
        """Keep an entry `read_ahead` made (here or in the forked copy); the generator gets the
        article from it (or the one read here)."""
        blob, stamp, pictures = entry
        self.read_ahead_of.setdefault(full_path, blob)
        self.kept.put(full_path, blob, stamp, dependencies=pictures)
        self.stored += 1

    def _keepable(self, article) -> bool:
        # Pelican makes a future-dated article a draft when it reads it; on its date it is published.
        return self.settings.get("WITH_FUTURE_DATES", True) or getattr(article, "status", "") != "draft"


def as_the_articles_generator(generator) -> dict:
    """The arguments (but the paths and context) Pelican's articles generator reads a file with."""
    return dict(content_class=Article, preread_signal=signals.article_generator_preread, preread_sender=generator,
                context_signal=signals.article_generator_context, context_sender=generator)


class _ThisBuild:
    kept: StampedCache | None = None
    reader_cache_unused = False


THIS_BUILD = _ThisBuild()


def open_for_build(pelican) -> None:
    """initialized, after incremental.start: load the cache; when it holds this build's articles,
    Pelican's reader cache is neither loaded nor saved.

    Its bodies would only be read for files that changed, which must be parsed anyway: at
    20,000 articles it is a few hundred megabytes to load and to write back on every build.
    The file stays as the last build that used it left it (its entries carry their file's
    stamp, so a changed file is never taken from it), for a build this cache cannot serve
    (after a change of plugin code): that build parses again every file changed since."""
    settings = pelican.settings
    kept = StampedCache(settings, "articles", as_bytes=True)
    THIS_BUILD.kept = kept if kept.enabled else None
    THIS_BUILD.reader_cache_unused = kept.enabled and kept.loaded and bool(settings.get("LOAD_CONTENT_CACHE"))
    if THIS_BUILD.reader_cache_unused:
        settings["LOAD_CONTENT_CACHE"] = False


def install(generator) -> None:
    """article_generator_init: serve unchanged articles from the cache (before preparse.py)."""
    kept = THIS_BUILD.kept
    if kept is None:
        return
    readers = generator.readers
    cache = ArticleCache(readers, generator.settings, kept)
    readers.read_file = cache.wrapped_read_file
    readers.article_cache = cache
    generator.add_source_path = functools.partial(_add_source_path, generator)
    if THIS_BUILD.reader_cache_unused:
        # Not loaded, so it holds only what this build parsed: saving would drop the rest.
        readers.save_cache = _leave_reader_cache_file


def _add_source_path(generator, content, static=False):
    """Pelican's Generator.add_source_path, with the path the article was given when it was read.

    Pelican works the path out again with os.path.relpath (about 0.03 s of a 5,000-article
    build, before anything can run on the other core). Content.__init__ has set it already,
    from the same PATH: a kept article is only reused with the settings it was read with
    (stamped_cache.py)."""
    location = getattr(content, "relative_source_path", None) or content.get_relative_source_path()
    generator.context["static_content" if static else "generated_content"][location] = content


def _leave_reader_cache_file():
    pass


def of(generator) -> ArticleCache | None:
    return getattr(generator.readers, "article_cache", None)


def save(generator) -> None:
    """article_generator_finalized: keep what this build read and reused, for the next one."""
    cache = of(generator)
    if cache is None:
        return
    logger.debug("Articles kept between builds: %d reused, %d stored", cache.reused, cache.stored)
    cache.kept.save()
    THIS_BUILD.kept = None
