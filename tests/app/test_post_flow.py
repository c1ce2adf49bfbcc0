"""Acceptance 1: a first-time resident posts a request with number keys and Enter in three screens."""

from __future__ import annotations

import json

from noticeboard.app.kiosk.board import BoardScreen
from noticeboard.app.kiosk.mine import MineScreen
from noticeboard.app.kiosk.post import CategoryScreen, CheckScreen, ContactScreen, DoneScreen, WhatScreen
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.privacy import consent
from tests.app.conftest import kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import screen_text, settle, type_text
from tests.support import NodeDir


async def test_request_by_number_keys_in_three_screens(board: KioskBoard, kiosk_dir: NodeDir) -> None:
    app = kiosk(board)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        flow: list[type] = []
        await pilot.press("1")
        flow.append(type(app.screen))
        await pilot.press("1")  # groceries
        flow.append(type(app.screen))
        await pilot.press("1", "1")  # the ready-made sentence, then "within 1 or 2 days"
        flow.append(type(app.screen))
        await pilot.press("2")  # "I'll come back here"
        await settle(pilot)
        flow.append(type(app.screen))
        assert "Dit komt op het prikbord:" in screen_text(app)
        await pilot.press("1")  # Plaatsen
        await settle(pilot)
        assert flow == [CategoryScreen, WhatScreen, ContactScreen, CheckScreen]
        assert isinstance(app.screen, DoneScreen)
        ref = str(app.screen.post.body["ref"])
        assert ref in screen_text(app)
        assert app.screen.post.body["title"] == "Wie doet boodschappen voor mij?"

        await pilot.press("enter")  # not Klaar: the code stays until a number key
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        await pilot.press("1")  # Klaar
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert "Wie doet boodschappen voor mij?" in screen_text(app)

        await pilot.press("escape", "4")
        await settle(pilot)
        assert isinstance(app.screen, MineScreen)
        await type_text(pilot, ref.lower().replace("-", " "))
        await pilot.press("enter")
        await settle(pilot)
        assert "open: we zoeken nog iemand" in screen_text(app)

    listing = kiosk_dir.cli("list", "--json")
    assert listing.code == 0
    assert ref in {post["ref"] for post in json.loads(listing.out)}


async def test_posting_with_name_and_phone_records_the_consent_and_keeps_the_phone_here(board: KioskBoard) -> None:
    store = board.node.store
    app = kiosk(board)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "1")  # need help, groceries, ready-made sentence, soon, call me
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await type_text(pilot, "Gerda")
        await pilot.press("enter")
        await type_text(pilot, "0612345678")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckScreen)
        shown = screen_text(app)
        assert "Wie doet boodschappen voor mij?" in shown and "Gerda · 0612345678" in shown
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
        made = app.screen.post
    assert store.contact(*made.key) == {"name": "Gerda", "phone": "0612345678"}
    [given] = consent.consents(store, consent.post_subject(*made.key))
    assert given.purposes == ("store_contact",) and given.recorded_by == "kiosk"
    assert given.wording == consent.WORDING_VERSION
