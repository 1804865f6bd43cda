"""Atom and RSS feeds as feed readers get them: valid, complete, one language at a time."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from contentfactory import write_article
from sitebuild import PROJECT, build_site
from sitepages import card_links, page, site_url

SITEURL = "https://example.org/archive"
DEV_SITEURL = "http://127.0.0.1:8000"  # FEED_DOMAIN in pelicanconf.py
SCHEMAS = Path(__file__).parent / "schemas"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
LANGS = ["kk", "ky", "ru", "en"]
LINKING_SLUG = "siltemeler-men-suret"
PLAIN_TITLE = "Q&A: <b>not bold</b> \x07here"


# The smallest PNG: one transparent pixel.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def add_feed_test_articles(content: Path):
    """Articles that exercise what feeds must get right: links, images, control characters, authors."""
    images = content / "images"
    images.mkdir(parents=True, exist_ok=True)
    for name in ("photo.png", "wide.png"):
        (images / name).write_bytes(PIXEL)
    write_article(
        content, "Сілтемелер мен сурет", lang="kk", date="2024-02-10 09:30", slug=LINKING_SLUG,
        author="Айгүл Сәрсенова", tags="семинар, сілтеме", regions="KZ-55", category="news",
        summary="Қысқаша\x0b мазмұны.",
        body=("Бірінші абзац\x08 мәтіні.\n\n"
              "[Алдыңғы хабар]({filename}/articles/2023/2023-07-05-tazhiribe-almasty.kk.md), "
              "[салыстырмалы сілтеме](../../../tags/seminar/) және "
              "[сыртқы сайт](https://example.com/page).\n\n"
              "![Сурет]({static}/images/photo.png)\n\n"
              '<img src="{static}/images/wide.png" alt="Кең сурет">\n'))
    write_article(content, PLAIN_TITLE, lang="en", date="2024-02-11 09:00", slug="q-and-a", body="Text.")


# The feed articles carry pasted control characters on purpose; a migration lets them
# through as warnings, and they must still never reach a feed.
PASTED_CONTROL_CHARACTERS_ALLOWED = ["control-character"]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("feeds") / "content"
    shutil.copytree(PROJECT / "content", folder)
    add_feed_test_articles(folder)
    return folder


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    return build_site(content, tmp_path_factory.mktemp("published") / "output", conf="publishconf.py",
                      SITEURL=SITEURL, CHECKS_AS_WARNINGS=PASTED_CONTROL_CHARACTERS_ALLOWED)


@pytest.fixture(scope="module")
def dev_site(content, tmp_path_factory) -> Path:
    return build_site(content, tmp_path_factory.mktemp("dev") / "output",
                      CHECKS_AS_WARNINGS=PASTED_CONTROL_CHARACTERS_ALLOWED)


@pytest.fixture(scope="module")
def atom_schema():
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


def atom_feeds(output: Path) -> list[Path]:
    return sorted(output.rglob("*.atom.xml"))


def article_pages(output: Path, lang: str) -> set[str]:
    """Site URLs of every article page the build wrote in one language."""
    return {f"{p.parent.relative_to(output).as_posix()}/"
            for p in (output / lang).glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")}


def entry_urls(feed_path: Path, base: str = SITEURL) -> list[str]:
    """Site URLs of a feed's entries (its absolute links with the site's address taken off)."""
    parsed = feedparser.parse(feed_path.read_bytes())
    return [entry.link.removeprefix(base + "/") for entry in parsed.entries]


def parse_atom(path: Path):
    return etree.parse(str(path))


# ---- validity -------------------------------------------------------------------------------

def test_every_atom_feed_conforms_to_rfc_4287(site, atom_schema):
    feeds = atom_feeds(site)
    assert len(feeds) > 20
    for path in feeds:
        doc = parse_atom(path)
        assert atom_schema.validate(doc), f"{path.relative_to(site)}: {atom_schema.error_log}"
        # The RFC's Schematron rules, which libxml2 does not evaluate.
        for entry in doc.iterfind("a:entry", ATOM):
            assert entry.find("a:author", ATOM) is not None or doc.find("a:author", ATOM) is not None
            assert entry.xpath("a:link[@rel='alternate' or not(@rel)] | a:content", namespaces=ATOM)


def test_every_feed_parses_in_feedparser_without_errors(site):
    feeds = sorted(site.rglob("feeds/**/*.xml"))
    assert any(p.name == "all.rss.xml" for p in feeds)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.relative_to(site)}: {parsed.get('bozo_exception')}"
        assert parsed.version in ("atom10", "rss20"), path
        assert parsed.entries, path


def test_schema_rejects_a_feed_missing_what_rfc_4287_requires(site, atom_schema):
    """The converted schema is not vacuous: entry id, entry updated and the feed's title are required."""
    for xpath in ("a:entry/a:id", "a:entry/a:updated", "a:title"):
        doc = parse_atom(site / "kk/feeds/all.atom.xml")
        assert atom_schema.validate(doc)
        element = doc.getroot().xpath(xpath, namespaces=ATOM)[0]
        element.getparent().remove(element)
        assert not atom_schema.validate(doc), f"schema accepts a feed without {xpath}"


def test_atom_schema_defines_every_pattern_of_rfc_4287():
    compact = (SCHEMAS / "atom.rnc").read_text(encoding="utf-8")
    compact_names = set(re.findall(r"^(\w+)\s*=", compact, re.MULTILINE)) - {"start"}
    rng = etree.parse(str(SCHEMAS / "atom.rng"))
    xml_names = set(rng.xpath("//r:define/@name", namespaces={"r": "http://relaxng.org/ns/structure/1.0"}))
    assert compact_names == xml_names
    assert {"atomFeed", "atomEntry", "atomPersonConstruct", "atomDateConstruct"} <= xml_names


def test_feeds_have_no_control_characters(site):
    for path in site.rglob("feeds/**/*.xml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text), path
    content = feedparser.parse((site / "kk/feeds/all.atom.xml").read_bytes()).entries[0].content[0].value
    assert "Бірінші абзац мәтіні." in content


# ---- the language split ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_language_feed_has_every_article_of_its_language_and_no_other(site, lang):
    for format in ("atom", "rss"):
        urls = entry_urls(site / lang / "feeds" / f"all.{format}.xml")
        assert len(urls) == len(set(urls))
        assert set(urls) == article_pages(site, lang), format


def test_russian_feed_has_no_kazakh_article(site):
    parsed = feedparser.parse((site / "ru/feeds/all.atom.xml").read_bytes())
    kazakh = article_pages(site, "kk")
    assert kazakh
    assert not {e.link.removeprefix(SITEURL + "/") for e in parsed.entries} & kazakh
    assert parsed.feed.language == "ru"
    root = parse_atom(site / "ru/feeds/all.atom.xml").getroot()
    assert root.get(XML_LANG) == "ru"
    assert {entry.get(XML_LANG) for entry in root.iterfind("a:entry", ATOM)} == {"ru"}


def test_kazakh_feed_has_no_russian_entry(site):
    parsed = feedparser.parse((site / "kk/feeds/all.atom.xml").read_bytes())
    assert all(entry.link.startswith(f"{SITEURL}/kk/") for entry in parsed.entries)
    assert all(entry.get("language", "kk") == "kk" for entry in parsed.entries)


def test_all_languages_feed_has_every_article_each_in_its_own_language(site):
    root = parse_atom(site / "feeds/all.atom.xml").getroot()
    assert root.get(XML_LANG) is None  # the feed mixes languages; each entry says its own
    entries = root.findall("a:entry", ATOM)
    expected = set().union(*(article_pages(site, lang) for lang in LANGS))
    links = {e.find("a:link[@rel='alternate']", ATOM).get("href").removeprefix(SITEURL + "/"): e for e in entries}
    assert set(links) == expected
    for url, entry in links.items():
        assert entry.get(XML_LANG) == url.split("/", 1)[0]
    rss = entry_urls(site / "feeds/all.rss.xml")
    assert set(rss) == expected


def term_pages(output: Path, lang: str, kind: str) -> list[str]:
    return sorted(f"{p.parent.relative_to(output).as_posix()}/" for p in (output / lang / kind).glob("*/index.html"))


@pytest.mark.parametrize("lang", LANGS)
def test_each_tag_category_and_region_has_a_feed_of_exactly_its_articles(dev_site, lang):
    checked = 0
    for kind in ("tags", "categories", "regions"):
        for url in term_pages(dev_site, lang, kind):
            slug = url.rstrip("/").rsplit("/", 1)[-1]
            feed = dev_site / lang / "feeds" / kind / f"{slug}.atom.xml"
            assert feed.exists(), f"no feed for /{url}"
            assert sorted(entry_urls(feed, DEV_SITEURL)) == sorted(card_links(dev_site, url)), url
            checked += 1
    assert checked >= 3


def test_an_article_has_the_same_entry_in_every_feed_that_lists_it(site):
    """feeds.py writes an entry once per format and copies it into each feed: the copy in a term's
    feed is the entry of that same article, as its language's feed has it."""
    def entries(path: Path) -> dict[str, bytes]:
        root = parse_atom(path).getroot()
        return {entry.findtext("{http://www.w3.org/2005/Atom}id"): etree.tostring(entry)
                for entry in root.iter("{http://www.w3.org/2005/Atom}entry")}

    language = entries(site / "kk" / "feeds" / "all.atom.xml")
    compared = 0
    for feed in sorted((site / "kk" / "feeds").glob("*/*.atom.xml")):
        for entry_id, xml in entries(feed).items():
            if entry_id in language:
                assert xml == language[entry_id], (feed, entry_id)
                compared += 1
    assert compared >= 5


def test_entries_are_newest_first(site):
    parsed = feedparser.parse((site / "kk/feeds/all.atom.xml").read_bytes())
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)


# ---- what an entry carries ------------------------------------------------------------------

def kazakh_linking_entry(site):
    parsed = feedparser.parse((site / "kk/feeds/all.atom.xml").read_bytes())
    return next(entry for entry in parsed.entries if LINKING_SLUG in entry.link)


def test_entry_content_is_the_full_article_with_absolute_links(site):
    entry = kazakh_linking_entry(site)
    article_url = f"{SITEURL}/kk/2024/02/{LINKING_SLUG}/"
    assert entry.link == article_url
    body = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    hrefs = [a.get("href") for a in body.iter("a")]
    assert hrefs == [f"{SITEURL}/kk/2023/07/tazhiribe-almasty/", f"{SITEURL}/kk/tags/seminar/",
                     "https://example.com/page"]
    sources = [img.get("src") for img in body.iter("img")]
    assert sources == [f"{SITEURL}/images/photo.png", f"{SITEURL}/images/wide.png"]
    assert entry.content[0].type == "text/html"


def test_responsive_image_candidates_are_made_absolute_too():
    from newsarchive.metadata import absolute_html

    html = absolute_html('<p><img src="a.png" srcset="../s.png 480w, /l.png 2x"></p>', "https://example.org/x/kk/a/")
    image = lxml.html.fragment_fromstring(html).find(".//img")
    assert image.get("src") == "https://example.org/x/kk/a/a.png"
    assert image.get("srcset") == "https://example.org/x/kk/s.png 480w, https://example.org/l.png 2x"


def test_entry_links_resolve_to_pages_the_build_wrote(site):
    entry = kazakh_linking_entry(site)
    body = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    for href in body.xpath("//a/@href"):
        if href.startswith(SITEURL + "/"):
            assert (site / href.removeprefix(SITEURL + "/") / "index.html").exists(), href
    for src in body.xpath("//img/@src"):
        assert (site / src.removeprefix(SITEURL + "/")).exists(), src


def test_entry_carries_summary_dates_language_terms_and_author(site):
    entry = kazakh_linking_entry(site)
    assert "Қысқаша мазмұны." in entry.summary
    root = parse_atom(site / "kk/feeds/all.atom.xml").getroot()
    atom_entry = next(e for e in root.iterfind("a:entry", ATOM) if LINKING_SLUG in e.findtext("a:id", namespaces=ATOM))
    published = atom_entry.findtext("a:published", namespaces=ATOM)
    assert RFC3339.match(published) and RFC3339.match(atom_entry.findtext("a:updated", namespaces=ATOM))
    assert published == "2024-02-10T09:30:00+06:00"  # the site's zone, Asia/Almaty
    assert atom_entry.get(XML_LANG) == "kk"
    terms = {(tag.term, tag.scheme) for tag in entry.tags}
    assert ("семинар", f"{SITEURL}/kk/tags/") in terms
    assert ("сілтеме", f"{SITEURL}/kk/tags/") in terms
    assert ("Жаңалықтар", f"{SITEURL}/kk/categories/") in terms
    assert ("Павлодар облысы", f"{SITEURL}/kk/regions/") in terms
    assert entry.author == "Айгүл Сәрсенова"


def test_entry_title_is_the_plain_text_title(site):
    root = parse_atom(site / "en/feeds/all.atom.xml").getroot()
    entry = next(e for e in root.iterfind("a:entry", ATOM) if "q-and-a" in e.findtext("a:id", namespaces=ATOM))
    title = entry.find("a:title", ATOM)
    assert title.get("type", "text") == "text"
    assert title.text == "Q&A: <b>not bold</b> here"


def test_entry_without_author_names_the_site(site):
    parsed = feedparser.parse((site / "ru/feeds/all.atom.xml").read_bytes())
    assert parsed.feed.author == "Steppe Reports"
    assert all(entry.author == "Steppe Reports" for entry in parsed.entries)


def test_entry_ids_are_tag_uris_unique_and_stable_across_builds(site, content, tmp_path):
    again = build_site(content, tmp_path / "again", conf="publishconf.py", SITEURL=SITEURL,
                       CHECKS_AS_WARNINGS=PASTED_CONTROL_CHARACTERS_ALLOWED)
    for path in atom_feeds(site):
        first = parse_atom(path).getroot()
        second = parse_atom(again / path.relative_to(site)).getroot()
        ids = [e.findtext("a:id", namespaces=ATOM) for e in first.iterfind("a:entry", ATOM)]
        assert all(i.startswith("tag:example.org,") for i in ids)
        assert ids == [e.findtext("a:id", namespaces=ATOM) for e in second.iterfind("a:entry", ATOM)]
        assert first.findtext("a:id", namespaces=ATOM) == second.findtext("a:id", namespaces=ATOM)
        assert first.findtext("a:updated", namespaces=ATOM) == second.findtext("a:updated", namespaces=ATOM)
    all_ids = [i for p in atom_feeds(site) if p.parent.name == "feeds" and p.name == "all.atom.xml"
               for i in parse_atom(p).getroot().xpath("a:entry/a:id/text()", namespaces=ATOM)]
    counts = Counter(all_ids)  # each article once per language feed and once in the all-languages feed
    assert set(counts.values()) == {2}


def test_feed_id_and_self_link_are_the_feeds_own_address(site):
    root = parse_atom(site / "kk/feeds/tags/seminar.atom.xml").getroot()
    assert root.findtext("a:id", namespaces=ATOM) == f"{SITEURL}/kk/feeds/tags/seminar.atom.xml"
    assert root.find("a:link[@rel='self']", ATOM).get("href") == f"{SITEURL}/kk/feeds/tags/seminar.atom.xml"
    assert root.find("a:link[@rel='alternate']", ATOM).get("href") == f"{SITEURL}/kk/tags/seminar/"
    assert "семинар" in root.findtext("a:title", namespaces=ATOM)


def test_rss_channel_has_the_required_elements(site):
    for lang in LANGS:
        channel = etree.parse(str(site / lang / "feeds/all.rss.xml")).getroot().find("channel")
        assert channel.findtext("title").strip()
        assert channel.findtext("link") == f"{SITEURL}/{lang}/"
        assert channel.findtext("description").strip()
        assert channel.findtext("language") == lang
        for item in channel.iterfind("item"):
            assert item.findtext("title") and item.findtext("link").startswith(SITEURL)
            assert item.find("guid").get("isPermaLink") == "true"
            assert item.findtext("pubDate")
            assert item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")


def test_feed_size_is_bounded_by_the_setting(tmp_path):
    content = tmp_path / "content"
    for day in range(1, 6):
        write_article(content, f"Хабар {day}", lang="kk", date=f"2024-03-0{day} 10:00", tags="мұрағат")
    write_article(content, "Жалғыз", lang="ru", date="2024-03-01 10:00")
    output = build_site(content, tmp_path / "output", FEED_MAX_ENTRIES=3)
    newest = ["kk/2024/03/khabar-5/", "kk/2024/03/khabar-4/", "kk/2024/03/khabar-3/"]
    for feed in ("kk/feeds/all.atom.xml", "kk/feeds/all.rss.xml", "kk/feeds/tags/muragat.atom.xml",
                 "feeds/all.atom.xml"):
        parsed = feedparser.parse((output / feed).read_bytes())
        assert [e.link.removeprefix(DEV_SITEURL + "/") for e in parsed.entries] == newest, feed


@pytest.mark.parametrize("value", [0, "50", 2.5])
def test_a_wrong_feed_size_setting_is_reported_by_name(tmp_path, value):
    from newsarchive.errors import ContentError

    write_article(tmp_path / "content", "Хабар", lang="kk")
    with pytest.raises(ContentError, match="FEED_MAX_ENTRIES: cannot be"):
        build_site(tmp_path / "content", tmp_path / "output", FEED_MAX_ENTRIES=value)


def test_feed_size_defaults_to_fifty(tmp_path):
    content = tmp_path / "content"
    for number in range(55):
        write_article(content, f"Хабар {number}", lang="en", date=f"2024-04-01 10:{number:02d}", body="Text.")
    output = build_site(content, tmp_path / "output")
    assert len(feedparser.parse((output / "en/feeds/all.atom.xml").read_bytes()).entries) == 50


# ---- discovery ------------------------------------------------------------------------------

def feed_links(doc, page_url: str) -> dict[str, str]:
    return {link.get("type"): site_url(page_url, link.get("href"))
            for link in doc.xpath("//head/link[@rel='alternate'][@type]")
            if link.get("type").endswith(("atom+xml", "rss+xml"))}


def test_every_page_of_a_language_links_that_languages_feeds(dev_site):
    for url in ["kk/", f"kk/2024/02/{LINKING_SLUG}/", "kk/archive/", "kk/regions/", "ru/tags/obrazovanie/"]:
        lang = url[:2]
        doc = page(dev_site, url)
        hrefs = [site_url(url, link.get("href")) for link in doc.xpath("//head/link[@rel='alternate'][@type]")]
        assert f"{lang}/feeds/all.atom.xml" in hrefs and f"{lang}/feeds/all.rss.xml" in hrefs, url
        for href in hrefs:
            assert (dev_site / href).exists(), (url, href)


def test_tag_page_offers_its_own_feed_first(dev_site):
    doc = page(dev_site, "kk/tags/seminar/")
    atom = doc.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    assert site_url("kk/tags/seminar/", atom[0].get("href")) == "kk/feeds/tags/seminar.atom.xml"
    assert "семинар" in atom[0].get("title")


def test_chooser_links_the_all_languages_feed(dev_site):
    links = feed_links(page(dev_site, ""), "")
    assert links == {"application/atom+xml": "feeds/all.atom.xml", "application/rss+xml": "feeds/all.rss.xml"}


def test_published_pages_link_feeds_under_siteurl(site):
    doc = page(site, "ky/")
    hrefs = doc.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert hrefs == [f"{SITEURL}/ky/feeds/all.atom.xml"]


@pytest.mark.parametrize("url, feed", [
    ("kk/", "kk/feeds/all.atom.xml"),
    ("kk/tags/seminar/", "kk/feeds/tags/seminar.atom.xml"),
    ("en/categories/event-report/", "en/feeds/categories/event-report.atom.xml"),
    ("ru/regions/abaiskaia-oblast/", "ru/feeds/regions/abaiskaia-oblast.atom.xml"),
])
def test_list_pages_show_a_visible_feed_link(dev_site, url, feed):
    links = page(dev_site, url).cssselect(".feed-link a[type='application/atom+xml']")
    assert len(links) == 1
    assert site_url(url, links[0].get("href")) == feed
    assert links[0].text_content().strip()
    assert (dev_site / feed).exists()


def test_dev_build_feeds_use_the_development_address(dev_site):
    parsed = feedparser.parse((dev_site / "kk/feeds/all.atom.xml").read_bytes())
    assert not parsed.bozo
    assert parsed.feed.id == "http://127.0.0.1:8000/kk/feeds/all.atom.xml"
    assert all(entry.link.startswith("http://127.0.0.1:8000/kk/") for entry in parsed.entries)


def test_reader_follows_the_visible_feed_link_to_a_feed(dev_site, browser):
    from browser import served

    with served(dev_site) as base:
        tab = browser.new_page()
        try:
            tab.goto(base + "ru/tags/obrazovanie/")
            with tab.expect_response(lambda response: response.url.endswith(".atom.xml")) as answer:
                tab.locator(".feed-link a").first.click()
            response = answer.value
            assert response.ok
            parsed = feedparser.parse(response.body())
            assert not parsed.bozo
            assert [e.link.removeprefix(DEV_SITEURL + "/") for e in parsed.entries] == \
                card_links(dev_site, "ru/tags/obrazovanie/")
        finally:
            tab.close()
