"""Every content check, one message per problem: `path:line: what is wrong (what is allowed)`.

Stock Pelican logs an error and *skips* an article it cannot read (bad date,
no title, wrong encoding): the report vanishes and the build succeeds. Here
nothing is skipped silently. The checks run in two passes of the same build:

1. `check_sources` (on `article_generator_init`, before Pelican reads
   anything) looks at the raw files: encoding, the metadata header (unknown
   keys, title, date, language, status, path-like slugs, Save_as/Url). Files
   it finds broken are the ones Pelican would skip; Pelican's own, vaguer log
   line about them is filtered out so that `--fatal errors` does not stop the
   build before every problem is reported.
2. `check_after_reading` (from the views generator, once every article is
   read) reports the files Pelican still failed on, the content model
   (language, category, regions, unique URLs, translation groups, via
   `model_findings`), event dates across translations, and the links and
   images in every body.

`enforce` then raises one ContentError with every problem, or logs the ones
the CHECKS_AS_WARNINGS setting turns into warnings. `check_site` runs the
same passes without writing anything (`invoke check`).
"""
from __future__ import annotations

import difflib
import fnmatch
import html
import logging
import math
import os
import posixpath
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .categories import KINDS
from .content_model import split_codes
from . import parallel
from .errors import ContentError, Problem, display_path, metadata_line, problem_at
from .languages import LANGUAGES, allowed_codes
from .regions import REGIONS
from .sanitize import CONTROL_CHARACTER
from .slugs import slugify
from .stamped_cache import StampedCache, stamp_of

logger = logging.getLogger(__name__)

# Check ids: the names CHECKS_AS_WARNINGS accepts and the README documents.
CHECKS = {
    "unreadable": "the file cannot be read, or is not UTF-8",
    "control-character": "a control character (U+0000–U+001F except tab and newline, U+007F) in the text",
    "title": "missing or empty Title",
    "date": "missing, unparseable, impossible or implausible Date / Modified",
    "language": "Lang not in the site's language table",
    "category": "Category not one of the site's kinds",
    "region": "Regions code not in the region table",
    "tag": "a tag with no letter or digit, which could have no page",
    "status": "Status other than published, hidden, draft or skip",
    "unsafe-path": "Slug that is a path, Save_as or Url overrides, output outside the site folder",
    "reader": "Pelican's reader failed for another reason",
    "duplicate-url": "two articles published at the same URL",
    "translation-group": "two articles of one language share a Translation_key",
    "event": "Event_start / Event_end unparseable, impossible or reversed (events.py)",
    "event-dates": "the articles of a translation group disagree on Event_start / Event_end",
    "broken-link": "a link to a site page or content file that does not exist",
    "missing-image": "an image (or Image: metadata) that is not a file under content/",
    "unknown-metadata": "a metadata key the archive does not know (likely a typo)",
}
# Only checks whose article is still built correctly may become warnings: the
# others would drop or misfile the article, which the build never allows.
# (control characters are removed from the published text when that check is a warning.)
DOWNGRADABLE = frozenset({"broken-link", "missing-image", "unknown-metadata", "event-dates", "control-character"})

KNOWN_METADATA_KEYS = (
    "Title", "Date", "Modified", "Lang", "Slug", "Translation_key", "Category", "Tags", "Regions",
    "Event_start", "Event_end", "Location", "Organizer", "Summary", "Author", "Authors", "Source",
    "Status", "Image", "Template", "Save_as", "Url",
)
STATUSES = ("published", "hidden", "draft", "skip")
MARKDOWN_EXTENSIONS = frozenset({"md", "markdown", "mkd", "mdown"})
ISO_DATE_HINT = "ISO 8601, e.g. 2020-05-20 or 2020-05-20 10:00"
SLUG_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*$")
ISO_DATE_RE = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
EARLIEST_YEAR = 1900  # earlier years in an archive of these regions are typos (0201, 1019)

# The header grammar of Python-Markdown's meta extension, which Pelican's Markdown reader uses.
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")

# Pages other parts of the plugin write (feeds, events, search, sitemap: see
# DESIGN.md's URL scheme). A body link matching one of these is not broken.
# `{lang}` stands for every language with a section. LINK_CHECK_EXTRA_URLS
# replaces this list.
OTHER_SITE_URLS = (
    "feeds/*", "{lang}/feeds/*", "{lang}/events/", "{lang}/events/*", "{lang}/*.ics",
    "{lang}/search/", "sitemap.xml", "robots.txt", "pagefind/*",
)
CONTEXT_KEY = "newsarchive_validation"


@dataclass(frozen=True)
class Finding(Problem):
    """A problem with the id of the check that found it."""

    check: str = ""


def tagged(check: str, problems) -> list[Finding]:
    """Problems found elsewhere (events.py), with the id of their check."""
    return [Finding(p.path, p.line, p.message, p.allowed, check) for p in problems]


def finding_at(check: str, article, key: str, message: str, allowed: str = "") -> Finding:
    """A finding located at the `Key:` header line of an article."""
    located = problem_at(article, key, message, allowed)
    return Finding(located.path, located.line, located.message, located.allowed, check)


# ---------------------------------------------------------------------------
# The metadata header as written


@dataclass
class Header:
    entries: list = field(default_factory=list)  # (Key as written, key lowercased, value, line)
    end_line: int = 0  # the last line of the header

    def value(self, key: str):
        for _written, lowered, value, _line in self.entries:
            if lowered == key:
                return value
        return None

    def line(self, key: str) -> int | None:
        for _written, lowered, _value, line in self.entries:
            if lowered == key:
                return line
        return None


def parse_header(text: str) -> Header:
    """Header lines exactly as Python-Markdown's meta extension reads them, with their line numbers."""
    header = Header()
    lines = text.split("\n")
    number = 0
    if lines and BEGIN_RE.match(lines[0]):
        number = 1
    last = None
    while number < len(lines):
        line = lines[number]
        number += 1
        if not line.strip() or END_RE.match(line):
            break
        match = META_RE.match(line)
        if match:
            key = match.group("key")
            last = [key, key.lower(), match.group("value").strip(), number]
            header.entries.append(last)
        elif last is not None and META_MORE_RE.match(line):
            last[2] = f"{last[2]} {line.strip()}".strip()
        else:
            break
        header.end_line = number
    header.entries = [tuple(entry) for entry in header.entries]
    return header


@dataclass
class SourceFile:
    relpath: str  # relative to the content folder, as Pelican keys it
    path: str  # absolute
    header: Header | None = None  # None when the file could not be decoded or is not Markdown
    findings: list = field(default_factory=list)

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def at(self, check: str, line: int | None, message: str, allowed: str = "") -> None:
        self.findings.append(Finding(self.shown, line, message, allowed, check))


@dataclass
class Validation:
    """What the checks learned in this build, shared through the generators' context."""

    sources: dict = field(default_factory=dict)  # relpath -> SourceFile
    findings: list = field(default_factory=list)  # every finding, after enforce()
    warnings: list = field(default_factory=list)
    log_filter: logging.Filter | None = None
    article_generator: object = None  # the ArticlesGenerator of this build, to read a file again

    def source_findings(self) -> list[Finding]:
        return [finding for source in self.sources.values() for finding in source.findings]


def validation_of(context) -> Validation:
    validation = context.get(CONTEXT_KEY)
    if validation is None:
        validation = context[CONTEXT_KEY] = Validation()
    return validation


# ---------------------------------------------------------------------------
# Pass 1: the files, before Pelican reads them


def article_files(generator) -> list[str]:
    """The article files Pelican will read (relative to the content folder), found once per build:
    the checks, the parser on both cores and the ledger all go through them."""
    files = getattr(generator, "_newsarchive_article_files", None)
    if files is None:
        settings = generator.settings
        files = generator._newsarchive_article_files = list(
            generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]))
    return files


def check_sources(generator) -> None:
    """Check every article file as written; remember the broken ones (article_generator_init)."""
    validation = validation_of(generator.context)
    validation.article_generator = generator
    settings = generator.settings
    extra_keys = tuple(settings.get("EXTRA_METADATA_KEYS", ()))
    # An unchanged file has the same findings as in the last build. They name the file relative
    # to the working folder, and a date is implausible against the current year.
    kept = StampedCache(settings, "source-checks", extra=[os.getcwd(), datetime.now().year])
    found_by_path, unchecked = {}, []
    for relpath in sorted(article_files(generator)):
        path = os.path.join(generator.path, relpath)
        stamp = stamp_of(path)
        found = kept.get(path, stamp)
        if found is None:
            unchecked.append((relpath, path, stamp))
        else:
            found_by_path[relpath] = found

    def check(item):
        relpath, path, _stamp = item
        source = SourceFile(relpath, path)
        _check_source(source, settings, extra_keys)
        return _kept_form(source)

    # A cold build checks every file: on both cores. A file checked now is used in its kept
    # form too, as the next build will use it.
    for item, found in zip(unchecked, parallel.split(unchecked, check)):
        relpath, path, stamp = item
        kept.put(path, found, stamp)
        found_by_path[relpath] = found
    for relpath, (header_entries, findings) in sorted(found_by_path.items()):
        path = os.path.join(generator.path, relpath)
        header = None if header_entries is None else Header(header_entries)
        validation.sources[_key(relpath)] = SourceFile(relpath, path, header, findings)
    kept.save()
    _install_log_filter(validation)


# What a later build needs of a checked file: its findings, and the header lines the ledger
# reads of a file Pelican does not publish (accounting.py). Less to load and save than all of it.
_HEADER_KEPT = ("lang", "status")


def _kept_form(source: SourceFile) -> tuple:
    header = source.header
    entries = None if header is None else [entry for entry in header.entries if entry[1] in _HEADER_KEPT]
    return entries, source.findings


def _key(relpath: str) -> str:
    return posixpath.normpath(relpath.replace(os.sep, "/"))


def _check_source(source: SourceFile, settings, extra_keys=()) -> None:
    try:
        with open(source.path, "rb") as file:
            data = file.read()
    except OSError as error:
        source.at("unreadable", 1, f"cannot be read: {error.strerror}", "a readable file")
        return
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # Pelican reads with utf-8-sig
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        bad = data[offset:offset + 4].hex(" ")
        source.at("unreadable", data[:offset].count(b"\n") + 1,
                  f"not valid UTF-8 at byte {offset} (bytes {bad})", "save the file as UTF-8")
        return
    # Nearly every file has no control character, which deleting them from its bytes tells several
    # times faster than searching the text, by line or whole: in UTF-8 each is one byte below 0x80,
    # a byte no other character contains.
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        _check_control_characters(source, text)
    if source.relpath.rsplit(".", 1)[-1].lower() not in MARKDOWN_EXTENSIONS:
        return
    header = source.header = parse_header(text.replace("\r\n", "\n").replace("\r", "\n"))
    _check_keys(source, header, extra_keys)
    _check_title(source, header)
    _check_dates(source, header, settings)
    _check_language(source, header)
    _check_status(source, header)
    _check_paths(source, header)


_CONTROL_BYTES = bytes(code for code in range(128) if CONTROL_CHARACTER.match(chr(code)))


def _check_control_characters(source, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        found = CONTROL_CHARACTER.search(line)
        if found:
            source.at("control-character", number,
                      f"control character U+{ord(found.group()):04X} at column {found.start() + 1}",
                      "delete it: it is invisible and breaks HTML and feeds")


def _check_keys(source, header, extra_keys):
    known = {key.lower(): key for key in (*KNOWN_METADATA_KEYS, *extra_keys)}
    for written, lowered, _value, line in header.entries:
        if lowered in known:
            continue
        close = difflib.get_close_matches(lowered, list(known), n=1, cutoff=0.6)
        hint = f"did you mean {known[close[0]]}?" if close else f"known keys: {', '.join(known.values())}"
        source.at("unknown-metadata", line, f"unknown metadata key '{written}'", hint)


def _check_title(source, header):
    title = header.value("title")
    if title is None:
        source.at("title", 1, "no Title in the header", "a first line such as `Title: Тәжірибе алмасты`")
    elif not title.strip():
        source.at("title", header.line("title"), "empty Title", "the headline as plain text")


def _check_dates(source, header, settings):
    for key, written in (("date", "Date"), ("modified", "Modified")):
        value = header.value(key)
        if value is None:
            # Pelican accepts a missing date only for drafts or with a DEFAULT_DATE.
            if key == "date" and not settings.get("DEFAULT_DATE") and (header.value("status") or "") != "draft":
                source.at("date", 1, "no Date in the header", f"a `Date:` line, {ISO_DATE_HINT}")
            continue
        problem = date_problem(value)
        if problem:
            source.at("date", header.line(key), f"{written} '{value}' {problem}", ISO_DATE_HINT)


def date_problem(value: str) -> str | None:
    """What is wrong with a date as written ("is not a date", "is impossible (…)"), or None.

    Only ISO 8601 is accepted: Pelican's dateutil parser would also read
    «05.06.2020», as 6 May, where a Russian or Kazakh editor means 5 June.
    """
    match = ISO_DATE_RE.match(value.strip())
    if not match:
        return "is not a date"
    parts = {name: int(number) for name, number in match.groupdict().items() if number is not None}
    try:
        datetime(parts["year"], parts["month"], parts["day"], parts.get("hour", 0), parts.get("minute", 0),
                 parts.get("second", 0))
    except ValueError as error:
        return f"is impossible ({error})"
    if not EARLIEST_YEAR <= parts["year"] <= datetime.now().year + 1:
        return f"is implausible (year {parts['year']})"
    return None


def _check_language(source, header):
    lang = header.value("lang")
    if lang is not None and lang not in LANGUAGES:
        source.at("language", header.line("lang"), f"unknown language '{lang}'", f"allowed: {allowed_codes()}")


def _check_status(source, header):
    status = header.value("status")
    if status is not None and status not in STATUSES:
        source.at("status", header.line("status"), f"unknown status '{status}'", f"allowed: {', '.join(STATUSES)}")


def _check_paths(source, header):
    slug = header.value("slug")
    if slug is not None and not SLUG_RE.match(slug):
        source.at("unsafe-path", header.line("slug"), f"Slug '{slug}' is not a plain slug",
                  "letters, digits, hyphens and underscores, e.g. tazhiribe-almasty")
    for key, written in (("save_as", "Save_as"), ("url", "Url")):
        if header.value(key) is not None:
            source.at("unsafe-path", header.line(key), f"{written} overrides where the article is published",
                      "remove it: the URL is made of Lang, Date and Slug")


class _SkipReported(logging.Filter):
    """Takes over Pelican's log records about the files it skips.

    Pelican logs "Could not process x" / "Skipping x" at ERROR and carries on
    without the file; under `--fatal errors` that line would end the build at
    the first such file, before any precise message is shown. Records about
    files pass 1 already reported are dropped; for "Could not process", which
    Pelican logs inside its `except` block without the exception, the
    exception being handled is kept as the reader's message for pass 2.
    """

    def __init__(self, paths):
        super().__init__()
        self.paths = paths
        self.reader_errors: dict[str, BaseException] = {}

    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if str(record.msg).startswith("Could not process") and args:
            error = sys.exc_info()[1]
            if error is not None:
                self.reader_errors[_key(str(args[0]))] = error
                return False
        return not any(str(arg) in self.paths for arg in args if arg is not None)


_FILTERED_LOGGERS = ("pelican.generators", "pelican.contents")
_installed_filter: logging.Filter | None = None


def _install_log_filter(validation: Validation) -> None:
    global _installed_filter
    remove_log_filter()
    broken = set()
    for relpath, source in validation.sources.items():
        if source.findings:
            broken.update({relpath, relpath.replace("/", os.sep), source.path, os.path.normpath(source.path)})
    validation.log_filter = _installed_filter = _SkipReported(broken)
    for name in _FILTERED_LOGGERS:
        logging.getLogger(name).addFilter(_installed_filter)


def remove_log_filter() -> None:
    global _installed_filter
    if _installed_filter is not None:
        for name in _FILTERED_LOGGERS:
            logging.getLogger(name).removeFilter(_installed_filter)
        _installed_filter = None


# ---------------------------------------------------------------------------
# The content model (moved here from content_model.py, which now only resolves)


def model_findings(published, unpublished=()) -> list[Finding]:
    """Language, category, regions, unique URLs and translation groups of resolved articles."""
    everything = [*published, *unpublished]
    findings: list[Finding] = []
    for article in everything:
        if article.lang not in LANGUAGES:
            findings.append(finding_at("language", article, "Lang", f"unknown language '{article.lang}'",
                                       f"allowed: {allowed_codes()}"))
        if article.kind is None:
            findings.append(finding_at("category", article, "Category", f"unknown category '{article.kind_key}'",
                                       f"allowed: {', '.join(KINDS)}"))
        for code in split_codes(article.metadata.get("regions")):
            if REGIONS.get(code.upper()) is None:
                findings.append(finding_at(
                    "region", article, "Regions", f"unknown region code '{code}'",
                    "allowed: ISO 3166-2 codes of Kazakhstan and Kyrgyzstan, e.g. KZ-55, KG-Y"))
        for tag in getattr(article, "tags", None) or []:
            if not slugify(str(tag)):
                # It would get no tag page and vanish from the article's tag list.
                findings.append(finding_at("tag", article, "Tags", f"tag '{tag}' has no letter or digit",
                                           "words in the article's language, separated by commas"))
    findings.extend(_unique_urls(everything))
    findings.extend(_translation_groups(published))
    return findings


def _unique_urls(articles) -> list[Finding]:
    by_output = defaultdict(list)
    for article in articles:
        by_output[article.save_as].append(article)
    findings = []
    for clashing in by_output.values():
        if len(clashing) > 1:
            clashing = sorted(clashing, key=lambda a: a.source_path)
            files = " and ".join(display_path(a.source_path) for a in clashing)
            # Located at the URL's source in the last file: its Slug, or the Title the slug is made of.
            last = clashing[-1]
            key = "Slug" if metadata_line(last.source_path, "Slug") else "Title"
            findings.append(finding_at("duplicate-url", last, key,
                                       f"{files} would both be published at /{last.url}",
                                       "give one of them another Slug"))
    return findings


def _translation_groups(articles) -> list[Finding]:
    findings = []
    for key, group in _groups(articles).items():
        first_of = {}
        for article in sorted(group, key=lambda a: a.source_path):
            if article.lang in first_of:
                findings.append(finding_at(
                    "translation-group", article, "Translation_key",
                    f"translation key '{key}' has two {article.lang} articles: "
                    f"{display_path(first_of[article.lang].source_path)} and {display_path(article.source_path)}",
                    "one article per language in a translation group"))
            else:
                first_of[article.lang] = article
    return findings


def _groups(articles) -> dict:
    groups = defaultdict(list)
    for article in articles:
        groups[article.translation_key].append(article)
    return groups


# ---------------------------------------------------------------------------
# Pass 2: after reading


def check_after_reading(context, settings, sections) -> list[Finding]:
    """Files Pelican failed on, event dates across translations, links and images in the bodies."""
    validation = validation_of(context)
    findings = list(validation.source_findings())
    findings.extend(_failed_reads(context, settings, validation))
    contents = [c for c in context.get("generated_content", {}).values() if c is not None]
    articles = [*context.get("articles", []), *context.get("hidden_articles", [])]
    findings.extend(_event_dates(articles))
    site = SiteMap(context, settings, sections)
    for content in contents:
        findings.extend(site.check_body(content))
        findings.extend(site.check_image_metadata(content))
    return findings


def _failed_reads(context, settings, validation) -> list[Finding]:
    """Files Pelican skipped although pass 1 found nothing wrong: ask the reader why."""
    from pelican.readers import Readers
    from pelican.utils import sanitised_join

    from .article_cache import as_the_articles_generator  # Pelican's side: imported with the rest of it

    findings = []
    reader_errors = getattr(validation.log_filter, "reader_errors", {})
    generator = validation.article_generator
    for relpath, content in context.get("generated_content", {}).items():
        source = validation.sources.get(_key(relpath))
        if content is not None or (source is not None and source.findings):
            continue
        shown = display_path(os.path.join(settings["PATH"], relpath))
        try:
            if _key(relpath) in reader_errors:
                raise reader_errors[_key(relpath)]
            # Read it again as the articles generator did, to learn why it was skipped.
            readers = generator.readers if generator is not None else Readers(settings)
            article = readers.read_file(base_path=settings["PATH"], path=relpath, context=dict(context),
                                        **as_the_articles_generator(generator))
        except Exception as error:  # noqa: BLE001 - whatever the reader raised is the message
            findings.append(Finding(shown, 1, f"cannot be read: {error}", "a Markdown file with a metadata header",
                                    "reader"))
            continue
        try:
            sanitised_join(settings["OUTPUT_PATH"], article.save_as)
        except RuntimeError:
            findings.append(Finding(shown, 1, f"would be written outside the output folder, at {article.save_as}",
                                    "check Lang, Date and Slug: the URL is made of them", "unsafe-path"))
            continue
        findings.append(Finding(shown, 1, "Pelican skipped this file", "see the log above for its reason",
                                "reader"))
    return findings


def normalised_event_value(value) -> str:
    """The raw Event_start/Event_end value in one spelling, so «2020-01-17» equals «2020-01-17T00:00»."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = re.sub(r"\s+", " ", str(value).strip()).replace("T", " ")
    for suffix in (" 00:00:00", " 00:00"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _event_dates(articles) -> list[Finding]:
    findings = []
    for key, group in _groups(articles).items():
        if len(group) < 2:
            continue
        group = sorted(group, key=lambda a: a.source_path)
        for meta_key, written in (("event_start", "Event_start"), ("event_end", "Event_end")):
            values = {article: normalised_event_value(article.metadata.get(meta_key)) for article in group}
            if len(set(values.values())) < 2:
                continue
            first = group[0]
            for article in group[1:]:
                if values[article] != values[first]:
                    mine = values[article] or "none"
                    theirs = values[first] or "none"
                    findings.append(finding_at(
                        "event-dates", article, written if values[article] else "Translation_key",
                        f"{written} {mine} differs from {theirs} in {display_path(first.source_path)}, "
                        f"its translation '{key}'",
                        "every language version of one event gives the same event dates"))
    return findings


# The links and images of a body. Bodies come out of nh3 (sanitize.py), whose
# serialiser always double-quotes attribute values and escapes `"` inside
# them, so two regular expressions read them exactly, ten times faster than
# html.parser (which matters at 50,000 articles per build).
_TAG_RE = re.compile(r'<(a|img)\b((?:\s+[^\s"\'>/=]+(?:\s*=\s*"[^"]*")?)*)\s*/?>', re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(r'\s(href|src)\s*=\s*"([^"]*)"', re.IGNORECASE)


def references(body: str) -> list[tuple[str, str]]:
    """(tag, URL) for every `<a href>` and `<img src>` in a sanitized body."""
    found = []
    for tag in _TAG_RE.finditer(body):
        name = tag.group(1).lower()
        for attribute in _ATTRIBUTE_RE.finditer(tag.group(2)):
            if (attribute.group(1).lower() == "href") == (name == "a") and attribute.group(2):
                found.append((name, html.unescape(attribute.group(2))))
    return found


INTRASITE_RE = re.compile(r"^(?:\{(?P<a>\w+)\}|\|(?P<b>\w+)\|)(?P<path>.*)$")


class SiteMap:
    """Every URL this build will publish, to tell a broken link from a good one."""

    def __init__(self, context, settings, sections):
        self.context = context
        self.settings = settings
        self.content_root = Path(settings["PATH"])
        self.generated = context.get("generated_content", {})
        self.siteurl = (settings.get("SITEURL") or "").rstrip("/")
        self.urls: set[str] = {"", "404.html"}
        self.drafts: set[str] = set()
        for content in self.generated.values():
            if content is None:
                continue
            target = self.drafts if getattr(content, "status", "") == "draft" else self.urls
            target.update({_normal(content.url), _normal(content.save_as)})
        self._add_static_files()
        self._add_sections(sections)
        self.patterns = [pattern.replace("{lang}", lang)
                         for pattern in settings.get("LINK_CHECK_EXTRA_URLS", OTHER_SITE_URLS)
                         for lang in (sections or {"": None})]

    def _add_static_files(self):
        for folder in self.settings.get("STATIC_PATHS", []):
            root = self.content_root / folder
            if root.is_file():
                self.urls.add(_normal(folder))
            for path in root.rglob("*") if root.is_dir() else ():
                if path.is_file():
                    self.urls.add(_normal(path.relative_to(self.content_root).as_posix()))
        theme_static = Path(self.settings.get("THEME", "")) / "static"
        static_dir = self.settings.get("THEME_STATIC_DIR", "theme")
        for path in theme_static.rglob("*") if theme_static.is_dir() else ():
            if path.is_file():
                self.urls.add(_normal(f"{static_dir}/{path.relative_to(theme_static).as_posix()}"))

    def _add_sections(self, sections):
        per_page = self.settings.get("DEFAULT_PAGINATION") or 0
        for section in (sections or {}).values():
            self._add_paginated(section.url, len(section.articles), per_page)
            for kind in ("tags", "categories", "regions", "archive"):
                self.urls.add(_normal(section.index_url(kind)))
            listings = [*section.tags, *section.categories, *section.regions, *section.years]
            listings += [month for months in section.months.values() for month in months]
            for listing in listings:
                self._add_paginated(listing.url, len(listing.articles), per_page)

    def _add_paginated(self, url, count, per_page):
        self.urls.add(_normal(url))
        pages = math.ceil(count / per_page) if per_page else 1
        patterns = sorted(self.settings.get("PAGINATION_PATTERNS", ()), key=lambda p: p[0])
        for number in range(2, pages + 1):
            pattern = [p for p in patterns if p[0] <= number][-1][1] if patterns else "{base_name}/page/{number}/"
            self.urls.add(_normal(pattern.format(base_name=url.rstrip("/"), number=number, url=url,
                                                 save_as=url + "index.html", name=url.rstrip("/"))))

    def published(self, url: str) -> bool:
        url = _normal(url)
        if url in self.urls or url + "/" in self.urls:
            return True
        return any(fnmatch.fnmatchcase(url, pattern) or fnmatch.fnmatchcase(url + "/", pattern)
                   for pattern in self.patterns)

    def check_body(self, content) -> list[Finding]:
        body = getattr(content, "_content", None) or ""
        findings = []
        for tag, value in references(body):
            problem = self._check_reference(content, tag, value)
            if problem:
                check, message, allowed = problem
                findings.append(Finding(display_path(content.source_path),
                                        _body_line(content.source_path, value), message, allowed, check))
        return findings

    def _check_reference(self, content, tag, value):
        is_image = tag == "img"
        check = "missing-image" if is_image else "broken-link"
        if tag not in ("a", "img"):
            return None
        intrasite = INTRASITE_RE.match(value)
        if intrasite:
            return self._check_intrasite(content, intrasite, is_image, check, value)
        parts = urlsplit(value)
        if is_image and (parts.scheme or parts.netloc):
            if parts.scheme == "data":
                return None  # the sanitizer removes data: URLs; nothing is fetched
            return (check, f"image {value} is not in content/",
                    "copy it under content/images/ and link it as {static}/images/<name>")
        if parts.scheme or value.startswith("#"):
            if self.siteurl and value.startswith(self.siteurl + "/"):
                return self._check_site_path(value[len(self.siteurl):], check, value, is_image)
            return None  # another site: not ours to check
        if value.startswith("//"):
            return None
        if value.startswith("/"):
            return self._check_site_path(value, check, value, is_image)
        # Relative to the page the body is published on.
        base = posixpath.dirname(_normal(getattr(content, "url", "") or "").rstrip("/") + "/x")
        return self._check_site_path("/" + posixpath.normpath(posixpath.join(base, parts.path)), check, value,
                                     is_image)

    def _check_site_path(self, path, check, value, is_image):
        site_path = unquote(urlsplit(path).path).lstrip("/")
        if is_image:
            if (self.content_root / site_path).is_file() and self.published(site_path):
                return None
            return (check, f"image {value} is not in content/",
                    "put it under content/images/ and link it as {static}/images/<name>")
        if self.published(site_path):
            return None
        if _normal(site_path) in self.drafts or _normal(site_path) + "/" in self.drafts:
            return (check, f"link to {value}, which is a draft", "link only to published pages")
        return (check, f"link to {value}, a page this site does not have",
                "a page of this site, e.g. /kk/2020/05/<slug>/, or {filename}<article file>")

    def _check_intrasite(self, content, match, is_image, check, value):
        what = match.group("a") or match.group("b")
        target = unquote(urlsplit(match.group("path")).path)
        if what not in ("filename", "static", "attach"):
            return (check, f"{{{what}}} link {value}: this site has no such Pelican page",
                    "{filename}, {static} or a site URL such as /kk/tags/<tag>/")
        if target.startswith("/"):
            relpath = target.lstrip("/")
        else:
            relpath = posixpath.join(posixpath.dirname(content.relative_source_path.replace(os.sep, "/")), target)
        relpath = posixpath.normpath(relpath)
        if relpath.startswith("../") or relpath == "..":
            return (check, f"{value} points outside content/", "a file under content/")
        linked = self.generated.get(relpath)
        if what == "filename" and linked is not None:
            if getattr(linked, "status", "") == "draft" and getattr(content, "status", "") != "draft":
                return (check, f"link to {value}, which is a draft", "link only to published articles")
            return None
        if relpath in self.generated:
            return None  # that file could not be read: reported on its own
        if (self.content_root / relpath).is_file():
            return None
        noun = "image" if is_image else "file"
        return (check, f"{noun} {value} does not exist (no content/{relpath})",
                "a path relative to this file, or from content/ when it starts with /")

    def check_image_metadata(self, content) -> list[Finding]:
        value = str(content.metadata.get("image") or "").strip()
        if not value:
            return []
        problem = None
        intrasite = INTRASITE_RE.match(value)
        if intrasite:
            problem = self._check_intrasite(content, intrasite, True, "missing-image", value)
        elif urlsplit(value).scheme or value.startswith("//"):
            problem = ("missing-image", f"image {value} is not in content/",
                       "copy it under content/images/ and give its path, e.g. Image: {static}/images/<name>")
        else:
            # The rules metadata.declared_image_url publishes it by: from content/ with a leading /,
            # else relative to the article's file.
            source_dir = posixpath.dirname(content.relative_source_path.replace(os.sep, "/"))
            candidate = value.lstrip("/") if value.startswith("/") else posixpath.join(source_dir, value)
            candidate = posixpath.normpath(unquote(candidate))
            if candidate.startswith("..") or not (self.content_root / candidate).is_file():
                problem = ("missing-image", f"image {value} is not in content/ (no content/{candidate})",
                           "a file under content/, e.g. Image: {static}/images/<name>")
        if not problem:
            return []
        check, message, allowed = problem
        return [finding_at(check, content, "Image", message, allowed)]


def _normal(url: str) -> str:
    url = (url or "").lstrip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    return url


def _body_line(path: str, value: str) -> int | None:
    """The first line after the header that mentions `value` (links keep their text in Markdown)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    header_end = parse_header(text).end_line
    candidates = [value, html.escape(value, quote=False), unquote(value)]
    for number, line in enumerate(text.split("\n"), start=1):
        if number > header_end and any(candidate in line for candidate in candidates):
            return number
    return header_end + 1 if header_end else None


# ---------------------------------------------------------------------------
# Errors or warnings


def warning_checks(settings) -> frozenset[str]:
    """The check ids CHECKS_AS_WARNINGS names; a ContentError if it names one that cannot be a warning."""
    named = settings.get("CHECKS_AS_WARNINGS") or ()
    if isinstance(named, str):
        named = [name.strip() for name in named.split(",") if name.strip()]
    wrong = [name for name in named if name not in DOWNGRADABLE]
    if wrong:
        raise ContentError([Problem(
            "CHECKS_AS_WARNINGS", None, f"cannot turn {', '.join(repr(n) for n in wrong)} into warnings",
            f"allowed: {', '.join(sorted(DOWNGRADABLE))}")])
    return frozenset(named)


def enforce(context, findings, settings) -> None:
    """Log the findings CHECKS_AS_WARNINGS allows; raise one ContentError for all the others."""
    validation = validation_of(context)
    remove_log_filter()
    unique = {}
    for finding in findings:  # a problem found by both passes is reported once
        unique.setdefault(str(finding), finding)
    findings = sorted(unique.values(), key=lambda f: (f.path, f.line or 0, f.message))
    as_warnings = warning_checks(settings)
    validation.findings = findings
    validation.warnings = [f for f in findings if getattr(f, "check", "") in as_warnings]
    for finding in validation.warnings:
        logger.warning("%s [%s, a warning by CHECKS_AS_WARNINGS]", finding, finding.check)
    errors = [f for f in findings if f not in validation.warnings]
    if errors:
        raise ContentError(errors)


# ---------------------------------------------------------------------------
# `invoke check`: the same passes, no output written


def check_site(settings_file, content=None, out=sys.stdout, **overrides) -> int:
    """Read and check all content as a build would, write nothing; print the problems; return how many errors."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from . import accounting

    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
    # A check writes nothing, so it must not touch the incremental build's manifest either.
    overrides.setdefault("INCREMENTAL_BUILD", False)
    settings = read_settings(str(settings_file), override=overrides)
    pelican = Pelican(settings)
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"])
    # Pelican.run() would also write; only its first half (every generator's
    # generate_context) is needed, and Pelican has no public call for it.
    generators = [cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
                      output_path=pelican.output_path) for cls in pelican._get_generator_classes()]
    errors: list[Problem] = []
    try:
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
    except ContentError as error:
        errors = list(error.problems)
    finally:
        remove_log_filter()
        accounting.forget(settings)
    validation = validation_of(context)
    warnings = validation.warnings
    for problem in errors:
        print(problem, file=out)
    for finding in warnings:
        print(_as_warning_line(finding), file=out)
    ledger = context.get(accounting.CONTEXT_KEY)
    found = f" in {ledger.describe_found()}" if ledger is not None else ""
    if errors or warnings:
        counts = defaultdict(int)
        for problem in [*errors, *warnings]:
            counts[getattr(problem, "check", "") or "other"] += 1
        by_check = ", ".join(f"{count} {check}" for check, count in sorted(counts.items()))
        print(f"{plural(len(errors), 'problem')}, {plural(len(warnings), 'warning')}{found} ({by_check})",
              file=out)
    else:
        print(f"No problems{found}.", file=out)
    return len(errors)


def _as_warning_line(finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    hint = f" ({finding.allowed})" if finding.allowed else ""
    return f"{where}: warning: {finding.message}{hint}"


def plural(count: int, noun: str) -> str:
    """«1 problem», «3 problems»: counts in the English summaries of checks and builds."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
