"""Times as people at the desk read and type them: in the hall's local time zone, never UTC."""

from __future__ import annotations

import datetime as dt
import re

_AT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}-\d{1,2}(?:-\d{4})?)\s+(\d{1,2})[:.](\d{2})\s*$")


def local(moment: dt.datetime) -> dt.datetime:
    """The moment in this machine's time zone."""
    return moment.astimezone()


def when_text(moment: dt.datetime | None) -> str:
    """``2026-03-05 14:00`` in local time (empty for None)."""
    return "" if moment is None else local(moment).strftime("%Y-%m-%d %H:%M")


def date_text(moment: dt.datetime | None) -> str:
    """``2026-03-05`` in local time (empty for None)."""
    return "" if moment is None else local(moment).strftime("%Y-%m-%d")


def parse_at(text: str, *, now: dt.datetime) -> dt.datetime:
    """A date and time typed at the desk (``2026-03-05 14:00``, ``5-3 14:00`` or ``5-3-2026 14.00``), local.

    Without a year the next such date from today is meant. Raises ValueError.
    """
    found = _AT.match(text)
    if not found:
        raise ValueError("use YYYY-MM-DD HH:MM or DD-MM HH:MM")
    day_text, hour, minute = found.group(1), int(found.group(2)), int(found.group(3))
    here = local(now)
    if "-" in day_text and len(day_text.split("-")[0]) == 4:
        day = dt.date.fromisoformat(day_text)
    else:
        parts = [int(p) for p in day_text.split("-")]
        year = parts[2] if len(parts) == 3 else here.year
        day = dt.date(year, parts[1], parts[0])
        if len(parts) == 2 and day < here.date():
            day = dt.date(year + 1, parts[1], parts[0])
    # A naive time read as local time takes the offset (summer or winter time) of that very day.
    return dt.datetime(day.year, day.month, day.day, hour, minute).astimezone().astimezone(dt.UTC)
