"""The audit log: every view of personal data and every moderation or match act, who and when.

The act, the actor (an account number, never a name) and the subject id are in clear so the
log can be listed; any detail (a reason, which card) is sealed. A reference code as subject is
kept as its keyed tag (``ref:`` + the store's ref tag), the code itself sealed with the details:
the file does not say which post was flagged or hidden (issue 14); reading the log shows it.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from noticeboard.clock import format_time
from noticeboard.desk.session import Session
from noticeboard.refcode import normalise_ref
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
        """A compact one-line form for the terminal."""
        extra = " ".join(f"{k}={v}" for k, v in sorted(self.details.items()))
        return f"{format_time(self.at)}  {self.actor:13}  {self.act:16}  {self.subject}  {extra}".rstrip()


_REF = re.compile(r"bh[- ]?[0-9a-z]{4}", re.IGNORECASE)
_REF_DETAIL = "_ref"


def stored_subject(store: Store, subject: str) -> str:
    """The subject as the log's clear column holds it (a reference code as its tag)."""
    return f"ref:{store.ref_tag(normalise_ref(subject)).hex()}" if _REF.fullmatch(subject.strip()) else subject


def record(store: Store, conn: sqlite3.Connection, actor: str, act: str, subject: str, *,
           now: dt.datetime, details: dict[str, Any] | None = None) -> None:
    """Append one line inside the caller's write transaction."""
    seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM desk_audit").fetchone()[0])
    stored = stored_subject(store, subject)
    if stored != subject:
        details = {**(details or {}), _REF_DETAIL: normalise_ref(subject)}
    subject = stored
    sealed = store.seal_json(f"audit|{seq}", details or {})
    conn.execute("INSERT INTO desk_audit VALUES (?,?,?,?,?,?)",
                 (seq, int(now.timestamp()), actor, act, subject, sealed))


def log(store: Store, actor: str, act: str, subject: str, *, now: dt.datetime,
        details: dict[str, Any] | None = None) -> None:
    """Append one line in its own transaction."""
    with store.write() as conn:
        record(store, conn, actor, act, subject, now=now, details=details)


def read(store: Store, session: Session, *, now: dt.datetime, limit: int = 200,
         subject: str | None = None) -> list[AuditRecord]:
    """The newest lines first; the coordinator only."""
    session.touch(now, coordinator=True)
    sql, args = "SELECT seq, at, actor, act, subject, sealed FROM desk_audit", []
    if subject is not None:
        sql, args = sql + " WHERE subject = ?", [stored_subject(store, subject)]
    with store.read() as conn:
        rows = conn.execute(sql + " ORDER BY seq DESC LIMIT ?", [*args, limit]).fetchall()
    found = []
    for seq, at, actor, act, stored, sealed in rows:
        details = store.unseal_json(f"audit|{seq}", sealed)
        shown = str(details.pop(_REF_DETAIL, stored)) if isinstance(details, dict) else stored
        found.append(AuditRecord(seq, dt.datetime.fromtimestamp(at, dt.UTC), actor, act, shown, details))
    return found
