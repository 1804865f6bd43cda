"""ASCII slugs that keep every Kazakh and Kyrgyz letter readable.

python-slugify (through text-unidecode) has no entry for several Kazakh and
Kyrgyz letters and drops them: «Тәжірибе» becomes `t-zhiribe`. We map those
letters to their closest Latin letter first and leave the rest of the
Cyrillic transliteration to python-slugify.
"""
from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

# Letters that text-unidecode loses or renders unreadably. Lower and upper case.
KAZAKH_KYRGYZ_LETTERS = {
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o",
    "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
# An apostrophe joins a word ("children's" -> childrens), it does not split it.
APOSTROPHES = ("'", "’", "ʼ")
_REPLACEMENTS = [
    *((mark, "") for mark in APOSTROPHES),
    *KAZAKH_KYRGYZ_LETTERS.items(),
    *((cyr.upper(), lat.upper()) for cyr, lat in KAZAKH_KYRGYZ_LETTERS.items()),
]

MAX_SLUG_LENGTH = 80


@lru_cache(maxsize=65536)  # the same tags and regions are slugified for every article that has them
def slugify(text: str) -> str:
    """A lower-case ASCII slug of `text`, cut at a word boundary after 80 characters."""
    return _slugify(
        text,
        replacements=_REPLACEMENTS,
        max_length=MAX_SLUG_LENGTH,
        word_boundary=True,
        save_order=True,  # never skip a long word to fit a later short one
    )
