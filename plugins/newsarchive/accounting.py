"""Nothing silently dropped: every article file found becomes a page, counted per language.

The checks in validate.py stop a build on every problem they know of; this
ledger is the backstop for the ones nobody foresaw (a reader, plugin or
writer that loses an article). It counts the article files in the content
folder, per language, and the article pages written, and fails the build
when they differ, naming each file without a page. Drafts (written under
drafts/) and hidden articles (written, not listed) are counted and reported;
only `Status: skip` files are expected to have no page.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field

from . import split_output
from .errors import ContentError, Problem, display_path
from .validate import CONTEXT_KEY as VALIDATION_KEY
from .validate import SourceFile, _check_source, article_files, plural

logger = logging.getLogger(__name__)

CONTEXT_KEY = "newsarchive_ledger"
# One ledger per running build, found again by its settings object at `finalized`
# (that signal gets the Pelican instance, not the generators' shared context).
_LEDGERS: dict[int, "Ledger"] = {}


@dataclass
class Entry:
    path: str  # absolute source path
    lang: str
    status: str  # published, hidden, draft, skip; "unread" when Pelican could not read it
    save_as: str = ""


@dataclass
class Ledger:
    output_path: str
    found: dict = field(default_factory=dict)  # absolute source path -> Entry
    written: set = field(default_factory=set)  # absolute source paths whose page was written

    def expected(self) -> list[Entry]:
        return [entry for entry in self.found.values() if entry.status != "skip"]

    def count(self, entries) -> Counter:
        return Counter(entry.lang for entry in entries)

    def describe_found(self) -> str:
        by_status = Counter(entry.status for entry in self.found.values())
        by_lang = self.count(self.expected())
        langs = ", ".join(f"{lang} {count}" for lang, count in sorted(by_lang.items()))
        extra = ", ".join(f"{by_status[s]} {s}" for s in ("draft", "hidden", "skip", "unread") if by_status[s])
        total = len(self.found)
        return f"{plural(total, 'article file')} ({langs or 'none'}{'; ' + extra if extra else ''})"

    def summary(self) -> str:
        """One line per language: files found, pages written, and how many are drafts or hidden."""
        lines = []
        expected = self.expected()
        written = self.count(e for e in expected if e.path in self.written)
        for lang, found in sorted(self.count(expected).items()):
            mine = [e for e in expected if e.lang == lang]
            drafts = sum(e.status == "draft" for e in mine)
            hidden = sum(e.status == "hidden" for e in mine)
            lines.append(f"{lang}: {plural(found, 'article file')}, {plural(written[lang], 'page')} written "
                         f"({found - drafts - hidden} listed, {plural(drafts, 'draft')}, {hidden} hidden)")
        skipped = [e for e in self.found.values() if e.status == "skip"]
        if skipped:
            lines.append(f"Status: skip, not written: {', '.join(display_path(e.path) for e in skipped)}")
        return "\n".join(lines)


def count_found(article_generator) -> None:
    """Every article file Pelican was given, with its language and status (article_generator_finalized)."""
    settings = article_generator.settings
    context = article_generator.context
    ledger = Ledger(output_path=os.path.abspath(article_generator.output_path))
    generated = context.get("generated_content", {})
    validation = context.get(VALIDATION_KEY)
    sources = validation.sources if validation is not None else {}
    for relpath in article_files(article_generator):
        path = os.path.abspath(os.path.join(article_generator.path, relpath))
        content = generated.get(relpath.replace(os.sep, "/")) or generated.get(relpath)
        if content is not None:
            ledger.found[path] = Entry(path, content.lang, content.status, content.save_as)
            continue
        # Not read (it failed, or has Status: skip): its header says what it was meant to be.
        source = sources.get(relpath.replace(os.sep, "/"))
        if source is None:
            source = SourceFile(relpath, path)
            _check_source(source, settings)
        header = source.header
        lang = (header.value("lang") if header else None) or settings.get("DEFAULT_LANG", "?")
        status = (header.value("status") if header else None) or "published"
        ledger.found[path] = Entry(path, lang, "skip" if status == "skip" else "unread")
    context[CONTEXT_KEY] = ledger
    _LEDGERS[id(settings)] = ledger
    # Article pages written by a forked copy of the build count too.
    split_output.carry("article ledger", count_written, lambda: set(ledger.written),
                       lambda _before, after: ledger.written.update(after))


def count_written(path, context=None) -> None:
    """An article's own page, as the writer reports it (content_written)."""
    context = context or {}
    ledger = context.get(CONTEXT_KEY)
    article = context.get("article")
    if ledger is None or article is None or not getattr(article, "source_path", None):
        return
    if os.path.abspath(path) == os.path.abspath(os.path.join(ledger.output_path, article.save_as)):
        ledger.written.add(os.path.abspath(article.source_path))


def check_all_written(pelican) -> None:
    """Fail the build if any article file found has no page (finalized)."""
    ledger = _LEDGERS.pop(id(pelican.settings), None)
    if ledger is None:
        return
    missing = []
    for entry in ledger.expected():
        # Only the writer's word counts: an old page left on disk by an earlier build is no proof
        # (the incremental writer reports unchanged pages too, and removes stale ones afterwards).
        if entry.path not in ledger.written:
            missing.append(entry)
    pelican.article_accounting = ledger.summary()
    logger.info("Articles accounted for:\n%s", pelican.article_accounting)
    if missing:
        found, written = ledger.count(ledger.expected()), ledger.count(
            e for e in ledger.expected() if e.path in ledger.written)
        raise ContentError([
            Problem(display_path(entry.path), None,
                    f"no page was written for this article ({entry.lang}: "
                    f"{plural(found[entry.lang], 'article file')} found, {plural(written[entry.lang], 'page')} written)",
                    "every article file becomes a page; `Status: skip` leaves one out on purpose")
            for entry in missing])


def forget(settings) -> None:
    """Drop the ledger of a run that writes nothing (`invoke check`)."""
    _LEDGERS.pop(id(settings), None)
