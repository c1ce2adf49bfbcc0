"""Entries made with fixed keys and times, for model and store tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.entry import Entry

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
KEYS = NodeKeys(bytes(range(32)), bytes(range(32, 64)))


def post_body(**changes: Any) -> dict[str, Any]:
    """A valid request body, with any field changed."""
    body: dict[str, Any] = {
        "category": "tuin", "title": "Heg knippen", "text": "De heg is te hoog voor mij.",
        "place": {"village": "Ezinge", "lat_cdeg": 5332, "lon_cdeg": 644}, "reach_km": 10,
        "status": "open", "ref": "BH-7K3Q", "lang": "nl", "when": {"text": "zaterdag"},
    }
    body.update(changes)
    return body


def request(keys: NodeKeys = KEYS, *, now: dt.datetime = NOW, entry_id: str | None = None, version: int = 1,
            **changes: Any) -> Entry:
    """A signed request."""
    return entries.make(keys.signing_seed, keys.node_id, "request", post_body(**changes), now=now,
                        entry_id=entry_id, version=version)
