"""Moderation on this node: hide a post, block a node; each act with its reason in the audit log.

Blocking here records the coordinator's decision and hides the node's posts from the board;
refusing and purging its entries is the trust layer's job (noticeboard/trust.py), which the command
line calls when it is present.
"""

from __future__ import annotations

import datetime as dt

from noticeboard.desk import audit
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.node import Node


def hide(node: Node, session: Session, ref: str, reason: str, *, now: dt.datetime) -> Entry:
    """Hide a post from the board on this node (coordinator only)."""
    session.touch(now, coordinator=True)
    entry = node.find(ref)
    with node.store.write() as conn:
        conn.execute("INSERT OR IGNORE INTO hidden VALUES (?,?,?)", (*entry.key, int(now.timestamp())))
        audit.record(node.store, conn, session.actor, "hide", entry.body["ref"], now=now, details={"reason": reason})
    return entry


def unhide(node: Node, session: Session, ref: str, reason: str, *, now: dt.datetime) -> Entry:
    """Show a hidden post again (coordinator only)."""
    session.touch(now, coordinator=True)
    entry = node.find(ref)
    with node.store.write() as conn:
        conn.execute("DELETE FROM hidden WHERE author = ? AND id = ?", entry.key)
        audit.record(node.store, conn, session.actor, "unhide", entry.body["ref"], now=now,
                     details={"reason": reason})
    return entry


def block(node: Node, session: Session, node_id: str, reason: str, *, now: dt.datetime) -> None:
    """Record a block of another node and hide all its posts here (coordinator only)."""
    session.touch(now, coordinator=True)
    with node.store.write() as conn:
        conn.execute("INSERT OR REPLACE INTO desk_blocks VALUES (?,?,?)", (node_id, int(now.timestamp()), session.actor))
        conn.execute("INSERT OR IGNORE INTO hidden VALUES (?,?,?)", (node_id, "*", int(now.timestamp())))
        audit.record(node.store, conn, session.actor, "block", node_id, now=now, details={"reason": reason})


def blocked_nodes(node: Node) -> list[str]:
    """Nodes blocked at this desk."""
    with node.store.read() as conn:
        return [row[0] for row in conn.execute("SELECT node FROM desk_blocks ORDER BY at").fetchall()]
