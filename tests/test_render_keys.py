"""Render keys (incremental.py, fingerprint.py) cover everything a page shows.

A rebuild skips rendering a page whose render key is unchanged, so the key
must change whenever the page's bytes would. This file proves it:

- guards on the theme's templates: every variable a template reads is a page
  variable its writer passes (digested with the page), a site-wide value the
  site digest covers (the settings, `sections`) or a Jinja global of the
  plugin; a template that shows more of a language section than its address
  is listed in `incremental.SECTION_SHOWN_IN_FULL`. A template that starts
  reading something new fails here, not silently in a stale rebuild;
- after editing an article's title, tags, category or event date, adding a
  translation or deleting an article others list as related, a rebuild
  leaves byte for byte the site a cold build of the changed content writes;
- a rebuild after a one-article body edit renders a small fraction of the
  pages, and a rebuild with the same content renders none;
- a page changed by hand on disk is rendered again although its key is not.

Builds use small generated corpora (newsarchive.benchmark.make_corpus) and
the helpers of test_incremental.py.
"""
from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, meta, nodes
from pelican.contents import Article

from newsarchive import calendars, events, feeds, fingerprint, incremental, parallel, split_output
from newsarchive.benchmark import make_corpus
from newsarchive.fragments import FragmentCache
from sitebuild import PROJECT
from test_incremental import ARTICLES, assert_same_site, build_into, mtimes, tree

TEMPLATES = PROJECT / "theme" / "templates"
# One corpus with translations, related reports, and events in the past and upcoming (QUICK's EVENTS_TODAY).
SEED = 7
# What every page may show of a language section without being listed in SECTION_SHOWN_IN_FULL.
SECTION_ADDRESS = {"url", "lang", "index_url", "language"}


# ---- building and editing ---------------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    """A 30-article corpus built once: (content folder, output folder, article files)."""
    corpus = make_corpus(tmp_path / "content", ARTICLES, seed=SEED)
    output = tmp_path / "output"
    build_into(corpus.folder, output)
    return corpus.folder, output, sorted(corpus.files)


def rebuild_equals_cold_build(tmp_path, content, output):
    """Rebuild into the same output folder, then compare it with a cold build of the same content."""
    build_into(content, output)
    cold = tmp_path / "cold"
    build_into(content, cold)
    rebuilt_files, cold_files = tree(output), tree(cold)
    stale = [name for name in cold_files if name in rebuilt_files and rebuilt_files[name] != cold_files[name]]
    assert stale == [], "files the rebuild left different from a cold build:\n" + "\n".join(
        first_difference(name, rebuilt_files[name], cold_files[name]) for name in stale)
    assert_same_site(output, cold)  # and the same files


def first_difference(name: str, rebuilt: bytes, cold: bytes) -> str:
    rebuilt_lines, cold_lines = rebuilt.decode("utf-8").splitlines(), cold.decode("utf-8").splitlines()
    diff = list(difflib.unified_diff(rebuilt_lines, cold_lines, "rebuilt", "cold", n=0, lineterm=""))
    return f"{name}:\n  " + "\n  ".join(diff[2:8])


def header(path: Path) -> dict[str, str]:
    head = path.read_text(encoding="utf-8").partition("\n\n")[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def set_header(path: Path, name: str, value: str):
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    head, count = re.subn(rf"^{name}: .*$", lambda _match: f"{name}: {value}", head, flags=re.M)
    assert count == 1, f"{path.name} has no {name} line"
    path.write_text(head + "\n\n" + body, encoding="utf-8")


def add_report_like(model: Path, slug: str, left_out=(), lines=()) -> Path:
    """A new report file next to `model`: its header but its slug and the lines starting with
    `left_out`, then `lines` and the new slug, and its body."""
    head, _, body = model.read_text(encoding="utf-8").partition("\n\n")
    kept = [line for line in head.splitlines() if not line.startswith(("Slug:", *left_out))]
    added = model.with_name(f"{slug}.md")
    added.write_text("\n".join([*kept, *lines, f"Slug: {slug}"]) + "\n\n" + body, encoding="utf-8")
    return added


def assert_events_pages_rendered_in(rendered_paths: list, lang: str):
    """The events pages rendered are `lang`'s own, its index among them."""
    events_pages = [path for path in rendered_paths if path.endswith(".html") and "/events/" in path]
    assert f"{lang}/events/index.html" in events_pages
    assert [path for path in events_pages if not path.startswith(f"{lang}/events/")] == []


def page_of(output: Path, article: Path) -> Path:
    return next(output.rglob(f"{header(article)['Slug']}/index.html"))


def related_slugs(page: Path) -> list[str]:
    """The slugs of the reports an article page lists under «Related reports»."""
    match = re.search(r'<section class="related".*?</section>', page.read_text(encoding="utf-8"), re.S)
    return re.findall(r'href="[^"]*/([^/"]+)/"', match.group(0)) if match else []


def most_related(output: Path, files: list[Path]) -> Path:
    """The article other articles list most often as related (it shows on most pages)."""
    counts = defaultdict(int)
    for article in files:
        for slug in related_slugs(page_of(output, article)):
            counts[slug] += 1
    return max(files, key=lambda article: (counts[header(article)["Slug"]], article.name))


def newest_in_its_language(_output: Path, files: list[Path]) -> Path:
    """The newest article of the language with most articles: its front page, its neighbour and the
    language chooser show its title."""
    by_lang = defaultdict(list)
    for article in files:
        by_lang[header(article)["Lang"]].append(article)
    articles = max(by_lang.values(), key=len)
    return max(articles, key=lambda article: header(article)["Date"])


# ---- what the templates read ------------------------------------------------------------------

def theme_environment() -> Environment:
    """Enough of a Jinja environment to parse the theme (its i18n and cache tags) and follow its includes."""
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), extensions=["jinja2.ext.i18n", FragmentCache])


def page_templates() -> list[str]:
    """Templates that are pages of their own: not extended or included by another one."""
    env, referenced = theme_environment(), set()
    for name in env.list_templates():
        referenced.update(set(closure(env, name)) - {name})
    return sorted(name for name in env.list_templates() if "/" not in name and name not in referenced)


def closure(env, name: str) -> dict[str, nodes.Template]:
    """A template and every template it extends or includes, parsed: name -> AST."""
    parsed, todo = {}, [name]
    while todo:
        current = todo.pop()
        if current in parsed:
            continue
        source = env.loader.get_source(env, current)[0]
        parsed[current] = env.parse(source)
        todo += [found for found in meta.find_referenced_templates(parsed[current]) if found]
    return parsed


def variables_read(env, name: str) -> dict[str, set[str]]:
    """Variables the page template `name` reads from its context: file -> names.

    A name one file of the page leaves to another (a loop variable read by an
    included partial, `language` set by base.html) is not read from the context.
    """
    parsed = closure(env, name)
    stored = {current: {node.name for node in ast.find_all(nodes.Name) if node.ctx in ("store", "param")}
              for current, ast in parsed.items()}
    read = {}
    for current, ast in parsed.items():
        elsewhere = set().union(*(names for other, names in stored.items() if other != current))
        read[current] = meta.find_undeclared_variables(ast) - elsewhere
    return read


@pytest.fixture(scope="module")
def spied_build(tmp_path_factory):
    """One build, watched: each page template's own variables (what its render key digests),
    its Jinja environment, the names in the site-wide context, and the settings."""
    own: dict[str, set[str]] = defaultdict(set)
    envs, site_wide = {}, set()
    real_unchanged, real_write_file = incremental.unchanged, incremental.IncrementalWriter.write_file

    def unchanged(path, context, shown, depth=incremental.PAGE_DEPTH):
        if isinstance(shown, tuple) and len(shown) == 3 and isinstance(shown[1], dict):  # a page's key
            own[shown[0]].update(shown[1])
        return real_unchanged(path, context, shown, depth)

    def write_file(self, name, template, context, *args, **kwargs):
        envs[template.name] = template.environment
        site_wide.update(context)
        return real_write_file(self, name, template, context, *args, **kwargs)

    folder = tmp_path_factory.mktemp("spied")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(incremental, "unchanged", unchanged)
        patch.setattr(incremental.IncrementalWriter, "write_file", write_file)
        # In one process: pages a forked copy renders would never reach the spies.
        patch.setattr(parallel, "can_fork", lambda items: False)
        corpus = make_corpus(folder / "content", ARTICLES, seed=SEED)
        pelican = build_into(corpus.folder, folder / "output")
    return own, envs, site_wide, pelican.settings


def test_every_page_template_is_rendered_by_the_spied_build(spied_build):
    own = spied_build[0]
    missing = [name for name in page_templates() if name not in own]
    assert missing == [], f"page templates the small build never renders, so their variables go unchecked: {missing}"


def test_every_variable_a_template_reads_is_in_its_render_key(spied_build):
    own, envs, site_wide, settings = spied_build
    problems = []
    for page in sorted(own):
        env = envs[page]
        for current, names in variables_read(env, page).items():
            for name in sorted(names):
                if name in own[page] or name in env.globals or name in env.filters:
                    continue  # digested with the page, or code (digested site-wide with the plugin's files)
                if name == "sections" or (name.isupper() and name in settings):
                    continue  # in the site digest
                if name in site_wide:
                    problems.append(f"{page} ({current}) reads `{name}`")
                # Else the page has no such variable (`article` on a list page): it is always undefined.
    assert problems == [], (
        "Templates read variables the render key does not digest: a page would not be rendered again "
        "when they change. Pass them to the page as variables (they are then digested with it), or "
        "add them to the site digest (incremental._site_digest):\n  " + "\n  ".join(problems))


def test_a_pages_own_variables_are_all_that_differ_from_the_site(tmp_path, monkeypatch):
    """incremental.own_variables looks only at the names Pelican's writer can set; on every page of a
    build no other name may differ from the site-wide context."""
    fast = incremental.own_variables
    pages = []

    def compared(localcontext, context, given, candidates):
        own = fast(localcontext, context, given, candidates)
        every = {name: value for name, value in localcontext.items()
                 if name in given or name not in context or context[name] is not value}
        every.pop("localsiteurl", None)
        assert own.keys() == every.keys(), localcontext.get("output_file")
        assert all(own[name] is every[name] for name in own)
        pages.append(localcontext["output_file"])
        return own

    monkeypatch.setattr(incremental, "own_variables", compared)
    corpus = make_corpus(tmp_path / "content", ARTICLES, seed=SEED)
    build_into(corpus.folder, tmp_path / "output", DEFAULT_PAGINATION=3)  # many paginated pages
    assert any("/page/" in page for page in pages) and any(page.endswith("404.html") for page in pages)
    assert len(pages) > 200


# ---- what the templates show of a language section --------------------------------------------

def section_names(source: str) -> set[str]:
    """The names a template gives language sections: `section`, `nav_section`, and the values of `sections`."""
    names = {"section", "nav_section"}
    names.update(re.findall(r"{%-?\s*for\s+\w+\s*,\s*(\w+)\s+in\s+\(?\s*sections\b", source))
    names.update(re.findall(r"{%-?\s*set\s+(\w+)\s*=\s*\(?\s*sections\b", source))
    return names


def section_attributes(source: str) -> set[str]:
    names = "|".join(sorted(section_names(source)))
    return set(re.findall(rf"\b(?:{names})\.(\w+)", source))


def test_templates_showing_more_of_a_section_than_its_address_are_listed():
    problems, env = [], theme_environment()
    for page in page_templates():
        for current in closure(env, page):
            shown = section_attributes((TEMPLATES / current).read_text(encoding="utf-8")) - SECTION_ADDRESS
            if shown and page not in incremental.SECTION_SHOWN_IN_FULL:
                problems.append(f"{page} (in {current}) shows section.{', section.'.join(sorted(shown))}")
    assert problems == [], (
        "These pages show a language section's counts or lists, which the render key digests only for "
        "templates in incremental.SECTION_SHOWN_IN_FULL; add them there:\n  " + "\n  ".join(problems))


# ---- rebuilds equal cold builds ---------------------------------------------------------------

@pytest.mark.parametrize("choose", [most_related, newest_in_its_language], ids=["most-related", "newest"])
def test_rebuild_after_changing_a_title_equals_a_cold_build(tmp_path, site, choose):
    content, output, files = site
    article = choose(output, files)
    set_header(article, "Title", "Changed title of a report")
    rebuild_equals_cold_build(tmp_path, content, output)
    assert "Changed title of a report" in page_of(output, article).read_text(encoding="utf-8")


@pytest.fixture
def related_linked(monkeypatch):
    """The languages whose related reports the builds that follow score (related.link_related)."""
    from newsarchive import related

    languages = []
    link_related = related.link_related

    def spied(newest_first, *args, **kwargs):
        languages.append(newest_first[0].lang)
        return link_related(newest_first, *args, **kwargs)

    monkeypatch.setattr(related, "link_related", spied)
    return languages


def test_rebuild_after_changing_tags_equals_a_cold_build(tmp_path, site, related_linked):
    """Only the edited article's language scores its related reports again (related.link_or_reuse);
    the others take the last build's."""
    content, output, files = site
    article = files[len(files) // 2]
    tags = [tag.strip() for tag in header(article)["Tags"].split(",")]
    set_header(article, "Tags", ", ".join([*tags[1:], "probe tag"]))  # one removed, one new to the site
    build_into(content, output)
    assert related_linked == [header(article)["Lang"]]
    rebuild_equals_cold_build(tmp_path, content, output)
    assert list(output.rglob("tags/probe-tag/index.html"))


def test_a_body_edit_takes_the_last_builds_related_reports(tmp_path, site, related_linked):
    content, output, files = site
    add_body_sentence(most_related(output, files))
    build_into(content, output)
    assert related_linked == []
    rebuild_equals_cold_build(tmp_path, content, output)


def test_related_reports_are_scored_again_after_a_change_of_settings(tmp_path, site, related_linked):
    """What the last build linked is taken only with the same settings, plugin code and libraries."""
    content, output, files = site
    add_body_sentence(files[0])
    build_into(content, output, SITESUBTITLE="Another subtitle")
    assert sorted(related_linked) == sorted({header(path)["Lang"] for path in files})


def test_rebuild_after_changing_a_category_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    article = next(path for path in files if header(path)["Category"] not in ("news", "event-report"))
    set_header(article, "Category", "news")
    rebuild_equals_cold_build(tmp_path, content, output)


def test_rebuild_after_adding_a_translation_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    original, lang = event_report_to_translate(files)
    slug = header(original)["Slug"].rsplit("-", 1)[0] + f"-{lang}"
    text = original.read_text(encoding="utf-8").replace(f"Lang: {header(original)['Lang']}", f"Lang: {lang}")
    text = text.replace(f"Slug: {header(original)['Slug']}", f"Slug: {slug}")
    (original.parent / f"{original.name[:11]}{slug}.{lang}.md").write_text(text, encoding="utf-8")
    rebuild_equals_cold_build(tmp_path, content, output)
    assert list(output.rglob(f"{slug}/index.html"))


def event_report_to_translate(files: list[Path]) -> tuple[Path, str]:
    """An event report in one language only, and a language to translate it into, such that the
    translation joins the events pages of a region the most other languages have events in
    (their events pages of that region then link it as an alternate)."""
    groups, languages_with_events = defaultdict(list), defaultdict(set)
    for path in files:
        fields = header(path)
        groups[fields["Translation_key"]].append(path)
        if "Event_start" in fields:
            for region in fields["Regions"].split(", "):
                languages_with_events[region].add(fields["Lang"])
    candidates = []
    for (path,) in (group for group in groups.values() if len(group) == 1):
        fields = header(path)
        if "Event_start" not in fields:
            continue
        for lang in sorted({"kk", "ky", "ru", "en"} - {fields["Lang"]}):
            others = set().union(*(languages_with_events[region] for region in fields["Regions"].split(", ")))
            candidates.append((len(others - {fields["Lang"], lang}), path.name, path, lang))
    assert candidates, "the corpus has no event report in one language: choose another seed"
    return max(candidates)[2:]


def test_rebuild_after_changing_an_event_date_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    events = [path for path in files if "Event_start" in header(path)]
    assert events, "the corpus has no event article: choose another seed"
    key = header(events[0])["Translation_key"]
    # Every version of the report (they must agree); from past to upcoming (QUICK's EVENTS_TODAY).
    for path in files:
        if header(path)["Translation_key"] == key:
            set_header(path, "Event_start", "2020-06-15")
    rebuild_equals_cold_build(tmp_path, content, output)


def test_rebuild_after_deleting_a_related_article_equals_a_cold_build(tmp_path, site):
    content, output, files = site
    doomed = most_related(output, files)
    slug = header(doomed)["Slug"]
    assert any(slug in related_slugs(page_of(output, path)) for path in files if path != doomed)
    doomed.unlink()
    rebuild_equals_cold_build(tmp_path, content, output)
    assert not list(output.rglob(f"{slug}/index.html"))


# ---- what a rebuild renders -------------------------------------------------------------------

def test_editing_one_body_renders_a_small_fraction_of_the_pages(site):
    content, output, files = site
    before = tree(output)
    edited = files[len(files) // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nОдно новое предложение.\n", encoding="utf-8")
    build_into(content, output)
    rendered, total = incremental.BUILD.rendered, incremental.BUILD.rendered + incremental.BUILD.reused
    assert 0 < rendered < total / 5, f"{rendered} of {total} pages rendered"
    after = tree(output)
    changed = {name for name in after if before.get(name) != after[name]}
    assert page_of(output, edited).relative_to(output).as_posix() in changed


@pytest.fixture
def rendered_paths(monkeypatch):
    """The output paths (relative) that the builds that follow render."""
    paths = []
    real_unchanged = incremental.unchanged

    def unchanged(path, context, shown, depth=incremental.PAGE_DEPTH):
        result = real_unchanged(path, context, shown, depth)
        if not result:
            paths.append(os.path.relpath(path, incremental.BUILD.output_abs).replace(os.sep, "/"))
        return result

    for module in (incremental, events, feeds):  # the writer's pages, calendars, feeds
        monkeypatch.setattr(module, "unchanged", unchanged)
    # Recorded in this process: no page is written by a forked copy (split_output.py).
    monkeypatch.setattr(split_output, "_may_split", lambda _generators: False)
    return paths


def add_body_sentence(path: Path):
    path.write_text(path.read_text(encoding="utf-8") + "\nОдно новое предложение.\n", encoding="utf-8")


def test_a_body_edit_renders_only_the_pages_that_show_the_body(tmp_path, site, rendered_paths):
    """Cards (list pages, related reports, neighbours) show an article's summary, not its body."""
    content, output, files = site
    edited = most_related(output, files)
    assert "Summary" in header(edited)
    add_body_sentence(edited)
    build_into(content, output)
    rendered = list(rendered_paths)
    assert [path for path in rendered if path.endswith(".html")] == [
        page_of(output, edited).relative_to(output).as_posix()], rendered
    rebuild_equals_cold_build(tmp_path, content, output)


def test_an_event_title_edit_renders_the_events_pages_of_its_language_only(tmp_path, site, rendered_paths):
    """Another language's events pages show only the address of this one's lists (their
    alternates, events._twins), not its events."""
    content, output, files = site
    edited = next(path for path in files if "Event_start" in header(path))
    lang = header(edited)["Lang"]
    set_header(edited, "Title", header(edited)["Title"] + " (жаңартылды)")
    build_into(content, output)
    assert_events_pages_rendered_in(rendered_paths, lang)
    rebuild_equals_cold_build(tmp_path, content, output)


def test_a_new_event_report_renders_the_events_pages_of_its_language_only(tmp_path, site, rendered_paths):
    """The other languages' events pages link this language's lists by address alone (their
    alternates): a new event, which changes how many events a list holds, leaves them as they are."""
    content, output, files = site
    event_report = next(path for path in files if "Event_start" in header(path))
    lang = header(event_report)["Lang"]
    add_report_like(event_report, "another-event", left_out=("Translation_key:",),
                    lines=["Translation_key: another-event"])
    build_into(content, output)
    assert_events_pages_rendered_in(rendered_paths, lang)
    rebuild_equals_cold_build(tmp_path, content, output)


def test_a_report_added_far_down_a_list_leaves_the_pages_before_its_place(tmp_path, site, rendered_paths):
    """A list page shows its own reports and how many pages the list makes, not how many reports
    the list holds: a report older than all others of its language, which makes no new page,
    renders the last of its language's front pages and none before it."""
    content, output, files = site
    paged = {"DEFAULT_PAGINATION": 3}
    kk = [path for path in files if header(path)["Lang"] == "kk"]
    assert len(kk) % 3, "one more report would make a new page: choose another seed or pagination"
    build_into(content, output, **paged)
    before = tree(output)
    rendered_paths.clear()
    model = min(kk, key=lambda path: header(path)["Date"])
    add_report_like(model, "older-than-all", left_out=("Date:", "Translation_key:", "Event_"),
                    lines=["Date: 2001-01-01 10:00", "Translation_key: older-than-all"])
    build_into(content, output, **paged)
    last = f"kk/page/{(len(kk) + 2) // 3}/index.html"
    assert sorted(path for path in rendered_paths if re.fullmatch(r"kk/(page/\d+/)?index\.html", path)) == [last]
    after = tree(output)
    assert after["kk/index.html"] == before["kk/index.html"] and after[last] != before[last]
    cold = tmp_path / "cold"
    build_into(content, cold, **paged)
    assert_same_site(output, cold)


def test_templates_read_of_a_paginator_only_how_many_pages_it_makes():
    """The render key digests Pelican's paginator by its number of pages (fingerprint.py) and
    leaves out the whole list a paginated page is given (`articles`): no template may read more."""
    env = theme_environment()
    read = defaultdict(set)
    for name in env.list_templates():
        ast = env.parse(env.loader.get_source(env, name)[0])
        for node in ast.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name.endswith("_paginator"):
                read[node.node.name].add(node.attr)
        assert not any(node.name == "articles" for node in ast.find_all(nodes.Name)), f"{name} reads `articles`"
    assert dict(read) == {"articles_paginator": {"num_pages"}}


def test_a_new_report_changes_the_related_links_of_others_not_their_cards(tmp_path, site, rendered_paths):
    """A report sharing an event report's tags, regions and date becomes the first of its related
    reports: the event report's page shows it, its card (events pages, calendars) does not."""
    content, output, files = site
    event_report = next(path for path in files if "Event_start" in header(path))
    event_page = page_of(output, event_report).relative_to(output).as_posix()
    add_report_like(event_report, "a-report-like-the-event", left_out=("Event_", "Translation_key:"))
    build_into(content, output)
    assert "a-report-like-the-event" in related_slugs(output / event_page)
    assert event_page in rendered_paths
    assert [path for path in rendered_paths if path.endswith(".ics") or "/events/" in path] == []
    rebuild_equals_cold_build(tmp_path, content, output)


def test_a_card_without_a_summary_follows_the_links_resolved_in_its_body(monkeypatch):
    """Pelican cuts such a card's summary from the body, {filename} links resolved: when the linked
    report moves, the card changes. With a summary of its own, the body is not on the card."""
    resolved = {"html": '<p>See <a href="kk/2024/03/old/">the report</a>.</p>'}
    monkeypatch.setattr(Article, "get_content", lambda self, siteurl="": resolved["html"])

    def article(**metadata):
        made = Article.__new__(Article)
        made.__dict__.update(_content='<p>See <a href="{filename}/other.md">the report</a>.</p>', title="Су",
                             source_path="/content/a.md", metadata=metadata)
        return made

    without_summary, with_summary = article(), article(summary="Өз түйіні")

    def cards():
        fingerprinter = fingerprint.Fingerprinter()
        return [fingerprinter.digest(card, fingerprint.CARD) for card in (without_summary, with_summary)]

    before = cards()
    resolved["html"] = '<p>See <a href="kk/2024/03/moved/">the report</a>.</p>'
    after = cards()
    assert after[0] != before[0] and after[1] == before[1]


def test_an_article_pages_key_follows_its_tags_once_and_its_linked_reports_as_cards(monkeypatch):
    """fingerprint.Fingerprinter._content at the page's depth: a list of tags or listings, the same
    at every depth, is digested with the article's own fields only; a list holding an article, or
    an article, is digested again as cards. Either kind of change still changes the page's key."""
    from pelican.urlwrappers import Tag

    def article(path, title, **fields):
        made = Article.__new__(Article)
        made.__dict__.update(_content="<p>Мәтін.</p>", title=title, source_path=path, metadata={}, **fields)
        return made

    settings = {"SLUGIFY_SOURCE": "title", "SLUG_REGEX_SUBSTITUTIONS": []}
    related = article("/content/b.md", "Екінші")
    page = article("/content/a.md", "Бірінші", tags=[Tag("су", settings)], related=[related])
    deepened = []
    parts = fingerprint.Fingerprinter._parts

    def watched(self, value, depth):
        if depth == fingerprint.CARD and isinstance(value, list):
            deepened.append(value)
        return parts(self, value, depth)

    monkeypatch.setattr(fingerprint.Fingerprinter, "_parts", watched)
    key = fingerprint.Fingerprinter().digest(page, fingerprint.PAGE_DEPTH)
    assert deepened == [page.related]  # not the tags
    page.tags = [Tag("жер", settings)]
    retagged = fingerprint.Fingerprinter().digest(page, fingerprint.PAGE_DEPTH)
    related.title = "Екінші, өзгерген"
    retitled = fingerprint.Fingerprinter().digest(page, fingerprint.PAGE_DEPTH)
    assert len({key, retagged, retitled}) == 3


def test_only_an_articles_own_page_shows_its_neighbours_and_related_reports():
    """fingerprint.PAGE_ONLY is left out of an article's card: no card may show it."""
    env, problems = theme_environment(), []
    for name in env.list_templates():
        for node in env.parse(env.loader.get_source(env, name)[0]).find_all(nodes.Getattr):
            if node.attr in fingerprint.PAGE_ONLY and not (
                    name == "article.html" and isinstance(node.node, nodes.Name) and node.node.name == "article"):
                problems.append(f"{name} line {node.lineno}: .{node.attr}")
    for module in (calendars, events, feeds):
        source = Path(module.__file__).read_text(encoding="utf-8")
        problems += [f"{module.__name__}: .{name}" for name in fingerprint.PAGE_ONLY if f".{name}" in source]
    assert problems == []


def test_a_body_edit_of_an_article_without_summary_renders_its_cards(tmp_path, site, rendered_paths):
    content, output, files = site
    edited = most_related(output, files)
    text = edited.read_text(encoding="utf-8")
    edited.write_text(re.sub(r"^Summary: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    build_into(content, output)
    rendered_paths.clear()
    add_body_sentence(edited)
    build_into(content, output)
    pages = [path for path in rendered_paths if path.endswith(".html")]
    assert page_of(output, edited).relative_to(output).as_posix() in pages
    assert any("/tags/" in path for path in pages)  # its cards show the start of its body
    rebuild_equals_cold_build(tmp_path, content, output)


def test_calendars_show_an_event_reports_summary_not_its_body(tmp_path, site, rendered_paths):
    content, output, files = site
    event_report = next(path for path in files if "Event_start" in header(path))
    add_body_sentence(event_report)
    build_into(content, output)
    assert not [path for path in rendered_paths if path.endswith(".ics")]

    rendered_paths.clear()
    set_header(event_report, "Summary", "A summary rewritten after the event")
    rebuild_equals_cold_build(tmp_path, content, output)
    calendars = [output / path for path in rendered_paths if path.endswith(".ics")]
    assert calendars and all("A summary rewritten after the event" in path.read_text(encoding="utf-8")
                             for path in calendars[:2])


def test_a_rebuild_of_the_same_content_renders_nothing(site):
    content, output, files = site
    before = mtimes(output)
    # Saved without a change: the manifest no longer matches, every render key still does.
    stat = files[0].stat()
    os.utime(files[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert build_into(content, output) is not None, "the build was skipped as up to date"
    assert incremental.BUILD.rendered == 0
    assert incremental.BUILD.reused > 0
    assert mtimes(output) == before


def test_a_page_modified_on_disk_is_rendered_again(site):
    content, output, files = site
    page = page_of(output, files[0])
    relpath = page.relative_to(output).as_posix()
    original = page.read_bytes()
    keys_before = _render_keys(output)
    page.write_bytes(original.replace(b"<body", b"<BODY", 1))  # same size: only the mtime tells
    assert build_into(content, output) is not None
    assert incremental.BUILD.rendered == 1
    assert _render_keys(output)[relpath] == keys_before[relpath]
    assert page.read_bytes() == original


def _render_keys(output: Path) -> dict[str, str]:
    settings = {"OUTPUT_PATH": str(output.resolve()), "CACHE_PATH": str(output.parent / (output.name + "-cache"))}
    return incremental.read_manifest(incremental.manifest_path(settings))["render_keys"]
