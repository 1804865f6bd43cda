"""How long an article takes to read: its words at WORDS_PER_MINUTE, never less than a minute.

The count is taken from the sanitized body (sanitize.py). nh3's serialiser
double-quotes every attribute value, so one regular expression removes the
tags exactly; parsing 20,000 bodies into trees only to count words would
cost seconds for nothing.
"""
from __future__ import annotations

import html
import math
import re
from itertools import filterfalse

from pelican.contents import Article

# Adults read running text at about 200-250 words a minute; the lower figure
# suits reports in a second language, which many readers of this archive use.
WORDS_PER_MINUTE = 200

_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(body: str) -> int:
    """Words of running text in an HTML body (a hyphenated or apostrophised word counts once)."""
    tokens = html.unescape(_TAG.sub(" ", body or "")).split()
    # A word never spans white space, and a token of letters and digits alone is one word
    # (`\w` is exactly `str.isalnum()` or `_`). Only the other tokens, about one in ten (a full
    # stop or comma attached, hyphens, apostrophes), need the expression: two thirds of the time.
    others = list(filterfalse(str.isalnum, tokens))
    return len(tokens) - len(others) + (len(_WORD.findall(" ".join(others))) if others else 0)


def reading_minutes(body: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes, rounded half up, at least one."""
    return max(1, math.floor(count_words(body) / words_per_minute + 0.5))


def set_on_read(content) -> None:
    """content_object_init, after the sanitizer: kept with the article between builds (article_cache.py)."""
    if isinstance(content, Article):
        content.reading_minutes = reading_minutes(getattr(content, "_content", "") or "")


def set_reading_time(article_generator) -> None:
    """`article.reading_minutes` on every article, draft and hidden one that lacks it
    (article_generator_finalized): Pelican's generator-level cache gives back articles without
    sending content_object_init."""
    generator = article_generator
    for article in (*generator.articles, *generator.translations, *generator.hidden_articles,
                    *generator.hidden_translations, *generator.drafts, *generator.drafts_translations):
        if not hasattr(article, "reading_minutes"):
            article.reading_minutes = reading_minutes(getattr(article, "_content", "") or "")
