"""The site's language table: the one place that knows which languages exist.

Everything else (slugs, dates, feeds, the switcher, og:locale, search) asks
this module instead of keeping its own list.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 code used in URLs, `Lang:` metadata and <html lang>
    native_name: str  # how the language names itself, for the switcher
    babel_locale: str  # CLDR locale for Babel (dates, plural rules)
    og_locale: str  # OpenGraph og:locale
    script: str  # ISO 15924 script the slugs are transliterated from
    timezone: str  # default time zone of events written in this language


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("kk", "Қазақша", "kk_KZ", "kk_KZ", "Cyrl", "Asia/Almaty"),
        Language("ky", "Кыргызча", "ky_KG", "ky_KG", "Cyrl", "Asia/Bishkek"),
        Language("ru", "Русский", "ru_RU", "ru_RU", "Cyrl", "Asia/Almaty"),
        Language("en", "English", "en_US", "en_US", "Latn", "Asia/Almaty"),
    )
}


def language(code: str) -> Language:
    """The language with this code; KeyError for a code the site does not know."""
    return LANGUAGES[code]


def allowed_codes() -> str:
    """The language codes, as a human-readable list for error messages."""
    return ", ".join(LANGUAGES)
