"""How pages look and load in Chromium: phone to desktop widths, no layout shift, light weight, print."""
from __future__ import annotations

import pytest
from PIL import Image

from browser import served
from contentfactory import write_article
from pagekinds import PAGES, find_pages, page_id
from sitebuild import PROJECT, build_site

WIDTHS = (360, 768, 1280)
FRONT_PAGE_BUDGET = 100 * 1024   # HTML + CSS + JS of /kk/, before images
CSS_BUDGET = 20 * 1024
JS_BUDGET = 20 * 1024            # the theme's own scripts, all of them on the search page only

# Layout shifts as Chromium reports them (the Layout Instability API), summed like CLS.
RECORD_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""
# Anything wider than the screen: the page scrolls sideways, or an element sticks out of it.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)
      && getComputedStyle(element).position !== "absolute";
  }).map(element => `${element.tagName.toLowerCase()}.${element.className} ${Math.round(element.getBoundingClientRect().right)}px`);
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    output = build_site(PROJECT / "content", tmp_path_factory.mktemp("layout") / "output")
    with served(output) as url:
        yield output, url, find_pages(output)


PICTURE_REPORT = "kk/2024/03/su-tasqyny/"
EVENT_REPORT = "kk/2024/03/su-azaidy/"


@pytest.fixture(scope="module")
def picture_site(tmp_path_factory):
    """A report that opens with a large photo and links to another site, and two more on its subject."""
    root = tmp_path_factory.mktemp("picture-site")
    content = root / "content"
    (content / "images").mkdir(parents=True)
    Image.new("RGB", (1200, 800), "steelblue").save(content / "images" / "flood.png")
    body = ("![Су басқан көше]({static}/images/flood.png)\n\n"
            "Төтенше жағдайлар министрлігінің [есебі](https://example.org/report) бойынша су деңгейі көтерілді.\n\n"
            + "Қала тұрғындары көшіріліп жатыр. " * 40)
    write_article(content, "Су тасқыны", slug="su-tasqyny", date="2024-03-10 10:00", body=body,
                  tags="су", regions="KZ-55")
    write_article(content, "Су азайды", slug="su-azaidy", date="2024-03-20 10:00", tags="су", regions="KZ-55",
                  category="event-report", event_start="2024-03-19")
    write_article(content, "Көктемгі су", date="2024-03-01 10:00", tags="су", regions="KZ-55")
    output = build_site(content, root / "output", SEARCH_INDEX=False)
    with served(output) as url:
        yield url


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    yield page
    context.close()


# ---- widths ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_fits_the_screen_without_sideways_scrolling(tab, sample, width):
    _, base, pages = sample
    tab.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for page in PAGES:
        tab.goto(base + pages[page])
        found = tab.evaluate(OVERFLOW)
        if found["scroll"] > found["width"] or found["wide"]:
            problems[page_id(page)] = found
    assert not problems, problems


def test_article_text_keeps_a_readable_line_length_on_a_wide_screen(tab, sample):
    _, base, pages = sample
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(base + pages[("ru", "article")])
    characters_per_line = tab.evaluate("""() => {
        const body = document.querySelector(".article-body p");
        const font = parseFloat(getComputedStyle(body).fontSize);
        return body.getBoundingClientRect().width / (font * 0.5);
    }""")
    assert 45 <= characters_per_line <= 90, characters_per_line


# ---- layout shift ---------------------------------------------------------------------------------

def layout_shift(tab, settle=False) -> float:
    if settle:  # a page whose script changes it after the load event
        tab.wait_for_load_state("networkidle")
    # Shifts are reported with the frame that shows them: wait two frames.
    return tab.evaluate("""() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
        () => done(window.__layoutShift))))""")


@pytest.mark.parametrize("lang", ["kk", "ky", "ru", "en"])
def test_no_kind_of_page_moves_while_it_loads(tab, sample, lang):
    _, base, pages = sample
    shifted = {}
    for page in PAGES:
        if page[0] in ("", lang):
            tab.goto(base + pages[page])
            shift = layout_shift(tab, settle=page[1] == "search")
            if shift > 0.001:
                shifted[page_id(page)] = shift
    assert not shifted, shifted


def _open_with_late_picture(tab, base, strip_size=False):
    """Open the picture report, holding the photo back until the text is on screen."""
    held = []
    tab.route("**/images/flood.png", lambda route: held.append(route))
    if strip_size:
        def without_size(route):
            response = route.fetch()
            html = response.text().replace(' width="1200" height="800"', "")
            route.fulfill(response=response, body=html)
        tab.route(base + PICTURE_REPORT, without_size)
    tab.goto(base + PICTURE_REPORT, wait_until="domcontentloaded")
    tab.wait_for_function("document.querySelector('.article-body p') !== null")
    tab.wait_for_timeout(200)
    assert held, "the photo was not requested while it was on screen"
    held[0].continue_()
    tab.wait_for_function("document.querySelector('.article-body img').complete")
    return layout_shift(tab, settle=True)


def test_a_late_photo_with_its_size_known_moves_nothing(tab, picture_site):
    assert _open_with_late_picture(tab, picture_site) < 0.001


def test_a_late_photo_without_its_size_would_push_the_text_down(tab, picture_site):
    """The check above can fail: the same page without width and height shifts when the photo arrives."""
    assert _open_with_late_picture(tab, picture_site, strip_size=True) > 0.05


# ---- weight ---------------------------------------------------------------------------------------

def test_front_page_weighs_under_100_kb_before_images(tab, sample):
    _, base, _ = sample
    loaded = []
    tab.on("requestfinished", lambda request: loaded.append(request))  # noqa: E731
    tab.goto(base + "kk/")
    tab.wait_for_load_state("networkidle")
    weight = {}
    for request in loaded:
        kind = request.resource_type
        weight[kind] = weight.get(kind, 0) + request.sizes()["responseBodySize"]
    text_weight = sum(size for kind, size in weight.items() if kind not in ("image", "media", "font"))
    assert weight.get("document") and weight.get("stylesheet"), weight
    assert text_weight < FRONT_PAGE_BUDGET, weight


def test_theme_css_and_scripts_stay_small(sample):
    output, _, _ = sample
    css = sum(path.stat().st_size for path in (output / "theme").rglob("*.css"))
    js = sum(path.stat().st_size for path in (output / "theme").rglob("*.js"))
    assert 0 < css < CSS_BUDGET, css
    assert 0 < js < JS_BUDGET, js


def test_pages_load_nothing_from_other_hosts_and_scripts_only_for_search(tab, sample):
    _, base, pages = sample
    foreign, scripted = {}, {}
    for page in PAGES:
        requests = []
        listen = lambda request: requests.append(request)  # noqa: E731
        tab.on("request", listen)
        tab.goto(base + pages[page])
        if page[1] == "search":  # its script fetches the search index after the page has loaded
            tab.wait_for_load_state("networkidle")
        tab.remove_listener("request", listen)
        elsewhere = [request.url for request in requests if not request.url.startswith(base)]
        if elsewhere:
            foreign[page_id(page)] = elsewhere
        scripts = [request.url for request in requests if request.resource_type == "script"]
        if scripts and page[1] != "search":
            scripted[page_id(page)] = scripts
    assert not foreign, foreign
    assert not scripted, scripted
    # The search page is the one that needs script, and it does not block rendering: it is a module.
    assert tab.goto(base + pages[("kk", "search")]) and tab.locator("script[src]:not([type=module])").count() == 0


# ---- print ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [PICTURE_REPORT, EVENT_REPORT])
def test_printed_article_has_no_navigation_and_shows_where_links_go(tab, picture_site, url):
    tab.goto(picture_site + url)
    # The reader's screen is in dark mode: paper is still black on white.
    tab.emulate_media(media="print", color_scheme="dark")
    shown = tab.evaluate("""() => [...document.querySelectorAll(
        ".skip-link, .site-header, .site-nav, .switcher, .site-search, .breadcrumb, .related, .neighbours, "
        + ".event-actions, .feed-link, .site-footer")]
        .filter(element => element.checkVisibility()).map(element => element.className)""")
    assert not shown, shown
    assert tab.locator("h1.article-title").is_visible()
    assert tab.locator(".article-body").is_visible()
    colours = tab.evaluate("""() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor,
                                     getComputedStyle(document.querySelector('.article-header a')).color]""")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"], colours


def test_printed_article_shows_the_address_after_a_link(tab, picture_site):
    tab.goto(picture_site + PICTURE_REPORT)
    tab.emulate_media(media="print")
    link = tab.locator(".article-body a[href='https://example.org/report']")
    assert "https://example.org/report" in link.evaluate("a => getComputedStyle(a, '::after').content")
    assert tab.locator(".breadcrumb").evaluate("nav => getComputedStyle(nav).display") == "none"
    tab.emulate_media(media="screen")
    assert link.evaluate("a => getComputedStyle(a, '::after').content") == "none", "the address shows on screen"
