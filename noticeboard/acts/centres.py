"""Acts on other centres: block and unblock, trust, and introducer; the coordinator's (or the service's).

Blocking refuses the centre from now on (trust), purges its entries, records the decision at
the desk and hides anything of it that still shows; unblocking undoes all of that, so once
the centre is paired again and synced its posts show as before. Owner of ``desk_blocks``.
"""

from __future__ import annotations

import datetime as dt

from noticeboard.acts import moderation
from noticeboard.acts.actor import Actor, Kind
from noticeboard.acts.errors import NotPermitted, NotTrusted
from noticeboard.desk import audit
from noticeboard.node import Node
from noticeboard.trust import Peer, PeerState, Trust


def _check(actor: Actor, act: str) -> None:
    # The node's own service (the command line run by whoever holds the node's key) counts as
    # the coordinator here, as it always has for ``peers``.
    if not (actor.is_coordinator or actor.kind is Kind.SERVICE):
        raise NotPermitted(act=act)


def block_centre(node: Node, actor: Actor, node_id: str, reason: str = "", *, now: dt.datetime) -> Peer:
    """Refuse a centre: revoke our vouch, purge its entries, record the block and hide it here."""
    _check(actor, "block")
    with node.store.write() as conn:
        peer = Trust(node).block(node_id, now=now)
        conn.execute("INSERT OR REPLACE INTO desk_blocks VALUES (?,?,?)", (node_id, int(now.timestamp()), actor.audit_name))
        moderation.hide_author(conn, node_id, now=now)
        audit.record(node.store, conn, actor.audit_name, "block", node_id, now=now, details={"reason": reason})
    return peer


def unblock_centre(node: Node, actor: Actor, node_id: str, reason: str = "", *, now: dt.datetime) -> Peer:
    """Lift a block entirely (trust, desk record, hidden row); the centre is ``seen`` until paired again."""
    _check(actor, "unblock")
    with node.store.write() as conn:
        peer = Trust(node).unblock(node_id, now=now)
        conn.execute("DELETE FROM desk_blocks WHERE node = ?", (node_id,))
        moderation.show_author(conn, node_id)
        audit.record(node.store, conn, actor.audit_name, "unblock", node_id, now=now, details={"reason": reason})
    return peer


def trust(node: Node, actor: Actor, node_id: str, *, now: dt.datetime) -> Peer:
    """Trust a known centre (after its code was compared)."""
    _check(actor, "trust")
    with node.store.write() as conn:
        if node_id in blocked_centres(node):
            # Trusting a blocked centre lifts the block, entirely, as unblock does.
            conn.execute("DELETE FROM desk_blocks WHERE node = ?", (node_id,))
            moderation.show_author(conn, node_id)
        peer = Trust(node).set_state(node_id, PeerState.TRUSTED, now=now)
        audit.record(node.store, conn, actor.audit_name, "peer_trusted", node_id, now=now)
    return peer


def set_introducer(node: Node, actor: Actor, node_id: str, on: bool = True, *, now: dt.datetime) -> Peer:
    """Let a trusted centre introduce the centres it trusts (or stop taking its introductions)."""
    _check(actor, "introducer")
    trusts = Trust(node)
    current = trusts.peer(node_id)
    if current is None or not current.trusted:
        raise NotTrusted(name=current.name if current else node_id[:12])
    with node.store.write() as conn:
        peer = trusts.set_state(node_id, PeerState.INTRODUCER if on else PeerState.TRUSTED, now=now)
        audit.record(node.store, conn, actor.audit_name, "peer_introducer" if on else "peer_introducer_off",
                     node_id, now=now)
    return peer


def blocked_centres(node: Node) -> list[str]:
    """Centres blocked at this desk, oldest block first."""
    with node.store.read() as conn:
        return [row[0] for row in conn.execute("SELECT node FROM desk_blocks ORDER BY at").fetchall()]
