"""sitemap.xml of every page the build wrote, with hreflang alternates; robots.txt pointing to it.

The sitemap lists what was really written rather than recomputing URLs: the
generator records each HTML page as Pelican's writer reports it
(`content_written`), with what its context says (article, listing, page of
a paginated list), and writes the sitemap when the whole build is done
(`finalized`), so pages from any generator, whatever its order, are included.

Alternates follow the pages' own <link rel="alternate" hreflang>: an article's
translation group (itself included) and the four front pages, each group with
`x-default` pointing to the language chooser.

The XML is written as text, byte for byte as lxml would serialize the same
elements (tests/test_build_tail.py compares the two): creating some forty
thousand lxml elements took two thirds of the sitemap's time in every build.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from . import split_output
from .errors import ContentError, Problem
from .incremental import write_if_changed
from .languages import LANGUAGES
from .metadata import absolute_url, iso_datetime, modified_or_published, site_url_of_file

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The protocol's limit of URLs per sitemap file; beyond it sitemap.xml becomes an index.
DEFAULT_MAX_URLS = 50_000
NOT_LISTED = {"404.html"}
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"
# Characters XML 1.0 does not allow (lxml refuses them too).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class SitemapEntry:
    url: str  # site URL ('' for the root)
    lastmod: object = None
    alternates: list = field(default_factory=list)  # (hreflang, site URL), x-default last


def _language_order(code: str) -> int:
    order = list(LANGUAGES)
    return order.index(code) if code in order else len(order)


def newest_date(articles, known: dict | None = None):
    """The latest date (modified, else published) of the articles that have one; None if none has.

    Asked for each of the 5,000 list pages of a 5,000-article archive, kept or not, some 50,000
    cards in all. `known`, kept by the caller through a build, holds each article's date once
    found (id -> (article, date)): getattr of a missing `modified` raises inside, several times
    the cost of the lookup. A loop, not max(), keeps the first of equal dates, as max would."""
    newest = None
    for article in articles:
        found = known.get(id(article)) if known is not None else None
        if found is None:
            date = (getattr(article, "modified", None) or article.date) if getattr(article, "date", None) else None
            if known is not None:
                known[id(article)] = (article, date)  # the article kept, so its id is not reused
        else:
            date = found[1]
        if date is not None and (newest is None or date > newest):
            newest = date
    return newest


def entry_for_page(url: str, context, newest_in_section, known_dates: dict | None = None) -> SitemapEntry | None:
    """What the sitemap says about one written page; None for pages it must not list.

    `newest_in_section(section)` gives the newest date of a whole language section;
    `known_dates` is newest_date's.
    """
    article = context.get("article") or context.get("page")
    if article is not None:
        if getattr(article, "status", "published") != "published":
            return None  # drafts and hidden articles are written but not announced
        entry = SitemapEntry(url, modified_or_published(article) if hasattr(article, "date") else None)
        translations = getattr(article, "translations", None) or []
        if translations:
            group = sorted([article, *translations], key=lambda a: _language_order(a.lang))
            entry.alternates = [(a.lang, a.url) for a in group] + [("x-default", "")]
        return entry

    sections = context.get("sections") or {}
    page = context.get("articles_page")
    if page is not None and page.object_list:
        lastmod = newest_date(page.object_list, known_dates)
    elif context.get("section") is not None:
        lastmod = newest_in_section(context["section"])
    else:
        lastmod = newest_date((a for s in sections.values() for a in s.articles[:1]), known_dates)
    entry = SitemapEntry(url, lastmod)
    first_page = page is None or page.number == 1
    if context.get("page_kind") in ("front", "chooser") and first_page and len(sections) > 1:
        entry.alternates = [(code, section.url) for code, section in sections.items()] + [("x-default", "")]
    return entry


class SitemapGenerator(Generator):
    """Records the pages written during the build and writes sitemap.xml and robots.txt at its end."""

    def generate_context(self):
        self.limit = self.settings.get("SITEMAP_MAX_URLS") or DEFAULT_MAX_URLS
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1:
            raise ContentError([Problem("SITEMAP_MAX_URLS", None, f"cannot be {self.limit!r}",
                                        f"a whole number of URLs per sitemap file (default {DEFAULT_MAX_URLS})")])
        self.pages: dict[str, SitemapEntry] = {}
        self.section_newest: dict[int, tuple] = {}  # id(section) -> (section, its newest date)
        self.known_dates: dict[int, tuple] = {}  # id(article) -> (article, its date): newest_date's
        # The writer's paths are under output_path as given: abspath, not realpath (an lstat per folder).
        self.output_root = os.path.abspath(self.output_path)
        # Weak references to bound methods: a failed build's generator does not keep listening.
        signals.content_written.connect(self.record_page)
        signals.finalized.connect(self.write_sitemap)
        # Pages written by a forked copy of the build are listed here too.
        split_output.carry("sitemap", self.record_page, lambda: dict(self.pages),
                           lambda _before, after: self.pages.update(after))

    def record_page(self, path, context=None):
        path = os.path.abspath(path)
        if not path.startswith(self.output_root + os.sep) or not path.endswith(".html"):
            return
        save_as = path[len(self.output_root) + 1:].replace(os.sep, "/")
        if save_as in NOT_LISTED or context is None:
            return
        url = site_url_of_file(save_as)
        entry = entry_for_page(url, context, self.newest_in_section, self.known_dates)
        if entry is not None:
            self.pages[url] = entry

    def newest_in_section(self, section):
        """Found once per section: over a hundred pages list a whole section (the events of each
        region, the indexes of terms), and each section holds thousands of articles."""
        known = self.section_newest.get(id(section))
        if known is None:
            # The section is kept with its date, so its id cannot be reused by another object.
            known = self.section_newest[id(section)] = (section, newest_date(section.articles, self.known_dates))
        return known[1]

    def write_sitemap(self, pelican):
        signals.content_written.disconnect(self.record_page)
        signals.finalized.disconnect(self.write_sitemap)
        entries = sorted(self.pages.values(), key=lambda entry: entry.url)
        limit = self.limit
        if len(entries) <= limit:
            self._write_bytes("sitemap.xml", self.urlset(entries))
        else:
            parts = []
            for number, start in enumerate(range(0, len(entries), limit), start=1):
                name = f"sitemap-{number}.xml"
                chunk = entries[start:start + limit]
                self._write_bytes(name, self.urlset(chunk))
                parts.append((name, max((e.lastmod for e in chunk if e.lastmod), default=None)))
            self._write_bytes("sitemap.xml", self.sitemap_index(parts))
        self._write_text("robots.txt", self.robots_txt())

    # -- documents

    def urlset(self, entries) -> bytes:
        lines = []
        for entry in entries:
            lines.append("  <url>")
            lines.append(f"    <loc>{xml_text(absolute_url(self.settings, entry.url))}</loc>")
            if entry.lastmod:
                lines.append(f"    <lastmod>{xml_text(iso_datetime(entry.lastmod))}</lastmod>")
            for hreflang, target in entry.alternates:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{xml_attribute(hreflang)}" '
                             f'href="{xml_attribute(absolute_url(self.settings, target))}"/>')
            lines.append("  </url>")
        return xml_document(f'urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}"', lines)

    def sitemap_index(self, parts) -> bytes:
        lines = []
        for name, lastmod in parts:
            lines.append("  <sitemap>")
            lines.append(f"    <loc>{xml_text(absolute_url(self.settings, name))}</loc>")
            if lastmod:
                lines.append(f"    <lastmod>{xml_text(iso_datetime(lastmod))}</lastmod>")
            lines.append("  </sitemap>")
        return xml_document(f'sitemapindex xmlns="{SITEMAP_NS}"', lines)

    def robots_txt(self) -> str:
        """Crawlers may read everything but drafts; the sitemap's address is absolute, as they require.

        Crawlers only read /robots.txt at the host's root: a site published under
        a sub-path (https://example.org/archive) must copy these lines there.
        """
        root_path = urlparse(absolute_url(self.settings, "")).path
        drafts = self.settings.get("DRAFT_URL", "")
        lines = ["User-agent: *"]
        if drafts:
            lines.append(f"Disallow: {root_path}{drafts.split('{', 1)[0]}")
        else:
            lines.append("Disallow:")
        lines += ["", f"Sitemap: {absolute_url(self.settings, 'sitemap.xml')}", ""]
        return "\n".join(lines)

    # -- files

    def _write_text(self, name, text):
        self._write_bytes(name, text.encode("utf-8"))

    def _write_bytes(self, name, data):
        write_if_changed(sanitised_join(self.output_path, name), data)


def xml_text(value: str) -> str:
    """Character data escaped as lxml escapes it."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attribute(value: str) -> str:
    """An attribute value, to go between double quotes, escaped as lxml escapes it."""
    return xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def xml_document(root: str, lines: list[str]) -> bytes:
    """The root element (its name and namespace declarations) holding `lines`, its children
    already indented: the bytes of lxml's tostring(xml_declaration=True, encoding="UTF-8",
    pretty_print=True)."""
    if lines:
        text = "\n".join([XML_DECLARATION, f"<{root}>", *lines, f"</{root.split(' ', 1)[0]}>", ""])
    else:
        text = f"{XML_DECLARATION}\n<{root}/>\n"
    invalid = NOT_XML.search(text)
    if invalid:  # lxml would have refused it when the element was made
        raise ValueError(f"XML cannot hold the character {invalid.group()!r} (in the sitemap)")
    return text.encode("utf-8")


def get_generators(pelican):
    return SitemapGenerator
