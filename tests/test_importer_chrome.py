"""Site chrome out, article text in: headers, footers, repeats, bylines."""
import pytest

from newsarchive.importer.chrome import (
    edge_chrome,
    parse_byline,
    remove_chrome,
    remove_repeats,
    site_chrome,
)

LEAD = "Облыстық кітапханада жас ақындардың шығармашылық кеші өтті, оған жүзге жуық оқырман қатысты."
SECOND = "Кеш соңында үздік өлеңдердің авторларына алғыс хаттар мен естелік сыйлықтар табысталды."


@pytest.mark.parametrize("line", [
    "Яндекс.Метрика",
    "Back to top button",
    "Версия для печати",
    "Версия для печати: print",
    "Басқа материалдар",
    "Читайте также:",
    "Share on facebook",
    "Facebook",
    "ВКонтакте",
    "Поделиться: Facebook, Telegram, WhatsApp",
    "Әлеуметтік желілерде бөлісіңіз:",
    "© 2021 «Ақжайық» газеті",
    "Все права защищены. При использовании материалов ссылка обязательна",
    "redaktsiya_gazeta@mail.kz",
    "E-mail: info@example.kg",
    "Телефон: 8 (7172) 55-12-40",
    "Тел.: +996 312 62-05-18",
])
def test_lines_that_are_never_article_text(line):
    assert site_chrome(line)


@pytest.mark.parametrize("line", [
    "128",
    "Просмотров: 2 345",
    "👁 512",
    "09:30",
    "Жаңалықтар",
    "Новости",
    "Кабарлар",
    "Басты бет / Жаңалықтар / Аймақ",
    "«Ертіс өңірі»",
    "«Ақжайық» ЖШС",
    "Қазақстан, Орал қ., Құрманғазы көшесі 10",
    "Адрес: г. Бишкек, ул. Киевская 96",
    "https://example.kz/news/123",
    "Теги: білім, семинар",
    "Опубликовано: 12.04.2023, 10:15",
])
def test_lines_that_are_chrome_above_or_below_the_article(line):
    assert edge_chrome(line)


@pytest.mark.parametrize("line", [
    LEAD,
    "Облыс әкімі Facebook парақшасында бұл туралы жазды.",
    "Іс-шара 12.04.2023 күні сағат 10:00-де Абай көшесі 10 мекенжайында өтеді, барлығын шақырамыз.",
    "«Рухани жаңғыру» бағдарламасы аясында жаңа жобалар іске қосылды.",
])
def test_article_sentences_are_never_taken_for_chrome(line):
    assert site_chrome(line) is None
    assert edge_chrome(line) is None


def test_section_label_and_masthead_above_the_headline_are_dropped():
    cleaned = remove_chrome(["«Ертіс өңірі»", "PDF", "Жаңалықтар", "Ақындар кеші өтті", LEAD, SECOND])
    assert cleaned.header == ["Ақындар кеші өтті"]
    assert cleaned.body == [LEAD, SECOND]
    assert [item.line for item in cleaned.dropped] == ["«Ертіс өңірі»", "PDF", "Жаңалықтар"]


def test_the_foot_of_the_page_goes_up_to_the_last_paragraph():
    footer = [
        "15:48", "437", "«Ақжайық газеті» ЖШС", "Қазақстан, Орал қ., Құрманғазы көшесі 10",
        "Телефон: 8 (7112) 50-12-40", "Яндекс.Метрика", "ТОО «Акжайык» © 2021",
    ]
    cleaned = remove_chrome(["Ақындар кеші өтті", LEAD, SECOND, *footer])
    assert cleaned.body == [LEAD, SECOND]
    assert [item.line for item in cleaned.dropped] == footer
    assert cleaned.lone_time == "15:48"


def test_a_dateline_becomes_the_publication_date():
    cleaned = remove_chrome(["Ақындар кеші өтті", "12.04.2023, 10:15", LEAD])
    assert f"{cleaned.published:%Y-%m-%d %H:%M}" == "2023-04-12 10:15"
    assert cleaned.body == [LEAD]


def test_a_block_of_links_to_other_articles_is_dropped_but_the_next_paragraph_kept():
    cleaned = remove_chrome([
        "Ақындар кеші өтті", LEAD,
        "Читайте также:", "В Уральске открылась новая школа", "Фестиваль молодёжи прошёл в Атырау",
        SECOND,
    ])
    assert cleaned.body == [LEAD, SECOND]


def test_share_buttons_in_the_middle_of_the_text_are_dropped():
    cleaned = remove_chrome(["Ақындар кеші өтті", LEAD, "Share on telegram", SECOND])
    assert cleaned.body == [LEAD, SECOND]


def test_a_byline_at_the_end_becomes_the_author_and_its_paper_is_dropped():
    cleaned = remove_chrome(["Ақындар кеші өтті", LEAD, SECOND, "Айгерім САПАРОВА,", "«Ертіс өңірі».", "Facebook"])
    assert cleaned.author == "Айгерім Сапарова"
    assert cleaned.body == [LEAD, SECOND]


@pytest.mark.parametrize("line, author", [
    ("Рабиға ЕРАЛЫ,", "Рабиға Ералы"),
    ("Автор: Нурлан Абенов", "Нурлан Абенов"),
    ("By John Smith", "John Smith"),
    ("А.ЕРАЛЫ", "А.Ералы"),
    ("Даярдаган Айпери Токтогулова", "Айпери Токтогулова"),
])
def test_bylines(line, author):
    assert parse_byline(line) == author


@pytest.mark.parametrize("line", ["Басқа материалдар", "ЖАҢАЛЫҚТАР ЛЕНТАСЫ", "Кеш аяқталды."])
def test_not_bylines(line):
    assert parse_byline(line) is None


def test_a_lead_printed_twice_is_kept_once():
    kept, dropped = remove_repeats([LEAD, LEAD, SECOND], "Ақындар кеші өтті")
    assert kept == [LEAD, SECOND]
    assert [item.line for item in dropped] == [LEAD]


def test_the_headline_repeated_in_the_text_is_dropped():
    kept, _ = remove_repeats(["АҚЫНДАР КЕШІ ӨТТІ", LEAD], "Ақындар кеші өтті")
    assert kept == [LEAD]


def test_short_repeated_lines_are_kept():
    kept, _ = remove_repeats([LEAD, "* * *", SECOND, "* * *", "Соңы."], "Тақырып")
    assert kept.count("* * *") == 2


@pytest.mark.parametrize("line", [
    "«Бәрі де жақсы болады!»",  # a quotation closing the article
    "2 000 000",
    "Суд рассмотрел вопрос о copyright на фотографии.",
])
def test_quotations_numbers_and_mentions_of_copyright_are_text(line):
    assert site_chrome(line) is None
    if line.startswith("«"):
        assert edge_chrome(line) is None


def test_a_closing_quotation_is_not_dropped_with_the_footer():
    quote = "«Бәрі де жақсы болады!»"
    cleaned = remove_chrome(["Ақындар кеші өтті", LEAD, quote, "Яндекс.Метрика"])
    assert cleaned.body == [LEAD, quote]


def test_a_headline_with_a_slash_is_not_a_breadcrumb():
    cleaned = remove_chrome(["Жаңалықтар", "Алматы / Бишкек рейсі ашылды", LEAD])
    assert cleaned.header == ["Алматы / Бишкек рейсі ашылды"]
