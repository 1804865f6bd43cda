"""One page of every kind, in every language, found in a built site (for the accessibility and HTML checks).

The kinds are listed here once so that both checks visit the same pages; the
URLs are looked up in the output, so new sample content needs no update.
"""
from __future__ import annotations

from pathlib import Path

from newsarchive.languages import LANGUAGES

SITE_KINDS = ("chooser", "404")
LANGUAGE_KINDS = (
    "front", "article", "event-report", "tags", "tag", "categories", "category", "regions", "region",
    "archive", "year", "month", "events", "events-region", "search",
)
# (language, kind) pairs; the chooser and the 404 page belong to no language.
PAGES = [("", kind) for kind in SITE_KINDS] + [(lang, kind) for lang in LANGUAGES for kind in LANGUAGE_KINDS]


def page_id(page) -> str:
    lang, kind = page
    return f"{lang}-{kind}" if lang else kind


def _folder_url(site: Path, index_html: Path) -> str:
    return index_html.parent.relative_to(site).as_posix() + "/"


def _first(site: Path, pattern: str) -> str | None:
    matches = sorted(site.glob(pattern))
    return _folder_url(site, matches[0]) if matches else None


def _articles(site: Path, lang: str, with_event: bool) -> str | None:
    """An article page of the language, with or without an event box."""
    for path in sorted(site.glob(f"{lang}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")):
        if ('class="event-box"' in path.read_text(encoding="utf-8")) == with_event:
            return _folder_url(site, path)
    return None


def find_pages(site: Path) -> dict[tuple[str, str], str]:
    """(language, kind) -> site URL ('kk/tags/x/', '404.html') of one page of that kind the build wrote."""
    site = Path(site)
    found = {("", "chooser"): "", ("", "404"): "404.html"}
    for lang in LANGUAGES:
        if not (site / lang / "index.html").exists():
            continue
        candidates = {
            "front": f"{lang}/",
            # A language whose every report is an event has no other kind of article page.
            "article": _articles(site, lang, with_event=False) or _articles(site, lang, with_event=True),
            "event-report": _articles(site, lang, with_event=True),
            "tags": _first(site, f"{lang}/tags/index.html"),
            "tag": _first(site, f"{lang}/tags/*/index.html"),
            "categories": _first(site, f"{lang}/categories/index.html"),
            "category": _first(site, f"{lang}/categories/*/index.html"),
            "regions": _first(site, f"{lang}/regions/index.html"),
            "region": _first(site, f"{lang}/regions/*/index.html"),
            "archive": _first(site, f"{lang}/archive/index.html"),
            "year": _first(site, f"{lang}/archive/[0-9][0-9][0-9][0-9]/index.html"),
            "month": _first(site, f"{lang}/archive/[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
            "events": _first(site, f"{lang}/events/index.html"),
            "events-region": _first(site, f"{lang}/events/*/index.html"),
            "search": _first(site, f"{lang}/search/index.html"),
        }
        found.update({(lang, kind): url for kind, url in candidates.items() if url is not None})
    return found


def file_of(site: Path, url: str) -> Path:
    path = Path(site) / url
    return path / "index.html" if url == "" or url.endswith("/") else path
