"""Entries, vault, secrets, held entries and local-only contact details."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    """Create the foundation tables."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("vault").create({"kind": str, "wrapper": str}, pk="kind")
    db.table("secrets").create({"name": str, "sealed": bytes}, pk="name")
    # Only what sync needs to find rows is in clear; the entry itself is in ``sealed``.
    db.table("entries").create(
        {
            "author": str, "id": str, "type": str, "version": int, "sig": bytes,
            "updated": int, "expires": int, "seq": int,
            "lat_cdeg": int, "lon_cdeg": int, "reach_km": int, "recipient": str,
            "ref_tag": bytes, "sealed": bytes,
        },
        pk=("author", "id"),
    )
    db.table("entries").create_index(["seq"], unique=True)
    db.table("entries").create_index(["expires"])
    db.table("entries").create_index(["type"])
    db.table("entries").create_index(["ref_tag"])
    # Entries dated ahead of our clock wait here until their time comes.
    db.table("held").create(
        {"author": str, "id": str, "version": int, "updated": int, "sealed": bytes},
        pk=("author", "id", "version"),
    )
    # Personal data typed at this node: never in an entry, never sent anywhere.
    db.table("contacts").create({"author": str, "id": str, "sealed": bytes}, pk=("author", "id"))
    # "I can help" for one of our own posts, typed here or opened from a sealed message.
    db.table("responses").create(
        {"rid": str, "author": str, "id": str, "created": int, "sealed": bytes}, pk="rid"
    )
    db.table("responses").create_index(["author", "id"])
