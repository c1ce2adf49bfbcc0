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

from noticeboard.desk import local
from noticeboard.desk.session import Session
from noticeboard.i18n import catalog, t
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
    ver = store.next_ver()
    sealed = store.seal_json(f"audit|{seq}", details or {}, ver=ver)
    conn.execute("INSERT INTO desk_audit(seq, at, actor, act, subject, sealed, ver) VALUES (?,?,?,?,?,?,?)",
                 (seq, int(now.timestamp()), actor, act, subject, sealed, ver))


def _empty_details(store: Store, conn: sqlite3.Connection, seq: int, subject: str | None = None) -> None:
    """Seal empty details over a line's (and give it another subject), under a new write counter."""
    ver = store.next_ver()
    sealed = store.seal_json(f"audit|{seq}", {}, ver=ver)
    if subject is None:
        conn.execute("UPDATE desk_audit SET sealed = ?, ver = ? WHERE seq = ?", (sealed, ver, seq))
    else:
        conn.execute("UPDATE desk_audit SET subject = ?, sealed = ?, ver = ? WHERE seq = ?", (subject, sealed, ver, seq))


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
    where: list[str] = []
    args: list[object] = []
    for column, value in (("subject = ?", None if subject is None else stored_subject(store, subject)),
                          ("actor = ?", actor)):
        if value is not None:
            where.append(column)
            args.append(value)
    if act is not None:
        where.append("act LIKE ?")
        args.append(act.replace("%", "") + "%")
    if since is not None:
        where.append("at >= ?")
        args.append(int(since.timestamp()))
    sql = "SELECT seq, at, actor, act, subject, sealed, ver FROM desk_audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    with store.read() as conn:
        rows = conn.execute(sql + " ORDER BY seq DESC", args).fetchall()
    found = []
    for seq, at, who, what, stored, sealed, ver in rows:
        details = store.unseal_json(f"audit|{seq}", sealed, ver=ver)
        shown = str(details.pop(_REF_DETAIL, stored)) if isinstance(details, dict) else stored
        record = AuditRecord(seq, dt.datetime.fromtimestamp(at, dt.UTC), who, what, shown, details)
        # A person's card is named as the subject, or inside the details (for whom a request was taken).
        if person is not None and person.upper() != record.subject and person.upper() not in map(
                str, record.details.values()):
            continue
        found.append(record)
        if len(found) >= limit:
            break
    return found


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
                _empty_details(store, conn, seq, token)


def forget_details(store: Store, subjects: list[str]) -> None:
    """Lines about these subjects keep act and subject; their details (codes, card ids) go."""
    with store.write() as conn:
        for subject in subjects:
            for (seq,) in conn.execute("SELECT seq FROM desk_audit WHERE subject = ?",
                                       (stored_subject(store, subject),)).fetchall():
                _empty_details(store, conn, seq)


def forget_details_before(store: Store, before: int) -> int:
    """Empty the details of lines older than ``before`` (retention); returns how many had any."""
    emptied = 0
    with store.write() as conn:
        for seq, sealed, ver in conn.execute(
                "SELECT seq, sealed, ver FROM desk_audit WHERE at < ? AND sealed IS NOT NULL", (before,)).fetchall():
            if store.unseal_json(f"audit|{seq}", sealed, ver=ver):
                _empty_details(store, conn, seq)
                emptied += 1
    return emptied
