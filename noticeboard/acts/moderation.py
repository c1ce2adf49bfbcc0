"""Moderation acts on this node's board: hide and unhide a post (coordinator only).

Each with its reason in the audit log. Owner of the ``hidden`` table's rows (the store only
reads it, to leave hidden posts off the board). Flagging a request ("doorverwijzen /
zorgsignaal") is the desk's act: ``noticeboard.desk.safeguarding.flag``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from noticeboard.acts.actor import Actor
from noticeboard.acts.errors import NotPermitted
from noticeboard.desk import audit
from noticeboard.entry import Entry
from noticeboard.node import Node

# The id that hides everything of one author (a blocked centre).
EVERYTHING = "*"


def hide(node: Node, actor: Actor, ref: str, reason: str, *, now: dt.datetime) -> Entry:
    """Hide a post from the board on this node (coordinator only)."""
    if not actor.is_coordinator:
        raise NotPermitted(act="hide")
    entry = node.find(ref)
    with node.store.write() as conn:
        conn.execute("INSERT OR IGNORE INTO hidden VALUES (?,?,?)", (*entry.key, int(now.timestamp())))
        audit.record(node.store, conn, actor.audit_name, "hide", entry.body["ref"], now=now, details={"reason": reason})
    return entry


def unhide(node: Node, actor: Actor, ref: str, reason: str, *, now: dt.datetime) -> Entry:
    """Show a hidden post again (coordinator only)."""
    if not actor.is_coordinator:
        raise NotPermitted(act="unhide")
    entry = node.find(ref)
    with node.store.write() as conn:
        conn.execute("DELETE FROM hidden WHERE author = ? AND id = ?", entry.key)
        audit.record(node.store, conn, actor.audit_name, "unhide", entry.body["ref"], now=now,
                     details={"reason": reason})
    return entry


def hide_author(conn: sqlite3.Connection, author: str, *, now: dt.datetime) -> None:
    """Hide everything of one author, inside the caller's transaction (a block)."""
    conn.execute("INSERT OR IGNORE INTO hidden VALUES (?,?,?)", (author, EVERYTHING, int(now.timestamp())))


def show_author(conn: sqlite3.Connection, author: str) -> None:
    """Undo :func:`hide_author`, inside the caller's transaction (an unblock)."""
    conn.execute("DELETE FROM hidden WHERE author = ? AND id = ?", (author, EVERYTHING))
