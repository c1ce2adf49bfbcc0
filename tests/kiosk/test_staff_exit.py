"""Staff leave kiosk mode with the exit PIN, their volunteer number and PIN, or the coordinator passphrase."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crypto import vault
from noticeboard.app.kiosk.app import make_app
from noticeboard.app.kiosk.pin import ExitPinModal
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.desk import accounts
from noticeboard.desk.exitpin import check_staff_exit, set_exit_pin
from noticeboard.node import Node
from tests.support import make_node

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
PASSPHRASE = "lange zin voor de coördinator"


def staffed_node(tmp_path: Path) -> tuple[Node, int]:
    """A node with an exit PIN, a coordinator passphrase and one volunteer (PIN 4821); its number."""
    nd = make_node(tmp_path)
    node = nd.open()
    node.store.set_passphrase(nd.unlock, PASSPHRASE, vault.ScryptParams(n=2**10))
    set_exit_pin(node.store, "5937")
    coordinator = accounts.login_coordinator(node.store, PASSPHRASE, now=T0)
    number = accounts.add_volunteer(node.store, coordinator, "Greet", "4821", now=T0, cost=accounts.PinCost(n=2**8))
    coordinator.end()
    return node, number


def test_every_kind_of_staff_secret_opens_and_nothing_else(tmp_path: Path) -> None:
    node, number = staffed_node(tmp_path)
    try:
        store = node.store
        assert check_staff_exit(store, "5937", now=T0)
        assert check_staff_exit(store, f"{number} 4821", now=T0)
        assert check_staff_exit(store, f"{number}-4821", now=T0)
        assert check_staff_exit(store, PASSPHRASE, now=T0)
        for wrong in ("", "4821", "5938", f"{number} 4822", f"{number + 1} 4821", "lange zin", "0612345678"):
            assert not check_staff_exit(store, wrong, now=T0), wrong
        # Wrong volunteer tries count toward the desk's lockout: after five, even the right PIN waits.
        for _ in range(accounts.MAX_TRIES):
            check_staff_exit(store, f"{number} 1357", now=T0)
        assert not check_staff_exit(store, f"{number} 4821", now=T0)
        assert check_staff_exit(store, f"{number} 4821", now=T0 + accounts.LOCK_FOR + dt.timedelta(seconds=1))
    finally:
        node.close()


async def test_a_volunteer_pin_leaves_kiosk_mode(tmp_path: Path) -> None:
    node, number = staffed_node(tmp_path)
    try:
        app = make_app(node, kiosk_mode=True, clock=lambda: T0, language="nl")
        async with app.run_test(size=(100, 34)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen) and app.return_code is None
            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(app.screen, ExitPinModal)
            await pilot.press(*str(number), "space", "4", "8", "2", "1", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.return_code == 0
    finally:
        node.close()
