"""Body images that load lazily and do not move the text when they arrive.

Every `<img>` of an article body gets `loading="lazy"` and `decoding="async"`
(readers on phones fetch only the pictures they scroll to), and, when its
file is under content/ and Pillow can read it, its `width` and `height`: the
browser then reserves the picture's box before the file arrives, so nothing
below it jumps (the theme's `height: auto` keeps that box's proportions on
narrow screens). Images on other hosts, SVG files and files Pillow cannot
read keep no size: their dimensions are unknown at build time. An editor's
own `loading`, `width` or `height` is kept.

It runs right after the sanitizer, on the body as nh3 wrote it (double-quoted
attributes, so a regular expression reads the tags exactly, as validate.py
does), and again on articles from the content cache, which may have been read
before this step existed. Adding the attributes is idempotent. An article
kept between builds (article_cache.py) is read again when one of its
pictures changes, so a picture replaced by one of another size gets its new
size.
"""
from __future__ import annotations

import html
import os
import posixpath
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.contents import Static

_IMG = re.compile(r'<img\b((?:\s+[^\s"\'>/=]+(?:\s*=\s*"[^"]*")?)*)\s*/?>', re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)(?:\s*=\s*"([^"]*)")?')
_INTRASITE = re.compile(r"^(?:\{(?P<a>static|attach|filename)\}|\|(?P<b>static|attach|filename)\|)(?P<path>.*)$")
# EXIF orientations that turn the picture a quarter: browsers apply them, so width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112


def prepare_images(content) -> None:
    """Lazy loading and sizes for the images of a just-read body (content_object_init)."""
    if isinstance(content, Static):
        return
    body = getattr(content, "_content", None)
    if isinstance(body, str) and "<img" in body:
        content._content = _IMG.sub(lambda tag: _prepared_tag(tag, content), body)


def prepare_cached(article_generator) -> None:
    """The same for articles from the content cache (article_generator_finalized)."""
    generator = article_generator
    for article in (*generator.articles, *generator.translations, *generator.hidden_articles,
                    *generator.hidden_translations, *generator.drafts, *generator.drafts_translations):
        prepare_images(article)


def _prepared_tag(tag, content) -> str:
    attributes = {name.lower(): value for name, value in _ATTRIBUTE.findall(tag.group(1))}
    extra = []
    if "loading" not in attributes:
        extra.append(' loading="lazy"')
    if "decoding" not in attributes:
        extra.append(' decoding="async"')
    if "width" not in attributes and "height" not in attributes:
        path = content_file(content, html.unescape(attributes.get("src", "")))
        size = image_size(str(path)) if path else None
        if size:
            extra.append(f' width="{size[0]}" height="{size[1]}"')
    if not extra:
        return tag.group(0)
    return f"<img{tag.group(1)}{''.join(extra)}>"


def content_file(content, src: str) -> Path | None:
    """The file under content/ that an image address points to, or None."""
    path = _content_path(content, src)
    return path if path is not None and path.is_file() else None


def local_image_paths(content) -> list[str]:
    """Where the body's images would be under content/, whether or not a file is there yet:
    what a kept copy of the prepared body depends on (article_cache.py)."""
    body = getattr(content, "_content", None)
    if not isinstance(body, str) or "<img" not in body:
        return []
    paths = []
    for tag in _IMG.finditer(body):
        attributes = {name.lower(): value for name, value in _ATTRIBUTE.findall(tag.group(1))}
        path = _content_path(content, html.unescape(attributes.get("src", "")))
        if path is not None:
            paths.append(str(path))
    return paths


def _content_path(content, src: str) -> Path | None:
    if not src:
        return None
    settings = getattr(content, "settings", None) or {}
    root = Path(settings.get("PATH", "."))
    intrasite = _INTRASITE.match(src)
    if intrasite:
        target = unquote(urlsplit(intrasite.group("path")).path)
        if target.startswith("/"):
            relpath = target.lstrip("/")
        else:
            source = (getattr(content, "relative_source_path", "") or "").replace(os.sep, "/")
            relpath = posixpath.join(posixpath.dirname(source), target)
    else:
        parts = urlsplit(src)
        siteurl = (settings.get("SITEURL") or "").rstrip("/")
        if siteurl and src.startswith(siteurl + "/"):
            relpath = unquote(urlsplit(src[len(siteurl):]).path).lstrip("/")
        elif parts.scheme or parts.netloc:
            return None  # another host, or data:
        elif src.startswith("/"):
            relpath = unquote(parts.path).lstrip("/")
        else:
            # Relative to the page the body is published on; static files keep their path under content/.
            page = getattr(content, "url", "") or ""
            relpath = posixpath.join(posixpath.dirname(page.rstrip("/") + "/x"), unquote(parts.path))
    relpath = posixpath.normpath(relpath)
    if relpath.startswith("..") or posixpath.isabs(relpath):
        return None
    return root / relpath


def image_size(path: str) -> tuple[int, int] | None:
    """(width, height) as a browser shows the file, or None when Pillow cannot read it."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _image_size(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _image_size(path: str, mtime_ns: int, size: int) -> tuple[int, int] | None:
    from PIL import Image  # only builds with images need it

    try:
        # Image.open reads the header only; the pixels are never decoded.
        with Image.open(path) as picture:
            width, height = picture.size
            if picture.getexif().get(_EXIF_ORIENTATION) in _QUARTER_TURNS:
                width, height = height, width
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return (width, height) if width and height else None
