"""`invoke screenshots`: one picture of every page kind, per language, at phone and desktop widths.

Reviewers look at these instead of building and clicking through the site.
Pages are found in the built output, so new content needs no list to update.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
WIDTHS = (360, 1280)


def _first(folder: Path, pattern: str) -> str | None:
    matches = sorted(folder.glob(pattern))
    return matches[0].parent.relative_to(folder.parent).as_posix() + "/" if matches else None


def page_kinds(site: Path) -> dict[str, str]:
    """Name -> site URL of one page of every kind that the build wrote."""
    site = Path(site)
    kinds = {"chooser": "", "404": "404.html"}
    for section in sorted(path for path in site.iterdir() if path.is_dir() and (path / "index.html").exists()
                          and len(path.name) == 2):
        lang = section.name
        candidates = {
            "front": f"{lang}/",
            "article": _first(section, "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"),
            "tag": _first(section, "tags/*/index.html"),
            "category": _first(section, "categories/*/index.html"),
            "region": _first(section, "regions/*/index.html"),
            "archive-year": _first(section, "archive/[0-9][0-9][0-9][0-9]/index.html"),
            "archive-month": _first(section, "archive/[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
            "events": f"{lang}/events/" if (section / "events" / "index.html").exists() else None,
            "search": f"{lang}/search/" if (section / "search" / "index.html").exists() else None,
        }
        for article in sorted(section.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")):
            if 'class="event-box' in article.read_text(encoding="utf-8"):
                candidates["event-report"] = article.parent.relative_to(site).as_posix() + "/"
                break
        for kind, url in candidates.items():
            if url:
                kinds[f"{lang}-{kind}"] = url
    return kinds


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _served(folder: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def take_screenshots(site: Path, destination: Path) -> list[Path]:
    """Full-page PNGs of every page kind at every width; returns the files written."""
    from playwright.sync_api import sync_playwright

    destination.mkdir(parents=True, exist_ok=True)
    written = []
    with _served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for width in WIDTHS:
            tab = browser.new_page(viewport={"width": width, "height": 900})
            for name, url in page_kinds(site).items():
                tab.goto(base + url)
                tab.wait_for_load_state("networkidle")
                target = destination / f"{name}-{width}.png"
                tab.screenshot(path=str(target), full_page=True)
                written.append(target)
            tab.close()
        browser.close()
    return written
