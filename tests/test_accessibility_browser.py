"""Every kind of page, in every language, works for screen readers and keyboards (axe-core in Chromium).

axe-core comes bundled with axe-playwright-python (no network). The rule set
is WCAG 2.0/2.1 A and AA, plus axe's best practices, which check what the
issue also asks for: landmarks (one main, banner and contentinfo at the top
level, unique labels) and headings in order (one h1, no skipped level).
No rule is switched off.
"""
from __future__ import annotations

import re

import pytest

from browser import served
from newsarchive.languages import LANGUAGES
from pagekinds import PAGES, find_pages, page_id
from sitebuild import PROJECT, build_site

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
KK_COUNCIL = "kk/2024/01/balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti/"
RU_COUNCIL = "ru/2024/01/rasshirennoe-zasedanie-soveta-po-razvitiiu-detskogo-i-molodezhnogo-dvizheniia/"
KK_EXCHANGE = "kk/2023/07/tazhiribe-almasty/"  # the one Kazakh report about a seminar
# Dark mode changes every colour: its contrast is checked on pages with each kind of element.
DARK_PAGES = [("", "chooser"), ("kk", "front"), ("kk", "article"), ("ru", "event-report"), ("ky", "events"),
              ("en", "search"), ("ru", "tag"), ("", "404")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    output = build_site(PROJECT / "content", tmp_path_factory.mktemp("a11y") / "output")
    with served(output) as url:
        yield output, url, find_pages(output)


@pytest.fixture(scope="module")
def context(browser):
    from axe_playwright_python.base import AXE_FILE_PATH

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Loaded with every page rather than injected after it: parsing axe once per page evaluate() doubles the time.
    context.add_init_script(path=str(AXE_FILE_PATH))
    yield context
    context.close()


@pytest.fixture
def tab(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, errors


def open_page(tab, sample, page):
    _, base, pages = sample
    assert page in pages, f"the sample archive has no {page_id(page)} page"
    tab.goto(base + pages[page])
    return base + pages[page]


def axe_violations(tab) -> list[dict]:
    return tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def report(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_of_every_kind_has_no_axe_violations(tab, sample, page):
    open_page(tab, sample, page)
    violations = axe_violations(tab)
    assert not violations, report(violations)


@pytest.mark.parametrize("page", DARK_PAGES, ids=page_id)
def test_page_in_dark_mode_has_no_axe_violations(tab, sample, page):
    tab.emulate_media(color_scheme="light")
    open_page(tab, sample, page)
    light_background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    tab.emulate_media(color_scheme="dark")
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") != light_background, \
        "prefers-color-scheme: dark changes nothing"
    violations = axe_violations(tab)
    assert not violations, report(violations)


def test_axe_reports_a_contrast_failure(tab, sample):
    """The checks above can fail: text made too faint is reported."""
    open_page(tab, sample, ("kk", "front"))
    tab.evaluate("document.querySelector('.card-title a').style.color = '#d8d8d8'")
    assert "color-contrast" in [violation["id"] for violation in axe_violations(tab)]


# ---- keyboard ---------------------------------------------------------------------------------

def focused(tab) -> dict:
    """What has the keyboard focus, with how it is drawn."""
    return tab.evaluate("""() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        return {tag: element.tagName.toLowerCase(), id: element.id, text: element.innerText || "",
                classes: element.className, lang: element.lang, name: element.name || "",
                inResult: element.closest(".search-result") !== null,
                within: (element.closest(".switcher, .site-nav, .site-search, .breadcrumb, .article-body, "
                                         + ".article-footer, .event-box, .related, .neighbours, .site-footer")
                         || {className: ""}).className.replace("wrap ", ""),
                outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== "none",
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
    }""")


def tab_to(tab, matches, limit=60) -> dict:
    """Press Tab until the focused element matches; fail after `limit` presses."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        element = focused(tab)
        if matches(element):
            return element
    raise AssertionError(f"no tab stop matched within {limit} presses")


@pytest.mark.parametrize("page", [("", "chooser"), ("kk", "front"), ("ru", "article"), ("ky", "search"),
                                  ("en", "events"), ("", "404")], ids=page_id)
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(tab, sample, page):
    url = open_page(tab, sample, page)
    tab.keyboard.press("Tab")
    first = focused(tab)
    assert "skip-link" in first["classes"], first
    assert first["visible"] and (first["outline"] or first["shadow"]), first
    tab.keyboard.press("Enter")
    tab.wait_for_url(url + "#main")  # a same-page jump, but still reported after the key press returns
    tab.wait_for_function("document.activeElement.id === 'main'")


def test_every_tab_stop_of_an_article_shows_where_the_focus_is(tab, sample):
    """Skip link, site name, switcher, sections, search box and button, breadcrumb, text links, tags,
    related reports, neighbours and the footer: each draws an outline (or a shadow) when focused."""
    open_page(tab, sample, ("kk", "event-report"))
    seen = []
    for _ in range(150):
        tab.keyboard.press("Tab")
        element = focused(tab)
        if element["tag"] == "body" or (seen and "skip-link" in element["classes"]):
            break  # past the last tab stop
        seen.append(element)
        assert element["outline"] or element["shadow"], f"no visible focus on {element}"
    places = {element["within"] for element in seen}
    assert {"switcher", "site-nav", "site-search", "breadcrumb", "article-footer", "event-box", "related",
            "neighbours", "site-footer"} <= places, places
    assert {"input", "button", "a"} <= {element["tag"] for element in seen}


def test_reader_switches_to_russian_with_the_keyboard_alone(tab, sample):
    _, base, _ = sample
    tab.goto(base + KK_COUNCIL)
    russian = tab_to(tab, lambda element: element["text"] == "Русский")
    assert russian["lang"] == "ru"
    tab.keyboard.press("Enter")
    tab.wait_for_url(base + RU_COUNCIL)
    assert tab.locator("html").get_attribute("lang") == "ru"
    assert tab.locator(".switcher [aria-current]").inner_text() == "Русский"


def test_reader_searches_and_opens_a_result_with_the_keyboard_alone(tab, sample):
    _, base, _ = sample
    open_page(tab, sample, ("kk", "front"))
    tab_to(tab, lambda element: element["tag"] == "input" and element["name"] == "q")
    tab.keyboard.type("семинар")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/kk/search/\?q="))
    tab.locator("#search-results[aria-busy=false]").wait_for(state="attached")
    result = tab_to(tab, lambda element: element["tag"] == "a" and element["inResult"])
    assert result["outline"] or result["shadow"], result
    tab.keyboard.press("Enter")
    tab.wait_for_url(base + KK_EXCHANGE)


@pytest.mark.parametrize("page", [page for page in PAGES if page[1] in ("chooser", "front", "article", "search", "404")],
                         ids=page_id)
def test_switcher_names_every_language_in_that_language(tab, sample, page):
    open_page(tab, sample, page)
    items = tab.evaluate("""() => [...document.querySelectorAll('.switcher li > *, .chooser li[lang] > a')]
        .map(element => [element.lang || element.closest('[lang]').lang, element.innerText.trim()])""")
    assert items, "no language switcher"
    for code, name in items:
        assert name.startswith(LANGUAGES[code].native_name), (code, name)
    assert {code for code, _ in items} == set(LANGUAGES)
