"""The audit log: every view of personal data and every moderation or match act, who and when.

The act, the actor (an account number, never a name) and the subject id are in clear so the
log can be listed; any detail (a reason, which card) is sealed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from noticeboard.desk import local
from noticeboard.desk.session import Session
from noticeboard.i18n import catalog, t
from noticeboard.store import Store


@dataclass(frozen=True)
class AuditRecord:
    """One line of the audit log."""

    seq: int
    at: dt.datetime
    actor: str
    act: str
    subject: str
    details: dict[str, Any]

    def line(self) -> str:
        """One line for people: local time, who (account), what in words (and its code), about what."""
        extra = " ".join(f"{k}={v}" for k, v in sorted(self.details.items()))
        return (f"{local.when_text(self.at)}  {actor_text(self.actor):16}  {act_text(self.act)} ({self.act})  "
                f"{self.subject}  {extra}").rstrip()


def act_text(act: str) -> str:
    """An act in words in the current language (its code when it has no words yet)."""
    key = f"desk.act.{act}"
    return t(key) if key in catalog() else act


def actor_text(actor: str) -> str:
    """Who, in words: "vrijwilliger 3", "coördinator", "systeem" (never a person's name)."""
    kind, _, number = actor.partition(":")
    if kind == "volunteer" and number:
        return t("desk.actor.volunteer", number=number)
    key = f"desk.actor.{kind}"
    return t(key) if key in catalog() else actor


def record(store: Store, conn: sqlite3.Connection, actor: str, act: str, subject: str, *,
           now: dt.datetime, details: dict[str, Any] | None = None) -> None:
    """Append one line inside the caller's write transaction."""
    seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM desk_audit").fetchone()[0])
    sealed = store.seal_json(f"audit|{seq}", details or {})
    conn.execute("INSERT INTO desk_audit VALUES (?,?,?,?,?,?)",
                 (seq, int(now.timestamp()), actor, act, subject, sealed))


def log(store: Store, actor: str, act: str, subject: str, *, now: dt.datetime,
        details: dict[str, Any] | None = None) -> None:
    """Append one line in its own transaction."""
    with store.write() as conn:
        record(store, conn, actor, act, subject, now=now, details=details)


def read(store: Store, session: Session, *, now: dt.datetime, limit: int = 200, subject: str | None = None,
         act: str | None = None, actor: str | None = None, person: str | None = None,
         since: dt.datetime | None = None) -> list[AuditRecord]:
    """The newest lines first, filtered by subject, act (code, prefix), actor, person (card id) or time; coordinator."""
    session.touch(now, coordinator=True)
    where, args = [], []
    for column, value in (("subject = ?", subject), ("actor = ?", actor)):
        if value is not None:
            where.append(column)
            args.append(value)
    if act is not None:
        where.append("act LIKE ?")
        args.append(act.replace("%", "") + "%")
    if since is not None:
        where.append("at >= ?")
        args.append(int(since.timestamp()))
    sql = "SELECT seq, at, actor, act, subject, sealed FROM desk_audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    with store.read() as conn:
        rows = conn.execute(sql + " ORDER BY seq DESC", args).fetchall()
    found = []
    for r in rows:
        record = AuditRecord(r[0], dt.datetime.fromtimestamp(r[1], dt.UTC), r[2], r[3], r[4],
                             store.unseal_json(f"audit|{r[0]}", r[5]))
        # A person's card is named as the subject, or inside the details (for whom a request was taken).
        if person is not None and person.upper() != record.subject and person.upper() not in map(
                str, record.details.values()):
            continue
        found.append(record)
        if len(found) >= limit:
            break
    return found
