"""A reader searches the sample archive in Chromium, in their own language, on a static server."""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from babel.messages.pofile import read_po

from browser import served
from newsarchive.languages import LANGUAGES
from sitebuild import PROJECT, build_site

KK_MEETUP = "kk/2019/05/zhasa-uiren-bolis-ozger-meetup-zhobasy-iske-qosyldy/"
KK_EXCHANGE = "kk/2023/07/tazhiribe-almasty/"
KK_ONLINE_COUNCIL = "kk/2020/04/rukhani-zhangyrudy-zhuzege-asyru-zhaiy-onlain-keneste-talqylandy/"
KY_TRAINING = "ky/2020/01/trenerler-uchun-trening/"
RU_TRAINING = "ru/2020/01/trening-dlia-trenerov/"
SITENAME_WORDS = {"Steppe", "Reports"}


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    output = build_site(PROJECT / "content", tmp_path_factory.mktemp("search-browser") / "output")
    with served(output) as url:
        yield url


@pytest.fixture(scope="module")
def parted_url(tmp_path_factory):
    """The sample archive with each language's index in parts of at most two reports (SEARCH_PAGES_PER_INDEX):
    the Kazakh ones of 2023 and 2024 in the shared bundle, those of 2019 and 2020 in a part of their own."""
    output = build_site(PROJECT / "content", tmp_path_factory.mktemp("search-parts") / "output",
                        SEARCH_PAGES_PER_INDEX=2)
    assert json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8"))["kk"] == ["kk-2019-05"]
    with served(output) as url:
        yield url


@pytest.fixture
def tab(browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, errors


def search(tab, base_url, lang, query=None, **filters):
    """Open the language's search page, type the query like a reader, and wait for the answer."""
    tab.goto(f"{base_url}{lang}/search/")
    for name, value in filters.items():
        tab.locator(f"#search-form select[name={name}]").select_option(label=value)
    if query is not None:
        tab.locator("#search-q").fill(query)
        tab.locator("#search-form button[type=submit]").click()
    return wait_for_results(tab, base_url)


def wait_for_results(tab, base_url):
    """The links of the results, once the list is no longer busy (aria-busy, as screen readers see it)."""
    tab.locator("#search-results[aria-busy=false]").wait_for(state="attached")
    return [href.removeprefix(base_url) for href in
            tab.eval_on_selector_all(".search-result h2 a", "links => links.map(a => a.href)")]


def pagefind_alone(tab, base_url, query):
    """What Pagefind finds for the query as typed, without the page's normaliser."""
    return [url.removeprefix("/") for url in tab.evaluate("""async (query) => {
        const pagefind = await import(new URL("../../pagefind/pagefind.js", location.href).href);
        const search = await pagefind.search(query);
        return Promise.all(search.results.map(async (result) => (await result.data()).url));
    }""", query)]


def test_kazakh_query_returns_the_kazakh_article(tab, sample_url):
    assert search(tab, sample_url, "kk", "семинар") == [KK_EXCHANGE]
    result = tab.locator(".search-result").first
    assert " ".join(result.locator(".search-date").inner_text().split()) == "2023 ж. 5 шілде"
    assert "Абай облысы" in result.locator(".search-regions").inner_text()
    assert "семинар" in result.locator(".search-excerpt mark").first.inner_text().lower()


INFLECTED_KAZAKH = [
    ("облыстарда", KK_MEETUP),       # the article says «облысы», «облыстық», never «облыстарда»
    ("бағдарламалар", KK_MEETUP),    # it says «бағдарламасын», «бағдарламаның»
    ("кеңестерде", KK_ONLINE_COUNCIL),  # it says «кеңесте», «кеңеске»
]


@pytest.mark.parametrize("query, article", INFLECTED_KAZAKH)
def test_inflected_kazakh_query_finds_the_other_forms_of_the_word(tab, sample_url, query, article):
    assert article in search(tab, sample_url, "kk", query)


@pytest.mark.parametrize("lang, query, article", [
    ("kk", "облыстарда", KK_MEETUP),
    ("kk", "облыстарда", KK_EXCHANGE),   # it says «облыстарынан», «облыстардың»
    ("ky", "облустарда", KY_TRAINING),   # it says «облустарынан», «облустун»
    ("ky", "долбоорлордо", KY_TRAINING),  # it says «долбоорлорун», «долбоордун»
])
def test_the_normaliser_finds_forms_that_pagefind_alone_misses(tab, sample_url, lang, query, article):
    # Pagefind 1.5 matches some near misses on its own, but not these.
    assert article in search(tab, sample_url, lang, query)
    assert article not in pagefind_alone(tab, sample_url, query)


@pytest.mark.parametrize("query", ["тренингдин", "тренингдерге", "облустарда", "консультанттарга"])
def test_kyrgyz_query_returns_the_kyrgyz_article(tab, sample_url, query):
    assert search(tab, sample_url, "ky", query) == [KY_TRAINING]


def test_russian_query_uses_pagefinds_russian_stemming_on_the_russian_page(tab, sample_url):
    # «тренингах» is not in the text (it has «тренинг», «тренинга», «тренинге»).
    assert search(tab, sample_url, "ru", "тренингах") == [RU_TRAINING]


def test_each_language_searches_only_its_own_reports(tab, sample_url):
    # «тренинг» is in the Kyrgyz and the Russian report, and in no Kazakh one.
    assert search(tab, sample_url, "ru", "тренинг") == [RU_TRAINING]
    assert search(tab, sample_url, "ky", "тренинг") == [KY_TRAINING]
    assert search(tab, sample_url, "kk", "тренинг") == []
    assert tab.locator("#search-status").inner_text() == "«тренинг» сұрауы бойынша материал табылмады."


def test_region_filter_narrows_the_results(tab, sample_url):
    everywhere = search(tab, sample_url, "kk", "облыс")
    assert len(everywhere) == 4
    tab.locator("#search-form select[name=region]").select_option(label="Павлодар облысы")
    in_pavlodar = wait_for_results(tab, sample_url)
    assert in_pavlodar == [KK_MEETUP]
    assert "region=" in tab.url  # the narrowed search can be bookmarked


def test_a_filter_alone_lists_its_reports_newest_first(tab, sample_url):
    tab.goto(f"{sample_url}kk/search/?category={quote('Шара есептері')}&sort=newest")
    assert wait_for_results(tab, sample_url) == [
        "kk/2024/01/balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti/",
        KK_EXCHANGE, KK_ONLINE_COUNCIL]
    assert tab.locator("#search-form select[name=category]").input_value() == "Шара есептері"


def test_a_language_indexed_in_parts_is_searched_in_every_part(tab, sample_url, parted_url):
    whole = search(tab, sample_url, "kk", "облыс")
    in_parts = search(tab, parted_url, "kk", "облыс")
    assert len(in_parts) == 4 and sorted(in_parts) == sorted(whole)
    # A result from an older part (2019) shows its date, regions and excerpt like any other.
    meetup = tab.locator(".search-result", has=tab.locator(f'a[href$="{KK_MEETUP}"]'))
    assert " ".join(meetup.locator(".search-date").inner_text().split()) == "2019 ж. 20 мамыр"
    assert "Павлодар облысы" in meetup.locator(".search-regions").inner_text()
    assert meetup.locator(".search-excerpt mark").count() > 0
    tab.locator("#search-form select[name=region]").select_option(label="Павлодар облысы")
    assert wait_for_results(tab, parted_url) == [KK_MEETUP]


def test_newest_first_spans_the_parts_in_date_order(tab, sample_url, parted_url):
    address = f"kk/search/?category={quote('Шара есептері')}&sort=newest"
    tab.goto(sample_url + address)
    whole = wait_for_results(tab, sample_url)
    tab.goto(parted_url + address)
    # 2024 and 2023 from the newest part, then 2020 from the older one. Pagefind scores a sorted
    # result by its place in its own part, so ordering the parts' results by score would not do.
    assert wait_for_results(tab, parted_url) == whole and len(whole) == 3


def test_an_index_without_a_list_of_parts_is_searched_whole(tab, tmp_path):
    """A bundle written before parts existed has no parts.json (a build with SEARCH_INDEX off leaves it)."""
    output = build_site(PROJECT / "content", tmp_path / "output")
    (output / "pagefind" / "parts.json").unlink()
    with served(output) as url:
        assert search(tab, url, "kk", "семинар") == [KK_EXCHANGE]


def test_the_header_search_box_leads_to_the_results(tab, sample_url):
    tab.goto(sample_url + KY_TRAINING)
    tab.get_by_role("search").get_by_label("Материалдардан издөө").fill("тренингдин")
    tab.get_by_role("search").get_by_role("button").click()
    tab.wait_for_url(f"{sample_url}ky/search/?q=*")
    assert wait_for_results(tab, sample_url) == [KY_TRAINING]
    assert tab.locator("#search-q").input_value() == "тренингдин"


def english_interface_strings():
    """The English source of every interface string, up to its first placeholder."""
    with open(PROJECT / "theme" / "translations" / "messages.pot", "rb") as pot:
        ids = [message.id for message in read_po(pot) if message.id]
    return {text.split("%(")[0].strip() for msgid in ids for text in ([msgid] if isinstance(msgid, str) else msgid)} - {""}


def test_kazakh_search_page_shows_no_english_interface_text(tab, sample_url):
    english = english_interface_strings()
    seen = []
    for query in ("облыс", "zzzqqq", ""):
        tab.goto(f"{sample_url}kk/search/?q={quote(query)}")
        wait_for_results(tab, sample_url)
        # Everything the reader sees except the reports' own titles and excerpts and the site's name
        # (the <noscript> text, unseen with JavaScript on, is checked in test_search_site.py).
        seen.append(tab.evaluate("""() => {
            const skip = new Set([...document.querySelectorAll('.search-result, .site-name, noscript')]);
            const texts = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                let inside = false;
                for (let el = node.parentElement; el; el = el.parentElement) {
                    if (skip.has(el) || el.tagName === 'SCRIPT') { inside = true; break; }
                }
                if (!inside && node.textContent.trim()) texts.push(node.textContent.trim());
            }
            for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title]')) {
                texts.push(el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '',
                           el.getAttribute('title') || '');
            }
            texts.push(...Object.values(JSON.parse(document.getElementById('search-messages').textContent)));
            texts.push(document.getElementById('search-more').textContent);
            return texts.join('\\n');
        }"""))
    text = re.sub(r"\{\w+\}", "", "\n".join(seen))  # the script's {count} and {query} placeholders
    leftovers = sorted(source for source in english if re.search(rf"(?<!\w){re.escape(source)}(?!\w)", text))
    assert not leftovers, leftovers
    language_names = {language.native_name for language in LANGUAGES.values()}
    latin = set(re.findall(r"[A-Za-z]{2,}", text)) - SITENAME_WORDS - language_names - {"zzzqqq"}
    assert not latin, latin


def test_without_javascript_the_search_page_says_it_needs_it(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{sample_url}kk/search/")
    notice = page.locator(".search-noscript")
    assert notice.is_visible()
    assert "Іздеу үшін JavaScript қажет" in notice.inner_text()
    context.close()


def test_search_works_when_the_site_is_published_under_a_sub_path(browser, tmp_path):
    parent = tmp_path / "www"
    parent.mkdir()
    # Serve first to learn the port, then build for exactly that address.
    with served(parent) as root_url:
        build_site(PROJECT / "content", parent / "archive", conf="publishconf.py", SITEURL=root_url + "archive")
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(root_url + "archive/kk/")
        page.get_by_role("search").get_by_label("Материалдардан іздеу").fill("бағдарламалар")
        page.get_by_role("search").get_by_role("button").click()
        page.wait_for_url(f"{root_url}archive/kk/search/?q=*")
        found = wait_for_results(page, root_url)
        assert "archive/" + KK_MEETUP in found
        page.locator(".search-result h2 a", has_text="MEETUP").click()
        page.wait_for_url(root_url + "archive/" + KK_MEETUP)
        assert "MEETUP" in page.locator("h1").inner_text()
        page.close()
        assert not errors, errors


def test_a_site_built_without_an_index_says_search_is_unavailable(tab, tmp_path):
    output = build_site(PROJECT / "content", tmp_path / "output", SEARCH_INDEX=False)
    with served(output) as url:
        assert search(tab, url, "kk", "облыс") == []
        assert tab.locator("#search-status").inner_text() == "Іздеу қазір қолжетімсіз. Кейінірек қайталап көріңіз."
