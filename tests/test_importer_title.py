"""The headline: which line it is, and a shouted headline made readable."""
import pytest

from newsarchive.importer.title import (
    choose_title,
    first_sentence,
    is_shouting,
    readable_case,
    without_site_name,
)

BODY = [
    "Облыс әкімі Серік Нұрланов «Жасыл ел» жобасының нәтижелерін таныстырды. Жиынға ҚР ПМ өкілдері қатысты.",
    "Биыл облыста «Жасыл ел» бағдарламасы аясында мыңдаған ағаш отырғызылды, деді Нұрланов.",
]


def test_the_first_line_above_the_text_is_the_headline():
    choice = choose_title(["Ағаш отырғызу науқаны басталды"], BODY)
    assert choice.title == "Ағаш отырғызу науқаны басталды"
    assert not choice.dropped


def test_an_unknown_one_word_label_above_a_headline_is_dropped():
    choice = choose_title(["Экология", "Ағаш отырғызу науқаны басталды"], BODY)
    assert choice.title == "Ағаш отырғызу науқаны басталды"
    assert [item.line for item in choice.dropped] == ["Экология"]


def test_a_short_two_word_headline_is_not_taken_for_a_label():
    choice = choose_title(["Тәжірибе алмасты", "Soltüstık Казахстан"], BODY)
    assert choice.title == "Тәжірибе алмасты"
    assert [item.line for item in choice.dropped] == ["Soltüstık Казахстан"]


def test_a_subtitle_under_the_headline_is_kept_as_text():
    subtitle = "Науқан облыстың барлық аудандарында бір мезгілде өтеді"
    choice = choose_title(["Ағаш отырғызу науқаны басталды", subtitle], BODY)
    assert choice.subtitle == [subtitle]


def test_the_headline_an_html_page_declares_wins_and_its_repeat_goes():
    choice = choose_title(["Ағаш отырғызу басталды"], BODY, declared="Ағаш отырғызу басталды | Облыс жаңалықтары")
    assert choice.title == "Ағаш отырғызу басталды"
    assert [item.reason for item in choice.dropped] == ["headline repeated"]


@pytest.mark.parametrize("declared, title", [
    ("Семинар учителей | Городские новости", "Семинар учителей"),
    ("Городские новости | Семинар учителей в Павлодаре", "Семинар учителей в Павлодаре"),
    ("Семинар учителей прошёл в Павлодаре — Городские новости", "Семинар учителей прошёл в Павлодаре"),
    ("Алматы - Бишкек: жаңа рейс", "Алматы - Бишкек: жаңа рейс"),
])
def test_site_names_are_cut_from_declared_headlines(declared, title):
    assert without_site_name(declared) == title


def test_without_a_headline_the_first_sentence_stands_in():
    choice = choose_title([], BODY)
    assert choice.made_from_text
    assert choice.title == "Облыс әкімі Серік Нұрланов «Жасыл ел» жобасының нәтижелерін таныстырды"


def test_first_sentence_is_cut_at_a_word_boundary():
    assert first_sentence("Бір екі үш төрт бес алты жеті сегіз", limit=15) == "Бір екі үш…"


@pytest.mark.parametrize("title, shouting", [
    ("«РУХАНИ ЖАҢҒЫРУДЫ» ЖҮЗЕГЕ АСЫРУ", True),
    ("ТРЕНИНГ ДЛЯ ТРЕНЕРОВ", True),
    ("ӨСИ эксперттери тренинг өткөрүштү", False),
    ("MEETUP", False),  # too short to tell a headline from an abbreviation
])
def test_is_shouting(title, shouting):
    assert is_shouting(title) is shouting


def test_a_shouted_headline_gets_sentence_case_with_a_capital_after_the_opening_quote():
    text = "«Рухани жаңғыру» бағдарламасы жүзеге асырылуда. Онлайн кеңесте жұмыс талқыланды."
    assert readable_case("«РУХАНИ ЖАҢҒЫРУДЫ» ЖҮЗЕГЕ АСЫРУ ЖАЙЫ ОНЛАЙН КЕҢЕСТЕ ТАЛҚЫЛАНДЫ", text) == (
        "«Рухани жаңғыруды» жүзеге асыру жайы онлайн кеңесте талқыланды"
    )


def test_names_and_abbreviations_keep_the_case_the_text_gives_them():
    text = "\n".join(BODY)
    assert readable_case("ҚР ПМ ӨКІЛДЕРІ НҰРЛАНОВТЫҢ ЖОБАСЫН ҚОЛДАДЫ", text) == (
        "ҚР ПМ өкілдері Нұрлановтың жобасын қолдады"
    )


def test_a_headline_in_ordinary_case_is_left_alone():
    assert readable_case("Ағаш отырғызу науқаны басталды", "") == "Ағаш отырғызу науқаны басталды"


def test_the_original_of_a_recased_headline_is_kept():
    choice = choose_title(["ЖАСЫЛ ЕЛ ЖОБАСЫ АЯҚТАЛДЫ"], BODY)
    assert choice.title == "Жасыл ел жобасы аяқталды"
    assert choice.original == "ЖАСЫЛ ЕЛ ЖОБАСЫ АЯҚТАЛДЫ"
    assert choice.recased
