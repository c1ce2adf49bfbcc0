"""Wederkerigheid: per community none, a participation counter ("gaf 5 · kreeg 3"), or an hour ledger.

The hour ledger is double entry: every transfer is two rows with opposite minutes, so the
whole ledger always sums to zero, and a transfer to oneself is refused.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from noticeboard.desk import audit, cards, events
from noticeboard.desk.errors import BadInput, SelfTransfer
from noticeboard.desk.session import Session
from noticeboard.store import Store

MODES = ("none", "counter", "hours")
META_KEY = "desk_reciprocity_mode"


@dataclass(frozen=True)
class Counter:
    """How often someone helped and was helped (done matches)."""

    gave: int
    got: int


def mode(store: Store) -> str:
    """The community's reciprocity mode (``none`` until the coordinator picks one)."""
    value = store.meta(META_KEY, "none") or "none"
    return value if value in MODES else "none"


def set_mode(store: Store, session: Session, value: str, *, now: dt.datetime) -> None:
    """Pick the community's mode (coordinator only)."""
    session.touch(now, coordinator=True)
    if value not in MODES:
        raise BadInput("mode", field="mode")
    store.set_meta(META_KEY, value)
    audit.log(store, session.actor, "reciprocity_mode", value, now=now)


def counter(store: Store, person_id: str) -> Counter:
    """Participation counter for one card, from the done matches."""
    # The matches module imports this one (hour transfers when a match is done): asked at call time.
    from noticeboard.desk import matches

    return Counter(*matches.done_counts(store, person_id))


def transfer(store: Store, session: Session, payer: str, receiver: str, minutes: int, *, now: dt.datetime,
             match: str = "") -> str:
    """Move time from payer (who was helped) to receiver (who helped): two rows, one transaction."""
    session.touch(now)
    if payer.upper() == receiver.upper():
        raise SelfTransfer(payer)
    if minutes <= 0 or minutes > 24 * 60:
        raise BadInput("minutes", field="minutes")
    txn = secrets.token_hex(8)
    with store.write() as conn:
        for person in (payer.upper(), receiver.upper()):
            if not cards.exists(store, person):
                raise BadInput("person", field=person)
        at = int(now.timestamp())
        conn.execute("INSERT INTO desk_ledger(txn, person, minutes, at, match) VALUES (?,?,?,?,?)",
                     (txn, payer.upper(), -minutes, at, match))
        conn.execute("INSERT INTO desk_ledger(txn, person, minutes, at, match) VALUES (?,?,?,?,?)",
                     (txn, receiver.upper(), minutes, at, match))
        events.emit(conn, "ledger", txn, at=now, value=minutes)
        audit.record(store, conn, session.actor, "ledger_transfer", txn, now=now,
                     details={"from": payer.upper(), "to": receiver.upper(), "minutes": minutes})
    return txn


def balance(store: Store, person_id: str) -> int:
    """A card's balance in minutes (positive: gave more time than received)."""
    with store.read() as conn:
        return int(conn.execute("SELECT COALESCE(SUM(minutes), 0) FROM desk_ledger WHERE person = ?",
                                (person_id.upper(),)).fetchone()[0])


def ledger_total(store: Store) -> int:
    """The sum of every row of the ledger: zero, always."""
    with store.read() as conn:
        return int(conn.execute("SELECT COALESCE(SUM(minutes), 0) FROM desk_ledger").fetchone()[0])


def balances(store: Store) -> dict[str, int]:
    """Every card's balance, by card id."""
    with store.read() as conn:
        return {row[0]: int(row[1]) for row in conn.execute(
            "SELECT person, SUM(minutes) FROM desk_ledger GROUP BY person ORDER BY person").fetchall()}


def should_nudge(store: Store, person_id: str) -> bool:
    """Whether to ask "wat kunt u terugdoen?": the person received more than they gave, in this mode."""
    current = mode(store)
    if current == "counter":
        count = counter(store, person_id)
        return count.got > count.gave
    if current == "hours":
        return balance(store, person_id) < 0
    return False


# ---- what other modules need from desk_ledger (this module owns the table) -------------------


def givers(store: Store) -> set[str]:
    """Cards that received time in the hour ledger (they gave help)."""
    with store.read() as conn:
        return {str(r[0]) for r in conn.execute("SELECT person FROM desk_ledger WHERE minutes > 0").fetchall()}


def ledger_rows(store: Store, card_ids: list[str]) -> list[tuple[int, int, str]]:
    """(at, minutes, transfer) of these cards' ledger rows, oldest first."""
    if not card_ids:
        return []
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(
            f"SELECT at, minutes, txn FROM desk_ledger WHERE person IN ({','.join('?' * len(card_ids))}) ORDER BY seq",
            card_ids).fetchall()]


def replace_cards(store: Store, card_ids: list[str], token: str) -> None:
    """Put one random token in place of these card ids (an erasure); the sums stay."""
    with store.write() as conn:
        conn.executemany("UPDATE desk_ledger SET person = ? WHERE person = ?", [(token, c) for c in card_ids])
