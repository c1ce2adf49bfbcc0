"""Privacy: consent records and health details (kept apart, purged when the request closes)."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    """Create the consent and health tables; what each holds is in noticeboard/privacy/register.py."""
    # subject names what the consent is about ("post|author|id" or "person|card id"); the rest is sealed.
    db.table("consents").create(
        {"cid": str, "subject": str, "created": int, "wording": str, "withdrawn": int, "sealed": bytes},
        pk="cid")
    db.table("consents").create_index(["subject"])
    # At most one health note per post; it goes when the post closes, is withdrawn or expires.
    db.table("health_notes").create({"author": str, "id": str, "created": int, "sealed": bytes}, pk=("author", "id"))
