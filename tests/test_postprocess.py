"""Publishing steps on a real build: fingerprinted assets and reproducible compressed copies."""
import gzip
import re

import brotli
import pytest

from newsarchive.postprocess import fingerprint_assets, precompress
from sitebuild import PROJECT, build_site


@pytest.fixture
def site(tmp_path):
    return build_site(PROJECT / "content", tmp_path / "site", conf="publishconf.py",
                      SITEURL="https://reports.example.org")


def test_every_page_links_the_fingerprinted_stylesheet(site):
    renamed = fingerprint_assets(site)
    new_name = renamed["theme/css/site.css"]
    assert re.fullmatch(r"theme/css/site\.[0-9a-f]{10}\.css", new_name)
    assert (site / new_name).exists() and not (site / "theme/css/site.css").exists()
    pages = list(site.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "theme/css/site.css" not in text, page
        if "<link rel=\"stylesheet\"" in text:
            assert new_name in text, page


def test_compressed_copies_decompress_to_the_original_and_are_reproducible(site):
    assert precompress(site) > 0
    page = site / "kk" / "index.html"
    first_gz = (site / "kk" / "index.html.gz").read_bytes()
    assert gzip.decompress(first_gz) == page.read_bytes()
    assert brotli.decompress((site / "kk" / "index.html.br").read_bytes()) == page.read_bytes()
    precompress(site)
    assert (site / "kk" / "index.html.gz").read_bytes() == first_gz
    assert not (site / "kk" / "index.html.gz.gz").exists()
