"""Atomic publishing: build into a fresh release folder, then switch the published link in one rename.

Layout under the publish root (PUBLISH_ROOT in publishconf.py):

    releases/20260122T101500.123456Z/   one complete build each, newest last by name
    releases/.building-…/               a build in progress (removed if it fails or is interrupted)
    current -> releases/…               the folder the web server serves (deploy/nginx.conf)

A build that fails, is interrupted with Ctrl-C or SIGTERM, or is killed
outright never touches `current`: the link is replaced only after the build
and every `POSTPROCESS_STEPS` step have finished, by rename(2) of a new
symlink over the old one, which readers see either before or after, never
half-way. Leftovers of a killed build are removed by the next publish. The
last PUBLISH_KEEP releases stay for `rollback`.

Pelican runs in this process (not `python -m pelican`): its command line
exits 0 after Ctrl-C, so its exit status cannot tell a finished build from
an interrupted one; here run() either returns or raises.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import shutil
import signal
from pathlib import Path

from .runner import BuildFailed, build

RELEASES = "releases"
LINK = "current"
BUILDING_PREFIX = ".building-"
DEFAULT_KEEP = 5


class PublishError(Exception):
    pass


def _prepare_for_web(release: Path) -> None:
    from .postprocess import prepare_for_web  # fingerprinted assets, gzip and brotli copies

    prepare_for_web(release)


# Steps run on a finished build before it is published, in order; each takes
# the release folder. A step that raises stops the publish (nothing switches).
POSTPROCESS_STEPS = [_prepare_for_web]


def postprocess(release_dir: Path) -> None:
    """Every post-build step, on the release folder, before the switch."""
    for step in POSTPROCESS_STEPS:
        step(Path(release_dir))


def publish(root: Path, content: Path, settings_file: Path, keep: int = DEFAULT_KEEP, **overrides) -> Path:
    """Build `content` with `settings_file` into a new release under `root` and publish it; return the release."""
    root = Path(root).resolve()
    _check_link(root / LINK)  # before a build that could not be published
    releases = root / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    with _publish_lock(releases):
        _remove_unfinished(releases)
        name = _release_name(releases)
        building = releases / f"{BUILDING_PREFIX}{name}"
        building.mkdir()
        try:
            with _interruptible():
                _build(Path(content), building, Path(settings_file), **overrides)
                postprocess(building)
            release = releases / name
            os.rename(building, release)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        switch(root / LINK, release)
        # The site is published from here on: failing to remove old releases must not
        # read as a failed publish, only as a warning.
        try:
            prune(releases, keep, keep_also=release)
        except OSError as error:
            print(f"Warning: published {release.name}, but old releases could not all be removed: {error}",
                  flush=True)
    return release


def rollback(root: Path, to: str | None = None) -> Path:
    """Point `current` at the release before it (or at the one named `to`); return it."""
    root = Path(root).resolve()
    releases = root / RELEASES
    with _publish_lock(releases):
        available = complete_releases(releases)
        current = current_release(root)
        if to:
            target = releases / to
            if target not in available:
                raise PublishError(f"no release named {to!r} (releases: {_names(available)})")
        else:
            older = [release for release in available if current is None or release.name < current.name]
            if not older:
                raise PublishError(f"no release older than {current.name if current else 'none'} to roll back to "
                                   f"(releases: {_names(available)})")
            target = older[-1]
        switch(root / LINK, target)
    return target


def configured(settings_file: Path) -> tuple[Path, int]:
    """PUBLISH_ROOT (relative to the settings file's folder) and PUBLISH_KEEP from the settings."""
    from pelican.settings import get_settings_from_file

    settings = get_settings_from_file(str(settings_file))  # only these two values: no content path needed
    root = Path(os.path.expanduser(str(settings.get("PUBLISH_ROOT") or "publish")))
    if not root.is_absolute():
        root = Path(settings_file).resolve().parent / root
    return root, int(settings.get("PUBLISH_KEEP") or DEFAULT_KEEP)


def run_publish(settings_file: Path, content: Path, root: Path | None = None, keep: int | None = None,
                **overrides) -> int:
    """`invoke publish`: publish, report, and return the exit status."""
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING, name="pelican")
    default_root, default_keep = configured(settings_file)
    root = Path(root or default_root)
    try:
        release = publish(root, content, settings_file, keep=int(keep or default_keep), **overrides)
    except KeyboardInterrupt:
        print(f"Interrupted: nothing was published; {root / LINK} is unchanged.", flush=True)
        return 130
    except Exception as error:  # noqa: BLE001 - any failure: report it, leave the site as it was
        print(f"{error.__class__.__name__}: {error}\nNothing was published; {root / LINK} is unchanged.", flush=True)
        return 1
    print(f"Published {release.name}: {root / LINK} -> {os.readlink(root / LINK)}", flush=True)
    return 0


def run_rollback(settings_file: Path, root: Path | None = None, to: str | None = None) -> int:
    """`invoke rollback`: switch back, report, and return the exit status."""
    root = Path(root or configured(settings_file)[0])
    try:
        release = rollback(root, to)
    except PublishError as error:
        print(f"PublishError: {error}", flush=True)
        return 1
    print(f"Rolled back: {root / LINK} -> {os.readlink(root / LINK)} ({release.name})", flush=True)
    return 0


def complete_releases(releases: Path) -> list[Path]:
    """Finished releases, oldest first (their names are UTC timestamps)."""
    if not releases.is_dir():
        return []
    return sorted(path for path in releases.iterdir()
                  if path.is_dir() and not path.is_symlink() and not path.name.startswith("."))


def current_release(root: Path) -> Path | None:
    link = Path(root) / LINK
    if not link.is_symlink():
        return None
    return (link.parent / os.readlink(link)).resolve()


def switch(link: Path, release: Path) -> None:
    """Make `link` point at `release` with one rename: never missing, never half-switched."""
    _check_link(link)
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(os.path.relpath(release, link.parent), temporary)  # relative: the root can move
    os.replace(temporary, link)
    _fsync_folder(link.parent)


def _check_link(link: Path) -> None:
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link} is a folder, not the link publish manages: move it away once, then publish")


def prune(releases: Path, keep: int, keep_also: Path | None = None) -> list[Path]:
    """Remove all but the newest `keep` releases (never `keep_also`); return what was removed."""
    available = complete_releases(releases)
    doomed = [release for release in available[: max(len(available) - max(keep, 1), 0)] if release != keep_also]
    for release in doomed:
        shutil.rmtree(release)
    return doomed


def _build(content: Path, output: Path, settings_file: Path, **overrides) -> None:
    try:
        pelican = build(settings_file, content, output, DELETE_OUTPUT_DIRECTORY=False, **overrides)
    except BuildFailed as error:
        raise PublishError(f"{error}; nothing was published") from None
    summary = getattr(pelican, "article_accounting", "")
    if summary:
        print(summary, flush=True)


class _Interrupted(KeyboardInterrupt):
    pass


@contextlib.contextmanager
def _interruptible():
    """SIGTERM and SIGHUP end the build like Ctrl-C does, so the unfinished release is removed."""
    def interrupt(signum, frame):
        raise _Interrupted(f"signal {signum}")

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            previous[signum] = signal.signal(signum, interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _publish_lock(releases: Path):
    releases.mkdir(parents=True, exist_ok=True)
    with open(releases / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"another publish or rollback is running in {releases.parent}") from None
        yield


def _remove_unfinished(releases: Path) -> None:
    """Folders of builds that were killed before they finished (the lock says none is running)."""
    for path in releases.iterdir():
        if path.name.startswith(BUILDING_PREFIX) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _release_name(releases: Path) -> str:
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    latest = complete_releases(releases)
    if latest and latest[-1].name >= name:  # the clock went back: keep names in publishing order
        raise PublishError(f"the newest release {latest[-1].name} is dated after now ({name}); check the clock")
    return name


def _names(releases) -> str:
    return ", ".join(release.name for release in releases) or "none"


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
