"""Kazakh and Kyrgyz search words reduced to a stem that Pagefind's prefix search can use.

Pagefind stems Russian and English, but it has no stemmer for Kazakh or
Kyrgyz: it indexes their words as written. Both languages are agglutinative:
«облыс» (region) is written «облысы», «облыстарда», «облыстарынан»… A reader
who types one form must still find the others. Pagefind already matches every
query word as a prefix of indexed words, so it is enough to cut the query word
back to its stem: «облыстарда» → «облыс» finds «облысы» and «облыстық».

No maintained library does this for Kazakh or Kyrgyz in both Python and the
browser (Snowball has no Kazakh or Kyrgyz algorithm), so this is a small light
stemmer of our own. The rules are data, written once in
`theme/static/search/stemming.json` and read both here (tests, build) and by
`theme/static/search/stemming.js` (the search page), which implements the same
algorithm line for line:

1. Lower-case the word (NFC). A language without rules gets it back as typed.
2. Walk the layers of nominal suffixes from the end of the word inwards:
   case (incl. the instrumental and the -дағы attributive), possessive, plural.
   Each layer removes at most one suffix: the longest one that matches and
   whose condition holds. The condition `after` names letter classes; what is
   left (the stem) must end in one of their endings. This mirrors Turkic
   sound rules (plural -лар after vowels and р/й/у, -дар after л/м/н/ң/з/ж,
   -тар after voiceless consonants; possessive -сы after vowels, -ы after
   consonants; case -н/-на/-нда only after a possessive ы/і…), which is what
   keeps words that merely look suffixed whole: «Павлодар» (-дар never follows
   a vowel), «жана», «қайта».
3. The stem must keep at least `min_stem` letters and one vowel, so short
   words («мен», «жыл», «тоо») are never cut.
4. A word in `keep` (checked before each layer) stops the stripping: names and
   function words the rules would cut wrongly («Қазақстан», «үшін», «Нарын»).
5. After a vowel-initial suffix, a final б/г/ғ (the voiced form of п/к/қ
   before a vowel: «министрлігі» ← «министрлік») is dropped, so the prefix
   matches both forms.

Only inflection is undone; derivational suffixes (-лық, -шы…) stay, since they
make other words («жаңалық» news ≠ «жаңа» new).
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parents[2] / "theme" / "static" / "search" / "stemming.json"


@lru_cache(maxsize=4)
def load_rules(path: str | Path = RULES_FILE) -> dict:
    """Every language's rules from the JSON file, keyed by language code."""
    with open(path, encoding="utf-8") as rules_file:
        data = json.load(rules_file)
    return {code: _prepare(rules) for code, rules in data.items() if isinstance(rules, dict)}


def rules_for(lang: str, path: str | Path = RULES_FILE) -> dict | None:
    """The raw rules of one language, as the browser gets them; None when it has none."""
    with open(path, encoding="utf-8") as rules_file:
        data = json.load(rules_file)
    rules = data.get(lang)
    return rules if isinstance(rules, dict) else None


def _prepare(rules: dict) -> dict:
    classes = {name: endings.split() for name, endings in rules["classes"].items()}
    layers = []
    for layer in rules["layers"]:
        candidates = []
        for rule in layer["rules"]:
            after = [ending for name in rule.get("after", []) for ending in classes[name]]
            candidates.extend((suffix, after) for suffix in rule["suffixes"])
        # Longest first; sorted() is stable, so equal lengths keep the file's order (as in the JS).
        layers.append(sorted(candidates, key=lambda candidate: -len(candidate[0])))
    return {
        "min_stem": rules["min_stem"],
        "vowels": set(rules["vowels"]),
        "alternations": set(rules.get("alternations", "")),
        "keep": set(rules.get("keep", [])),
        "layers": layers,
    }


def normalise_word(word: str, lang: str, rules: dict | None = None) -> str:
    """The stem of one Kazakh or Kyrgyz word; other languages' words come back unchanged."""
    rules = rules if rules is not None else load_rules().get(lang)
    if rules is None:
        return word
    current = unicodedata.normalize("NFC", word).lower()
    last_suffix = ""
    for candidates in rules["layers"]:
        if current in rules["keep"]:
            break
        for suffix, after in candidates:
            if not current.endswith(suffix):
                continue
            stem = current[: len(current) - len(suffix)]
            if _stem_ok(stem, rules) and (not after or any(stem.endswith(ending) for ending in after)):
                current, last_suffix = stem, suffix
                break
    if (last_suffix and last_suffix[0] in rules["vowels"] and current[-1] in rules["alternations"]
            and current not in rules["keep"] and _stem_ok(current[:-1], rules)):
        current = current[:-1]
    return current


def _stem_ok(stem: str, rules: dict) -> bool:
    return len(stem) >= rules["min_stem"] and any(letter in rules["vowels"] for letter in stem)


def normalise_query(query: str, lang: str, rules: dict | None = None) -> str:
    """A whole query with each word stemmed; punctuation around words and quoted phrases kept.

    A query with a double quote asks Pagefind for an exact phrase, so it is
    passed on untouched. Within a hyphenated word («Ысык-Көлдө») only the last
    part carries the suffixes.
    """
    rules = rules if rules is not None else load_rules().get(lang)
    if rules is None or '"' in query:
        return query
    return " ".join(_normalise_token(token, lang, rules) for token in query.split())


def _normalise_token(token: str, lang: str, rules: dict) -> str:
    start, end = 0, len(token)
    while start < end and not token[start].isalpha():
        start += 1
    while end > start and not token[end - 1].isalpha():
        end -= 1
    core = token[start:end]
    head, hyphen, last = core.rpartition("-")
    return token[:start] + head + hyphen + normalise_word(last, lang, rules) + token[end:]
