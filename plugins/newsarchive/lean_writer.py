"""Two things Pelican's writer does for every page, done without repeating work.

Pelican's `Writer.write_file` runs for each of the 12,000 pages of a
5,000-article archive on every build, unchanged pages included (incremental.py
keeps their files). For each it

- works out the page's way back to the site root with `get_relative_path`,
  which splits the path one component at a time (`split_all`): seven
  microseconds a page where counting the components takes one;
- calls `os.makedirs(folder, exist_ok=True)` on the page's folder: two stats
  and a failing mkdir, for a folder that holds the unchanged page's file.

Together about a tenth of a second of each core in a rebuild after one edit.
Both are replaced in `pelican.writers` alone (`install`), with the same
results: tests/test_lean_writer.py checks the paths against Pelican's function,
and every build test compares the written site.
"""
from __future__ import annotations

import os

import pelican.writers

from . import incremental


def relative_path_to_root(path: str) -> str:
    """pelican.utils.get_relative_path for the POSIX paths the writer gives it: '..' once per
    folder the file is in ('kk/tags/x/index.html' -> '../../..'), '.' at the root."""
    folders = sum(1 for component in path.split("/") if component) - 1
    return os.curdir if folders <= 0 else "/".join([os.pardir] * folders)


class _WriterOs:
    """The `os` module as pelican.writers sees it: `makedirs` does nothing for the folder of a
    page this build keeps (its file is there, so is the folder: incremental.unchanged)."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def makedirs(name, mode=0o777, exist_ok=False):
        if exist_ok and name in incremental.BUILD.existing_folders:
            return
        os.makedirs(name, mode, exist_ok)


def install() -> None:
    if os.sep != "/":  # the writer's paths use the platform's separator: leave Pelican's functions
        return
    pelican.writers.get_relative_path = relative_path_to_root
    pelican.writers.os = _WriterOs()
