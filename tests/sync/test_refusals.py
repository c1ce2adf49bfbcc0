"""Attacks and damage against a real peer server: each refused with its reason, service goes on."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from crypto.canonical import canonical_bytes
from crypto.identity import NodeKeys
from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.trust import Trust
from sync import httpsig, wire
from tests.sync.helpers import Servers, line_node, pair_both, post


async def _send(session: aiohttp.ClientSession, node: Node, server: Node, address: str, path: str, body: bytes, *,
                headers: dict[str, str] | None = None, created: int | None = None,
                seed: bytes | None = None, send_body: bytes | None = None) -> tuple[int, dict[str, object], dict[str, str]]:
    url = f"https://{address}{path}"
    signed = headers or httpsig.sign_request(seed or node.keys.signing_seed, node.node_id, "POST", url, body,
                                             created or int(utcnow().timestamp()))
    async with session.post(url, data=send_body if send_body is not None else body,
                            headers={**signed, "Content-Type": wire.JSON},
                            ssl=aiohttp.Fingerprint(server.tls_fingerprint)) as response:
        raw = await response.read()
        try:
            parsed = json.loads(raw.split(b"\n")[0])
        except ValueError:
            parsed = {}
        return response.status, parsed, signed


async def test_each_bad_request_is_refused_with_its_reason_and_the_server_keeps_serving(
        tmp_path: Path, servers: Servers) -> None:
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    a_addr, b_addr = await servers.start(a), await servers.start(b)
    await pair_both(a, a_addr, b, b_addr)
    good = wire.dumps({"epoch": b.store.epoch, "since": 0})
    async with aiohttp.ClientSession() as s:
        status, answer, headers = await _send(s, a, b, b_addr, "/v1/changes", good)
        assert status == 200 and answer["epoch"] == b.store.epoch
        replay = await _send(s, a, b, b_addr, "/v1/changes", good, headers=headers)
        assert replay[:2] == (401, {"error": "replayed"})
        forged = await _send(s, a, b, b_addr, "/v1/changes", good, seed=NodeKeys.generate().signing_seed)
        assert forged[:2] == (401, {"error": "bad_signature"})
        altered = await _send(s, a, b, b_addr, "/v1/changes", good,
                              send_body=wire.dumps({"epoch": b.store.epoch, "since": 1}))
        assert altered[:2] == (401, {"error": "digest_mismatch"})
        resigned = httpsig.sign_request(a.keys.signing_seed, a.node_id, "POST", f"https://{b_addr}/v1/changes", good,
                                        int(utcnow().timestamp()))
        other_body = wire.dumps({"epoch": b.store.epoch, "since": 2})
        resigned["Content-Digest"] = httpsig.content_digest(other_body)
        swapped = await _send(s, a, b, b_addr, "/v1/changes", good, headers=resigned, send_body=other_body)
        assert swapped[:2] == (401, {"error": "bad_signature"})
        stale = await _send(s, a, b, b_addr, "/v1/changes", good, created=int(utcnow().timestamp()) - 301)
        assert stale[:2] == (401, {"error": "stale"})
        unsigned_status = (await s.post(f"https://{b_addr}/v1/changes", data=good,
                                        ssl=aiohttp.Fingerprint(b.tls_fingerprint))).status
        assert unsigned_status == 401
        oversized = await _send(s, a, b, b_addr, "/v1/push", b"x" * (wire.MAX_BODY_BYTES + 1))
        assert oversized[:2] == (413, {"error": "too_large"})
        malformed = await _send(s, a, b, b_addr, "/v1/changes", b"{not json")
        assert malformed[:2] == (400, {"error": "malformed"})
        stranger = line_node(tmp_path, "C").open()
        unknown = await _send(s, stranger, b, b_addr, "/v1/changes", good)
        assert unknown[:2] == (403, {"error": "unknown_key"})

        refs = [post(a, f"Klus {i}") for i in range(3)]
        raw = [e.canonical() for e in a.store.entries(types=["request"])]
        altered_entry = json.loads(raw[0])
        altered_entry["body"]["reach_km"] = 200
        bad_page = wire.page({"epoch": a.store.epoch},
                             [raw[0], canonical_bytes(altered_entry), raw[1], b'{"v":1,', raw[2]])
        pushed = await _send(s, a, b, b_addr, "/v1/push", bad_page)
        assert pushed[0] == 200
        assert pushed[1]["applied"] == 3 and pushed[1]["refused"] == {"bad_signature": 1, "malformed": 1}
        assert Trust(b).refusals()[a.node_id] == {"bad_signature": 1, "malformed": 1}
        assert all(b.store.by_ref(r) for r in refs)
        again = await _send(s, a, b, b_addr, "/v1/changes", good)
        assert again[0] == 200
