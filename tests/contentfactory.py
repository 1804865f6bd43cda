"""Write small article files for tests, in the project's Markdown format."""
from __future__ import annotations

from pathlib import Path

from newsarchive.slugs import slugify


def write_article(folder: Path, title: str, lang: str = "kk", date: str = "2024-01-28 10:00",
                  body: str = "Мәтін.", filename: str | None = None, **metadata) -> Path:
    """One article file; extra keyword arguments become header lines (event_start -> Event_start)."""
    slug = metadata.get("slug") or slugify(title)
    year = date[:4]
    path = Path(folder) / "articles" / year / (filename or f"{date[:10]}-{slug}.{lang}.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"Title": title, "Date": date, "Lang": lang}
    header.update({key.capitalize(): value for key, value in metadata.items()})
    lines = [f"{key}: {value}" for key, value in header.items()]
    path.write_text("\n".join(lines) + "\n\n" + body + "\n", encoding="utf-8")
    return path
