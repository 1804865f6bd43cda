"""Event reports: the event box, the events pages, the iCalendar files and the Event JSON-LD.

Built from content written here, with the build date pinned (EVENTS_TODAY) so
"upcoming" does not depend on the day the tests run.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from contentfactory import write_article
from newsarchive.errors import ContentError
from sitebuild import PROJECT, build_site
from sitepages import page, site_url

SITEURL = "https://reports.example.org"
TODAY = "2024-06-01"

SEMINAR = "kk/2024/01/pavlodarda-eki-kundik-seminar/"
SEMINAR_RU = "ru/2024/01/dvukhdnevnyi-seminar-v-pavlodare/"
BISHKEK = "kk/2024/03/bishkekte-zhastar-kezdesui/"
ALMATY = "kk/2024/04/almatyda-dongelek-ustel/"
FORUM = "kk/2024/05/aldagy-forum/"
FORUM_TITLE = "Алдағы форум: «Жастар & </script><b>болашақ</b>»"
AUTUMN_2023 = "kk/2023/11/pavlodarda-kuzgi-zhiyn/"
PLAIN_NEWS = "kk/2024/02/zhai-zhanalyq/"
KY_MEETING = "ky/2024/02/zhyiylysh/"


def write_content(folder: Path):
    write_article(folder, "Павлодарда екі күндік семинар", date="2024-01-20 10:00",
                  translation_key="pavlodar-seminar", category="event-report", regions="KZ-55",
                  event_start="2024-01-17", event_end="2024-01-18",
                  location="Торайғыров университеті, Павлодар", organizer="Павлодар облысының білім басқармасы",
                  summary="Екі күн бойы мұғалімдер тәжірибе алмасты.")
    write_article(folder, "Двухдневный семинар в Павлодаре", lang="ru", date="2024-01-20 10:00",
                  translation_key="pavlodar-seminar", category="event-report", regions="KZ-55",
                  event_start="2024-01-17", event_end="2024-01-18",
                  location="Университет Торайгырова, Павлодар", organizer="Управление образования",
                  summary="Два дня учителя обменивались опытом.", body="Текст.")
    write_article(folder, "Бішкекте жастар кездесуі", date="2024-03-06 09:00",
                  translation_key="bishkek-youth-meeting", category="event-report", regions="KG-GB",
                  event_start="2024-03-05 10:00", event_end="2024-03-05 13:30",
                  location="Ала-Тоо алаңы, Бішкек", summary="Жастар кездесуі өтті.")
    # After 1 March 2024 Almaty keeps UTC+5: the zone database, not a fixed offset, must decide.
    write_article(folder, "Алматыда дөңгелек үстел", date="2024-04-11 12:00",
                  translation_key="almaty-round-table", regions="KZ-75", event_start="2024-04-10 15:00")
    write_article(folder, FORUM_TITLE, date="2024-05-01 10:00", slug="aldagy-forum",
                  translation_key="almaty-forum", category="announcement", regions="KZ-75",
                  event_start="2024-09-10", event_end="2024-09-12",
                  location="«Атакент» көрме орталығы, Алматы",
                  organizer="«Жастар & Болашақ» </script> қоры",
                  summary="Күзде жастар форумы өтеді.")
    write_article(folder, "Павлодарда күзгі жиын", date="2023-11-16 10:00",
                  translation_key="pavlodar-autumn", regions="KZ-55", event_start="2023-11-15")
    # A place without a date is not an event.
    write_article(folder, "Жай жаңалық", date="2024-02-10 10:00", regions="KZ-55",
                  location="Павлодар", summary="Оқиғасыз жаңалық.")
    # No region: the event takes the time zone of its language (Kyrgyz: Asia/Bishkek).
    write_article(folder, "Жыйылыш", lang="ky", date="2024-02-02 10:00", translation_key="ky-meeting",
                  event_start="2024-02-01 09:00", body="Текст.")


KK_EVENT_KEYS = {"pavlodar-seminar", "bishkek-youth-meeting", "almaty-round-table", "almaty-forum",
                 "pavlodar-autumn"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("events")
    write_content(root / "content")
    return build_site(root / "content", root / "output", SITEURL=SITEURL, EVENTS_TODAY=TODAY)


def plain(text: str) -> str:
    """CLDR writes «2024 ж.» with a narrow no-break space; compare with plain spaces."""
    return re.sub(r"[\s\u202f\xa0]+", " ", text).strip()


def calendar(output: Path, url: str) -> Calendar:
    return Calendar.from_ical((output / url).read_bytes())


def events_by_uid(cal: Calendar) -> dict:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def event_box(output: Path, url: str):
    boxes = page(output, url).cssselect("aside.event-box")
    assert len(boxes) == 1, f"{url} has {len(boxes)} event boxes"
    return boxes[0]


def event_json_ld(output: Path, url: str) -> dict:
    blocks = [json.loads(script.text) for script in page(output, url).xpath("//script[@type='application/ld+json']")]
    events = [block for block in blocks if block.get("@type") == "Event"]
    assert len(events) == 1, blocks
    return events[0]


# -- the event box --------------------------------------------------------------------------

def test_two_day_event_box_shows_the_kazakh_date_range_place_organizer_and_region_links(site):
    box = event_box(site, SEMINAR)
    assert plain(box.cssselect(".event-dates")[0].text_content()) == "2024 ж. 17–18 қаңтар"
    assert box.cssselect(".event-location")[0].text_content() == "Торайғыров университеті, Павлодар"
    assert box.cssselect(".event-organizer")[0].text_content() == "Павлодар облысының білім басқармасы"
    regions = {a.text_content(): site_url(SEMINAR, a.get("href")) for a in box.cssselect(".event-regions a")}
    assert regions == {"Павлодар облысы": "kk/regions/pavlodar-oblysy/"}
    assert (site / "kk/regions/pavlodar-oblysy/index.html").exists()
    assert "Іс-шара" in box.cssselect(".event-box-title")[0].text_content()


def test_russian_event_box_uses_the_genitive_month(site):
    box = event_box(site, SEMINAR_RU)
    assert plain(box.cssselect(".event-dates")[0].text_content()) == "17–18 января 2024 г."


def test_timed_event_box_shows_the_time_in_bishkek(site):
    box = event_box(site, BISHKEK)
    assert plain(box.cssselect(".event-dates")[0].text_content()) == "2024 ж. 5 наурыз, 10:00–13:30 (GMT+06:00)"
    assert box.cssselect(".event-dates")[0].get("datetime") == "2024-03-05T10:00:00+06:00"


def test_article_without_event_data_has_no_event_box_and_no_calendar_file(site):
    doc = page(site, PLAIN_NEWS)
    assert doc.cssselect("article.article"), "the article page itself is there"
    assert not doc.cssselect("aside.event-box")
    assert not doc.xpath("//script[@type='application/ld+json'][contains(., '\"Event\"')]")
    assert not (site / PLAIN_NEWS / "event.ics").exists()


def test_add_to_calendar_link_gives_that_events_own_calendar(site):
    link = event_box(site, SEMINAR).cssselect("a.add-to-calendar")[0]
    target = site_url(SEMINAR, link.get("href"))
    assert target == SEMINAR + "event.ics"
    single = calendar(site, target)
    (only,) = single.walk("VEVENT")
    feed_event = events_by_uid(calendar(site, "kk/events.ics"))[str(only["UID"])]
    assert only.to_ical() == feed_event.to_ical()


def test_draft_event_preview_links_a_calendar_file_that_exists(tmp_path):
    write_article(tmp_path / "content", "Жоспардағы кездесу", status="draft", category="event-report",
                  regions="KZ-55", event_start="2024-10-01 11:00")
    write_article(tmp_path / "content", "Жарияланған жаңалық", date="2024-01-10 10:00")
    out = build_site(tmp_path / "content", tmp_path / "out", EVENTS_TODAY=TODAY)
    draft = next(p.parent for p in (out / "drafts" / "kk").glob("*/index.html")).relative_to(out).as_posix() + "/"
    link = event_box(out, draft).cssselect("a.add-to-calendar")[0]
    (event,) = calendar(out, site_url(draft, link.get("href"))).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
    # A draft is not published: the language's calendar and events page leave it out.
    assert not (out / "kk" / "events.ics").read_bytes().count(b"BEGIN:VEVENT")


# -- the events pages -----------------------------------------------------------------------

def _event_links(output: Path, url: str, section: str) -> list[str]:
    doc = page(output, url)
    return [site_url(url, a.get("href")) for a in doc.cssselect(f"{section} .event-title a")]


def test_events_page_lists_upcoming_events_first_then_past_ones_newest_first(site):
    assert _event_links(site, "kk/events/", ".events-upcoming") == [FORUM]
    assert _event_links(site, "kk/events/", ".events-past") == [ALMATY, BISHKEK, SEMINAR, AUTUMN_2023]
    main = page(site, "kk/events/").cssselect("main")[0]
    headings = [plain(h.text_content()) for h in main.xpath(".//h2 | .//h3[not(contains(@class, 'event-title'))]"
                                                              " | .//h4")]
    assert headings == ["Алдағы іс-шаралар", "Өткен іс-шаралар", "2024", "Сәуір", "Наурыз", "Қаңтар",
                        "2023", "Қараша"]


def test_events_page_shows_each_events_dates_place_and_regions(site):
    doc = page(site, "kk/events/")
    item = next(li for li in doc.cssselect(".event-item")
                if site_url("kk/events/", li.cssselect(".event-title a")[0].get("href")) == SEMINAR)
    assert plain(item.cssselect(".event-when")[0].text_content()) == "2024 ж. 17–18 қаңтар"
    assert item.cssselect(".event-location")[0].text_content() == "Торайғыров университеті, Павлодар"
    assert [site_url("kk/events/", a.get("href")) for a in item.cssselect("a.event-region")] == [
        "kk/events/pavlodar-oblysy/"]


def test_events_page_leaves_out_articles_without_events_and_other_languages(site):
    links = _event_links(site, "kk/events/", "main")
    assert PLAIN_NEWS not in links
    assert all(link.startswith("kk/") for link in links)
    assert _event_links(site, "ru/events/", "main") == [SEMINAR_RU]


def test_region_filter_leads_to_a_list_of_that_regions_events_only(site):
    doc = page(site, "kk/events/")
    filters = {a.text_content(): site_url("kk/events/", a.get("href")) for a in doc.cssselect(".event-filter a")}
    assert filters["Павлодар облысы"] == "kk/events/pavlodar-oblysy/"
    assert set(filters.values()) == {"kk/events/", "kk/events/pavlodar-oblysy/", "kk/events/bishkek/",
                                     "kk/events/almaty/"}
    assert _event_links(site, "kk/events/pavlodar-oblysy/", "main") == [SEMINAR, AUTUMN_2023]
    assert _event_links(site, "kk/events/almaty/", ".events-upcoming") == [FORUM]
    current = page(site, "kk/events/almaty/").cssselect(".event-filter [aria-current]")
    assert [a.text_content() for a in current] == ["Алматы"]


def test_events_page_links_its_calendar_as_alternate(site):
    links = page(site, "kk/events/").xpath("//head/link[@rel='alternate'][@type='text/calendar']")
    assert [site_url("kk/events/", link.get("href")) for link in links] == ["kk/events.ics"]
    assert (site / "kk/events.ics").exists()


def test_site_navigation_links_to_the_events_page(site):
    nav = page(site, SEMINAR).cssselect(".site-nav a")
    assert "kk/events/" in [site_url(SEMINAR, a.get("href")) for a in nav]
    current = page(site, "kk/events/").cssselect(".site-nav a[aria-current]")
    assert [plain(a.text_content()) for a in current] == ["Іс-шаралар"]


def test_upcoming_is_decided_by_the_build_date(tmp_path):
    write_content(tmp_path / "content")
    out = build_site(tmp_path / "content", tmp_path / "out", EVENTS_TODAY="2024-09-11")
    # The forum runs 10–12 September: on the 11th it is still under way, so still listed as upcoming.
    assert _event_links(out, "kk/events/", ".events-upcoming") == [FORUM]
    out = build_site(tmp_path / "content", tmp_path / "later", EVENTS_TODAY="2024-09-13")
    assert _event_links(out, "kk/events/", ".events-upcoming") == []
    assert _event_links(out, "kk/events/", ".events-past")[0] == FORUM


# -- the iCalendar feeds --------------------------------------------------------------------

def test_kazakh_calendar_holds_every_kazakh_event_and_none_of_another_language(site):
    uids = set(events_by_uid(calendar(site, "kk/events.ics")))
    assert uids == {f"{key}.kk@reports.example.org" for key in KK_EVENT_KEYS}
    ru_uids = set(events_by_uid(calendar(site, "ru/events.ics")))
    assert ru_uids == {"pavlodar-seminar.ru@reports.example.org"}


def test_all_day_event_is_exported_as_dates_with_an_exclusive_end(site):
    event = events_by_uid(calendar(site, "kk/events.ics"))["pavlodar-seminar.kk@reports.example.org"]
    assert event.decoded("DTSTART") == dt.date(2024, 1, 17)
    assert event.decoded("DTEND") == dt.date(2024, 1, 19)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    one_day = events_by_uid(calendar(site, "kk/events.ics"))["pavlodar-autumn.kk@reports.example.org"]
    assert (one_day.decoded("DTSTART"), one_day.decoded("DTEND")) == (dt.date(2023, 11, 15), dt.date(2023, 11, 16))


def test_timed_events_carry_their_regions_time_zone_with_a_vtimezone(site):
    cal = calendar(site, "kk/events.ics")
    events = events_by_uid(cal)
    bishkek = events["bishkek-youth-meeting.kk@reports.example.org"]
    assert bishkek["DTSTART"].params["TZID"] == "Asia/Bishkek"
    start, end = bishkek.decoded("DTSTART"), bishkek.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (10, 0, 13, 30)
    assert start.utcoffset() == dt.timedelta(hours=6)
    almaty = events["almaty-round-table.kk@reports.example.org"]
    assert almaty["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert almaty.decoded("DTSTART").astimezone(dt.timezone.utc) == dt.datetime(2024, 4, 10, 10, 0,
                                                                               tzinfo=dt.timezone.utc)
    assert sorted(zone.tz_name for zone in cal.timezones) == ["Asia/Almaty", "Asia/Bishkek"]
    assert cal.get_missing_tzids() == set()


def test_event_without_region_takes_its_languages_time_zone(site):
    cal = calendar(site, "ky/events.ics")
    (event,) = cal.walk("VEVENT")
    assert str(event["URL"]) == f"{SITEURL}/{KY_MEETING}"
    assert event["DTSTART"].params["TZID"] == "Asia/Bishkek"
    assert [zone.tz_name for zone in cal.timezones] == ["Asia/Bishkek"]


def test_calendar_event_has_summary_location_url_and_description(site):
    event = events_by_uid(calendar(site, "kk/events.ics"))["pavlodar-seminar.kk@reports.example.org"]
    assert str(event["SUMMARY"]) == "Павлодарда екі күндік семинар"
    assert str(event["LOCATION"]) == "Торайғыров университеті, Павлодар"
    assert str(event["URL"]) == f"{SITEURL}/{SEMINAR}"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Екі күн бойы мұғалімдер тәжірибе алмасты.")
    assert "Ұйымдастырушы: Павлодар облысының білім басқармасы" in description
    assert str(calendar(site, "kk/events.ics")["X-WR-CALNAME"]) == "Steppe Reports · Іс-шаралар"


def _build_in_fresh_interpreter(content: Path, output: Path, hash_seed: str):
    # A new interpreter with another hash seed: set and dict orders that leak into the
    # files would show up as a difference.
    code = ("import sys, json; sys.path[:0] = json.loads(sys.argv[1]);"
            "from sitebuild import build_site;"
            "build_site(sys.argv[2], sys.argv[3], SITEURL=sys.argv[4], EVENTS_TODAY=sys.argv[5])")
    paths = json.dumps([str(PROJECT / "tests"), str(PROJECT / "plugins")])
    subprocess.run([sys.executable, "-c", code, paths, str(content), str(output), SITEURL, TODAY],
                   check=True, cwd=PROJECT, capture_output=True,
                   env={**os.environ, "PYTHONHASHSEED": hash_seed})


def test_calendars_are_byte_identical_across_builds_and_uids_survive_a_title_change(tmp_path):
    write_content(tmp_path / "content")
    _build_in_fresh_interpreter(tmp_path / "content", tmp_path / "first", "1")
    _build_in_fresh_interpreter(tmp_path / "content", tmp_path / "second", "2")
    files = sorted(path.relative_to(tmp_path / "first") for path in (tmp_path / "first").rglob("*.ics"))
    assert len(files) == 3 + len(KK_EVENT_KEYS) + 1 + 1  # kk, ru, ky feeds; one file per event
    for relative in files:
        assert (tmp_path / "first" / relative).read_bytes() == (tmp_path / "second" / relative).read_bytes(), relative

    source = next((tmp_path / "content").rglob("*pavlodarda-eki-kundik-seminar.kk.md"))
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Title: Павлодарда екі күндік семинар", "Title: Павлодарда мұғалімдер семинары"), encoding="utf-8")
    shutil.rmtree(tmp_path / "second")
    renamed = build_site(tmp_path / "content", tmp_path / "second", SITEURL=SITEURL, EVENTS_TODAY=TODAY)
    before = events_by_uid(calendar(tmp_path / "first", "kk/events.ics"))
    after = events_by_uid(calendar(renamed, "kk/events.ics"))
    assert set(before) == set(after)
    uid = "pavlodar-seminar.kk@reports.example.org"
    assert str(after[uid]["SUMMARY"]) == "Павлодарда мұғалімдер семинары"
    assert before[uid].decoded("DTSTAMP") == after[uid].decoded("DTSTAMP")


# -- schema.org Event -----------------------------------------------------------------------

def test_event_json_ld_parses_with_the_events_dates(site):
    seminar = event_json_ld(site, SEMINAR)
    assert seminar["@context"] == "https://schema.org"
    assert (seminar["startDate"], seminar["endDate"]) == ("2024-01-17", "2024-01-18")
    assert seminar["name"] == "Павлодарда екі күндік семинар"
    assert seminar["location"]["name"] == "Торайғыров университеті, Павлодар"
    assert seminar["location"]["address"]["addressCountry"] == "KZ"
    assert seminar["organizer"] == {"@type": "Organization", "name": "Павлодар облысының білім басқармасы"}
    assert seminar["eventStatus"] == "https://schema.org/EventScheduled"
    assert seminar["url"] == f"{SITEURL}/{SEMINAR}"

    timed = event_json_ld(site, BISHKEK)
    assert (timed["startDate"], timed["endDate"]) == ("2024-03-05T10:00:00+06:00", "2024-03-05T13:30:00+06:00")
    one_day = event_json_ld(site, AUTUMN_2023)
    assert (one_day["startDate"], one_day["endDate"]) == ("2023-11-15", "2023-11-15")


@pytest.mark.parametrize("siteurl, feed_domain, public", [
    ("/archive", SITEURL, SITEURL),  # a path prefix for page links; FEED_DOMAIN says where the site is
    ("", "", "http://127.0.0.1:8000"),  # neither: the address `invoke serve` shows the build at
])
def test_calendars_and_event_json_ld_give_the_address_the_feeds_and_page_heads_give(tmp_path, siteurl, feed_domain,
                                                                                      public):
    write_content(tmp_path / "content")
    out = build_site(tmp_path / "content", tmp_path / "output", SITEURL=siteurl, FEED_DOMAIN=feed_domain,
                     EVENTS_TODAY=TODAY, SEARCH_INDEX=False)
    seminar = f"{public}/{SEMINAR}"
    canonical = page(out, SEMINAR).xpath("//link[@rel='canonical']/@href")
    assert canonical == [seminar]
    assert seminar in (out / "kk" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert event_json_ld(out, SEMINAR)["url"] == seminar
    for ics in ("kk/events.ics", SEMINAR + "event.ics"):
        assert [str(event["URL"]) for event in calendar(out, ics).walk("VEVENT")
                if str(event["UID"]).startswith("pavlodar-seminar.kk@")] == [seminar]


def test_an_address_without_https_is_named_in_a_warning_not_silently_replaced(tmp_path, caplog):
    write_content(tmp_path / "content")
    with caplog.at_level(logging.WARNING):
        out = build_site(tmp_path / "content", tmp_path / "output", SITEURL="reports.example.kz", FEED_DOMAIN="",
                         EVENTS_TODAY=TODAY, SEARCH_INDEX=False)
    assert "SITEURL = 'reports.example.kz': not an http(s) address" in caplog.text
    assert caplog.text.count("reports.example.kz': not an http(s) address") == 1  # once, not once per page
    assert event_json_ld(out, SEMINAR)["url"] == f"http://127.0.0.1:8000/{SEMINAR}"


def test_event_json_ld_cannot_close_its_script_element(site):
    raw = (site / FORUM / "index.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw[raw.index("event-box"):], re.S)
    assert "</script>" not in script.group(1) and "<" not in script.group(1)
    organizer = "«Жастар & Болашақ» </script> қоры"
    data = json.loads(script.group(1))
    assert (data["name"], data["organizer"]["name"]) == (FORUM_TITLE, organizer)
    # The page text shows the organizer's name as written, escaped rather than interpreted.
    assert event_box(site, FORUM).cssselect(".event-organizer")[0].text_content() == organizer
    # Titles are plain text: the calendar carries the title as written, as the page shows it.
    event = events_by_uid(calendar(site, "kk/events.ics"))["almaty-forum.kk@reports.example.org"]
    assert str(event["SUMMARY"]) == FORUM_TITLE == page(site, FORUM).cssselect("h1")[0].text_content().strip()


# -- wrong event data stops the build --------------------------------------------------------

@pytest.mark.parametrize("metadata, key, line, message", [
    ({"event_start": "17 қаңтар 2024"}, "Event_start", 4, "Event_start '17 қаңтар 2024' is not a date"),
    ({"event_start": "2024-02-30"}, "Event_start", 4, "Event_start '2024-02-30' is not a real date"),
    ({"event_start": "2024-01-18", "event_end": "2024-01-17"}, "Event_end", 5,
     "Event_end '2024-01-17' is before Event_start '2024-01-18'"),
    ({"event_start": "2024-01-18 12:00", "event_end": "2024-01-18 09:30"}, "Event_end", 5,
     "Event_end '2024-01-18 09:30' is before Event_start '2024-01-18 12:00'"),
    ({"event_end": "2024-01-18"}, "Event_end", 4, "Event_end is given without Event_start"),
    ({"event_start": "2024-01-17", "event_end": "2024-01-18 12:00"}, "Event_end", 5,
     "Event_end has a time of day but Event_start has none"),
], ids=["unparseable", "impossible", "end-before-start", "end-before-start-same-day", "end-without-start",
        "date-and-time-mixed"])
def test_bad_event_data_fails_the_build_naming_the_file_line_and_key(tmp_path, metadata, key, line, message):
    bad = write_article(tmp_path / "content", "Қате күн", **metadata, regions="KZ-55")
    write_article(tmp_path / "content", "Дұрыс жаңалық", date="2024-01-10 10:00")
    with pytest.raises(ContentError) as failure:
        build_site(tmp_path / "content", tmp_path / "out")
    text = str(failure.value).replace(str(bad.parent) + os.sep, "")
    assert f"{bad.name}:{line}: {message}" in text
    assert key in text
    assert not (tmp_path / "out" / "kk").exists()


# -- the sample archive -----------------------------------------------------------------------

def test_sample_archive_lists_its_event_reports_and_not_its_undated_ones(tmp_path):
    out = build_site(PROJECT / "content", tmp_path / "sample", EVENTS_TODAY=TODAY)
    kk_links = _event_links(out, "kk/events/", "main")
    assert kk_links == [
        "kk/2024/01/balalar-men-zhasospirimder-qozgalysyn-damytu-zhonindegi-kenestin-otyrysy-otti/",
        "kk/2020/04/rukhani-zhangyrudy-zhuzege-asyru-zhaiy-onlain-keneste-talqylandy/",
    ]
    # «Тәжірибе алмасты» names a place but no date: a report, not a calendar entry.
    assert not page(out, "kk/2023/07/tazhiribe-almasty/").cssselect("aside.event-box")
    for lang, count in {"kk": 2, "ky": 1, "ru": 2, "en": 2}.items():
        assert len(calendar(out, f"{lang}/events.ics").walk("VEVENT")) == count, lang
