"""Search with no server: a search page per language and a Pagefind index of the articles.

`SearchPageGenerator` writes `/<lang>/search/`, whose script (theme/static/search/)
asks Pagefind in the browser. When the build has written every page, `index_site`
runs Pagefind over the output: article templates mark what is indexed
(`data-pagefind-body`: title and text only), the filters (category, region, tag,
year) and the date to sort by. Pagefind keeps one index per `<html lang>`, so a
Kazakh search page only ever searches Kazakh reports.

Pagefind has no stemmer for Kazakh or Kyrgyz; the search page cuts query words
back to their stems first (stemming.py explains how), and Pagefind's prefix
matching does the rest.

Setting `SEARCH_INDEX = False` skips Pagefind (the pages are still written) for
fast builds that never search.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from pelican.generators import Generator

from .stemming import rules_for

logger = logging.getLogger(__name__)

SEARCH_URL = "{lang}/search/"
BUNDLE_DIR = "pagefind"  # where Pagefind writes its bundle, relative to the output folder


class SearchIndexError(Exception):
    """Pagefind could not index the built site."""


def search_url(lang: str) -> str:
    """The search page of a language, relative to the site root."""
    return SEARCH_URL.format(lang=lang)


def get_generators(pelican):
    return SearchPageGenerator


def install_in_templates(generator):
    """Let every template link to the search page of its language (the header's search box)."""
    generator.env.globals["search_url"] = search_url


class SearchPageGenerator(Generator):
    """Writes `/<lang>/search/` for every language that has a section."""

    def generate_output(self, writer):
        rules_file = os.path.join(self.theme, "static", "search", "stemming.json")
        # Sections come from LanguageViewsGenerator's context, complete once every generate_context ran.
        for section in self.context.get("sections", {}).values():
            url = search_url(section.lang)
            writer.write_file(
                url + "index.html", self.get_template("search"), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], url=url, page_kind="search",
                page_lang=section.lang, section=section, stemming_rules=rules_for(section.lang, rules_file))


PAGEFIND_DEFAULT_GLOB = "**/*.{html}"


def article_globs(settings) -> list[str]:
    """The files an article page can be: its save_as settings, each field a wildcard."""
    return sorted({re.sub(r"\{[^}]*\}", "*", settings[name]) for name in ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS")
                   if settings.get(name)})


def pagefind_glob(settings, output: str) -> str:
    """What Pagefind reads: only the files article pages can be, when there are any.

    Only article pages carry data-pagefind-body; reading every listing page
    as well cost a third of the indexing time at 5,000 articles. A site with
    no published article yet (drafts only) is indexed as Pagefind would by
    default, rather than failing on an empty set of files.
    """
    patterns = article_globs(settings)
    if not any(next(Path(output).glob(pattern), None) for pattern in patterns):
        return PAGEFIND_DEFAULT_GLOB
    return patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"


def index_site(pelican):
    """Run Pagefind over the finished output (Pelican's `finalized` signal)."""
    if not pelican.settings.get("SEARCH_INDEX", True):
        logger.info("Search index skipped (SEARCH_INDEX is off)")
        return
    output = os.path.abspath(pelican.output_path)
    # Pagefind names its files by content hash; without this, old fragments pile up between builds.
    shutil.rmtree(os.path.join(output, BUNDLE_DIR), ignore_errors=True)
    # The command line rather than Pagefind's asyncio service: the files are all
    # written once the process has exited, and the build waits for exactly that.
    # Run from the output folder, so no pagefind.yml lying around elsewhere changes the index.
    command = [sys.executable, "-m", "pagefind", "--site", output, "--output-subdir", BUNDLE_DIR,
               "--glob", pagefind_glob(pelican.settings, output)]
    try:
        result = subprocess.run(command, cwd=output, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"could not start Pagefind ({error}); {_HOW_TO_FIX}") from error
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {output} (exit {result.returncode}):\n"
                               f"{(result.stderr or result.stdout).strip()}\n{_HOW_TO_FIX}")
    summary = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("Indexed")]
    logger.info("Search index written to %s: %s", os.path.join(output, BUNDLE_DIR), "; ".join(summary))


_HOW_TO_FIX = ("check that pagefind[extended] from requirements.txt is installed, "
               "or set SEARCH_INDEX = False to build without search")
