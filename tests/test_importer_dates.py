"""Publication datelines and event dates in kk, ky, ru and en."""
from datetime import date, datetime

import pytest

from newsarchive.importer.dates import (
    find_event_dates,
    parse_command_line_date,
    parse_dateline,
    resolve_event,
)


@pytest.mark.parametrize("line, expected", [
    ("12.04.2023, 10:15", datetime(2023, 4, 12, 10, 15)),
    ("10:15, 12.04.2023", datetime(2023, 4, 12, 10, 15)),
    ("12.04.23 10:15", datetime(2023, 4, 12, 10, 15)),
    ("2023-04-12", datetime(2023, 4, 12)),
    ("Опубликовано: 12 апреля 2023, 10:15", datetime(2023, 4, 12, 10, 15)),
    ("Жарияланды: 12 сәуір 2023 ж. 10:15", datetime(2023, 4, 12, 10, 15)),
    ("2023 жылғы 12 сәуір", datetime(2023, 4, 12)),
    ("2023-жылдын 12-апрели, 10:15", datetime(2023, 4, 12, 10, 15)),
    ("April 12, 2023 10:15", datetime(2023, 4, 12, 10, 15)),
    ("12.04.2023 | Жаңалықтар | 👁 437", datetime(2023, 4, 12)),
])
def test_datelines_give_the_publication_date(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize("line", [
    "Семинар 2023 жылғы 12 сәуірде облыстық кітапханада өтті және оған жүзге жуық адам қатысты.",
    "15:48",
    "17-18-январь",  # no year: an event date, not a dateline
    "31.02.2023",  # no such day
])
def test_other_lines_are_not_datelines(line):
    assert parse_dateline(line) is None


def _dates(text):
    return [(mention.month, mention.day, mention.last_month, mention.last_day, mention.year)
            for mention in find_event_dates(text)]


@pytest.mark.parametrize("text, expected", [
    # Kyrgyz
    ("17-18-январь күндөрү тренинг өттү", [(1, 17, 1, 18, None)]),
    ("2020-жылдын 5-мартында жыйын болду", [(3, 5, 3, 5, 2020)]),
    ("Иш-чара 21-22-сентябрда өтөт", [(9, 21, 9, 22, None)]),
    # Kazakh
    ("28 қаңтар күні отырыс өтті", [(1, 28, 1, 28, None)]),
    ("2024 жылғы 28 қаңтарда отырыс өтті", [(1, 28, 1, 28, 2024)]),
    ("15-16 қыркүйекте форум өтеді", [(9, 15, 9, 16, None)]),
    ("30 қаңтардан 2 ақпанға дейін көрме ашық", [(1, 30, 2, 2, None)]),
    # Russian
    ("17–18 января прошёл тренинг", [(1, 17, 1, 18, None)]),
    ("с 17 по 19 мая 2021 года", [(5, 17, 5, 19, 2021)]),
    ("выставка продлится с 30 января по 2 февраля", [(1, 30, 2, 2, None)]),
    # English
    ("The training took place on January 17-18.", [(1, 17, 1, 18, None)]),
    ("on 17 January 2020 and again on March 3", [(1, 17, 1, 17, 2020), (3, 3, 3, 3, None)]),
    ("from January 30 to February 2, 2024", [(1, 30, 2, 2, 2024)]),
    # Numbers
    ("Семинар 17.01.2020 өтті", [(1, 17, 1, 17, 2020)]),
])
def test_event_dates_in_every_language(text, expected):
    assert _dates(text) == expected


@pytest.mark.parametrize("text", [
    "Мамыр және маусым айларында жоба жалғасады",  # months without days
    "20-ға жуық маман қатысты, 7 ай бұрын ашылды",
    "2019 жылғы жұмыстың нәтижесі",  # a year alone
])
def test_no_event_dates_where_there_are_none(text):
    assert find_event_dates(text) == []


def test_a_date_without_a_year_takes_the_year_of_publication():
    mention = find_event_dates("17-18-январь күндөрү")[0]
    resolved = resolve_event(mention, date(2020, 1, 20))
    assert (resolved.start, resolved.end, resolved.year_assumed) == (date(2020, 1, 17), date(2020, 1, 18), True)


def test_an_event_months_after_publication_was_in_the_year_before():
    mention = find_event_dates("28 желтоқсанда")[0]
    resolved = resolve_event(mention, date(2021, 1, 10))
    assert resolved.start == date(2020, 12, 28)


def test_a_date_with_its_year_keeps_it():
    mention = find_event_dates("2024 жылғы 28 қаңтарда")[0]
    resolved = resolve_event(mention, date(2025, 3, 1))
    assert (resolved.start, resolved.year_assumed) == (date(2024, 1, 28), False)


def test_a_range_over_new_year_starts_the_year_before():
    mention = find_event_dates("с 30 декабря по 2 января 2020 года")[0]
    resolved = resolve_event(mention, None)
    assert (resolved.start, resolved.end) == (date(2019, 12, 30), date(2020, 1, 2))


def test_without_year_or_publication_date_an_event_cannot_be_placed():
    assert resolve_event(find_event_dates("28 қаңтар күні")[0], None) is None


def test_this_year_in_the_text_means_the_year_of_publication():
    mention = find_event_dates("ағымдағы жылдың 28 қаңтар күні")[0]
    assert mention.says_this_year
    assert resolve_event(mention, None) is None
    assert resolve_event(mention, date(2023, 2, 1)).start == date(2023, 1, 28)


@pytest.mark.parametrize("value, expected", [
    ("2020-01-20", datetime(2020, 1, 20)),
    ("2020-01-20 10:00", datetime(2020, 1, 20, 10, 0)),
    ("20.01.2020", datetime(2020, 1, 20)),
    ("20.01.2020, 10:00", datetime(2020, 1, 20, 10, 0)),
])
def test_command_line_dates(value, expected):
    assert parse_command_line_date(value) == expected


def test_a_wrong_command_line_date_says_what_is_allowed():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_command_line_date("yesterday")
