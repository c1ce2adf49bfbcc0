""""I can help" across villages: sealed from C to A, carried by B, readable only at A."""

from __future__ import annotations

from pathlib import Path

import pytest

from crypto.sealing import SealError
from noticeboard.trust import PeerState, Trust
from sync.client import sync_with
from tests.sync.helpers import Servers, line_node, pair_both, post


async def test_response_from_c_reaches_a_through_b_sealed(tmp_path: Path, servers: Servers) -> None:
    a, b, c = (line_node(tmp_path, n).open() for n in "ABC")
    addr = {n.node_id: await servers.start(n) for n in (a, b, c)}
    await pair_both(a, addr[a.node_id], b, addr[b.node_id])
    await pair_both(b, addr[b.node_id], c, addr[c.node_id])
    Trust(a).set_state(b.node_id, PeerState.INTRODUCER)
    Trust(c).set_state(b.node_id, PeerState.INTRODUCER)

    async def round_(x, y) -> None:  # type: ignore[no-untyped-def]
        peer = Trust(x).peer(y.node_id)
        assert peer is not None
        await sync_with(x, peer)

    ref = post(a, "Mee naar de tandarts", reach_km=30)
    await round_(b, a)
    await round_(c, b)
    request = c.find(ref)
    contact, words = "06-98765432", "Ik kan dinsdag rijden met de auto"
    sealed = c.respond(request, name="Piet", contact=contact, message=words)
    assert sealed is not None and sealed.body["to"] == a.node_id
    await round_(c, b)
    await round_(b, a)
    carried = b.store.get(c.node_id, sealed.id)
    assert carried is not None, "B carries the message"
    with pytest.raises(SealError):
        b.open_message(carried)
    assert b.take_in_messages() == 0
    assert a.take_in_messages() == 1
    [response] = a.store.responses(a.node_id, request.id)
    assert (response["name"], response["contact"], response["message"]) == ("Piet", contact, words)
    assert response["from"]["node"] == c.node_id and response["from"]["village"] == "Dorp C"
    b.store.checkpoint()
    files = list(b.data_dir.glob("noticeboard.db*"))
    assert files
    for path in files:
        raw = path.read_bytes()
        assert contact.encode() not in raw and words.encode() not in raw and b"Piet" not in raw
