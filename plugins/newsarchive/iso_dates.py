"""Date and Modified values written as plain ISO dates, read without dateutil.

Pelican turns every Date and Modified value, and the date a file name gives
through FILENAME_METADATA, into a datetime with `pelican.utils.get_date`,
which asks dateutil's parser to guess the format: 20 µs a value on its own,
half a second of a cold 5,000-article build. The archive's editors write ISO 8601
(validate.py accepts nothing else), nearly always `2020-05-20` or
`2020-05-20 10:00`, and for those the value is plain to read.

Only what dateutil reads the same way is taken here: four-digit year,
two-digit month and day, optionally a space or `T` and two-digit hours,
minutes and seconds, no fraction, no time zone (dateutil gives its own
tzinfo objects: `tzlocal()` for a `Z`). A missing time is midnight, as with
Pelican's default. Anything else, an impossible date included, goes to
Pelican's processor, which gives the value or raises the error it always did.
"""
from __future__ import annotations

import re

from pelican import readers
from pelican.utils import SafeDatetime

_PLAIN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")


def plain_date(value) -> SafeDatetime | None:
    """The SafeDatetime Pelican's get_date gives for a plain ISO value, or None for any other value."""
    match = _PLAIN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        # The constructor checks the ranges (31 February, hour 24) as dateutil does: such a value
        # is left to Pelican, for its own error message.
        return SafeDatetime(*(int(part) for part in match.groups() if part is not None))
    except ValueError:
        return None


def _with_plain_dates(pelicans):
    def process(value, settings):
        parsed = plain_date(value)
        return pelicans(value, settings) if parsed is None else parsed

    process.pelicans = pelicans
    return process


def install(_readers=None) -> None:
    """readers_init: Pelican's date and modified processors, with plain values read here first."""
    for key in ("date", "modified"):
        processor = readers.METADATA_PROCESSORS[key]
        if not hasattr(processor, "pelicans"):  # once, however many builds this process runs
            readers.METADATA_PROCESSORS[key] = _with_plain_dates(processor)
