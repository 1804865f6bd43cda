"""`invoke new`: a new article file with its whole header filled in.

Never overwrites: the file is created with O_EXCL, so two editors (or two
runs) cannot clobber each other's work.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from .categories import KINDS
from .languages import LANGUAGES, allowed_codes
from .regions import REGIONS
from .slugs import slugify

# Header keys copied from the original when writing a translation: they describe
# the same report, whatever its language.
SHARED_WITH_TRANSLATIONS = ("Category", "Regions", "Event_start", "Event_end")


class ScaffoldError(Exception):
    pass


def read_header(path: Path) -> dict:
    """The `Key: value` header of an article file (keys as written)."""
    header = {}
    with open(path, encoding="utf-8") as source:
        for line in source:
            if not line.strip():
                break
            key, sep, value = line.partition(":")
            if sep:
                header[key.strip().capitalize()] = value.strip()
    return header


def new_article(content_dir: Path, lang: str, title: str, category: str | None = None,
                regions: str | None = None, translation_of: Path | None = None,
                timezone: str = "Asia/Almaty", now: dt.datetime | None = None) -> Path:
    """Write a new article under content_dir/articles/<year>/ and return its path."""
    if lang not in LANGUAGES:
        raise ScaffoldError(f"unknown language '{lang}' (allowed: {allowed_codes()})")
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title '{title}' gives no usable slug (write a few words)")

    original = {}
    if translation_of:
        translation_of = Path(translation_of)
        if not translation_of.is_file():
            raise ScaffoldError(f"{translation_of}: no such article to translate")
        original = read_header(translation_of)
        if original.get("Lang") == lang:
            raise ScaffoldError(f"{translation_of} is already in '{lang}'")

    category = category or original.get("Category") or "news"
    if category not in KINDS:
        raise ScaffoldError(f"unknown category '{category}' (allowed: {', '.join(KINDS)})")
    region_codes = [code.strip().upper() for code in (regions or original.get("Regions", "")).split(",")
                    if code.strip()]
    unknown = [code for code in region_codes if code not in REGIONS]
    if unknown:
        raise ScaffoldError(f"unknown region code {', '.join(unknown)} "
                            "(allowed: ISO 3166-2 codes of Kazakhstan and Kyrgyzstan, e.g. KZ-55, KG-Y)")

    now = now or dt.datetime.now(ZoneInfo(timezone))
    translation_key = original.get("Translation_key") or original.get("Slug") or (
        Path(translation_of).name.split(".")[0][11:] if translation_of else slug)
    header = {
        "Title": title,
        "Date": now.strftime("%Y-%m-%d %H:%M"),
        "Lang": lang,
        "Slug": slug,
        "Translation_key": translation_key,
        "Category": category,
        "Tags": "",
        "Regions": ", ".join(region_codes),
        "Event_start": original.get("Event_start", ""),
        "Event_end": original.get("Event_end", ""),
    }
    # Empty values would be read as set-but-blank (a blank summary, a blank
    # event date), so only keys with a value are written, and Tags for the editor to fill.
    header = {key: value for key, value in header.items() if value or key == "Tags"}
    path = Path(content_dir) / "articles" / f"{now:%Y}" / f"{now:%Y-%m-%d}-{slug}.{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(f"{key}: {value}".rstrip() for key, value in header.items())
    text += "\n\nWrite the report here. Leave a blank line between paragraphs.\n"
    try:
        with open(path, "x", encoding="utf-8") as target:
            target.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing was written (choose another title)") from None
    return path
