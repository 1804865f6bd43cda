"""The article's headline: which line it is, and how to make a shouted one readable.

Above the headline, scraped pages carry the section («Жаңалық», «Кабарлар»)
and the masthead («Soltüstık Qazaqstan», «PDF»); `chrome` removes the ones it
knows. What is left above the first paragraph is the headline, possibly with
a one-word label nobody listed, and sometimes a short rubric under it.

Regional papers often print headlines in capitals. Lower-casing them loses
proper names, so `readable_case` asks the article's own text how each word is
written in the middle of a sentence: «Рухани» in «Рухани жаңғыру»,
«Нүкенов» in «Абзал Нүкенов», «ӨСИ» in capitals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .chrome import Dropped

_OPENING_QUOTES = "«“„\"'‘("
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?…]")
# «Headline | Site name», «Site name | Headline»: the bar always separates a site name.
_BAR_SEPARATORS = re.compile(r"\s+(?:\||::)\s+")
# «Headline — Site name»: a dash may also be part of the headline («Алматы - Бишкек»).
_DASH_SEPARATORS = re.compile(r"\s+[—–-]\s+")


@dataclass
class TitleChoice:
    title: str  # readable, as it goes into `Title:`
    original: str  # as the page wrote it
    made_from_text: bool = False  # no headline found: cut from the first sentence
    dropped: list[Dropped] = field(default_factory=list)  # labels around the headline
    subtitle: list[str] = field(default_factory=list)  # lines under the headline that are article text

    @property
    def recased(self) -> bool:
        return self.title != self.original and not self.made_from_text


def _word_count(line: str) -> int:
    return len(_LETTERS.findall(line))


def _same(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def without_site_name(title: str) -> str:
    """«Семинар в Павлодаре | Новости Павлодара» → «Семинар в Павлодаре»."""
    parts = [part.strip() for part in _BAR_SEPARATORS.split(title.strip()) if part.strip()]
    # The headline is the longest part; on a tie, the first.
    title = max(parts, key=_word_count) if parts else title.strip()
    dashes = list(_DASH_SEPARATORS.finditer(title))
    if dashes:
        head, tail = title[:dashes[-1].start()], title[dashes[-1].end():]
        if _word_count(tail) <= 4 and _word_count(head) >= 4 and _word_count(head) > _word_count(tail):
            return head.strip()
    return title


def first_sentence(paragraph: str, limit: int = 100) -> str:
    """The paragraph's first sentence, cut at a word boundary to `limit` characters."""
    match = re.search(r"[.!?…](?=\s+[^\W\d_«\"“(–—-])", paragraph)
    sentence = paragraph[:match.start() + 1] if match else paragraph
    sentence = sentence.rstrip(".")
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–—-") + "…"
    return sentence


def choose_title(header: list[str], body: list[str], declared: str | None = None) -> TitleChoice:
    """The headline among the `header` lines (those above the first paragraph).

    `declared` is the headline an HTML page declares; it wins, and the same
    line in the text is dropped as a repeat.
    """
    dropped: list[Dropped] = []
    if declared:
        title = without_site_name(declared)
        rest = []
        for line in header:
            if _same(line, title) or _same(line, declared):
                dropped.append(Dropped(line, "headline repeated"))
            else:
                rest.append(line)
        subtitle = []
        for line in rest:
            if _word_count(line) <= 3:
                dropped.append(Dropped(line, "label"))
            else:
                subtitle.append(line)
        return TitleChoice(title, title, dropped=dropped, subtitle=subtitle)

    index = 0
    # A lone word above a longer headline is a section label nobody listed.
    while index + 1 < len(header) and _word_count(header[index]) == 1 and _word_count(header[index + 1]) >= 3:
        dropped.append(Dropped(header[index], "section label"))
        index += 1
    if index >= len(header):
        if not body:
            return TitleChoice("", "", made_from_text=True, dropped=dropped)
        title = first_sentence(body[0])
        return TitleChoice(title, title, made_from_text=True, dropped=dropped)

    original = header[index]
    subtitle = []
    for line in header[index + 1:]:
        # A short line under the headline is a rubric or a region tag («Soltüstık Казахстан»);
        # a longer one is a subtitle and belongs to the text.
        if _word_count(line) <= 3:
            dropped.append(Dropped(line, "label under the headline"))
        else:
            subtitle.append(line)
    return TitleChoice(readable_case(original, "\n".join(body)), original, dropped=dropped, subtitle=subtitle)


# ---- case -----------------------------------------------------------------------------------

def is_shouting(text: str) -> bool:
    """Whether a headline is written in capitals (ignoring digits and punctuation)."""
    letters = [char for char in text if char.isalpha() and char.lower() != char.upper()]
    if len(letters) < 8:
        return False
    return sum(char.isupper() for char in letters) / len(letters) >= 0.8


@dataclass
class _Usage:
    capitalised: int = 0  # in the middle of a sentence, with a capital: a name
    lower: int = 0
    capitals: int = 0  # all capitals: an abbreviation


def _word_usage(text: str) -> dict[str, _Usage]:
    """How each word is written in the middle of sentences of `text`."""
    usage: dict[str, _Usage] = {}
    for paragraph in text.split("\n"):
        previous_end = 0
        for match in _LETTERS.finditer(paragraph):
            word = match.group()
            before = paragraph[previous_end:match.start()]
            previous_end = match.end()
            at_sentence_start = match.start() == 0 or bool(_SENTENCE_END.search(before)) or (
                before.strip() in ("—", "–", "-") and paragraph[:match.start()].strip() == before.strip()
            )
            after_quote = bool(before.strip()) and before.rstrip()[-1] in _OPENING_QUOTES
            entry = usage.setdefault(word.lower(), _Usage())
            if len(word) > 1 and word.isupper():
                entry.capitals += 1
            elif at_sentence_start or after_quote:
                continue  # a capital here says nothing about the word
            elif word[0].isupper():
                entry.capitalised += 1
            else:
                entry.lower += 1
    return usage


def _is_name(word: str, usage: dict[str, _Usage]) -> bool:
    entry = usage.get(word)
    if entry and entry.capitalised > entry.lower:
        return True
    if entry and entry.lower:
        return False
    # An inflected name: «НҮКЕНОВТІҢ» from «Нүкенов», «КОСТАНАЕ» from «Костаная».
    return any(
        known.capitalised > known.lower and _same_stem(word, other)
        for other, known in usage.items()
    )


def _same_stem(word: str, other: str) -> bool:
    """Whether two words are forms of one word: a long common beginning, different endings."""
    shared = 0
    for first, second in zip(word, other):
        if first != second:
            break
        shared += 1
    return shared >= 4 and shared >= min(len(word), len(other)) - 2


def _is_abbreviation(word: str, usage: dict[str, _Usage]) -> bool:
    entry = usage.get(word)
    return bool(entry and entry.capitals and not entry.lower and not entry.capitalised)


def readable_case(title: str, text: str) -> str:
    """A headline in capitals in sentence case, with names and abbreviations as the text writes them.

    «"РУХАНИ ЖАҢҒЫРУДЫ" ЖҮЗЕГЕ АСЫРУ» → «"Рухани жаңғыруды" жүзеге асыру».
    A headline that is not in capitals is returned as it is.
    """
    if not is_shouting(title):
        return title
    usage = _word_usage(text)
    pieces: list[str] = []
    previous_end = 0
    first_word = True
    for match in _LETTERS.finditer(title):
        word = match.group().lower()
        before = title[previous_end:match.start()]
        pieces.append(before)
        previous_end = match.end()
        after_quote = bool(before.strip()) and before.rstrip()[-1] in _OPENING_QUOTES
        after_hyphen = before == "-"
        if _is_abbreviation(word, usage):
            pieces.append(word.upper())
        elif ((first_word or after_quote) and not after_hyphen) or _is_name(word, usage):
            pieces.append(word[:1].upper() + word[1:])
        else:
            pieces.append(word)
        first_word = False
    pieces.append(title[previous_end:])
    return "".join(pieces)
