"""sitemap.xml and robots.txt as a search engine reads them."""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from contentfactory import write_article
from sitebuild import PROJECT, build_site

SITEURL = "https://example.org/archive"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGS = ["kk", "ky", "ru", "en"]


def add_sitemap_test_articles(content: Path):
    # A draft is written to drafts/ but must not be announced; a modified article reports its change.
    write_article(content, "Жоба жобасы", lang="kk", date="2024-03-01 10:00", status="draft", category="news")
    write_article(content, "Жаңартылған хабар", lang="kk", date="2024-03-02 10:00",
                  modified="2024-03-20 15:45", translation_key="updated-report")
    write_article(content, "Обновлённое сообщение", lang="ru", date="2024-03-02 12:00",
                  translation_key="updated-report")


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sitemap") / "content"
    shutil.copytree(PROJECT / "content", folder)
    add_sitemap_test_articles(folder)
    return folder


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    # Two articles a page, so the front pages have a page 2 to list.
    return build_site(content, tmp_path_factory.mktemp("published") / "output", conf="publishconf.py",
                      SITEURL=SITEURL, DEFAULT_PAGINATION=2)


def sitemap_urls(output: Path, name: str = "sitemap.xml"):
    """{site URL: <url> element}; fails on a URL listed twice."""
    root = etree.parse(str(output / name)).getroot()
    assert root.tag == f"{{{NS['s']}}}urlset"
    locs = [loc.text for loc in root.iterfind("s:url/s:loc", NS)]
    assert len(locs) == len(set(locs)), [loc for loc, n in Counter(locs).items() if n > 1]
    assert all(loc.startswith(SITEURL + "/") for loc in locs)
    return {url.findtext("s:loc", namespaces=NS).removeprefix(SITEURL + "/"): url
            for url in root.iterfind("s:url", NS)}


def written_pages(output: Path) -> set[str]:
    """Site URLs of every HTML page in the output, but 404.html and drafts."""
    pages = set()
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative == "404.html" or relative.startswith("drafts/"):
            continue
        pages.add(relative.removesuffix("index.html"))
    return pages


def alternates(url_element) -> dict[str, str]:
    links = url_element.findall("x:link", NS)
    assert all(link.get("rel") == "alternate" for link in links)
    result = {link.get("hreflang"): link.get("href") for link in links}
    assert len(result) == len(links), "one hreflang listed twice"
    return result


def translation_groups(content: Path) -> dict[str, dict[str, str]]:
    """Translation_key -> {lang: site URL}, read from the article files (groups of two or more)."""
    from newsarchive.slugs import slugify

    groups = defaultdict(dict)
    for path in (content / "articles").rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        header = dict(line.split(": ", 1) for line in head.splitlines())
        if header.get("Status") == "draft":
            continue
        slug = header.get("Slug") or slugify(header["Title"])
        url = f"{header['Lang']}/{header['Date'][:4]}/{header['Date'][5:7]}/{slug}/"
        groups[header.get("Translation_key") or slug][header["Lang"]] = url
    return {key: group for key, group in groups.items() if len(group) > 1}


def test_every_article_page_is_listed_once(site):
    listed = sitemap_urls(site)
    articles = {f"{p.parent.relative_to(site).as_posix()}/"
                for lang in LANGS for p in (site / lang).glob("[0-9]*/[0-9]*/*/index.html")}
    assert len(articles) == 11
    assert articles <= set(listed)


def test_every_page_written_is_listed_and_nothing_else(site):
    listed = set(sitemap_urls(site))
    assert listed == written_pages(site)
    for url in ("", "kk/", "kk/page/2/", "kk/tags/", "kk/tags/seminar/", "ru/categories/event-report/",
                "en/regions/abai-region/", "kk/archive/", "kk/archive/2024/", "kk/archive/2024/01/"):
        assert url in listed, url


def test_drafts_and_the_404_page_are_not_listed(site):
    listed = set(sitemap_urls(site))
    assert (site / "404.html").exists()
    assert list((site / "drafts").rglob("index.html")), "the draft was not written: nothing to check"
    assert "404.html" not in listed
    assert not [url for url in listed if url.startswith("drafts/")]


def test_every_url_has_an_iso_lastmod(site):
    for url, element in sitemap_urls(site).items():
        lastmod = dt.datetime.fromisoformat(element.findtext("s:lastmod", namespaces=NS))
        assert lastmod.tzinfo is not None, url


def test_lastmod_is_the_articles_change_or_the_newest_article_listed(site):
    listed = sitemap_urls(site)
    updated = listed["kk/2024/03/zhanartylgan-khabar/"].findtext("s:lastmod", namespaces=NS)
    # In the site's zone (Asia/Almaty, whose offset changed in 2024: taken from the zone data).
    assert updated == dt.datetime(2024, 3, 20, 15, 45, tzinfo=ZoneInfo("Asia/Almaty")).isoformat()
    plain = listed["kk/2023/07/tazhiribe-almasty/"].findtext("s:lastmod", namespaces=NS)
    assert plain.startswith("2023-07-05T")
    # The tag page lists only the 2020 seminar report and the 2023 exchange: its newest is 2023.
    assert listed["kk/tags/seminar/"].findtext("s:lastmod", namespaces=NS).startswith("2023-07-05T")
    assert listed["kk/"].findtext("s:lastmod", namespaces=NS) == updated


def test_translation_groups_are_complete_and_symmetric(site, content):
    listed = sitemap_urls(site)
    for url, element in listed.items():
        links = alternates(element)
        if not links:
            continue
        assert links["x-default"] == f"{SITEURL}/"
        assert f"{SITEURL}/{url}" in links.values(), f"the group of {url} lacks {url} itself"
        for hreflang, href in links.items():
            assert href.startswith(SITEURL + "/")
            if hreflang == "x-default":
                continue  # the chooser is every group's default, and belongs to the front pages' group
            target = href.removeprefix(SITEURL + "/")
            assert target in listed, f"{url} points to {href}, which is not in the sitemap"
            assert alternates(listed[target]) == links, f"{url} and {target} disagree"

    groups = translation_groups(content)
    assert len(groups) >= 3
    for key, group in groups.items():
        expected = {lang: f"{SITEURL}/{url}" for lang, url in group.items()} | {"x-default": f"{SITEURL}/"}
        for url in group.values():
            assert alternates(listed[url]) == expected, key


def test_an_article_without_translation_has_no_alternates(site):
    listed = sitemap_urls(site)
    assert alternates(listed["kk/2023/07/tazhiribe-almasty/"]) == {}


def test_front_pages_form_one_group_with_the_chooser_as_default(site):
    listed = sitemap_urls(site)
    expected = {lang: f"{SITEURL}/{lang}/" for lang in LANGS} | {"x-default": f"{SITEURL}/"}
    for url in ("", "kk/", "ky/", "ru/", "en/"):
        assert alternates(listed[url]) == expected, url
    assert alternates(listed["kk/page/2/"]) == {}


def test_sitemap_hreflang_agrees_with_the_article_pages(site):
    import lxml.html

    listed = sitemap_urls(site)
    url = "ru/2024/01/rasshirennoe-zasedanie-soveta-po-razvitiiu-detskogo-i-molodezhnogo-dvizheniia/"
    doc = lxml.html.fromstring((site / url / "index.html").read_bytes())
    in_page = {link.get("hreflang"): link.get("href") for link in doc.xpath("//head/link[@hreflang]")}
    assert alternates(listed[url]) == in_page


def test_robots_txt_points_to_the_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    assert "User-agent: *" in robots
    assert "Disallow: /archive/drafts/" in robots


def test_large_sitemaps_become_an_index_of_parts(content, tmp_path):
    output = build_site(content, tmp_path / "output", conf="publishconf.py", SITEURL=SITEURL,
                        SITEMAP_MAX_URLS=20)
    index = etree.parse(str(output / "sitemap.xml")).getroot()
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    parts = [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)]
    assert len(parts) > 1
    seen = []
    for part in parts:
        name = part.removeprefix(SITEURL + "/")
        urls = sitemap_urls(output, name)
        assert len(urls) <= 20
        seen.extend(urls)
    assert len(seen) == len(set(seen))
    assert set(seen) == written_pages(output)


def test_dev_build_sitemap_uses_the_development_address(tmp_path):
    output = build_site(PROJECT / "content", tmp_path / "output")
    root = etree.parse(str(output / "sitemap.xml")).getroot()
    locs = root.xpath("s:url/s:loc/text()", namespaces=NS)
    assert locs and all(loc.startswith("http://127.0.0.1:8000/") for loc in locs)
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in (output / "robots.txt").read_text()


def test_a_list_pages_lastmod_is_its_newest_date_modified_or_published():
    """sitemap.newest_date, asked for every list page: a modified date counts over the published
    one, an article without a date is passed over, and of equal dates the first is kept (the
    same instant in another zone is written with its own offset)."""
    from types import SimpleNamespace

    from newsarchive.sitemap import newest_date

    almaty, utc = dt.timezone(dt.timedelta(hours=5), "Almaty"), dt.timezone.utc
    old = SimpleNamespace(date=dt.datetime(2020, 1, 1, tzinfo=utc), modified=dt.datetime(2024, 5, 1, tzinfo=utc))
    newer = SimpleNamespace(date=dt.datetime(2023, 1, 1, tzinfo=utc))
    undated = SimpleNamespace(date=None, modified=dt.datetime(2030, 1, 1, tzinfo=utc))
    assert newest_date([newer, undated, old]) == old.modified
    assert newest_date([undated]) is None and newest_date([]) is None
    same_instant = SimpleNamespace(date=dt.datetime(2023, 1, 1, 5, tzinfo=almaty))
    assert same_instant.date == newer.date
    assert newest_date([same_instant, newer]).tzinfo is almaty
    assert newest_date([newer, same_instant]).tzinfo is utc

    known = {}  # kept through a build: each article's date is found once
    assert newest_date([newer, undated, old], known) == old.modified
    assert known == {id(newer): (newer, newer.date), id(undated): (undated, None), id(old): (old, old.modified)}
    known[id(newer)] = (newer, dt.datetime(2099, 1, 1, tzinfo=utc))
    assert newest_date([newer, old], known).year == 2099  # taken from `known`, not from the article again
