"""Attack 9 of issue 14: guessing a volunteer PIN or the coordinator passphrase, one wait after another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from noticeboard import lockout
from noticeboard.desk import accounts
from noticeboard.desk.errors import LockedOut, WrongPin
from tests.desk.fixtures import PASSPHRASE, PIN, T0, make_desk_node, populate


def test_volunteer_pin_waits_double_after_five_wrong_tries_and_hold_across_reopening(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        number = populate(node).volunteer_number
    now = T0
    waits = []
    for round_ in range(5):
        tries = 5 if round_ == 0 else 1
        for _ in range(tries):
            with nd.open() as node, pytest.raises((WrongPin, LockedOut)):  # a fresh process each time
                accounts.login_volunteer(node.store, number, "9090", now=now)
        wait = lockout.wait_after(5 + round_)
        waits.append(wait)
        # Locked: even the right PIN is refused until the wait is over, and a try then does not count.
        with nd.open() as node, pytest.raises(LockedOut):
            accounts.login_volunteer(node.store, number, PIN, now=now + wait - dt.timedelta(seconds=5))
        now += wait + dt.timedelta(seconds=1)
    assert waits == [dt.timedelta(minutes=m) for m in (5, 10, 20, 40, 80)]
    with nd.open() as node:
        assert accounts.login_volunteer(node.store, number, PIN, now=now).actor == accounts.actor_of(number)
        # A success starts again: five free tries.
        for left in (4, 3, 2, 1):
            with pytest.raises(WrongPin) as caught:
                accounts.login_volunteer(node.store, number, "9090", now=now)
            assert caught.value.values["n"] == left


def test_the_coordinator_passphrase_escalates_the_same_way(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        for _ in range(5):
            with pytest.raises((WrongPin, LockedOut)):
                accounts.login_coordinator(node.store, "raden", now=T0)
        later = T0 + lockout.FIRST_WAIT + dt.timedelta(seconds=1)
        with pytest.raises(LockedOut):
            accounts.login_coordinator(node.store, "nog eens raden", now=later)
        with pytest.raises(LockedOut):
            accounts.login_coordinator(node.store, PASSPHRASE, now=later + lockout.FIRST_WAIT)
        assert accounts.login_coordinator(node.store, PASSPHRASE, now=later + 2 * lockout.FIRST_WAIT + dt.timedelta(
            seconds=1)).is_coordinator


def test_guessing_every_four_digit_pin_takes_more_than_a_lifetime() -> None:
    waited = sum((lockout.wait_after(n) for n in range(1, 10_000)), dt.timedelta(0))
    assert waited > dt.timedelta(days=365 * 20)
