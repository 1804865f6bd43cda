"""A reader switches language in a real browser."""
import pytest

from browser import served
from sitebuild import PROJECT, build_site

KK_COUNCIL = "kk/2024/01/balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti/"
RU_COUNCIL = "ru/2024/01/rasshirennoe-zasedanie-soveta-po-razvitiiu-detskogo-i-molodezhnogo-dvizheniia/"


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    output = build_site(PROJECT / "content", tmp_path_factory.mktemp("browser") / "output")
    with served(output) as url:
        yield url


def test_reader_clicks_russian_in_the_switcher_and_lands_on_the_russian_report(browser, sample_url):
    tab = browser.new_page()
    tab.goto(sample_url + KK_COUNCIL)
    assert tab.locator("html").get_attribute("lang") == "kk"
    tab.get_by_role("navigation", name="Тіл").get_by_role("link", name="Русский").click()
    tab.wait_for_url(sample_url + RU_COUNCIL)
    assert tab.locator("html").get_attribute("lang") == "ru"
    assert tab.locator("h1").inner_text().startswith("Расширенное заседание")
    assert tab.locator(".switcher [aria-current]").inner_text() == "Русский"
    tab.close()


def test_chooser_leads_to_a_language_front_page(browser, sample_url):
    tab = browser.new_page()
    tab.goto(sample_url)
    tab.locator(".chooser li[lang=ky] > a").click()
    tab.wait_for_url(sample_url + "ky/")
    assert tab.locator("h1").inner_text() == "Акыркы материалдар"
    tab.close()
