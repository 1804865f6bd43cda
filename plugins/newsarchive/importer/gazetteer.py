"""Which regions an article talks about, from the region names in its text.

The names come from the project's region table (kk, ky, ru, en and Latin
Kazakh). Articles rarely use them in the dictionary form:

* Kazakh and Kyrgyz add suffixes to the last word: «Павлодар облысы бойынша»,
  «Қарағанды облысының», «Ысык-Көл облустарынан» (plural: two regions).
* Russian declines the adjective: «Костанайской области».
* Several regions can share one region word: «Жалал-Абад жана Ысык-Көл
  облустарынан», «Абай және Қостанай облыстарынан», «в Павлодарской и
  Костанайской областях».
* Many names are also used without the region word: a city that is the
  region's centre («Павлодар қаласы»), a lake, a university named after the
  region («Солтүстік Қазақстан университеті»).

Matching works on words "folded" to a common spelling (lower case, Kazakh
letters to their Russian neighbours, Latin Kazakh to plain Latin), so
«Караганды» typed without Kazakh letters still counts. A name followed by a
region word is matched first; bare names are counted only where they are not
ambiguous (see NEEDS_REGION_WORD).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..regions import REGIONS

_FOLD = str.maketrans({
    # Kazakh and Kyrgyz letters to the Russian letter typists replace them with.
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е",
    # Latin Kazakh (2021) to plain Latin, as English spells the same names.
    "ä": "a", "ğ": "g", "ı": "i", "ñ": "n", "ö": "o", "ş": "sh", "ū": "u", "ü": "u", "q": "k", "ç": "ch",
})


def fold(word: str) -> str:
    return word.lower().translate(_FOLD)


# Roots of the words that make a name a region: облысы, облусу, область,
# Region, oblysy; өңірі and аймағы are used the same way in Kazakh news.
_REGION_WORD_ROOTS = ("облыс", "облус", "област", "oblys", "oblast", "region", "province", "онир", "аймаг", "аймак")
_REGION_WORD_ABBREVIATIONS = {"обл"}


def is_region_word(folded: str) -> bool:
    return folded in _REGION_WORD_ABBREVIATIONS or folded.startswith(_REGION_WORD_ROOTS)


# Words that join several names in front of one plural region word.
_CONJUNCTIONS = {"жане", "мен", "пен", "бен", "жана", "менен", "и", "and", "jane", "ham", "&"}

# Regions whose name alone is not a mention of the region, so the name counts
# only next to a region word:
_NEEDS_REGION_WORD = {
    "KZ-10": "Абай is first of all the poet: streets, schools and libraries are named after him",
    "KZ-11": "Ақмола was the name of the city of Astana",
    "KZ-19": "Алматы alone is the city (KZ-75)",
    "KZ-31": "Жамбыл is the poet and several districts",
    "KZ-33": "Жетісу is a historical land and the name of many clubs and companies",
    "KG-C": "Чүй/Шу is a river and valley, and Шу a town in Kazakhstan",
    "KG-N": "Нарын is a river and part of personal and place names (Нарынкөл)",
    "KG-O": "Ош alone is the city (KG-GO)",
    "KG-T": "Талас is a river and a district of Kazakhstan's Jambyl region",
}
NEEDS_REGION_WORD = frozenset(_NEEDS_REGION_WORD)

# Names the region table does not hold: Russian city forms, former names.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "KZ-15": ("Актобе",),
    "KZ-35": ("Караганда",),
    "KZ-39": ("Кустанай",),
    "KZ-47": ("Мангистау",),
    # South Kazakhstan region was renamed Turkistan in 2018; old pages use the old name.
    "KZ-61": ("Оңтүстік Қазақстан облысы", "Түштүк Казакстан облусу", "Южно-Казахстанская область",
              "South Kazakhstan Region", "Oñtüstık Qazaqstan oblysy", "Туркестан"),
    "KZ-71": ("Нұр-Сұлтан", "Нур-Султан", "Nur-Sultan", "Nūr-Sūltan"),
    "KZ-75": ("Алма-Ата",),
    "KG-J": ("Джалал-Абад",),
    "KG-Y": ("Иссык-Куль", "Ыссык-Көл"),
    "KG-GO": ("г. Ош",),
}

# Endings that make a new word out of a place name rather than inflect it:
# Нарынбек, Абайұлы, Таласбаев, Нарынкөл.
_NOT_AN_INFLECTION = ("бек", "бай", "улы", "уулу", "кызы", "кыз", "хан", "жан", "гул", "ов", "ев", "ин",
                      "ск", "кол", "куль", "стан", "тау", "су")
_TURKIC_SUFFIX = re.compile(r"^[^\W\d_]{1,12}$")
_RUSSIAN_ADJECTIVE_ENDINGS = {"ая", "ой", "ую", "ое", "ий", "ие", "их", "им", "ими", "ом", "ому", "ого", "ою"}
_RUSSIAN_NOUN_ENDINGS = {"", "а", "е", "у", "ы", "и", "ом", "ой", "ою", "ь", "я", "ю", "ем", "ей"}
_ENGLISH_ENDINGS = {"", "s"}


@dataclass(frozen=True)
class Name:
    """One way of writing a region's name, as folded words."""

    code: str
    words: tuple[str, ...]
    inflection: str  # "turkic", "russian-adjective", "russian-noun" or "english"
    needs_region_word: bool

    def word_matches(self, index: int, folded: str) -> bool:
        stem = self.words[index]
        if not folded.startswith(stem):
            return False
        ending = folded[len(stem):]
        if self.inflection == "russian-adjective" and index < len(self.words) - 1:
            return ending == ""  # «Северо-» in «Северо-Казахстанской» does not change
        if self.inflection == "russian-adjective":
            return ending in _RUSSIAN_ADJECTIVE_ENDINGS
        if self.inflection == "russian-noun":
            return ending in _RUSSIAN_NOUN_ENDINGS
        if self.inflection == "english":
            return ending in _ENGLISH_ENDINGS
        return ending == "" or (bool(_TURKIC_SUFFIX.match(ending)) and not ending.startswith(_NOT_AN_INFLECTION))


_WORD_RE = re.compile(r"[^\W\d_]+|&")


def _words(text: str) -> list[str]:
    return [fold(word) for word in _WORD_RE.findall(text)]


def _names_from(code: str, written: str, language: str) -> list[Name]:
    words = _words(written)
    has_region_word = len(words) > 1 and is_region_word(words[-1])
    if has_region_word:
        words = words[:-1]
    needs_word = code in NEEDS_REGION_WORD
    if language == "ru":
        if words and words[-1].endswith(("ская", "цкая")) and has_region_word:
            # «Костанайская область» → stem «костанайск», declined with the noun.
            return [Name(code, (*words[:-1], words[-1][:-2]), "russian-adjective", needs_word)]
        if words and words[-1][-1:] in "аеиоуыэюяь" and len(words[-1]) >= 3:
            # «Караганда» → «караганд», declined: «в Караганде», «Караганды».
            stem = (*words[:-1], words[-1][:-1])
            return [Name(code, stem, "russian-noun", needs_word and not has_region_word),
                    Name(code, tuple(words), "russian-noun", needs_word)]
        return [Name(code, tuple(words), "russian-noun", needs_word)]
    inflection = "english" if language == "en" else "turkic"
    return [Name(code, tuple(words), inflection, needs_word)]


def _language_of_extra(written: str) -> str:
    if re.search(r"[a-z]", written, re.IGNORECASE):
        return "kk-Latn" if re.search(r"[äğıñöşūü]", written) else "en"
    if re.search(r"[әғқңөұүһі]", written.lower()):
        return "kk"
    return "ru"


def _all_names() -> list[Name]:
    names: list[Name] = []
    for code, region in REGIONS.items():
        for language, written in region.names.items():
            names.extend(_names_from(code, written, language))
        for written in _EXTRA_NAMES.get(code, ()):
            names.extend(_names_from(code, written, _language_of_extra(written)))
    unique = {(name.code, name.words, name.inflection): name for name in names if name.words}
    # Longest names first, so «Солтүстік Қазақстан» wins over any shorter name.
    return sorted(unique.values(), key=lambda name: -sum(map(len, name.words)))


NAMES: list[Name] = _all_names()


@dataclass(frozen=True)
class _Word:
    folded: str
    start: int
    gap: str  # the text between the previous word and this one


def _tokenise(text: str) -> list[_Word]:
    words: list[_Word] = []
    previous_end = 0
    for match in _WORD_RE.finditer(text):
        words.append(_Word(fold(match.group()), match.start(), text[previous_end:match.start()]))
        previous_end = match.end()
    return words


def _joins_one_name(gap: str) -> bool:
    """Whether two words with this between them can belong to one name («Жалал-Абад», «Солтүстік Қазақстан»)."""
    return gap.strip() in ("", "-", "‐", "‑") and "\n" not in gap


def _name_at(words: list[_Word], start: int, name: Name) -> bool:
    if start < 0 or start + len(name.words) > len(words):
        return False
    for offset in range(len(name.words)):
        word = words[start + offset]
        if offset and not _joins_one_name(word.gap):
            return False
        if not name.word_matches(offset, word.folded):
            return False
    return True


def _name_ending_at(words: list[_Word], end: int) -> tuple[Name, int] | None:
    """The longest name whose last word is words[end], with its first index."""
    for name in NAMES:
        start = end - len(name.words) + 1
        if _name_at(words, start, name):
            return name, start
    return None


@dataclass
class RegionCount:
    code: str
    mentions: int
    first_position: int


def count_mentions(text: str) -> dict[str, RegionCount]:
    """How often each region is mentioned in `text`, and where first."""
    words = _tokenise(text)
    used = [False] * len(words)
    counts: dict[str, RegionCount] = {}

    def count(code: str, first: int, last: int):
        for index in range(first, last + 1):
            used[index] = True
        position = words[first].start
        if code in counts:
            counts[code].mentions += 1
            counts[code].first_position = min(counts[code].first_position, position)
        else:
            counts[code] = RegionCount(code, 1, position)

    # 1. Names next to a region word, including lists sharing one plural word.
    for index, word in enumerate(words):
        if not is_region_word(word.folded) or used[index]:
            continue
        end = index - 1
        gap_after_name = word.gap
        while end >= 0 and _joins_one_name(gap_after_name) and not used[end]:
            found = _name_ending_at(words, end)
            if not found:
                break
            name, start = found
            count(name.code, start, end)
            used[index] = True
            # «Абай және Қостанай облыстары», «Абай, Павлодар облыстары»
            if start > 0 and words[start].gap.strip() == ",":
                end, gap_after_name = start - 1, " "
            elif start > 1 and words[start - 1].folded in _CONJUNCTIONS and _joins_one_name(words[start].gap):
                end, gap_after_name = start - 2, words[start - 1].gap
            else:
                break
        # «области Абай», «область Жетісу»: the Russian names of the new regions put the word first.
        if not used[index] and word.folded.startswith("област"):
            for name in NAMES:
                if _name_at(words, index + 1, name) and _joins_one_name(words[index + 1].gap):
                    count(name.code, index, index + len(name.words))
                    break

    # 2. Names standing alone, where that is not ambiguous.
    index = 0
    while index < len(words):
        if used[index]:
            index += 1
            continue
        for name in NAMES:
            if name.needs_region_word or not _name_at(words, index, name):
                continue
            last = index + len(name.words) - 1
            if any(used[index:last + 1]):
                continue
            count(name.code, index, last)
            index = last
            break
        index += 1
    return counts


def find_regions(text: str) -> list[str]:
    """ISO 3166-2 codes of the regions `text` mentions, the most mentioned first.

    Ties go to the region mentioned first.
    """
    counts = count_mentions(text)
    ranked = sorted(counts.values(), key=lambda count: (-count.mentions, count.first_position))
    return [count.code for count in ranked]


def names_by_region() -> dict[str, list[tuple[str, ...]]]:
    """The folded names the gazetteer knows, by region code (for tests and debugging)."""
    table: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name in NAMES:
        table[name.code].append(name.words)
    return dict(table)
