"""From text to paragraphs.

Scraped pages come in two layouts: one paragraph per line (what the seeds
and trafilatura give, sometimes with blank lines between), or prose
hard-wrapped at a fixed width, where the lines of a block belong together.
"""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?…:;»”\"')]$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise_spaces(line: str) -> str:
    """One ordinary space between words: no-break and other wide spaces included."""
    return _SPACES.sub(" ", line).strip()


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Whether the lines of one block are one paragraph wrapped at a fixed width.

    Wrapped prose has long lines of similar length that mostly stop in the
    middle of a sentence, so most lines go on with a small letter; a block of
    headline-and-paragraph lines or of «Label: value» lines has not.
    """
    if len(lines) < 2:
        return False
    body = lines[:-1]
    lengths = [len(line) for line in body]
    if min(lengths) < 40 or max(lengths) > 110 or max(lengths) - min(lengths) > 30:
        return False
    mid_sentence = sum(not _SENTENCE_END.search(line) for line in body)
    goes_on_small = sum(line[:1].islower() for line in lines[1:])
    return mid_sentence * 2 >= len(body) and goes_on_small * 2 >= len(body)


def _join_wrapped(lines: list[str]) -> str:
    joined = lines[0]
    for line in lines[1:]:
        # «бағдар-» + «ламасы»: a word broken at the line end.
        if joined.endswith("-") and line[:1].islower() and not joined.endswith(" -"):
            joined = joined[:-1] + line
        else:
            joined += " " + line
    return joined


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`, each on one line with single spaces."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [normalise_spaces(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if _is_hard_wrapped(lines):
            paragraphs.append(_join_wrapped(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs
