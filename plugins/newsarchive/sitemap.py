"""sitemap.xml of every page the build wrote, with hreflang alternates; robots.txt pointing to it.

The sitemap lists what was really written rather than recomputing URLs: the
generator records each HTML page as Pelican's writer reports it
(`content_written`), with what its context says (article, listing, page of
a paginated list), and writes the sitemap when the whole build is done
(`finalized`), so pages from any generator, whatever its order, are included.

Alternates follow the pages' own <link rel="alternate" hreflang>: an article's
translation group (itself included) and the four front pages, each group with
`x-default` pointing to the language chooser.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlparse

from lxml import etree
from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from .errors import ContentError, Problem
from .incremental import write_if_changed
from .languages import LANGUAGES
from .metadata import absolute_url, iso_datetime, modified_or_published, site_url_of_file

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The protocol's limit of URLs per sitemap file; beyond it sitemap.xml becomes an index.
DEFAULT_MAX_URLS = 50_000
NOT_LISTED = {"404.html"}


@dataclass
class SitemapEntry:
    url: str  # site URL ('' for the root)
    lastmod: object = None
    alternates: list = field(default_factory=list)  # (hreflang, site URL), x-default last


def _language_order(code: str) -> int:
    order = list(LANGUAGES)
    return order.index(code) if code in order else len(order)


def entry_for_page(url: str, context) -> SitemapEntry | None:
    """What the sitemap says about one written page; None for pages it must not list."""
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
        shown = page.object_list
    elif context.get("section") is not None:
        shown = context["section"].articles
    else:
        shown = [a for s in sections.values() for a in s.articles[:1]]
    dates = [modified_or_published(a) for a in shown if getattr(a, "date", None)]
    entry = SitemapEntry(url, max(dates) if dates else None)
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
        # The writer's paths are under output_path as given: abspath, not realpath (an lstat per folder).
        self.output_root = os.path.abspath(self.output_path)
        # Weak references to bound methods: a failed build's generator does not keep listening.
        signals.content_written.connect(self.record_page)
        signals.finalized.connect(self.write_sitemap)

    def record_page(self, path, context=None):
        path = os.path.abspath(path)
        if not path.startswith(self.output_root + os.sep) or not path.endswith(".html"):
            return
        save_as = path[len(self.output_root) + 1:].replace(os.sep, "/")
        if save_as in NOT_LISTED or context is None:
            return
        url = site_url_of_file(save_as)
        entry = entry_for_page(url, context)
        if entry is not None:
            self.pages[url] = entry

    def write_sitemap(self, pelican):
        signals.content_written.disconnect(self.record_page)
        signals.finalized.disconnect(self.write_sitemap)
        entries = sorted(self.pages.values(), key=lambda entry: entry.url)
        limit = self.limit
        if len(entries) <= limit:
            self._write_xml("sitemap.xml", self.urlset(entries))
        else:
            parts = []
            for number, start in enumerate(range(0, len(entries), limit), start=1):
                name = f"sitemap-{number}.xml"
                chunk = entries[start:start + limit]
                self._write_xml(name, self.urlset(chunk))
                parts.append((name, max((e.lastmod for e in chunk if e.lastmod), default=None)))
            self._write_xml("sitemap.xml", self.sitemap_index(parts))
        self._write_text("robots.txt", self.robots_txt())

    # -- documents

    def urlset(self, entries) -> etree._Element:
        urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
        for entry in entries:
            url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute_url(self.settings, entry.url)
            if entry.lastmod:
                etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = iso_datetime(entry.lastmod)
            for hreflang, target in entry.alternates:
                etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang,
                                 href=absolute_url(self.settings, target))
        return urlset

    def sitemap_index(self, parts) -> etree._Element:
        index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
        for name, lastmod in parts:
            sitemap = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
            etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}loc").text = absolute_url(self.settings, name)
            if lastmod:
                etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}lastmod").text = iso_datetime(lastmod)
        return index

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

    def _write_xml(self, name, root):
        self._write_bytes(name, etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))

    def _write_text(self, name, text):
        self._write_bytes(name, text.encode("utf-8"))

    def _write_bytes(self, name, data):
        write_if_changed(sanitised_join(self.output_path, name), data)


def get_generators(pelican):
    return SitemapGenerator
