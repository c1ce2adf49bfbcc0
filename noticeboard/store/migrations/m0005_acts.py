"""Acts: the owner's secret of a resident's post (its wijzigcode), kept as a sealed slow hash."""

from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    """Create the post_owners table (owned by noticeboard/acts/owner.py)."""
    # One row per resident post: the sealed hash of its wijzigcode, and the wrong tries so far.
    # failed counts wrong codes since the last right one; locked_until is a Unix time (0 = open).
    db.table("post_owners").create({"author": str, "id": str, "sealed": bytes, "failed": int, "locked_until": int},
                             pk=("author", "id"), not_null={"failed", "locked_until"},
                             defaults={"failed": 0, "locked_until": 0})
