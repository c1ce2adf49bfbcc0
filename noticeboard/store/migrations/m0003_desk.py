"""The staff desk: volunteer accounts, the card index, matches, ledger, flags, audit log, events.

Personal data sits only in the ``sealed`` columns (AES-GCM, row identity as associated data);
the clear columns hold ids, times, states and coarse keys (village, category) that statistics
and queues need without decrypting anything.
"""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    """Create the desk tables and the moderation ``hidden`` table the board consults."""
    # Posts hidden on this node by moderation; id "*" hides every post of one author.
    db.table("hidden").create({"author": str, "id": str, "created": int}, pk=("author", "id"))
    db.table("desk_accounts").create(
        {"number": int, "role": str, "created": int, "active": int, "sealed": bytes}, pk="number")
    # Failed logins per role key ("volunteer:3", "coordinator"), so lockouts survive a restart.
    db.table("desk_lockout").create({"who": str, "failed": int, "locked_until": int}, pk="who")
    db.table("desk_people").create(
        {"id": str, "created": int, "updated": int, "is_resident": int, "is_helper": int,
         "pause_until": str, "sealed": bytes}, pk="id")
    # Which request was entered at the desk, by whom, for which card, through which channel.
    db.table("desk_requests").create(
        {"author": str, "id": str, "resident": str, "channel": str, "entered_by": str, "created": int},
        pk=("author", "id"))
    db.table("desk_matches").create(
        {"id": str, "req_author": str, "req_id": str, "resident": str, "helper_kind": str, "helper": str,
         "state": str, "proposed_at": int, "resident_agreed": int, "helper_agreed": int, "agreed_at": int,
         "done_at": int, "closed_at": int, "village": str, "category": str, "cross": int,
         "happened": int, "face": str, "feedback_at": int, "sealed": bytes}, pk="id")
    db.table("desk_matches").create_index(["req_author", "req_id"])
    db.table("desk_matches").create_index(["state"])
    # Double entry: every transfer is two rows with opposite minutes, so the column sums to zero.
    db.table("desk_ledger").create(
        {"seq": int, "txn": str, "person": str, "minutes": int, "at": int, "match": str}, pk="seq")
    db.table("desk_flags").create({"author": str, "id": str, "at": int, "by": str, "sealed": bytes},
                            pk=("author", "id"))
    # Sealed match messages from other nodes already taken in (by entry key).
    db.table("desk_inbox").create({"author": str, "id": str, "at": int}, pk=("author", "id"))
    db.table("desk_blocks").create({"node": str, "at": int, "by": str}, pk="node")
    db.table("desk_audit").create({"seq": int, "at": int, "actor": str, "act": str, "subject": str, "sealed": bytes},
                            pk="seq")
    # Facts for statistics: ids, times, coarse keys and numbers only, never personal data.
    db.table("desk_events").create(
        {"seq": int, "at": int, "kind": str, "subject": str, "village": str, "category": str,
         "channel": str, "value": int, "cross": int, "pair": str}, pk="seq")
    db.table("desk_events").create_index(["kind", "subject"])
