"""Text to paragraphs: one paragraph per line, or hard-wrapped prose joined back."""
from newsarchive.importer.layout import normalise_spaces, split_paragraphs


def test_each_line_is_a_paragraph_with_or_without_blank_lines_between():
    text = "Тақырып\n\nБірінші абзац.\nЕкінші абзац.\n\n\nҮшінші абзац."
    assert split_paragraphs(text) == ["Тақырып", "Бірінші абзац.", "Екінші абзац.", "Үшінші абзац."]


def test_prose_wrapped_at_a_fixed_width_is_joined_into_one_paragraph():
    text = (
        "Облыстық білім басқармасы жыл сайынғы дәстүр бойынша мұғалімдерге\n"
        "арналған семинар өткізді. Оған облыстың барлық аудандарынан келген\n"
        "жүзден астам педагог қатысып, тәжірибе алмасты.\n"
        "\n"
        "Келесі абзац."
    )
    assert split_paragraphs(text) == [
        "Облыстық білім басқармасы жыл сайынғы дәстүр бойынша мұғалімдерге "
        "арналған семинар өткізді. Оған облыстың барлық аудандарынан келген "
        "жүзден астам педагог қатысып, тәжірибе алмасты.",
        "Келесі абзац.",
    ]


def test_a_word_broken_at_the_line_end_is_mended():
    text = (
        "Семинар барысында қатысушылар жаңа оқыту әдістемелерін және бағдар-\n"
        "ламаның негізгі бағыттарын талқылады, сондай-ақ тәжірибе алмасты."
    )
    assert "бағдарламаның" in split_paragraphs(text)[0]


def test_headline_and_short_lines_are_not_joined():
    text = "Жаңалық\nТәжірибе алмасты\nSoltüstık Казахстан"
    assert split_paragraphs(text) == ["Жаңалық", "Тәжірибе алмасты", "Soltüstık Казахстан"]


def test_no_break_and_repeated_spaces_become_one_space():
    assert normalise_spaces("семинар\u00a0 ұйымдастырылды  \t екен ") == "семинар ұйымдастырылды екен"
