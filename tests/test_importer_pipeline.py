"""Whole pages, written for the tests, through every step at once."""
from datetime import date, datetime
from pathlib import Path

from newsarchive.importer.pipeline import build_article
from newsarchive.importer.reading import SourceDocument

RUSSIAN_PAGE = """Главная / Новости / Общество
Новости
12.04.2023, 10:15

ФЕСТИВАЛЬ МОЛОДЁЖИ ПРОШЁЛ В КОСТАНАЕ

14–15 апреля в Костанайской области прошёл областной фестиваль молодёжи. В нём участвовали более 300 студентов из Костаная, Рудного и Лисаковска.

14–15 апреля в Костанайской области прошёл областной фестиваль молодёжи. В нём участвовали более 300 студентов из Костаная, Рудного и Лисаковска.

Место проведения: Дворец студентов, Костанай
Организатор: управление молодёжной политики

Фестиваль открыл аким области. Участники представили проекты и обсудили планы на год.

Айгуль СЕРИКОВА
Просмотров: 1 024
Поделиться: Facebook, Telegram, WhatsApp
© 2023 Qostanay News. Все права защищены.
"""

ENGLISH_PAGE = """News
Young engineers meet in Shymkent
Posted on March 3, 2022 at 09:00
More than a hundred young engineers from Shymkent and the Turkistan region met on March 1-2 to discuss water projects for the south of the country.
The meeting was organised by the regional youth centre together with two universities of the city.
Back to top
"""

LATIN_KAZAKH_PAGE = """Jaña mektep aşyldy

Soltüstık Qazaqstan oblysynda 1 qyrküiekte jaña mektep aşyldy. Oğan oblys äkımı men ata-analar qatysty.

Mektep 600 oquşyğa arnalğan jäne zamanaui qūraldarmen jabdyqtalğan.
"""


def _document(text: str, name: str = "page.txt", **fields) -> SourceDocument:
    return SourceDocument(path=Path(name), text=text, encoding="utf-8", **fields)


def test_a_russian_page_with_dateline_labels_repeat_and_footer():
    report = build_article(_document(RUSSIAN_PAGE))
    article = report.article
    assert article.title == "Фестиваль молодёжи прошёл в Костанае"
    assert article.lang == "ru"
    assert article.date == datetime(2023, 4, 12, 10, 15)
    assert not article.is_draft
    assert article.regions == ["KZ-39"]
    assert (article.event_start, article.event_end) == (date(2023, 4, 14), date(2023, 4, 15))
    assert article.category == "event-report"
    assert article.location == "Дворец студентов, Костанай"
    assert article.organizer == "управление молодёжной политики"
    assert article.author == "Айгуль Серикова"
    paragraphs = [block.lines[0] for block in article.body]
    assert paragraphs[0].startswith("14–15 апреля")
    assert sum(paragraph.startswith("14–15 апреля") for paragraph in paragraphs) == 1
    assert paragraphs[-1] == "Фестиваль открыл аким области. Участники представили проекты и обсудили планы на год."
    dropped = [item.line for item in report.dropped]
    for line in ("Главная / Новости / Общество", "Новости", "12.04.2023, 10:15", "Просмотров: 1 024",
                 "Поделиться: Facebook, Telegram, WhatsApp", "© 2023 Qostanay News. Все права защищены.",
                 "ФЕСТИВАЛЬ МОЛОДЁЖИ ПРОШЁЛ В КОСТАНАЕ"):
        assert line in dropped
    assert "event year taken from the publication date: «14–15 апреля» → 2023" in report.needs_review


def test_an_english_page_with_one_line_per_paragraph():
    article = build_article(_document(ENGLISH_PAGE)).article
    assert article.title == "Young engineers meet in Shymkent"
    assert article.lang == "en"
    assert article.date == datetime(2022, 3, 3, 9, 0)
    assert article.regions == ["KZ-79", "KZ-61"]
    assert (article.event_start, article.event_end) == (date(2022, 3, 1), date(2022, 3, 2))
    assert len(article.body) == 2


def test_a_latin_kazakh_page_is_kazakh_and_says_so():
    report = build_article(_document(LATIN_KAZAKH_PAGE), published=datetime(2023, 9, 2, 12, 0))
    assert report.article.lang == "kk"
    assert report.article.regions == ["KZ-59"]
    assert report.article.event_start == date(2023, 9, 1)
    assert "the text is Kazakh in the Latin alphabet" in report.needs_review


def test_a_date_given_on_the_command_line_wins_and_a_different_page_date_is_noted():
    report = build_article(_document(RUSSIAN_PAGE), published=datetime(2023, 4, 13, 9, 0))
    assert report.article.date == datetime(2023, 4, 13, 9, 0)
    assert any("the page says 2023-04-12 10:15" in note for note in report.needs_review)


def test_an_html_page_declared_title_url_and_date_are_used():
    document = _document(
        "Семинар учителей\nВчера в областном центре прошёл семинар для учителей сельских школ Павлодарской области.",
        name="page.html", is_html=True, title="Семинар учителей | Новости", url="https://example.kz/seminar",
        published=datetime(2023, 4, 12, 10, 15),
    )
    article = build_article(document).article
    assert (article.title, article.source, article.date) == (
        "Семинар учителей", "https://example.kz/seminar", datetime(2023, 4, 12, 10, 15))
    assert [block.lines[0][:6] for block in article.body] == ["Вчера "]


def test_a_page_without_headline_takes_its_title_from_the_first_sentence():
    report = build_article(_document(
        "Облыстық кітапханада жас ақындардың шығармашылық кеші өтті. Оған жүзге жуық оқырман қатысты."))
    assert report.article.title == "Облыстық кітапханада жас ақындардың шығармашылық кеші өтті"
    assert any("no headline" in note for note in report.needs_review)
