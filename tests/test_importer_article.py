"""The Markdown file: header keys and order, body, lists, escaping, where it goes."""
from datetime import date, datetime

from newsarchive.importer.article import (
    Article,
    Block,
    blocks_from_paragraphs,
    escape_markdown,
    list_item,
    make_summary,
    metadata_value,
    to_markdown,
)


def _article(**overrides):
    fields = dict(
        title="Тренерлер үчүн тренинг",
        lang="ky",
        slug="trenerler-uchun-trening",
        date=datetime(2020, 1, 20, 10, 0),
        source="002_deb66963d8e4cc14.txt",
        body=[Block("paragraph", ("Биринчи абзац.",)), Block("paragraph", ("Экинчи абзац.",))],
        category="event-report",
        regions=["KG-J", "KG-Y"],
        event_start=date(2020, 1, 17),
        event_end=date(2020, 1, 18),
        summary="Биринчи абзац.",
    )
    fields.update(overrides)
    return Article(**fields)


def test_the_file_has_the_archive_header_a_blank_line_and_the_body():
    assert to_markdown(_article()) == (
        "Title: Тренерлер үчүн тренинг\n"
        "Date: 2020-01-20 10:00\n"
        "Lang: ky\n"
        "Slug: trenerler-uchun-trening\n"
        "Translation_key: trenerler-uchun-trening\n"
        "Category: event-report\n"
        "Tags:\n"
        "Regions: KG-J, KG-Y\n"
        "Event_start: 2020-01-17\n"
        "Event_end: 2020-01-18\n"
        "Summary: Биринчи абзац.\n"
        "Source: 002_deb66963d8e4cc14.txt\n"
        "\n"
        "Биринчи абзац.\n"
        "\n"
        "Экинчи абзац.\n"
    )


def test_a_dated_article_goes_into_its_year_folder():
    assert str(_article().relative_path) == "2020/2020-01-20-trenerler-uchun-trening.ky.md"


def test_an_undated_article_is_a_draft_in_the_drafts_folder():
    article = _article(is_draft=True, regions=[], event_start=None, event_end=None, author="Рабиға Ералы")
    text = to_markdown(article)
    assert str(article.relative_path) == "drafts/trenerler-uchun-trening.ky.md"
    assert "Status: draft\n" in text
    assert "Author: Рабиға Ералы\n" in text
    assert "Regions:" not in text and "Event_start:" not in text


def test_metadata_values_are_one_line_without_angle_brackets():
    assert metadata_value("<<Рухани\nжаңғыру>> <b>жобасы</b>") == "«Рухани жаңғыру» bжобасы/b"


def test_bullet_emoji_lines_become_one_markdown_list():
    blocks = blocks_from_paragraphs(["Кіріспе.", "🔹Бірінші.", "🔸 Екінші.", "✅Үшінші.", "Қорытынды."])
    assert [block.kind for block in blocks] == ["paragraph", "list", "paragraph"]
    text = to_markdown(_article(body=blocks))
    assert "Кіріспе.\n\n- Бірінші.\n- Екінші.\n- Үшінші.\n\nҚорытынды.\n" in text


def test_lines_that_begin_with_text_symbols_are_not_bullets():
    assert list_item("№5 мектепте жиын өтті.") is None
    assert list_item("© Фото автордікі") is None
    assert list_item("– Біз дайынбыз, – деді ол.") is None
    assert list_item("•Бір") == "Бір"
    assert list_item("1️⃣ Бірінші кезең") == "Бірінші кезең"


def test_body_text_is_escaped_so_markdown_shows_it_as_written():
    assert escape_markdown("1. Кезең: *маңызды* <script>") == "1\\. Кезең: \\*маңызды\\* &lt;script&gt;"
    assert escape_markdown("- Біз дайынбыз") == "\\- Біз дайынбыз"
    assert escape_markdown("# 1 орын") == "\\# 1 орын"


def test_summary_is_the_first_sentences_up_to_two_hundred_characters():
    first = "Облыста «Жаса. Үйрен. Бөліс.» жобасы басталды."
    second = "Оған А.Нүкенов қатысты."
    third = "Үшінші сөйлем " + "өте ұзын " * 30 + "болды."
    blocks = [Block("list", ("Тізім",)), Block("paragraph", (f"{first} {second} {third}",))]
    assert make_summary(blocks) == f"{first} {second}"


def test_a_long_first_sentence_is_cut_at_a_word_with_an_ellipsis():
    sentence = "Семинарға " + "облыстың барлық аудандарынан " * 20 + "келді."
    summary = make_summary([Block("paragraph", (sentence,))])
    assert len(summary) <= 200
    assert summary.endswith("…")
