"""The service's chores: profiles renewed before they expire, retention, and opening what arrives sealed."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

from noticeboard.clock import utcnow
from noticeboard.supervisor import PROFILE_RENEW_BEFORE, housekeeping
from sync.config import Config, StaticPeer
from sync.server import bound_port, start_server, stop_server
from sync.service import Service
from tests.service.helpers import centre, pair, post
from tests.support import NodeDir


def test_profile_is_renewed_before_it_expires_and_not_before(node_dir: NodeDir) -> None:
    with node_dir.open() as node:
        first = node.profile_entry()
        housekeeping(node, utcnow())
        assert node.profile_entry() == first  # a year left: nothing to do
        near_end = first.expires_at - PROFILE_RENEW_BEFORE + dt.timedelta(days=1)
        housekeeping(node, near_end)
        renewed = node.profile_entry()
        assert renewed.version == first.version + 1
        assert renewed.expires_at > first.expires_at and renewed.verify()
        assert renewed.body == first.body


def test_housekeeping_keeps_open_posts(node_dir: NodeDir) -> None:
    posted = node_dir.cli("post", "request", "--category", "tuin", "--title", "Heg knippen")
    assert posted.code == 0
    with node_dir.open() as node:
        housekeeping(node, utcnow())
    assert "Heg knippen" in node_dir.cli("list").out


async def test_a_response_that_arrives_by_sync_is_opened_without_any_command(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    ref_id = post(a, "Boodschappen halen")
    node_a, node_b = a.open(), b.open()
    runner = await start_server(node_b, "127.0.0.1", 0)
    try:
        # B already holds A's request and profile, and answers it: a message sealed to A.
        node_b.store.apply_many([node_a.profile_entry(), node_a.store.get(node_a.node_id, ref_id)], now=utcnow())
        node_b.respond(node_b.store.get(node_a.node_id, ref_id), name="Piet", contact="0622222222",
                       message="Ik kan zaterdag")
        config = Config(listen="127.0.0.1", port=0, sync_interval=30.0, mdns_enabled=False,
                        static_peers=(StaticPeer("127.0.0.1", bound_port(runner)),))
        service = Service(node_a, config)
        await service.start()
        try:
            deadline = time.monotonic() + 10
            while not node_a.store.responses(node_a.node_id, ref_id):
                assert time.monotonic() < deadline, "the response was not opened after the round"
                await asyncio.sleep(0.05)
        finally:
            await service.close()
        [response] = node_a.store.responses(node_a.node_id, ref_id)
        assert response["name"] == "Piet" and response["via"] == "sealed"
    finally:
        await stop_server(runner)
        node_a.close()
        node_b.close()
