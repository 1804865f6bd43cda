"""The sample archive is the importer's output from the seeds plus an editor's review, not a hand copy."""
import re
from pathlib import Path

import pytest

from newsarchive.importer.cli import import_files
from newsarchive.scaffold import read_header
from sitebuild import PROJECT

SEEDS = PROJECT / "tests" / "fixtures" / "seeds"
SAMPLE = PROJECT / "content" / "articles"

# Seed -> the reviewed sample article made from it.
REVIEWED = {
    "000_27990b7df5fef603.txt": "2019/2019-05-20-zhasa-uiren-bolis-ozger-meetup-zhobasy-iske-qosyldy.kk.md",
    "001_87bea1415a213244.txt": "2020/2020-04-15-rukhani-zhangyrudy-zhuzege-asyru-zhaiy-onlain-keneste-talqylandy.kk.md",
    "002_deb66963d8e4cc14.txt": "2020/2020-01-20-trenerler-uchun-trening.ky.md",
    "003_031b6350f0d1d025.txt": "2024/2024-01-29-balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti.kk.md",
    "004_7b668f7e67fe4a14.txt": "2023/2023-07-05-tazhiribe-almasty.kk.md",
}


def paragraphs(path: Path) -> list[str]:
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    parts = re.split(r"\n\s*\n|\n(?=- )", body)
    return [re.sub(r"\s+", " ", part).strip().removeprefix("- ") for part in parts if part.strip()]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    dest = tmp_path_factory.mktemp("imported")
    assert import_files([str(SEEDS)], dest=str(dest), date="2020-01-20 10:00") == 0
    return {read_header(path)["Source"]: path for path in dest.rglob("*.md")}


@pytest.mark.parametrize("seed", sorted(REVIEWED))
def test_sample_article_keeps_the_imported_text_language_and_regions(imported, seed):
    imported_article, sample_article = imported[seed], SAMPLE / REVIEWED[seed]
    imported_header, sample_header = read_header(imported_article), read_header(sample_article)
    assert sample_header["Lang"] == imported_header["Lang"]
    assert sample_header["Title"].casefold() == imported_header["Title"].casefold()
    assert set(imported_header["Regions"].split(", ")) <= set(sample_header["Regions"].split(", "))
    imported_text, sample_text = paragraphs(imported_article), paragraphs(sample_article)
    assert len(sample_text) == len(imported_text)
    # The editor's review fixes typos and quotes in a paragraph or two; it drops nothing.
    unchanged = sum(1 for paragraph in imported_text if paragraph in sample_text)
    assert unchanged >= len(imported_text) - 2
