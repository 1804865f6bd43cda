"""Read what a build wrote: parsed HTML pages and their links."""
from __future__ import annotations

import posixpath
from pathlib import Path

import lxml.html


def page(output: Path, url: str):
    """The parsed page at a site URL such as 'kk/' or 'kk/2024/01/slug/'."""
    path = Path(output) / url
    if url == "" or url.endswith("/"):
        path = path / "index.html"
    return lxml.html.fromstring(path.read_bytes())


def site_url(page_url: str, href: str) -> str:
    """Resolve a relative link on the page at page_url to a site URL ('kk/…/')."""
    base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
    resolved = posixpath.normpath(posixpath.join("/" + base, href))
    if href.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    return "" if resolved == "/" else resolved.lstrip("/")


def card_links(output: Path, url: str) -> list[str]:
    """Site URLs of the articles listed on a list page."""
    doc = page(output, url)
    return [site_url(url, a.get("href")) for a in doc.cssselect(".card-title a")]
