"""The audit log: every view of personal data and every moderation or match act, who and when.

The act, the actor (an account number, never a name) and the subject id are in clear so the
log can be listed; any detail (a reason, which card) is sealed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from noticeboard.clock import format_time
from noticeboard.desk.session import Session
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


def read(store: Store, session: Session, *, now: dt.datetime, limit: int = 200,
         subject: str | None = None) -> list[AuditRecord]:
    """The newest lines first; the coordinator only."""
    session.touch(now, coordinator=True)
    sql, args = "SELECT seq, at, actor, act, subject, sealed FROM desk_audit", []
    if subject is not None:
        sql, args = sql + " WHERE subject = ?", [subject]
    with store.read() as conn:
        rows = conn.execute(sql + " ORDER BY seq DESC LIMIT ?", [*args, limit]).fetchall()
    return [AuditRecord(r[0], dt.datetime.fromtimestamp(r[1], dt.UTC), r[2], r[3], r[4],
                        store.unseal_json(f"audit|{r[0]}", r[5])) for r in rows]


# ---- what the privacy tools need from desk_audit (this module owns the table) ----------------


def all_lines(store: Store) -> list[tuple[int, str, str, str]]:
    """(at, actor, act, subject) of every line, oldest first (for an access request)."""
    with store.read() as conn:
        return [tuple(r) for r in conn.execute("SELECT at, actor, act, subject FROM desk_audit ORDER BY seq")]


def pseudonymise(store: Store, subjects: list[str], token: str) -> None:
    """Lines about these subjects (card ids) name ``token`` instead, and lose their details (an erasure)."""
    with store.write() as conn:
        for subject in subjects:
            for (seq,) in conn.execute("SELECT seq FROM desk_audit WHERE subject = ?", (subject,)).fetchall():
                conn.execute("UPDATE desk_audit SET subject = ?, sealed = ? WHERE seq = ?",
                             (token, store.seal_json(f"audit|{seq}", {}), seq))


def forget_details(store: Store, subjects: list[str]) -> None:
    """Lines about these subjects keep act and subject; their details (codes, card ids) go."""
    with store.write() as conn:
        for subject in subjects:
            for (seq,) in conn.execute("SELECT seq FROM desk_audit WHERE subject = ?", (subject,)).fetchall():
                conn.execute("UPDATE desk_audit SET sealed = ? WHERE seq = ?", (store.seal_json(f"audit|{seq}", {}), seq))


def forget_details_before(store: Store, before: int) -> int:
    """Empty the details of lines older than ``before`` (retention); returns how many had any."""
    emptied = 0
    with store.write() as conn:
        for seq, sealed in conn.execute("SELECT seq, sealed FROM desk_audit WHERE at < ? AND sealed IS NOT NULL",
                                        (before,)).fetchall():
            if store.unseal_json(f"audit|{seq}", sealed):
                conn.execute("UPDATE desk_audit SET sealed = ? WHERE seq = ?", (store.seal_json(f"audit|{seq}", {}), seq))
                emptied += 1
    return emptied
