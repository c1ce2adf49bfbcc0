"""The kiosk's command: setting the staff exit PIN (the app itself is driven by Pilot elsewhere)."""

from __future__ import annotations

from noticeboard.desk.exitpin import check_exit_pin
from tests.support import NodeDir


def test_set_exit_pin_keeps_only_a_hash(kiosk_dir: NodeDir) -> None:
    done = kiosk_dir.cli("kiosk", "--set-exit-pin", env={"NOTICEBOARD_KIOSK_PIN": "2468"})
    assert done.code == 0, done.err
    with kiosk_dir.open() as node:
        assert check_exit_pin(node.store, "2468")
        # Sealed with the store's secrets: nothing of it in the clear meta table.
        assert node.store.meta("kiosk_exit_pin") is None


def test_a_short_pin_is_refused_with_a_sentence(kiosk_dir: NodeDir) -> None:
    done = kiosk_dir.cli("kiosk", "--set-exit-pin", env={"NOTICEBOARD_KIOSK_PIN": "12"})
    assert done.code != 0
    assert "minstens 4 cijfers" in done.err
