"""Independent work shared between this process and one forked copy of it.

A build is CPU-bound Python (Markdown, Jinja2), so threads do not help, and a
process pool (multiprocessing) would have to pickle Pelican's whole context
(every article, the settings, the Jinja environment) to each worker. A fork
starts with all of it already in memory: the child takes every other item,
the parent the rest, and only the child's results come back, pickled,
through a pipe. Two cores are what the archive's machines have; more forks
than cores would only add copies.

Forking is skipped when it cannot help or is not safe: a single core, few
items, or other threads running (a program that builds beside a server
thread, as the tests do), whose locks a forked child could inherit held.
"""
from __future__ import annotations

import atexit
import gc
import logging
import os
import pickle
import select
import signal
import sys
import threading
import traceback

from .errors import ErrorCounter, WarningRecorder

MIN_ITEMS = 64  # below this, a fork costs more than it saves
forks = 0  # made by this process so far (the build's log and the tests read it)
_unwaited: list[Forked] = []  # copies this process forked and has not waited for yet


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork(items: int) -> bool:
    return (items >= MIN_ITEMS and hasattr(os, "fork") and available_cores() > 1
            and threading.active_count() == 1)


# Errors Pelican and its plugins log fail the build (runner.py counts those of this logger tree).
PELICAN_LOGGER = logging.getLogger("pelican")


class ChildFailed(RuntimeError):
    """The forked half raised; its traceback is the message."""


def abandon_all() -> None:
    """End every copy this process forked and has not waited for: the build they work for
    raised (runner.build), or a new one starts (incremental.start). Nothing of a failed
    build may go on writing behind its caller's back: an interrupted publish removes the
    folder the copies write in."""
    for copy in list(_unwaited):
        copy.abandon()


atexit.register(abandon_all)  # a build that raised outside runner.build leaves no copy running


def split(items: list, work, collect: bool = True, contiguous: bool = False) -> list:
    """[work(item) for item in items], computed by this process and a forked child.

    The child takes every other item, or with `contiguous` the second half of the list:
    neighbouring items that share work each process caches (the feeds of one language
    list the same articles) then stay in one process.
    With `collect` False the results are not sent back (work that writes files);
    the list holds None for every item. An exception in either half is raised here.
    """
    if not can_fork(len(items)):
        return [work(item) for item in items]
    if contiguous:
        middle = (len(items) + 1) // 2
        mine, theirs = _forked(items[:middle], items[middle:], work, collect)
        return mine + theirs
    mine, theirs = _forked(items[0::2], items[1::2], work, collect)
    results = [None] * len(items)
    results[0::2], results[1::2] = mine, theirs
    return results


def split_in_halves(items: list, work_on_half) -> list:
    """[(half, work_on_half(half)) for the halves items[0::2] and items[1::2]], the second in a
    forked child: for work done in passes over a whole half (preparse.py)."""
    halves = [items[0::2], items[1::2]]
    if not can_fork(len(items)):
        return [(half, work_on_half(half)) for half in halves]
    mine, theirs = _forked(halves[:1], halves[1:], work_on_half, True)
    return list(zip(halves, mine + theirs))


def _forked(here: list, there: list, work, collect: bool) -> tuple[list, list]:
    """([work(item) for item in here], [work(item) for item in there]), `there` in a forked child;
    without `collect`, the child's results are not sent back and are None."""
    def their_part():
        done = [work(item) for item in there]
        return done if collect else None  # work that writes files: nothing to send back

    child = Forked(their_part)
    try:
        mine = [work(item) for item in here]
    finally:
        child.wait()
    theirs = child.result()
    return mine, theirs if collect else [None] * len(there)


def readable(fd: int) -> bool:
    """Something, or the end of the stream, waits to be read on `fd`: asked without waiting.
    (poll, not select: select fails on a descriptor numbered above 1023.)"""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class Forked:
    """`work()` computed by a forked copy of this process while this one goes on; `result()`
    waits for it and gives what it returned (pickled through a pipe).

    An exception in the copy is raised by `result()` as ChildFailed, with its traceback; errors
    it logged (printed by the copy itself) are logged here once more, so that the build fails
    as if they had been logged here, and the warnings it logged are recorded here as well."""

    def __init__(self, work):
        sys.stdout.flush()
        sys.stderr.flush()
        # Objects the garbage collector would walk are pages the child would copy: the site's
        # objects are set aside from collection while both processes run (gc.freeze's purpose).
        gc.freeze()
        read_end, write_end = os.pipe()
        global forks
        forks += 1
        self.parent = os.getpid()  # the only process that may wait for the copy
        self.pid = os.fork()
        if self.pid == 0:
            gc.disable()
            os.close(read_end)
            _unwaited.clear()  # the parent's copies: not this process's to wait for
            status = 0
            errors = ErrorCounter()
            PELICAN_LOGGER.addHandler(errors)
            WarningRecorder.installed.clear()  # copies of the parent's: nothing they record here goes back
            warnings = WarningRecorder().install()
            try:
                message = ("ok", (work(), errors.count, warnings.messages))
            except BaseException:  # noqa: BLE001 - every failure goes back to the parent
                message, status = ("error", traceback.format_exc()), 1
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(status)  # no atexit handlers, no second flush of inherited buffers
        os.close(write_end)
        self._read_end = read_end
        self._outcome = None
        _unwaited.append(self)

    def finished(self) -> bool:
        """The copy's work is done (it is sending its result, or it ended): asked without waiting."""
        return self._outcome is not None or readable(self._read_end)

    def wait(self) -> None:
        """Wait for the copy to end (reading what it sends, so that it never blocks on the pipe)."""
        if self._outcome is not None:
            return
        try:
            with os.fdopen(self._read_end, "rb") as pipe:
                try:
                    self._outcome = pickle.load(pipe)
                except EOFError:
                    self._outcome = ("error", "the child process ended without a result")
        finally:
            os.waitpid(self.pid, 0)
            _unwaited.remove(self)
            gc.unfreeze()

    def abandon(self) -> None:
        """End the copy now, whatever it was doing, and wait for it: its work is not wanted."""
        if self._outcome is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.wait()

    def result(self):
        self.wait()
        kind, payload = self._outcome
        if kind == "error":
            raise ChildFailed(payload)
        result, errors, warnings = payload
        WarningRecorder.add_logged_elsewhere(warnings)
        if errors:
            # The child printed them itself; the build must still fail as if they were logged here.
            PELICAN_LOGGER.getChild("forked").error(
                "%d error(s) logged by the forked half of the build (shown above)", errors)
        return result
