"""Facts for statistics, one row per thing that happened: never names, contacts or text."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

KINDS = ("request", "offer", "response", "proposed", "agreed", "revealed", "done", "cancelled",
         "feedback", "flagged", "ledger", "withdrawn")


@dataclass(frozen=True)
class Event:
    """One fact: what, when, about which id, and coarse keys."""

    seq: int
    at: int
    kind: str
    subject: str
    village: str
    category: str
    channel: str
    value: int | None
    cross: int
    pair: str


def emit(conn: sqlite3.Connection, kind: str, subject: str, *, at: dt.datetime, village: str = "",
         category: str = "", channel: str = "", value: int | None = None, cross: bool = False,
         pair: str = "") -> None:
    """Append one event inside the caller's write transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind}")
    conn.execute("INSERT INTO desk_events(at, kind, subject, village, category, channel, value, cross, pair) "
                 "VALUES (?,?,?,?,?,?,?,?,?)",
                 (int(at.timestamp()), kind, subject, village, category, channel, value, int(cross), pair))


def has(conn: sqlite3.Connection, kind: str, subject: str) -> bool:
    """Whether an event of this kind exists for this subject."""
    return conn.execute("SELECT 1 FROM desk_events WHERE kind = ? AND subject = ? LIMIT 1",
                        (kind, subject)).fetchone() is not None


def load(conn: sqlite3.Connection) -> list[Event]:
    """Every event, oldest first."""
    rows = conn.execute("SELECT seq, at, kind, subject, village, category, channel, value, cross, pair "
                        "FROM desk_events ORDER BY at, seq").fetchall()
    return [Event(*row) for row in rows]
