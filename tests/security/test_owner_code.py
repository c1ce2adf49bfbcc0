"""Issue 14, attack 9: typed secrets at the kiosk.

- Wrong wijzigcodes (the resident's code to withdraw their own post) are audited, without the
  typed code, and the kiosk says plainly that the code is not right, with the tries left or the
  wait; the wait doubles.
- The exit PIN's hash is sealed under the data key: the file holds nothing to check a guess
  against; its lockout and the volunteer PIN's escalate by the one rule (noticeboard/lockout.py).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from noticeboard.acts import owner
from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.acts.errors import OwnerLockedOut, WrongOwnerCode
from noticeboard.app.kiosk import exitlock
from noticeboard.app.kiosk.base import error_text
from noticeboard.contact import Contact
from noticeboard.desk import accounts, audit
from noticeboard.desk.errors import LockedOut, WrongPin
from noticeboard.desk.exitpin import SECRET, check_exit_pin, set_exit_pin
from noticeboard.i18n import set_language, t
from noticeboard.node import PostDraft
from noticeboard.store import Store
from tests.desk.fixtures import PIN, T0, make_desk_node, populate

CHEAP = owner.CodeCost(n=2**8)
DRAFT = PostDraft("request", "boodschappen", "Boodschappen halen", "Wie helpt mij deze week?")


def test_wrong_wijzigcodes_are_audited_and_said_plainly_with_tries_left_then_the_wait(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        village = populate(node)
        posted = acts.post(node, Actor.resident(), DRAFT, contact=Contact.come_back(), now=T0, code_cost=CHEAP)
        ref, code = posted.entry.body["ref"], posted.owner_code
        assert code is not None
        wrong = f"{(int(code) + 1) % 10000:04d}"
        said: list[tuple[str, str]] = []
        now = T0
        for _ in range(7):
            with pytest.raises((WrongOwnerCode, OwnerLockedOut)) as caught:
                acts.withdraw(node, Actor.resident(), ref, owner_code=wrong, now=now)
            said.append((t(caught.value.text_key, "nl", **caught.value.values),
                         t(caught.value.text_key, "en", **caught.value.values)))
            if isinstance(caught.value, OwnerLockedOut):
                now += dt.timedelta(minutes=int(str(caught.value.values["n"])), seconds=1)
        assert [nl for nl, _ in said[:4]] == [
            f"Deze wijzigcode klopt niet. U kunt het nog {n} keer proberen." for n in (4, 3, 2, 1)]
        assert [nl.split(". ")[1] for nl, _ in said[4:]] == [
            f"Wacht {m} minuten en probeer het dan opnieuw, of vraag een vrijwilliger." for m in (5, 10, 20)]
        assert all(nl.startswith("Deze wijzigcode klopt niet.") for nl, _ in said)
        assert all(en.startswith("This change code is not right.") for _, en in said)
        assert "Wait 20 minutes" in said[-1][1]
        # A try while it waits is not checked, is audited, and says how long is left.
        with pytest.raises(OwnerLockedOut) as caught:
            acts.withdraw(node, Actor.resident(), ref, owner_code=code, now=now - dt.timedelta(minutes=15, seconds=1))
        set_language("nl")
        assert error_text(caught.value).startswith("Te vaak een verkeerde wijzigcode. Wacht nog 15 minuten")
        lines = [(r.actor, r.act, r.subject, r.details) for r in
                 reversed(audit.read(node.store, village.coordinator, now=now, act="owner_code"))]
        assert [(who, act, subject) for who, act, subject, _ in lines] == (
            [("kiosk", "owner_code_wrong", ref)] * 4 + [("kiosk", "owner_code_locked", ref)] * 3
            + [("kiosk", "owner_code_waiting", ref)])
        assert [d.get("failed") for *_, d in lines] == [1, 2, 3, 4, 5, 6, 7, 7]
        assert [d.get("wait_minutes") for *_, d in lines[4:7]] == [5, 10, 20]
        assert all(wrong not in json.dumps(d) and code not in json.dumps(d) for *_, d in lines)
        stone = acts.withdraw(node, Actor.resident(), ref, owner_code=code, now=now)
        assert stone.type == "tombstone"


def test_the_exit_pin_hash_is_sealed_and_both_pin_lockouts_escalate(tmp_path: Path) -> None:
    nd = make_desk_node(tmp_path)
    with nd.open() as node:
        store = node.store
        village = populate(node)
        set_exit_pin(store, "4821")
        record = json.loads(store.secret(SECRET) or b"{}")
        assert store.meta("kiosk_exit_pin") is None and check_exit_pin(store, "4821")
        store.checkpoint()
        # The exit PIN: five wrong tries free, then 5, 10, 20 ... minutes (the kiosk's count).
        waits = [exitlock.wrong_try(store, T0) for _ in range(8)]
        assert waits == [0, 0, 0, 0, 300, 600, 1200, 2400]
        exitlock.right_try(store, T0)
        assert exitlock.current(store).failed == 0
        # The volunteer PIN: the same rule.
        number = village.volunteer_number
        wrong = f"{(int(PIN) + 1) % 10000:04d}"
        locks = []
        now = T0
        for _ in range(8):
            try:
                accounts.login_volunteer(store, number, wrong, now=now)
            except WrongPin:
                locks.append(0)
            except LockedOut:
                until = accounts._locked_until(store, accounts.actor_of(number))
                locks.append(until - int(now.timestamp()))
                now = dt.datetime.fromtimestamp(until + 1, dt.UTC)
        assert locks == [0, 0, 0, 0, 300, 600, 1200, 2400]
    raw = b"".join(path.read_bytes() for path in nd.data_dir.glob(f"{Store.FILENAME}*"))
    assert record["hash"].encode() not in raw and record["salt"].encode() not in raw
