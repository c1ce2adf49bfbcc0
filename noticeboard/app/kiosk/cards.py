"""How a post reads on the board: category, kind, title, village, when and how long ago; never contact data."""

from __future__ import annotations

import datetime as dt

from noticeboard.categories import BY_CODE
from noticeboard.clock import parse_time
from noticeboard.entry import Entry
from noticeboard.i18n import catalog, current_language, t, tn


def ago(created: str, now: dt.datetime) -> str:
    """'net', '20 min geleden', '3 uur geleden' today; then 'gisteren', '3 dagen geleden' by the calendar."""
    then = parse_time(created)
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return t("kiosk.ago.now")
    if seconds < 3600:
        return tn("kiosk.ago.minutes", seconds // 60)
    days = (now.astimezone().date() - then.astimezone().date()).days
    if days <= 0:
        return tn("kiosk.ago.hours", seconds // 3600)
    if days == 1:
        return t("kiosk.ago.yesterday")
    return tn("kiosk.ago.days", days)


def shown_title(entry: Entry) -> str:
    """The title; a ready-made sentence in the reader's language, whichever language it was posted in."""
    title = str(entry.body["title"])
    key = f"kiosk.say.{entry.type}.{entry.body.get('category')}"
    if key in catalog() and title in catalog()[key]:
        return t(key)
    return title


def when_text(entry: Entry) -> str:
    """The 'when' a resident gave: from the kiosk's choice in the reader's language, else as typed, or ""."""
    urgency = entry.body.get("urgency")
    key = f"kiosk.when.{entry.type}.{urgency}"
    if isinstance(urgency, str) and key in catalog():
        return t(key)
    when = entry.body.get("when")
    return str(when.get("text", "")) if isinstance(when, dict) else ""


def category_line(entry: Entry) -> str:
    """Pictogram, kind in words, and category label (no meaning carried by colour alone)."""
    cat = BY_CODE[entry.body["category"]]
    return f"{cat.icon}  {t('kiosk.kind.' + entry.type)} · {cat.label(current_language())}"


def card_text(entry: Entry, now: dt.datetime) -> str:
    """Three short lines for one post on the board (public fields only)."""
    body = entry.body
    facts = [body["place"]["village"], when_text(entry), ago(entry.created, now)]
    return "\n".join([category_line(entry), shown_title(entry), " · ".join(f for f in facts if f)])


def kind_word(kind: str | None) -> str:
    """'vragen', 'aanbod', or "" for both."""
    return t("kiosk.kind.requests") if kind == "request" else t("kiosk.kind.offers") if kind else ""


def tile_label(code: str) -> str:
    """The short label of a category, for tiles and pick lists (the full label is on the post)."""
    return t(f"kiosk.tile.{code}")
