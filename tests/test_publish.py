"""Atomic publishing: an interrupted or failed build leaves the published site as it was, byte for byte.

`invoke publish` runs in its own process group here, as in a terminal; a
fixture plugin stalls the build after a few pages are written, and the test
then interrupts it the ways a build really ends early: Ctrl-C (SIGINT to the
group), SIGTERM, SIGKILL.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contentfactory import write_article
from sitebuild import PROJECT

STALL_MIDWAY = '''
import os
import time

from pelican import signals


def stall(pelican):
    # Pages are rendered in batches; by `finalized` (this plugin's receiver runs after the
    # archive's own last batch) they are on disk, and the release is not yet switched.
    with open(os.environ["STALL_MARKER"], "w") as marker:
        marker.write(pelican.output_path)
    time.sleep(120)


def register():
    signals.finalized.connect(stall)
'''


def settings_file(folder: Path, *plugins: str) -> Path:
    """publishconf.py with absolute paths (settings paths are relative to their file), maybe extra plugins."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("publish_" + "_".join(plugins or ("plain",)) + ".py")
    path.write_text(f"""
import sys
sys.path.insert(0, {str(PROJECT)!r})
from publishconf import *  # noqa
THEME = {str(PROJECT / "theme")!r}
PLUGIN_PATHS = [{str(PROJECT / "plugins")!r}, {str(folder)!r}]
PLUGINS = ["newsarchive", *{list(plugins)!r}]
CACHE_PATH = {str(folder / "cache")!r}
SEARCH_INDEX = False
""", encoding="utf-8")
    if "stall_midway" in plugins:
        (folder / "stall_midway.py").write_text(STALL_MIDWAY, encoding="utf-8")
    return path


def small_archive(content: Path, title: str = "Павлодарда жиын өтті") -> Path:
    write_article(content, title, slug="pavlodar-meeting", translation_key="pavlodar", regions="KZ-55",
                  body="Облыс әкімдігінде жиын өтті.")
    return write_article(content, "Собрание в Павлодаре", lang="ru", slug="pavlodar-meeting",
                         translation_key="pavlodar", regions="KZ-55", body="В акимате прошло собрание.")


def publish_command(root: Path, content: Path, settings: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "invoke", "publish", "--root", str(root), "--content", str(content),
            "--settings", str(settings), *extra]


# A shell without job control starts background commands with SIGINT ignored, and the
# ignoring is inherited: run under such a shell, the publish would not see a Ctrl-C at all.
# A terminal's Ctrl-C reaches a process whose SIGINT is as Python sets it up by default.
WITH_DEFAULT_SIGINT = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                       "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


def as_from_a_terminal(command: list[str]) -> list[str]:
    assert command[0] == sys.executable
    return [sys.executable, "-c", WITH_DEFAULT_SIGINT, *command[1:]]


def publish(root, content, settings, *extra) -> subprocess.CompletedProcess:
    return subprocess.run(publish_command(root, content, settings, *extra), cwd=PROJECT, capture_output=True,
                          text=True, timeout=300)


def rollback(root, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", "rollback", "--root", str(root), *extra], cwd=PROJECT,
                          capture_output=True, text=True, timeout=60)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the published folder (through the link), by relative path."""
    folder = folder.resolve()
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def releases(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "releases").iterdir() if path.is_dir())


@pytest.fixture
def published(tmp_path):
    """One complete release already published; yields (root, content, settings folder, its snapshot)."""
    root, content = tmp_path / "www", tmp_path / "content"
    small_archive(content)
    result = publish(root, content, settings_file(tmp_path / "settings"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "current").is_symlink()
    before = snapshot(root / "current")
    assert "kk/2024/01/pavlodar-meeting/index.html" in before
    assert "kk/2024/01/pavlodar-meeting/index.html.gz" in before  # the post-processing steps ran
    return root, content, tmp_path / "settings", before


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_build_interrupted_midway_leaves_the_published_site_byte_for_byte(published, tmp_path, how):
    root, content, settings_folder, before = published
    link_before = os.readlink(root / "current")
    small_archive(content, title="Жаңа тақырып")  # the next release would differ
    marker = tmp_path / "stalled"
    process = subprocess.Popen(as_from_a_terminal(publish_command(root, content,
                                                                  settings_file(settings_folder, "stall_midway"))),
                               cwd=PROJECT, env={**os.environ, "STALL_MARKER": str(marker)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the build never finished writing its pages"
            time.sleep(0.1)
        building = [p for p in (root / "releases").iterdir() if p.name.startswith(".building-")]
        assert len(building) == 1 and any(building[0].rglob("*.html"))  # caught mid-way, pages written
        os.killpg(process.pid, how)  # the whole group, as a terminal's Ctrl-C does
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    assert process.returncode != 0
    assert os.readlink(root / "current") == link_before
    assert snapshot(root / "current") == before
    leftovers = [p.name for p in (root / "releases").iterdir() if p.name.startswith(".building-")]
    if how == signal.SIGKILL:
        assert len(leftovers) == 1  # no chance to clean up; the next publish does
    else:
        assert leftovers == []
        assert "nothing was published" in output.lower()

    again = publish(root, content, settings_file(settings_folder))
    assert again.returncode == 0, again.stdout + again.stderr
    assert not [p for p in (root / "releases").iterdir() if p.name.startswith(".building-")]
    assert "Жаңа тақырып" in (root / "current" / "kk/2024/01/pavlodar-meeting/index.html").read_text("utf-8")


def test_failed_build_publishes_nothing(published):
    root, content, settings_folder, before = published
    write_article(content, "Қате күн", date="2024-02-30 10:00")
    result = publish(root, content, settings_file(settings_folder))
    assert result.returncode == 1
    assert "is impossible (day is out of range for month)" in result.stdout + result.stderr
    assert "Nothing was published" in result.stdout
    assert snapshot(root / "current") == before
    assert len(releases(root)) == 1


def test_rollback_returns_to_the_previous_release_and_forward_again(published):
    root, content, settings_folder, first = published
    small_archive(content, title="Екінші нұсқа")
    assert publish(root, content, settings_file(settings_folder)).returncode == 0
    second = snapshot(root / "current")
    assert second != first
    old, new = releases(root)

    back = rollback(root)
    assert back.returncode == 0, back.stdout + back.stderr
    assert os.readlink(root / "current") == f"releases/{old}"
    assert snapshot(root / "current") == first

    nothing_older = rollback(root)
    assert nothing_older.returncode == 1
    assert f"no release older than {old}" in nothing_older.stdout
    assert snapshot(root / "current") == first

    forward = rollback(root, "--to", new)
    assert forward.returncode == 0
    assert snapshot(root / "current") == second


def test_only_the_newest_releases_are_kept(published):
    root, content, settings_folder, _ = published
    for title in ("Екінші", "Үшінші"):
        small_archive(content, title=title)
        assert publish(root, content, settings_file(settings_folder), "--keep", "2").returncode == 0
    kept = releases(root)
    assert len(kept) == 2
    assert os.readlink(root / "current") == f"releases/{kept[-1]}"
    assert "Үшінші" in (root / "current" / "kk/2024/01/pavlodar-meeting/index.html").read_text("utf-8")


def test_a_real_folder_in_place_of_the_link_is_not_replaced(tmp_path):
    root, content = tmp_path / "www", tmp_path / "content"
    small_archive(content)
    (root / "current").mkdir(parents=True)
    (root / "current" / "index.html").write_text("hand-made site", encoding="utf-8")
    result = publish(root, content, settings_file(tmp_path / "settings"))
    assert result.returncode == 1
    assert "is a folder, not the link publish manages" in result.stdout
    assert (root / "current" / "index.html").read_text(encoding="utf-8") == "hand-made site"
