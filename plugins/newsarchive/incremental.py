"""Rebuilds that do only what changed, and leave the same site a cold build would.

Four parts, each safe on its own:

- `IncrementalWriter` (Pelican's `get_writer` signal) renders pages as
  Pelican's Writer does but writes a file only when its bytes differ from
  the file on disk, so unchanged pages keep their mtime (rsync, the live
  preview and browsers' caches see only real changes). It still sends
  `content_written` for an unchanged page: the page is part of this build
  (the sitemap and the article ledger count it).
- Render keys: before rendering a page (or a feed, or a calendar) the writer
  digests what it shows (fingerprint.py) with the site-wide inputs; when the
  key equals the last build's and the file is as that build left it, the
  page is not rendered at all. One edited article re-renders the pages that
  show it, not the whole site. The pages that are rendered are queued
  (`produce`) and made in batches on both cores (parallel.py).
- A build manifest in CACHE_PATH: a fingerprint of every input (content
  files, theme, plugins, the settings' values, library versions, the day when
  events depend on it) and the stat of every file the build produced. When
  nothing changed and those files are still as the build left them,
  `up_to_date()` says so and `runner.build` does nothing at all but show
  the warnings that build logged again (`last_warnings`).
- Stale files: with DELETE_OUTPUT_DIRECTORY off, the page of a deleted or
  renamed article would stay in output/. Files the previous build produced
  and this one did not are deleted, so output/ equals a cold build.

INCREMENTAL_BUILD = False (publishconf.py: every release is a fresh folder)
turns the manifest, the render keys and the stale-file cleanup off; the
writer still renders on both cores and skips identical bytes.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import hashlib
import io
import json
import logging
import marshal
import os
import re
import sys
import time
from importlib import metadata as package_metadata
from stat import S_ISDIR

from pelican.contents import Content
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from . import parallel
from .errors import WarningRecorder
from .files import replace_if_changed
from .fingerprint import PAGE_DEPTH, Fingerprinter

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 4  # 3: the manifest keeps the build's warnings; 4: in marshal's format
MARSHAL_FORMAT = 4  # of the manifest (read_manifest) and of what is digested with it
# Libraries whose version changes what a build writes.
LIBRARIES = ("pelican", "markdown", "jinja2", "babel", "feedgenerator", "nh3", "icalendar", "lxml", "pagefind",
             "pillow")


# ---- writing only what changed ----------------------------------------------------------------

class _Build:
    """What the running build produced (absolute paths) and when it started."""

    def __init__(self):
        self.reset(None)

    def reset(self, settings):
        self.end_unfinished()  # of a build that raised
        self.settings = settings
        self.started_ns = time.time_ns()
        self.produced: set[str] = set()
        self.previous: dict | None = None
        self.inputs: dict | None = None
        self.unchanged_assets: dict[str, tuple[str, int]] = {}  # theme asset -> (source, mtime before the copy)
        self.output_abs: str | None = None  # abspath of OUTPUT_PATH (pages' paths are under it), keys on
        self.render_keys: dict[str, str] = {}  # output relpath -> key, for this build's manifest
        self.reusable_keys: dict[str, str] = {}  # the last complete build's keys, when its files may be kept
        # The last build's files found missing or changed when this build started (`_check_outputs`),
        # or None: each is then stat'ed when its page is decided.
        self.altered_outputs: set[str] | None = None
        self.checking_outputs: parallel.Forked | None = None
        self.load_caches = False  # LOAD_CONTENT_CACHE as the settings asked (stamped_cache.py)
        self.fingerprinter = Fingerprinter()
        self.site_digest: str | None = None
        self.rendered = self.reused = 0
        self.existing_folders: set[str] = set()  # folders of the pages kept as they are (lean_writer.py)
        self.input_stamps: dict[str, list] = {}  # input file -> [mtime_ns, size] when the build started
        self.kept: set[str] = set()  # output relpaths of those pages, as the last manifest records them
        self.queue: list = []  # (path, function making its bytes): see produce()
        self.queued: dict[str, int] = {}  # path -> its place in the queue
        self.articles: list = []  # every article, to digest before the pages (digest_articles)
        self.static_generators: list = []  # their files are produced where they end up (record_static)
        self.related: dict[str, list] = {}  # lang -> [what they were linked from, places]: related.py
        self.dependencies: tuple | None = None  # (inputs, plugin paths, digest): dependencies_digest

    def render_keys_on(self) -> bool:
        return self.output_abs is not None

    def end_unfinished(self) -> None:
        """What a build that raised leaves: forked copies still working, its warning recorder."""
        parallel.abandon_all()
        self.rendering: parallel.Forked | None = None  # a forked copy rendering part of a batch (_run_batch)
        self.rendering_paths: set[str] = set()  # what it writes
        # A forked copy writes some generators' pages meanwhile (split_output.py): while it and
        # this process both work, both cores are busy, and each renders its files without
        # forking more. `partner_busy()` says whether the other one still works; once it does
        # not, the batches left are shared with a new fork again, as without the split.
        self.partner_busy = None
        if getattr(self, "warnings", None) is not None:
            self.warnings.remove()
        self.warnings: WarningRecorder | None = None  # what this build logs, for the manifest


def abandon() -> None:
    """The build raised (runner.build): nothing of it may go on behind the caller's back."""
    BUILD.end_unfinished()
    BUILD.existing_folders.clear()  # lean_writer.py must not take them as made for another build
    BUILD.input_stamps = {}  # nor stamp_at_start a later build's files


BUILD = _Build()


# ---- skipping what is unchanged ---------------------------------------------------------------

def code_stamps(folders) -> list:
    """(path, stamp) of this build's input files under `folders` (theme, plugins), sorted."""
    roots = tuple(os.path.abspath(folder) + os.sep for folder in folders if folder)
    return sorted((path, stamp) for path, stamp in BUILD.inputs["files"].items() if path.startswith(roots))


def _site_digest(context) -> str:
    """What every page shows or depends on: settings, theme and plugin code, libraries, the day,
    the language sections (every page links them)."""
    if BUILD.site_digest is None:
        settings, inputs = BUILD.settings, BUILD.inputs
        code = code_stamps([settings["THEME"], *settings.get("PLUGIN_PATHS", [])])
        sections = BUILD.fingerprinter.digest(context.get("sections") or {}, 0)
        BUILD.site_digest = BUILD.fingerprinter.digest(
            ("site", inputs["settings"], inputs["libraries"], inputs["day"], code, sections), 0)
    return BUILD.site_digest


def stamp_at_start(path: str) -> tuple[int, int] | None:
    """(mtime_ns, size) of an input file (content, theme, plugins) as the running build found it
    when it started (input_fingerprint), or None for another file or outside a build.

    The caches ask for the stamp of every article file several times (its checks, its kept
    article, Pelican's reader and generator caches): each an os.stat, some 0.1 s of a
    5,000-article rebuild, before anything runs on the other core. A stamp taken before the
    file is read stands for the whole build: a file edited meanwhile has another stamp by the
    next build, which reads it again."""
    stamp = BUILD.input_stamps.get(path)
    return None if stamp is None else (stamp[0], stamp[1])


def dependencies_digest(settings) -> str | None:
    """A digest of what the results kept between builds depend on besides their own inputs: the
    settings' values, the library versions and the plugin code (stamped_cache.py's entries, the
    related reports). None outside a build or with incremental builds off. Found once a build."""
    inputs = BUILD.inputs
    if inputs is None or not enabled(settings):
        return None
    plugin_paths = list(settings.get("PLUGIN_PATHS", []))
    known = BUILD.dependencies
    if known is None or known[0] is not inputs or known[1] != plugin_paths:
        data = json.dumps([inputs["settings"], inputs["libraries"], code_stamps(plugin_paths)], ensure_ascii=False)
        known = BUILD.dependencies = (inputs, plugin_paths,
                                      hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest())
    return known[2]


def related_key(linked_from) -> str | None:
    """What a section's related reports were linked from (related.link_or_reuse), with what every
    kept result depends on; None when nothing is kept between builds."""
    dependencies = None if BUILD.settings is None else dependencies_digest(BUILD.settings)
    if dependencies is None:
        return None
    return hashlib.blake2b(marshal.dumps((dependencies, linked_from), MARSHAL_FORMAT), digest_size=16).hexdigest()


def last_related(lang: str, key: str | None) -> list | None:
    """The related reports of `lang`'s section as the last build linked them (for each article,
    the places of its related reports in the section), when it linked them under the same `key`."""
    kept = ((BUILD.previous or {}).get("related") or {}).get(lang)
    if key is None or kept is None or kept[0] != key:
        return None
    return kept[1]


def keep_related(lang: str, key: str | None, places: list) -> None:
    """Keep a section's related reports for the next build (saved with the manifest)."""
    if key is not None:
        BUILD.related[lang] = [key, places]


def _reusable(path: str, relpath: str, key: str) -> bool:
    """The last build wrote this file from the same key, and nobody has touched it since."""
    if BUILD.reusable_keys.get(relpath) != key or path in BUILD.produced:  # written over by this build
        return False
    if BUILD.altered_outputs is not None:
        return relpath not in BUILD.altered_outputs
    recorded = BUILD.previous.get("outputs", {}).get(relpath)
    try:
        stat = os.stat(os.path.join(BUILD.output_abs, relpath))
    except OSError:
        return False
    return recorded == [stat.st_mtime_ns, stat.st_size]


def remember_articles(generators) -> None:
    """all_generators_finalized: the articles whose digests every page will need (digest_articles)."""
    from .frozen_urls import CONTENT_LISTS  # the generators' lists of articles

    BUILD.articles = [content for generator in generators for name in CONTENT_LISTS
                      for content in getattr(generator, name, None) or () if isinstance(content, Content)]


def digest_articles() -> None:
    """The own fields and the card of every article digested at once, half in a forked copy
    (parallel.py): every page that shows an article needs them, and on a rebuild after one
    edit the 5,000 of a 5,000-article archive are most of the time spent deciding what to render.

    Done when Pelican asks for its writer (get_writer): after every receiver of
    all_generators_finalized and after Pelican has resolved the links in the summaries, so
    the articles are as the pages will show them. An article whose body links other content
    ({static}, {attach}…) is digested here: resolving such a link moves an attached file,
    which must happen in this process."""
    articles, BUILD.articles = BUILD.articles, []
    if not BUILD.render_keys_on():
        return
    linking, others = [], []
    for article in articles:
        (linking if "{" in (getattr(article, "_content", None) or "") else others).append(article)
    BUILD.fingerprinter.remember(linking, fork=False)
    BUILD.fingerprinter.remember(others)


def unchanged(path: str, context, shown, depth: int = PAGE_DEPTH) -> bool:
    """True when `path` need not be produced again: what it shows (`shown`) and the site are as
    the last build saw them and the file is intact. The file then counts as produced."""
    if not BUILD.render_keys_on():
        return False
    path = os.path.abspath(path)
    relpath = path[len(BUILD.output_abs) + 1:] if path.startswith(BUILD.output_abs + os.sep) else path
    key = BUILD.fingerprinter.digest((_site_digest(context), relpath, shown), depth)
    BUILD.render_keys[relpath] = key
    if _reusable(path, relpath, key):
        BUILD.produced.add(path)
        BUILD.kept.add(relpath)
        BUILD.existing_folders.add(os.path.dirname(path))
        BUILD.reused += 1
        return True
    BUILD.rendered += 1
    return False


# Page variables whose article counts the templates print (taxonomy, archive, terms pages).
COUNTED_VARIABLES = ("listing", "listings", "months")
# Templates that show more of a language section than its address: its counts, its lists of
# terms and periods (tests/test_render_keys.py keeps this in step with the templates).
SECTION_SHOWN_IN_FULL = {"chooser.html": ("sections",), "archive_index.html": ("section",),
                         "search.html": ("section",)}


# What Pelican's writer sets in a page's variables besides the ones it is given
# (Writer.write_file's _get_localcontext), and, for each paginated list, its pager's.
WRITER_VARIABLES = frozenset({"SITEURL", "localsiteurl", "output_file"})
PAGER_VARIABLES = ("{}_paginator", "{}_page", "{}_previous_page", "{}_next_page")


def own_variables(localcontext, context, given, candidates) -> dict:
    """A page's own variables: those it is given, and those whose value is not the site's.

    Only `candidates` (given, set by the writer, a pager's) can differ from the site-wide
    context: looking at those rather than at every one of the context's hundreds of names
    is most of the cost of deciding that a page is unchanged (tests/test_render_keys.py
    checks on whole builds that no other name differs)."""
    own = {}
    for name in candidates:
        if name in localcontext:
            value = localcontext[name]
            if name in given or context.get(name, _ABSENT) is not value:
                own[name] = value
    own.pop("localsiteurl", None)  # the page's SITEURL, digested as such
    return own


_ABSENT = object()


class _RenderIfChanged:
    """A template that renders only when the page's key changed; otherwise the writer keeps the file."""

    def __init__(self, template, writer, context, given=frozenset(), candidates=frozenset()):
        self._template, self._writer, self._context = template, writer, context
        self._given, self._candidates = given, candidates
        self.name = template.name

    def render(self, localcontext):
        own = own_variables(localcontext, self._context, self._given, self._candidates)
        if "articles_page" in own and "articles" in own:
            # The whole list is there for the paginator; the page shows `articles_page`, of the
            # paginator how many pages it makes, and of the pages before and after it only their
            # addresses (pager.html). Not how many articles the list holds: a report added far
            # down the list leaves the pages before its place as they are. No template reads
            # `articles` (tests/test_render_keys.py fails if one does).
            del own["articles"]
            for name in ("articles_previous_page", "articles_next_page"):
                neighbour = own.get(name)
                if neighbour is not None:
                    own[name] = ("page", neighbour.number, neighbour.url, neighbour.save_as)
        # Counts shown: of the page's own listings, and of the sections the template shows in full.
        fingerprinter = BUILD.fingerprinter
        counts = {name: fingerprinter.counts(value) for name, value in own.items() if name in COUNTED_VARIABLES}
        for name in SECTION_SHOWN_IN_FULL.get(self.name, ()):
            counts[name] = fingerprinter.counts(localcontext.get(name))
        path = sanitised_join(self._writer.output_path, localcontext["output_file"])
        if unchanged(path, self._context, (self.name, own, counts)):
            return _KEEP
        return _Deferred(self._template, localcontext, self._context)


class _Keep:
    """What an unchanged page renders to: the file on disk stays as it is."""


_KEEP = _Keep()


class _Deferred:
    """A page to render when the queue is run (`produce`), as Pelican's writer would render it now."""

    def __init__(self, template, localcontext, context):
        self.template, self.localcontext, self.context = template, localcontext, context

    def render(self) -> str:
        # Pelican sets the site-wide `localsiteurl` before each render: an article's body
        # resolves its intra-site links against it.
        if self.localcontext["localsiteurl"]:
            self.context["localsiteurl"] = self.localcontext["localsiteurl"]
        return self.template.render(self.localcontext)


def write_if_changed(path: str, data: bytes) -> bool:
    """Write `data` to `path` unless the file already holds exactly these bytes; True if written."""
    path = os.path.abspath(path)
    _produced_anew(path)
    return replace_if_changed(path, data)


def _produced_anew(path: str) -> None:
    BUILD.produced.add(path)
    if BUILD.kept and BUILD.output_abs and path.startswith(BUILD.output_abs + os.sep):
        # A page kept earlier in the build whose file is now written over (override_output).
        BUILD.kept.discard(path[len(BUILD.output_abs) + 1:])


# ---- rendering on both cores ------------------------------------------------------------------
# Pages, feeds and calendars that must be produced are queued with the function that makes
# their bytes, and made in batches, part of each batch in a forked copy (parallel.py). A batch
# is bounded so the queued template contexts (shallow copies) stay small next to the site
# itself, and large because each fork costs the copying of the pages the child touches.
BATCH = 2000
# The copy goes on rendering its part of a batch while this process makes the next batch's
# contexts and keys (Pelican's writer, render keys), work the copy cannot share: the copy
# takes the larger part, and this process waits for it only when the next batch is full.
# At 5,000 articles, Pelican's writer takes about a tenth of the writing phase's time.
OWN_SHARE = 0.4
# While a forked copy writes other generators' pages (split_output.py), each process renders
# its queue itself, in smaller batches, and asks after every few files whether the other is
# done: the files left then are shared with a new fork.
SPLIT_BATCH = 500
BETWEEN_QUESTIONS = 50


def produce(path: str, make_bytes) -> None:
    """Write make_bytes() to `path` if the bytes differ, now or with the next batch.

    A page that overrides a file another one wrote (Pelican's override_output) is the
    file's last version: it replaces the queued one, or waits for the copy writing it.
    """
    path = os.path.abspath(path)
    _produced_anew(path)
    if path in BUILD.rendering_paths:
        _wait_for_the_copy()
    place = BUILD.queued.get(path)
    if place is not None:
        BUILD.queue[place] = (path, make_bytes)
        return
    BUILD.queued[path] = len(BUILD.queue)
    BUILD.queue.append((path, make_bytes))
    if len(BUILD.queue) >= (SPLIT_BATCH if BUILD.partner_busy else BATCH):
        _run_batch()


def _take_queue() -> list:
    queue, BUILD.queue, BUILD.queued = BUILD.queue, [], {}
    return queue


def _make_and_write(job):
    path, make_bytes = job
    replace_if_changed(path, make_bytes())


def _make_all(jobs) -> None:
    """Produce these queued files in this process."""
    for job in jobs:
        _make_and_write(job)


def _run_batch() -> None:
    """Produce the queued files: this process's share now, the copy's while this one goes on."""
    queue = _take_queue()
    _wait_for_the_copy()
    queue = _make_while_partner_busy(queue)
    if not parallel.can_fork(len(queue)):
        _make_all(queue)
        return
    own = int(len(queue) * OWN_SHARE)
    BUILD.rendering = parallel.Forked(lambda: _render_share(queue[own:]))
    BUILD.rendering_paths = {path for path, _make_bytes in queue[own:]}
    _make_all(queue[:own])


def _render_share(jobs) -> None:
    """The part of a batch the forked copy renders."""
    _make_all(jobs)


def _make_while_partner_busy(queue: list) -> list:
    """Make queued files here while the other process of a split still works; the rest is returned."""
    while queue and _partner_busy():
        _make_all(queue[:BETWEEN_QUESTIONS])
        queue = queue[BETWEEN_QUESTIONS:]
    return queue


def _partner_busy() -> bool:
    """A forked copy writing other generators' pages, or the process that forked it, still works."""
    busy = BUILD.partner_busy
    if busy is not None and not busy():
        BUILD.partner_busy = None  # for good: the other one has nothing left to do
    return BUILD.partner_busy is not None


def _wait_for_the_copy() -> None:
    """The copy rendering the last batch has written its files (or its failure is raised here)."""
    copy, BUILD.rendering, BUILD.rendering_paths = BUILD.rendering, None, set()
    if copy is not None and copy.parent == os.getpid():  # a forked copy of the build does not wait for its sibling
        copy.result()


def run_queue(*_sender) -> None:
    """Produce every queued file; also connected to `finalized`, before anything reads the output."""
    queue = _take_queue()
    _wait_for_the_copy()
    queue = _make_while_partner_busy(queue)
    # In halves of the queue, not every other file: the last files queued are the feeds, in
    # language order, and each process then writes the entries of half the languages.
    parallel.split(queue, _make_and_write, collect=False, contiguous=True)


class _CompareOnClose(io.StringIO):
    """What Pelican's writer writes to a file, held until closed, then written only if it differs."""

    def __init__(self, path: str, encoding: str):
        super().__init__()
        self._path, self._encoding = path, encoding
        self._rendered = None  # what _RenderIfChanged returned: a _Deferred page, or _KEEP

    def write(self, data):
        if isinstance(data, (_Deferred, _Keep)):
            self._rendered = data
            return 0
        return super().write(data)

    def close(self):
        if not self.closed:
            rendered, encoding = self._rendered, self._encoding
            if isinstance(rendered, _Deferred):
                produce(self._path, lambda: rendered.render().encode(encoding))
            elif rendered is not _KEEP:  # _KEEP: counted as produced by unchanged(), left as it is
                write_if_changed(self._path, self.getvalue().encode(encoding))
        super().close()


class _Discarded(io.StringIO):
    """A page Pelican must not write (another one overrode its file): nothing is rendered or written."""

    def write(self, data):
        return 0


class IncrementalWriter(Writer):
    """Pelican's Writer, except that an unchanged page is neither rendered nor rewritten."""

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        # Variables passed for the page are its own even when the site-wide context holds the same.
        given = frozenset(kwargs)
        lists = paginated.keys() if paginated is not None else given & {"articles", "dates"}
        pagers = {pattern.format(key) for key in lists for pattern in PAGER_VARIABLES}
        renderer = _RenderIfChanged(template, self, context, given, given | WRITER_VARIABLES | pagers)
        return super().write_file(name, renderer, context, relative_urls=relative_urls, paginated=paginated,
                                  template_name=template_name, override_output=override_output, url=url, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        # Writer._open_w's bookkeeping (one write per file unless overridden), repeated
        # here because it opens the file for writing, which would truncate it.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time '
                                               "(was previously overwritten)")
            logger.info('Skipping "%s", not overwriting', filename)
            return _Discarded()
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already '
                                               "written to it previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _CompareOnClose(filename, encoding)


def get_writer(pelican):
    _outputs_checked()
    digest_articles()
    return IncrementalWriter


# ---- the manifest -----------------------------------------------------------------------------

def enabled(settings) -> bool:
    return bool(settings.get("INCREMENTAL_BUILD", True))


def manifest_path(settings) -> str:
    output = os.path.realpath(settings["OUTPUT_PATH"])
    name = hashlib.sha1(output.encode("utf-8")).hexdigest()[:12]
    return os.path.join(settings["CACHE_PATH"], f"newsarchive-build-{name}.manifest")


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _stable(value):
    """A JSON-able form of a settings value that is the same in every process."""
    if isinstance(value, dict):
        return {str(key): _stable(item) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_stable(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_stable(item) for item in value), key=repr)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, re.Pattern):
        return ["re", value.pattern, value.flags]
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return _ADDRESS.sub("", repr(value))


def _tree_stamps(folder: str, stamps: dict, skip_dirs=("__pycache__", ".git")):
    # Pelican follows symlinked folders when it looks for content, so the stamps must too
    # (a linked year folder would otherwise never count as changed); each real folder once.
    seen = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs)
        for name in files:
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stamps[path] = [stat.st_mtime_ns, stat.st_size]


def _build_day(settings) -> str | None:
    """The day events are upcoming or past against, when the settings leave it to the clock."""
    if settings.get("EVENTS_TODAY"):
        return None  # a fixed day is already part of the settings' fingerprint
    from .events import build_today  # events.py writes through this module: import when needed

    try:
        return build_today(settings).isoformat()
    except Exception:  # a wrong zone is reported by the build itself
        return dt.date.today().isoformat()


def _library_versions() -> dict:
    versions = {"python": sys.version}
    for name in LIBRARIES:
        try:
            versions[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def input_fingerprint(settings) -> dict:
    """Everything a build reads: files by (mtime, size), the settings' values, versions, the day."""
    stamps: dict[str, list] = {}
    for folder in [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", [])]:
        if folder and os.path.isdir(folder):
            _tree_stamps(os.path.abspath(folder), stamps)
    settings_digest = hashlib.sha256(json.dumps(_stable(dict(settings)), sort_keys=True,
                                                ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"files": stamps, "settings": settings_digest, "libraries": _library_versions(),
            "day": _build_day(settings)}


# The manifest is read by every build, the up-to-date check included, and written twice by one
# that runs: some 2.5 MB at 5,000 articles (every input's and output's stamp, every page's key).
# In marshal's format, which holds just those dicts, lists and strings, reading it takes 0.025 s
# and writing 0.005 s; as JSON they took 0.085 s and 0.04 s. A manifest another Python wrote
# (another marshal format) or a damaged one reads as none: the build that follows is a full one.


def read_manifest(path: str) -> dict | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        manifest = marshal.loads(data)  # marshal.load reads a file in many small pieces: 0.07 s, not 0.02
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _load(settings) -> dict | None:
    manifest = read_manifest(manifest_path(settings))
    if manifest is None:
        return None
    if manifest.get("version") != MANIFEST_VERSION or manifest.get("output") != os.path.realpath(
            settings["OUTPUT_PATH"]):
        return None
    return manifest


def _save(settings, manifest: dict):
    path = manifest_path(settings)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".tmp"
    with open(temporary, "wb") as handle:
        handle.write(marshal.dumps(manifest, MARSHAL_FORMAT))
    os.replace(temporary, path)
    with contextlib.suppress(FileNotFoundError):  # the JSON manifest of earlier versions, never read again
        os.remove(path.removesuffix(".manifest") + ".json")


def _outputs_unchanged(output: str, outputs: dict) -> bool:
    return not _altered(output, outputs, first_only=True)


def up_to_date(settings) -> bool:
    """True when the last build succeeded, no input changed since, and its output is untouched."""
    return _unchanged_build(settings) is not None


def last_warnings(settings) -> list[str] | None:
    """The warnings the last build logged, when it is up to date (None when it is not)."""
    manifest = _unchanged_build(settings)
    return None if manifest is None else manifest.get("warnings", [])


def _unchanged_build(settings) -> dict | None:
    """The last build's manifest, when that build is up to date."""
    if not enabled(settings) or settings.get("DELETE_OUTPUT_DIRECTORY"):
        return None
    _CHECKED.clear()
    manifest = _load(settings)
    inputs = input_fingerprint(settings)
    if (manifest is not None and manifest.get("complete") and manifest.get("inputs") == inputs
            and _outputs_unchanged(os.path.realpath(settings["OUTPUT_PATH"]), manifest.get("outputs", {}))):
        return manifest
    # The build that follows (runner.build, with these very settings) starts from what was read
    # here: the manifest and the stamps of every input file, each a few hundredths of a second.
    _CHECKED.update(settings=settings, manifest=manifest, inputs=inputs)
    return None


_CHECKED: dict = {}  # what _unchanged_build read for a build that must run: settings, manifest, inputs


# ---- signals ----------------------------------------------------------------------------------

def start(pelican):
    """A real build begins (initialized): remember the last build's files; mark the manifest stale."""
    settings = pelican.settings
    BUILD.reset(settings)
    if not enabled(settings):
        return
    BUILD.warnings = WarningRecorder().install()
    checked = dict(_CHECKED)
    _CHECKED.clear()
    if checked.get("settings") is settings:  # runner.build found it out of date a moment ago
        BUILD.inputs, previous = checked["inputs"], checked["manifest"]
    else:
        BUILD.inputs = input_fingerprint(settings)  # as read now: an edit during the build means another one
        previous = _load(settings)
    BUILD.previous = previous
    BUILD.input_stamps = BUILD.inputs["files"]
    BUILD.load_caches = bool(settings.get("LOAD_CONTENT_CACHE"))  # as asked, before the check below
    reader_cache_fits = _reader_cache_fits(previous, BUILD.inputs)
    if settings.get("LOAD_CONTENT_CACHE") and not reader_cache_fits:
        # Pelican's reader cache keeps parsed articles by file stamp alone: parsed with other
        # settings (MARKDOWN…) or library versions it would give this build stale bodies.
        logger.info("Settings or libraries changed since the content cache was written: reading every article")
        settings["LOAD_CONTENT_CACHE"] = False
    BUILD.output_abs = os.path.abspath(settings["OUTPUT_PATH"])  # render keys are recorded
    if previous is not None and previous.get("complete") and not settings.get("DELETE_OUTPUT_DIRECTORY"):
        BUILD.reusable_keys = previous.get("render_keys", {})  # and the last build's may be reused
        _check_outputs(previous.get("outputs", {}))
    if previous is not None:
        # Until this build succeeds, the manifest must not let the next one skip; its list
        # of outputs stays, so the next build can still remove what this one leaves stale.
        # The reader cache this build loads keeps fitting its settings, whether or not the build
        # succeeds: an editor's next build after a content error need not parse everything again.
        fitting = _reader_inputs(BUILD.inputs) if reader_cache_fits else None
        _save(settings, {**previous, "complete": False, "inputs": None, "reader_cache_inputs": fitting})


def _check_outputs(recorded: dict) -> None:
    """Find the last build's files that are missing or changed, in a forked copy while this process
    reads the content: deciding each of 12,000 pages would otherwise stat its file then, on the
    cores that decide and render pages, where the copy uses the core that waits meanwhile.

    A file someone changes after this check is written again by the next build: this one records
    the stamp the last build left (`_output_files_since`), and the next one finds another."""
    if not parallel.can_fork(len(recorded)):
        return
    output = BUILD.output_abs
    BUILD.checking_outputs = parallel.Forked(lambda: _altered(output, recorded))


def _altered(output: str, recorded: dict, first_only: bool = False) -> set[str]:
    """The files of `recorded` (relpath -> [mtime_ns, size]) missing or with another stamp
    under `output`; with `first_only`, the first one found."""
    altered = set()
    prefix = output + os.sep
    for relpath, stamp in recorded.items():
        try:
            found = os.stat(prefix + relpath)
        except OSError:
            altered.add(relpath)
        else:
            if stamp != [found.st_mtime_ns, found.st_size]:
                altered.add(relpath)
        if altered and first_only:
            break
    return altered


def _outputs_checked() -> None:
    """The copy's findings (`_check_outputs`), before any page is decided."""
    copy, BUILD.checking_outputs = BUILD.checking_outputs, None
    if copy is not None:
        BUILD.altered_outputs = copy.result()


def _reader_inputs(inputs: dict) -> dict:
    return {"settings": inputs["settings"], "libraries": inputs["libraries"]}


def _reader_cache_fits(previous: dict | None, inputs: dict) -> bool:
    """Pelican's reader cache was written with these settings and libraries (by the last build,
    or by an earlier one when the last failed after loading it)."""
    previous = previous or {}
    recorded = previous.get("inputs") or previous.get("reader_cache_inputs")
    return recorded is not None and _reader_inputs(recorded) == _reader_inputs(inputs)


def _keep_time_if_same(destination: str, source: str):
    """Pelican copies every theme asset on every build (shutil.copyfile, a new mtime): when the
    copy on disk already has the source's bytes, its time is put back after the copy (`finish`),
    as if it had not been rewritten."""
    try:
        if os.path.getsize(destination) != os.path.getsize(source):
            return
        with open(destination, "rb") as old, open(source, "rb") as new:
            if old.read() != new.read():
                return
        BUILD.unchanged_assets[destination] = (source, os.stat(destination).st_mtime_ns)
    except OSError:
        pass


def _restore_asset_times():
    for destination, (source, mtime_ns) in BUILD.unchanged_assets.items():
        try:
            with open(destination, "rb") as copied, open(source, "rb") as original:
                if copied.read() == original.read():
                    os.utime(destination, ns=(mtime_ns, mtime_ns))
        except OSError:
            continue


def record_static(static_generator):
    """Static files and theme assets are copied without the source's mtime: count them as produced.

    The static files are counted when the build finishes (`_record_static_files`): reading a
    file's save_as now, before the articles are written, would fix its place, and Pelican
    would then refuse to move a picture an article links with {attach} next to that article.
    """
    settings = static_generator.settings
    BUILD.static_generators.append(static_generator)
    output = os.path.abspath(static_generator.output_path)
    ignored = settings.get("IGNORE_FILES", [])
    destination = os.path.join(output, settings["THEME_STATIC_DIR"])
    for relpath in settings["THEME_STATIC_PATHS"]:
        source = os.path.join(static_generator.theme, relpath)
        if os.path.isfile(source):
            target = os.path.normpath(os.path.join(destination, os.path.basename(relpath)))
            BUILD.produced.add(target)
            _keep_time_if_same(target, source)
            continue
        for root, dirs, files in os.walk(source):
            dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, pattern) for pattern in ignored)]
            for name in files:
                if any(fnmatch.fnmatch(name, pattern) for pattern in ignored):
                    continue
                target = os.path.normpath(os.path.join(destination, os.path.relpath(os.path.join(root, name), source)))
                BUILD.produced.add(target)
                _keep_time_if_same(target, os.path.join(root, name))


def _output_files(output: str) -> dict[str, list[int]]:
    """Every file under `output` by its path: [mtime_ns, size]. Folders linked into the output
    are not entered (as os.walk would not); the stat follows a file's link (as os.stat)."""
    files: dict[str, list[int]] = {}
    _list_folders([output], files, set())
    return files


def _list_folders(folders: list, files: dict, entered: set) -> None:
    """Add to `files` those of `folders` and of every folder under them not in `entered` (which
    gets the folders listed here): path -> [mtime_ns, size]."""
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:  # gone or unreadable, as os.walk skips it
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        if not entry.is_symlink() and entry.path not in entered:
                            entered.add(entry.path)
                            folders.append(entry.path)
                        continue
                    stat = entry.stat()
                except OSError:
                    continue
                files[entry.path] = [stat.st_mtime_ns, stat.st_size]


def _output_files_since(output: str, recorded: dict, kept: set, known: set, since_ns: int) -> dict[str, list[int]]:
    """What `_output_files` would find that a rebuild's manifest needs, without listing every folder.

    Listing the 12,000 folders of a 5,000-article archive (one per article page) took most of the
    end of a rebuild. Here the files the last build recorded or this one produced (`known`,
    relpaths) are taken from the manifest when this build kept them as recorded (`kept`),
    otherwise stat'ed; their folders are stat'ed, and only a folder with an entry made, renamed
    or removed since `since_ns` is listed: the files written there by anyone (the writer's
    renames, Pagefind, a plugin writing directly), and every file of a folder new since."""
    prefix = output + os.sep
    files: dict[str, list[int]] = {}
    folders = {output}
    for relpath in known:
        path = prefix + relpath
        if relpath in kept:
            files[path] = recorded[relpath]
        else:
            try:
                stat = os.stat(path)
            except OSError:
                continue
            files[path] = [stat.st_mtime_ns, stat.st_size]
        folder = path.rpartition(os.sep)[0]  # normalised paths: os.path.dirname's checks are not needed
        while folder not in folders and folder.startswith(prefix):
            folders.add(folder)
            folder = folder.rpartition(os.sep)[0]
    changed = []
    for folder in folders:
        try:
            stat = os.lstat(folder)  # a linked folder is not entered, as os.walk would not
        except OSError:
            continue
        if S_ISDIR(stat.st_mode) and stat.st_mtime_ns >= since_ns:
            changed.append(folder)
    # Every file of a changed folder (a file kept, then replaced by someone, included), and all of
    # a folder new since.
    _list_folders(changed, files, folders)
    return files


# File times come from the kernel's coarse clock, a few ms behind time.time_ns().
CLOCK_SLACK_NS = 20_000_000


def finish(pelican):
    """The build is done (finalized, after the search index): remove stale files, save the manifest."""
    # Its folders may go with its output: a later writer in this process (lean_writer.py) makes them.
    BUILD.existing_folders.clear()
    BUILD.input_stamps = {}  # its inputs may change before the next build
    settings = pelican.settings
    if BUILD.settings is not settings:
        return
    _restore_asset_times()
    if not enabled(settings):
        return
    BUILD.warnings.remove()
    _record_static_files()
    output = os.path.realpath(settings["OUTPUT_PATH"])
    # Every path produced is under OUTPUT_PATH as given (abspath); realpath on each of
    # ten thousands of pages would lstat every folder of every path.
    prefix = BUILD.output_abs + os.sep
    since_ns = BUILD.started_ns - CLOCK_SLACK_NS
    recorded = (BUILD.previous or {}).get("outputs", {})
    # The files written since the build started by anyone (Pagefind, plugins writing directly),
    # with the stat the manifest records for each: from one walk of the output, or in a rebuild
    # from the files known and the folders changed.
    produced = {path[len(prefix):] for path in BUILD.produced if path.startswith(prefix)}
    if recorded:
        on_disk = _output_files_since(BUILD.output_abs, recorded, BUILD.kept, set(recorded) | produced, since_ns)
    else:
        on_disk = _output_files(BUILD.output_abs)
    # A file the last build wrote within the slack before this one started, and recorded as it
    # still is, was not written by this build: were it counted, a page that is now stale would stay.
    fresh = {path for path, stamp in on_disk.items()
             if stamp[0] >= since_ns and recorded.get(path[len(prefix):]) != stamp}
    relpaths = produced | {path[len(prefix):] for path in fresh if path.startswith(prefix)}
    remove_stale(output, set(recorded) - relpaths)
    outputs = {}
    for relpath in sorted(relpaths):
        stamp = on_disk.get(prefix + relpath)
        if stamp is None:  # produced but not found by the walk: under a linked folder, or gone
            try:
                stat = os.stat(os.path.join(output, relpath))
            except OSError:
                continue
            stamp = [stat.st_mtime_ns, stat.st_size]
        outputs[relpath] = stamp
    render_keys = {relpath: key for relpath, key in BUILD.render_keys.items() if relpath in outputs}
    _save(settings, {"version": MANIFEST_VERSION, "output": output, "complete": True,
                     "inputs": BUILD.inputs, "outputs": outputs, "render_keys": render_keys,
                     "warnings": BUILD.warnings.messages, "related": BUILD.related})


def _record_static_files():
    for static_generator in BUILD.static_generators:
        output = os.path.abspath(static_generator.output_path)
        for static in static_generator.staticfiles:
            BUILD.produced.add(os.path.join(output, static.save_as))


def remove_stale_now(settings, patterns: list[str]) -> list[str]:
    """Remove already the last build's files that match `patterns` and that this build did not produce.

    `finish` removes every stale file, but the search index is made before it runs: the
    page of a deleted or renamed article must be gone before Pagefind reads the output.
    """
    if BUILD.settings is not settings or BUILD.previous is None or BUILD.output_abs is None:
        return []  # no build in this process, or no last build: nothing can be stale
    prefix = BUILD.output_abs + os.sep
    produced = {path[len(prefix):] for path in BUILD.produced if path.startswith(prefix)}
    stale = [relpath for relpath in BUILD.previous.get("outputs", {})
             if relpath not in produced and any(fnmatch.fnmatchcase(relpath, pattern) for pattern in patterns)]
    return remove_stale(os.path.realpath(settings["OUTPUT_PATH"]), stale)


def remove_stale(output: str, relpaths) -> list[str]:
    """Delete files the previous build produced and this one did not, and folders left empty."""
    removed = []
    for relpath in sorted(relpaths):
        path = os.path.join(output, relpath)
        if not os.path.realpath(path).startswith(output + os.sep) or not os.path.isfile(path):
            continue
        os.remove(path)
        removed.append(relpath)
        folder = os.path.dirname(path)
        while folder != output and os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    if removed:
        logger.info("Removed %d file(s) the content no longer produces", len(removed))
    return removed


def invalidate(settings):
    """The build failed after writing (runner.build saw logged errors): the next one must not skip."""
    manifest = _load(settings)
    if manifest is not None:
        _save(settings, {**manifest, "complete": False, "inputs": None})


def finish_last(generators):
    """Run `finish` after every other `finalized` receiver (all_generators_finalized).

    The sitemap and the search index write their files on `finalized`, and the
    sitemap connects to it only while its generator runs; Pelican calls
    receivers in the order they connected, so `finish` reconnects at the end.
    """
    from pelican import signals

    signals.finalized.disconnect(finish)
    signals.finalized.connect(finish)
