"""One build, as `invoke build`, `invoke serve` and `invoke publish` run it.

Pelican's command line prints a Python traceback for any exception, content
problems included; editors need the `path:line: problem` lines alone. Here a
ContentError prints its problems and nothing else, and an error that Pelican
only logs still fails the build (as `pelican --fatal errors` would). Any
other exception is a bug and keeps its traceback.
"""
from __future__ import annotations

import atexit
import gc
import logging
import sys
from pathlib import Path

from .errors import ContentError, ErrorCounter
from . import incremental

logger = logging.getLogger(__name__)


class BuildFailed(Exception):
    """The build logged errors; they were printed as they happened."""


def _leave_objects_to_the_system():
    """At exit, do not free a build's objects one by one: the process's end returns their memory.

    A build holds a few hundred MB of objects (articles, listings, templates), most of
    them in reference cycles that only the garbage collector frees; at shutdown its
    passes over them took about 0.3 s after a 5,000-article rebuild. gc.freeze() puts
    them out of its reach. It is done at exit, not when build() returns: the tests and
    `invoke screenshots` go on after a build, and run others, whose garbage must still
    be collected. And it is an atexit handler rather than ending the process here
    (os._exit), which would skip the handlers registered before it (logging's flush)
    and the final flush of stdout and stderr: nothing a caller prints may be lost.
    """
    gc.freeze()


# A build makes millions of objects that live until it ends (articles, their fields, listings,
# page contexts). With Python's default thresholds (700, 10, 10) the collector walks the young
# ones every 700 allocations and everything often: about 0.2 s of a 2.7 s rebuild after one
# edit at 5,000 articles. Young collections every 100,000 allocations remove nearly all of it
# (the bench's cold build's peak memory did not change).
BUILD_GC_THRESHOLDS = (100_000, 10, 10)


def build(settings_file: Path, content: Path | None = None, output: Path | None = None, **overrides):
    """Run one build in this process; raise ContentError or BuildFailed when it fails.

    Returns the Pelican instance, or None when the last build is still up to
    date (incremental.up_to_date) and nothing was done.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    override = dict(overrides)
    if content is not None:
        override["PATH"] = str(Path(content).resolve())
    if output is not None:
        override["OUTPUT_PATH"] = str(Path(output).resolve())
    settings = read_settings(str(settings_file), override=override)
    last_warnings = incremental.last_warnings(settings)
    if last_warnings is not None:
        # Nothing read by the last build changed and its output is intact: nothing to do but
        # show its warnings again, which are as true as they were.
        for message in last_warnings:
            logger.warning("%s", message)
        if settings.get("BUILD_PROGRESS"):
            repeated = f" (the {len(last_warnings)} warning(s) above are the last build's)" if last_warnings else ""
            print(f"Nothing changed since the last build; 0 files written{repeated}", flush=True)
        return None
    atexit.unregister(_leave_objects_to_the_system)  # once, however many builds this process runs
    atexit.register(_leave_objects_to_the_system)
    errors = ErrorCounter()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(errors)
    thresholds = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        pelican = Pelican(settings)
        pelican.run()
    except BaseException:
        incremental.abandon()
        raise
    finally:
        gc.set_threshold(*thresholds)
        pelican_logger.removeHandler(errors)
    if errors.count:
        incremental.invalidate(settings)
        raise BuildFailed(f"the build logged {errors.count} error(s), shown above")
    return pelican


def run_build(settings_file: Path, content: Path | None = None, output: Path | None = None, **overrides) -> int:
    """Build and report like a command: the exit status, problems printed without tracebacks."""
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING, name="pelican", handler=logging.StreamHandler(sys.stderr))
    try:
        build(settings_file, content, output, **overrides)
    except ContentError as error:
        print(error, file=sys.stderr, flush=True)
        return 1
    except BuildFailed as error:
        print(f"Build failed: {error}", file=sys.stderr, flush=True)
        return 1
    return 0
