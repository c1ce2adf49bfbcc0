"""Nodes at chosen places with chosen trust, for the sync tests."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from aiohttp import web

from noticeboard.node import Node, PostDraft
from noticeboard.trust import PeerState, Trust
from sync import wire
from sync.client import pair
from sync.guard import Limits
from sync.server import bound_port, start_server, stop_server
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

    async def start(self, node: Node, limits: Limits | None = None, *,
                    versions: tuple[int, ...] = wire.VERSIONS) -> str:
        """Serve node (every protocol version, or only those given); return its host:port."""
        runner = await start_server(node, "127.0.0.1", 0, limits=limits, versions=versions)
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


class CountingProxy:
    """A loopback TCP relay that counts every byte each way (TLS records included)."""

    def __init__(self, target: str) -> None:
        self.host, port = target.rsplit(":", 1)
        self.port = int(port)
        self.up = 0
        self.down = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        """Listen on a random loopback port; return its host:port."""
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def stop(self) -> None:
        """Stop listening."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        target_reader, target_writer = await asyncio.open_connection(self.host, self.port)
        await asyncio.gather(self._pipe(reader, target_writer, up=True), self._pipe(target_reader, writer, up=False))

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, up: bool) -> None:
        try:
            while data := await source.read(65536):
                if up:
                    self.up += len(data)
                else:
                    self.down += len(data)
                sink.write(data)
                await sink.drain()
        except ConnectionError:
            return
        finally:
            sink.close()
