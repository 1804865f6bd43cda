"""What a build writes for search: Pagefind's index per language, the search pages, the marked-up articles."""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from contentfactory import write_article
from newsarchive import search
from newsarchive.benchmark import make_corpus
from newsarchive.languages import LANGUAGES
from newsarchive.runner import build
from newsarchive.search import SearchIndexError, index_site
from sitebuild import PROJECT, build_site, site_settings
from sitepages import page, site_url

KK_MEETUP = "kk/2019/05/zhasa-uiren-bolis-ozger-meetup-zhobasy-iske-qosyldy/"
KK_EXCHANGE = "kk/2023/07/tazhiribe-almasty/"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_site(PROJECT / "content", tmp_path_factory.mktemp("search-site") / "output")


def sample_articles_by_lang() -> Counter:
    return Counter(path.name.rsplit(".", 2)[-2] for path in (PROJECT / "content" / "articles").rglob("*.md"))


def test_pagefind_indexes_each_language_separately_and_only_its_articles(sample):
    entry = json.loads((sample / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages_per_language = {code: info["page_count"] for code, info in entry["languages"].items()}
    # Listing, search and chooser pages carry no data-pagefind-body, so only articles count.
    assert pages_per_language == dict(sample_articles_by_lang())


def test_russian_and_english_get_pagefind_stemming_and_kazakh_kyrgyz_do_not(sample):
    entry = json.loads((sample / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    stemmers = {code: info["wasm"] for code, info in entry["languages"].items()}
    # Pagefind has no Kazakh or Kyrgyz stemmer: hence the normaliser on the search page.
    assert stemmers == {"kk": None, "ky": None, "ru": "ru", "en": "en"}


def test_article_page_indexes_title_and_text_with_filters_and_date(sample):
    doc = page(sample, KK_EXCHANGE)
    bodies = doc.cssselect("[data-pagefind-body]")
    assert [element.get("class") for element in bodies] == ["article-title", "article-body"]
    assert doc.cssselect("h1[data-pagefind-meta=title]")[0].text_content() == "Тәжірибе алмасты"
    regions = [a.text_content() for a in doc.cssselect('[data-pagefind-filter="region"]')]
    assert regions == ["Солтүстік Қазақстан облысы", "Абай облысы", "Қостанай облысы"]
    assert [a.text_content() for a in doc.cssselect('[data-pagefind-filter="category"]')] == ["Шара есептері"]
    assert "семинар" in [a.text_content() for a in doc.cssselect('[data-pagefind-filter="tag"]')]
    time = doc.cssselect("time[data-pagefind-sort]")[0]
    assert time.get("data-pagefind-sort") == "date[datetime]"
    assert time.get("datetime").startswith("2023-07-05")
    assert time.get("data-pagefind-filter") == "year:2023"


def test_search_page_offers_the_regions_categories_and_years_of_its_language(sample):
    doc = page(sample, "kk/search/")
    assert doc.get("lang") == "kk"
    options = {name: [option.get("value") for option in doc.cssselect(f"select[name={name}] option")]
               for name in ("region", "category", "year")}
    assert options["region"] == ["", "Абай облысы", "Павлодар облысы", "Солтүстік Қазақстан облысы",
                                 "Қарағанды облысы", "Қостанай облысы"]
    assert options["category"] == ["", "Жаңалықтар", "Шара есептері"]
    assert options["year"] == ["", "2024", "2023", "2020", "2019"]
    # The filter values are the very strings the article pages give Pagefind.
    meetup_regions = [a.text_content() for a in page(sample, KK_MEETUP).cssselect('[data-pagefind-filter="region"]')]
    assert set(meetup_regions) <= set(options["region"])


def test_search_page_says_in_its_language_that_search_needs_javascript(sample):
    noscript = page(sample, "ky/search/").cssselect("noscript")[0].text_content()
    assert "JavaScript" in noscript and "Издөө үчүн" in noscript


@pytest.mark.parametrize("url", ["kk/", KK_MEETUP, "ru/tags/", "ky/archive/2020/", "en/regions/"])
def test_every_page_header_has_a_search_box_for_its_language(sample, url):
    doc = page(sample, url)
    lang = doc.get("lang")
    form = doc.cssselect("header form[role=search]")[0]
    assert site_url(url, form.get("action")) == f"{lang}/search/"
    field = form.cssselect("input[name=q]")[0]
    assert form.cssselect(f'label[for="{field.get("id")}"]')[0].text_content().strip()


def test_search_pages_exist_for_every_language_and_load_pagefind_from_the_site_root(sample):
    for lang in ("kk", "ky", "ru", "en"):
        doc = page(sample, f"{lang}/search/")
        form = doc.cssselect("#search-form")[0]
        assert site_url(f"{lang}/search/", form.get("data-site-root")) == ""
    assert (sample / "pagefind" / "pagefind.js").is_file()


def test_published_site_points_the_search_script_at_its_sub_path(tmp_path):
    output = build_site(PROJECT / "content", tmp_path / "output", conf="publishconf.py",
                        SITEURL="https://example.org/archive", SEARCH_INDEX=False)
    doc = page(output, "kk/search/")
    assert doc.cssselect("#search-form")[0].get("data-site-root") == "https://example.org/archive/"
    assert doc.cssselect("script[type=module]")[0].get("src") == "https://example.org/archive/theme/search/search.js"


def test_drafts_are_not_indexed(tmp_path):
    content = tmp_path / "content"
    write_article(content, "Жарияланған есеп", body="Облыстық семинар өтті.")
    write_article(content, "Дайындалып жатқан есеп", body="Құпия жоспар.", status="draft")
    output = build_site(content, tmp_path / "output")
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["kk"]["page_count"] == 1
    draft = next((output / "drafts").rglob("index.html"))
    assert b"data-pagefind-body" not in draft.read_bytes()


def test_search_index_can_be_switched_off_for_fast_builds(tmp_path):
    content = tmp_path / "content"
    write_article(content, "Семинар өтті", body="Облыстық семинар өтті.")
    output = build_site(content, tmp_path / "output", SEARCH_INDEX=False)
    assert not (output / "pagefind").exists()
    assert (output / "kk" / "search" / "index.html").is_file()


def test_a_pagefind_failure_stops_the_build_with_a_message_naming_the_folder(tmp_path):
    empty = tmp_path / "nothing-built"
    empty.mkdir()
    with pytest.raises(SearchIndexError, match="(?s)nothing-built.*SEARCH_INDEX = False"):
        index_site(SimpleNamespace(settings={"SEARCH_INDEX": True}, output_path=str(empty)))


def test_pagefind_reads_only_the_files_article_pages_can_be(tmp_path):
    settings = {"ARTICLE_SAVE_AS": "{lang}/{date:%Y}/{date:%m}/{slug}/index.html",
                "ARTICLE_LANG_SAVE_AS": "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"}
    without_language = {"ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html"}

    def globs(settings):
        return [run.glob for run in search.pagefind_runs(settings, str(tmp_path))]

    # No article page written yet (a site of drafts): Pagefind's own default, not an empty set.
    assert globs(settings) == globs(without_language) == [search.PAGEFIND_DEFAULT_GLOB]
    for folder in tmp_path / "kk" / "2024" / "01" / "report", tmp_path / "2024" / "01" / "report":
        article = folder / "index.html"
        article.parent.mkdir(parents=True)
        article.write_text("<html></html>", encoding="utf-8")
    assert globs(settings) == ["kk/*/*/*/index.html"]
    assert globs(without_language) == ["*/*/*/index.html"]
    # Two settings, two patterns, every field a wildcard.
    assert search.article_globs({"ARTICLE_SAVE_AS": "{slug}.html", "ARTICLE_LANG_SAVE_AS": "{slug}-{lang}.html"}) \
        == ["*-*.html", "*.html"]


def index_copy(site: Path, folder: Path) -> Path:
    """Index a copy of a built site (without its index) with the project's settings; the copy."""
    copy = Path(shutil.copytree(site, folder, ignore=shutil.ignore_patterns(search.BUNDLE_DIR)))
    index_site(SimpleNamespace(settings=site_settings(PROJECT / "content", copy), output_path=str(copy)))
    return copy


def recording_pagefind(monkeypatch, after_run=None) -> list[list[str]]:
    """Every Pagefind command the search index runs; `after_run(number, bundle)` may alter a run's bundle."""
    commands, real_run = [], subprocess.run

    def run(command, *args, **kwargs):
        result = real_run(command, *args, **kwargs)
        if command[1:3] == ["-m", "pagefind"]:
            commands.append(command)
            if after_run is not None:
                site = Path(command[command.index("--site") + 1])
                after_run(len(commands), site / command[command.index("--output-subdir") + 1])
        return result

    monkeypatch.setattr(subprocess, "run", run)
    return commands


def indexed_pages(site: Path) -> dict[str, str]:
    """What Pagefind should index, read from the pages themselves: the address and <html lang>
    of every page with data-pagefind-body."""
    pages = {}
    for path in site.rglob("*.html"):
        html = path.read_bytes()
        if b"data-pagefind-body" in html:
            url = "/" + path.relative_to(site).as_posix().removesuffix("index.html")
            pages[url] = re.search(rb'<html lang="([^"]+)"', html).group(1).decode()
    return pages


def test_each_language_is_indexed_by_a_pagefind_run_of_its_own_over_only_its_folder(sample, tmp_path, monkeypatch):
    commands = recording_pagefind(monkeypatch)
    site = index_copy(sample, tmp_path / "site")
    globs = [command[command.index("--glob") + 1] for command in commands]
    assert globs == [f"{code}/*/*/*/index.html" for code in LANGUAGES]
    # The runs wrote into a folder of their own inside the output, gone once merged.
    assert not list(site.glob(search.RUNS_FOLDER_PREFIX + "*"))


def test_merged_bundle_holds_every_languages_index_with_its_article_pages(sample):
    bundle = sample / "pagefind"
    languages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    assert {code: index["page_count"] for code, index in languages.items()} == dict(Counter(indexed_pages(sample).values()))
    for code, index in languages.items():
        assert index["hash"].startswith(f"{code}_")
        assert (bundle / f"pagefind.{index['hash']}.pf_meta").is_file()
        # One fragment per page, named by its language.
        assert len(list((bundle / "fragment").glob(f"{code}_*.pf_fragment"))) == index["page_count"]
        assert list((bundle / "index").glob(f"{code}_*.pf_index"))
        if index["wasm"]:
            assert (bundle / f"wasm.{index['wasm']}.pagefind").is_file()
    # What every run writes alike is there as well.
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.unknown.pagefind").is_file()


@pytest.mark.parametrize("name", ["pagefind-ui.js", "pagefind-entry.json"])
def test_runs_whose_common_files_differ_stop_the_build_naming_the_file(sample, tmp_path, monkeypatch, name):
    def alter_second_run(number, bundle):
        if number == 2:
            path = bundle / name
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace('"version":"', '"version":"0') if name.endswith(".json") else text + "\n",
                            encoding="utf-8")

    recording_pagefind(monkeypatch, alter_second_run)
    with pytest.raises(SearchIndexError, match=f"(?s){re.escape(name)}.*ky") as failure:
        index_copy(sample, tmp_path / "altered-site")
    assert "altered-site" in str(failure.value)
    site = tmp_path / "altered-site"
    # Neither a half-merged bundle nor the runs' folders are left behind.
    assert not (site / "pagefind").exists()
    assert not list(site.glob(search.RUNS_FOLDER_PREFIX + "*"))


def test_a_site_with_an_article_page_outside_the_language_folders_is_indexed_by_one_run(tmp_path, monkeypatch):
    def write(relpath, lang, body=True):
        path = tmp_path / "site" / relpath / "index.html"
        path.parent.mkdir(parents=True)
        text = f"{relpath} " * 20
        path.write_text(f'<!DOCTYPE html>\n<html lang="{lang}"><head><title>t</title></head><body>'
                        f"<main{' data-pagefind-body' if body else ''}><p>{text}</p></main></body></html>",
                        encoding="utf-8")

    write("kk/2024/01/semina", "kk")
    write("kk/2024/02/kenes", "kk")
    write("en/2024/01/seminar", "en")
    write("ru/2024/01/draft", "ru", body=False)  # a language with no indexed page: no run of its own
    settings = {"SEARCH_INDEX": True, "ARTICLE_SAVE_AS": "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"}
    site = tmp_path / "site"
    commands = recording_pagefind(monkeypatch)
    index_site(SimpleNamespace(settings=settings, output_path=str(site)))
    assert [command[command.index("--glob") + 1] for command in commands] == [
        "kk/*/*/*/index.html", "en/*/*/*/index.html"]
    assert page_counts(site / "pagefind") == {"kk": 2, "en": 1}

    write("archive/2024/01/kk-in-the-wrong-folder", "kk")
    commands.clear()
    index_site(SimpleNamespace(settings=settings, output_path=str(site)))
    assert [command[command.index("--glob") + 1] for command in commands] == ["*/*/*/*/index.html"]
    assert page_counts(site / "pagefind") == {"kk": 3, "en": 1}


def page_counts(bundle: Path) -> dict[str, int]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {code: index["page_count"] for code, index in entry["languages"].items()}


def fragments(bundle: Path) -> dict[str, dict]:
    """Each fragment file of a bundle (named by language and hash): the page it holds, decoded."""
    return {path.name: json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
            for path in sorted((bundle / "fragment").glob("*.pf_fragment"))}


def test_a_rebuild_indexes_again_only_the_languages_whose_article_pages_changed(tmp_path, monkeypatch):
    """search.KeptRuns: a language's kept bundle is used while its article pages are as it read them."""
    corpus = make_corpus(tmp_path / "content", 24, seed=3)
    output = tmp_path / "output"
    settings = {"SEARCH_INDEX": True, "CACHE_PATH": str(tmp_path / "cache"), "EVENTS_TODAY": "2020-06-01"}
    commands = recording_pagefind(monkeypatch)

    def globs():
        return [command[command.index("--glob") + 1] for command in commands]

    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    languages = [code for code in LANGUAGES if (output / code).is_dir()]
    assert len(languages) >= 3 and globs() == [f"{code}/*/*/*/index.html" for code in languages]
    before = fragments(output / "pagefind")
    counts = page_counts(output / "pagefind")

    edited = next(path for path in sorted(corpus.files) if path.name.endswith(".ky.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңыланган сөйлөм: шаршембиликтер.\n", encoding="utf-8")
    commands.clear()
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    assert globs() == ["ky/*/*/*/index.html"]
    after = fragments(output / "pagefind")
    assert page_counts(output / "pagefind") == counts
    # The other languages' pages are the kept ones, file for file; Kyrgyz has the new text.
    assert {name: page for name, page in after.items() if not name.startswith("ky_")} == {
        name: page for name, page in before.items() if not name.startswith("ky_")}
    changed = [page["url"] for page in after.values() if "шаршембиликтер" in page["content"]]
    assert len(changed) == 1 and changed[0].startswith("/ky/")
    assert not list(output.glob(search.RUNS_FOLDER_PREFIX + "*"))


def test_a_build_from_nothing_keeps_no_pagefind_runs(tmp_path):
    """A publish builds every release into a fresh folder: kept runs could never be used again."""
    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    build(PROJECT / "pelicanconf.py", corpus.folder, tmp_path / "release", SEARCH_INDEX=True,
          INCREMENTAL_BUILD=False, CACHE_PATH=str(tmp_path / "cache"), EVENTS_TODAY="2020-06-01")
    assert page_counts(tmp_path / "release" / "pagefind")
    assert not (tmp_path / "cache" / search.KeptRuns.FOLDER).exists()


def test_a_deleted_articles_page_is_gone_from_the_index_of_the_rebuild(tmp_path):
    """The stale page is removed before Pagefind reads the output, not only when the build ends."""
    corpus = make_corpus(tmp_path / "content", 24, seed=3)
    output = tmp_path / "output"
    settings = {"SEARCH_INDEX": True, "CACHE_PATH": str(tmp_path / "cache"), "EVENTS_TODAY": "2020-06-01"}
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    before = {page["url"] for page in fragments(output / "pagefind").values()}
    assert before == set(indexed_pages(output))

    next(path for path in sorted(corpus.files) if path.name.endswith(".ky.md")).unlink()
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    after = {page["url"] for page in fragments(output / "pagefind").values()}
    assert after == set(indexed_pages(output)) and len(after) == len(before) - 1


def files_each_run_read(monkeypatch) -> list[list[str]]:
    """For each Pagefind run, the article pages in the folder it was pointed at."""
    seen, real_run = [], search._run_pagefind

    def run(output, pagefind_run, bundle, site=None):
        seen.append(sorted(path.relative_to(site or output).as_posix()
                           for path in Path(site or output).rglob("index.html")))
        return real_run(output, pagefind_run, bundle, site)

    monkeypatch.setattr(search, "_run_pagefind", run)
    return seen


def iso_date(site: Path, url: str) -> str:
    return page(site, url.removeprefix("/")).cssselect("time[data-pagefind-sort]")[0].get("datetime")


def test_a_language_over_the_limit_is_indexed_in_parts_of_whole_months(tmp_path, monkeypatch):
    """SEARCH_PAGES_PER_INDEX bounds what one Pagefind process holds in memory."""
    corpus = make_corpus(tmp_path / "content", 14, languages=("kk",), seed=5)
    output = tmp_path / "output"
    settings = {"SEARCH_INDEX": True, "SEARCH_PAGES_PER_INDEX": 4, "CACHE_PATH": str(tmp_path / "cache"),
                "EVENTS_TODAY": "2020-06-01"}
    read = files_each_run_read(monkeypatch)
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)

    bundle = output / "pagefind"
    older = json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8"))["kk"]
    parts = [bundle] + [bundle / folder for folder in older]  # newest first
    assert len(parts) == len(read) >= 3
    urls = [[fragment["url"] for fragment in fragments(part).values()] for part in parts]
    # Each run was pointed at exactly its own pages (runs go oldest part first).
    assert [sorted(url.removeprefix("/") + "index.html" for url in part_urls) for part_urls in urls] == read[::-1]
    assert all(1 <= len(part_urls) <= 4 for part_urls in urls)
    assert [page_counts(part) for part in parts] == [{"kk": len(part_urls)} for part_urls in urls]
    # Every page with data-pagefind-body in exactly one part; the month archives in none.
    assert sorted(url for part_urls in urls for url in part_urls) == sorted(indexed_pages(output))
    # Whole months, newest part first: the search page lists them in this order when sorting by date.
    months = [sorted({iso_date(output, url)[:7] for url in part_urls}) for part_urls in urls]
    assert all(newer[0] > older_part[-1] for newer, older_part in zip(months, months[1:]))
    assert older == [f"kk-{part_months[0]}" for part_months in months[1:]]
    # Every part, the newest too, is named by its first month: when a new month starts a new
    # newest part, the last one keeps its name and, if its pages are unchanged, its kept bundle.
    runs = search.pagefind_runs({**settings, "ARTICLE_SAVE_AS": "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"},
                                str(output))
    assert [(run.name, run.own_bundle) for run in runs] == [
        (f"kk-{part_months[0]}", part_months is not months[0]) for part_months in months[::-1]]
    assert [run.name for run in runs if run.own_bundle] == older[::-1]


def slug_of(article: Path) -> str:
    return re.search(r"^Slug: (.+)$", article.read_text(encoding="utf-8"), re.MULTILINE).group(1)


def test_an_edit_indexes_again_only_the_part_of_its_month(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "content", 14, languages=("kk",), seed=5)
    output = tmp_path / "output"
    settings = {"SEARCH_INDEX": True, "SEARCH_PAGES_PER_INDEX": 4, "CACHE_PATH": str(tmp_path / "cache"),
                "EVENTS_TODAY": "2020-06-01"}
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    oldest = json.loads((output / "pagefind" / search.PARTS_FILE).read_text(encoding="utf-8"))["kk"][-1]
    before = {part: fragments(part) for part in (output / "pagefind", output / "pagefind" / oldest)}
    oldest_url = min(fragment["url"] for fragment in before[output / "pagefind" / oldest].values())
    edited = next(path for path in corpus.files if f"/{slug_of(path)}/" in oldest_url)
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңартылған сөйлем: сәрсенбіліктер.\n",
                      encoding="utf-8")

    commands = recording_pagefind(monkeypatch)
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    assert len(commands) == 1
    assert fragments(output / "pagefind") == before[output / "pagefind"]  # the newest part was kept
    changed = [fragment["url"] for fragment in fragments(output / "pagefind" / oldest).values()
               if "сәрсенбіліктер" in fragment["content"]]
    assert changed == [oldest_url]


@pytest.mark.parametrize("limit", [0, "2000", 2.5])
def test_a_wrong_pages_per_index_setting_stops_the_build_naming_it(tmp_path, limit):
    content = tmp_path / "content"
    write_article(content, "Семинар өтті", body="Облыстық семинар өтті.")
    with pytest.raises(SearchIndexError, match="SEARCH_PAGES_PER_INDEX"):
        build_site(content, tmp_path / "output", SEARCH_PAGES_PER_INDEX=limit)
    # Also where no language could be split: article paths without the language, nothing built yet.
    with pytest.raises(SearchIndexError, match="SEARCH_PAGES_PER_INDEX"):
        search.pagefind_runs({"ARTICLE_SAVE_AS": "{slug}.html", "SEARCH_PAGES_PER_INDEX": limit}, str(tmp_path))


@pytest.mark.parametrize("indexed", [0, 2])
def test_a_language_within_the_limit_once_unindexed_pages_are_left_out_is_not_split(tmp_path, indexed):
    """Parts count pages with data-pagefind-body: month archives and drafts do not make a language bigger."""
    for number in range(3):
        path = tmp_path / "kk" / "2024" / f"0{number + 1}" / f"page-{number}" / "index.html"
        path.parent.mkdir(parents=True)
        body = " data-pagefind-body" if number < indexed else ""
        path.write_text(f'<!DOCTYPE html><html lang="kk"><body><p{body}>Мәтін</p></body></html>', encoding="utf-8")
    settings = {"ARTICLE_SAVE_AS": "{lang}/{date:%Y}/{date:%m}/{slug}/index.html", "SEARCH_PAGES_PER_INDEX": 2}
    runs = search.pagefind_runs(settings, str(tmp_path))
    assert [(run.name, len(run.files), run.linked) for run in runs] == [("kk", 3, False)]
