"""The Kazakh and Kyrgyz query normaliser: real word forms cut back to stems, other words left alone.

What search needs from a stem: it is a prefix of every form of the word, so
that Pagefind's prefix search finds them all, and it is not shorter than
necessary. The tables give the exact stem expected for each real form (most
taken from the sample archive); the words to leave alone are short words and
words that only look suffixed.
"""
import json

import pytest

from browser import served
from newsarchive.stemming import RULES_FILE, load_rules, normalise_query, normalise_word
from sitebuild import PROJECT

KAZAKH = [
    # (word as a reader types it, stem it must become)
    ("облыстарда", "облыс"),       # plural + locative: the example
    ("облысы", "облыс"),           # possessive -ы after a consonant, not -сы
    ("облысының", "облыс"),
    ("облыстарынан", "облыс"),     # plural + possessive + ablative
    ("облысымыздың", "облыс"),     # 1st person plural possessive + genitive
    ("облыста", "облыс"),
    ("облыстағы", "облыс"),        # attributive locative -тағы
    ("бағдарламалар", "бағдарлама"),  # the example
    ("бағдарламасын", "бағдарлама"),  # possessive -сы after a vowel + accusative -н
    ("бағдарламасының", "бағдарлама"),
    ("бағдарламаға", "бағдарлама"),
    ("жобалармен", "жоба"),        # instrumental
    ("жобаларды", "жоба"),
    ("мамандарға", "маман"),
    ("қатысушыларға", "қатысушы"),
    ("аудандарында", "аудан"),
    ("әріптестеріміз", "әріптес"),
    ("тәжірибемізбен", "тәжірибе"),
    ("тәжірибесімен", "тәжірибе"),
    ("кеңесте", "кеңес"),
    ("жұмыстарыңызды", "жұмыс"),   # polite 2nd person possessive
    ("Қазақстанда", "қазақстан"),  # a name: the case goes, the name stays whole
    ("орталығы", "орталы"),        # ғ before a vowel is қ: «орталы» finds «орталық» and «орталығы»
    ("министрлігі", "министрлі"),
]

KAZAKH_LEFT_ALONE = [
    "мен", "жыл", "бұл", "және",   # short words
    "Павлодар",     # -дар is a plural only after л, м, н, ң, з, ж
    "бағдар",       # nor after ғ
    "компьютер",    # -тер only after a voiceless consonant
    "қайта", "орта",  # -та likewise
    "қала",         # a bare -а is not a case ending
    "жаңалық",      # derivational -лық stays: «жаңалық» (news) is not «жаңа» (new)
    "облыстық",
    "білім", "адам",  # -ім/-м could be «my», but that form is too rare to risk
    "Қазақстан", "үшін", "тұлға", "кейін",  # the keep list
]

KYRGYZ = [
    ("тренингдин", "тренинг"),     # the example
    ("тренингдерге", "тренинг"),
    ("облустарынан", "облус"),
    ("облустун", "облус"),
    ("облусунун", "облус"),
    ("консультанттардын", "консультант"),
    ("эксперттери", "эксперт"),
    ("угуулардын", "угуу"),        # a long vowel ends the stem: -лар after a vowel
    ("суусу", "суу"),              # possessive -су after the long vowel
    ("долбоорлорун", "долбоор"),
    ("долбоорду", "долбоор"),
    ("катышуучуларга", "катышуучу"),
    ("өкүлдөрү", "өкүл"),
    ("маселелерди", "маселе"),
    ("айылдардын", "айыл"),
    ("Кыргызстанда", "кыргызстан"),
    ("мектеби", "мекте"),          # б before a vowel is п: «мекте» finds «мектеп» and «мектеби»
]

KYRGYZ_LEFT_ALONE = [
    "тоо", "эне", "бала",          # short words
    "жана",         # -на only follows a possessive ы, и, у, ү
    "автор",        # -тор only after a voiceless consonant
    "айылдык",      # derivational -дык stays
    "мугалим",
    "Кыргызстан", "Нарын", "үчүн", "директор",  # the keep list
]


@pytest.mark.parametrize("word, stem", KAZAKH)
def test_kazakh_word_forms_lose_their_inflection(word, stem):
    assert normalise_word(word, "kk") == stem


@pytest.mark.parametrize("word", KAZAKH_LEFT_ALONE)
def test_kazakh_words_that_only_look_inflected_are_left_alone(word):
    assert normalise_word(word, "kk") == word.lower()


@pytest.mark.parametrize("word, stem", KYRGYZ)
def test_kyrgyz_word_forms_lose_their_inflection(word, stem):
    assert normalise_word(word, "ky") == stem


@pytest.mark.parametrize("word", KYRGYZ_LEFT_ALONE)
def test_kyrgyz_words_that_only_look_inflected_are_left_alone(word):
    assert normalise_word(word, "ky") == word.lower()


@pytest.mark.parametrize("lang, forms", [
    ("kk", ["облыс", "облысы", "облыстарда", "облыстарынан", "облысының", "облыстағы"]),
    ("kk", ["бағдарлама", "бағдарламалар", "бағдарламасын", "бағдарламаның", "бағдарламаға"]),
    ("ky", ["тренинг", "тренингдин", "тренингдерге", "тренингге"]),
])
def test_every_form_of_a_word_gets_a_stem_that_prefixes_all_of_them(lang, forms):
    stems = {normalise_word(form, lang) for form in forms}
    assert all(form.startswith(stem) for stem in stems for form in forms), stems


def test_languages_without_rules_are_left_to_pagefind():
    assert normalise_word("тренингах", "ru") == "тренингах"
    assert normalise_query("Training sessions", "en") == "Training sessions"


def test_a_query_keeps_punctuation_and_stems_each_word():
    assert normalise_query("«Облыстарда» бағдарламалар,", "kk") == "«облыс» бағдарлама,"


def test_a_hyphenated_word_is_stemmed_in_its_last_part():
    assert normalise_query("Ысык-Көлдө", "ky") == "Ысык-көл"


def test_a_quoted_phrase_is_searched_as_typed():
    assert normalise_query('"облыстарда өтті"', "kk") == '"облыстарда өтті"'


def test_every_rule_names_a_class_that_exists():
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    for lang in ("kk", "ky"):
        classes = data[lang]["classes"]
        for layer in data[lang]["layers"]:
            for rule in layer["rules"]:
                assert set(rule["after"]) <= set(classes), (lang, rule)
    assert set(load_rules()) == {"kk", "ky"}


def test_the_browser_normaliser_gives_the_same_stems_as_python(browser):
    """stemming.js and stemming.py share the rules file; they must agree word for word."""
    words = {
        "kk": [word for word, _ in KAZAKH] + KAZAKH_LEFT_ALONE + ["«Облыстарда»,", '"облыстарда"'],
        "ky": [word for word, _ in KYRGYZ] + KYRGYZ_LEFT_ALONE + ["Ысык-Көлдө"],
    }
    # Both texts of the sample archive, word by word, as well.
    for path in (PROJECT / "content" / "articles").rglob("*.md"):
        lang = path.name.rsplit(".", 2)[-2]
        if lang in words:
            words[lang] += sorted(set(path.read_text(encoding="utf-8").split()))
    static = PROJECT / "theme" / "static" / "search"
    with served(static) as url:
        tab = browser.new_page()
        tab.goto(url + "stemming.json")
        from_js = tab.evaluate("""async ([moduleUrl, words]) => {
            const { prepareRules, normaliseQuery } = await import(moduleUrl);
            const data = await (await fetch("stemming.json")).json();
            const out = {};
            for (const [lang, list] of Object.entries(words)) {
                const rules = prepareRules(data[lang]);
                out[lang] = list.map((word) => normaliseQuery(word, rules));
            }
            return out;
        }""", [url + "stemming.js", words])
        tab.close()
    for lang, list in words.items():
        from_python = [normalise_query(word, lang) for word in list]
        differences = [(w, p, j) for w, p, j in zip(list, from_python, from_js[lang]) if p != j]
        assert not differences, differences[:10]
