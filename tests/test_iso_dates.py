"""Plain ISO dates read without dateutil (iso_dates.py): exactly the value, or the error, Pelican's gives.

Every value is given to the date and modified processors with and without
the fast path, and the outcomes compared: the type and value of the
datetime, its time zone and repr, or the type and message of the error.
"""
from __future__ import annotations

import random

import pytest
from pelican import readers
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import SafeDatetime

from newsarchive import iso_dates

VALUES = [
    # plain: read here
    "2020-05-20", "2020-05-20 10:00", "2020-05-20T10:00", "2020-05-20 10:00:05", "2020-05-20T23:59:59",
    "2020-05-20 00:00", "2024-02-29", "1900-01-01", "0099-05-20", "9999-12-31 23:59:59",
    # time zones: dateutil's own tzinfo objects
    "2020-05-20 10:00Z", "2020-05-20T10:00+06:00", "2020-05-20 10:00:00+0600", "2020-05-20 10:00 +06:00",
    "2020-05-20 10:00 UTC",
    # fractions, partial times, other spellings
    "2020-05-20 10:00:05.250", "2020-05-20 10", "2020-05-20T1000", "20200520", "2020-5-20", "2020/05/20",
    "20.05.2020", "05.06.2020", "May 20, 2020",
    # odd spacing, the underscore Pelican's date processor reads as a space
    "2020-05-20  10:00", " 2020-05-20", "2020-05-20 ", "2020-05-20\t10:00", "2020-05-20_10:00",
    # impossible, or not dates at all
    "2020-02-30", "2019-02-29", "2020-13-01", "2020-00-10", "2020-05-20 24:00", "2020-05-20 23:60",
    "2020-05-20 10:00:60", "0000-01-01", "٢٠٢٠-٠٥-٢٠", "", "not a date",
]


@pytest.fixture
def processors():
    iso_dates.install()
    return {key: readers.METADATA_PROCESSORS[key] for key in ("date", "modified")}


def outcome(processor, value):
    try:
        result = processor(value, DEFAULT_CONFIG)
    except Exception as error:  # noqa: BLE001 - the error is part of the outcome compared
        return "raises", type(error), str(error)
    return "gives", type(result), result, result.tzinfo, repr(result)


@pytest.mark.parametrize("key", ["date", "modified"])
@pytest.mark.parametrize("value", VALUES)
def test_a_value_gives_what_pelican_gives(processors, key, value):
    processor = processors[key]
    assert outcome(processor, value) == outcome(processor.pelicans, value)


@pytest.mark.parametrize("shape", ["dddd-dd-dd", "dddd-dd-dd dd:dd", "dddd-dd-ddTdd:dd:dd"])
def test_any_digits_in_the_plain_shapes_give_what_pelican_gives(processors, shape):
    """Possible or not (month 13, hour 24, 31 April): random digits in each shape."""
    rng = random.Random(shape)
    processor = processors["date"]
    for _ in range(300):
        value = "".join(str(rng.randrange(10)) if char == "d" else char for char in shape)
        value = value[:5] + str(rng.randrange(2)) + value[6:]  # months 00-19: possible ones often
        assert outcome(processor, value) == outcome(processor.pelicans, value), value


def test_plain_values_are_not_given_to_dateutil(processors, monkeypatch):
    def no_dateutil(string):
        raise AssertionError(f"{string!r} was given to dateutil")

    monkeypatch.setattr(readers, "get_date", no_dateutil)
    assert processors["date"]("2020-05-20 10:00", DEFAULT_CONFIG) == SafeDatetime(2020, 5, 20, 10, 0)
    assert processors["modified"]("2020-05-20", DEFAULT_CONFIG) == SafeDatetime(2020, 5, 20)
    with pytest.raises(AssertionError, match="dateutil"):
        processors["date"]("2020-05-20 10:00+06:00", DEFAULT_CONFIG)


def test_installing_again_keeps_one_fast_path(processors):
    iso_dates.install()
    for key, processor in processors.items():
        assert readers.METADATA_PROCESSORS[key] is processor
        assert not hasattr(processor.pelicans, "pelicans")


def test_a_file_is_read_as_pelican_reads_it_and_an_impossible_date_fails_the_same(tmp_path, processors,
                                                                                 monkeypatch):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "CACHE_CONTENT": False,
                "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*", "TIMEZONE": "Asia/Almaty"}
    good = tmp_path / "2024-01-05-report.md"
    good.write_text("Title: Есеп\nDate: 2024-01-06 10:00\nModified: 2024-01-07 12:30:15+06:00\n\nМәтін.\n",
                    encoding="utf-8")
    bad = tmp_path / "2024-01-05-bad.md"
    bad.write_text("Title: Есеп\nDate: 2024-02-30 10:00\n\nМәтін.\n", encoding="utf-8")

    def read(path):
        try:
            article = readers.Readers(settings).read_file(str(tmp_path), path.name, content_class=Article)
        except Exception as error:  # noqa: BLE001 - compared below
            return "raises", type(error), str(error)
        return article.date, article.modified, article.metadata["date"], repr(article.modified.tzinfo)

    fast = read(good), read(bad)
    for key, processor in processors.items():
        monkeypatch.setitem(readers.METADATA_PROCESSORS, key, processor.pelicans)
    assert fast == (read(good), read(bad))
    assert fast[0][2] == SafeDatetime(2024, 1, 6, 10, 0)
    assert fast[1] == ("raises", ValueError, "'2024-02-30 10:00' is not a valid date")
