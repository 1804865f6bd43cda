"""`invoke bench`'s machinery on a tiny corpus: the corpus is deterministic and every phase reports numbers."""
from __future__ import annotations

import importlib.util
import os
import struct
from pathlib import Path

from newsarchive.benchmark import (TAG_POOL, add_one_article, bench, edit_one_article, make_corpus, report,
                                   snapshot_code)
from newsarchive.categories import KINDS
from newsarchive.regions import REGIONS


def corpus_bytes(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def test_the_same_seed_writes_the_same_corpus(tmp_path):
    first = make_corpus(tmp_path / "a", 40)
    make_corpus(tmp_path / "b", 40)
    assert len(first.files) == 40
    assert corpus_bytes(tmp_path / "a") == corpus_bytes(tmp_path / "b")
    assert corpus_bytes(tmp_path / "a") != corpus_bytes(make_corpus(tmp_path / "c", 40, seed=1).folder)


def test_corpus_articles_use_the_sites_languages_kinds_regions_and_link_translations(tmp_path):
    corpus = make_corpus(tmp_path / "content", 200)
    headers = [dict(line.split(": ", 1) for line in path.read_text(encoding="utf-8").partition("\n\n")[0].splitlines())
               for path in corpus.files]
    assert {h["Lang"] for h in headers} == {"kk", "ky", "ru", "en"}
    assert {h["Category"] for h in headers} <= set(KINDS)
    assert all(code.strip() in REGIONS for h in headers for code in h["Regions"].split(","))
    keys = [h["Translation_key"] for h in headers]
    translated = len(keys) - len(set(keys))
    assert 0.1 < translated / len(set(keys)) < 0.4  # about a quarter of reports have a second language
    years = {h["Date"][:4] for h in headers}
    assert len(years) >= 8  # spread over ten years
    tags = {tag.strip() for h in headers for tag in h["Tags"].split(",")}
    assert 50 < len(tags) <= TAG_POOL * 4
    body = corpus.files[0].read_text(encoding="utf-8").partition("\n\n")[2]
    assert 350 <= len(body.split()) <= 600


def test_edit_and_add_change_one_file_each(tmp_path):
    corpus = make_corpus(tmp_path / "content", 20)
    before = corpus_bytes(corpus.folder)
    edited = edit_one_article(corpus)
    added = add_one_article(corpus)
    after = corpus_bytes(corpus.folder)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {edited.relative_to(corpus.folder).as_posix(), added.relative_to(corpus.folder).as_posix()}


def test_bench_measures_every_phase_of_the_project_and_of_stock_pelican(tmp_path):
    lines = []
    results = bench(articles=12, languages=("kk", "ru"), stock=True, search=False, keep=tmp_path / "bench",
                    log=lines.append)
    project = {phase.name: phase for phase in results["project"]}
    stock = {phase.name: phase for phase in results["stock"]}
    assert list(project) == ["cold", "no change", "edit one", "add one"] == list(stock)
    for phase in [*project.values(), *stock.values()]:
        assert phase.status == 0, phase
        assert phase.wall > 0 and phase.cpu > 0 and phase.peak_mb > 10
    assert project["cold"].written == project["cold"].changed > 12
    assert project["no change"].written == 0 and project["no change"].changed == 0
    assert 0 < project["edit one"].changed <= project["edit one"].written < project["cold"].written
    assert project["add one"].changed > 0
    assert stock["no change"].written > 0  # stock Pelican rewrites every file
    table = report(results, 12).splitlines()
    assert f"{os.cpu_count()} cores" in table[0]
    cold = next(line for line in table if line.startswith("cold "))
    ratio = float(cold.split()[3])
    assert abs(ratio - project["cold"].wall / stock["cold"].wall) < 0.006  # printed with two decimals


def test_the_measured_plugin_is_compiled_once_as_an_installation_would_be(tmp_path):
    """Its builds do not compile the plugin's modules again, even where writing bytecode is off:
    each module has bytecode whose header matches its source, which the import then uses."""
    _theme, plugins = snapshot_code(tmp_path)
    sources = sorted((plugins / "newsarchive").glob("*.py"))
    assert len(sources) > 20
    for source in sources:
        header = Path(importlib.util.cache_from_source(str(source))).read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER, source.name
        flags, mtime, size = struct.unpack("<III", header[4:16])
        stat = source.stat()
        assert (flags, mtime, size) == (0, int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF), source.name
