"""Content problems: where they are, what is wrong, what is allowed; and counting or keeping what a build logs."""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # source file, relative to the project where possible
    line: int | None
    message: str
    allowed: str = ""

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        hint = f" ({self.allowed})" if self.allowed else ""
        return f"{where}: {self.message}{hint}"


class ContentError(Exception):
    """The content cannot be built as it is; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} content problem{'s' if count != 1 else ''}:\n{lines}")


def display_path(path: str) -> str:
    """A path relative to the working directory when it lies below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def metadata_line(path: str, key: str) -> int | None:
    """The line number of the `Key:` header line in a Markdown file, if it has one."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:", re.IGNORECASE)
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    return None  # the header ends at the first blank line
                if pattern.match(line):
                    return number
    except OSError:
        return None
    return None


def problem_at(article, key: str, message: str, allowed: str = "") -> Problem:
    """A problem with one metadata key of an article, located at its header line."""
    return Problem(
        display_path(article.source_path),
        metadata_line(article.source_path, key),
        message,
        allowed,
    )


class ErrorCounter(logging.Handler):
    """Counts the records of ERROR and above that reach the logger it is added to.

    A build that logged errors has failed even though Pelican went on
    (runner.py), and a forked half of a build reports its count (parallel.py).
    """

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


class WarningRecorder(logging.Handler):
    """Keeps the text of every warning logged while it is installed on the root logger.

    A build that finds nothing changed does nothing at all (incremental.up_to_date), so it
    would show none of the warnings the last build showed (CHECKS_AS_WARNINGS findings, a
    reader's complaint about a file), and an editor would take them for fixed. The build
    manifest keeps what this records and runner.py shows it again. Errors are not kept:
    a build that logs one fails, and the next build is a real one.
    """

    installed: list[WarningRecorder] = []

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        if record.levelno < logging.ERROR:
            self.messages.append(record.getMessage())

    def install(self) -> WarningRecorder:
        logging.getLogger().addHandler(self)
        WarningRecorder.installed.append(self)
        return self

    def remove(self) -> None:
        logging.getLogger().removeHandler(self)
        if self in WarningRecorder.installed:
            WarningRecorder.installed.remove(self)

    @classmethod
    def add_logged_elsewhere(cls, messages: list[str]) -> None:
        """Warnings a forked half of the build logged (and printed) itself (parallel.py)."""
        for recorder in cls.installed:
            recorder.messages.extend(messages)
