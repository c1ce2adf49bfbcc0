"""Nodes at chosen places with chosen trust, for the sync tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from noticeboard.node import Node, PostDraft
from sync.trust import PeerState, Trust
from tests.support import NodeDir, make_node

# Three villages on one line, about 13.4 km apart (0.20 degrees of longitude at 53 N).
LINE = {"A": (5300, 600), "B": (5300, 620), "C": (5300, 640)}


def line_node(root: Path, name: str, lon_cdeg: int | None = None) -> NodeDir:
    """A node called ``name`` on the test line (or at a given longitude)."""
    lat, lon = LINE.get(name, (5300, lon_cdeg or 600))
    return make_node(root, f"Dorpshuis {name}", f"Dorp {name}", lat, lon_cdeg if lon_cdeg is not None else lon)


def trust_directly(node: Node, other: Node, *, state: PeerState = PeerState.TRUSTED, address: str = "") -> None:
    """Make ``node`` trust ``other`` as a pairing would, holding its signed profile."""
    profile = other.profile_entry()
    node.store.apply(profile, now=dt.datetime.now(dt.UTC))
    Trust(node).pair(profile, address)
    if state is not PeerState.TRUSTED:
        Trust(node).set_state(other.node_id, state)


def post(node: Node, title: str = "Boodschappen halen", reach_km: int = 30) -> str:
    """Post a request at node; return its reference code."""
    made = node.post(PostDraft("request", "boodschappen", title, "Wie helpt mij deze week?", reach_km=reach_km))
    return made.body["ref"]
