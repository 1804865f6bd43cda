"""Which of the archive's languages a text is written in: kk, ky, ru or en.

The Cyrillic alphabets tell the languages apart by a few letters:

* Kazakh alone uses ә ғ қ ұ і һ (it also has ө ү ң);
* Kyrgyz uses ө ү ң but none of Kazakh's own letters;
* Russian uses neither.

A handful of such letters can appear in any of them through a quoted name
(«Рухани жаңғыру» in a Russian text), so a language needs them at a steady
rate, not once. Texts typed without the special letters (old sites often
replaced қ with к) fall back on common function words.

Kazakh in the Latin alphabet of 2021 («Soltüstık Qazaqstan») has ä ğ ı ñ ö ş ū ü
and is reported as Kazakh, with the script noted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..languages import LANGUAGES

KAZAKH_ONLY_LETTERS = frozenset("әғқұіһ")
KYRGYZ_LETTERS = frozenset("өүң")  # shared with Kazakh, absent from Russian
KAZAKH_LATIN_LETTERS = frozenset("äğıñöşūü")

# A language's own letters make up a steady share of its running text: about
# 11 % of Kazakh letters are ә ғ қ ұ і һ, about 7 % of Kyrgyz letters ө ү ң.
# Quoted names in another language stay well below these thresholds.
_KAZAKH_RATE = 0.04
_KYRGYZ_RATE = 0.03
_LATIN_KAZAKH_RATE = 0.02

_FUNCTION_WORDS = {
    "kk": {"және", "мен", "бойынша", "туралы", "үшін", "деп", "бұл", "осы", "жылы", "бар", "жоқ",
           "да", "де", "ал", "екен", "болды", "жане", "ушин", "бул", "жылгы"},
    "ky": {"жана", "менен", "боюнча", "тууралуу", "үчүн", "бул", "ошондой", "эле", "жылы", "болуп",
           "учун", "болгон", "деп", "дагы", "ал"},
    "ru": {"и", "в", "на", "что", "по", "для", "не", "с", "это", "как", "из", "от", "года", "был", "была"},
    "en": {"the", "and", "of", "to", "in", "is", "was", "for", "on", "with", "that", "by", "at"},
    "kk-Latn": {"jäne", "men", "boiynşa", "turaly", "üşın", "bul", "osy", "jyly", "dep", "bar", "jane"},
}

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # a code of the site's language table
    script: str  # "Cyrl" or "Latn"
    confident: bool  # False when the text was short or the evidence thin
    reason: str  # what decided, for review notes

    @property
    def is_latin_kazakh(self) -> bool:
        return self.code == "kk" and self.script == "Latn"


def _function_word_counts(words: list[str], languages) -> dict[str, int]:
    return {lang: sum(word in _FUNCTION_WORDS[lang] for word in words) for lang in languages}


def detect_language(text: str) -> LanguageGuess:
    """The language of `text`, decided from its letters and, failing that, its function words."""
    lowered = text.lower()
    cyrillic = len(_CYRILLIC.findall(lowered))
    latin = len(_LATIN.findall(lowered))
    words = _WORD.findall(lowered)
    enough_text = cyrillic + latin >= 40

    if cyrillic >= latin and cyrillic:
        kazakh_rate = sum(lowered.count(letter) for letter in KAZAKH_ONLY_LETTERS) / cyrillic
        kyrgyz_rate = sum(lowered.count(letter) for letter in KYRGYZ_LETTERS) / cyrillic
        if kazakh_rate >= _KAZAKH_RATE:
            return LanguageGuess("kk", "Cyrl", enough_text, "Kazakh letters ә ғ қ ұ і")
        if kyrgyz_rate >= _KYRGYZ_RATE:
            return LanguageGuess("ky", "Cyrl", enough_text, "Kyrgyz letters ө ү ң without Kazakh ә ғ қ ұ і")
        counts = _function_word_counts(words, ("kk", "ky", "ru"))
        best = max(counts, key=lambda lang: (counts[lang], lang == "ru"))
        if counts[best] == 0:
            return LanguageGuess("ru", "Cyrl", False, "Cyrillic without Kazakh or Kyrgyz letters")
        confident = enough_text and (best == "ru" or counts[best] >= 3)
        return LanguageGuess(best, "Cyrl", confident, "common words (no Kazakh or Kyrgyz letters)")

    if latin:
        kazakh_latin_rate = sum(lowered.count(letter) for letter in KAZAKH_LATIN_LETTERS) / latin
        counts = _function_word_counts(words, ("kk-Latn", "en"))
        if kazakh_latin_rate >= _LATIN_KAZAKH_RATE or counts["kk-Latn"] > counts["en"]:
            return LanguageGuess("kk", "Latn", enough_text, "Latin Kazakh letters ä ğ ı ñ ö ş ū ü")
        return LanguageGuess("en", "Latn", enough_text and counts["en"] > 0, "Latin letters")

    return LanguageGuess("kk", "Cyrl", False, "no letters to decide from")


def check_language_code(code: str) -> str:
    """`code` if the site has that language, else ValueError naming the allowed codes."""
    if code not in LANGUAGES:
        raise ValueError(f"--lang {code!r} is not a language of the site; allowed: auto, {', '.join(LANGUAGES)}")
    return code
