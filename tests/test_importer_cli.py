"""`invoke import` as editors use it: files and folders in, articles and reports out."""
import io
import json
from datetime import date

import pytest

from newsarchive.importer import cli
from newsarchive.importer.article import read_header

PAGE = """Кабарлар

Жаш акындардын кечеси өттү

15-16-март күндөрү Нарын облусундагы шаардык китепканада жаш акындардын чыгармачылык кечеси өттү.

Кечеге облустун бардык райондорунан жүзгө жакын окурман катышып, жаш акындардын ырларын угушту.

Share on facebook
Facebook
"""


@pytest.fixture(autouse=True)
def fixed_import_day(monkeypatch):
    monkeypatch.setattr(cli, "today", lambda: date(2024, 5, 1))


def _run(paths, dest, **options):
    out, err = io.StringIO(), io.StringIO()
    status = cli.import_files([str(path) for path in paths], dest=str(dest), out=out, err=err, **options)
    return status, out.getvalue(), err.getvalue()


def _json_lines(out):
    return [json.loads(line) for line in out.splitlines()]


def test_a_dated_import_writes_one_article_into_its_year_folder(tmp_path):
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    status, out, _ = _run([source], tmp_path / "articles", date="2019-03-18 09:30", as_json=True)
    assert status == 0
    [record] = _json_lines(out)
    assert set(record) >= {"source", "path", "title", "lang", "regions", "date", "event_start", "event_end",
                           "dropped", "needs_review", "encoding"}
    assert record["path"].endswith("2019/2019-03-18-zhash-akyndardyn-kechesi-ottu.ky.md")
    assert record["title"] == "Жаш акындардын кечеси өттү"
    assert record["lang"] == "ky"
    assert record["regions"] == ["KG-N"]
    assert (record["date"], record["event_start"], record["event_end"]) == ("2019-03-18 09:30", "2019-03-15", "2019-03-16")
    assert record["dropped"] == ["Кабарлар", "Share on facebook", "Facebook"]
    assert any("event year taken from the publication date" in note for note in record["needs_review"])
    header = read_header((tmp_path / "articles" / "2019" / "2019-03-18-zhash-akyndardyn-kechesi-ottu.ky.md").read_text())
    assert header["category"] == "event-report"
    assert header["source"] == "kech.txt"
    assert "status" not in header


def test_an_undated_import_is_a_draft_and_says_so(tmp_path):
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    status, out, _ = _run([source], tmp_path / "articles", as_json=True)
    [record] = _json_lines(out)
    assert status == 0
    assert record["path"].endswith("drafts/zhash-akyndardyn-kechesi-ottu.ky.md")
    assert record["date"] is None and record["event_start"] is None
    assert any("no publication date" in note for note in record["needs_review"])
    assert any("15-16-март" in note for note in record["needs_review"])
    header = read_header(open(record["path"], encoding="utf-8").read())
    assert header["status"] == "draft"
    assert header["date"] == "2024-05-01 00:00"


def test_importing_the_same_source_again_writes_nothing_and_reports_it(tmp_path):
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    dest = tmp_path / "articles"
    _run([source], dest)
    written = sorted(dest.rglob("*.md"))
    before = written[0].read_text()
    # Even with a date now, the draft already imported counts.
    status, _, err = _run([source], dest, date="2019-03-18")
    assert status == 0
    assert f"already imported: {written[0]}" in err
    assert sorted(dest.rglob("*.md")) == written
    assert written[0].read_text() == before


def test_an_existing_file_of_another_article_is_never_overwritten(tmp_path):
    dest = tmp_path / "articles"
    target = dest / "drafts" / "zhash-akyndardyn-kechesi-ottu.ky.md"
    target.parent.mkdir(parents=True)
    target.write_text("Title: Башка макала\nLang: ky\nSource: other.txt\n\nТекст.\n", encoding="utf-8")
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    status, _, err = _run([source], dest)
    assert status == 1
    assert "not overwritten" in err and str(target) in err
    assert target.read_text(encoding="utf-8").startswith("Title: Башка макала")


def test_a_bad_input_is_reported_by_name_and_the_others_still_import(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(PAGE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    menu = tmp_path / "menu.html"
    menu.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    status, out, err = _run([empty, tmp_path / "missing.txt", menu, good], tmp_path / "articles", as_json=True)
    assert status == 1
    records = _json_lines(out)
    assert [record["status"] for record in records] == ["error", "error", "error", "imported"]
    for name in ("empty.txt", "missing.txt", "menu.html"):
        assert name in err
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 1


def test_a_folder_is_searched_for_text_and_html_files(tmp_path):
    folder = tmp_path / "scraped"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(PAGE.replace("Нарын", "Талас"), encoding="utf-8")
    (folder / "notes.md").write_text("not an input", encoding="utf-8")
    status, out, _ = _run([folder], tmp_path / "articles", as_json=True)
    records = _json_lines(out)
    assert [record["source"] for record in records] == [str(folder / "a.txt"), str(folder / "sub" / "b.txt")]
    assert [record["regions"] for record in records] == [["KG-N"], ["KG-T"]]


def test_a_legacy_encoding_is_reported_and_control_characters_do_not_reach_the_file(tmp_path):
    source = tmp_path / "old.txt"
    text = "Семинар учителей\n\nВ Павлодарской области прошёл семинар\x07 для учителей сельских школ. Его провёл методический центр.\n"
    source.write_bytes(text.encode("cp1251"))
    status, out, _ = _run([source], tmp_path / "articles", as_json=True)
    [record] = _json_lines(out)
    assert (record["encoding"], record["lang"], record["regions"]) == ("windows-1251", "ru", ["KZ-55"])
    assert record["control_characters_removed"] == 1
    assert "\x07" not in open(record["path"], encoding="utf-8").read()


def test_the_language_can_be_forced_and_a_disagreement_is_noted(tmp_path):
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    _, out, _ = _run([source], tmp_path / "articles", lang="kk", as_json=True)
    [record] = _json_lines(out)
    assert record["lang"] == "kk"
    assert record["path"].endswith(".kk.md")
    assert any("reads as ky" in note for note in record["needs_review"])


@pytest.mark.parametrize("options, message", [
    ({"lang": "uz"}, "allowed: auto, kk, ky, ru, en"),
    ({"date": "kecha"}, "YYYY-MM-DD"),
])
def test_wrong_options_import_nothing(tmp_path, options, message):
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    status, _, err = _run([source], tmp_path / "articles", **options)
    assert status == 2
    assert message in err
    assert not (tmp_path / "articles").exists()


def test_the_human_report_names_the_file_written_and_what_to_check(tmp_path):
    source = tmp_path / "kech.txt"
    source.write_text(PAGE, encoding="utf-8")
    status, out, _ = _run([source], tmp_path / "articles")
    assert status == 0
    assert f"{source} -> " in out and "drafts" in out
    assert "  check: no publication date found" in out


def test_help_texts_cover_every_option():
    assert set(cli.HELP) == {"paths", "dest", "lang", "date", "json"}
    assert "already imported" in cli.HELP["dest"] and "exit 0" in cli.HELP["dest"]
