"""Search with no server: a search page per language and a Pagefind index of the articles.

`SearchPageGenerator` writes `/<lang>/search/`, whose script (theme/static/search/)
asks Pagefind in the browser. When the build has written every page, `index_site`
runs Pagefind over the output, one language at a time: article templates mark
what is indexed (`data-pagefind-body`: title and text only), the filters
(category, region, tag, year) and the date to sort by. Pagefind keeps one index
per `<html lang>`, so a Kazakh search page only ever searches Kazakh reports.

Pagefind has no stemmer for Kazakh or Kyrgyz; the search page cuts query words
back to their stems first (stemming.py explains how), and Pagefind's prefix
matching does the rest.

Setting `SEARCH_INDEX = False` skips Pagefind (the pages are still written) for
fast builds that never search.

A language with more than SEARCH_PAGES_PER_INDEX article pages is indexed in
parts, each a run over whole months: Pagefind holds what it indexes in memory
(about 280 kB per 400-word report), so one run over a large archive's language
needed 1.5 GB at 20,000 articles. The newest part joins the shared bundle; each
older part is a bundle of its own (`pagefind/<lang>-<first month>/`), listed
newest first in `pagefind/parts.json`, and the search page asks them all.
"""
from __future__ import annotations

import filecmp
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata as package_metadata
from pathlib import Path

from pelican.generators import Generator

from . import incremental
from .languages import LANGUAGES
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


ENTRY_FILE = "pagefind-entry.json"
PARTS_FILE = "parts.json"  # each language's older parts, newest first: what the search page loads besides
DEFAULT_PAGES_PER_INDEX = 2000  # at most ~600 MB for one Pagefind run over the bench's reports
PAGEFIND_CONFIG_FILES = ("pagefind.yml", "pagefind.yaml", "pagefind.json", "pagefind.toml")
RUNS_FOLDER_PREFIX = ".pagefind-runs-"  # in the output folder while the runs' bundles are merged


@dataclass
class PagefindRun:
    """One Pagefind process: the files it reads, as one glob, and the site files that glob matches."""

    name: str  # a language code, or what the run covers when it is not one language
    patterns: list[str]
    files: list[str] = field(default_factory=list)  # relative to the output folder; empty for a default-glob run
    language: str = ""
    # An older part of a language's pages: a bundle of its own, in the shared one's folder `name`.
    own_bundle: bool = False
    # Its patterns match more than its files (one part of a language): it reads links to exactly them.
    linked: bool = False

    @property
    def glob(self) -> str:
        return self.patterns[0] if len(self.patterns) == 1 else "{" + ",".join(self.patterns) + "}"


def _language_glob(save_as: str, code: str) -> str:
    return re.sub(r"\{[^}]*\}", lambda field_: code if field_.group(0) == "{lang}" else "*", save_as)


def _glob_regex(pattern: str) -> str:
    return "[^/]*".join(re.escape(part) for part in pattern.split("*"))


def _has_body(output: Path, files: list[str]) -> bool:
    return any(b"data-pagefind-body" in (output / name).read_bytes() for name in files)


def pagefind_runs(settings, output: str) -> list[PagefindRun]:
    """Pagefind runs that together index what one run over the article pages would: one per language.

    Pagefind reads only the files article pages can be: only they carry
    data-pagefind-body, and reading every listing page as well cost a third of
    the indexing time at 5,000 articles. Article pages are saved under their
    language (`{lang}` in ARTICLE_SAVE_AS), so each language's run reads only
    its own folder. A site whose article paths do not name the language, or
    with an article page outside every language's folder, is indexed by one
    run. A site with no published article yet (drafts only) is indexed as
    Pagefind would by default, rather than failing on an empty set of files.
    A language with more than SEARCH_PAGES_PER_INDEX pages gets a run per part
    (`_in_parts`).
    """
    limit = pages_per_index(settings)  # checked even where no language is split
    root = Path(output)
    patterns = article_globs(settings)
    files = sorted({path.relative_to(root).as_posix() for pattern in patterns for path in root.glob(pattern)})
    if not files:
        return [PagefindRun("all pages", [PAGEFIND_DEFAULT_GLOB])]
    one_run = [PagefindRun("articles", patterns, files)]
    save_as = sorted({settings[name] for name in ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS") if settings.get(name)})
    if not all("{lang}" in pattern for pattern in save_as):
        return one_run
    runs: list[PagefindRun] = []
    rest = files
    for code in LANGUAGES:
        language_patterns = sorted({_language_glob(pattern, code) for pattern in save_as})
        matches = re.compile("|".join(_glob_regex(pattern) for pattern in language_patterns)).fullmatch
        mine = [name for name in rest if matches(name)]
        if mine:
            runs.append(PagefindRun(code, language_patterns, mine, code))
            rest = [name for name in rest if not matches(name)]
    if rest:  # in no language's folder: which index it joins is Pagefind's to decide, in one run
        return one_run
    # Once any page has data-pagefind-body, Pagefind leaves out the pages without it; alone
    # in a run, such pages (a language with drafts only) would be indexed whole instead.
    with_body = [run for run in runs if _has_body(root, run.files)]
    return [part for run in with_body or runs for part in _in_parts(run, root, limit)]


def pages_per_index(settings) -> int:
    limit = settings.get("SEARCH_PAGES_PER_INDEX", DEFAULT_PAGES_PER_INDEX)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise SearchIndexError(f"SEARCH_PAGES_PER_INDEX must be a whole number of pages, at least 1 (it is {limit!r})")
    return limit


# The date Pagefind sorts a page by (the article template's <time data-pagefind-sort="date[datetime]">).
SORT_KEY = "date"
_SORT_TAG = re.compile(rb'<[^>]*\sdata-pagefind-sort="' + SORT_KEY.encode() + rb'\[datetime\]"[^>]*>')
_DATETIME = re.compile(rb'\sdatetime="([^"]*)"')


def sort_date(html: bytes) -> str:
    """The value Pagefind sorts the page by, "" for a page without one."""
    tag = _SORT_TAG.search(html)
    found = _DATETIME.search(tag.group(0)) if tag else None
    return found.group(1).decode("utf-8", "replace") if found else ""


def _in_parts(run: PagefindRun, root: Path, limit: int) -> list[PagefindRun]:
    """A language's run as runs of at most `limit` indexed pages, each whole months (a
    month bigger than that alone), oldest first.

    Parts are ranges of the value Pagefind sorts by (ISO dates, whose order as
    text is their order in time), so the search page lists the newest reports
    first by listing the parts' results newest part first. They are filled from
    the oldest month: a report dated in the newest part's months changes only
    that part (and the older parts whose pages it appears on, as a related
    report), while one dated further back moves the bounds of the parts after
    it, which are indexed again. Each part is named by its first month, the
    newest one included, so a newest part that a new month has made older
    keeps its kept bundle; the newest part joins the shared bundle.
    """
    if not run.language or len(run.files) <= limit:  # fewer files than the limit: no need to read them
        return [run]
    months: dict[str, list[str]] = {}
    for name in run.files:
        html = (root / name).read_bytes()
        # Pages the glob matches without data-pagefind-body (month archives) are left out of every
        # part: Pagefind skips them beside indexed pages, but would index them whole in a part alone.
        if b"data-pagefind-body" in html:
            months.setdefault(sort_date(html)[:7], []).append(name)
    if sum(map(len, months.values())) <= limit:  # drafts only, or within the limit once archives are left out
        return [run]
    parts: list[tuple[str, list[str]]] = []
    for month in sorted(months):
        if not parts or len(parts[-1][1]) + len(months[month]) > limit:
            parts.append((month, []))
        parts[-1][1].extend(months[month])
    runs = [PagefindRun(f"{run.language}-{month or 'undated'}", run.patterns, files, run.language,
                        own_bundle=True, linked=True) for month, files in parts]
    runs[-1].own_bundle = False  # the newest part: in the shared bundle
    return runs


class _Mismatch(Exception):
    """Two runs' bundles cannot be one: what differs."""


def merge_bundles(bundles: list[tuple[PagefindRun, Path]], target: Path) -> dict:
    """Copy the bundles of the runs into `target` as one bundle; returns its merged entry.

    Pagefind names each language's files (meta, index chunks, fragments,
    filters) by language and content hash, and writes the same script, style
    and WebAssembly files in every run: the bundles only overlap in those, and
    in pagefind-entry.json, whose "languages" map lists each run's indexes.
    An older part of a language (`run.own_bundle`) is copied whole into a folder
    named as the run, a bundle the search page loads besides, and listed in parts.json.
    """
    target.mkdir(parents=True, exist_ok=True)
    parts: dict[str, list[str]] = {}
    for run, bundle in bundles:
        if run.own_bundle:
            own = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8")).get("languages", {})
            if list(own) != [run.language]:
                raise _Mismatch(f"the run for {run.name} indexed pages in {', '.join(sorted(own)) or 'no language'}, "
                                f"not only in '{run.language}'")
            shutil.copytree(bundle, target / run.name)
            parts.setdefault(run.language, []).append(run.name)
    shared = [(run.name, bundle) for run, bundle in bundles if not run.own_bundle]
    entry: dict | None = None
    first_run = ""
    languages: dict = {}
    language_runs: dict[str, str] = {}
    written_by: dict[str, str] = {}
    for run, bundle in shared:
        for folder, _subfolders, names in os.walk(bundle):
            for filename in sorted(names):
                path = Path(folder, filename)
                relpath = path.relative_to(bundle).as_posix()
                if relpath == ENTRY_FILE:
                    run_entry = json.loads(path.read_text(encoding="utf-8"))
                    if entry is None:
                        entry, first_run = run_entry, run
                    elif _without_languages(run_entry) != _without_languages(entry):
                        raise _Mismatch(f"{ENTRY_FILE} of the run for {run} differs from that of the run for "
                                        f"{first_run} in more than its languages")
                    for code, index in run_entry.get("languages", {}).items():
                        if code in languages:
                            raise _Mismatch(f"the runs for {language_runs[code]} and {run} both indexed pages in "
                                            f"language '{code}', whose index cannot be split")
                        languages[code], language_runs[code] = index, run
                    continue
                destination = target / relpath
                if relpath in written_by:
                    if not filecmp.cmp(path, destination, shallow=False):
                        raise _Mismatch(f"{relpath} differs between the runs for {written_by[relpath]} and {run}")
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)  # a kept run's bundle stays for the next build
                written_by[relpath] = run
    if entry is None:
        raise _Mismatch(f"no run wrote {ENTRY_FILE}")
    entry["languages"] = languages
    (target / ENTRY_FILE).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    # Runs come oldest part first; the search page lists the results of the newest first.
    newest_first = {code: folders[::-1] for code, folders in parts.items()}
    (target / PARTS_FILE).write_text(json.dumps(newest_first, separators=(",", ":")), encoding="utf-8")
    return entry


def _without_languages(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if key != "languages"}


class KeptRuns:
    """Each run's bundle from the last build, in CACHE_PATH, with a stamp of the files it read.

    A run whose files are all as they were (their paths, sizes and times: the
    build rewrites only pages whose bytes change) would write the same index:
    its kept bundle is used instead. After one edited article, Pagefind reads
    that article's language (or its part of it) again, not the whole site.
    """

    FOLDER = "pagefind-runs"

    def __init__(self, settings, output: str):
        # A build from nothing into a fresh folder (a publish, INCREMENTAL_BUILD off) writes
        # every page anew: no stamp could match, and each release would leave its runs behind.
        cache = settings.get("CACHE_PATH") if incremental.enabled(settings) else None
        # One folder per output folder: sites sharing a cache folder keep their own runs.
        site = hashlib.sha256(os.path.realpath(output).encode()).hexdigest()[:12]
        self.folder = Path(cache, self.FOLDER, site) if cache else None
        self.output = output

    def stamp(self, run: PagefindRun) -> str | None:
        if self.folder is None or not run.files:
            return None  # a run over Pagefind's default glob: what it reads is not listed
        digest = hashlib.sha256(f"{_pagefind_version()}\0{self.output}\0{run.glob}\n".encode())
        # What else changes an index: a Pagefind configuration file where it runs, its environment.
        for name in PAGEFIND_CONFIG_FILES:
            config = Path(self.output, name)
            digest.update(config.read_bytes() if config.is_file() else b"-")
        digest.update(repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("PAGEFIND"))).encode())
        for name in run.files:
            stat = os.stat(os.path.join(self.output, name))
            digest.update(f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        return digest.hexdigest()

    def bundle(self, run: PagefindRun, stamp: str | None) -> Path | None:
        """The kept bundle of this run, when it read exactly these files."""
        if stamp is None:
            return None
        kept = self.folder / run.name
        try:
            if (kept / "stamp").read_text(encoding="utf-8") == stamp and (kept / "bundle").is_dir():
                return kept / "bundle"
        except OSError:
            pass
        return None

    def keep(self, runs: list[tuple[PagefindRun, str | None, Path]]) -> None:
        """Keep the bundles this build's runs wrote; forget the runs it no longer has."""
        if self.folder is None:
            return
        names = {run.name for run, _stamp, _bundle in runs}
        if self.folder.is_dir():
            for kept in self.folder.iterdir():
                if kept.name not in names:
                    shutil.rmtree(kept, ignore_errors=True)
        for run, stamp, bundle in runs:
            if stamp is None or bundle.parent.parent == self.folder:  # nothing to stamp, or kept already
                continue
            kept = self.folder / run.name
            shutil.rmtree(kept, ignore_errors=True)
            kept.mkdir(parents=True)
            shutil.move(str(bundle), str(kept / "bundle"))
            (kept / "stamp").write_text(stamp, encoding="utf-8")  # last: a stamp vouches for a whole bundle


@functools.lru_cache(maxsize=None)
def _pagefind_version() -> str:
    try:
        return package_metadata.version("pagefind")
    except package_metadata.PackageNotFoundError:
        return "not installed"  # _run_pagefind says so when a run is needed


def _linked_site(output: str, run: PagefindRun, folder: Path) -> str:
    """A folder holding, at their own paths, links to exactly the run's files: what Pagefind reads for one part.

    Its command line takes globs alone, and one glob listing a part's 2,000 paths
    is longer than one argument may be; the paths, hence the pages' addresses in
    the index, stay those of the site."""
    for name in run.files:
        link = folder / name
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(os.path.join(output, name), link)
        except OSError:  # a file system without hard links
            shutil.copy2(os.path.join(output, name), link)
    return str(folder)


def _run_pagefind(output: str, run: PagefindRun, bundle: str, site: str | None = None) -> list[str]:
    """One Pagefind process over the run's files (in `site`, by default the output), its bundle
    written to `bundle`; its summary lines."""
    # The command line rather than Pagefind's asyncio service: the files are all
    # written once the process has exited, and the build waits for exactly that.
    # Run from the output folder, so no pagefind.yml lying around elsewhere changes the index.
    site = site or output
    command = [sys.executable, "-m", "pagefind", "--site", site, "--output-subdir", os.path.relpath(bundle, site),
               "--glob", run.glob]
    try:
        result = subprocess.run(command, cwd=output, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"could not start Pagefind ({error}); {_HOW_TO_FIX}") from error
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {output} ({run.name}; exit {result.returncode}):\n"
                               f"{(result.stderr or result.stdout).strip()}\n{_HOW_TO_FIX}")
    return [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("Indexed")]


def index_site(pelican):
    """Run Pagefind over the finished output (Pelican's `finalized` signal), one language at a time.

    One Pagefind process holds the text of every page it indexes until it
    writes the bundle: 2.9 GB at 20,000 articles in four languages (the bench's
    corpus). Pagefind 1.5 can neither bound that nor add to an existing bundle:
    its command line and settings have no such option, and its Python API
    writes a bundle from one index. So each language gets its own runs, one
    after the other, of at most SEARCH_PAGES_PER_INDEX pages each; the newest
    part of every language is put together here into the one `pagefind/` that
    the search pages load, and older parts are bundles of their own inside it.
    """
    if not pelican.settings.get("SEARCH_INDEX", True):
        logger.info("Search index skipped (SEARCH_INDEX is off)")
        return
    output = os.path.abspath(pelican.output_path)
    bundle_dir = os.path.join(output, BUNDLE_DIR)
    # Pagefind names its files by content hash; without this, old fragments pile up between builds.
    shutil.rmtree(bundle_dir, ignore_errors=True)
    # A build stopped while indexing (killed: no `finally`) leaves its runs' folder behind.
    for stale in Path(output).glob(RUNS_FOLDER_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    incremental.remove_stale_now(pelican.settings, article_globs(pelican.settings))
    runs = pagefind_runs(pelican.settings, output)
    try:
        # Inside the output folder: the bundles move into place by renaming, on the same disk.
        work = tempfile.mkdtemp(prefix=RUNS_FOLDER_PREFIX, dir=output)
    except OSError as error:
        raise SearchIndexError(f"could not write the search index into {output} ({error})") from error
    kept = KeptRuns(pelican.settings, output)
    try:
        made, summary = [], []
        for number, run in enumerate(runs):
            stamp = kept.stamp(run)
            bundle = kept.bundle(run, stamp)
            if bundle is not None:
                summary.append(f"{run.name}: its pages are unchanged, its index kept")
            else:
                bundle = Path(work, f"run-{number}")
                site = _linked_site(output, run, Path(work, f"site-{number}")) if run.linked else None
                summary.append(f"{run.name}: {', '.join(_run_pagefind(output, run, str(bundle), site))}")
                if site:
                    shutil.rmtree(site)
            made.append((run, stamp, bundle))
        merged = Path(work, BUNDLE_DIR)
        try:
            merge_bundles([(run, bundle) for run, _stamp, bundle in made], merged)
        except _Mismatch as mismatch:
            raise SearchIndexError(f"could not merge the per-language Pagefind bundles into {bundle_dir}: "
                                   f"{mismatch}") from None
        try:
            os.rename(merged, bundle_dir)
        except OSError as error:
            raise SearchIndexError(f"could not move the search index to {bundle_dir} ({error})") from error
        kept.keep(made)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    logger.info("Search index written to %s: %s", bundle_dir, "; ".join(summary))


_HOW_TO_FIX = ("check that pagefind[extended] from requirements.txt is installed, "
               "or set SEARCH_INDEX = False to build without search")
