"""What machines read about a page: absolute URLs, description, OpenGraph, JSON-LD.

Feeds, the sitemap and every page's <head> need absolute addresses even in a
development build, where SITEURL is empty and pages link relatively. They all
take them from `absolute_base()`, as do the calendars and the events' JSON-LD:
SITEURL when it is an http(s) address (publishconf.py), else FEED_DOMAIN
(pelicanconf.py sets it to the `invoke serve` address), else DEV_SITEURL.
Page links for people keep using the per-page `{{ SITEURL }}`.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin, urlsplit

import lxml.html
from babel.dates import format_date
from jinja2 import pass_context
from markupsafe import Markup

from .i18n import load_catalogs, page_lang
from .languages import LANGUAGES

logger = logging.getLogger(__name__)

# Where `invoke serve` shows a development build.
DEV_SITEURL = "http://127.0.0.1:8000"
DESCRIPTION_LENGTH = 200

# XML 1.0 forbids C0 controls other than tab, newline and carriage return,
# surrogates and U+FFFE/U+FFFF; C1 controls are allowed but "discouraged" and in
# imported text they are always mojibake. Feeds and JSON strip them all.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text or "")


def absolute_base(settings) -> str:
    """The public address of the site root, without a trailing slash.

    The first of SITEURL and FEED_DOMAIN that is an http(s) address: a SITEURL such as
    "/archive" makes page links, not the absolute addresses feeds, calendars and
    search engines need.
    """
    for name in ("SITEURL", "FEED_DOMAIN"):
        base = (settings.get(name) or "").strip().rstrip("/")
        if urlsplit(base).scheme in ("http", "https"):
            return base
    given = tuple((name, settings.get(name)) for name in ("SITEURL", "FEED_DOMAIN") if settings.get(name))
    if given and given not in _ADDRESSES_WARNED_OF:
        # A publish with ARCHIVE_SITEURL=reports.example.org (no https://) would otherwise put
        # the development address into every feed, calendar and canonical link unnoticed.
        _ADDRESSES_WARNED_OF.add(given)
        logger.warning("%s: not an http(s) address; feeds, the sitemap, calendars and page heads use %s "
                       "instead (set SITEURL or FEED_DOMAIN to the public address, https://…)",
                       ", ".join(f"{name} = {value!r}" for name, value in given), DEV_SITEURL)
    return DEV_SITEURL


_ADDRESSES_WARNED_OF: set[tuple] = set()


def absolute_url(settings, url: str) -> str:
    """A site URL such as 'kk/2024/01/slug/' ('' for the root) made absolute."""
    return f"{absolute_base(settings)}/{url or ''}"


def iso_datetime(value) -> str:
    """ISO 8601 / RFC 3339 with the offset, to the second (Pelican's dates carry the site's zone)."""
    return value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else value.isoformat()


def modified_or_published(article):
    return getattr(article, "modified", None) or article.date


# ---- article text ---------------------------------------------------------------------------

def html_fragment(html: str):
    """Parse an HTML fragment into a <div> that holds it."""
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def fragment_html(container) -> str:
    """Serialize what `html_fragment` parsed, without the wrapping <div>."""
    parts = [lxml.html.tostring(child, encoding="unicode") for child in container]
    return (container.text or "") + "".join(parts)


def _absolute_srcset(value: str, base: str) -> str:
    # lxml's make_links_absolute leaves srcset alone: each candidate is "URL [descriptor]".
    candidates = []
    for candidate in value.split(","):
        bits = candidate.strip().split(None, 1)
        if bits:
            bits[0] = urljoin(base, bits[0])
            candidates.append(" ".join(bits))
    return ", ".join(candidates)


def _absolute_container(html: str, page_url: str):
    container = html_fragment(strip_control_characters(html))
    for comment in container.xpath("//comment()"):
        comment.drop_tree()
    container.make_links_absolute(page_url, resolve_base_href=False)
    for element in container.xpath("//*[@srcset]"):
        element.set("srcset", _absolute_srcset(element.get("srcset"), page_url))
    return container


def absolute_html(html: str, page_url: str) -> str:
    """HTML with every link and image made absolute against the page it belongs to.

    Comments are dropped: editors leave notes in them that are not for readers.
    """
    if not (html or "").strip():
        return ""
    return fragment_html(_absolute_container(html, page_url)).strip()


def plain_text(html: str) -> str:
    if not (html or "").strip():
        return ""
    container = html_fragment(html)
    for comment in container.xpath("//comment()"):
        comment.drop_tree()
    return " ".join(strip_control_characters(container.text_content()).split())


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Cut at a word boundary, with an ellipsis when something was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return cut + "…"


@dataclass(frozen=True)
class ArticleText:
    """An article's body and summary as machines get them, each from one parse."""

    html: str  # links and images absolute, editors' comments dropped
    first_image: str | None
    first_paragraph: str  # plain text
    summary_html: str  # the summary's links and images absolute ("" without a summary)
    summary_text: str  # the summary as plain text


# The attribute article_text() keeps its results in: derived from the article, not shown.
TEXT_MEMO = "_machine_text"


def article_text(article, settings, body: str | None = None) -> ArticleText:
    """The article's body and summary for feeds and metadata.

    Kept on the article, for its page's head and each of its feeds (parsing is the costly
    part), with the body and summary they came from: a later change to either (a plugin's, a
    site whose links resolve differently) is not hidden by a stale copy. `body` is the body
    with its links resolved when the caller has it (`prepare_article_text`)."""
    page_url = absolute_url(settings, article.url)
    if body is None:
        body = article.get_content(absolute_base(settings))
    body = body or ""
    summary = article.metadata.get("summary") or ""
    memo = article.__dict__.setdefault(TEXT_MEMO, {})
    known = memo.get(page_url)
    if known is None or known[0] != body or known[1] != summary:
        known = memo[page_url] = (body, summary, _machine_text(body, summary, page_url))
    return known[2]


# Plain prose: elements without attributes (so without links or pictures) and no comments.
# Making its links absolute and dropping its comments leaves it as it is, so the lxml round trip
# (parse, rewrite, serialize: some 0.15 ms a body, most of the time spent on an article's
# machine text) is skipped for it, and its text is read off the tags. In such HTML a "<" in
# the text is escaped, so `_TAG` finds exactly the tags; anything else it finds (a comment, a
# stray "<") is not a plain tag, and the fragment goes through lxml.
_TAG = re.compile(r"<[^>]*>")
_PLAIN_TAG = re.compile(r"</?(?:p|br|hr|em|strong|b|i|u|s|code|kbd|samp|sub|sup|small|mark|del|ins|q|cite|abbr"
                        r"|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre)\s*/?>")


def _is_plain(html: str) -> bool:
    return all(_PLAIN_TAG.fullmatch(tag) for tag in _TAG.findall(html))


def _plain_text_of_plain(html: str) -> str:
    return " ".join(strip_control_characters(unescape(_TAG.sub("", html))).split())


def _paragraphs_of_plain(html: str):
    # str.find, not a regular expression: a lazy `<p>(.*?)</p>` scans Cyrillic text ten times slower.
    end = 0
    while (start := html.find("<p>", end)) >= 0 and (end := html.find("</p>", start)) >= 0:
        yield html[start + 3:end]


def _same_string(made: str, source: str) -> str:
    # Plain prose comes back as it was: its one string is kept, not two equal ones (the
    # body is most of an article's memory).
    return source if made == source else made


def _summary_text(summary: str, page_url: str) -> tuple[str, str]:
    """The summary with absolute links, and as plain text."""
    if _is_plain(summary):  # an empty summary too
        return _same_string(strip_control_characters(summary).strip(), summary), _plain_text_of_plain(summary)
    return _same_string(absolute_html(summary, page_url), summary), plain_text(summary)


def _machine_text(body: str, summary: str, page_url: str) -> ArticleText:
    summary_html, summary_text = _summary_text(summary, page_url)
    if not body.strip():
        return ArticleText("", None, "", summary_html, summary_text)
    if _is_plain(body):
        html = strip_control_characters(body).strip()
        paragraphs = (_plain_text_of_plain(paragraph) for paragraph in _paragraphs_of_plain(html))
        first = next((text for text in paragraphs if text), "") or _plain_text_of_plain(html)
        return ArticleText(_same_string(html, body), None, first, summary_html, summary_text)
    container = _absolute_container(body, page_url)
    image = next((img.get("src") for img in container.iter("img") if img.get("src")), None)
    paragraphs = (" ".join(p.text_content().split()) for p in container.iter("p"))
    first = next((text for text in paragraphs if text), "") or " ".join(container.text_content().split())
    return ArticleText(_same_string(fragment_html(container).strip(), body), image, first, summary_html, summary_text)


def prepare_article_text(article, settings) -> None:
    """Compute `article_text` as soon as the article is read.

    The two-core reading (preparse.py) calls this in each half, and the article keeps the
    result (also in the article cache). Without it, the text is parsed where it is first
    needed, while pages are rendered in two processes: most articles appear in feeds
    rendered by both, so each process would parse them. A body that links other content
    ({filename}, {static}…) is left alone here: its links resolve against the whole site,
    which is not read yet."""
    if hasattr(article, "_get_content"):
        return  # a plugin makes the body: only Pelican's get_content knows it
    body = article._content or ""
    if article._get_intrasite_link_regex().search(body):
        return
    article_text(article, settings, body)


def article_description(article, settings) -> str:
    """The summary when the article has one, else its first paragraph, as plain text."""
    text = article_text(article, settings)
    return shorten(text.summary_text or text.first_paragraph)


def declared_image_url(article, settings, value: str) -> str:
    """Where an `Image:` value points, by the rules the validator checks it with.

    `{static}`/`{attach}`/`{filename}` links are resolved by Pelican itself
    (`_update_content` is the one way to reach its link resolution for a value
    outside the article body); other values are a path from content/ when they
    start with "/", else relative to the article's file, or an absolute URL.
    Static files keep their path under content/ in the output.
    """
    if value.startswith("{"):
        html = article._update_content(f'<img src="{value}">', absolute_base(settings))
        return html_fragment(html).find(".//img").get("src")
    if urlsplit(value).scheme or value.startswith("//"):
        return value
    if value.startswith("/"):
        return absolute_url(settings, value.lstrip("/"))
    source_dir = posixpath.dirname(article.relative_source_path.replace(os.sep, "/"))
    return absolute_url(settings, posixpath.normpath(posixpath.join(source_dir, value)))


def article_image(article, settings) -> str | None:
    """The article's picture for previews: `Image:` metadata, else the first image in its text."""
    declared = str(article.metadata.get("image") or "").strip()
    if declared:
        return declared_image_url(article, settings, declared)
    return article_text(article, settings).first_image


def plain_title(article) -> str:
    """The title as the pages show it: plain text, never HTML (the templates escape it)."""
    return " ".join(strip_control_characters(str(article.title)).split())


def author_names(article) -> list[str]:
    return [strip_control_characters(str(author)).strip()
            for author in getattr(article, "authors", None) or [] if str(author).strip()]


# ---- JSON-LD --------------------------------------------------------------------------------

def json_ld(data) -> Markup:
    """JSON for a <script type="application/ld+json"> element.

    The HTML parser ends a script at the first "</script" and treats "<!--"
    specially, so '<', '>' and '&' are written as JSON escapes; U+2028/2029 as
    well, for scripts that eval the block. The result parses to the same data.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                              ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(character, escape)
    return Markup(text)


def publisher(settings) -> dict:
    return {"@type": "Organization", "name": settings.get("SITENAME", ""),
            "url": absolute_url(settings, "")}


def news_article(article, settings, description: str, image: str | None) -> dict:
    """schema.org NewsArticle for one article page, with the description and image its head shows."""
    url = absolute_url(settings, article.url)
    names = author_names(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": plain_title(article),
        "description": description,
        "inLanguage": article.lang,
        "datePublished": iso_datetime(article.date),
        "dateModified": iso_datetime(modified_or_published(article)),
        "author": [{"@type": "Person", "name": name} for name in names] or publisher(settings),
        "publisher": publisher(settings),
    }
    kind = getattr(article, "kind", None)
    if kind is not None and article.lang in kind.labels:
        data["articleSection"] = kind.label(article.lang)
    regions = getattr(article, "region_list", None) or []
    if regions:
        data["about"] = [{"@type": "AdministrativeArea", "name": region.name(article.lang),
                          "identifier": region.code} for region in regions]
    tags = [str(tag) for tag in getattr(article, "tags", None) or []]
    if tags:
        data["keywords"] = tags
    if image:
        data["image"] = [image]
    translations = getattr(article, "translations", None) or []
    if translations:
        data["workTranslation"] = [{"@type": "NewsArticle", "@id": absolute_url(settings, other.url) + "#article",
                                    "url": absolute_url(settings, other.url), "inLanguage": other.lang}
                                   for other in translations]
    source = str(getattr(article, "source", "") or "")
    if source.startswith(("http://", "https://")):
        data["isBasedOn"] = source
    return data


def breadcrumb_list(crumbs: list[tuple[str, str]], settings) -> dict:
    """schema.org BreadcrumbList from (name, site URL) pairs, outermost first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(settings, url)}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


# ---- per page -------------------------------------------------------------------------------

@dataclass
class PageMetadata:
    title: str = ""
    canonical: str | None = None
    description: str = ""
    og_type: str = "website"
    og_locale: str = ""
    og_locale_alternates: list = field(default_factory=list)
    image: str | None = None
    published_time: str | None = None
    modified_time: str | None = None
    section: str | None = None
    tags: list = field(default_factory=list)
    json_ld: list = field(default_factory=list)  # Markup, one per <script> block


def site_url_of_file(save_as: str) -> str:
    """The site URL a written file is served at: 'kk/tags/x/index.html' -> 'kk/tags/x/', 'index.html' -> ''."""
    if save_as == "index.html":
        return ""
    if save_as.endswith("/index.html"):
        return save_as[: -len("index.html")]
    return save_as


def page_url(context) -> str | None:
    """The site URL of the page being rendered; None for pages with no address of their own (404).

    Pelican's writer keeps the `url` it is given for its paginator, so list
    pages are known by their page of articles or by the file being written.
    """
    if context.get("page_kind") == "404":
        return None
    article = context.get("article")
    if article is not None:
        return article.url
    page = context.get("articles_page")
    if page is not None:
        return page.url
    output_file = context.get("output_file")
    if output_file:
        return site_url_of_file(output_file)
    url = context.get("url")
    return url if isinstance(url, str) else None


class PageDescriber:
    """Computes a page's PageMetadata from its template context."""

    def __init__(self, settings, translations_dir: str):
        self.settings = settings
        self.catalogs = load_catalogs(translations_dir)

    def _(self, lang: str, message: str) -> str:
        return self.catalogs[lang].ugettext(message)

    def describe(self, context) -> PageMetadata:
        lang = page_lang(context)
        language = LANGUAGES[lang]
        url = page_url(context)
        meta = PageMetadata(og_locale=language.og_locale,
                            canonical=absolute_url(self.settings, url) if url is not None else None)
        article = context.get("article")
        if article is not None:
            self._describe_article(meta, article)
        else:
            self._describe_listing(meta, context, lang)
        return meta

    def _front_crumb(self, lang):
        return (self.settings.get("SITENAME", ""), f"{lang}/")

    def _describe_article(self, meta, article):
        settings = self.settings
        meta.title = plain_title(article)
        meta.description = article_description(article, settings)
        meta.og_type = "article"
        meta.og_locale_alternates = [LANGUAGES[other.lang].og_locale
                                     for other in getattr(article, "translations", None) or []
                                     if other.lang in LANGUAGES]
        meta.image = article_image(article, settings)
        meta.published_time = iso_datetime(article.date)
        meta.modified_time = iso_datetime(modified_or_published(article))
        category = getattr(article, "category_listing", None)
        meta.section = category.name if category else None
        meta.tags = [listing.name for listing in getattr(article, "tag_listings", None) or []]
        crumbs = [self._front_crumb(article.lang)]
        if category:
            crumbs.append((category.name, category.url))
        crumbs.append((meta.title, article.url))
        meta.json_ld = [json_ld(news_article(article, settings, meta.description, meta.image)),
                        json_ld(breadcrumb_list(crumbs, settings))]

    def _describe_listing(self, meta, context, lang):
        sitename = self.settings.get("SITENAME", "")
        kind = context.get("page_kind")
        sections = context.get("sections") or {}
        section = context.get("section")
        listing = context.get("listing")
        crumbs = []
        if kind in ("front", "chooser"):
            meta.title = f"{sitename} · {LANGUAGES[lang].native_name}" if kind == "front" else sitename
            meta.og_locale_alternates = [LANGUAGES[code].og_locale for code in sections if code != lang]
        elif kind in ("tags", "categories", "regions", "archive"):
            meta.title = self._(lang, kind.capitalize())
            crumbs = [self._front_crumb(lang), (meta.title, section.index_url(kind))] if section else []
        elif listing is not None and section is not None and kind in ("tag", "category", "region"):
            meta.title = listing.name
            index = {"tag": "tags", "category": "categories", "region": "regions"}[kind]
            crumbs = [self._front_crumb(lang), (self._(lang, index.capitalize()), section.index_url(index)),
                      (listing.name, listing.url)]
        elif listing is not None and section is not None and kind in ("year", "month"):
            archive = (self._(lang, "Archive"), section.index_url("archive"))
            year = context.get("year_listing") or listing  # a month page is given its year's listing
            crumbs = [self._front_crumb(lang), archive, (str(listing.year), year.url)]
            meta.title = str(listing.year)
            if kind == "month":
                meta.title = format_date(dt.date(listing.year, listing.month, 1), "LLLL y",
                                         locale=LANGUAGES[lang].babel_locale)
                crumbs.append((meta.title, listing.url))
        # Other pages (events, search…) get their <title> as og:title from the template.
        if crumbs:
            meta.json_ld = [json_ld(breadcrumb_list(crumbs, self.settings))]


def install_in_templates(generator):
    """Give a generator's templates `page_metadata()` for partials/head_meta.html."""
    describer = PageDescriber(generator.settings, os.path.join(generator.theme, "translations"))

    @pass_context
    def page_metadata(context):
        return describer.describe(context)

    generator.env.globals.update(page_metadata=page_metadata)
