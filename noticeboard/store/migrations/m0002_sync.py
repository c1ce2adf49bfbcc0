"""Peers and their trust, replication checkpoints, and refusal counts per source."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    """Create the sync tables (public data only: keys, centre names, addresses, counts)."""
    # state: trusted, introducer, blocked or seen; vouch_id names our signed vouch for it.
    db.table("peers").create(
        {
            "node_id": str, "name": str, "address": str, "tls_fp": bytes, "state": str,
            "vouch_id": str, "added": int, "updated": int,
        },
        pk="node_id",
    )
    db.table("peers").create_index(["address"])
    # pull_*: where we are in the peer's feed; push_*: how far our feed went to the peer.
    db.table("checkpoints").create(
        {
            "node_id": str, "pull_epoch": str, "pull_seq": int,
            "push_epoch": str, "push_peer_epoch": str, "push_seq": int,
        },
        pk="node_id",
    )
    # source is a peer's node id, or a label such as "bundle"; reason an EntryError reason.
    db.table("refusals").create({"source": str, "reason": str, "count": int, "last": int}, pk=("source", "reason"))
