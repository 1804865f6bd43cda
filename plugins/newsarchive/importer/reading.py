"""From a file on disk to clean text: encoding, control characters, HTML extraction.

Old Kazakhstani and Kyrgyz sites served UTF-8, Windows-1251, KOI8-R and
(for Kazakh letters) KZ-1048; scraped copies keep whatever the site used and
rarely say which. Any byte string decodes in KOI8-R, so "it decoded" proves
nothing: each candidate is scored on how much its result looks like
Cyrillic prose (mostly lower-case letters of the Russian, Kazakh and Kyrgyz
alphabets, no box-drawing or Serbian letters), and the best one wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text"}


class UnreadableSource(Exception):
    """An input that cannot be imported; the message names the file and says why."""


@dataclass
class SourceDocument:
    path: Path
    text: str  # the page's text: for HTML, what the extractor kept
    encoding: str
    is_html: bool = False
    url: str | None = None  # the page's own address, when the page says it
    title: str | None = None  # the headline an HTML page declares
    published: datetime | None = None  # the publication date an HTML page declares
    author: str | None = None
    control_characters: int = 0  # how many were stripped
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


# ---- encodings ------------------------------------------------------------------------------

# Candidates for text that is not UTF-8, in order of preference on a tie:
# pure Russian decodes identically in Windows-1251 and KZ-1048.
LEGACY_ENCODINGS = (
    ("cp1251", "windows-1251"),
    ("koi8_r", "koi8-r"),
    ("kz1048", "kz-1048"),
    ("cp866", "cp866"),
)

_ALPHABET_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")
_ALPHABET_UPPER = {letter.upper() for letter in _ALPHABET_LOWER}
_ASCII_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# What a wrong guess produces: Cyrillic letters of other languages, box drawing
# (CP866 read as Windows-1251), C1 controls and rarely used signs.
_WRONG_GUESS_SIGNS = set("¤¦§¬®°±µ¶·¹²³¼½¾¿×÷‡†‰‹›€\ufffd")


def _looks_like_cyrillic_prose(text: str) -> tuple[float, float]:
    """(score, share of wrong-guess characters) of a decoding; higher score is better."""
    good = 0.0
    bad = 0
    counted = 0
    for char in text:
        if char.isspace() or char.isdigit():
            continue
        counted += 1
        if char in _ALPHABET_LOWER or char in _ASCII_LETTERS:
            good += 1
        elif char in _ALPHABET_UPPER:
            # KOI8-R read as Windows-1251 (and the reverse) swaps the case of
            # nearly every letter, so capitals count for less than small letters.
            good += 0.25
        elif "\u0400" <= char <= "\u04ff" or "\u2500" <= char <= "\u259f" or "\x80" <= char <= "\x9f":
            bad += 3
        elif char in _WRONG_GUESS_SIGNS:
            bad += 1
    if not counted:
        return 0.0, 0.0
    return (good - bad) / counted, bad / counted


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of `data`; UnicodeError when no candidate gives readable text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data:
        raise UnicodeError("it is a binary file (it contains NUL bytes), not text or HTML")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = list(LEGACY_ENCODINGS)
    if declared:
        # An HTML page's own <meta charset> goes first when it names a legacy encoding.
        candidates.sort(key=lambda pair: pair[1] != declared)
    best = None
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score, wrong = _looks_like_cyrillic_prose(text)
        if best is None or score > best[0] + 1e-9:
            best = (score, wrong, text, name)
    if best is None or best[0] < 0.4 or best[1] > 0.05:
        raise UnicodeError(
            "its encoding is not UTF-8, and it does not read as Cyrillic text in "
            + ", ".join(name for _, name in LEGACY_ENCODINGS)
        )
    return best[2], best[3]


# ---- control characters ---------------------------------------------------------------------

# XML 1.0 forbids C0 controls other than tab and newline, surrogates and
# U+FFFE/U+FFFF; C1 controls are mojibake in imported text. Zero-width
# spaces, soft hyphens and stray byte-order marks split words invisibly
# (search and the gazetteer then miss them).
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200b\u2060\ufeff\u00ad]")


def strip_control_characters(text: str) -> tuple[str, int]:
    """`text` without characters that break XML feeds or words, and how many were removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, count = _CONTROL_CHARACTERS.subn("", text)
    return cleaned, count


# ---- HTML -----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CHARSET_NAMES = {"windows-1251": "windows-1251", "cp1251": "windows-1251", "koi8-r": "koi8-r",
                  "kz-1048": "kz-1048", "kz1048": "kz-1048", "cp866": "cp866", "ibm866": "cp866"}


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return _CHARSET_NAMES.get(match.group(1).decode("ascii").lower())


def looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    start = text.lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html")) or ("<body" in start and "</" in text)


def _published_time(html: str) -> datetime | None:
    """The publication date and time a page declares in its markup, as wall-clock time."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    values = tree.xpath(
        "//meta[@property='article:published_time' or @itemprop='datePublished' or @name='pubdate']/@content"
        " | //*[@itemprop='datePublished']/@datetime | //time[@datetime][1]/@datetime"
    )
    for value in values:
        value = value.strip().replace("Z", "+00:00")
        try:
            # Wall-clock time as the site wrote it: the archive's own zone is the site's.
            return datetime.fromisoformat(value).replace(tzinfo=None)
        except ValueError:
            continue
    return None


@dataclass
class HtmlExtract:
    text: str
    title: str | None
    url: str | None
    published: datetime | None
    author: str | None


def extract_html(html: str) -> HtmlExtract | None:
    """The article in an HTML page, through trafilatura; None when it finds no article text."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # Only dates the page declares: a date guessed from the text would be
        # an event date as often as the publication date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        return None
    published = _published_time(html)
    if document.date:
        declared_day = datetime.strptime(document.date[:10], "%Y-%m-%d")
        if published is None or published.date() != declared_day.date():
            published = declared_day
    return HtmlExtract(
        text=document.text,
        title=(document.title or "").strip() or None,
        url=(document.url or "").strip() or None,
        published=published,
        author=(document.author or "").strip() or None,
    )


# ---- files ----------------------------------------------------------------------------------

def read_source(path: str | Path) -> SourceDocument:
    """The text of one input file; UnreadableSource (naming the file) when there is none."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableSource(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableSource(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise UnreadableSource(f"{path}: cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise UnreadableSource(f"{path}: the file is empty")
    try:
        text, encoding = decode(data, declared_charset(data))
    except UnicodeError as error:
        raise UnreadableSource(f"{path}: cannot be decoded: {error}") from None
    text, control_characters = strip_control_characters(text)
    document = SourceDocument(path=path, text=text, encoding=encoding, control_characters=control_characters)
    if looks_like_html(path, text):
        extract = extract_html(text)
        if extract is None:
            raise UnreadableSource(f"{path}: no article text found in the HTML")
        document.is_html = True
        document.text, _ = strip_control_characters(extract.text)
        document.title = extract.title
        document.url = extract.url
        document.published = extract.published
        document.author = extract.author
    if not document.text.strip():
        raise UnreadableSource(f"{path}: no text left after removing control characters")
    return document
