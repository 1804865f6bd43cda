"""Build progress on long builds and a one-line summary at the end.

Off unless the BUILD_PROGRESS setting is true (`invoke build` turns it on),
so tests and library use stay quiet. Progress goes to stderr at most once a
second per phase; the summary line goes to stdout.
"""
from __future__ import annotations

import atexit
import os
import sys
import time

from pelican import signals
from pelican.contents import Article
from pelican.log import console as pelican_console

from . import split_output

PROGRESS_INTERVAL = 1.0  # seconds between progress lines


def files_written_since(folder: str, since: float) -> int:
    """Files under `folder` modified at or after `since` (every writer counts, not only Pelican's)."""
    count = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                if os.stat(os.path.join(root, name)).st_mtime >= since:
                    count += 1
            except OSError:
                continue
    return count


class BuildProgress:
    def start(self, pelican):
        self.enabled = bool(pelican.settings.get("BUILD_PROGRESS"))
        self.started_wall = time.time() - 1  # file systems may round mtimes down to the second
        self.started = time.monotonic()
        self.last_report = 0.0
        self.articles_parsed = 0
        self.pages_written = 0
        self.sections = {}

    def _report(self, phase: str, count: int, noun: str):
        now = time.monotonic()
        if self.enabled and now - self.last_report >= PROGRESS_INTERVAL:
            self.last_report = now
            print(f"  {phase}: {count} {noun}", file=sys.stderr, flush=True)

    def article_parsed(self, content):
        # Articles loaded from the content cache are not parsed again and do not count here.
        if getattr(self, "enabled", False) and isinstance(content, Article):
            self.articles_parsed += 1
            self._report("reading", self.articles_parsed, "articles parsed")

    def articles_read_elsewhere(self, count: int):
        """Articles read in a forked copy of the build (preparse.py): parsed, but not here."""
        if getattr(self, "enabled", False) and count:
            self.articles_parsed += count
            self._report("reading", self.articles_parsed, "articles parsed")

    def pages_counted(self) -> int:
        return getattr(self, "pages_written", 0)

    def count_pages_written_elsewhere(self, before: int, after: int):
        """Pages a forked copy of the build wrote (split_output.py)."""
        if getattr(self, "enabled", False):
            self.pages_written += after - before

    def page_written(self, path, context=None):
        if getattr(self, "enabled", False):
            self.pages_written += 1
            self._report("writing", self.pages_written, "pages written")

    def remember_sections(self, generators):
        for generator in generators:
            if hasattr(generator, "sections"):
                self.sections = generator.sections

    def finish(self, pelican):
        if not self.enabled:
            return
        # Other plugins write the sitemap and the search index on this same signal, in no
        # guaranteed order, so the files are counted once the whole build process is done.
        pelican_console.quiet = True  # our line replaces Pelican's "Done: Processed …"
        atexit.register(self.print_summary, pelican.output_path)

    def print_summary(self, output_path):
        per_language = ", ".join(f"{code} {len(section.articles)}" for code, section in self.sections.items())
        total = sum(len(section.articles) for section in self.sections.values())
        written = files_written_since(output_path, self.started_wall)
        print(f"Built {total} articles ({per_language or 'no language'}); {written} files written "
              f"in {time.monotonic() - self.started:.1f} s", flush=True)


PROGRESS = BuildProgress()


def connect():
    signals.initialized.connect(PROGRESS.start)
    signals.content_object_init.connect(PROGRESS.article_parsed)
    signals.content_written.connect(PROGRESS.page_written)
    split_output.carry("progress", PROGRESS.page_written, PROGRESS.pages_counted,
                       PROGRESS.count_pages_written_elsewhere)
    signals.all_generators_finalized.connect(PROGRESS.remember_sections)
    signals.finalized.connect(PROGRESS.finish)
