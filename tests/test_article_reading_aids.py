"""What an article page gives its reader besides the text: breadcrumb, reading time, related reports, sized images."""
from __future__ import annotations

import datetime as dt
import html
import random
import time
from collections import Counter

import pytest
from PIL import Image

from contentfactory import write_article
from newsarchive import reading_time
from newsarchive.related import RELATED_MAX, _best, link_related
from newsarchive.sections import Listing
from sitebuild import build_site
from sitepages import page, site_url

FLOOD = "kk/2024/03/su-tasqyny/"
RU_FLOOD = "ru/2024/03/navodnenie/"
EN_REPORT = "en/2024/03/spring-report/"
ALONE = "kk/2024/03/basqa-taqyryp/"
WORDS = " ".join(["сөз"] * 100)


def _images(content):
    folder = content / "images"
    folder.mkdir(parents=True)
    Image.new("RGB", (640, 480), "steelblue").save(folder / "photo.png")
    # A camera's portrait shot: stored 300×200 with EXIF orientation 6, shown 200×300 by browsers.
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (300, 200), "olive").save(folder / "turned.jpg", exif=exif)
    (folder / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading-aids")
    content = root / "content"
    _images(content)
    body = "\n\n".join([
        "![Сурет]({static}/images/photo.png)",
        '<img src="/images/turned.jpg" alt="Тік сурет">',
        "![Сызба]({static}/images/drawing.svg)",
        '<img src="/images/photo.png" alt="Кіші сурет" width="320">',
        '<img src="../../../../images/photo.png" alt="Сілтемемен" loading="eager">',
        *([WORDS] * 10),  # 1,000 words: five minutes
    ])
    write_article(content, "Су тасқыны", slug="su-tasqyny", date="2024-03-10 10:00", body=body,
                  category="news", tags="су, көктем", regions="KZ-55")
    write_article(content, "Екі тег пен өңір", date="2024-01-01 10:00", tags="су, көктем", regions="KZ-55")
    write_article(content, "Бір тег", date="2024-03-09 10:00", tags="су", regions="KZ-35")
    write_article(content, "Тег пен өңір", date="2024-02-01 10:00", tags="көктем", regions="KZ-55")
    write_article(content, "Басқа тақырып", slug="basqa-taqyryp", date="2024-03-11 10:00", tags="басқа",
                  regions="KZ-79")
    write_article(content, "Тек өңір, ертерек", date="2024-03-08 10:00", tags="ауа райы", regions="KZ-55")
    write_article(content, "Тек өңір, кейінірек", date="2024-03-12 10:00", tags="жол", regions="KZ-55")
    write_article(content, "Бір тег, ескі", date="2023-01-01 10:00", tags="су", regions="KZ-10")
    # Same words, same region, another language: never related to a Kazakh report.
    write_article(content, "Наводнение", lang="ru", slug="navodnenie", date="2024-03-10 11:00",
                  body=" ".join(["слово"] * 600), tags="су, көктем", regions="KZ-55")
    write_article(content, "Spring report", lang="en", slug="spring-report", date="2024-03-10 12:00",
                  body=" ".join(["word"] * 450), regions="KZ-55")
    return build_site(content, root / "output", SEARCH_INDEX=False)


def plain(element) -> str:
    return " ".join(element.text_content().split())


# ---- breadcrumb ----------------------------------------------------------------------------------

def test_article_breadcrumb_leads_from_the_language_through_the_category_to_the_article(site):
    doc = page(site, FLOOD)
    (crumbs,) = doc.cssselect("nav.breadcrumb[aria-label]")
    assert crumbs.get("aria-label") == "Навигация жолы"
    items = crumbs.cssselect("ol > li")
    assert [plain(item) for item in items] == ["Қазақша", "Жаңалықтар", "Су тасқыны"]
    assert [site_url(FLOOD, a.get("href")) for a in crumbs.cssselect("a")] == ["kk/", "kk/categories/news/"]
    current = crumbs.cssselect("[aria-current=page]")
    assert [plain(element) for element in current] == ["Су тасқыны"]
    assert current[0].tag != "a"


# ---- reading time --------------------------------------------------------------------------------

@pytest.mark.parametrize("url, shown", [
    (FLOOD, "Оқуға 5 минут"),           # 1,000 words
    (RU_FLOOD, "3 минуты чтения"),      # 600 words, Russian plural for 3
    (EN_REPORT, "2 min read"),          # 450 words, rounded
    (ALONE, "Оқуға 1 минут"),           # one word: never less than a minute
])
def test_article_shows_its_reading_time_in_its_language(site, url, shown):
    (reading,) = page(site, url).cssselect(".article-header .meta .reading-time")
    assert plain(reading) == shown


def words_by_one_expression(body: str) -> int:
    """The count as the word expression gives it over the whole text (what count_words must equal)."""
    return len(reading_time._WORD.findall(html.unescape(reading_time._TAG.sub(" ", body))))


@pytest.mark.parametrize("body, words", [
    ("<p>Жаңа well-known сөз, don't — 2024 ж.</p>", 6),
    ('<p>a-b-c a--b -a- \'a\' x’y snake_case 1,5 co-op\'s</p><img alt="not counted">', 10),
    ("<p>don&#39;t&nbsp;stop&amp;go</p>", 3),  # entities are text: an apostrophe joins, a space parts
    ("<p>café ² Ⅻ ١٢٣ e\u0301te</p>", 6),  # digits and numerals of any script; a combining accent parts
    ("", 0),
])
def test_words_are_counted_as_the_word_expression_counts_them(body, words):
    assert reading_time.count_words(body) == words_by_one_expression(body) == words


def test_any_text_has_the_words_the_word_expression_finds():
    rng = random.Random(7)
    alphabet = "aзӘ_1²-'’ ,.;\u00a0\u0301\u2028\x1c\t\n&#39;"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(20)))
        assert reading_time.count_words(text) == words_by_one_expression(text), repr(text)


# ---- related reports -----------------------------------------------------------------------------

def test_related_reports_rank_shared_tags_over_regions_then_nearness_in_date(site):
    doc = page(site, FLOOD)
    (related,) = doc.cssselect("section.related")
    assert plain(related.cssselect("h2")[0]) == "Тақырыпқа қатысты материалдар"
    titles = [plain(a) for a in related.cssselect("li a")]
    # Two tags and the region; one tag and the region; one tag each (the nearer date first); region only
    # (two equally near: the newer). The sixth that shares something is left out.
    assert titles == ["Екі тег пен өңір", "Тег пен өңір", "Бір тег", "Бір тег, ескі", "Тек өңір, кейінірек"]
    assert len(titles) == RELATED_MAX
    links = [site_url(FLOOD, a.get("href")) for a in related.cssselect("li a")]
    assert all(link.startswith("kk/") for link in links) and FLOOD not in links
    assert related.cssselect("li time[datetime]")


def test_article_sharing_no_tag_or_region_shows_no_related_list(site):
    assert not page(site, ALONE).cssselect("section.related")


def test_related_reports_stay_in_the_article_language(site):
    doc = page(site, RU_FLOOD)
    assert not doc.cssselect("section.related"), "a Russian report listed Kazakh ones as related"


def test_related_reports_are_the_best_by_score_then_nearness_then_the_newer_then_the_order_counted():
    """_best against the rule itself, on scores with many ties and reports of the same moment."""
    chooser = random.Random(7)
    for _ in range(2000):
        reports = [object() for _ in range(chooser.randrange(0, 60))]
        scores = Counter({report: chooser.choice((1, 2, 2, 3, 4)) for report in reports})
        stamp = {report: float(chooser.randrange(0, 12)) for report in reports}
        when = float(chooser.randrange(0, 12))
        rule = sorted(scores, key=lambda other: (-scores[other], abs(stamp[other] - when), -stamp[other]))
        assert _best(scores, stamp, when, RELATED_MAX) == rule[:RELATED_MAX]


def _section(count: int):
    """`count` articles, newest first, an hour apart: one tag all share, one of 20 regions each."""
    class Article:
        def __init__(self, date):
            self.date = date

    common = Listing("tag", "common", "")
    regions = [Listing("region", f"r{n}", "") for n in range(20)]
    start = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    articles = [Article(start + dt.timedelta(hours=count - n)) for n in range(count)]
    for n, article in enumerate(articles):
        own = Listing("tag", f"own-{n}", "", articles=[article])
        article.tag_listings = [common, own]
        article.region_listings = [regions[n % 20]]
        common.articles.append(article)
        regions[n % 20].articles.append(article)
    return articles


def test_related_reports_of_twenty_thousand_articles_take_seconds_not_minutes():
    """Every article shares one tag with all others: scoring all pairs would be 400 million steps."""
    articles = _section(20_000)
    started = time.perf_counter()
    link_related(articles)
    elapsed = time.perf_counter() - started
    assert elapsed < 15, f"{elapsed:.1f} s"
    assert all(len(article.related) == RELATED_MAX and article not in article.related for article in articles)
    # The shared tag outweighs a shared region (its reports are 20 hours apart here); of the
    # reports with that tag, the nearest in date come first.
    middle = articles[10_000]
    assert sorted(abs(other.date - middle.date) / dt.timedelta(hours=1) for other in middle.related) == \
        [1, 1, 2, 2, 3]


# ---- images --------------------------------------------------------------------------------------

def _body_images(site):
    return {img.get("alt"): img for img in page(site, FLOOD).cssselect(".article-body img")}


def test_body_images_load_lazily_and_decode_off_the_main_thread(site):
    images = _body_images(site)
    assert len(images) == 5
    assert {alt: img.get("decoding") for alt, img in images.items()} == dict.fromkeys(images, "async")
    assert {alt: img.get("loading") for alt, img in images.items() if alt != "Сілтемемен"} == \
        dict.fromkeys(set(images) - {"Сілтемемен"}, "lazy")
    assert images["Сілтемемен"].get("loading") == "eager", "the editor's choice was overwritten"


def test_body_images_under_content_get_the_size_the_browser_shows(site):
    images = _body_images(site)
    size = lambda alt: (images[alt].get("width"), images[alt].get("height"))  # noqa: E731
    assert size("Сурет") == ("640", "480")
    assert size("Сілтемемен") == ("640", "480")   # relative to the page's address
    assert size("Тік сурет") == ("200", "300")    # EXIF says: turned a quarter
    assert size("Кіші сурет") == ("320", None)    # the editor's own width is kept, nothing guessed
    assert size("Сызба") == (None, None)          # SVG: no size Pillow can read
