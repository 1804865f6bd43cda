"""Work shared with a forked copy of the build gives the same site as one process alone.

parallel.split runs half of a list in a forked child; preparse.py uses it to
parse Markdown and incremental.py to render pages, feeds and calendars. The
builds here run in fresh interpreters (a fork needs a single-threaded
process, and the test runner may hold browser threads).
"""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

import pytest

from newsarchive import parallel
from newsarchive.benchmark import make_corpus
from newsarchive.errors import WarningRecorder
from sitebuild import PROJECT
from test_incremental import assert_same_site

BUILD_SCRIPT = """
import json, os, sys
sys.path.insert(0, "plugins")
from pathlib import Path
from pelican import signals
from pelican.generators import ArticlesGenerator
from newsarchive import incremental, parallel, split_output, views
from newsarchive.runner import run_build
mode = sys.argv[3]
heard = []
this_process = os.getpid()
if mode == "one-core":
    parallel.available_cores = lambda: 1
else:
    parallel.MIN_ITEMS = 8  # a small corpus still forks for parsing and for rendering
    incremental.BATCH = 40  # and renders in several batches, a copy rendering one while the next is made
    incremental.SPLIT_BATCH = 10
if mode in ("batches", "failing-batch", "failing-own-share"):  # the writing phase is not split
    split_output._may_split = lambda generators: False
# When each process forked, and when each of the split's two processes had written its share.
import time
def record(event, child=0):
    with open(sys.argv[2] + "-forks", "a") as records:
        records.write(f"{event} {os.getpid()} {time.monotonic()} {child}\\n")
forked, done_working, run_queue = parallel.Forked.__init__, split_output._done_working, incremental.run_queue
def record_fork(copy, work):
    forked(copy, work)
    record("fork", copy.pid)
def record_this_process_done():
    if split_output.SPLIT.working is not None:
        record("done")
    done_working()
def record_copy_done(*sender):  # the copy's last call: its last batch
    run_queue(*sender)
    if os.getpid() != this_process:
        record("done")
parallel.Forked.__init__ = record_fork
split_output._done_working = record_this_process_done
incremental.run_queue = record_copy_done
# Which process rendered each page.
make_and_write = incremental._make_and_write
def record_renderer(job):
    with open(sys.argv[2] + "-renderers", "a") as record:
        record.write(f"{os.getpid()} {job[0]}\\n")
    make_and_write(job)
incremental._make_and_write = record_renderer
if mode in ("copy-done-first", "this-done-first"):  # one of the two waits until the other is done
    waiting = ArticlesGenerator if mode == "this-done-first" else views.LanguageViewsGenerator
    write_pages = waiting.generate_output
    def wait_for_the_other(generator, writer):
        if (os.getpid() == this_process) == (mode == "copy-done-first"):
            deadline = time.monotonic() + 60
            while incremental._partner_busy() and time.monotonic() < deadline:
                time.sleep(0.01)
        write_pages(generator, writer)
    waiting.generate_output = wait_for_the_other
if mode == "failing-batch":  # the copy rendering the larger part of a batch fails
    def fail_in_copy(jobs):
        raise RuntimeError(f"could not render {len(jobs)} pages")
    incremental._render_share = fail_in_copy
if mode == "failing-own-share":  # this process fails while a copy renders the rest of the batch
    def fail_here(job):
        if incremental.BUILD.rendering is not None:
            raise RuntimeError("this process could not render its share")
        record_renderer(job)
    incremental._make_and_write = fail_here
if mode == "listening":  # a plugin's receiver of content_written, unknown to split_output.py
    def listen(path, context=None):
        if context.get("article") is not None:
            heard.append(path)
    signals.content_written.connect(listen)
if mode == "failing-copy":
    write_articles = ArticlesGenerator.generate_output
    def fail_in_copy(generator, writer):
        if os.getpid() != this_process:
            raise RuntimeError("the article pages could not be written")
        write_articles(generator, writer)
    ArticlesGenerator.generate_output = fail_in_copy
try:
    status = run_build(Path("pelicanconf.py"), Path(sys.argv[1]), Path(sys.argv[2]), SEARCH_INDEX=False,
                       EVENTS_TODAY="2020-06-01", CACHE_PATH=sys.argv[2] + "-cache")
finally:  # children: processes forked by the build and not waited for, running or not
    with open(f"/proc/self/task/{os.getpid()}/children") as children:
        print(json.dumps({"pid": this_process, "forks": parallel.forks, "splits": split_output.splits, "heard": len(heard),
                          "children": children.read().split()}))
sys.exit(status)
"""


def build_in_fresh_process(content, output, mode, succeeds=True) -> dict:
    """The build's count of forks and of split writing phases, and what it logged ("log")."""
    result = subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(content), str(output), mode],
                            cwd=PROJECT, capture_output=True, text=True, timeout=600)
    assert (result.returncode == 0) == succeeds, result.stderr[-3000:]
    last_line = (result.stdout.strip().splitlines() or [""])[-1]
    counts = json.loads(last_line) if last_line.startswith("{") else {}  # none when the build raised
    records = {}
    for name in ("forks", "renderers"):  # this build's: read, then removed for the next one
        path = output.parent / f"{output.name}-{name}"
        records[name] = [line.split(" ") for line in path.read_text().splitlines()] if path.exists() else []
        path.unlink(missing_ok=True)
    return {**counts, "log": result.stderr, "fork_records": records["forks"], "renderers": records["renderers"]}


def build_edit_and_rebuild(corpus, output, mode="two-cores") -> tuple[dict, dict]:
    """A cold build, a sentence added to the last file's body, and the rebuild: what both said."""
    first = build_in_fresh_process(corpus.folder, output, mode)
    edited = sorted(corpus.files)[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    return first, build_in_fresh_process(corpus.folder, output, mode)


def test_a_build_on_two_cores_equals_a_build_on_one(tmp_path):
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    # Bodies and summaries whose feed and page-head text differ from what was read (links and
    # pictures made absolute, a note dropped), and one that links another article: the text
    # prepared while reading on two cores must be what one process makes when it renders.
    from PIL import Image

    files = sorted(corpus.files)
    (corpus.folder / "images").mkdir()
    for number, article in enumerate(files[:6]):
        Image.new("RGB", (30, 20)).save(corpus.folder / "images" / f"photo{number}.png")
        text = re.sub(r"\nSummary: [^\n]*", f'\nSummary: Қысқаша <a href="/kk/">толығырақ</a> {number}',
                      article.read_text(encoding="utf-8"), count=1)
        text += f"\n<!-- редакторға -->\n![Сурет](/images/photo{number}.png)\n\n[Бөлім](/kk/)\n"
        if number == 5:
            text += f"\n[Алдыңғы]({{filename}}/{files[10].relative_to(corpus.folder).as_posix()})\n"
        article.write_text(text, encoding="utf-8")
    single = build_in_fresh_process(corpus.folder, tmp_path / "one-core", "one-core")
    assert single["forks"] == 0
    split = build_in_fresh_process(corpus.folder, tmp_path / "two-cores", "two-cores")
    # Checking, parsing, digesting, and the copy writing the article pages (split_output.py).
    assert split["splits"] == 1 and split["forks"] >= 4, split
    assert_no_fork_while_both_write(split)
    assert_same_site(tmp_path / "two-cores", tmp_path / "one-core")
    batches = build_in_fresh_process(corpus.folder, tmp_path / "batches", "batches")
    # Without the split: rendering in several batches of 40 files, part of each in a copy.
    assert batches["splits"] == 0 and batches["forks"] >= 6, batches
    assert_same_site(tmp_path / "batches", tmp_path / "one-core")


def assert_no_fork_while_both_write(build):
    """While the split's two processes both write, neither forks a third (split_output.py)."""
    records = [(event, int(pid), float(when), int(child)) for event, pid, when, child in build["fork_records"]]
    done = {pid: when for event, pid, when, _child in records if event == "done"}
    copy = next(pid for pid in done if pid != build["pid"])
    split = next(when for event, _pid, when, child in records if child == copy)
    both_write = [when for event, pid, when, child in records
                  if event == "fork" and child != copy and split < when < min(done.values())]
    assert len(done) == 2 and both_write == [], records


ARTICLE_PAGE = r"/report-\d+-\w+/index\.html$"
TAG_PAGE = r"/tags/"


def renderers(build, pages: str) -> set[str]:
    """The processes that rendered the pages whose path matches `pages`."""
    return {pid for pid, path in build["renderers"] if re.search(pages, path)}


def test_when_the_copy_is_done_first_this_process_shares_what_is_left_with_a_fork(tmp_path):
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    build = build_in_fresh_process(corpus.folder, tmp_path / "output", "copy-done-first")
    assert build["splits"] == 1
    assert_no_fork_while_both_write(build)
    copy = renderers(build, ARTICLE_PAGE)
    assert len(copy) == 1 and str(build["pid"]) not in copy
    shared = renderers(build, TAG_PAGE)
    assert str(build["pid"]) in shared and len(shared - copy) >= 2, "tag pages rendered here and in a new fork"
    build_in_fresh_process(corpus.folder, tmp_path / "one-core", "one-core")
    assert_same_site(tmp_path / "output", tmp_path / "one-core")


def test_when_this_process_is_done_first_the_copy_shares_what_is_left_with_a_fork(tmp_path):
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    build = build_in_fresh_process(corpus.folder, tmp_path / "output", "this-done-first")
    assert build["splits"] == 1
    assert_no_fork_while_both_write(build)
    assert renderers(build, TAG_PAGE) == {str(build["pid"])}
    article_renderers = renderers(build, ARTICLE_PAGE)
    assert len(article_renderers) >= 2 and str(build["pid"]) not in article_renderers, \
        "article pages rendered in the copy and in a fork of it"
    build_in_fresh_process(corpus.folder, tmp_path / "one-core", "one-core")
    assert_same_site(tmp_path / "output", tmp_path / "one-core")


def test_a_failure_in_a_copy_rendering_a_batch_fails_the_build_with_its_message(tmp_path):
    """incremental._run_batch: the copy renders its part while the build goes on; its failure is
    raised when the build next waits for it, before anything reads the output."""
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    failed = build_in_fresh_process(corpus.folder, tmp_path / "output", "failing-batch", succeeds=False)
    assert "RuntimeError: could not render" in failed["log"] and "fail_in_copy" in failed["log"]
    assert not (tmp_path / "output" / "sitemap.xml").exists()
    assert failed["children"] == []


def test_a_build_that_fails_ends_the_copy_still_rendering_its_batch(tmp_path):
    """runner.build: nothing of a failed build may go on writing after it (an interrupted publish
    removes the folder the copy writes in), nor be left unwaited for."""
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    failed = build_in_fresh_process(corpus.folder, tmp_path / "output", "failing-own-share", succeeds=False)
    assert "RuntimeError: this process could not render its share" in failed["log"]
    assert failed["forks"] >= 1 and failed["children"] == []


def test_a_rebuild_on_two_cores_keeps_attached_files_where_a_cold_build_puts_them(tmp_path):
    """Resolving an {attach} link may move the attached file: the articles digested in the
    forked half must not be the ones that do it (incremental.digest_articles)."""
    from PIL import Image

    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    (corpus.folder / "images").mkdir()
    for number, article in enumerate(sorted(corpus.files)[:6]):
        Image.new("RGB", (30, 20)).save(corpus.folder / "images" / f"photo{number}.png")
        article.write_text(article.read_text(encoding="utf-8")
                           + f"\n![Сурет]({{attach}}../../images/photo{number}.png)\n", encoding="utf-8")
    output = tmp_path / "output"
    build_in_fresh_process(corpus.folder, output, "two-cores")
    edited = sorted(corpus.files)[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    rebuilt = build_in_fresh_process(corpus.folder, output, "two-cores")
    assert rebuilt["forks"] >= 1
    build_in_fresh_process(corpus.folder, tmp_path / "cold", "two-cores")
    assert_same_site(output, tmp_path / "cold")
    pictures = 0
    for page in output.rglob("index.html"):
        for source in re.findall(r'<img [^>]*src="([^"]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / source).resolve().is_file(), f"{page}: {source}"
            pictures += 1
    assert pictures >= 6


def test_a_warning_from_parsing_on_two_cores_shows_on_every_build(tmp_path):
    """preparse.py parses on both cores before Pelican reads; a file whose parsing warned is kept
    neither by Pelican's cache nor by article_cache.py, so the next build warns again."""
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    files = sorted(corpus.files)
    for twice in files[3], files[4]:  # one parsed by each half
        twice.write_text(twice.read_text(encoding="utf-8").replace("\nTags: ", "\nTags: extra\nTags: ", 1),
                         encoding="utf-8")
    first, second = build_edit_and_rebuild(corpus, tmp_path / "output")
    unchanged = build_in_fresh_process(corpus.folder, tmp_path / "output", "two-cores")
    assert first["forks"] >= 2 and unchanged["forks"] == 0
    for build in first, second, unchanged:
        for twice in files[3], files[4]:
            assert f"Duplicate definition of `tags` for {twice}" in build["log"].replace("\n", " ")


def test_the_source_checks_on_two_cores_find_what_they_find_on_one(tmp_path):
    """validate.check_sources checks the files no cache holds half in a forked copy."""
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    files = sorted(corpus.files)
    for broken in files[3], files[4]:  # one checked by each half
        broken.write_text(broken.read_text(encoding="utf-8") + "\n[Ескі бет](/old/page.html)\n", encoding="utf-8")
    builds = [build_in_fresh_process(corpus.folder, tmp_path / mode, mode, succeeds=False)
              for mode in ("two-cores", "one-core")]
    assert builds[0]["forks"] >= 1 and builds[1]["forks"] == 0
    logs = [" ".join(build["log"].split()) for build in builds]
    problems = [sorted(re.findall(r"\S+\.md:\d+: link to /old/page\.html", log)) for log in logs]
    assert len(problems[0]) == 2 and problems[0] == problems[1]
    assert {problem.split(":")[0] for problem in problems[0]} == {str(files[3]), str(files[4])}


def test_a_warning_from_reading_an_article_ahead_shows_once_on_every_build(tmp_path):
    """preparse.py also makes the articles on both cores (article_cache.read_ahead), where what
    they log is held back: Pelican reads such a file again itself, so its warning shows once,
    and, the article being kept nowhere, again on the next build."""
    from PIL import Image

    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    (corpus.folder / "images").mkdir()
    Image.new("RGB", (30, 20)).save(corpus.folder / "images" / "picture.png")
    files = sorted(corpus.files)
    for warned in files[3], files[4]:  # one read by each half
        # Pelican warns about an empty alt text when it reads a file, after parsing it.
        warned.write_text(warned.read_text(encoding="utf-8") + "\n![]({static}/images/picture.png)\n",
                          encoding="utf-8")
    first, second = build_edit_and_rebuild(corpus, tmp_path / "output")
    unchanged = build_in_fresh_process(corpus.folder, tmp_path / "output", "two-cores")
    assert first["forks"] >= 2 and unchanged["forks"] == 0  # nothing changed: nothing read, shown again
    for build in first, second, unchanged:
        log = re.sub(r"\s+", " ", build["log"])
        for warned in files[3], files[4]:
            assert log.count(f"Empty alt attribute for image picture.png in {warned}") == 1, log[-3000:]


def test_a_rebuild_writes_the_article_pages_in_a_forked_copy_and_equals_a_cold_build(tmp_path):
    """split_output.py: the copy's pages, render keys, sitemap entries and ledger all come back."""
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    output = tmp_path / "output"
    assert build_in_fresh_process(corpus.folder, output, "two-cores")["splits"] == 1
    edited = sorted(corpus.files)[7]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    rebuilt = build_in_fresh_process(corpus.folder, output, "two-cores")
    assert rebuilt["splits"] == 1
    assert_no_fork_while_both_write(rebuilt)
    build_in_fresh_process(corpus.folder, tmp_path / "cold", "one-core")
    assert_same_site(output, tmp_path / "cold")
    # The next rebuild finds every page the split one produced, and leaves them as they are.
    pages_before = {path: path.stat().st_mtime_ns for path in output.rglob("*.html")}
    edited.write_text(edited.read_text(encoding="utf-8") + "\nТағы бір сөйлем.\n", encoding="utf-8")
    build_in_fresh_process(corpus.folder, output, "two-cores")
    rewritten = [path for path, mtime in pages_before.items() if path.stat().st_mtime_ns != mtime]
    assert len(rewritten) == 1, rewritten


def test_a_receiver_the_copy_could_not_report_to_keeps_the_writing_in_one_process(tmp_path):
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    _cold, rebuilt = build_edit_and_rebuild(corpus, tmp_path / "output", "listening")
    assert rebuilt["splits"] == 0
    assert rebuilt["heard"] == len(corpus.files), "every article page is reported, unchanged ones too"


def test_a_failure_in_the_copy_fails_the_build_with_its_message(tmp_path):
    corpus = make_corpus(tmp_path / "content", 40, seed=11)
    failed = build_in_fresh_process(corpus.folder, tmp_path / "output", "failing-copy", succeeds=False)
    assert "the article pages could not be written" in failed["log"], failed["log"][-3000:]
    assert not (tmp_path / "output" / "sitemap.xml").exists()
    assert failed["children"] == []


def test_each_build_declares_the_state_a_forked_copy_carries_back_anew(tmp_path):
    """split_output.carry keeps one entry per name: a process that builds again and again (the
    live preview) holds the last build's sitemap, not every build's."""
    from newsarchive import split_output
    from test_incremental import build_into

    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    build_into(corpus.folder, tmp_path / "first")
    first = dict(split_output._CARRIED)
    build_into(corpus.folder, tmp_path / "second")
    second = dict(split_output._CARRIED)
    assert first.keys() == second.keys() == {"sitemap", "article ledger", "progress"}
    assert first["sitemap"][0] != second["sitemap"][0], "the second build's sitemap replaced the first's"


def test_split_keeps_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "can_fork", lambda items: items >= 2)  # the runner may hold threads
    before = parallel.forks
    assert parallel.split(list(range(101)), lambda n: n * n) == [n * n for n in range(101)]
    assert parallel.forks == before + 1


@pytest.mark.parametrize("count", [2, 3, 101])
def test_a_contiguous_split_gives_the_child_the_second_half_in_order(count, monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda items: items >= 2)  # the runner may hold threads
    here = os.getpid()
    done_by = parallel.split(list(range(count)), lambda n: (n, os.getpid() == here), contiguous=True)
    assert [n for n, _ in done_by] == list(range(count))
    middle = (count + 1) // 2
    assert all(mine for _, mine in done_by[:middle]) and not any(mine for _, mine in done_by[middle:])


def test_a_failure_in_the_forked_half_is_raised_with_its_traceback(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda items: True)

    def work(n):
        if n == 7:  # odd items run in the child
            raise ValueError("item seven is broken")
        return n

    with pytest.raises(parallel.ChildFailed, match="item seven is broken"):
        parallel.split(list(range(10)), work)


def test_without_a_fork_the_work_runs_here(monkeypatch):
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    before = parallel.forks
    assert parallel.split(list(range(200)), str) == [str(n) for n in range(200)]
    assert parallel.forks == before


def test_an_error_logged_in_the_forked_half_is_counted_here(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda items: True)
    counted = []

    class Counter(logging.Handler):
        def emit(self, record):
            counted.append(record.getMessage())

    handler = Counter(level=logging.ERROR)
    logging.getLogger("pelican").addHandler(handler)
    try:
        parallel.split(list(range(10)), lambda n: logging.getLogger("pelican.writers").error("bad %d", n)
                       if n == 3 else n, collect=False)
    finally:
        logging.getLogger("pelican").removeHandler(handler)
    assert any("1 error(s) logged by the forked half" in message for message in counted)


def test_warnings_logged_in_the_forked_half_are_recorded_here(monkeypatch):
    """A build with nothing changed shows the last build's warnings again (runner.py): those a
    forked half logged must be in the record as well as those logged here."""
    monkeypatch.setattr(parallel, "can_fork", lambda items: True)
    before = parallel.forks

    def work(n):
        if n in (4, 7):  # even items run here, odd ones in the child
            logging.getLogger("pelican.writers").warning("item %d looks odd", n)
        return n

    recorder = WarningRecorder().install()
    try:
        parallel.split(list(range(10)), work)
    finally:
        recorder.remove()
    assert parallel.forks == before + 1
    assert sorted(recorder.messages) == ["item 4 looks odd", "item 7 looks odd"]


def test_each_file_is_stamped_once_per_build_for_pelicans_caches():
    """preparse._stamp_each_file_once: Pelican's caches stamp a file on every lookup and store;
    the first stamp stands for the build (taken before parsing, so an edit during the build
    still makes the next build parse the file again)."""
    from newsarchive import preparse

    class Cacher:
        def __init__(self):
            self.stamped = []

        def _get_file_stamp(self, filename):
            self.stamped.append(filename)
            return "" if filename == "unreadable.md" else f"mtime of {filename}"

    cacher = Cacher()
    preparse._stamp_each_file_once(cacher)
    for _ in range(3):
        assert cacher._get_file_stamp("a.md") == "mtime of a.md"
        assert cacher._get_file_stamp("unreadable.md") == ""  # Pelican's stamp when it could not stat
    assert cacher.stamped == ["a.md", "unreadable.md"]


def test_a_copy_is_seen_finished_without_waiting_for_it(monkeypatch):
    """split_output.py asks, between batches, whether the other process is done."""
    import time

    monkeypatch.setattr(parallel, "can_fork", lambda items: True)
    read_end, write_end = os.pipe()
    try:
        copy = parallel.Forked(lambda: os.read(read_end, 1))  # works until this process writes
        assert not copy.finished() and not parallel.readable(read_end)
        os.write(write_end, b"x")
        deadline = time.monotonic() + 30
        while not copy.finished() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert copy.finished() and copy.result() == b"x"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_files_are_made_here_only_while_the_other_process_of_the_split_works(monkeypatch):
    """incremental._make_while_partner_busy: the files left once the other is done are returned,
    to be shared with a new fork; it is asked again after every few files."""
    from newsarchive import incremental

    made = []
    monkeypatch.setattr(incremental, "_make_and_write", lambda job: made.append(job))
    monkeypatch.setattr(incremental, "BETWEEN_QUESTIONS", 10)
    answers = iter([True, True, True])  # busy for three questions, then done
    monkeypatch.setattr(incremental.BUILD, "partner_busy", lambda: next(answers, False))
    queue = list(range(95))
    assert incremental._make_while_partner_busy(queue) == queue[30:]
    assert made == queue[:30]
    assert incremental.BUILD.partner_busy is None  # done for good: not asked again
    assert incremental._make_while_partner_busy(queue[30:]) == queue[30:]
