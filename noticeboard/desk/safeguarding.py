"""Achterwacht: a request flagged "doorverwijzen / zorgsignaal" goes to the coordinator.

Its text is then hidden from volunteers (and from the public board); per-category guidance
says what buurthulp does not do, with the referral text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard.acts import moderation
from noticeboard.categories import NOT_BUURTHULP
from noticeboard.desk import audit
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.i18n import t
from noticeboard.node import Node

# Boundaries worth repeating for categories that are buurthulp but border on what is not.
CATEGORY_LIMITS: dict[str, tuple[str, ...]] = {
    "boodschappen": ("money",), "administratie": ("money",), "huishouden": ("personal_care",),
    "mantelzorg": ("personal_care", "medical"), "vervoer": ("medical",), "gezelschap": ("personal_care",),
    "klussen": ("professional",),
}


@dataclass(frozen=True)
class RequestView:
    """A request as a staff member may see it."""

    entry: Entry
    title: str
    text: str
    flagged: bool


def is_flagged(node: Node, entry: Entry) -> bool:
    """Whether a request was flagged for the coordinator."""
    with node.store.read() as conn:
        return conn.execute("SELECT 1 FROM desk_flags WHERE author = ? AND id = ?", entry.key).fetchone() is not None


def flag(node: Node, session: Session, ref: str, reason: str, *, now: dt.datetime) -> Entry:
    """Flag a request "doorverwijzen / zorgsignaal": hidden from volunteers and the board."""
    session.touch(now)
    return moderation.flag(node, session.by, ref, reason, now=now)


def view(node: Node, session: Session, ref: str, *, now: dt.datetime) -> RequestView:
    """A request's text for this role: a flagged one shows its text to the coordinator only."""
    session.touch(now)
    entry = node.find(ref)
    flagged = is_flagged(node, entry)
    if flagged and not session.is_coordinator:
        audit.log(node.store, session.actor, "view_flagged_refused", entry.body["ref"], now=now)
        return RequestView(entry, t("desk.flag.hidden_title"), t("desk.flag.hidden_text"), True)
    if flagged:
        audit.log(node.store, session.actor, "view_flagged", entry.body["ref"], now=now)
    return RequestView(entry, entry.body["title"], entry.body.get("text", ""), flagged)


def flagged(node: Node, session: Session, *, now: dt.datetime) -> list[tuple[Entry, dt.datetime]]:
    """Flagged requests still stored, oldest flag first, with when they were flagged (coordinator only)."""
    session.touch(now, coordinator=True)
    with node.store.read() as conn:
        rows = conn.execute("SELECT author, id, at FROM desk_flags ORDER BY at, author, id").fetchall()
    found = []
    for author, entry_id, at in rows:
        entry = node.store.get(author, entry_id)
        if entry is not None and entry.type == "request":
            found.append((entry, dt.datetime.fromtimestamp(at, dt.UTC)))
    return found


def flag_reason(node: Node, session: Session, ref: str, *, now: dt.datetime) -> str:
    """Why a request was flagged (coordinator only)."""
    session.touch(now, coordinator=True)
    entry = node.find(ref)
    with node.store.read() as conn:
        row = conn.execute("SELECT sealed FROM desk_flags WHERE author = ? AND id = ?", entry.key).fetchone()
    return str(node.store.unseal_json(f"flag|{entry.author}|{entry.id}", row[0])["reason"]) if row else ""


def guidance(kind: str) -> tuple[str, str]:
    """What buurthulp does not do for one kind (personal_care, medical, money, professional), and where to go."""
    if kind not in NOT_BUURTHULP:
        raise KeyError(kind)
    return t(f"desk.guide.{kind}"), t(f"desk.refer.{kind}")


def category_guidance(category: str) -> list[tuple[str, str]]:
    """The boundaries to mention for a category (may be empty)."""
    return [guidance(kind) for kind in CATEGORY_LIMITS.get(category, ())]


# ---- what the privacy tools need from desk_flags (written by acts.moderation.flag) -----------


def flags_before(node: Node, before: int) -> list[tuple[str, str]]:
    """(author, id) of requests flagged before ``before``."""
    with node.store.read() as conn:
        return [tuple(r) for r in conn.execute("SELECT author, id FROM desk_flags WHERE at < ?", (before,))]


def drop_flags(node: Node, keys: list[tuple[str, str]]) -> None:
    """Delete the flags (and their sealed reasons) of these requests."""
    with node.store.write() as conn:
        conn.executemany("DELETE FROM desk_flags WHERE author = ? AND id = ?", keys)
