"""Roles: PINs as slow hashes, lockout after wrong tries (persisted), coordinator by passphrase, idle sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from noticeboard.desk import accounts, audit, cards
from noticeboard.desk.errors import BadInput, LockedOut, NotAllowed, SessionEnded, WrongPin
from noticeboard.desk.session import IDLE_LIMIT, Role
from tests.desk.fixtures import PASSPHRASE, PIN, T0, NodeDir, Village


def test_wrong_pins_lock_the_account_for_a_while_even_for_the_right_pin(village: Village) -> None:
    store, number = village.node.store, village.volunteer_number
    lefts = []
    for i in range(accounts.MAX_TRIES - 1):
        with pytest.raises(WrongPin) as caught:
            accounts.login_volunteer(store, number, "9999", now=T0 + dt.timedelta(seconds=i))
        lefts.append(caught.value.values["n"])
    assert lefts == [4, 3, 2, 1]
    with pytest.raises(LockedOut):
        accounts.login_volunteer(store, number, "9999", now=T0 + dt.timedelta(seconds=10))
    with pytest.raises(LockedOut):
        accounts.login_volunteer(store, number, PIN, now=T0 + dt.timedelta(minutes=4))
    session = accounts.login_volunteer(store, number, PIN, now=T0 + dt.timedelta(minutes=5, seconds=11))
    assert session.role is Role.VOLUNTEER


def test_lockout_survives_closing_and_reopening_the_node(desk_dir: NodeDir, village: Village) -> None:
    for _ in range(accounts.MAX_TRIES):
        with pytest.raises((WrongPin, LockedOut)):
            accounts.login_volunteer(village.node.store, village.volunteer_number, "8642", now=T0)
    with desk_dir.open() as again, pytest.raises(LockedOut):
        accounts.login_volunteer(again.store, village.volunteer_number, PIN, now=T0 + dt.timedelta(minutes=1))


def test_wrong_passphrases_lock_the_coordinator(village: Village) -> None:
    store = village.node.store
    for _ in range(accounts.MAX_TRIES - 1):
        with pytest.raises(WrongPin):
            accounts.login_coordinator(store, "not the passphrase", now=T0)
    with pytest.raises(LockedOut):
        accounts.login_coordinator(store, "still not it", now=T0)
    with pytest.raises(LockedOut):
        accounts.login_coordinator(store, PASSPHRASE, now=T0 + dt.timedelta(minutes=2))
    assert accounts.login_coordinator(store, PASSPHRASE, now=T0 + dt.timedelta(minutes=6)).is_coordinator


def test_unknown_or_switched_off_accounts_cannot_log_in(village: Village) -> None:
    with pytest.raises(WrongPin):
        accounts.login_volunteer(village.node.store, 99, PIN, now=T0)
    accounts.set_active(village.node.store, village.coordinator, village.volunteer_number, False, now=T0)
    with pytest.raises(WrongPin):
        accounts.login_volunteer(village.node.store, village.volunteer_number, PIN, now=T0)


def test_sessions_end_after_idle_and_on_logout(village: Village) -> None:
    session = accounts.login_volunteer(village.node.store, village.volunteer_number, PIN, now=T0)
    session.touch(T0 + IDLE_LIMIT - dt.timedelta(seconds=1))
    session.touch(T0 + 2 * IDLE_LIMIT - dt.timedelta(seconds=2))
    with pytest.raises(SessionEnded):
        cards.listing(village.node.store, session, now=T0 + 3 * IDLE_LIMIT)
    other = accounts.login_volunteer(village.node.store, village.volunteer_number, PIN, now=T0)
    other.end()
    with pytest.raises(SessionEnded):
        other.touch(T0)


def test_volunteers_cannot_do_coordinator_work(village: Village) -> None:
    with pytest.raises(NotAllowed):
        audit.read(village.node.store, village.volunteer, now=T0)
    with pytest.raises(NotAllowed):
        accounts.add_volunteer(village.node.store, village.volunteer, "Henk", "2580", now=T0)
    with pytest.raises(NotAllowed):
        accounts.volunteers(village.node.store, village.volunteer, now=T0)


def test_pins_must_not_be_trivial(village: Village) -> None:
    for pin in ("123", "1234", "0000", "4321", "12a4", "123456789"):
        with pytest.raises(BadInput):
            accounts.add_volunteer(village.node.store, village.coordinator, "Henk", pin, now=T0)


def test_pins_are_stored_as_salted_scrypt_hashes_at_the_default_cost(village: Village) -> None:
    store = village.node.store
    number = accounts.add_volunteer(store, village.coordinator, "Henk", "2580", now=T0)
    with store.write() as conn:
        sealed, ver = conn.execute("SELECT sealed, ver FROM desk_accounts WHERE number = ?", (number,)).fetchone()
    record = store.unseal_json(f"account|{number}", sealed, ver=ver)
    assert record["cost"] == [2**15, 8, 1]
    assert "2580" not in str(record)
    assert accounts.login_volunteer(store, number, "2580", now=T0).actor == f"volunteer:{number}"


def test_names_and_pin_hashes_are_not_in_the_database_file_in_clear(desk_dir: NodeDir, village: Village) -> None:
    village.node.store.checkpoint()
    raw = (desk_dir.data_dir / "noticeboard.db").read_bytes()
    for secret in (b"Greet", b"Hoofdstraat", b"0594-111111", b"Piotr"):
        assert secret not in raw


def test_logins_and_failures_are_in_the_audit_log(village: Village) -> None:
    with pytest.raises(WrongPin):
        accounts.login_volunteer(village.node.store, village.volunteer_number, "9876", now=T0)
    acts = [(r.actor, r.act) for r in audit.read(village.node.store, village.coordinator, now=T0)]
    assert ("volunteer:1", "login_failed") in acts
    assert ("volunteer:1", "login") in acts
    assert ("coordinator", "volunteer_add") in acts
