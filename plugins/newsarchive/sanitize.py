"""Article bodies and summaries through an allow-list HTML sanitizer (nh3) once, right after reading.

Markdown passes raw HTML through, and much of the archive is migrated from
old news sites: a pasted `<script>`, an `onerror=` or a `javascript:` link
would run on every reader's page. What editors need stays: headings, lists,
tables, figures, images, links, and embedded video from the hosts named in
the VIDEO_EMBED_HOSTS setting. HTML comments (editors' notes) go too.

It runs on `content_object_init`, before Pelican caches the article, so a
cached article is clean and is not sanitized again; the templates may then
mark `article.content` safe. Titles and other metadata are plain text and
are escaped by the templates (Jinja2 autoescape), never sanitized as HTML.
"""
from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import nh3
from pelican.contents import Static

DEFAULT_VIDEO_EMBED_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "img", "picture", "a", "iframe",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "cite", "q",
    "span", "div", "time",
}
ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "abbr": set(),
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Elements removed with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = {"script", "style", "noscript", "template", "object", "embed", "svg", "math"}
# nh3 can drop an attribute but not its element: an iframe whose src was not
# allowed is left empty, then removed here. nh3's serialiser always writes
# `<iframe …></iframe>` with double-quoted attributes, so this pattern is exact.
_IFRAME_WITHOUT_SRC = re.compile(r"<iframe(?![^>]*\ssrc=\")[^>]*>.*?</iframe>", re.DOTALL)
MARKER = "_newsarchive_sanitized"  # set on content objects, with the hosts they were cleaned for


def clean_html(markup: str, video_hosts=DEFAULT_VIDEO_EMBED_HOSTS) -> str:
    """Markup with only the allowed elements, attributes and URLs left."""
    if not markup:
        return markup
    cleaned = _cleaner(tuple(video_hosts)).clean(markup)
    return strip_control_characters(_IFRAME_WITHOUT_SRC.sub("", cleaned))


@functools.lru_cache(maxsize=8)
def _cleaner(video_hosts: tuple) -> nh3.Cleaner:
    """One sanitizer per list of video hosts: `nh3.clean` builds its rules again (the sets and
    maps above, converted for ammonia) for every body and summary, more than half its time."""
    hosts = {host.lower() for host in video_hosts}

    def keep_attribute(tag, attribute, value):
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value)
            return value if parts.scheme == "https" and (parts.hostname or "").lower() in hosts else None
        return value

    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,  # no target= is allowed, so there is no opener to protect
        set_tag_attribute_values={"iframe": {"sandbox": "allow-scripts allow-same-origin allow-presentation"}},
    )


# Invisible in an editor and invalid in HTML and XML; validate.py reports them
# (check `control-character`), and when that check is a warning they are removed here.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTER.sub("", text)


def video_hosts(settings) -> tuple[str, ...]:
    return tuple(settings.get("VIDEO_EMBED_HOSTS", DEFAULT_VIDEO_EMBED_HOSTS))


def sanitize_content(content) -> None:
    """Clean a just-read article's body and summary in place (content_object_init)."""
    if isinstance(content, Static):
        return
    hosts = video_hosts(content.settings)
    if getattr(content, MARKER, None) == hosts:
        return
    if isinstance(getattr(content, "title", None), str):
        content.title = strip_control_characters(content.title)
    if isinstance(getattr(content, "_content", None), str):
        content._content = clean_html(content._content, hosts)
    if isinstance(getattr(content, "_summary", None), str):
        content._summary = clean_html(content._summary, hosts)
        content.metadata["summary"] = content._summary
    setattr(content, MARKER, hosts)


def sanitize_cached(article_generator) -> None:
    """Articles from a content cache written before this sanitizer, or for other hosts (article_generator_finalized)."""
    for article in (*article_generator.articles, *article_generator.translations,
                    *article_generator.hidden_articles, *article_generator.hidden_translations,
                    *article_generator.drafts, *article_generator.drafts_translations):
        sanitize_content(article)
