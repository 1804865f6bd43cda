"""`invoke bench`: how long the archive takes to build, next to stock Pelican on the same corpus.

A deterministic synthetic corpus (seeded random; text drawn from the words
of the sample archive and the importer's seed texts) is written to a
temporary folder and built phase by phase, each phase in a fresh Python
process as an editor's `invoke build` would run:

    cold            empty output and cache
    no change       the same content again
    edit one        one article's body edited
    add one         one new article
    search index    Pagefind alone over the output (the main build runs with SEARCH_INDEX off)

For each phase: wall and CPU seconds and peak memory of the child process
(os.wait4's rusage), files written (new or with a new mtime) and files whose
bytes changed (the output tree hashed before and after). Stock Pelican
(its default theme, no plugins, tag and category feeds on, the same article
URLs, its content cache on) builds the same corpus in the same run.
"""
from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .categories import KINDS
from .languages import LANGUAGES
from .regions import REGIONS

PROJECT = Path(__file__).resolve().parents[2]
PLUGINS = PROJECT / "plugins"
SEED = 20240128
WORDS_PER_ARTICLE = 400
TAG_POOL = 200
YEARS = 10
FIRST_DAY = dt.date(2015, 1, 1)
TRANSLATED_SHARE = 0.25

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_KAZAKH_LETTERS = set("әғқұһі")
_KYRGYZ_LETTERS = set("үөң")


# ---- corpus -----------------------------------------------------------------------------------

def _text_language(text: str) -> str:
    letters = set(text.lower())
    if letters & _KAZAKH_LETTERS:
        return "kk"
    if letters & _KYRGYZ_LETTERS:
        return "ky"
    if re.search("[а-яё]", text.lower()):
        return "ru"
    return "en"


def _article_body(path: Path) -> tuple[str, str]:
    """(language, body) of a sample article (its header names the language) or a seed text (guessed)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        header, _, body = text.partition("\n\n")
        match = re.search(r"^Lang:\s*(\w+)", header, re.M)
        return (match.group(1) if match else _text_language(body)), body
    return _text_language(text), text


def vocabulary(project: Path = PROJECT) -> dict[str, list[str]]:
    """Words per language from content/articles and tests/fixtures/seeds, sorted so runs agree."""
    words: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    sources = sorted((project / "content" / "articles").rglob("*.md")) + sorted(
        (project / "tests" / "fixtures" / "seeds").glob("*.txt"))
    for path in sources:
        lang, body = _article_body(path)
        if lang in words:
            words[lang].update(w.lower() for w in _WORD.findall(body) if len(w) > 1)
    # A language with no sample text borrows Russian words rather than failing.
    fallback = sorted(words["ru"] or words["kk"])
    return {code: sorted(found) or fallback for code, found in words.items()}


@dataclass
class Corpus:
    folder: Path  # the content folder (holds articles/)
    files: list[Path] = field(default_factory=list)
    languages: tuple = ()
    seed: int = SEED

    @property
    def articles(self) -> Path:
        return self.folder / "articles"


class CorpusWriter:
    """Writes reports with a seeded random generator: the same arguments give the same bytes."""

    def __init__(self, languages, seed: int = SEED, project: Path = PROJECT):
        self.languages = tuple(languages)
        self.random = random.Random(seed)
        self.words = vocabulary(project)
        self.tags = {lang: self._tag_pool(lang) for lang in self.languages}
        self.kinds = sorted(KINDS)
        self.regions = {"KZ": sorted(c for c in REGIONS if c.startswith("KZ")),
                        "KG": sorted(c for c in REGIONS if c.startswith("KG"))}

    def _tag_pool(self, lang):
        words = self.words[lang]
        pool = set()
        while len(pool) < TAG_POOL:
            pool.add(" ".join(self.random.sample(words, self.random.choice((1, 2)))))
        return sorted(pool)

    def sentence(self, lang, length=None):
        words = [self.random.choice(self.words[lang]) for _ in range(length or self.random.randint(6, 16))]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def body(self, lang, words=WORDS_PER_ARTICLE):
        paragraphs, count = [], 0
        while count < words:
            sentences = [self.sentence(lang) for _ in range(self.random.randint(3, 6))]
            count += sum(s.count(" ") + 1 for s in sentences)
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)

    def report(self, number: int):
        """The header fields shared by every language version of report `number`."""
        r = self.random
        day = FIRST_DAY + dt.timedelta(days=r.randrange(365 * YEARS))
        country = r.choice(("KZ", "KG"))
        return {
            "date": f"{day.isoformat()} {r.randint(8, 19):02d}:{r.choice((0, 15, 30, 45)):02d}",
            "category": r.choice(self.kinds),
            "regions": r.sample(self.regions[country], r.randint(1, 2)),
            "key": f"report-{number:06d}",
            "event": day - dt.timedelta(days=r.randint(0, 3)) if r.random() < 0.3 else None,
        }

    def article(self, folder: Path, number: int, lang: str, report: dict, edit: int = 0) -> Path:
        r = self.random
        slug = f"{report['key']}-{lang}"
        header = [
            f"Title: {self.sentence(lang, r.randint(4, 9))[:-1]}",
            f"Date: {report['date']}",
            f"Lang: {lang}",
            f"Slug: {slug}",
            f"Translation_key: {report['key']}",
            f"Category: {report['category'] if report['event'] is None else 'event-report'}",
            f"Tags: {', '.join(r.sample(self.tags[lang], r.randint(2, 5)))}",
            f"Regions: {', '.join(report['regions'])}",
            f"Summary: {self.sentence(lang)}",
        ]
        if report["event"] is not None:
            header.append(f"Event_start: {report['event'].isoformat()}")
        path = folder / "articles" / report["date"][:4] / f"{report['date'][:10]}-{slug}.{lang}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(header) + "\n\n" + self.body(lang) + "\n", encoding="utf-8")
        return path


def make_corpus(folder: Path, articles: int, languages=("kk", "ky", "ru", "en"), seed: int = SEED,
                project: Path = PROJECT) -> Corpus:
    """`articles` article files: reports in one language, a quarter of them also in another one."""
    folder = Path(folder)
    writer = CorpusWriter(languages, seed, project)
    corpus = Corpus(folder, languages=tuple(languages), seed=seed)
    number = 0
    while len(corpus.files) < articles:
        report = writer.report(number)
        lang = writer.random.choice(writer.languages)
        corpus.files.append(writer.article(folder, number, lang, report))
        if len(corpus.files) < articles and len(languages) > 1 and writer.random.random() < TRANSLATED_SHARE:
            other = writer.random.choice([code for code in writer.languages if code != lang])
            corpus.files.append(writer.article(folder, number, other, report))
        number += 1
    corpus.next_number = number
    return corpus


def edit_one_article(corpus: Corpus) -> Path:
    """Change one sentence of the body of the middle article file (the header stays)."""
    path = sorted(corpus.files)[len(corpus.files) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nEdited: " + "x" * 12 + ".\n", encoding="utf-8")
    return path


def add_one_article(corpus: Corpus) -> Path:
    """A new report in the first language, dated inside the corpus's ten years."""
    writer = CorpusWriter(corpus.languages, corpus.seed + 1)
    report = writer.report(10_000_000)
    path = writer.article(corpus.folder, 10_000_000, corpus.languages[0], report)
    corpus.files.append(path)
    return path


# ---- measuring --------------------------------------------------------------------------------

@dataclass
class Phase:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    written: int
    changed: int
    status: int = 0


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under `folder`: (mtime in ns, sha1 of its bytes)."""
    files = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                digest = hashlib.sha1(handle.read()).hexdigest()
            files[os.path.relpath(path, folder)] = (os.stat(path).st_mtime_ns, digest)
    return files


def run_phase(name: str, command: list[str], output: Path, env=None) -> Phase:
    """Run `command` in a fresh process; measure it and compare the output tree before and after."""
    before = snapshot(output) if output.exists() else {}
    # The last phase's files go to disk now, not while this one is timed: on two cores the
    # kernel's writeback of a stock build's 9,000 rewritten files takes CPU from the next
    # phase (a 5,000-article rebuild after one edit: 3.05 s with this, 3.35 s without, in a
    # pair of runs). An editor's build does not follow another build by a few seconds.
    os.sync()
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4's rusage covers the child and the processes it waited for (Pagefind).
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    stderr = child.stderr.read().decode("utf-8", "replace")
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        print(f"{name}: exit {child.returncode}\n{stderr[-3000:]}", file=sys.stderr)
    after = snapshot(output) if output.exists() else {}
    written = sum(1 for path, (mtime, _) in after.items() if path not in before or before[path][0] != mtime)
    changed = sum(1 for path, (_, digest) in after.items() if path not in before or before[path][1] != digest)
    changed += sum(1 for path in before if path not in after)  # deleted files changed too
    return Phase(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, written, changed,
                 child.returncode)


def _child_env(plugins: Path = PLUGINS):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugins), env.get("PYTHONPATH")]))
    return env


def snapshot_code(work: Path) -> tuple[Path, Path]:
    """Copies of the theme and plugins: edits to the project during a run must not count as changes.

    The plugin's modules are compiled to bytecode once, as Python does on the first import of an
    installation: where PYTHONDONTWRITEBYTECODE is set (some CI images and sandboxes), every build
    would compile its forty modules again, about 0.15 s that an editor's build does not spend
    (stock Pelican's modules are compiled where pip installed them)."""
    theme, plugins = work / "theme", work / "plugins"
    for source, copy in ((PROJECT / "theme", theme), (PLUGINS, plugins)):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(str(plugins), quiet=1)
    return theme, plugins


def project_build_command(content: Path, output: Path, cache: Path, settings: Path, theme: Path | None = None,
                          plugins: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "newsarchive.benchmark", "build", "--content", str(content),
               "--output", str(output), "--cache", str(cache), "--settings", str(settings)]
    if theme is not None:
        command += ["--theme", str(theme)]
    if plugins is not None:
        command += ["--plugins", str(plugins)]
    return command


def search_index_command(output: Path, cache: Path, settings: Path) -> list[str]:
    return [sys.executable, "-m", "newsarchive.benchmark", "index", "--output", str(output),
            "--cache", str(cache), "--settings", str(settings)]


STOCK_SETTINGS = '''\
# Stock Pelican: its default theme, no plugins, tag and category feeds on.
PATH = {content!r}
OUTPUT_PATH = {output!r}
CACHE_PATH = {cache!r}
PLUGINS = []
SITENAME = "Steppe Reports (stock)"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Asia/Almaty"
DEFAULT_LANG = "kk"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = []
ARTICLE_URL = "{{lang}}/{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{lang}}/{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
TAG_FEED_ATOM = "feeds/tag.{{slug}}.atom.xml"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
DELETE_OUTPUT_DIRECTORY = False
DEFAULT_PAGINATION = 10
'''


def stock_build_command(settings: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", "-s", str(settings), "-q"]


def bench(articles: int = 5000, languages=("kk", "ky", "ru", "en"), stock: bool = True, search: bool = True,
          keep: Path | None = None, settings: Path = PROJECT / "pelicanconf.py", log=print) -> dict[str, list[Phase]]:
    """Generate the corpus, run every phase; return the phases of the project and of stock Pelican."""
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[Phase]] = {"project": [], "stock": []}
    try:
        started = time.perf_counter()
        content = work / "content"
        shutil.rmtree(content, ignore_errors=True)
        corpus = make_corpus(content, articles, languages)
        log(f"Corpus: {len(corpus.files)} article files in {', '.join(languages)} "
            f"({time.perf_counter() - started:.1f} s to generate) in {work}")
        theme, plugins = snapshot_code(work)
        env = _child_env(plugins)
        project_output, project_cache = work / "output", work / "cache"
        stock_output, stock_cache = work / "stock-output", work / "stock-cache"
        for folder in (project_output, project_cache, stock_output, stock_cache):
            shutil.rmtree(folder, ignore_errors=True)
        stock_settings = work / "stockconf.py"
        stock_settings.write_text(STOCK_SETTINGS.format(content=str(content), output=str(stock_output),
                                                         cache=str(stock_cache)), encoding="utf-8")
        build = project_build_command(content, project_output, project_cache, settings, theme, plugins)
        index = search_index_command(project_output, project_cache, settings)
        stock_build = stock_build_command(stock_settings)

        def phase(target, name, command, output):
            result = run_phase(name, command, output, env)
            results[target].append(result)
            log(format_phase(target, result))
            return result

        steps = [("cold", None), ("no change", None), ("edit one", edit_one_article), ("add one", add_one_article)]
        for name, change in steps:
            if change is not None:
                change(corpus)
            phase("project", name, build, project_output)
            if search and name in ("cold", "edit one"):
                phase("project", f"search index ({name})", index, project_output)
            if stock:
                phase("stock", name, stock_build, stock_output)
        return results
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def format_phase(target: str, p: Phase) -> str:
    flag = "" if p.status == 0 else f"  FAILED (exit {p.status})"
    return (f"  {target:7} {p.name:24} wall {p.wall:7.2f} s  cpu {p.cpu:7.2f} s  peak {p.peak_mb:7.0f} MB  "
            f"written {p.written:6}  changed {p.changed:6}{flag}")


def report(results: dict[str, list[Phase]], articles: int) -> str:
    lines = [f"Build benchmark, {articles} articles, {os.cpu_count()} cores, Python {sys.version.split()[0]}",
             f"{'phase':24} {'project s':>10} {'stock s':>10} {'ratio':>7} {'peak MB':>8} {'written':>8} {'changed':>8}"]
    stock = {p.name: p for p in results.get("stock", [])}
    for p in results["project"]:
        s = stock.get(p.name)
        ratio = f"{p.wall / s.wall:7.2f}" if s else f"{'-':>7}"
        lines.append(f"{p.name:24} {p.wall:10.2f} {(f'{s.wall:10.2f}' if s else f'{chr(45):>10}')} {ratio} "
                     f"{p.peak_mb:8.0f} {p.written:8} {p.changed:8}{'  FAILED' if p.status else ''}")
    for p in results.get("stock", []):
        lines.append(f"{'stock ' + p.name:24} {'':>10} {p.wall:10.2f} {'':>7} {p.peak_mb:8.0f} {p.written:8} "
                     f"{p.changed:8}{'  FAILED' if p.status else ''}")
    return "\n".join(lines)


# ---- the child processes ----------------------------------------------------------------------

def _child_build(args) -> int:
    from .runner import run_build

    overrides = {"CACHE_PATH": str(Path(args.cache).resolve()), "SEARCH_INDEX": False}
    if args.theme:
        overrides["THEME"] = str(Path(args.theme).resolve())
    if args.plugins:
        overrides["PLUGIN_PATHS"] = [str(Path(args.plugins).resolve())]
    return run_build(Path(args.settings), Path(args.content), Path(args.output), **overrides)


def _child_index(args) -> int:
    from types import SimpleNamespace

    from pelican.settings import read_settings

    from .search import index_site

    # The build's cache folder: Pagefind's kept bundles go with it, not into the project's.
    settings = read_settings(str(args.settings), override={"SEARCH_INDEX": True,
                                                            "CACHE_PATH": str(Path(args.cache).resolve())})
    index_site(SimpleNamespace(settings=settings, output_path=str(args.output)))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsarchive.benchmark")
    commands = parser.add_subparsers(dest="command", required=True)
    child = commands.add_parser("build", help="one project build (a bench phase)")
    for name in ("content", "output", "cache", "settings"):
        child.add_argument(f"--{name}", required=True)
    child.add_argument("--theme")
    child.add_argument("--plugins")
    index = commands.add_parser("index", help="Pagefind alone over a built site (a bench phase)")
    index.add_argument("--output", required=True)
    index.add_argument("--cache", required=True)
    index.add_argument("--settings", required=True)
    args = parser.parse_args(argv)
    return _child_build(args) if args.command == "build" else _child_index(args)


if __name__ == "__main__":
    sys.exit(main())
