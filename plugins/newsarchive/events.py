"""Event reports: when and where an article's event happened, and the events pages.

`resolve_event` reads `Event_start`, `Event_end`, `Location` and `Organizer`
from an article's header and attaches an `Event` (or None), or returns the
problems. `EventsGenerator` lists every language's events on `/<lang>/events/`
(upcoming first, relative to the build date, then past ones by year and month),
one page per region, and hands the calendars to `calendars.py`.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, parse_pattern
from babel.dates import tokenize_pattern, untokenize_pattern
from jinja2 import pass_context
from markupsafe import Markup
from pelican.generators import Generator

from .errors import Problem, problem_at
from .i18n import babel_locale, load_catalogs
from .fingerprint import CARD
from .incremental import produce, unchanged
from .languages import LANGUAGES
from .metadata import absolute_base, json_ld
from .regions import COUNTRY_TIMEZONES, Region

URL_PATTERNS = {
    "events": "{lang}/events/",
    "region_events": "{lang}/events/{slug}/",
    "calendar": "{lang}/events.ics",
}
# The single-event calendar lives next to the article's page.
EVENT_CALENDAR_NAME = "event.ics"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?")
ALLOWED_VALUES = "allowed: a date YYYY-MM-DD, or a date and time YYYY-MM-DD HH:MM"


@dataclass(frozen=True)
class Event:
    """An article's event. Dates are inclusive; times are aware, in the event's zone."""

    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    timezone: str
    location: str = ""
    organizer: str = ""
    calendar_url: str = ""  # the single-event .ics, relative to the site root

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def first_day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    @property
    def last_day(self) -> dt.date:
        if self.end is None:
            return self.first_day
        return self.end.date() if isinstance(self.end, dt.datetime) else self.end

    @property
    def start_iso(self) -> str:
        return self.start.isoformat()

    @property
    def end_iso(self) -> str | None:
        """ISO end for schema.org; a one-day event ends on its day, a timed one only if told."""
        if self.end is not None:
            return self.end.isoformat()
        return self.start.isoformat() if self.all_day else None

    def sort_key(self):
        clock = self.start.timetz().replace(tzinfo=None) if isinstance(self.start, dt.datetime) else dt.time.min
        return (self.first_day, clock)


# -- reading the header --------------------------------------------------------------

def event_timezone(article) -> str:
    """The zone of the first region's country, else the one of the article's language."""
    for region in getattr(article, "region_list", None) or []:
        if region.country in COUNTRY_TIMEZONES:
            return COUNTRY_TIMEZONES[region.country]
    language = LANGUAGES.get(getattr(article, "lang", None))
    if language is not None:
        return language.timezone
    return article.settings.get("TIMEZONE") or "UTC"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(part) for part in value)
    return str(value).strip()


class _NotADate(ValueError):
    """The text is not written as a date at all (as opposed to an impossible one)."""


def _parse_moment(value, zone: ZoneInfo):
    """A date, or an aware datetime in `zone`; ValueError for an impossible date."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if _DATE.fullmatch(text):
        return dt.date.fromisoformat(text)
    if _DATETIME.fullmatch(text):
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        # A written offset is honoured, but shown and exported in the event's own zone.
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    raise _NotADate(text)


def calendar_url_of(article) -> str:
    """Site URL of the article's single-event calendar: the folder of its page."""
    folder = posixpath.dirname(article.save_as)
    return posixpath.join(folder, EVENT_CALENDAR_NAME) if folder else EVENT_CALENDAR_NAME


def resolve_event(article) -> list[Problem]:
    """Attach `article.event` from the header, or return what is wrong with it."""
    article.event = None
    meta = article.metadata
    raw_start, raw_end = _text(meta.get("event_start")), _text(meta.get("event_end"))
    if not raw_start:
        if raw_end:
            return [problem_at(article, "Event_end", "Event_end is given without Event_start",
                               "add Event_start: the first day of the event")]
        return []  # Location or Organizer alone describe the report, not a dated event

    zone_name = event_timezone(article)
    zone = ZoneInfo(zone_name)
    problems = []
    values = {}
    for key, raw in (("Event_start", raw_start), ("Event_end", raw_end)):
        if not raw:
            continue
        try:
            values[key] = _parse_moment(meta.get(key.lower()), zone)
        except _NotADate:
            reason = "is not a date"
        except ValueError as error:
            reason = f"is not a real date ({error})"
        else:
            continue
        problems.append(problem_at(article, key, f"{key} '{raw}' {reason}", ALLOWED_VALUES))
    if problems:
        return problems

    start, end = values["Event_start"], values.get("Event_end")
    if end is not None:
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            keys = ("Event_start", "Event_end")
            timed, untimed = keys if isinstance(start, dt.datetime) else keys[::-1]
            return [problem_at(article, "Event_end",
                               f"{timed} has a time of day but {untimed} has none ('{raw_start}' – '{raw_end}')",
                               "give both a time, or neither for an all-day event")]
        if end < start:
            return [problem_at(article, "Event_end",
                               f"Event_end '{raw_end}' is before Event_start '{raw_start}'",
                               "the end is the last day (or moment) of the event, on or after its start")]

    article.event = Event(
        start=start,
        end=end,
        timezone=zone_name,
        location=_text(meta.get("location")),
        organizer=_text(meta.get("organizer")),
        calendar_url=calendar_url_of(article),
    )
    return []


# -- showing dates ----------------------------------------------------------------------

def _widen_months(pattern: str) -> str:
    """The same CLDR pattern with full month names (MMM -> MMMM).

    CLDR's interval data has no yMMMMd entry; its spec says to take the closest
    skeleton (yMMMd) and widen the month field, which Babel's format_interval
    does not do. So: «17–18 января 2024 г.», not «17–18 янв. 2024 г.».
    """
    tokens = [("field", ("M", 4)) if kind == "field" and value == ("M", 3) else (kind, value)
              for kind, value in tokenize_pattern(pattern)]
    return untokenize_pattern(tokens)


def format_day_range(first: dt.date, last: dt.date, locale: str) -> str:
    """«2024 ж. 17–18 қаңтар», «17–18 января 2024 г.», «January 17 – 18, 2024»."""
    if first == last:
        return format_date(first, "long", locale=locale)
    if first.year != last.year:
        differing = "y"
    elif first.month != last.month:
        differing = "M"
    else:
        differing = "d"
    parts = Locale.parse(locale).interval_formats["yMMMd"][differing]
    return "".join(parse_pattern(_widen_months(part)).apply(day, locale)
                   for part, day in zip(parts, (first, last)))


def _join_date_time(locale: str, date_text: str, time_text: str) -> str:
    # The locale's own glue between a date and a time («{1}, {0}», «{1} {0}»).
    pattern = str(Locale.parse(locale).datetime_formats["long"]).replace("'", "")
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def format_event_dates(event: Event, locale: str) -> str:
    """The event's dates (and times, with the UTC offset) in one language."""
    # An event shows on its article's page, its language's events page and its regions' pages.
    return _format_event_dates(event.start, event.end, event.timezone, locale)


@lru_cache(maxsize=65536)
def _format_event_dates(start, end, timezone: str, locale: str) -> str:
    event = Event(start, end, timezone)
    if event.all_day:
        return format_day_range(event.first_day, event.last_day, locale)
    zone = ZoneInfo(event.timezone)
    offset = format_datetime(event.start, "ZZZZ", tzinfo=zone, locale=locale)
    if event.end is None or event.first_day == event.last_day:
        end = event.end or event.start
        times = format_interval(event.start, end, "Hm", tzinfo=zone, locale=locale)
        text = _join_date_time(locale, format_date(event.first_day, "long", locale=locale), times)
    else:
        ends = [_join_date_time(locale, format_date(moment.date(), "long", locale=locale),
                                format_datetime(moment, "HH:mm", tzinfo=zone, locale=locale))
                for moment in (event.start, event.end)]
        fallback = str(Locale.parse(locale).interval_formats.get(None) or "{0} – {1}")
        text = fallback.replace("{0}", ends[0]).replace("{1}", ends[1])
    return f"{text} ({offset})"


# -- schema.org -------------------------------------------------------------------------

def event_schema(article, siteurl: str) -> dict:
    """schema.org Event data of an event report, in the article's language (siteurl: metadata.absolute_base)."""
    event = article.event
    regions = [region.name(article.lang) for region in article.region_list if article.lang in region.names]
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": str(article.title),  # titles are plain text (shown escaped, never as HTML)
        "startDate": event.start_iso,
        "eventStatus": "https://schema.org/EventScheduled",
        "inLanguage": article.lang,
    }
    if event.end_iso:
        data["endDate"] = event.end_iso
    if event.location or regions:
        place = {"@type": "Place", "name": event.location or ", ".join(regions)}
        countries = sorted({region.country for region in article.region_list})
        if regions:
            place["address"] = {"@type": "PostalAddress", "addressRegion": ", ".join(regions)}
            if len(countries) == 1:
                place["address"]["addressCountry"] = countries[0]
        data["location"] = place
    if event.organizer:
        data["organizer"] = {"@type": "Organization", "name": event.organizer}
    summary = Markup(getattr(article, "summary", "") or "").striptags()
    if summary:
        data["description"] = summary
    data["url"] = f"{siteurl}/{article.url}"
    return data


def install_in_templates(generator):
    """Filters and URL helpers for the event box and the events pages."""
    env = generator.env
    siteurl = absolute_base(generator.settings)

    @pass_context
    def event_dates(context, event):
        return format_event_dates(event, babel_locale(context))

    env.filters.update(
        event_dates=event_dates,
        event_json_ld=lambda article: json_ld(event_schema(article, siteurl)),
    )
    env.globals.update(
        events_page_url=lambda lang: URL_PATTERNS["events"].format(lang=lang),
        events_calendar_url=lambda lang: URL_PATTERNS["calendar"].format(lang=lang),
    )


# -- the events pages --------------------------------------------------------------------

@dataclass
class EventList:
    """One events page: a language's events, or those of one region."""

    lang: str
    url: str
    articles: list  # every event report shown, soonest first
    today: dt.date
    region: Region | None = None
    upcoming: list = field(default_factory=list)  # soonest first; includes events under way
    past: list = field(default_factory=list)  # [(year, [(first of month, [articles])])], newest first

    def __post_init__(self):
        self.upcoming = [a for a in self.articles if a.event.last_day >= self.today]
        past = [a for a in reversed(self.articles) if a.event.last_day < self.today]
        by_year = defaultdict(lambda: defaultdict(list))
        for article in past:
            day = article.event.first_day
            by_year[day.year][dt.date(day.year, day.month, 1)].append(article)
        self.past = [(year, sorted(months.items(), reverse=True))
                     for year, months in sorted(by_year.items(), reverse=True)]

    @property
    def name(self) -> str:
        return self.region.name(self.lang) if self.region else ""

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    def __len__(self):
        return len(self.articles)


@dataclass(frozen=True)
class EventListLink:
    """What an events page shows of another one: its address, name and count (the region
    filter, the link to all regions). Not the list itself: each page's render
    key (incremental.py) then changes with its own events, not with every other page's."""

    url: str
    name: str
    count: int
    region_code: str | None

    @classmethod
    def of(cls, listing: EventList) -> "EventListLink":
        return cls(listing.url, listing.name, len(listing.articles), listing.region.code if listing.region else None)


def _twins(event_lists: dict, listing: EventList) -> list:
    """(language, address) of the same list in every language's section that has it: the page's
    alternates. Their addresses alone, so that a new event in one language, which changes how
    many its lists hold, does not render every other language's events pages again."""
    twins = []
    for code, (everything, regional) in event_lists.items():
        twin = regional.get(listing.region.code) if listing.region else everything
        if twin is not None:
            twins.append((code, twin.url))
    return twins


def _calendar_bytes(kind: str, *arguments) -> bytes:
    """calendars.language_calendar or single_event_calendar(*arguments), as a file's bytes.

    calendars.py is imported here, by the process making a calendar: icalendar takes some
    0.07 s to import, and most rebuilds change no calendar."""
    from . import calendars

    return calendars.to_bytes(getattr(calendars, kind)(*arguments))


def build_today(settings) -> dt.date:
    """The build date events are upcoming or past against: EVENTS_TODAY, else today in TIMEZONE."""
    configured = settings.get("EVENTS_TODAY")
    if isinstance(configured, dt.datetime):
        return configured.date()
    if isinstance(configured, dt.date):
        return configured
    if configured:
        try:
            return dt.date.fromisoformat(str(configured))
        except ValueError:
            raise ValueError(f"EVENTS_TODAY = {configured!r} is not a date (allowed: YYYY-MM-DD)") from None
    return dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def build_event_lists(sections, today: dt.date) -> dict:
    """lang -> (the language's EventList, its regions' EventLists by region code)."""
    lists = {}
    for lang, section in sections.items():
        events = sorted((a for a in section.articles if getattr(a, "event", None)),
                        key=lambda a: (a.event.sort_key(), a.url))
        by_region = defaultdict(list)
        for article in events:
            for region in article.region_list:
                by_region[region].append(article)
        regional = {
            region.code: EventList(lang, URL_PATTERNS["region_events"].format(lang=lang, slug=region.slug(lang)),
                                   articles, today, region=region)
            for region, articles in by_region.items()
        }
        ordered = dict(sorted(regional.items(), key=lambda item: item[1].name.casefold()))
        lists[lang] = (EventList(lang, URL_PATTERNS["events"].format(lang=lang), events, today), ordered)
    return lists


def get_generators(pelican):
    return EventsGenerator


def collect_events(generators):
    """Group events once every generator's context is ready (generator order is not guaranteed)."""
    for generator in generators:
        if isinstance(generator, EventsGenerator):
            generator.collect()


class EventsGenerator(Generator):
    """Holds every language's event lists; writes the events pages and calendars."""

    def generate_context(self):
        self.today = build_today(self.settings)
        self.event_lists = {}

    def collect(self):
        # Runs after LanguageViewsGenerator.generate_context, which resolves `article.event`.
        self.event_lists = build_event_lists(self.context.get("sections", {}), self.today)

    def generate_output(self, writer):
        catalogs = load_catalogs(os.path.join(self.theme, "translations"))
        sections = self.context.get("sections", {})
        for lang, (everything, regional) in self.event_lists.items():
            common = {
                "section": sections[lang], "page_lang": lang,
                "region_filters": [EventListLink.of(listing) for listing in regional.values()],
                "event_region_urls": {code: listing.url for code, listing in regional.items()},
                "all_events": EventListLink.of(everything),
                "calendar_url": URL_PATTERNS["calendar"].format(lang=lang),
            }
            for listing, kind in ((everything, "events"), *((r, "events-region") for r in regional.values())):
                # The page's alternates link its twins in other languages.
                writer.write_file(listing.save_as, self.get_template("events"), self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"], url=listing.url,
                                  events=listing, page_kind=kind, event_twins=_twins(self.event_lists, listing),
                                  **common)

            if not self._unchanged(common["calendar_url"], ("calendar", lang, everything.articles)):
                self._produce(common["calendar_url"], lambda lang=lang, articles=everything.articles: _calendar_bytes(
                    "language_calendar", lang, articles, self.settings, catalogs[lang].ugettext))

        # Every page with an event box links its own calendar: drafts and hidden articles too.
        for article in (*self.context.get("articles", []), *self.context.get("drafts", []),
                        *self.context.get("hidden_articles", [])):
            if getattr(article, "event", None) is not None:
                if self._unchanged(article.event.calendar_url, ("event calendar", article)):
                    continue
                gettext = catalogs.get(article.lang, catalogs[self.settings["DEFAULT_LANG"]]).ugettext
                self._produce(article.event.calendar_url, lambda article=article, gettext=gettext: _calendar_bytes(
                    "single_event_calendar", article, self.settings, gettext))

    def _path(self, url: str) -> str:
        return os.path.join(self.output_path, *url.split("/"))

    def _unchanged(self, url: str, shown) -> bool:
        # A calendar shows an event's article as a card does (title, summary, address), not its body.
        return unchanged(self._path(url), self.context, shown, CARD)

    def _produce(self, url: str, make_bytes):
        # Pelican's Writer renders templates and feeds only; a calendar is plain bytes.
        produce(self._path(url), make_bytes)
