"""Dates in imported pages: when the page was published and when its event took place.

Two different questions, answered from different places:

* The publication date sits on a short line of its own near the headline or
  at the foot of the page («12.04.2023, 10:15», «Жарияланды: 12 сәуір 2023»).
  `parse_dateline` recognises such a line.
* Event dates sit inside the article's sentences and usually lack the year,
  because the reader knows it from the page: «17-18-январь күндөрү»,
  «28 қаңтар күні», «17–18 января», «January 17-18». `find_event_dates`
  collects them and `resolve_event` turns one into calendar dates, taking the
  year from the publication date when the text does not give it.

Month names are matched by stem, because Kazakh and Kyrgyz inflect them
(«қаңтарда», «январында») and Russian uses the genitive («января»).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Stems of month names, lower case. Kyrgyz writes the Russian month names
# (январь, январында), so the Russian stems serve both languages.
_MONTH_STEMS: dict[str, int] = {
    # Kazakh
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    # Kazakh, Latin alphabet of 2021
    "qañtar": 1, "aqpan": 2, "nauryz": 3, "säuır": 4, "mamyr": 5, "mausym": 6,
    "şılde": 7, "tamyz": 8, "qyrküiek": 9, "qazan": 10, "qaraşa": 11, "jeltoqsan": 12,
    # Russian and Kyrgyz
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "май": 5, "мая": 5, "маю": 5,
    "июн": 6, "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
# English names are not inflected; abbreviations are common on news sites.
_ENGLISH_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_INFLECTED_MONTH = rf"(?:{_alternation(_MONTH_STEMS)})[^\W\d_]*"
_ENGLISH_MONTH = rf"(?:{_alternation(_ENGLISH_MONTHS)})\b\.?"
_ANY_MONTH = rf"(?P<month>{_INFLECTED_MONTH}|{_ENGLISH_MONTH})"

_YEAR = r"(?:19[5-9]\d|20\d\d|2100)"
# «2020 жылғы», «2020-жылдын», «2020 ж.», «2020 jylğy»: the year written before the day.
_YEAR_BEFORE = rf"(?P<year_before>{_YEAR})\s*-?\s*(?:ж(?:ыл[^\W\d_]*)?\.?|jyl[^\W\d_]*|ж\.)\s*"
# «ағымдағы жылдың 28 қаңтар», «быйыл 17-январда»: this year, i.e. the year of publication.
_THIS_YEAR_BEFORE = (
    r"(?P<this_year_before>ағымдағы\s+жылдың|осы\s+жылдың|биылғы|биыл|"
    r"быйылкы|быйыл|ушул\s+жылдын|учурдагы\s+жылдын)\s+"
)
_THIS_YEAR_AFTER = (
    r"\s+(?P<this_year_after>текущего\s+года|этого\s+года|сего\s+года|"
    r"нынешнего\s+года|this\s+year)"
)
_DAY_RANGE_JOIN = r"\s*(?:[-‐‑–—]|по|до|to|through|and|и|және|мен|жана|менен|&)\s*"
_ORDINAL = r"(?:st|nd|rd|th|-?ші|-?шы|-?сі|-?сы|-?чи|-?чы)?"

# «17-18-январь», «28 қаңтар», «с 17 по 18 января 2020 года», «17 January 2020»
_DAY_FIRST = re.compile(
    rf"(?:{_YEAR_BEFORE}|{_THIS_YEAR_BEFORE})?"
    rf"(?:с\s+|from\s+)?"
    rf"(?<![\d.:])(?P<day>\d{{1,2}}){_ORDINAL}"
    rf"(?:{_DAY_RANGE_JOIN}(?P<last_day>\d{{1,2}}){_ORDINAL})?"
    rf"(?:\s*[-‐‑–—]\s*|\s+)(?:of\s+)?{_ANY_MONTH}"
    rf"(?:,?\s*(?P<year_after>{_YEAR})(?!\d)|{_THIS_YEAR_AFTER})?",
    re.IGNORECASE,
)
# «January 17-18, 2020», «Jan. 17»
_MONTH_FIRST = re.compile(
    rf"(?P<month>{_ENGLISH_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL}(?![\d:])"
    rf"(?:{_DAY_RANGE_JOIN}(?P<last_day>\d{{1,2}}){_ORDINAL}(?![\d:]))?"
    rf"(?:,?\s+(?P<year_after>{_YEAR})(?!\d))?",
    re.IGNORECASE,
)
# «17.01.2020», «17-18.01.2020», «17/01/2020»
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})(?:\s*[-–]\s*(?P<last_day>\d{1,2}))?"
    r"(?P<sep>[./])(?P<month>\d{1,2})(?P=sep)(?P<year_after>\d{4}|\d{2})(?![\d.]\d)"
)
# «2020-01-17»
_ISO = re.compile(r"(?<!\d)(?P<year_after>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")

_TIME = re.compile(r"(?<![\d:])(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?![\d:])")

# Between two dates, these words make the pair one range:
# «30 қаңтар – 2 ақпан», «с 30 января по 2 февраля», «January 30 to February 2».
_RANGE_BETWEEN = re.compile(r"^\s*(?:[-‐‑–—]|по|до|to|through|until)\s*$", re.IGNORECASE)
# A Kazakh or Kyrgyz range puts the first date in the ablative: «30 қаңтардан 2 ақпанға дейін».
_ABLATIVE_ENDING = re.compile(r"(?:дан|ден|тан|тен|нан|нен|дон|дөн|тон|төн)$", re.IGNORECASE)

# Words that label a dateline: «Жарияланды: 12.04.2023».
_DATELINE_LABELS = re.compile(
    r"\b(?:жарияланды|жарияланған|жарыяланды|жарыяланган|опубликовано|опубликован|"
    r"дата|датасы|күні|published|posted|updated|обновлено|жаңартылды|date|on)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventDates:
    """An event date as written in the text; the year may be missing."""

    text: str
    position: int
    month: int
    day: int
    last_month: int
    last_day: int
    year: int | None  # the year of the last day, when the text gives it
    says_this_year: bool = False  # «биыл», «текущего года»: the publication year

    @property
    def is_one_day(self) -> bool:
        return (self.month, self.day) == (self.last_month, self.last_day)


@dataclass(frozen=True)
class ResolvedEvent:
    start: date
    end: date
    year_assumed: bool  # the year came from the publication date, not the text


def month_number(word: str) -> int | None:
    """The month a (possibly inflected) month name means, or None."""
    word = word.lower().rstrip(".")
    if word in _ENGLISH_MONTHS:
        return _ENGLISH_MONTHS[word]
    for stem in sorted(_MONTH_STEMS, key=len, reverse=True):
        if word.startswith(stem):
            return _MONTH_STEMS[stem]
    return None


def _month_of(match: re.Match) -> int | None:
    value = match.group("month")
    return int(value) if value.isdigit() else month_number(value)


def _full_year(value: str | None) -> int | None:
    if not value:
        return None
    year = int(value)
    return year + 2000 if year < 100 else year


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _mention_from(match: re.Match, text: str) -> EventDates | None:
    month = _month_of(match)
    if not month:
        return None
    groups = match.groupdict()
    day = int(groups["day"])
    last_day = int(groups["last_day"]) if groups.get("last_day") else day
    if last_day < day:
        return None
    year = _full_year(groups.get("year_after") or groups.get("year_before"))
    # Check the day against a leap year so «29 февраля» without a year survives.
    if not (_valid(year or 2000, month, day) and _valid(year or 2000, month, last_day)):
        return None
    this_year = bool(groups.get("this_year_before") or groups.get("this_year_after"))
    return EventDates(
        text=text[match.start():match.end()].strip(),
        position=match.start(),
        month=month,
        day=day,
        last_month=month,
        last_day=last_day,
        year=year,
        says_this_year=this_year,
    )


def _all_mentions(text: str) -> list[EventDates]:
    found: list[EventDates] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_DAY_FIRST, _MONTH_FIRST, _NUMERIC, _ISO):
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(start < span[1] and span[0] < end for start, end in taken):
                continue
            mention = _mention_from(match, text)
            if mention:
                found.append(mention)
                taken.append(span)
    return sorted(found, key=lambda mention: mention.position)


def _joined_as_range(first: EventDates, second: EventDates, text: str) -> bool:
    between = text[first.position + len(first.text):second.position]
    if _RANGE_BETWEEN.match(between):
        return True
    # «30 қаңтардан 2 ақпанға дейін»
    return between.strip() == "" and bool(_ABLATIVE_ENDING.search(first.text))


def find_event_dates(text: str) -> list[EventDates]:
    """Every date or date range mentioned in `text`, in reading order."""
    mentions = _all_mentions(text)
    merged: list[EventDates] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if (
            previous
            and previous.is_one_day
            and mention.is_one_day
            and (previous.year is None or previous.year == mention.year)
            and _joined_as_range(previous, mention, text)
        ):
            end = mention.position + len(mention.text)
            merged[-1] = EventDates(
                text=text[previous.position:end],
                position=previous.position,
                month=previous.month,
                day=previous.day,
                last_month=mention.month,
                last_day=mention.day,
                year=mention.year,
                says_this_year=previous.says_this_year or mention.says_this_year,
            )
        else:
            merged.append(mention)
    return merged


def resolve_event(mention: EventDates, published: date | None) -> ResolvedEvent | None:
    """Calendar dates of an event; None when neither the text nor the page gives the year.

    Without a year in the text, the event is taken to be in the publication
    year, or the year before when that would put it more than two months
    after the page was published (a January page reporting a December event).
    """
    year_assumed = mention.year is None or mention.says_this_year
    if mention.year is not None and not mention.says_this_year:
        last_year = mention.year
    elif published is not None:
        last_year = published.year
    else:
        return None
    # A range over New Year («30 декабря – 2 января 2020») starts the year before.
    crosses_new_year = (mention.last_month, mention.last_day) < (mention.month, mention.day)
    first_year = last_year - 1 if crosses_new_year else last_year
    if not (_valid(first_year, mention.month, mention.day) and _valid(last_year, mention.last_month, mention.last_day)):
        return None
    start = date(first_year, mention.month, mention.day)
    end = date(last_year, mention.last_month, mention.last_day)
    if year_assumed and published is not None and mention.year is None and start > published + timedelta(days=62):
        start, end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    return ResolvedEvent(start=start, end=end, year_assumed=year_assumed)


def parse_dateline(line: str) -> datetime | None:
    """The publication date and time of a short dateline such as «12.04.2023, 10:15».

    A line counts as a dateline only when, besides a full date (with year),
    an optional time and labels like «Жарияланды», at most three words
    remain: a sentence that mentions a date is article text, not a dateline.
    Without a time the result is at midnight.
    """
    mentions = [mention for mention in _all_mentions(line) if mention.year is not None and mention.is_one_day]
    if not mentions:
        return None
    mention = mentions[0]
    if mention.says_this_year:
        return None
    rest = line.replace(mention.text, " ")
    time_match = _TIME.search(rest)
    if time_match:
        rest = rest[:time_match.start()] + " " + rest[time_match.end():]
    rest = _DATELINE_LABELS.sub(" ", rest)
    rest = re.sub(r"\b(?:ж|г|года?|жыл[^\W\d_]*)\b\.?", " ", rest, flags=re.IGNORECASE)
    leftover_words = re.findall(r"[^\W\d_]{2,}", rest)
    if len(leftover_words) > 3:
        return None
    hour, minute = (int(time_match["hour"]), int(time_match["minute"])) if time_match else (0, 0)
    return datetime(mention.year, mention.month, mention.day, hour, minute)


def is_time_only(line: str) -> bool:
    """A line holding nothing but a clock time («15:48»): a dateline that lost its date."""
    return bool(re.fullmatch(r"\s*(?:[01]?\d|2[0-3]):[0-5]\d\s*", line))


def parse_command_line_date(value: str) -> datetime:
    """A --date value: «2023-04-12», «2023-04-12 10:15», «12.04.2023» or «12.04.2023, 10:15»."""
    text = value.strip()
    for layout in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            pass
    parsed = parse_dateline(text)
    if parsed is None:
        raise ValueError(
            f"--date {value!r} is not a date; use YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or DD.MM.YYYY"
        )
    return parsed


def describe(mention: EventDates) -> str:
    """The mention as written, for review notes: «17-18-январь»."""
    return mention.text
