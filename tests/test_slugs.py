import pytest

from newsarchive.slugs import slugify

# Every Kazakh and Kyrgyz letter that text-unidecode alone loses or mangles.
LETTER_TABLE = [
    ("ә", "a"), ("ғ", "g"), ("қ", "q"), ("ң", "n"), ("ө", "o"),
    ("ұ", "u"), ("ү", "u"), ("һ", "h"), ("і", "i"),
]


@pytest.mark.parametrize("letter, latin", LETTER_TABLE)
def test_every_kazakh_and_kyrgyz_letter_keeps_a_latin_letter(letter, latin):
    assert slugify(f"б{letter}р") == f"b{latin}r"
    assert slugify(f"Б{letter.upper()}Р") == f"b{latin}r"


@pytest.mark.parametrize("title, slug", [
    ("Тәжірибе алмасты", "tazhiribe-almasty"),
    ("Тренерлер үчүн тренинг", "trenerler-uchun-trening"),
    ("«Рухани жаңғыруды» жүзеге асыру", "rukhani-zhangyrudy-zhuzege-asyru"),
    ("Ысык-Көл облусу", "ysyk-kol-oblusu"),
    ("Расширенное заседание совета", "rasshirennoe-zasedanie-soveta"),
    ("Soltüstık Qazaqstan", "soltustik-qazaqstan"),
    ("Children's rights", "childrens-rights"),
])
def test_titles_become_readable_ascii_slugs(title, slug):
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word_boundary():
    slug = slugify("Облыстық балалар мен жасөспірімдер қозғалысын дамытудың перспективалары мен стратегиялық бағыттары")
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert "perspektivalary" in slug
    full = "oblystyq-balalar-men-zhasospirimder-qozgalysyn-damytudyn-perspektivalary-men-strategiialyq-bagyttary"
    assert full.startswith(slug + "-"), "words kept in their order, none skipped"
