"""A rebuild after any change leaves exactly the site a cold build of the same content would.

Each test builds a small generated corpus, changes something (an article's
body, a new, deleted or renamed article, a template, a setting), rebuilds
into the same output folder with the same cache, and compares every file's
bytes with a cold build of the changed content into a fresh folder.
"""
from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from pelican.settings import read_settings

from newsarchive import incremental, parallel
from newsarchive.benchmark import make_corpus
from newsarchive.runner import build
from sitebuild import PROJECT

ARTICLES = 30
SETTINGS = PROJECT / "pelicanconf.py"
# Fixed date for events, no Pagefind (it has its own tests), feeds at a fixed address.
QUICK = {"SEARCH_INDEX": False, "EVENTS_TODAY": "2020-06-01", "FEED_DOMAIN": "http://127.0.0.1:8000"}


def build_into(content: Path, output: Path, **overrides):
    """A build as `invoke build` runs it, with its own cache next to the output folder."""
    settings = {**QUICK, "CACHE_PATH": str(output.parent / (output.name + "-cache")),
                "THEME": str(PROJECT / "theme"), **overrides}
    return build(SETTINGS, content, output, **settings)


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns for path in folder.rglob("*")
            if path.is_file()}


def assert_same_site(rebuilt: Path, cold: Path):
    rebuilt_files, cold_files = tree(rebuilt), tree(cold)
    assert sorted(set(rebuilt_files) - set(cold_files)) == [], "files a cold build does not write"
    assert sorted(set(cold_files) - set(rebuilt_files)) == [], "files the rebuild is missing"
    differing = [name for name in cold_files if rebuilt_files[name] != cold_files[name]]
    assert differing == []


@pytest.fixture
def site(tmp_path):
    """A 30-article corpus, built once: (content folder, output folder, article files)."""
    corpus = make_corpus(tmp_path / "content", ARTICLES, seed=7)
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    return corpus.folder, output, sorted(corpus.files)


def rebuild_and_compare(tmp_path, content, output, **overrides):
    build_into(content, output, **overrides)
    cold = tmp_path / "cold"
    build_into(content, cold, **overrides)
    assert_same_site(output, cold)


def test_rebuild_after_editing_a_body_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    before = mtimes(output)
    edited = files[len(files) // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем қосылды.\n", encoding="utf-8")
    rebuild_and_compare(tmp_path, content, output)
    after = mtimes(output)
    rewritten = {name for name in after if before.get(name) != after[name]}
    # Only pages showing the article change: its own page among them, far from all of them.
    assert any(name.endswith("/index.html") and "/20" in name for name in rewritten)
    assert 0 < len(rewritten) < len(after) / 4


def test_a_rebuild_stamps_its_inputs_and_reads_the_last_manifest_once(tmp_path, site, monkeypatch):
    """The check that finds the site out of date hands what it read to the build it starts."""
    content, output, files = site
    calls = []
    for name in ("input_fingerprint", "_load"):
        original = getattr(incremental, name)
        monkeypatch.setattr(incremental, name, lambda settings, name=name, original=original: (
            calls.append(name), original(settings))[1])
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    assert build_into(content, output) is not None
    assert sorted(calls) == ["_load", "input_fingerprint"]
    monkeypatch.undo()
    assert build_into(content, output) is None  # the manifest it saved holds the stamps it took
    cold = tmp_path / "cold"
    build_into(content, cold)
    assert_same_site(output, cold)


def test_rebuild_after_adding_an_article_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    header, _, body = files[0].read_text(encoding="utf-8").partition("\n\n")
    added = content / "articles" / "2019" / "2019-03-03-a-new-report.kk.md"
    added.parent.mkdir(parents=True, exist_ok=True)
    header = "\n".join(line for line in header.splitlines()
                       if not line.startswith(("Slug:", "Translation_key:", "Date:", "Lang:")))
    added.write_text(header + "\nDate: 2019-03-03 10:00\nLang: kk\nSlug: a-new-report\n\n" + body, encoding="utf-8")
    rebuild_and_compare(tmp_path, content, output)
    assert (output / "kk" / "2019" / "03" / "a-new-report" / "index.html").is_file()


def test_a_picture_linked_with_attach_moves_next_to_its_article_and_back_when_unlinked(tmp_path, site):
    """Pelican's {attach}: the picture is published beside the page that links it (and only
    there), on a cold build and on a rebuild alike; once no article attaches it, it goes back."""
    from PIL import Image

    content, output, files = site
    (content / "images").mkdir(exist_ok=True)
    Image.new("RGB", (30, 20)).save(content / "images" / "attached.png")
    linking = files[0]
    body = linking.read_text(encoding="utf-8")
    linking.write_text(body + "\n![Сурет]({attach}../../images/attached.png)\n", encoding="utf-8")
    rebuild_and_compare(tmp_path, content, output)
    pictures = sorted(path.relative_to(output).as_posix() for path in output.rglob("attached.png"))
    assert len(pictures) == 1 and pictures[0] != "images/attached.png"
    page = output / Path(pictures[0]).parent / "index.html"
    assert page.is_file(), "the picture is not beside an article page"
    sources = [img.get("src") for img in lxml.html.parse(str(page)).xpath("//img") if "attached" in img.get("src")]
    assert len(sources) == 1 and (page.parent / sources[0]).resolve() == (output / pictures[0]).resolve()

    files[3].write_text(files[3].read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    shutil.rmtree(tmp_path / "cold"), shutil.rmtree(tmp_path / "cold-cache")
    rebuild_and_compare(tmp_path, content, output)
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("attached.png")) == pictures

    linking.write_text(body, encoding="utf-8")
    shutil.rmtree(tmp_path / "cold"), shutil.rmtree(tmp_path / "cold-cache")
    rebuild_and_compare(tmp_path, content, output)
    assert sorted(path.relative_to(output).as_posix() for path in output.rglob("attached.png")) == [
        "images/attached.png"]


def article_page(output: Path, source: Path) -> Path:
    """The page a generated article file became (its slug is the file name without the date)."""
    return next(output.rglob(f"{source.name.split('.')[0][11:]}/index.html"))


# Files written since a build started count as its own (Pagefind, plugins writing directly),
# with a slack for the file clock; a file the last build wrote within that slack and recorded
# as it still is must not. With an hour's slack, every file of the last build is that recent.
@pytest.mark.parametrize("clock_slack_ns", [None, 3600 * 10**9], ids=["after a while", "right after"])
def test_rebuild_after_deleting_an_article_removes_its_pages(tmp_path, site, monkeypatch, clock_slack_ns):
    if clock_slack_ns is not None:
        monkeypatch.setattr(incremental, "CLOCK_SLACK_NS", clock_slack_ns)
    content, output, files = site
    doomed = files[3]
    page = article_page(output, doomed)
    doomed.unlink()
    rebuild_and_compare(tmp_path, content, output)
    assert not page.exists()


def test_rebuild_after_renaming_an_article_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    renamed = files[5]
    old_slug = renamed.name.split(".")[0][11:]
    text = renamed.read_text(encoding="utf-8").replace(f"Slug: {old_slug}", "Slug: renamed-report")
    renamed.unlink()
    (renamed.parent / renamed.name.replace(old_slug, "renamed-report")).write_text(text, encoding="utf-8")
    rebuild_and_compare(tmp_path, content, output)
    assert not list(output.rglob(f"{old_slug}/index.html"))
    assert list(output.rglob("renamed-report/index.html"))


def test_rebuild_after_changing_a_template_equals_a_cold_build(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    corpus = make_corpus(tmp_path / "content", ARTICLES, seed=7)
    output = tmp_path / "output"
    build_into(corpus.folder, output, THEME=str(theme))
    template = theme / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<!-- changed template -->", 1), encoding="utf-8")
    rebuild_and_compare(tmp_path, corpus.folder, output, THEME=str(theme))
    page = next(output.rglob("report-*/index.html"))
    assert "<!-- changed template -->" in page.read_text(encoding="utf-8")


def test_templates_compiled_by_one_build_are_not_compiled_again_by_the_next(tmp_path, monkeypatch):
    """compiled_templates.py: Jinja2's bytecode cache in CACHE_PATH, shared by every generator."""
    import jinja2

    compiled = []
    monkeypatch.setattr(parallel, "can_fork", lambda items: False)  # a forked copy's compiling goes unseen
    compile_template = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, source, name=None, filename=None, *args, **kwargs:
                        compiled.append(name) or compile_template(env, source, name, filename, *args, **kwargs))
    corpus = make_corpus(tmp_path / "content", ARTICLES, seed=7)
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    assert "base.html" in compiled and len(compiled) == len(set(compiled)), "each template compiled once"
    compiled.clear()
    edited = sorted(corpus.files)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    build_into(corpus.folder, output)
    assert compiled == []
    assert "Жаңа сөйлем." in article_page(output, edited).read_text("utf-8")


def test_rebuild_after_changing_a_setting_equals_a_cold_build(tmp_path, site):
    content, output, _files = site
    rebuild_and_compare(tmp_path, content, output, SITENAME="Далa хабарлары", DEFAULT_PAGINATION=4)
    assert "Далa хабарлары" in (output / "kk" / "index.html").read_text(encoding="utf-8")


def test_rebuild_after_changing_the_markdown_settings_equals_a_cold_build(tmp_path, site):
    """Pelican's reader cache does not know the settings it was parsed with: it must not be reused."""
    content, output, files = site
    quoted = files[0]
    quoted.write_text(quoted.read_text(encoding="utf-8") + '\nОл "иә" деді.\n', encoding="utf-8")
    build_into(content, output)
    markdown = copy.deepcopy(read_settings(str(SETTINGS))["MARKDOWN"])
    markdown["extension_configs"]["markdown.extensions.smarty"] = {"smart_quotes": True}
    rebuild_and_compare(tmp_path, content, output, MARKDOWN=markdown)
    slug = quoted.name.split(".")[0][11:]
    page = next(output.rglob(f"{slug}/index.html")).read_text(encoding="utf-8")
    assert "&ldquo;иә&rdquo;" in page or "“иә”" in page


def test_rebuild_with_no_change_does_nothing_and_writes_no_file(site):
    content, output, _files = site
    before = mtimes(output)
    assert build_into(content, output) is None  # the manifest says the site is up to date
    assert mtimes(output) == before


def test_rebuild_with_no_change_still_renders_when_forced_and_writes_no_file(site):
    content, output, _files = site
    before = mtimes(output)
    # INCREMENTAL_BUILD off skips the manifest: every page is rendered, none has new bytes.
    assert build_into(content, output, INCREMENTAL_BUILD=False) is not None
    assert mtimes(output) == before


REBUILD_IN_A_FRESH_PROCESS = """
import json, sys
from pathlib import Path
sys.path.insert(0, "plugins")
from newsarchive import incremental
from newsarchive.runner import build
ran = build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), **json.loads(sys.argv[4])) is not None
print(json.dumps({"ran": ran, "checked_ahead": incremental.BUILD.altered_outputs is not None}))
"""


def last_line_of_a_fresh_process(script: str, *arguments) -> str:
    """Run `script` in a new Python process in the project's folder, as `invoke build` runs (no
    threads of the test session: builds there fork); its last line of output."""
    result = subprocess.run([sys.executable, "-c", script, *map(str, arguments)], cwd=PROJECT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(params=["checked-ahead", "checked-per-page"])
def rebuild_checking_outputs(request, monkeypatch):
    """A rebuild (content, output) -> whether it ran. The last build's files are checked in a
    forked copy as the build starts (incremental._check_outputs): in a fresh process, as
    `invoke build` runs, since a process with other threads (the test session's servers) does
    not fork. Or, where the build cannot fork, each as its page is decided."""
    if request.param == "checked-per-page":
        monkeypatch.setattr(parallel, "can_fork", lambda items: False)

        def rebuild(content, output):
            ran = build_into(content, output) is not None
            assert incremental.BUILD.altered_outputs is None
            return ran
        return rebuild

    def rebuild_in_a_fresh_process(content, output):
        settings = {**QUICK, "CACHE_PATH": str(output.parent / (output.name + "-cache")),
                    "THEME": str(PROJECT / "theme")}
        outcome = json.loads(last_line_of_a_fresh_process(REBUILD_IN_A_FRESH_PROCESS, SETTINGS, content, output,
                                                          json.dumps(settings)))
        assert outcome["checked_ahead"] or not outcome["ran"]
        return outcome["ran"]
    return rebuild_in_a_fresh_process


def test_a_deleted_output_file_is_written_again(tmp_path, site, rebuild_checking_outputs):
    content, output, _files = site
    lost = output / "kk" / "index.html"
    lost.unlink()
    assert rebuild_checking_outputs(content, output)
    assert lost.is_file()
    cold = tmp_path / "cold"
    build_into(content, cold)
    assert_same_site(output, cold)


def test_a_modified_output_file_is_restored(site, rebuild_checking_outputs):
    content, output, _files = site
    page = output / "kk" / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"<body", b"<body data-tampered", 1))
    assert rebuild_checking_outputs(content, output)
    assert page.read_bytes() == original


def test_a_page_written_earlier_in_the_build_is_not_kept_over_its_new_bytes(tmp_path, monkeypatch):
    """incremental._reusable: a file this build has already written (or queued) for another page
    (Pelican's override_output) is not as the last build left it, whatever the check at the start
    found."""
    output = tmp_path / "output"
    page = str(output / "kk" / "index.html")
    build = incremental.BUILD
    monkeypatch.setattr(build, "reusable_keys", {"kk/index.html": "key"})
    monkeypatch.setattr(build, "altered_outputs", set())
    monkeypatch.setattr(build, "produced", set())
    assert incremental._reusable(page, "kk/index.html", "key")
    assert not incremental._reusable(page, "kk/index.html", "another key")
    build.produced.add(page)
    assert not incremental._reusable(page, "kk/index.html", "key")
    build.produced.clear()
    build.altered_outputs.add("kk/index.html")
    assert not incremental._reusable(page, "kk/index.html", "key")


def test_a_failed_build_does_not_let_the_next_one_skip(tmp_path, site):
    content, output, files = site
    broken = files[0]
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("Lang: ", "Lang: xx", 1), encoding="utf-8")
    with pytest.raises(Exception):
        build_into(content, output)
    broken.write_text(good, encoding="utf-8")
    # The content is back as it was when the manifest was written, yet the failed
    # build may have written files: the next build must run, and match a cold one.
    assert build_into(content, output) is not None
    cold = tmp_path / "cold"
    build_into(content, cold)
    assert_same_site(output, cold)


def test_the_manifest_is_off_for_publish_builds(tmp_path):
    from pelican.settings import read_settings

    settings = read_settings(str(PROJECT / "publishconf.py"), override={"OUTPUT_PATH": str(tmp_path / "out"),
                                                                        "CACHE_PATH": str(tmp_path / "cache")})
    assert incremental.enabled(settings) is False
    assert incremental.up_to_date(settings) is False


def test_an_edit_under_a_symlinked_year_folder_is_not_skipped(tmp_path):
    # Pelican follows linked folders when it reads content; the no-change check must see them too.
    elsewhere = tmp_path / "shared-year"
    (elsewhere).mkdir()
    article = elsewhere / "2023-07-05-tazhiribe-almasty.kk.md"
    article.write_text("Title: Тәжірибе алмасты\nDate: 2023-07-05 09:00\nLang: kk\n\nМәтін.\n", encoding="utf-8")
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "2023").symlink_to(elsewhere, target_is_directory=True)
    output = tmp_path / "output"
    build_into(content, output)
    article.write_text(article.read_text(encoding="utf-8").replace("Мәтін.", "Жаңартылған мәтін."),
                       encoding="utf-8")
    assert build_into(content, output) is not None, "the edit was skipped as 'nothing changed'"
    page = (output / "kk" / "2023" / "07" / "tazhiribe-almasty" / "index.html").read_text(encoding="utf-8")
    assert "Жаңартылған мәтін." in page


CALENDARS_IMPORTED = """
import sys
from pathlib import Path
sys.path.insert(0, "plugins")
from newsarchive import parallel
from newsarchive.runner import build
parallel.can_fork = lambda items: False  # every calendar this build makes, it makes in this process
build(Path("pelicanconf.py"), Path(sys.argv[1]), Path(sys.argv[2]), SEARCH_INDEX=False, EVENTS_TODAY="2020-06-01",
      CACHE_PATH=sys.argv[2] + "-cache")
print("icalendar" in sys.modules)
"""


def test_a_rebuild_that_changes_no_calendar_does_not_load_icalendar(tmp_path):
    """icalendar takes a noticeable part of a rebuild's start to import: it is imported by the
    process that makes a calendar (events._calendar_bytes), and most rebuilds make none."""
    corpus = make_corpus(tmp_path / "content", ARTICLES, seed=7)
    output = tmp_path / "output"

    def build_in_fresh_process() -> bool:
        return last_line_of_a_fresh_process(CALENDARS_IMPORTED, corpus.folder, output) == "True"

    assert build_in_fresh_process()  # a cold build makes every calendar
    edited = next(path for path in sorted(corpus.files) if "Event_start" not in path.read_text(encoding="utf-8"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    assert not build_in_fresh_process()
    assert list(output.rglob("*.ics"))
