"""The imported article and its Markdown file in the archive's format.

The header is Pelican's `Key: value` block read by the site's plugin
(see DESIGN.md, "Content model"); keys with no value are left out, except
`Tags`, which editors fill in. Values are one line each and never contain
`<` or `>`: Pelican passes some of them through Markdown, and old Cyrillic
sites wrote «» as << >>.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
import datetime as dt
from pathlib import PurePosixPath

SUMMARY_LENGTH = 200
DRAFTS_FOLDER = "drafts"


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list of items (from lines that started with a bullet emoji)."""

    kind: str  # "paragraph" or "list"
    lines: tuple[str, ...]


@dataclass
class Article:
    title: str
    lang: str
    slug: str
    date: dt.datetime  # publication date, or the import day for a draft
    source: str  # the page's URL, else the input file's name
    body: list[Block]
    is_draft: bool = False
    category: str = "news"
    tags: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    event_start: dt.date | None = None
    event_end: dt.date | None = None
    location: str | None = None
    organizer: str | None = None
    summary: str = ""
    author: str | None = None

    @property
    def relative_path(self) -> PurePosixPath:
        """Where the file goes under the articles folder."""
        name = f"{self.slug}.{self.lang}.md"
        if self.is_draft:
            return PurePosixPath(DRAFTS_FOLDER, name)
        return PurePosixPath(f"{self.date:%Y}", f"{self.date:%Y-%m-%d}-{name}")


# ---- bullets --------------------------------------------------------------------------------

_BULLET_CHARACTERS = set("•◦▪▫●○■□►▶‣⁃➤➢✓✔☑★☆♦◆◇")
_KEYCAP = re.compile(r"^\d\ufe0f?\u20e3")  # 1️⃣ 2️⃣: numbered emoji


def _bullet_length(line: str) -> int:
    """How many leading characters of `line` are a bullet (emoji or •), 0 when none."""
    keycap = _KEYCAP.match(line)
    if keycap:
        return keycap.end()
    length = 0
    for char in line:
        # Pictographs start at the arrows block; below it, «So» holds © ° №, which begin text.
        is_bullet = char in _BULLET_CHARACTERS or (unicodedata.category(char) == "So" and ord(char) >= 0x2190)
        joins_bullet = length > 0 and (char in "\ufe0f\u200d" or unicodedata.category(char) in ("Sk", "Mn"))
        if not (is_bullet or joins_bullet):
            break
        length += 1
    return length


def list_item(line: str) -> str | None:
    """The text of a bullet line («🔹Бұл қозғалыс…» → «Бұл қозғалыс…»), None for other lines."""
    length = _bullet_length(line)
    if not length:
        return None
    text = line[length:].strip()
    return text or None


def blocks_from_paragraphs(paragraphs: list[str]) -> list[Block]:
    """Paragraphs as blocks, consecutive bullet lines joined into one list."""
    blocks: list[Block] = []
    for paragraph in paragraphs:
        item = list_item(paragraph)
        if item is None:
            blocks.append(Block("paragraph", (paragraph,)))
        elif blocks and blocks[-1].kind == "list":
            blocks[-1] = Block("list", (*blocks[-1].lines, item))
        else:
            blocks.append(Block("list", (item,)))
    return blocks


# ---- summary --------------------------------------------------------------------------------

def _sentence_ends(text: str):
    """Offsets just after each sentence end, not inside «quotes» and not after an initial («А.Нүкенов»)."""
    depth = 0
    for index, char in enumerate(text):
        if char == "«":
            depth += 1
        elif char == "»":
            depth = max(0, depth - 1)
        elif char in ".!?…" and depth == 0:
            following = text[index + 1:index + 3]
            if not following.startswith(" ") or len(following) < 2:
                continue
            word_before = re.search(r"(\S+)$", text[:index])
            if word_before and len(word_before.group(1)) == 1 and word_before.group(1).isupper():
                continue
            if following[1].isupper() or following[1] in "«\"“–—-":
                yield index + 1


def make_summary(blocks: list[Block], limit: int = SUMMARY_LENGTH) -> str:
    """The lead's first sentence(s), at most `limit` characters, as plain text."""
    lead = next((block.lines[0] for block in blocks if block.kind == "paragraph"), None)
    if lead is None:
        lead = next((block.lines[0] for block in blocks), "")
    summary = ""
    for end in _sentence_ends(lead):
        if end > limit:
            break
        summary = lead[:end]
    if not summary:
        summary = lead if len(lead) <= limit else lead[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-") + "…"
    return summary.strip()


# ---- Markdown -------------------------------------------------------------------------------

def metadata_value(text: str) -> str:
    """One line, without `<` or `>`: << >> (old sites' quotes) become « », others go."""
    text = " ".join(str(text).split())
    text = text.replace("<<", "«").replace(">>", "»")
    return text.replace("<", "").replace(">", "")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START_SPECIAL = re.compile(r"^(#|>|\+ |- |= |(\d+)([.)]) )")


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as written: no emphasis, headings, lists or raw HTML."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("<<", "«").replace(">>", "»")
    text = text.replace("<", "&lt;").replace(">", "&gt;")

    def escape_start(match: re.Match) -> str:
        if match.group(2):
            return f"{match.group(2)}\\{match.group(3)} "
        return "\\" + match.group(1)

    return _LINE_START_SPECIAL.sub(escape_start, text)


def _header(article: Article) -> list[tuple[str, str]]:
    fields: list[tuple[str, str | None]] = [
        ("Title", article.title),
        ("Date", f"{article.date:%Y-%m-%d %H:%M}"),
        ("Lang", article.lang),
        ("Slug", article.slug),
        ("Translation_key", article.slug),
        ("Category", article.category),
        ("Tags", ", ".join(article.tags)),
        ("Regions", ", ".join(article.regions) or None),
        ("Event_start", article.event_start.isoformat() if article.event_start else None),
        ("Event_end", article.event_end.isoformat() if article.event_end else None),
        ("Location", article.location),
        ("Organizer", article.organizer),
        # Pelican reads Summary as Markdown.
        ("Summary", escape_markdown(metadata_value(article.summary)) if article.summary else None),
        ("Author", article.author),
        ("Source", article.source),
        ("Status", "draft" if article.is_draft else None),
    ]
    return [(key, metadata_value(value)) for key, value in fields if value is not None and (value or key == "Tags")]


def to_markdown(article: Article) -> str:
    """The article's file: header, blank line, body."""
    lines = [f"{key}: {value}".rstrip() for key, value in _header(article)]
    parts = ["\n".join(lines)]
    for block in article.body:
        if block.kind == "list":
            parts.append("\n".join(f"- {escape_markdown(item)}" for item in block.lines))
        else:
            parts.append(escape_markdown(block.lines[0]))
    return "\n\n".join(parts) + "\n"


def read_header(text: str) -> dict[str, str]:
    """The `Key: value` header of an article file, keys in lower case."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, separator, value = line.partition(":")
        if separator and re.fullmatch(r"[A-Za-z0-9_-]+", key.strip()):
            header[key.strip().lower()] = value.strip()
    return header
