"""`invoke new`: a correctly named article with its header, never overwriting."""
import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from newsarchive.scaffold import ScaffoldError, new_article, read_header
from sitebuild import PROJECT, build_site

NOW = dt.datetime(2025, 3, 14, 9, 30, tzinfo=ZoneInfo("Asia/Almaty"))


def test_new_article_is_named_by_date_slug_and_language(tmp_path):
    path = new_article(tmp_path, "kk", "Тәжірибе алмасты", category="event-report",
                       regions="KZ-55, kz-35", now=NOW)
    assert path == tmp_path / "articles" / "2025" / "2025-03-14-tazhiribe-almasty.kk.md"
    header = read_header(path)
    assert header == {
        "Title": "Тәжірибе алмасты", "Date": "2025-03-14 09:30", "Lang": "kk", "Slug": "tazhiribe-almasty",
        "Translation_key": "tazhiribe-almasty", "Category": "event-report", "Tags": "",
        "Regions": "KZ-55, KZ-35",
    }


def test_new_article_builds_into_the_site(tmp_path):
    new_article(tmp_path / "content", "ky", "Жаңы макала", regions="KG-GB", now=NOW)
    out = build_site(tmp_path / "content", tmp_path / "out")
    assert (out / "ky" / "2025" / "03" / "zhany-makala" / "index.html").exists()


def test_translation_copies_the_key_category_regions_and_event_dates(tmp_path):
    original = PROJECT / "content" / "articles" / "2020" / "2020-01-20-trenerler-uchun-trening.ky.md"
    path = new_article(tmp_path, "kk", "Тренерлерге арналған тренинг", translation_of=original, now=NOW)
    header = read_header(path)
    assert header["Translation_key"] == "trainers-training-jalal-abad-issyk-kul"
    assert header["Category"] == "event-report"
    assert header["Regions"] == "KG-J, KG-Y"
    assert (header["Event_start"], header["Event_end"]) == ("2020-01-17", "2020-01-18")


def test_new_article_never_overwrites_an_existing_file(tmp_path):
    path = new_article(tmp_path, "ru", "Заседание совета", now=NOW)
    path.write_text(path.read_text(encoding="utf-8") + "Текст редактора.\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ScaffoldError, match="already exists"):
        new_article(tmp_path, "ru", "Заседание совета", now=NOW)
    assert path.read_bytes() == before


@pytest.mark.parametrize("kwargs, message", [
    ({"lang": "de"}, "unknown language 'de'"),
    ({"category": "gossip"}, "unknown category 'gossip'"),
    ({"regions": "KZ-99"}, "unknown region code KZ-99"),
])
def test_new_article_rejects_unknown_values(tmp_path, kwargs, message):
    arguments = {"lang": "kk", "title": "Жиын", **kwargs}
    with pytest.raises(ScaffoldError, match=message):
        new_article(tmp_path, now=NOW, **arguments)
    assert not (tmp_path / "articles").exists()


def test_invoke_new_prints_the_path_and_refuses_a_second_time(tmp_path):
    command = [sys.executable, "-m", "invoke", "new", "--lang", "en", "--title", "Council meets",
               "--content", str(tmp_path)]
    first = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    written = first.stdout.strip().splitlines()[-1]
    assert written.endswith("-council-meets.en.md") and (tmp_path / "articles").exists()
    second = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    assert second.returncode != 0 and "already exists" in second.stderr
