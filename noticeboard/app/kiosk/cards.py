"""How a post reads on the board: category, kind, title, village, when and how long ago; never contact data."""

from __future__ import annotations

import datetime as dt

from noticeboard.categories import BY_CODE
from noticeboard.clock import parse_time
from noticeboard.entry import Entry
from noticeboard.i18n import current_language, t, tn


def ago(created: str, now: dt.datetime) -> str:
    """'3 uur geleden' from a timestamp."""
    seconds = max(0, int((now - parse_time(created)).total_seconds()))
    if seconds < 120:
        return t("kiosk.ago.now")
    if seconds < 3600:
        return tn("kiosk.ago.minutes", seconds // 60)
    if seconds < 2 * 86400:
        return tn("kiosk.ago.hours", seconds // 3600)
    return tn("kiosk.ago.days", seconds // 86400)


def category_line(entry: Entry) -> str:
    """Pictogram, kind in words, and category label (no meaning carried by colour alone)."""
    cat = BY_CODE[entry.body["category"]]
    return f"{cat.icon}  {t('kiosk.kind.' + entry.type)} · {cat.label(current_language())}"


def when_text(entry: Entry) -> str:
    """The 'when' a resident gave, or an empty string."""
    when = entry.body.get("when")
    return str(when.get("text", "")) if isinstance(when, dict) else ""


def card_text(entry: Entry, now: dt.datetime) -> str:
    """Three short lines for one post on the board (public fields only)."""
    body = entry.body
    facts = [body["place"]["village"], when_text(entry), ago(entry.created, now)]
    return "\n".join([category_line(entry), str(body["title"]), " · ".join(f for f in facts if f)])
