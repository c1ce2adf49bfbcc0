"""Attack 9 of issue 14: telling unknown, paired and blocked keys apart by status code and timing."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import aiohttp

from crypto.identity import NodeKeys
from noticeboard.clock import utcnow
from noticeboard.trust import Trust
from sync import httpsig, wire
from tests.sync.helpers import Servers, line_node, trust_directly


async def _ask(session: aiohttp.ClientSession, url: str, keyid: str, seed: bytes, body: bytes) -> tuple[int, str, float]:
    headers = httpsig.sign_request(seed, keyid, "POST", url, body, int(utcnow().timestamp()))
    began = time.perf_counter()
    async with session.post(url, data=body, ssl=False, headers={**headers, "Content-Type": wire.JSON}) as response:
        raw = await response.read()
    code = "ok" if response.status == 200 else str(wire.loads_object(raw).get("error"))
    return response.status, code, time.perf_counter() - began


async def test_blocked_and_unknown_keys_get_one_answer_and_a_forger_cannot_tell_paired_from_unknown(
        tmp_path: Path) -> None:
    server, paired, blocked = (line_node(tmp_path, n).open() for n in ("A", "B", "C"))
    stranger = NodeKeys.generate()
    servers = Servers()
    try:
        address = await servers.start(server)
        trust_directly(server, paired)
        trust_directly(server, blocked)
        Trust(server).block(blocked.node_id)
        url = f"https://{address}/v1/changes"
        body = wire.dumps({"epoch": server.store.epoch, "since": 0})
        forger = NodeKeys.generate().signing_seed
        times: dict[str, list[float]] = {"blocked": [], "unknown": []}
        async with aiohttp.ClientSession() as session:
            assert (await _ask(session, url, paired.node_id, paired.keys.signing_seed, body))[:2] == (200, "ok")
            for _ in range(40):
                for name, keyid, seed in (("blocked", blocked.node_id, blocked.keys.signing_seed),
                                          ("unknown", stranger.node_id, stranger.signing_seed)):
                    status, code, took = await _ask(session, url, keyid, seed, body)
                    assert (status, code) == (403, "unknown_key"), name
                    times[name].append(took)
            # Without the key, a paired keyid and an unknown one answer alike.
            assert (await _ask(session, url, paired.node_id, forger, body))[:2] == (401, "bad_signature")
            assert (await _ask(session, url, stranger.node_id, forger, body))[:2] == (401, "bad_signature")
            assert (await _ask(session, url, blocked.node_id, forger, body))[:2] == (401, "bad_signature")
        medians = {name: statistics.median(found) for name, found in times.items()}
        print(f"median answer: blocked {medians['blocked'] * 1000:.2f} ms, unknown {medians['unknown'] * 1000:.2f} ms")
        assert 0.5 < medians["blocked"] / medians["unknown"] < 2
    finally:
        await servers.stop_all()
        for node in (server, paired, blocked):
            node.close()
