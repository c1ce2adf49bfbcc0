"""Pilot tests of the staff screens not walked through in the main flow: card index, follow-up, peers."""

from __future__ import annotations

from crypto.encoding import b64u_encode
from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.dialogs import ReasonModal
from noticeboard.app.staff.followup import FollowupScreen
from noticeboard.app.staff.home import StaffHomeScreen
from noticeboard.app.staff.matches import SuggestScreen
from noticeboard.app.staff.peers import PeersScreen
from noticeboard.app.staff.qr import qr_text
from noticeboard.desk import audit, intake
from noticeboard.node import PostDraft
from noticeboard.trust import PeerState, Trust
from tests.desk.fixtures import PASSPHRASE, PIN, T0, Village
from tests.desk.staff_support import Clock, login, settle, table_rows, type_text

SIZE = (110, 40)




async def test_card_index_shows_a_card_and_audits_the_view(village: Village) -> None:
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1", PIN)
        await pilot.press("1")
        await settle(pilot)
        rows = table_rows(app, "#cards")
        assert [r[0] for r in rows] == sorted(r[0] for r in rows) and len(rows) == 6
        dirk = next(r for r in rows if r[1] == "Dirk")
        assert dirk[4] == "pauzeert tot 2026-03-10"
        target = [r[0] for r in rows].index(village.ans.id)
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        detail = str(app.screen.query_one("#detail").render())
        assert "Hoofdstraat 1" in detail and "graag dezelfde helper" in detail
    lines = audit.read(village.node.store, village.coordinator, now=T0, subject=village.ans.id)
    assert lines[0].act == "person_view" and lines[0].actor == "volunteer:1"


async def test_followup_opens_suggestions_for_an_unanswered_request(village: Village) -> None:
    ref = intake.intake(village.node, village.volunteer, village.ans.id,
                        PostDraft("request", "boodschappen", "Boodschappen"), now=T0).body["ref"]
    clock = Clock(T0.replace(day=6))
    app = StaffApp(village.node, StaffContext(village.node, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1", PIN)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, FollowupScreen)
        assert table_rows(app, "#queue") == [["4 dagen", f"Nog geen reactie op {ref}"]]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SuggestScreen) and app.screen.ref == ref
        assert [r[1] for r in table_rows(app, "#suggestions")] == ["Bram", "Carla", "Eva"]


async def test_peers_screen_trusts_and_blocks_with_a_reason(village: Village) -> None:
    other = b64u_encode(b"\x03" * 32)
    Trust(village.node).note_seen(other, "Dorpshuis Winsum", "192.0.2.7:8443", b"\x04" * 32, now=T0)
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1", PIN)
        assert isinstance(app.screen, StaffHomeScreen)
        await pilot.press("8")
        assert isinstance(app.screen, StaffHomeScreen)  # volunteers have no peers screen
        await pilot.press("escape")
        await login(pilot, "", PASSPHRASE)
        await pilot.press("8")
        await settle(pilot)
        assert isinstance(app.screen, PeersScreen)
        code = village.node.fingerprint_code
        assert code in str(app.screen.query_one("#code").render())
        assert str(app.screen.query_one("#qr").render()) == qr_text(code)
        assert table_rows(app, "#peers") == [["Dorpshuis Winsum", Trust(village.node).peer(other).code, "gezien"]]
        await pilot.press("t")
        await settle(pilot)
        assert Trust(village.node).peer(other).state is PeerState.TRUSTED
        await pilot.press("b")
        assert isinstance(app.screen, ReasonModal)
        await type_text(pilot, "stuurt reclame")
        await pilot.press("enter")
        await settle(pilot)
        assert Trust(village.node).peer(other).state is PeerState.BLOCKED
        assert table_rows(app, "#peers")[0][2] == "geblokkeerd"
    lines = audit.read(village.node.store, village.coordinator, now=T0, subject=other)
    assert [(r.act, r.details) for r in reversed(lines)] == [("peer_trusted", {}), ("block", {"reason": "stuurt reclame"})]


def test_qr_text_draws_two_module_rows_per_line() -> None:
    lines = qr_text("ZP4V-PA90-JMQZ").splitlines()
    # Version 1 is 21 modules, plus a border of 2 on each side: 25 wide, 13 lines of two rows.
    assert len(lines) == 13 and {len(line) for line in lines} == {25}
    assert set("".join(lines)) <= set(" ▀▄█")


async def test_coordinator_reads_a_flagged_request_from_the_queue(village: Village) -> None:
    from noticeboard.desk import safeguarding

    ref = intake.intake(village.node, village.volunteer, village.ans.id,
                        PostDraft("request", "huishouden", "Hulp in huis", text="Valt vaak, eet slecht"),
                        now=T0).body["ref"]
    safeguarding.flag(village.node, village.volunteer, ref, "zorgsignaal", now=T0)
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "", PASSPHRASE)
        await pilot.press("5")
        await settle(pilot)
        assert table_rows(app, "#queue") == [["0 dagen", f"Doorverwezen / zorgsignaal: {ref}"]]
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#empty").render())
        assert "Valt vaak, eet slecht" in shown and "Reden: zorgsignaal" in shown
    assert audit.read(village.node.store, village.coordinator, now=T0, subject=ref)[0].act == "view_flagged"


async def test_intake_shows_guidance_and_keeps_a_zorgsignaal_for_the_coordinator(village: Village) -> None:
    from noticeboard.desk import safeguarding

    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1", PIN)
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, village.ans.id)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "boodschappen")
        assert "pinpassen" in str(app.screen.query_one("#guide").render())
        await pilot.press("enter")
        await type_text(pilot, "Boodschappen en pinnen")
        await pilot.press("enter", "enter", "enter", "enter", "enter")
        await type_text(pilot, "wil pinpas meegeven")
        await pilot.press("enter")
        await settle(pilot)
        assert "bewaard voor de coördinator" in str(app.screen.query_one("#message").render())
    (held,) = safeguarding.flagged(village.node, village.coordinator, now=T0)
    assert held.reason == "wil pinpas meegeven" and held.resident == village.ans.id
    assert not [e for e in village.node.store.entries(types=["request"]) if "pinnen" in e.body["title"]]
    shown = safeguarding.view(village.node, village.volunteer, held.ref, now=T0)
    assert shown.flagged and "pinnen" not in shown.title


async def test_card_index_makes_changes_and_pauses_cards(village: Village) -> None:
    from noticeboard.app.staff.dialogs import CardFormModal
    from noticeboard.desk import cards

    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1", PIN)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, CardFormModal)
        for value in ("Henk", "06-88888888", "Kerkstraat 4", "Ezinge"):
            await type_text(pilot, value)
            await pilot.press("enter")
        await pilot.press("enter")  # languages: nl
        await type_text(pilot, "tuin,klussen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = table_rows(app, "#cards")
        henk = next(r for r in rows if r[1] == "Henk")
        card = cards.load(village.node.store, henk[0])
        assert (card.phone, card.address, card.skills, card.is_helper) == (
            "06-88888888", "Kerkstraat 4", ["tuin", "klussen"], False)
        await pilot.press("n")
        await type_text(pilot, "Bert")
        for _ in range(9):
            await pilot.press("enter")
        await type_text(pilot, "bsn 111222333")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(table_rows(app, "#cards")) == 7  # refused: looks like a BSN
        target = [r[0] for r in table_rows(app, "#cards")].index(henk[0])
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("p")
        await type_text(pilot, "2026-04-01")
        await pilot.press("enter")
        await settle(pilot)
        assert cards.load(village.node.store, henk[0]).pause_until is not None
        assert "pauzeert tot 2026-04-01" in [r[4] for r in table_rows(app, "#cards")]
