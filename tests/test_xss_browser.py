"""Hostile content runs nothing: title, tags, summary, metadata and body payloads opened in Chromium.

The payloads log an `XSS` marker to the console or open a dialog if they
run. The pages are also searched for what could still run on a click or a
hover (event-handler attributes, javascript: URLs), and the title must
still read as the editor wrote it, angle brackets included.
"""
from __future__ import annotations

import pytest

from browser import served
from contentfactory import write_article
from sitebuild import build_site
from sitepages import page

TITLE = '<script>alert("XSS-title")</script> Кеңес <img src=x onerror="console.log(\'XSS-title-img\')">'
BODY = """Кіріспе <script>console.log('XSS-body-script')</script>

<img src="missing.png" onerror="console.log('XSS-body-img')" alt="сурет">

[Басыңыз](javascript:console.log('XSS-body-md-link'))
<a href="JaVaScRiPt:alert('XSS-body-link')">сілтеме</a>
<a href=" javascript:alert('XSS-body-space')">бос орын</a>

<svg onload="console.log('XSS-body-svg')"><circle r="4"/></svg>
<iframe src="javascript:console.log('XSS-body-iframe')"></iframe>
<iframe srcdoc="<script>parent.console.log('XSS-body-srcdoc')</script>"></iframe>
<div onmouseover="console.log('XSS-body-hover')" style="background:url(javascript:alert(1))">жол</div>
<form action="javascript:console.log('XSS-body-form')"><button>Жіберу</button></form>
<details open ontoggle="console.log('XSS-body-toggle')"><summary>ашу</summary></details>
<math><mtext><table><mglyph><style><img src=x onerror="console.log('XSS-body-mxss')"></style></mglyph></table></mtext></math>
<!-- <img src=x onerror="console.log('XSS-body-comment')"> -->
"""
HOSTILE = dict(
    tags='<script>alert("XSS-tag")</script>, <img src=x onerror=alert(\'XSS-tag-img\')>',
    summary='<img src=x onerror="console.log(\'XSS-summary\')"> Қысқаша '
            '<a href="javascript:alert(\'XSS-summary-link\')">сілтеме</a>',
    author='<script>alert("XSS-author")</script>',
    source="javascript:alert('XSS-source')",
    location='<img src=x onerror="alert(\'XSS-location\')">',
    organizer="<script>alert('XSS-organizer')</script>",
    event_start="2024-01-27",
    category="event-report",
    regions="KZ-55",
    slug="hostile-report",
)
# Migrated pages often hotlink images that are gone: the onerror payload needs one that fails to load.
QUICK = {"SEARCH_INDEX": False, "CHECKS_AS_WARNINGS": ["missing-image"]}

RUNNABLE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attr.name.startsWith('on') || value.startsWith('javascript:') || attr.name === 'srcdoc')
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  // Data blocks (JSON-LD) may quote the title; a script the browser would run may not.
  for (const el of document.querySelectorAll('script:not([src])')) {
    const type = (el.getAttribute('type') || 'text/javascript').toLowerCase();
    if (!type.endsWith('json') && el.textContent.includes('XSS')) found.push('SCRIPT ' + el.textContent);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    work = tmp_path_factory.mktemp("xss")
    write_article(work / "content", TITLE, date="2024-01-28 10:00", body=BODY, **HOSTILE)
    write_article(work / "content", "Hostile report", lang="en", date="2024-01-28 10:00", body="Plain.",
                  translation_key="hostile-report", category="event-report", event_start="2024-01-27")
    return build_site(work / "content", work / "out", **QUICK)


def visit(browser, base, url):
    """Open one page; return what ran (dialogs, console markers, page errors) and what still could."""
    context = browser.new_context()
    tab = context.new_page()
    ran = []
    tab.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    tab.on("console", lambda message: ran.append(f"console: {message.text}") if "XSS" in message.text else None)
    tab.on("pageerror", lambda error: ran.append(f"pageerror: {error}"))
    tab.goto(base + url, wait_until="load")
    for element in tab.query_selector_all("main a, main div, main details"):
        element.hover(timeout=2000, force=True)  # onmouseover would fire here
    tab.wait_for_timeout(300)  # failed images fire onerror after load
    runnable = tab.evaluate(RUNNABLE)
    title_text = tab.inner_text("h1")
    document_title = tab.title()
    context.close()
    return ran, runnable, title_text, document_title


def pages_with_payloads(out):
    urls = ["kk/2024/01/hostile-report/", "kk/", "", "en/2024/01/hostile-report/"]
    article = page(out, urls[0])
    urls += [a.get("href").lstrip("./") for a in article.cssselect(".tags a")][:1]
    for candidate in ("kk/events/",):
        if (out / candidate / "index.html").exists():
            urls.append(candidate)
    return urls


def test_no_payload_runs_in_chromium_and_the_title_reads_as_written(browser, hostile_site):
    with served(hostile_site) as base:
        ran, runnable, title_text, document_title = visit(browser, base, "kk/2024/01/hostile-report/")
    assert ran == []
    assert runnable == []
    assert title_text == TITLE  # shown as text, angle brackets and all
    assert document_title.startswith(TITLE)


def test_listing_pages_run_no_payload(browser, hostile_site):
    urls = pages_with_payloads(hostile_site)
    assert len(urls) >= 5  # the tag page of the hostile tag is among them
    with served(hostile_site) as base:
        for url in urls[1:]:
            ran, runnable, _, _ = visit(browser, base, url)
            assert (url, ran, runnable) == (url, [], [])


def test_hostile_values_stay_visible_as_text(hostile_site):
    article = page(hostile_site, "kk/2024/01/hostile-report/")
    tags = [a.text_content() for a in article.cssselect(".tags a")]
    assert '<script>alert("XSS-tag")</script>' in tags
    card_titles = [a.text_content() for a in page(hostile_site, "kk/").cssselect(".card-title a")]
    assert TITLE in card_titles
    body_text = article.cssselect(".article-body")[0].text_content()
    assert "Кіріспе" in body_text and "сілтеме" in body_text and "XSS-body-comment" not in body_text


EDITORS_BODY = """## Бағдарлама

| Күн | Іс-шара |
|-----|---------|
| 27 қаңтар | Ашылу |

- бірінші
- екінші

<figure><img src="{static}/images/hall.jpg" alt="Зал" width="640" height="480"><figcaption>Мәжіліс залы</figcaption></figure>

[Ұйымдастырушы](https://example.org/about "сайт")

<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560" height="315" allowfullscreen></iframe>
<iframe src="http://www.youtube.com/embed/plain-http"></iframe>
<iframe src="https://video.example.net/embed/elsewhere"></iframe>
<!-- редактордың ескертпесі -->
"""


def test_editors_markup_survives_and_only_allowed_video_hosts_embed(tmp_path):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "hall.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    write_article(content, "Бағдарлама", slug="programme", body=EDITORS_BODY)
    out = build_site(content, tmp_path / "out", SEARCH_INDEX=False)
    body = page(out, "kk/2024/01/programme/").cssselect(".article-body")[0]
    assert [h.text_content() for h in body.cssselect("h2")] == ["Бағдарлама"]
    assert [td.text_content() for td in body.cssselect("table td")] == ["27 қаңтар", "Ашылу"]
    assert [li.text_content() for li in body.cssselect("ul li")] == ["бірінші", "екінші"]
    image = body.cssselect("figure img")[0]
    assert (image.get("src").endswith("/images/hall.jpg"), image.get("alt"), image.get("width")) == (True, "Зал", "640")
    assert body.cssselect("figure figcaption")[0].text_content() == "Мәжіліс залы"
    link = body.cssselect("a")[0]
    assert (link.get("href"), link.get("title")) == ("https://example.org/about", "сайт")
    assert [frame.get("src") for frame in body.cssselect("iframe")] == ["https://www.youtube-nocookie.com/embed/abc123"]
    assert "ескертпесі" not in (out / "kk/2024/01/programme/index.html").read_text(encoding="utf-8")


def test_video_hosts_come_from_the_setting(tmp_path):
    content = tmp_path / "content"
    write_article(content, "Бейне", slug="video", body=EDITORS_BODY.replace("{static}/images/hall.jpg", "#"))
    out = build_site(content, tmp_path / "out", SEARCH_INDEX=False, VIDEO_EMBED_HOSTS=["video.example.net"])
    frames = page(out, "kk/2024/01/video/").cssselect(".article-body iframe")
    assert [frame.get("src") for frame in frames] == ["https://video.example.net/embed/elsewhere"]
