"""`invoke import`: many inputs in, one Markdown article per input out.

Every input is handled on its own: an unreadable file is reported (naming
it) and the others still import. Nothing is ever overwritten. An input
whose article is already in the destination (same `Source` and language,
wherever the file now is, draft or not) is reported as
"already imported: <path>" and counts as done, so the same folder can be
imported again after new files are added to it. A different article that
would land on an existing file is an error.

Exit status: 0 when every input was imported or already imported, 1 when
any input failed, 2 when the options are wrong (nothing is imported).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from .article import read_header, to_markdown
from .dates import parse_command_line_date
from .language import check_language_code
from .pipeline import ImportReport, build_article
from .reading import HTML_SUFFIXES, TEXT_SUFFIXES, UnreadableSource, read_source

HELP = {
    "paths": "files (.txt, .html) or folders of them to import",
    "dest": "articles folder to write into (default content/articles). Nothing there is ever overwritten: "
            "an input already imported (same Source and language) is reported as 'already imported' "
            "and counts as done (exit 0); another article on the same file name is an error (exit 1)",
    "lang": "auto (detect from the text), kk, ky, ru or en",
    "date": "publication date for every input: YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or DD.MM.YYYY; "
            "without it the page's own date is used, and an undated article is written as a draft",
    "json": "print one JSON object per input: source, path, title, lang, regions, date, event_start, "
            "event_end, dropped, needs_review (and encoding, status, error)",
}

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_OPTIONS = 0, 1, 2


def today() -> dt.date:
    """The import day, used as the placeholder date of drafts (a function so tests can fix it)."""
    return dt.date.today()


def collect_inputs(paths: list[str]) -> list[Path]:
    """The files to import: named files as they are, folders searched for .txt and .html files."""
    inputs: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = [
                child for child in path.rglob("*")
                if child.is_file() and child.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES
            ]
            inputs.extend(sorted(found))
        else:
            inputs.append(path)  # a missing file is reported when it is read
    return inputs


class ExistingArticles:
    """The articles already in the destination, by (Source, Lang), read once per run."""

    def __init__(self, dest: Path):
        self.by_source: dict[tuple[str, str], Path] = {}
        if dest.is_dir():
            for path in sorted(dest.rglob("*.md")):
                self._add_file(path)

    def _add_file(self, path: Path) -> None:
        try:
            with path.open(encoding="utf-8", errors="replace") as file:
                head = "".join(line for _, line in zip(range(40), file))
        except OSError:
            return
        header = read_header(head)
        if header.get("source"):
            self.by_source.setdefault((header["source"], header.get("lang", "")), path)

    def find(self, source: str, lang: str) -> Path | None:
        return self.by_source.get((source, lang))

    def add(self, source: str, lang: str, path: Path) -> None:
        self.by_source.setdefault((source, lang), path)


@dataclass
class Outcome:
    source: str
    status: str  # "imported", "already imported" or "error"
    path: Path | None = None
    report: ImportReport | None = None
    error: str | None = None


def _import_one(path: Path, dest: Path, lang: str, published: dt.datetime | None, existing: ExistingArticles) -> Outcome:
    source = str(path)
    try:
        document = read_source(path)
        report = build_article(document, lang=lang, published=published, today=today())
    except UnreadableSource as problem:
        return Outcome(source, "error", error=str(problem))
    except Exception as problem:  # a bug must not stop the other inputs; say which file hit it
        return Outcome(source, "error", error=f"{path}: import failed: {type(problem).__name__}: {problem}")

    article = report.article
    previous = existing.find(article.source, article.lang)
    if previous is not None:
        return Outcome(source, "already imported", path=previous, report=report)
    target = dest / article.relative_path
    if target.exists():
        other = read_header(target.read_text(encoding="utf-8", errors="replace")).get("source", "?")
        return Outcome(
            source, "error", path=target, report=report,
            error=f"{path}: {target} already exists (an article from {other}); not overwritten",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as file:
            file.write(to_markdown(article))
    except OSError as problem:
        return Outcome(source, "error", path=target, report=report, error=f"{path}: cannot write {target}: {problem}")
    existing.add(article.source, article.lang, target)
    return Outcome(source, "imported", path=target, report=report)


def _as_json(outcome: Outcome) -> dict:
    record: dict = {"source": outcome.source, "path": str(outcome.path) if outcome.path else None}
    report = outcome.report
    if report is not None:
        article = report.article
        record.update(
            title=article.title,
            lang=article.lang,
            regions=article.regions,
            date=None if article.is_draft else f"{article.date:%Y-%m-%d %H:%M}",
            event_start=article.event_start.isoformat() if article.event_start else None,
            event_end=article.event_end.isoformat() if article.event_end else None,
            dropped=[item.line for item in report.dropped],
            needs_review=report.needs_review,
            encoding=report.encoding,
            draft=article.is_draft,
        )
        if report.control_characters:
            record["control_characters_removed"] = report.control_characters
    record["status"] = outcome.status
    if outcome.error:
        record["error"] = outcome.error
    return record


def _print_human(outcome: Outcome, out, err) -> None:
    if outcome.status == "error":
        print(f"error: {outcome.error}", file=err)
        return
    if outcome.status == "already imported":
        print(f"already imported: {outcome.path} (from {outcome.source})", file=err)
        return
    article = outcome.report.article
    details = [article.lang, f"regions {', '.join(article.regions)}" if article.regions else "no region"]
    if article.is_draft:
        details.append("draft")
    if outcome.report.encoding != "utf-8":
        details.append(f"read as {outcome.report.encoding}")
    print(f"{outcome.source} -> {outcome.path} ({'; '.join(details)})", file=out)
    for note in outcome.report.needs_review:
        print(f"  check: {note}", file=out)


def import_files(
    paths: list[str],
    dest: str = "content/articles",
    lang: str = "auto",
    date: str | None = None,
    as_json: bool = False,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    """Import every file (or folder of .txt/.html files) in `paths` into `dest`; return the exit status."""
    try:
        if lang != "auto":
            check_language_code(lang)
        published = parse_command_line_date(date) if date else None
    except ValueError as problem:
        print(f"error: {problem}", file=err)
        return EXIT_BAD_OPTIONS
    if not paths:
        print("error: no files or folders to import were given", file=err)
        return EXIT_BAD_OPTIONS

    destination = Path(dest)
    existing = ExistingArticles(destination)
    status = EXIT_OK
    inputs = collect_inputs(paths)
    if not inputs:
        print(f"error: no .txt or .html files in {', '.join(paths)}", file=err)
        return EXIT_SOME_FAILED
    for path in inputs:
        outcome = _import_one(path, destination, lang, published, existing)
        if outcome.status == "error":
            status = EXIT_SOME_FAILED
        if as_json:
            print(json.dumps(_as_json(outcome), ensure_ascii=False), file=out)
            if outcome.status != "imported":
                message = outcome.error or f"already imported: {outcome.path}"
                print(("error: " if outcome.error else "") + message, file=err)
        else:
            _print_human(outcome, out, err)
    return status
