"""The writing phase on both cores: the article and events pages in a forked copy.

When Pelican's articles generator starts writing, the process forks
(parallel.Forked): the copy writes the article pages and the events pages,
while this process writes every other generator's pages (the list pages,
feeds, the sitemap's records). Each renders what it writes itself, so the
site's objects are copied once for the whole phase: forking for every batch
of pages instead (incremental.py, as a build without the split does) makes
each copy fault in the pages it touches, time that grows faster than the
archive (at 20,000 articles, five times the page faults of 5,000). On a
rebuild, most of the phase is deciding that pages are unchanged (their
variables digested, their files checked), which is shared the same way.

The two shares are about even for the archive's pages (an article page
against the list pages and feed entries it appears on), but not for every
site: whichever process is done first says so (the copy's result pipe; a
pipe this process closes), and the other then shares its remaining batches
with a new fork, as without the split (incremental.partner_busy).

When both are done (`finalized`, before anything reads the output: `join`
comes right after this process's last batch of pages), the copy sends back
what writing changed in the build's state that later steps read:

- the files it produced, with their render keys (incremental.py: manifest,
  stale-file cleanup, counts);
- the files Pelican's writer recorded (its check that no file is written twice
  is then made across both processes);
- what the receivers of `content_written` recorded (the sitemap, the article
  ledger, the progress count): each declares its state with `carry()`.

A receiver of `content_written` or `feed_written` that has not declared its
state, or any receiver of the signals only the copy would send
(article_generator_write_article, article_writer_finalized), would lose what
it does: the build then writes without the split, in batches, as it does
with other threads running and when an article overrides another page's file.
"""
from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import FileOverwriteFailedError

from . import incremental, parallel

logger = logging.getLogger(__name__)

# Signals whose receivers would run in the copy only.
SENT_ONLY_BY_THE_COPY = ("article_generator_write_article", "article_writer_finalized")
# Signals whose receivers run in the copy and must say what to carry back.
CARRIED_SIGNALS = ("content_written", "feed_written")

# name -> (receiver, take, merge); by name, so that each build's receiver replaces the last
# build's (a long-running process must not keep every old sitemap).
_CARRIED: dict[str, tuple] = {}
splits = 0  # writing phases this process has split (the tests read it)


def carry(name: str, receiver, take, merge) -> None:
    """`receiver` (of content_written or feed_written) keeps state that later steps read.
    `take()` gives it, picklable, in the forked copy before and after writing;
    `merge(before, after)` adds the copy's share to this process's state."""
    _CARRIED[name] = (receiver, take, merge)


def _copied_generators(generators) -> list:
    from .events import EventsGenerator  # events.py imports this module's neighbours; imported late

    return [generator for generator in generators if isinstance(generator, (ArticlesGenerator, EventsGenerator))]


class _Split:
    def __init__(self):
        self.generators: list = []
        self.child: parallel.Forked | None = None
        self.writer = None
        self.written_before: frozenset = frozenset()
        self.working = None  # this process's end of the pipe the copy waits on: closed when it is done


SPLIT = _Split()


def _uncarried_receivers() -> list:
    carried = [receiver for receiver, _take, _merge in _CARRIED.values()]
    missing = []
    for name in CARRIED_SIGNALS:
        for receiver in getattr(signals, name).receivers_for(None):
            if receiver not in carried:
                missing.append(receiver)
    return missing


def _may_split(generators) -> bool:
    if not parallel.can_fork(parallel.MIN_ITEMS):
        return False
    if any(getattr(signals, name).receivers for name in SENT_ONLY_BY_THE_COPY):
        return False
    if _uncarried_receivers():
        return False
    articles = [generator for generator in generators if isinstance(generator, ArticlesGenerator)]
    if len(articles) != 1:
        return False
    generator = articles[0]
    return not any(hasattr(content, "override_save_as") for content in (
        *generator.articles, *generator.translations, *generator.hidden_articles,
        *generator.hidden_translations, *generator.drafts, *generator.drafts_translations))


def prepare(generators) -> None:
    """all_generators_finalized: the articles generator, when it starts writing, forks."""
    _done_working()  # of a failed build, whose copy was ended when this build started (parallel.abandon_all)
    SPLIT.__init__()
    if not _may_split(generators):
        return
    copied = _copied_generators(generators)
    SPLIT.generators = copied
    copied[0].generate_output = _fork  # the first of them Pelican writes (the articles generator)
    for generator in copied[1:]:
        generator.generate_output = _written_by_the_copy


def _written_by_the_copy(writer) -> None:
    pass


def _fork(writer) -> None:
    copied = SPLIT.generators
    SPLIT.writer = writer
    SPLIT.written_before = frozenset(writer._written_files)

    incremental.run_queue()  # what is queued so far is this process's to make, not both's
    waiting, working = os.pipe()  # the copy sees the end of `waiting` when this process is done

    def write_in_copy():
        os.close(working)
        incremental.BUILD.partner_busy = lambda: not parallel.readable(waiting)
        state = _state(writer)
        before = {name: take() for name, (_receiver, take, _merge) in _CARRIED.items()}
        for generator in copied:
            type(generator).generate_output(generator, writer)
        incremental.run_queue()  # the copy's changed pages, rendered here
        after = {name: take() for name, (_receiver, take, _merge) in _CARRIED.items()}
        return _state(writer, since=state), [(name, before[name], after[name]) for name in _CARRIED]

    global splits
    splits += 1
    try:
        SPLIT.child = parallel.Forked(write_in_copy)
    except BaseException:
        os.close(working)
        raise
    finally:
        os.close(waiting)
    SPLIT.working = working
    child = SPLIT.child
    incremental.BUILD.partner_busy = lambda: not child.finished()


def _done_working() -> None:
    """This process has nothing left to write: the copy may share its remaining batches with a fork."""
    working, SPLIT.working = SPLIT.working, None
    if working is not None:
        os.close(working)


def _state(writer, since=None):
    build = incremental.BUILD
    state = {"produced": set(build.produced), "kept": set(build.kept), "render_keys": dict(build.render_keys),
             "reused": build.reused, "rendered": build.rendered,
             "written": set(writer._written_files), "overridden": set(writer._overridden_files)}
    if since is None:
        return state
    return {"produced": state["produced"] - since["produced"], "kept": state["kept"] - since["kept"],
            "render_keys": {key: value for key, value in state["render_keys"].items()
                            if since["render_keys"].get(key) != value},
            "reused": state["reused"] - since["reused"], "rendered": state["rendered"] - since["rendered"],
            "written": state["written"] - since["written"], "overridden": state["overridden"] - since["overridden"]}


def join(_pelican) -> None:
    """finalized, after incremental.run_queue: wait for the copy, take its share of the build's state."""
    _done_working()
    child, SPLIT.child = SPLIT.child, None
    if child is None:
        return
    incremental.BUILD.partner_busy = None
    theirs, carried = child.result()
    writer, build = SPLIT.writer, incremental.BUILD
    mine = set(writer._written_files) - SPLIT.written_before
    both = sorted(mine & theirs["written"])
    if both:
        raise FileOverwriteFailedError(f'Failed to overwrite "{both[0]}" as Pelican has already written to it '
                                       "previously (set `override=True` if intended)")
    writer._written_files |= theirs["written"]
    writer._overridden_files |= theirs["overridden"]
    build.produced |= theirs["produced"]
    build.kept |= theirs["kept"]
    build.render_keys.update(theirs["render_keys"])
    build.reused += theirs["reused"]
    build.rendered += theirs["rendered"]
    for name, before, after in carried:
        _CARRIED[name][2](before, after)
    logger.debug("Article and events pages written by a forked copy: %d files", len(theirs["written"]))
