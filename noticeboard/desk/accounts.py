"""Volunteer accounts (own PIN, slow hash), the coordinator's passphrase check, and lockouts."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from crypto import slowhash
from noticeboard import lockout
from noticeboard.desk import audit
from noticeboard.desk.errors import BadInput, LockedOut, NotAllowed, WrongPin
from noticeboard.desk.session import Role, Session
from noticeboard.store import Store, Unlock

MAX_TRIES = lockout.FREE_TRIES
LOCK_FOR = lockout.FIRST_WAIT
PIN_DIGITS = (4, 8)
COORDINATOR = "coordinator"


@dataclass(frozen=True)
class PinCost(slowhash.Cost):
    """scrypt cost of PIN hashes; the default takes about 0.1-0.2 s on a small PC."""

    n: int = 2**15


@dataclass(frozen=True)
class Volunteer:
    """A volunteer account as the coordinator sees it."""

    number: int
    name: str
    active: bool
    locked_until: dt.datetime | None


def actor_of(number: int) -> str:
    """The audit name of a volunteer account (a number, never a name)."""
    return f"volunteer:{number}"


def check_pin_shape(pin: str) -> None:
    """Refuse PINs that are not 4-8 digits, or all one digit, or a plain run like 1234."""
    low, high = PIN_DIGITS
    if not pin.isdigit() or not low <= len(pin) <= high:
        raise BadInput("pin", field="PIN")
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {-1}):
        raise BadInput("pin", field="PIN")


def add_volunteer(store: Store, session: Session, name: str, pin: str, *, now: dt.datetime,
                  cost: PinCost | None = None) -> int:
    """Create a volunteer account (coordinator only); returns its login number."""
    session.touch(now, coordinator=True)
    check_pin_shape(pin)
    if not name.strip():
        raise BadInput("name", field="name")
    cost = cost or PinCost()
    salt = slowhash.new_salt()
    with store.write() as conn:
        number = int(conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM desk_accounts").fetchone()[0])
        secret = {"name": name.strip(), "salt": salt.hex(), "hash": slowhash.derive(pin, salt, cost).hex(),
                  "cost": [cost.n, cost.r, cost.p]}
        ver = store.next_ver()
        conn.execute("INSERT INTO desk_accounts(number, role, created, active, sealed, ver) VALUES (?,?,?,?,?,?)",
                     (number, Role.VOLUNTEER.value, int(now.timestamp()), 1,
                      store.seal_json(f"account|{number}", secret, ver=ver), ver))
        audit.record(store, conn, session.actor, "volunteer_add", actor_of(number), now=now)
    return number


def _locked_until(store: Store, who: str) -> int:
    with store.read() as conn:
        row = conn.execute("SELECT locked_until FROM desk_lockout WHERE who = ?", (who,)).fetchone()
    return int(row[0]) if row and row[0] else 0


def _check_not_locked(store: Store, who: str, now: dt.datetime) -> None:
    until = _locked_until(store, who)
    if until > now.timestamp():
        raise LockedOut(who, until=dt.datetime.fromtimestamp(until, dt.UTC).strftime("%H:%M"))


def _failed(store: Store, who: str, now: dt.datetime) -> int:
    """Count a wrong try; after MAX_TRIES each one locks, twice as long as the last. Returns the tries left."""
    with store.write() as conn:
        row = conn.execute("SELECT failed, locked_until FROM desk_lockout WHERE who = ?", (who,)).fetchone()
        tries = lockout.Tries(int(row[0] or 0), int(row[1] or 0)) if row else lockout.Tries()
        tries = tries.after_failure(now)
        conn.execute("INSERT OR REPLACE INTO desk_lockout VALUES (?,?,?)", (who, tries.failed, tries.locked_until))
        locked = tries.locked(now)
        audit.record(store, conn, who, "login_locked" if locked else "login_failed", who, now=now)
    return 0 if locked else tries.left


def _succeeded(store: Store, who: str, now: dt.datetime) -> None:
    with store.write() as conn:
        conn.execute("DELETE FROM desk_lockout WHERE who = ?", (who,))
        audit.record(store, conn, who, "login", who, now=now)


def login_volunteer(store: Store, number: int, pin: str, *, now: dt.datetime) -> Session:
    """Start a volunteer session; raises WrongPin (with tries left) or LockedOut."""
    who = actor_of(number)
    _check_not_locked(store, who, now)
    with store.read() as conn:
        row = conn.execute("SELECT active, sealed, ver FROM desk_accounts WHERE number = ?", (number,)).fetchone()
    ok = False
    if row is not None and row[0]:
        secret = store.unseal_json(f"account|{number}", row[1], ver=row[2])
        cost = PinCost(*secret["cost"])
        ok = slowhash.matches(pin, bytes.fromhex(secret["salt"]), cost, bytes.fromhex(secret["hash"]))
    else:
        # Spend the same time on unknown accounts, so timing does not tell which numbers exist.
        slowhash.derive(pin, b"\0" * 16, PinCost())
    if not ok:
        left = _failed(store, who, now)
        if left == 0:
            _check_not_locked(store, who, now)
        raise WrongPin(who, n=left)
    _succeeded(store, who, now)
    return Session(who, Role.VOLUNTEER, now)


def login_coordinator(store: Store, passphrase: str, *, now: dt.datetime) -> Session:
    """Start a coordinator session with the node passphrase; same lockout as PINs."""
    _check_not_locked(store, COORDINATOR, now)
    if not store.check_unlock(Unlock(passphrase=passphrase)):
        left = _failed(store, COORDINATOR, now)
        if left == 0:
            _check_not_locked(store, COORDINATOR, now)
        raise WrongPin(COORDINATOR, n=left)
    _succeeded(store, COORDINATOR, now)
    return Session(COORDINATOR, Role.COORDINATOR, now)


def volunteers(store: Store, session: Session, *, now: dt.datetime) -> list[Volunteer]:
    """All volunteer accounts with their names (coordinator only; the view is audited)."""
    session.touch(now, coordinator=True)
    with store.write() as conn:
        rows = conn.execute("SELECT number, active, sealed, ver FROM desk_accounts ORDER BY number").fetchall()
        locks = dict(conn.execute("SELECT who, locked_until FROM desk_lockout").fetchall())
        audit.record(store, conn, session.actor, "volunteer_list", "accounts", now=now)
    found = []
    for number, active, sealed, ver in rows:
        until = locks.get(actor_of(number)) or 0
        found.append(Volunteer(number, store.unseal_json(f"account|{number}", sealed, ver=ver)["name"], bool(active),
                               dt.datetime.fromtimestamp(until, dt.UTC) if until > now.timestamp() else None))
    return found


def set_active(store: Store, session: Session, number: int, active: bool, *, now: dt.datetime) -> None:
    """Switch an account off (it can no longer log in) or on again (coordinator only)."""
    session.touch(now, coordinator=True)
    with store.write() as conn:
        if conn.execute("UPDATE desk_accounts SET active = ? WHERE number = ?", (int(active), number)).rowcount == 0:
            raise NotAllowed("no such account")
        audit.record(store, conn, session.actor, "volunteer_unlock" if active else "volunteer_lock",
                     actor_of(number), now=now)


def reset_pin(store: Store, session: Session, number: int, pin: str, *, now: dt.datetime,
              cost: PinCost | None = None) -> None:
    """Give a volunteer a new PIN (they forgot it; coordinator only); the lockout is lifted too."""
    session.touch(now, coordinator=True)
    check_pin_shape(pin)
    cost = cost or PinCost()
    salt = slowhash.new_salt()
    with store.write() as conn:
        row = conn.execute("SELECT sealed, ver FROM desk_accounts WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise NotAllowed("no such account")
        secret = store.unseal_json(f"account|{number}", row[0], ver=row[1])
        secret.update(salt=salt.hex(), hash=slowhash.derive(pin, salt, cost).hex(), cost=[cost.n, cost.r, cost.p])
        ver = store.next_ver()
        conn.execute("UPDATE desk_accounts SET sealed = ?, ver = ? WHERE number = ?",
                     (store.seal_json(f"account|{number}", secret, ver=ver), ver, number))
        conn.execute("DELETE FROM desk_lockout WHERE who = ?", (actor_of(number),))
        audit.record(store, conn, session.actor, "volunteer_pin", actor_of(number), now=now)


def unlock(store: Store, session: Session, number: int, *, now: dt.datetime) -> None:
    """Lift a lockout after wrong PINs and switch the account on (coordinator only)."""
    session.touch(now, coordinator=True)
    with store.write() as conn:
        if conn.execute("UPDATE desk_accounts SET active = 1 WHERE number = ?", (number,)).rowcount == 0:
            raise NotAllowed("no such account")
        conn.execute("DELETE FROM desk_lockout WHERE who = ?", (actor_of(number),))
        audit.record(store, conn, session.actor, "volunteer_unlock", actor_of(number), now=now)


def any_accounts(store: Store) -> bool:
    """Whether any volunteer account exists."""
    with store.read() as conn:
        return conn.execute("SELECT 1 FROM desk_accounts LIMIT 1").fetchone() is not None
