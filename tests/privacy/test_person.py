"""Consent and health, the access export of one person, and erasing one person from one node."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.contact import Contact
from noticeboard.desk import cards, safeguarding
from noticeboard.desk.errors import UnknownPerson as DeskUnknownPerson
from noticeboard.node import PostDraft, database_path
from noticeboard.privacy import consent, person
from noticeboard.privacy.errors import NoConsent, UnknownPerson
from tests.desk.fixtures import PASSPHRASE, T0, make_desk_node
from tests.privacy.helpers import ANNA, data_key, opens_with, post_for, sealed_rows
from tests.privacy.village import live_a_year
from tests.support import make_node

# Access and erasure name who does them: the coordinator here (a volunteer's PIN works for access too).
COORD = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}


def _plaintexts(data_dir: Path, key: bytes) -> bytes:
    cipher = vault.RowCipher(key)
    return b"\n".join(cipher.open(identity, blob) for _, identity, blob in sealed_rows(data_dir))


def _files(data_dir: Path) -> bytes:
    db = database_path(data_dir)
    return b"".join(Path(str(db) + s).read_bytes() for s in ("", "-wal") if Path(str(db) + s).exists())


def test_health_details_need_consent_and_go_when_the_request_closes(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        ref = post_for(node, ANNA)
        post = node.find(ref)
        subject = consent.post_subject(*post.key)
        with pytest.raises(NoConsent):
            consent.set_health(node.store, *post.key, "diabetes", now=T0)
        consent.record(node.store, subject, ["store_contact"], now=T0)
        with pytest.raises(NoConsent):
            consent.set_health(node.store, *post.key, "diabetes", now=T0)
        consent.record(node.store, subject, ["health"], shared_with=["helper"], now=T0)
        consent.set_health(node.store, *post.key, "diabetes", now=T0)
        assert consent.health(node.store, *post.key) == "diabetes"
        recorded = consent.consents(node.store, subject)
        assert [c.purposes for c in recorded] == [("store_contact",), ("health",)]
        assert {c.wording for c in recorded} == {consent.WORDING_VERSION}
        assert recorded[1].shared_with == ("helper",) and recorded[1].created == int(T0.timestamp())
        consent.close_request(node, ref, now=dt.datetime.now(dt.UTC))
        assert consent.health(node.store, *post.key) is None
        # Closed some other way (the desk, the kiosk): the retention job's sweep takes it.
        ref2 = post_for(node, ANNA)
        post2 = node.find(ref2)
        consent.record(node.store, consent.post_subject(*post2.key), ["health"], now=T0)
        consent.set_health(node.store, *post2.key, "hartpatiënt", now=T0)
        node.set_status(ref2, "done")
        assert consent.purge_closed_health(node) == 1
        assert consent.health(node.store, *post2.key) is None
        # And a closed post's details are never shown, even before the sweep runs.
        ref3 = post_for(node, ANNA)
        post3 = node.find(ref3)
        consent.record(node.store, consent.post_subject(*post3.key), ["health"], now=T0)
        consent.set_health(node.store, *post3.key, "slechthorend", now=T0)
        node.set_status(ref3, "done")
        assert consent.health(node.store, *post3.key) is None
        assert node.store.db.conn.execute("SELECT COUNT(*) FROM health_notes").fetchone()[0] == 0
        key = data_key(nd.data_dir, nd.unlock)
    plain = _plaintexts(nd.data_dir, key)
    assert b"diabetes" not in plain and "hartpatiënt".encode() not in plain and b"slechthorend" not in plain


def test_consent_from_the_command_line(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    with nd.open() as node:
        ref = post_for(node, ANNA)
    refused = nd.cli("--lang", "en", "privacy", "consent", ref, "--health", "slecht ter been")
    assert refused.code != 0 and refused.err.strip() == "Health details need explicit consent. Record that first."
    ok = nd.cli("privacy", "consent", ref, "--agree", "store_contact", "--agree", "health", "--health", "rolstoel")
    assert ok.code == 0, ok.err
    assert consent.WORDING_VERSION in ok.out and "health, store_contact" in ok.out
    gone = nd.cli("privacy", "consent", ref, "--withdraw")
    assert gone.code == 0
    with nd.open() as node:
        post = node.find(ref)
        assert consent.health(node.store, *post.key) is None
        assert not consent.has(node.store, consent.post_subject(*post.key), "health")


def test_the_access_export_holds_every_record_of_the_person_and_nothing_of_anyone_else(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        history = live_a_year(node)
        v = history.village
    out = tmp_path / "ans.json"
    result = nd.cli("privacy", "export", "--card", v.ans.id, "--out", str(out), env=COORD)
    assert result.code == 0, result.err
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert [c["first_name"] for c in data["cards"]] == ["Ans"]
    assert data["cards"][0]["address"] == "Hoofdstraat 1" and data["cards"][0]["preferences"] == "graag dezelfde helper"
    assert [p["ref"] for p in data["posts"]] == [history.ans_ref, history.ans_open_ref]
    post, still_open = data["posts"]
    assert post["contact"]["phone"] == "0594-111111"
    assert post["health"] is None  # the request is done: its health details were purged
    assert still_open["health"] == "Ans is slechtziend"
    assert post["public"]["text"] == "Melk, brood en de krant"
    assert [m["id"] for m in data["matches"]] == [history.ans_match]
    assert data["matches"][0]["side"] == "resident" and data["matches"][0]["state"] == "done"
    # Consents come per subject, and post subjects sort by their random ids: compare as a set of lists.
    assert sorted(c["purposes"] for c in data["consents"]) == [["health", "share_with_helper", "store_contact"],
                                                               ["health", "store_contact"]]
    acts = {a["act"] for a in data["audit"]}
    assert {"person_add", "intake", "match_propose", "match_done"} <= acts
    assert {a["subject"] for a in data["audit"]} <= {v.ans.id, history.ans_ref, history.ans_match,
                                                     history.ans_open_ref}
    for other in (v.piotr, v.bram, v.carla, v.dirk, v.eva):
        for value in (other.first_name, other.phone, other.address, other.id):
            assert value not in text, value
    for value in (history.piotr_ref, history.piotr_match, ANNA.name, ANNA.phone, "Ik kom langs"):
        assert value not in text
    assert data["matches"][0]["details"]["note"] == "Ans was erg blij met de hulp"


def test_an_export_by_phone_finds_kiosk_posts_and_responses_given(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        history = live_a_year(node)
        piotr = history.village.piotr
    result = nd.cli("privacy", "export", "+31 6 22222222", env=COORD)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [c["id"] for c in data["cards"]] == [piotr.id]
    # His request was flagged as a zorgsignaal: withdrawn from the board, kept home with the reason.
    assert [p["ref"] for p in data["kept_home"]] == [history.piotr_ref] and data["posts"] == []
    assert data["kept_home"][0]["request"]["title"] == "Koffie en een praatje"
    assert [(r["name"], r["message"]) for r in data["responses_given"]] == [("Piotr", "Ik kom langs")]
    assert ANNA.name not in result.out and ANNA.phone not in result.out and "Ans" not in result.out
    unknown = nd.cli("--lang", "en", "privacy", "export", "0600000000", env=COORD)
    assert unknown.code != 0 and unknown.err.strip() == "This noticeboard holds nothing about this person."
    # A first name is not a way to name a person: it would pull in others (and every empty contact).
    by_name = nd.cli("--lang", "en", "privacy", "export", "Piotr")
    assert by_name.code != 0 and by_name.err.startswith("Name the person by a code")
    with nd.open() as node:
        node.post(PostDraft("request", "tuin", "Tuin", "Zonder telefoon"), contact=Contact.text("Kees", ""))
        with pytest.raises(UnknownPerson):
            person.export(node, person.PersonQuery(contacts=("Piotr", "", "06")), now=T0)


def test_erasure_leaves_tombstones_and_no_trace_in_the_files(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        history = live_a_year(node)
        v = history.village
        ans_post = node.find(history.ans_ref)
        before_rows = {blob for _, _, blob in sealed_rows(nd.data_dir)}
    key = data_key(nd.data_dir, nd.unlock)
    secrets_of_ans = [b"Hoofdstraat", b"0594-111111", b"Melk, brood en de krant", b"slechtziend",
                      b"graag dezelfde helper", b"Ans was erg blij"]
    plain = _plaintexts(nd.data_dir, key)
    assert all(s in plain for s in secrets_of_ans)
    result = nd.cli("privacy", "erase", "--card", v.ans.id, "--yes", env=COORD)
    assert result.code == 0, result.err
    with nd.open() as node:
        gone = node.store.get(*ans_post.key)
        assert gone is not None and gone.type == "tombstone" and gone.version > ans_post.version
        assert node.store.contact(*ans_post.key) is None
        with pytest.raises(UnknownPerson):
            person.export(node, person.PersonQuery(cards=(v.ans.id,)), now=T0)
        with pytest.raises(DeskUnknownPerson):
            cards.load(node.store, v.ans.id)
        # Piotr is untouched.
        # (his request was flagged as a zorgsignaal, so it is kept home, sealed, not on the board)
        kept = safeguarding.flagged_by_ref(node, history.piotr_ref)
        assert kept is not None and kept.body["title"] == "Koffie en een praatje"
        assert cards.load(node.store, v.piotr.id).phone == "06-22222222"
        rows = node.store.db.conn.execute("SELECT resident, helper, sealed FROM desk_matches WHERE id = ?",
                                          (history.ans_match,)).fetchone()
        assert rows[0].startswith("erased-") and rows[2] is None
    rows = sealed_rows(nd.data_dir)
    assert opens_with(key, rows) == len(rows)
    plain = _plaintexts(nd.data_dir, key)
    files = _files(nd.data_dir)
    for secret in secrets_of_ans:
        assert secret not in plain, secret
        assert secret not in files, secret
    assert b"06-22222222" in plain  # Piotr's card is still there
    # The ciphertexts of erased rows are gone from the files too (secure_delete, VACUUM, checkpoint).
    erased = before_rows - {blob for _, _, blob in rows}
    assert erased
    for blob in erased:
        assert blob not in files
    audit_lines = nd.cli("audit", env={"NOTICEBOARD_PASSPHRASE": PASSPHRASE})
    assert "privacy_erase" in audit_lines.out
