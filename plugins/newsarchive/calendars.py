"""iCalendar files of event reports, built with the `icalendar` library.

`/<lang>/events.ics` holds every event of one language, past and upcoming;
`event.ics` next to each event report is its «add to calendar» file. A
rebuild of unchanged content writes the same bytes: UIDs come from the
report's translation key and language, DTSTAMP from its own dates, and the
time zones are added in a fixed order.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as CalendarEvent
from markupsafe import Markup

from .metadata import absolute_base
from .slugs import slugify


def uid_domain(settings) -> str:
    """Right-hand side of every UID: the published site's host, else the site's name.

    Not FEED_DOMAIN: a development address must not leak into identifiers.
    """
    host = urlsplit((settings.get("SITEURL") or "").strip()).hostname
    return host or slugify(settings.get("SITENAME") or "") or "newsarchive"


def event_uid(article, settings) -> str:
    """Stable across builds and title edits: one report in one language is one event."""
    return f"{article.translation_key}.{article.lang}@{uid_domain(settings)}"


def _stamp(article) -> dt.datetime:
    # DTSTAMP must not be the build time, or every rebuild would change every event.
    moment = getattr(article, "modified", None) or article.date
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _description(article, gettext) -> str:
    parts = [Markup(getattr(article, "summary", "") or "").striptags()]
    if article.event.organizer:
        parts.append(f"{gettext('Organizer')}: {article.event.organizer}")
    return "\n\n".join(part for part in parts if part)


def _location(article) -> str:
    if article.event.location:
        return article.event.location
    return ", ".join(region.name(article.lang) for region in article.region_list if article.lang in region.names)


def event_component(article, settings, gettext) -> CalendarEvent:
    """One VEVENT: all-day events as dates with an exclusive end, timed ones with their TZID."""
    event = article.event
    if event.all_day:
        start, end = event.first_day, event.last_day + dt.timedelta(days=1)
    else:
        start, end = event.start, event.end
    siteurl = absolute_base(settings)
    component = CalendarEvent.new(
        uid=event_uid(article, settings),
        stamp=_stamp(article),
        start=start,
        end=end,
        summary=str(article.title),  # plain text, as on the page
        location=_location(article) or None,
        description=_description(article, gettext) or None,
        url=f"{siteurl}/{article.url}",
    )
    return component


def _new_calendar(lang: str, name: str, uid: str, settings) -> Calendar:
    calendar = Calendar.new(
        prodid=f"-//{settings.get('SITENAME') or 'newsarchive'}//Events//{lang.upper()}",
        name=name,
        language=lang,
        method="PUBLISH",
        uid=uid,
    )
    return calendar


def _add_time_zones(calendar: Calendar, articles):
    """VTIMEZONEs for the zones the timed events use, first in the file, in TZID order.

    add_missing_timezones() walks a set of TZIDs, whose order changes from run
    to run; sorting keeps the bytes stable. The zone data covers the years of
    the events only, which keeps the files small.
    """
    days = [a.event.first_day for a in articles if not a.event.all_day]
    days += [a.event.last_day for a in articles if not a.event.all_day]
    if not days:
        return
    calendar.add_missing_timezones(first_date=dt.date(min(days).year, 1, 1),
                                   last_date=dt.date(max(days).year + 1, 1, 1))
    zones = sorted(calendar.timezones, key=lambda zone: zone.tz_name)
    others = [component for component in calendar.subcomponents if component.name != "VTIMEZONE"]
    calendar.subcomponents[:] = [*zones, *others]


def language_calendar(lang: str, articles, settings, gettext) -> Calendar:
    """Every event report of one language, oldest first."""
    name = f"{settings.get('SITENAME')} · {gettext('Events')}"
    calendar = _new_calendar(lang, name, f"events.{lang}@{uid_domain(settings)}", settings)
    for article in articles:
        calendar.add_component(event_component(article, settings, gettext))
    _add_time_zones(calendar, articles)
    return calendar


def single_event_calendar(article, settings, gettext) -> Calendar:
    """The «add to calendar» file of one event report."""
    name = str(article.title)
    calendar = _new_calendar(article.lang, name, f"calendar.{event_uid(article, settings)}", settings)
    calendar.add_component(event_component(article, settings, gettext))
    _add_time_zones(calendar, [article])
    return calendar


def to_bytes(calendar: Calendar) -> bytes:
    return calendar.to_ical()
