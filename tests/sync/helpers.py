"""Nodes at chosen places with chosen trust, for the sync tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aiohttp import web

from noticeboard.node import Node, PostDraft
from sync.client import pair
from sync.server import bound_port, start_server, stop_server
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


class Servers:
    """Real TLS peer servers on 127.0.0.1 random ports, stopped at the end of the test."""

    def __init__(self) -> None:
        self.runners: list[web.AppRunner] = []

    async def start(self, node: Node) -> str:
        """Serve node; return its host:port."""
        runner = await start_server(node, "127.0.0.1", 0)
        self.runners.append(runner)
        return f"127.0.0.1:{bound_port(runner)}"

    async def stop_all(self) -> None:
        """Stop every server started here."""
        for runner in self.runners:
            await stop_server(runner)
        self.runners.clear()


async def pair_both(a: Node, a_addr: str, b: Node, b_addr: str) -> None:
    """Pair two served nodes both ways, each with the other's real fingerprint code."""
    await pair(a, b_addr, b.fingerprint_code)
    await pair(b, a_addr, a.fingerprint_code)
