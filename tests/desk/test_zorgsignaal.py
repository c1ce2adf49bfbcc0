"""A zorgsignaal stays home (acceptance 3 and 4): flagged at the intake it is never signed; flagged after
posting it is withdrawn with a tombstone. Neither is in the changes feed, a bundle, the print, or a paired
node's board after a real sync over TLS; volunteers cannot move its match on or see its contacts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from noticeboard.clock import utcnow
from noticeboard.desk import audit, cards, intake, matches, printboard, safeguarding
from noticeboard.desk.errors import Flagged, NotAllowed
from noticeboard.node import Node, PostDraft
from noticeboard.store import BoardQuery
from noticeboard.trust import Trust
from sync.bundle import export_bundle, import_bytes, read_bundle_file
from sync.client import sync_with
from tests.desk.fixtures import NodeDir, make_desk_node, populate
from tests.support import make_node
from tests.sync.helpers import Servers, pair_both, trust_directly

AT_INTAKE = "Hulp bij douchen, mevrouw valt vaak"
AFTER = "Boodschappen en even kijken hoe het gaat"
SIGNAL = "dochter woont ver weg"


def _everywhere(node: Node) -> str:
    """Everything a node would give away: its changes feed as canonical JSON and its printed board."""
    feed = "\n".join(e.canonical().decode() for e in node.store.entries())
    return feed + printboard.render(node, now=utcnow())


def _board_titles(node: Node) -> list[str]:
    posts, _ = node.store.board(BoardQuery(), now=utcnow())
    return [e.body["title"] for e in posts]


async def test_a_flagged_request_never_leaves_the_house(tmp_path: Path, desk_dir: NodeDir) -> None:
    now = utcnow()
    home = desk_dir.open()
    neighbour = make_node(tmp_path / "b", "Dorpshuis Winsum", "Winsum", 5333, 652).open()
    far = make_node(tmp_path / "c", "Dorpshuis Baflo", "Baflo", 5336, 651).open()
    servers = Servers()
    try:
        village = populate(home, now=now)
        vol = village.volunteer
        await pair_both(home, await servers.start(home), neighbour, await servers.start(neighbour))
        trust_directly(far, home)

        held = intake.intake_flagged(home, vol, village.ans.id, PostDraft("request", "huishouden", AT_INTAKE,
                                     text=SIGNAL), "valt vaak, eet slecht", now=now, name_shown=True)
        posted = intake.intake(home, vol, village.ans.id, PostDraft("request", "boodschappen", AFTER, text=SIGNAL),
                               now=now)
        match = matches.propose(home, vol, posted.body["ref"], "person", village.bram.id, now=now)
        matches.agree(home, vol, match.id, "resident", now=now)
        matches.agree(home, vol, match.id, "helper", now=now)
        peer = Trust(home).peer(neighbour.node_id)
        assert peer is not None
        await sync_with(home, peer)
        assert AFTER in _board_titles(neighbour) and AT_INTAKE not in _board_titles(neighbour)

        safeguarding.flag(home, vol, posted.body["ref"], "zorgsignaal", now=now + dt.timedelta(minutes=5))
        await sync_with(home, peer)
        bundle = tmp_path / "home.bundle"
        export_bundle(home, bundle)
        import_bytes(far, read_bundle_file(bundle))

        for node in (home, neighbour, far):
            shown = _everywhere(node)
            for text in (AT_INTAKE, AFTER, SIGNAL, "Ans"):
                assert text not in shown, (node.profile().name, text)
        assert AFTER not in _board_titles(neighbour) and AFTER not in _board_titles(far)
        assert AT_INTAKE.encode() not in bundle.read_bytes() and AFTER.encode() not in bundle.read_bytes()
        for path in neighbour.data_dir.glob("noticeboard.db*"):
            assert AFTER.encode() not in path.read_bytes()

        # Volunteers cannot reveal or move the match on; the coordinator reads it and resolves it.
        with pytest.raises(Flagged):
            matches.reveal(home, vol, match.id, now=now)
        with pytest.raises(Flagged):
            matches.propose(home, vol, held, "person", village.bram.id, now=now)
        seen = safeguarding.view(home, vol, held, now=now)
        assert seen.flagged and AT_INTAKE not in seen.title
        assert safeguarding.view(home, village.coordinator, held, now=now).title == AT_INTAKE
        assert matches.reveal(home, village.coordinator, match.id, now=now)["resident"]["name"] == "Ans"
        assert sorted(f.ref for f in safeguarding.flagged(home, village.coordinator, now=now)) == sorted(
            [held, posted.body["ref"]])
        with pytest.raises(NotAllowed):
            safeguarding.resolve(home, vol, held, "wijkteam gebeld", now=now)
        safeguarding.resolve(home, village.coordinator, held, "wijkteam gebeld", now=now)
        line = audit.read(home.store, village.coordinator, now=now, subject=village.ans.id, limit=1)[0]
        assert (line.act, line.details) == ("flag_resolve", {"ref": held, "note": "wijkteam gebeld"})
        # Not a zorgsignaal after all: back on the board as a new post, the text kept, no name.
        again = safeguarding.unflag(home, village.coordinator, posted.body["ref"], "toch gewone hulp", now=now)
        assert again.body["title"] == AFTER and "name" not in again.body
        assert [f.ref for f in safeguarding.flagged(home, village.coordinator, now=now)] == []
        assert intake.resident_of(home, again) == village.ans.id
    finally:
        await servers.stop_all()
        for node in (home, neighbour, far):
            node.close()


def test_the_first_name_is_public_only_after_the_callers_yes(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        village = populate(node)
        silent = intake.intake(node, village.volunteer, village.ans.id, PostDraft("request", "tuin", "Heg"),
                               now=utcnow())
        said_yes = intake.intake(node, village.volunteer, village.piotr.id, PostDraft("request", "tuin", "Gras"),
                                 now=utcnow(), name_shown=True)
        assert "name" not in silent.body and "Ans" not in silent.canonical().decode()
        assert said_yes.body["name"] == "Piotr"
        # The contact stays home either way.
        assert node.store.contact(*silent.key)["phone"] == cards.load(node.store, village.ans.id).phone
