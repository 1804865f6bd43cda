"""The five scraped seeds imported and built into a site: the table of issue 3.

| file | lang | title begins | regions include |
"""
import io
import json
from pathlib import Path

import pytest

from newsarchive.importer.article import read_header
from newsarchive.importer.cli import import_files
from newsarchive.regions import REGIONS
from sitebuild import build_site
from sitepages import page

SEEDS = Path(__file__).parent / "fixtures" / "seeds"

EXPECTED = {
    "000_27990b7df5fef603.txt": ("kk", "«Жаса. Үйрен. Бөліс. Өзгер. MEETUP» жобасы", ["KZ-55"]),
    "001_87bea1415a213244.txt": ("kk", "«РУХАНИ ЖАҢҒЫРУДЫ» ЖҮЗЕГЕ АСЫРУ", ["KZ-35"]),
    "002_deb66963d8e4cc14.txt": ("ky", "Тренерлер үчүн тренинг", ["KG-J", "KG-Y"]),
    "003_031b6350f0d1d025.txt": ("kk", "«Облыстық балалар мен жасөспірімдер қозғалысын", ["KZ-10"]),
    "004_7b668f7e67fe4a14.txt": ("kk", "Тәжірибе алмасты", ["KZ-59"]),
}
PUBLISHED = "2020-01-20 10:00"


def _import(dest: Path, **options) -> dict[str, dict]:
    out, err = io.StringIO(), io.StringIO()
    seeds = [str(SEEDS / name) for name in EXPECTED]
    status = import_files(seeds, dest=str(dest), as_json=True, out=out, err=err, **options)
    assert status == 0, err.getvalue()
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return {Path(record["source"]).name: record for record in records}


def _begins(title: str, beginning: str) -> bool:
    # «any readable case» for the headline printed in capitals
    return title.casefold().startswith(beginning.casefold())


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds-dated")
    records = _import(root / "content" / "articles", date=PUBLISHED)
    output = build_site(root / "content", root / "output")
    return records, output


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds-drafts")
    records = _import(root / "content" / "articles")
    output = build_site(root / "content", root / "output")
    return records, output


@pytest.mark.parametrize("name", EXPECTED)
def test_each_seed_becomes_an_article_page_with_its_language_title_and_regions(dated_site, name):
    records, output = dated_site
    lang, title, regions = EXPECTED[name]
    record = records[name]
    header = read_header(Path(record["path"]).read_text(encoding="utf-8"))
    assert header["lang"] == record["lang"] == lang
    assert _begins(header["title"], title)
    assert set(regions) <= set(header["regions"].split(", "))

    url = f"{lang}/2020/01/{header['slug']}/"
    html = page(output, url)
    assert html.get("lang") == lang
    assert _begins(html.cssselect("h1")[0].text_content().strip(), title)
    shown_regions = html.cssselect(".regions")[0].text_content()
    for code in regions:
        assert REGIONS[code].name(lang) in shown_regions


def test_regions_come_most_mentioned_first(dated_site):
    records, _ = dated_site
    assert records["002_deb66963d8e4cc14.txt"]["regions"] == ["KG-J", "KG-Y"]


def test_the_capitalised_headline_is_readable_and_its_original_kept(dated_site):
    record = dated_site[0]["001_87bea1415a213244.txt"]
    assert record["title"] == "«Рухани жаңғыруды» жүзеге асыру жайы онлайн кеңесте талқыланды"
    assert "«РУХАНИ ЖАҢҒЫРУДЫ» ЖҮЗЕГЕ АСЫРУ ЖАЙЫ ОНЛАЙН КЕҢЕСТЕ ТАЛҚЫЛАНДЫ" in record["dropped"]


def test_the_kyrgyz_training_is_an_event_report_of_two_days_in_the_publication_year(dated_site):
    record = dated_site[0]["002_deb66963d8e4cc14.txt"]
    assert (record["event_start"], record["event_end"]) == ("2020-01-17", "2020-01-18")
    assert any("event year taken from the publication date" in note for note in record["needs_review"])
    text = Path(record["path"]).read_text(encoding="utf-8")
    assert "Category: event-report\n" in text
    # The lead printed twice is kept once.
    body = text.split("\n\n", 1)[1]
    assert body.count("17-18-январь күндөрү ӨСИ эксперттери") == 1


def test_site_chrome_of_the_seeds_is_gone_and_their_text_stays(dated_site):
    records, _ = dated_site
    texts = {name: Path(record["path"]).read_text(encoding="utf-8") for name, record in records.items()}
    for chrome in ("Яндекс.Метрика", "Back to top button", "Басқа материалдар", "Версия для печати",
                   "Share on facebook", "Kyzylzhar_akparat@mail.ru", "Телефон:", "©", "\n437\n", "\nPDF\n"):
        assert not any(chrome in text for text in texts.values()), chrome
    assert "сертификат табысталды." in texts["000_27990b7df5fef603.txt"]
    assert "Ал эми бул өтө маанилүү." in texts["002_deb66963d8e4cc14.txt"]
    assert "өз іс-тәжірибесімен бөлісті." in texts["004_7b668f7e67fe4a14.txt"]
    assert "Author: Рабиға Ералы\n" in texts["004_7b668f7e67fe4a14.txt"]
    assert "\n- Бұл қозғалыстың негізгі мақсаты" in texts["003_031b6350f0d1d025.txt"]


def test_undated_seeds_are_drafts_that_still_build(draft_site):
    records, output = draft_site
    for name, (lang, title, regions) in EXPECTED.items():
        record = records[name]
        assert record["date"] is None
        assert "/drafts/" in record["path"]
        assert any("no publication date" in note for note in record["needs_review"])
        header = read_header(Path(record["path"]).read_text(encoding="utf-8"))
        assert header["status"] == "draft"
        html = page(output, f"drafts/{lang}/{header['slug']}/")
        assert html.get("lang") == lang
        assert _begins(html.cssselect("h1")[0].text_content().strip(), title)


def test_a_second_import_of_the_seeds_reports_them_as_already_imported(draft_site, tmp_path):
    records, _ = draft_site
    dest = Path(records["000_27990b7df5fef603.txt"]["path"]).parent.parent
    again = _import(dest)
    assert {record["status"] for record in again.values()} == {"already imported"}
    assert {record["path"] for record in again.values()} == {record["path"] for record in records.values()}
