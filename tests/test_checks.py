"""Strict content checks: one bad file per check, named with its exact line; a clean archive passes.

Every case is checked three ways: `invoke check`'s in-process runner prints
`path:line: …` and counts an error, the real build raises ContentError with
the same line, and nothing is written outside the output folder.
"""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from pelican import signals

from contentfactory import write_article
from newsarchive import sanitize
from newsarchive.errors import ContentError, display_path
from newsarchive.validate import SourceFile, _check_source, check_site
from sitebuild import PROJECT, build_site

QUICK = {"SEARCH_INDEX": False}  # no Pagefind: these sites are never searched


def clean_archive(content: Path) -> None:
    """Two languages of one event report, with an image and links that all resolve."""
    (content / "images").mkdir(parents=True, exist_ok=True)
    (content / "images" / "hall.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    write_article(content, "Павлодарда жиын өтті", lang="kk", date="2024-01-28 10:00",
                  slug="pavlodar-meeting", translation_key="pavlodar-meeting", category="event-report",
                  tags="жиын", regions="KZ-55", event_start="2024-01-27", event_end="2024-01-28",
                  body="![Зал]({static}/images/hall.jpg)\n\n[Орысша]({filename}2024-01-28-pavlodar-meeting.ru.md) "
                       "және [тегтер](/kk/tags/) мен [өңір](/kk/regions/pavlodar-oblysy/), [арна](/kk/feeds/all.atom.xml).")
    write_article(content, "Собрание в Павлодаре", lang="ru", date="2024-01-28 10:00",
                  slug="pavlodar-meeting", translation_key="pavlodar-meeting", category="event-report",
                  tags="собрание", regions="KZ-55", event_start="2024-01-27", event_end="2024-01-28",
                  image="/images/hall.jpg",
                  body="[Қазақша](/kk/2024/01/pavlodar-meeting/) [Лента](/ru/) [архив](../../../archive/2024/01/)"
                       "\n\n![Зал](/images/hall.jpg)")


def raw(content: Path, name: str, text: str | bytes) -> Path:
    path = content / "articles" / "2024" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = textwrap.dedent(text).lstrip("\n").encode("utf-8")
    path.write_bytes(text)
    return path


@dataclass
class Case:
    check: str
    write: Callable[[Path], Path]  # writes the bad file, returns its path
    line: int
    says: str  # a fragment of the message


def _latin1(content):
    text = "Title: Сәлем\nDate: 2024-01-05 10:00\nLang: kk\n\nЖақсы café\n".encode("utf-8")
    return raw(content, "latin1.kk.md", text.replace("é".encode("utf-8"), "é".encode("latin-1")))


CASES = [
    Case("unreadable", _latin1, 5, "not valid UTF-8 at byte 65 (bytes e9 0a)"),
    Case("tag", lambda c: write_article(c, "Тегтер", tags="білім, «»—"), 4, "tag '«»—' has no letter or digit"),
    Case("control-character", lambda c: write_article(c, "Қоңырау\x07 соғылды", body="Мәтін.\n\nЕкінші\x0b абзац."),
         1, "control character U+0007 at column 15"),
    Case("title", lambda c: raw(c, "no-title.kk.md", """
        Date: 2024-01-05 10:00
        Lang: kk

        Мәтін.
        """), 1, "no Title in the header"),
    Case("title", lambda c: raw(c, "empty-title.kk.md", """
        Lang: kk
        Date: 2024-01-05 10:00
        Title:

        Мәтін.
        """), 3, "empty Title"),
    Case("date", lambda c: raw(c, "no-date.kk.md", """
        Title: Күнсіз
        Lang: kk

        Мәтін.
        """), 1, "no Date in the header"),
    Case("date", lambda c: write_article(c, "Орысша күн", date="05.06.2024", filename="x.kk.md"),
         2, "Date '05.06.2024' is not a date"),
    Case("date", lambda c: write_article(c, "Ақпан отызы", date="2024-02-30 10:00"),
         2, "Date '2024-02-30 10:00' is impossible (day is out of range for month)"),
    Case("date", lambda c: write_article(c, "Жиырма бесінші сағат", date="2024-03-01 25:00"),
         2, "is impossible (hour must be in 0..23)"),
    Case("language", lambda c: write_article(c, "Deutsch", lang="de", filename="2024-01-05-deutsch.de.md"),
         3, "unknown language 'de' (allowed: kk, ky, ru, en)"),
    Case("category", lambda c: write_article(c, "Өсек", category="gossip"),
         4, "unknown category 'gossip'"),
    Case("region", lambda c: write_article(c, "Белгісіз өңір", category="news", regions="KZ-55, KZ-99"),
         5, "unknown region code 'KZ-99'"),
    Case("status", lambda c: write_article(c, "Мәртебе", status="archived"),
         4, "unknown status 'archived' (allowed: published, hidden, draft, skip)"),
    Case("duplicate-url", lambda c: write_article(c, "Басқа мақала", date="2024-01-05 10:00",
                                                  slug="pavlodar-meeting", filename="zz-copy.kk.md"),
         4, "would both be published at /kk/2024/01/pavlodar-meeting/"),
    Case("translation-group", lambda c: write_article(c, "Екінші қазақша нұсқа", translation_key="pavlodar-meeting",
                                                      filename="zz-second.kk.md"),
         4, "translation key 'pavlodar-meeting' has two kk articles"),
    Case("event-dates", lambda c: write_article(c, "Meeting in Pavlodar", lang="en", date="2024-01-28 10:00",
                                                translation_key="pavlodar-meeting", event_start="2024-01-26",
                                                event_end="2024-01-28", filename="zz-meeting.en.md"),
         5, "Event_start 2024-01-26 differs from 2024-01-27"),
    Case("broken-link", lambda c: write_article(c, "Жоқ бет", body="Кіріспе.\n\nҚараңыз: [есеп](/kk/2019/01/no-such-report/)."),
         7, "link to /kk/2019/01/no-such-report/, a page this site does not have"),
    Case("broken-link", lambda c: write_article(c, "Жоқ файл", body="Бір.\n\nЕкі.\n\n[Есеп]({filename}2023-01-01-gone.kk.md)"),
         9, "file {filename}2023-01-01-gone.kk.md does not exist"),
    Case("missing-image", lambda c: write_article(c, "Суретсіз", body="![Сурет]({static}/images/missing.jpg)"),
         5, "image {static}/images/missing.jpg does not exist"),
    Case("missing-image", lambda c: write_article(c, "Бөгде сурет", body="Мәтін.\n\n![x](https://example.com/photo.jpg)"),
         7, "image https://example.com/photo.jpg is not in content/"),
    Case("missing-image", lambda c: write_article(c, "Мұқаба", image="cover.jpg"),
         4, "image cover.jpg is not in content/ (no content/articles/2024/cover.jpg)"),
    Case("unknown-metadata", lambda c: write_article(c, "Тег қатесі", tag="білім"),
         4, "unknown metadata key 'Tag' (did you mean Tags?)"),
    Case("unsafe-path", lambda c: write_article(c, "Жол", slug="../../../../escaped", filename="escape.kk.md"),
         4, "Slug '../../../../escaped' is not a plain slug"),
    Case("unsafe-path", lambda c: write_article(c, "Сақтау", save_as="/tmp/escaped.html"),
         4, "Save_as overrides where the article is published"),
]


def case_id(case: Case) -> str:
    return f"{case.check}-{CASES.index(case)}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_each_bad_file_is_named_with_its_line_by_check_and_build(tmp_path, case):
    content = tmp_path / "content"
    clean_archive(content)
    bad = case.write(content)
    where = f"{display_path(str(bad))}:{case.line}: "

    report = io.StringIO()
    errors = check_site(PROJECT / "pelicanconf.py", content=content, out=report,
                        OUTPUT_PATH=str(tmp_path / "check-out"), CACHE_PATH=str(tmp_path / "cache"),
                        LOAD_CONTENT_CACHE=False, **QUICK)
    lines = report.getvalue().splitlines()
    assert errors >= 1
    assert any(line.startswith(where) and case.says in line for line in lines), report.getvalue()
    assert case.check in lines[-1]  # the count names the check ids
    assert not (tmp_path / "check-out").exists()  # checking writes no site

    with pytest.raises(ContentError) as failure:
        build_site(content, tmp_path / "site" / "out", **QUICK)
    assert any(str(p).startswith(where) and case.says in str(p) for p in failure.value.problems), str(failure.value)
    # Nothing escaped the output folder, whatever the metadata asked for.
    assert not list((tmp_path / "site").glob("escaped*")) and not Path("/tmp/escaped.html").exists()


def test_clean_archive_passes_check_and_builds(tmp_path):
    content = tmp_path / "content"
    clean_archive(content)
    report = io.StringIO()
    assert check_site(PROJECT / "pelicanconf.py", content=content, out=report,
                      OUTPUT_PATH=str(tmp_path / "out"), CACHE_PATH=str(tmp_path / "cache"), **QUICK) == 0
    assert report.getvalue().splitlines() == ["No problems in 2 article files (kk 1, ru 1)."]
    out = build_site(content, tmp_path / "out", **QUICK)
    assert (out / "kk" / "2024" / "01" / "pavlodar-meeting" / "index.html").is_file()
    assert (out / "images" / "hall.jpg").is_file()


def test_invoke_check_and_build_exit_non_zero_with_one_line_per_problem(tmp_path):
    content = tmp_path / "content"
    clean_archive(content)
    bad_date = write_article(content, "Ақпан отызы", date="2024-02-30 10:00")
    typo = write_article(content, "Тег қатесі", tag="білім")

    check = subprocess.run([sys.executable, "-m", "invoke", "check", "--content", str(content)],
                           cwd=PROJECT, capture_output=True, text=True)
    assert check.returncode == 1, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    assert lines[:2] == [
        f"{typo}:4: unknown metadata key 'Tag' (did you mean Tags?)",
        f"{bad_date}:2: Date '2024-02-30 10:00' is impossible (day is out of range for month) "
        "(ISO 8601, e.g. 2020-05-20 or 2020-05-20 10:00)",
    ]
    assert lines[2].startswith("2 problems, 0 warnings in 4 article files")

    build = subprocess.run([sys.executable, "-m", "invoke", "build", "--content", str(content),
                            "--output", str(tmp_path / "out")], cwd=PROJECT, capture_output=True, text=True)
    assert build.returncode != 0
    assert "2 content problems" in build.stdout + build.stderr
    assert not (tmp_path / "out" / "kk").exists()


def test_named_checks_can_be_warnings_for_a_migration(tmp_path):
    content = tmp_path / "content"
    clean_archive(content)
    bad = write_article(content, "Ескі сілтеме", body="[Ескі сайт](/old/page.html)")
    overrides = dict(CHECKS_AS_WARNINGS=["broken-link"], **QUICK)

    report = io.StringIO()
    assert check_site(PROJECT / "pelicanconf.py", content=content, out=report, CACHE_PATH=str(tmp_path / "cache"),
                      **overrides) == 0
    assert f"{bad}:5: warning: link to /old/page.html, a page this site does not have" in report.getvalue()
    assert "0 problems, 1 warning" in report.getvalue()
    out = build_site(content, tmp_path / "out", **overrides)
    assert (out / "kk" / "2024" / "01" / "eski-silteme" / "index.html").is_file()


RUN_BUILD = """
import sys
sys.path.insert(0, "plugins")
from pathlib import Path
from newsarchive.runner import run_build
sys.exit(run_build(Path("pelicanconf.py"), Path(sys.argv[1]), Path(sys.argv[2]), CACHE_PATH=sys.argv[3],
                   CHECKS_AS_WARNINGS=["broken-link"], BUILD_PROGRESS=True, SEARCH_INDEX=False))
"""


def test_a_build_that_finds_nothing_changed_shows_the_last_builds_warnings_again(tmp_path):
    """Each `invoke build` is a new process: a warning must not vanish only because nothing changed."""
    content = tmp_path / "content"
    clean_archive(content)
    bad = write_article(content, "Ескі сілтеме", body="[Ескі сайт](/old/page.html)")
    warning = "link to /old/page.html, a page this site does not have"

    def build() -> tuple[str, str]:
        result = subprocess.run([sys.executable, "-c", RUN_BUILD, str(content), str(tmp_path / "out"),
                                 str(tmp_path / "cache")], cwd=PROJECT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return " ".join(result.stdout.split()), " ".join(result.stderr.split())

    first_out, first_log = build()
    again_out, again_log = build()
    assert "Nothing changed" not in first_out and first_log.count(warning) == 1
    assert "Nothing changed since the last build; 0 files written (the 1 warning(s) above are the last build's)" \
        in again_out
    assert again_log.count(warning) == 1 and bad.name in again_log and "a warning by CHECKS_AS_WARNINGS" in again_log

    bad.write_text(bad.read_text(encoding="utf-8").replace("/old/page.html", "/kk/tags/"), encoding="utf-8")
    fixed_out, fixed_log = build()
    still_out, still_log = build()
    assert "Nothing changed" not in fixed_out and "Nothing changed since the last build; 0 files written" in still_out
    assert warning not in fixed_log and warning not in still_log and "warning(s) above" not in still_out


def test_checks_that_would_drop_an_article_cannot_be_warnings(tmp_path):
    content = tmp_path / "content"
    clean_archive(content)
    with pytest.raises(ContentError, match=r"cannot turn 'date' into warnings \(allowed: broken-link, control-character, event-dates"):
        build_site(content, tmp_path / "out", CHECKS_AS_WARNINGS=["date"], **QUICK)


# --- fixture plugins: a reader that fails, a plugin that loses an article ---------------------------

READER_FAILS = '''
from pelican import signals

def explode(generator, metadata):
    if metadata.get("title") == "Жарылыс":
        raise ValueError("the markup extension choked on line 7")

def register():
    signals.article_generator_context.connect(explode)
'''

LOSES_ARTICLE = '''
from pelican import signals

def lose(generator):
    generator.articles = [a for a in generator.articles if a.title != "Жоғалған"]

def register():
    signals.article_generator_finalized.connect(lose)
'''


@pytest.fixture
def fixture_plugin(tmp_path):
    """Build settings that load one extra plugin; its receivers are disconnected afterwards."""
    loaded = []

    def settings_with(name: str, source: str) -> dict:
        folder = tmp_path / "fixture_plugins"
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
        loaded.append(name)
        return {"PLUGIN_PATHS": [str(PROJECT / "plugins"), str(folder)], "PLUGINS": ["newsarchive", name], **QUICK}

    yield settings_with
    for name in loaded:
        module = sys.modules.pop(name, None)
        for receiver in ("explode", "lose"):
            if module is not None and hasattr(module, receiver):
                for signal in (signals.article_generator_context, signals.article_generator_finalized):
                    signal.disconnect(getattr(module, receiver))


def test_a_file_the_reader_fails_on_stops_the_build_with_the_readers_message(tmp_path, fixture_plugin):
    content = tmp_path / "content"
    clean_archive(content)
    bad = write_article(content, "Жарылыс")
    settings = fixture_plugin("reader_fails", READER_FAILS)
    with pytest.raises(ContentError) as failure:
        build_site(content, tmp_path / "out", **settings)
    assert [str(p) for p in failure.value.problems] == [
        f"{bad}:1: cannot be read: the markup extension choked on line 7 (a Markdown file with a metadata header)"]


def test_an_article_lost_after_reading_fails_the_build_by_accounting(tmp_path, fixture_plugin):
    content = tmp_path / "content"
    clean_archive(content)
    lost = write_article(content, "Жоғалған")
    settings = fixture_plugin("loses_article", LOSES_ARTICLE)
    with pytest.raises(ContentError) as failure:
        build_site(content, tmp_path / "out", **settings)
    assert [str(p) for p in failure.value.problems] == [
        f"{lost}: no page was written for this article (kk: 2 article files found, 1 page written) "
        "(every article file becomes a page; `Status: skip` leaves one out on purpose)"]


def test_drafts_and_hidden_articles_are_accounted_for(tmp_path):
    from pelican import Pelican

    from sitebuild import site_settings

    content = tmp_path / "content"
    clean_archive(content)
    write_article(content, "Жоба", status="draft")
    write_article(content, "Жасырын", status="hidden")
    write_article(content, "Өткізілген", status="skip")
    pelican = Pelican(site_settings(content, tmp_path / "out", **QUICK))
    pelican.run()
    assert pelican.article_accounting.splitlines() == [
        "kk: 3 article files, 3 pages written (1 listed, 1 draft, 1 hidden)",
        "ru: 1 article file, 1 page written (1 listed, 0 drafts, 0 hidden)",
        f"Status: skip, not written: {display_path(str(content / 'articles/2024/2024-01-28-otkizilgen.kk.md'))}",
    ]
    assert (tmp_path / "out" / "drafts" / "kk" / "zhoba" / "index.html").is_file()


def test_control_characters_as_warnings_are_removed_from_the_published_page(tmp_path):
    content = tmp_path / "content"
    write_article(content, "Қоңырау\x07 соғылды", date="2024-01-05 10:00", body="Бірінші\x0b абзац.")
    out = build_site(content, tmp_path / "out", CHECKS_AS_WARNINGS=["control-character"], **QUICK)
    text = (out / "kk" / "2024" / "01" / "qonyrau-sogyldy" / "index.html").read_text(encoding="utf-8")
    assert "\x07" not in text and "\x0b" not in text
    assert "Қоңырау соғылды" in text and "Бірінші абзац." in text


def test_control_characters_are_found_on_their_line_and_tabs_and_line_ends_are_not(tmp_path):
    path = tmp_path / "a.kk.md"
    path.write_bytes("Title: Сәлем\r\nDate: 2024-01-05 10:00\r\n\r\nМәтін\tбар.\r\nСоңғы\x1f жол\x7f\n".encode())
    source = SourceFile("a.kk.md", str(path))
    _check_source(source, {})
    assert [(finding.check, finding.line, finding.message) for finding in source.findings] == [
        ("control-character", 5, "control character U+001F at column 6")]

    path.write_bytes(path.read_bytes().replace(b"\x1f", b"").replace(b"\x7f", b""))
    source = SourceFile("a.kk.md", str(path))
    _check_source(source, {})
    assert source.findings == []


def test_each_list_of_video_hosts_has_its_own_sanitizer():
    frame = '<iframe src="https://player.vimeo.com/video/1"></iframe>'
    allowed = sanitize.clean_html(frame)
    assert 'src="https://player.vimeo.com/video/1"' in allowed and 'sandbox="allow-scripts' in allowed
    assert sanitize.clean_html(frame, ["www.youtube.com"]) == ""  # not allowed: the frame goes
    assert sanitize.clean_html(frame, ("PLAYER.VIMEO.COM",)) == allowed
    assert sanitize.clean_html(frame, list(sanitize.DEFAULT_VIDEO_EMBED_HOSTS)) == allowed
