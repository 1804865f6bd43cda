"""Atom and RSS feeds, one language at a time: per section, per term, and one for all languages.

Pelican's own feed writer is switched off (pelicanconf.py): it knows one
language per feed, no xml:lang per entry, and ids made from the URL. This
module builds the feeds with feedgenerator (the library Pelican itself uses),
extended for what the archive needs: xml:lang on every entry, the full HTML
with absolute links, categories with a scheme per kind of term, RSS
content:encoded.

    /feeds/all.atom.xml, /feeds/all.rss.xml            every language
    /kk/feeds/all.atom.xml, /kk/feeds/all.rss.xml      one language
    /kk/feeds/tags/<slug>.atom.xml                     one tag (categories/, regions/ likewise)

Each feed holds the newest FEED_MAX_ENTRIES articles (default 50).
"""
from __future__ import annotations

import datetime as dt
import heapq
import io
import os
from dataclasses import dataclass
from urllib.parse import urlparse

from feedgenerator import Atom1Feed, Rss201rev2Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from .errors import ContentError, Problem
from .i18n import load_catalogs, page_lang
from .incremental import produce, unchanged
from .languages import LANGUAGES
from .metadata import (absolute_base, absolute_url, article_text, author_names, modified_or_published,
                       plain_title, strip_control_characters)

DEFAULT_MAX_ENTRIES = 50
ATOM, RSS = "atom", "rss"
MIME_TYPES = {ATOM: "application/atom+xml", RSS: "application/rss+xml"}
FORMAT_NAMES = {ATOM: "Atom", RSS: "RSS"}
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
# The footer's line, already translated in every catalog, serves as the feeds' description.
DESCRIPTION = "Event reports from Kazakhstan and Kyrgyzstan, in Kazakh, Kyrgyz, Russian and English."

# Where each feed is written, relative to the site root.
FEED_PATTERNS = {
    "all": "feeds/all.{format}.xml",
    "language": "{lang}/feeds/all.{format}.xml",
    "tag": "{lang}/feeds/tags/{slug}.atom.xml",
    "category": "{lang}/feeds/categories/{slug}.atom.xml",
    "region": "{lang}/feeds/regions/{slug}.atom.xml",
}
TERM_INDEXES = {"tag": "tags", "category": "categories", "region": "regions"}


def language_feed_url(lang: str, format: str = ATOM) -> str:
    return FEED_PATTERNS["language"].format(lang=lang, format=format)


def all_languages_feed_url(format: str = ATOM) -> str:
    return FEED_PATTERNS["all"].format(format=format)


def term_feed_url(listing, lang: str) -> str:
    """The feed of a tag, category or region listing; its slug is the last part of the page's URL."""
    slug = listing.url.rstrip("/").rsplit("/", 1)[-1]
    return FEED_PATTERNS[listing.kind].format(lang=lang, slug=slug)


def max_entries(settings) -> int:
    value = settings.get("FEED_MAX_ENTRIES", DEFAULT_MAX_ENTRIES)
    if value is None:
        return DEFAULT_MAX_ENTRIES
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ContentError([Problem("FEED_MAX_ENTRIES", None, f"cannot be {value!r}",
                                    f"a whole number of entries per feed, at least 1 (default {DEFAULT_MAX_ENTRIES})")])
    return value


def feed_title(sitename: str, lang: str | None = None, term: str | None = None) -> str:
    parts = [sitename]
    if lang:
        parts.append(LANGUAGES[lang].native_name)
    if term:
        parts.append(term)
    return strip_control_characters(" · ".join(parts))


# ---- autodiscovery and visible links --------------------------------------------------------

@dataclass(frozen=True)
class FeedLink:
    url: str  # site URL of the feed
    title: str
    format: str  # atom or rss
    scope: str  # term, language or all

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.format]


def page_feed_links(context) -> list[FeedLink]:
    """The feeds a page offers, most specific first: its term's, its language's, or all languages'."""
    sitename = context.get("SITENAME", "")
    sections = context.get("sections") or {}
    kind = context.get("page_kind")
    lang = page_lang(context)
    links = []
    listing = context.get("listing")
    if context.get("article") is None and listing is not None and kind in TERM_INDEXES and lang in sections:
        links.append(FeedLink(term_feed_url(listing, lang), feed_title(sitename, lang, listing.name), ATOM, "term"))
    if kind not in ("chooser", "404") and lang in sections:
        for format in (ATOM, RSS):
            links.append(FeedLink(language_feed_url(lang, format), feed_title(sitename, lang), format, "language"))
    if not links and sections:
        for format in (ATOM, RSS):
            links.append(FeedLink(all_languages_feed_url(format), feed_title(sitename), format, "all"))
    return links


def install_in_templates(generator):
    """Give a generator's templates `page_feeds()` for autodiscovery and the visible feed link."""
    generator.env.globals.update(page_feeds=pass_context(page_feed_links))


# ---- feed documents -------------------------------------------------------------------------

class _EntriesWrittenOnce:
    """An entry's XML follows from its article and the feed's format alone, and an article is
    listed in several feeds (its language's, its kind's, its tags' and regions'): feedgenerator's
    XML writer, a fifth of a cold build's time, writes it once per build and format, and each
    feed copies it. `entries_written` is the build's memo; an item's `memo_key` names its entry."""

    ITEM_ELEMENT = "item"
    entries_written: dict | None = None

    def write_items(self, handler):
        memo = self.entries_written if self.entries_written is not None else {}
        for item in self.items:
            key = item.get("memo_key")
            xml = memo.get(key)
            if xml is None:
                buffer = io.StringIO()
                writer = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
                writer.startElement(self.ITEM_ELEMENT, self.item_attributes(item))
                self.add_item_elements(writer, item)
                writer.endElement(self.ITEM_ELEMENT)
                xml = buffer.getvalue()
                if key is not None:
                    memo[key] = xml
            handler.ignorableWhitespace(xml)  # written as it is, after closing the open start tag


class ArchiveAtomFeed(_EntriesWrittenOnce, Atom1Feed):
    """Atom with xml:lang on each entry (the all-languages feed mixes them) and typed categories."""

    ITEM_ELEMENT = "entry"

    def item_attributes(self, item):
        return {"xml:lang": item["lang"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["more_authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        for term, scheme in item["terms"]:
            handler.addQuickElement("category", None, {"term": term, "scheme": scheme})


class ArchiveRssFeed(_EntriesWrittenOnce, Rss201rev2Feed):
    """RSS 2.0 with the full text in content:encoded and the terms' kinds as category domains."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["more_authors"]:
            handler.addQuickElement("dc:creator", name)
        for term, scheme in item["terms"]:
            handler.addQuickElement("category", term, {"domain": scheme})
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])


@dataclass
class Entry:
    """What every feed says about one article, computed once per build."""

    title: str
    link: str
    tag_uri: str
    lang: str
    summary: str
    content: str
    published: object
    updated: object
    authors: list
    terms: list  # (term, scheme) pairs


class FeedsGenerator(Generator):
    """Writes every feed after the sections are known (they come from LanguageViewsGenerator)."""

    def generate_context(self):
        self.limit = max_entries(self.settings)  # a wrong setting stops the build before anything is written
        self.entries: dict[str, Entry] = {}
        self.entries_written: dict[tuple, str] = {}  # (format, article) -> its entry's XML
        self.catalogs = load_catalogs(os.path.join(self.theme, "translations"))

    def generate_output(self, writer):
        sections = self.context.get("sections") or {}
        limit = self.limit
        sitename = self.settings.get("SITENAME", "")
        for lang, section in sections.items():
            description = self.catalogs[lang].ugettext(DESCRIPTION)
            for format in (ATOM, RSS):
                self.write_feed(language_feed_url(lang, format), format, section.articles[:limit],
                                feed_title(sitename, lang), section.url, description, lang)
            for listings in (section.tags, section.categories, section.regions):
                for listing in listings:
                    self.write_feed(term_feed_url(listing, lang), ATOM, listing.articles[:limit],
                                    feed_title(sitename, lang, listing.name), listing.url, description, lang)
        if sections:
            # Each section is newest first already: merge rather than sort everything.
            newest = list(heapq.merge(*(s.articles for s in sections.values()),
                                      key=lambda article: article.date, reverse=True))[:limit]
            for format in (ATOM, RSS):
                self.write_feed(all_languages_feed_url(format), format, newest, feed_title(sitename),
                                "", DESCRIPTION, None)

    # -- one feed

    def write_feed(self, url, format, articles, title, page_url, description, lang):
        path = sanitised_join(self.output_path, url)
        # An entry shows its article's own fields and the names of its terms: depth 0.
        if unchanged(path, self.context, ("feed", url, format, title, page_url, description, lang, articles), 0):
            return
        produce(path, lambda: self.feed_bytes(path, url, format, articles, title, page_url, description, lang))

    def feed_bytes(self, path, url, format, articles, title, page_url, description, lang) -> bytes:
        feed_url = absolute_url(self.settings, url)
        feed_class = ArchiveAtomFeed if format == ATOM else ArchiveRssFeed
        feed = feed_class(
            title=title,
            link=absolute_url(self.settings, page_url),
            description=strip_control_characters(description),
            language=lang,
            feed_url=feed_url,
            feed_guid=feed_url,  # the feed's own address never changes between builds
            author_name=strip_control_characters(self.settings.get("SITENAME", "")),
            author_link=absolute_url(self.settings, ""),
        )
        if not signals.feed_generated.receivers:  # a receiver may change one feed's items
            feed.entries_written = self.entries_written
        for article in articles:
            entry = self.entry(article)
            common = dict(title=entry.title, link=entry.link, pubdate=entry.published,
                          author_name=(entry.authors or [self.settings.get("SITENAME", "")])[0],
                          lang=entry.lang, more_authors=entry.authors[1:], terms=entry.terms,
                          memo_key=(format, article.source_path))
            if format == ATOM:
                feed.add_item(description=entry.summary or None, content=entry.content, unique_id=entry.tag_uri,
                              updateddate=entry.updated, **common)
            else:
                feed.add_item(description=entry.summary or entry.content, content=entry.content,
                              unique_id=entry.link, unique_id_is_permalink=True, **common)
        signals.feed_generated.send(self.context, feed=feed)
        document = io.StringIO()
        feed.write(document, "utf-8")
        # Sent before produce() writes the bytes (only if they changed: unchanged feeds keep their mtime).
        signals.feed_written.send(path, context=self.context, feed=feed)
        return document.getvalue().encode("utf-8")

    def entry(self, article) -> Entry:
        cached = self.entries.get(article.source_path)
        if cached is None:
            cached = self.entries[article.source_path] = self._make_entry(article)
        return cached

    def _make_entry(self, article) -> Entry:
        settings = self.settings
        link = absolute_url(settings, article.url)
        text = article_text(article, settings)
        terms = []
        kind_listing = getattr(article, "category_listing", None)
        for listing in [kind_listing] if kind_listing else []:
            terms.append((listing.name, absolute_url(settings, f"{article.lang}/{TERM_INDEXES['category']}/")))
        for listing in [*getattr(article, "tag_listings", []), *getattr(article, "region_listings", [])]:
            index = TERM_INDEXES[listing.kind]
            terms.append((strip_control_characters(listing.name), absolute_url(settings, f"{article.lang}/{index}/")))
        return Entry(
            title=plain_title(article),
            link=link,
            tag_uri=tag_uri(link, article.date, absolute_base(settings)),
            lang=article.lang,
            summary=text.summary_html,
            content=text.html,
            published=article.date,
            updated=modified_or_published(article),
            authors=author_names(article),
            terms=terms,
        )


def tag_uri(link: str, date, base: str) -> str:
    """An RFC 4151 tag: URI from the article's address and publication day.

    It stays the same from build to build (and across a change of theme or
    feed layout) as long as the article keeps its address.
    """
    host = urlparse(base).hostname or "localhost"
    # datetime's own strftime: Pelican's SafeDatetime.strftime formats each directive
    # separately (for its "%-d" forms), the same text at many times the cost.
    return f"tag:{host},{dt.date.strftime(date, '%Y-%m-%d')}:{urlparse(link).path}"


def get_generators(pelican):
    return FeedsGenerator
