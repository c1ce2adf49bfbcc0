"""Attacks 3 and 4 of issue 14: a garbage sealed message, a relayed blob, a message lying about its sender."""

from __future__ import annotations

import json
import os
from pathlib import Path

from crypto import sealing
from crypto.encoding import b64u_decode, b64u_encode
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.contact import Contact
from noticeboard.desk import matches
from noticeboard.node import UNOPENED, Node, PostDraft
from tests.desk.fixtures import T0, make_desk_node, populate
from tests.service.helpers import centre, node_id, pair, post
from tests.support import NodeDir, run_noticeboard


def garbage_message(sender: Node, to: str) -> entries.Entry:
    """A correctly signed ``message`` whose sealed part is random bytes."""
    made = entries.make(sender.keys.signing_seed, sender.node_id, "message",
                        {"to": to, "sealed": b64u_encode(os.urandom(120))}, now=utcnow())
    sender.store.apply(made, now=utcnow())
    return made


def carry(source: NodeDir, target: NodeDir, tmp_path: Path, name: str) -> None:
    """Move what the source holds to the target on a bundle file, with the real CLI in child processes."""
    path = tmp_path / f"{name}.bundle"
    exported = run_noticeboard("--data-dir", str(source.data_dir), "--key-file", str(source.key_file),
                               "bundle", "export", str(path))
    assert exported.returncode == 0, exported.stderr
    imported = run_noticeboard("--data-dir", str(target.data_dir), "--key-file", str(target.key_file),
                               "bundle", "import", str(path))
    assert imported.returncode == 0, imported.stderr


def refusals(nd: NodeDir, author: str) -> int:
    with nd.open() as node, node.store.read() as conn:
        row = conn.execute("SELECT count FROM refusals WHERE source = ? AND reason = ?", (author, UNOPENED)).fetchone()
    return int(row[0]) if row else 0


def test_acceptance_4_inbox_lists_every_good_response_after_garbage_and_counts_it(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    c = centre(tmp_path, "Dorpshuis Winsum", 652)
    pair(a, b)
    pair(a, c)
    request_id = post(a, "Mee naar de huisarts")
    carry(a, b, tmp_path, "a-to-b")
    carry(a, c, tmp_path, "a-to-c")
    aid = node_id(a)
    with b.open() as nb, c.open() as nc:
        request_b, request_c = nb.store.get(aid, request_id), nc.store.get(aid, request_id)
        assert request_b is not None and request_c is not None
        garbage_message(nb, aid)                      # first: garbage, before the good ones
        nb.respond(request_b, name="Bouke", contact="06-11111111", message="Ik rij wel")
        genuine = nc.respond(request_c, name="Cor", contact="06-22222222", message="Ik kan dinsdag")
        assert genuine is not None
        # B re-signs C's sealed blob as its own message: it must not open as B's.
        relayed = entries.make(nb.keys.signing_seed, nb.node_id, "message", dict(genuine.body), now=utcnow())
        nb.store.apply(relayed, now=utcnow())
        bid = nb.node_id
    carry(b, a, tmp_path, "b-to-a")
    carry(c, a, tmp_path, "c-to-a")

    shown = run_noticeboard("--data-dir", str(a.data_dir), "--key-file", str(a.key_file), "inbox")
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr
    assert "Bouke" in shown.stdout and "06-11111111" in shown.stdout
    assert "Cor" in shown.stdout and "06-22222222" in shown.stdout
    assert "2 berichten van Dorpshuis Garnwerd gingen niet open" in shown.stdout
    assert refusals(a, bid) == 2
    # Opening the inbox again shows the same and does not count the same messages twice.
    again = run_noticeboard("--data-dir", str(a.data_dir), "--key-file", str(a.key_file), "inbox")
    assert again.returncode == 0 and again.stdout.count("Cor") == 1
    assert refusals(a, bid) == 2
    with a.open() as na:
        assert len(na.store.responses(aid, request_id)) == 2  # nothing lost


def test_a_response_names_its_signer_whatever_its_inner_from_says(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    c = centre(tmp_path, "Gemeente Zorgloket", 652)
    pair(a, b)
    pair(a, c)
    request_id = post(a, "Mee naar de huisarts")
    with a.open() as na, b.open() as nb, c.open() as nc:
        nb.store.apply(nc.profile_entry(), now=utcnow())
        lie = {"kind": "response", "re": {"author": na.node_id, "id": request_id, "ref": "X"},
               "name": "Bouke", "contact": "06-11111111", "message": "",
               "from": {"node": nc.node_id, "name": "Gemeente Zorgloket", "village": "Winsum"}, "via": "local"}
        nb.seal_message(na.profile_entry(), lie)
        bid = nb.node_id
    carry(b, a, tmp_path, "b-to-a")
    shown = run_noticeboard("--data-dir", str(a.data_dir), "--key-file", str(a.key_file), "inbox")
    assert shown.returncode == 0, shown.stderr
    assert "via Dorpshuis Garnwerd (Garnwerd)" in shown.stdout
    assert "Zorgloket" not in shown.stdout
    with a.open() as na:
        [response] = na.store.responses(na.node_id, request_id)
        assert response["from"]["node"] == bid and response["via"] == "sealed"


def test_a_fabricated_match_proposal_shows_the_signing_centre_and_answers_only_it(tmp_path: Path) -> None:
    ezinge_dir = make_desk_node(tmp_path / "e", "Dorpshuis Ezinge", "Ezinge", 5332, 644)
    winsum_dir = make_desk_node(tmp_path / "w", "Dorpshuis Winsum", "Winsum", 5333, 652)
    other_dir = make_desk_node(tmp_path / "o", "Gemeente Zorgloket", "Bedum", 5330, 660)
    with ezinge_dir.open() as ezinge, winsum_dir.open() as winsum, other_dir.open() as other:
        e = populate(ezinge)
        offer = ezinge.post(PostDraft("offer", "boodschappen", "Ik doe boodschappen", name="Wim"),
                            contact=Contact.phone("Wim", "06-77777777"), now=T0)
        for profile in (winsum.profile_entry(), other.profile_entry()):
            ezinge.store.apply(profile, now=T0)
        winsum.store.apply_many([ezinge.profile_entry(), offer], now=T0)
        lie = {"kind": "match_proposal", "match": "M-LIE123",
               "offer": {"author": ezinge.node_id, "id": offer.id},
               "request": {"author": other.node_id, "id": "x", "ref": "AB-12", "category": "boodschappen",
                           "title": "Boodschappen", "village": "Bedum"},
               "from": {"node": other.node_id, "name": "Gemeente Zorgloket", "village": "Bedum"}}
        # Garbage from Winsum first: the proposal after it is still taken in.
        garbage_message(winsum, ezinge.node_id)
        sent = winsum.seal_message(ezinge.profile_entry(), lie, now=T0)
        ezinge.store.apply_many([e for e in winsum.store.entries(types=["message"])], now=T0)
        assert matches.take_in(ezinge, now=T0) == 1
        incoming = matches.get(ezinge, "M-LIE123")
        assert incoming.req_author == winsum.node_id == sent.author
        assert incoming.private["from"]["node"] == winsum.node_id
        assert incoming.private["from"]["village"] == "Winsum"
        shown = matches.labels(ezinge, e.volunteer, [incoming], now=T0)
        assert shown["M-LIE123"][0] == "Winsum"
        # The helper's yes and contact go to the signer, and staff saw that same signer.
        matches.agree(ezinge, e.volunteer, "M-LIE123", "helper", now=T0)
        answers = [m for m in ezinge.store.entries(types=["message"], author=ezinge.node_id)]
        assert answers and all(m.body["to"] == winsum.node_id for m in answers)
        opened = [winsum.open_message(m) for m in answers]
        assert opened[0]["from"]["node"] == ezinge.node_id
        assert json.dumps(opened).count("06-77777777") >= 1


def test_a_sealed_blob_opens_only_under_the_signer_it_was_sealed_by(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    with a.open() as na, b.open() as nb:
        made = nb.seal_message(na.profile_entry(), {"kind": "response"})
        blob = b64u_decode(made.body["sealed"])
        key = na.keys.sealing_key
        assert sealing.open_sealed(key, blob, b"buurthulp-message-v2|" + na.node_id.encode() + b"|"
                                   + nb.node_id.encode())
        for info in (b"buurthulp-message-v1|" + na.node_id.encode(),
                     b"buurthulp-message-v2|" + na.node_id.encode() + b"|" + na.node_id.encode()):
            try:
                sealing.open_sealed(key, blob, info)
            except sealing.SealError:
                continue
            raise AssertionError("opened without the signer bound in")
