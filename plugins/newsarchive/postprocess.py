"""Steps that prepare a finished build for a static web server (run by `invoke publish`).

- Fingerprinting: theme CSS and JS get the hash of their bytes in their
  name (`site.3f2a9c01be.css`) and every page is rewritten to use it, so the
  server can let browsers cache them for a year and a new release is never
  served a stale stylesheet.
- Precompression: every text file gets `.gz` and `.br` copies beside it, so
  nginx's gzip_static/brotli_static (or a CDN) serve them without compressing
  on each request. Both are written reproducibly (no timestamps in gzip
  headers), so an unchanged file gives unchanged bytes.
"""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import brotli

from .files import replace_if_changed

FINGERPRINTED_FOLDER = "theme"  # Pelican copies the theme's static files here
FINGERPRINTED_SUFFIXES = (".css", ".js")
# Files whose text may name an asset; they are rewritten after renaming.
REFERENCING_SUFFIXES = (".html", ".css", ".js", ".xml", ".json", ".webmanifest")
COMPRESSIBLE_SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".ics", ".svg",
                         ".webmanifest", ".map")
MIN_COMPRESS_BYTES = 256  # below this, a compressed copy saves nothing worth a request header


def content_hash(path: Path, length: int = 10) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:length]


def fingerprint_assets(site: Path) -> dict[str, str]:
    """Rename theme CSS/JS to content-hashed names and rewrite references; return old -> new paths."""
    site = Path(site)
    renamed: dict[str, str] = {}
    assets_root = site / FINGERPRINTED_FOLDER
    if not assets_root.is_dir():
        return renamed
    for asset in sorted(assets_root.rglob("*")):
        if not asset.is_file() or asset.suffix not in FINGERPRINTED_SUFFIXES:
            continue
        hashed = asset.with_name(f"{asset.stem}.{content_hash(asset)}{asset.suffix}")
        if hashed.exists():
            raise FileExistsError(f"{hashed} already exists: was this folder fingerprinted twice?")
        asset.rename(hashed)
        renamed[asset.relative_to(site).as_posix()] = hashed.relative_to(site).as_posix()
    if not renamed:
        return renamed
    for page in site.rglob("*"):
        if page.is_file() and page.suffix in REFERENCING_SUFFIXES:
            text = page.read_text(encoding="utf-8")
            rewritten = text
            for old, new in renamed.items():
                rewritten = rewritten.replace(old, new)
            if rewritten != text:
                page.write_text(rewritten, encoding="utf-8")
    return renamed


def precompress(site: Path) -> int:
    """Write .gz and .br copies of every text file in `site`; return how many files were compressed."""
    count = 0
    for path in Path(site).rglob("*"):
        if not path.is_file() or path.suffix not in COMPRESSIBLE_SUFFIXES:
            continue
        data = path.read_bytes()
        if len(data) < MIN_COMPRESS_BYTES:
            continue
        replace_if_changed(str(path.with_name(path.name + ".gz")), gzip.compress(data, compresslevel=9, mtime=0))
        replace_if_changed(str(path.with_name(path.name + ".br")), brotli.compress(data, quality=11))
        count += 1
    return count


PUBLISH_STEPS = (fingerprint_assets, precompress)


def prepare_for_web(site: Path):
    """Every post-build step, in order, on a finished build folder."""
    for step in PUBLISH_STEPS:
        step(Path(site))
