"""The card index (kaartenbak): residents and helpers, sealed at rest, never federated.

Only the card id, whether someone asks or helps, and a pause date are in clear; everything
else is one sealed JSON value. Copies of ID papers, VOG documents or a BSN are never kept:
fields that hold a number passing the elfproef are refused.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from noticeboard.categories import BY_CODE, DAYS, SLOTS
from noticeboard.desk import audit
from noticeboard.desk.errors import BadInput, FutureDate, KnownPhone, LooksLikeBsn, NotAllowed, UnknownPerson
from noticeboard.desk.session import Session
from noticeboard.refcode import ALPHABET
from noticeboard.store import Store

SCREENINGS = ("kennismaking", "vog")
# Home visits and driving need a checked VOG (Verklaring Omtrent het Gedrag).
REQUIRED_SCREENING = "vog"
_NINE_DIGITS = re.compile(r"(?<![\d])\d(?:[ .\-]?\d){8}(?![ .\-]?\d)")
_PHONE_ONLY = re.compile(r"^[\d\s\-+().]+$")
_LANG = re.compile(r"^[a-z]{2,3}$")


def passes_elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN check (weights 9..2 and -1, sum divisible by 11)."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def looks_like_bsn(text: str) -> bool:
    """Whether text holds nine digits (spaces, dots or dashes between allowed) passing the elfproef."""
    return any(passes_elfproef(re.sub(r"\D", "", m.group(0))) for m in _NINE_DIGITS.finditer(text))


@dataclass(frozen=True)
class Screening:
    """A check that was done, never a copy of a document: which, when, by whom (account)."""

    kind: str
    on: str
    by: str = ""


@dataclass
class Person:
    """One card: a resident who asks, a helper who helps, or both."""

    first_name: str
    phone: str = ""
    address: str = ""
    village: str = ""
    location: tuple[int, int] | None = None
    languages: list[str] = field(default_factory=lambda: ["nl"])
    skills: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)
    preferences: str = ""
    same_helper: bool = False
    notes: str = ""
    is_resident: bool = True
    is_helper: bool = False
    screening: list[Screening] = field(default_factory=list)
    pause_until: dt.date | None = None
    id: str = ""

    def paused(self, today: dt.date) -> bool:
        """Whether the card is dormant today (it wakes on the pause date)."""
        return self.pause_until is not None and today < self.pause_until

    def screened(self, kind: str = REQUIRED_SCREENING) -> Screening | None:
        """The latest screening of this kind, if any."""
        found = [s for s in self.screening if s.kind == kind]
        return max(found, key=lambda s: s.on) if found else None

    def contact(self) -> dict[str, str]:
        """What is handed over when a match is agreed."""
        return {"name": self.first_name, "phone": self.phone, "address": self.address}


def _sealed_part(person: Person) -> dict[str, Any]:
    raw = asdict(person)
    for key in ("id", "is_resident", "is_helper", "pause_until"):
        raw.pop(key)
    raw["location"] = list(person.location) if person.location else None
    return raw


def _from_row(store: Store, row: tuple[Any, ...]) -> Person:
    pid, is_resident, is_helper, pause_until, sealed, ver = row
    raw = store.unseal_json(f"person|{pid}", sealed, ver=ver)
    raw["location"] = tuple(raw["location"]) if raw.get("location") else None
    raw["screening"] = [Screening(**s) for s in raw.get("screening", [])]
    return Person(**raw, id=pid, is_resident=bool(is_resident), is_helper=bool(is_helper),
                  pause_until=dt.date.fromisoformat(pause_until) if pause_until else None)


def check(person: Person) -> None:
    """Refuse a card that holds a BSN, an unknown category, day or language, or no name."""
    if not person.first_name.strip():
        raise BadInput("first_name", field="first_name")
    texts = [person.first_name, person.phone, person.address, person.village, person.preferences, person.notes]
    for text in texts:
        if looks_like_bsn(text):
            raise LooksLikeBsn()
    for values, allowed, name in ((person.skills, BY_CODE, "skills"), (person.days, DAYS, "days"),
                                  (person.slots, SLOTS, "slots")):
        if any(v not in allowed for v in values):
            raise BadInput(name, field=name)
    if any(not _LANG.match(v) for v in person.languages):
        raise BadInput("languages", field="languages")


def new_id(conn: Any) -> str:
    """A short card id people can read out, e.g. ``K-7Q3M``."""
    while True:
        pid = "K-" + "".join(secrets.choice(ALPHABET) for _ in range(4))
        if conn.execute("SELECT 1 FROM desk_people WHERE id = ?", (pid,)).fetchone() is None:
            return pid


def add(store: Store, session: Session, person: Person, *, now: dt.datetime, anyway: bool = False) -> Person:
    """Put a new card in the index; returns it with its id.

    A phone number already on a card is refused with those cards' ids (``KnownPhone``) unless
    ``anyway``: the caller is most likely on the card already.
    """
    session.touch(now)
    check(person)
    _check_dates(person, now.date())
    known = same_phone(store, person.phone) if person.phone and not anyway else []
    if known:
        raise KnownPhone(person.phone, ids=", ".join(p.id for p in known))
    if any(s.kind == REQUIRED_SCREENING for s in person.screening) and not session.is_coordinator:
        raise NotAllowed("only the coordinator records a VOG check")
    with store.write() as conn:
        person.id = new_id(conn)
        ver = store.next_ver()
        conn.execute("INSERT INTO desk_people(id, created, updated, is_resident, is_helper, pause_until, sealed, ver) "
                     "VALUES (?,?,?,?,?,?,?,?)",
                     (person.id, int(now.timestamp()), int(now.timestamp()), int(person.is_resident),
                      int(person.is_helper), person.pause_until.isoformat() if person.pause_until else None,
                      store.seal_json(f"person|{person.id}", _sealed_part(person), ver=ver), ver))
        audit.record(store, conn, session.actor, "person_add", person.id, now=now)
    return person


def save(store: Store, session: Session, person: Person, *, now: dt.datetime, act: str = "person_edit") -> None:
    """Write back a changed card."""
    session.touch(now)
    check(person)
    with store.write() as conn:
        ver = store.next_ver()
        changed = conn.execute(
            "UPDATE desk_people SET updated = ?, is_resident = ?, is_helper = ?, pause_until = ?, sealed = ?, ver = ? "
            "WHERE id = ?",
            (int(now.timestamp()), int(person.is_resident), int(person.is_helper),
             person.pause_until.isoformat() if person.pause_until else None,
             store.seal_json(f"person|{person.id}", _sealed_part(person), ver=ver), ver, person.id)).rowcount
        if not changed:
            raise UnknownPerson(person.id, id=person.id)
        audit.record(store, conn, session.actor, act, person.id, now=now)


def load(store: Store, pid: str) -> Person:
    """One card, without an audit line: for the desk's own logic, never for showing."""
    with store.read() as conn:
        row = conn.execute("SELECT id, is_resident, is_helper, pause_until, sealed, ver FROM desk_people WHERE id = ?",
                           (pid.upper(),)).fetchone()
    if row is None:
        raise UnknownPerson(pid, id=pid)
    return _from_row(store, row)


def load_all(store: Store, *, helpers: bool | None = None) -> list[Person]:
    """All cards (or only helpers / only residents), by id, without an audit line."""
    sql = "SELECT id, is_resident, is_helper, pause_until, sealed, ver FROM desk_people"
    if helpers is True:
        sql += " WHERE is_helper = 1"
    elif helpers is False:
        sql += " WHERE is_resident = 1"
    with store.read() as conn:
        rows = conn.execute(sql + " ORDER BY id").fetchall()
    return [_from_row(store, row) for row in rows]


def show(store: Store, session: Session, pid: str, *, now: dt.datetime) -> Person:
    """One card, for a person to read: the view is audited."""
    session.touch(now)
    person = load(store, pid)
    audit.log(store, session.actor, "person_view", person.id, now=now)
    return person


def listing(store: Store, session: Session, *, now: dt.datetime, helpers: bool | None = None) -> list[Person]:
    """The cards, for a person to read: one audit line for the list."""
    session.touch(now)
    people = load_all(store, helpers=helpers)
    audit.log(store, session.actor, "person_list", "cards", now=now, details={"count": len(people)})
    return people


def pause(store: Store, session: Session, pid: str, until: dt.date | None, *, now: dt.datetime) -> Person:
    """Make a card dormant until a date (None wakes it); cards are never deleted for inactivity."""
    person = load(store, pid)
    person.pause_until = until
    save(store, session, person, now=now, act="person_pause")
    return person


def phone_digits(text: str) -> str:
    """A phone number as the digits people dial here: spaces, dashes and brackets dropped, +31 or 0031 as 0."""
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") and digits.startswith("31"):
        return "0" + digits[2:]
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


@dataclass(frozen=True)
class Found:
    """A card found by a search, with what tells two people of the same name apart."""

    person: Person
    last_contact: dt.datetime | None


def _last_contacts(store: Store) -> dict[str, int]:
    # Requests and matches import this module, so they are asked here, when the search runs.
    from noticeboard.desk import intake, matches

    with store.read() as conn:
        rows = [(str(who), int(at)) for who, at in conn.execute("SELECT id, updated FROM desk_people").fetchall()]
    last: dict[str, int] = {}
    for who, at in [*rows, *intake.request_times(store), *matches.proposal_times(store)]:
        if who and at > last.get(who, -1):
            last[who] = at
    return last


def matches_text(person: Person, text: str) -> bool:
    """Whether a card fits a search: its id, part of its phone (any spelling), or part of its name."""
    query = text.strip()
    if not query:
        return False
    if person.id in (query.upper(), "K-" + query.upper()):
        return True
    digits = phone_digits(query)
    if len(digits) >= 4 and _PHONE_ONLY.match(query):
        return digits in phone_digits(person.phone)
    return query.casefold() in person.first_name.casefold()


def search(store: Store, session: Session, text: str, *, now: dt.datetime, limit: int = 20) -> list[Found]:
    """Cards by phone, name or card id, most recent contact first; the search is audited, not the text."""
    session.touch(now)
    last = _last_contacts(store)
    found = [p for p in load_all(store) if matches_text(p, text)]
    found.sort(key=lambda p: (-last.get(p.id, 0), p.id))
    audit.log(store, session.actor, "person_find", "cards", now=now, details={"count": len(found)})
    return [Found(p, dt.datetime.fromtimestamp(last[p.id], dt.UTC) if p.id in last else None)
            for p in found[:limit]]


def same_phone(store: Store, phone: str, *, but: str = "") -> list[Person]:
    """Cards that already have this phone number (any spelling); for the warning on a new card."""
    digits = phone_digits(phone)
    if len(digits) < 6:
        return []
    return [p for p in load_all(store) if p.id != but and phone_digits(p.phone) == digits]


VOG_YEARS_DEFAULT = 3
_VOG_YEARS = "desk_vog_years"


def vog_years(store: Store) -> int:
    """How many years a checked VOG counts (a setting of the node, default 3)."""
    return int(store.meta(_VOG_YEARS) or VOG_YEARS_DEFAULT)


def set_vog_years(store: Store, session: Session, years: int, *, now: dt.datetime) -> None:
    """Change how long a VOG counts (coordinator only)."""
    session.touch(now, coordinator=True)
    if not 1 <= years <= 10:
        raise BadInput("years", field="years")
    with store.write() as conn:
        store.set_meta(_VOG_YEARS, str(years))
        audit.record(store, conn, session.actor, "setting_vog_years", "settings", now=now,
                     details={"years": years})


def vog_expires(screening: Screening, years: int) -> dt.date:
    """The day a VOG checked on ``screening.on`` stops counting."""
    on = dt.date.fromisoformat(screening.on)
    try:
        return on.replace(year=on.year + years)
    except ValueError:  # 29 February
        return on.replace(year=on.year + years, day=28)


def _check_dates(person: Person, today: dt.date) -> None:
    for s in person.screening:
        if dt.date.fromisoformat(s.on) > today:
            raise FutureDate(s.on, on=s.on)


def record_screening(store: Store, session: Session, pid: str, kind: str, on: dt.date, *,
                     now: dt.datetime) -> Person:
    """Note that a check was done (VOG by the coordinator only); no document is ever stored."""
    if kind not in SCREENINGS:
        raise BadInput("screening", field="screening")
    if kind == REQUIRED_SCREENING and not session.is_coordinator:
        session.touch(now)
        raise NotAllowed("only the coordinator records a VOG check")
    if on > now.date():
        raise FutureDate(on.isoformat(), on=on.isoformat())
    person = load(store, pid)
    person.screening = [*person.screening, Screening(kind, on.isoformat(), session.actor)]
    save(store, session, person, now=now, act="person_screening")
    return person


# ---- what other modules need from desk_people (this module owns the table) -------------------


def exists(store: Store, card_id: str) -> bool:
    """Whether a card with this id is in the card index."""
    with store.read() as conn:
        return conn.execute("SELECT 1 FROM desk_people WHERE id = ?", (card_id,)).fetchone() is not None


def helper_count(store: Store) -> int:
    """How many cards are marked as helpers."""
    with store.read() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM desk_people WHERE is_helper = 1").fetchone()[0])


def all_ids(store: Store) -> set[str]:
    """Every card id."""
    with store.read() as conn:
        return {str(r[0]) for r in conn.execute("SELECT id FROM desk_people").fetchall()}


def delete(store: Store, card_ids: list[str]) -> None:
    """Take cards out of the card index (an erasure)."""
    with store.write() as conn:
        conn.executemany("DELETE FROM desk_people WHERE id = ?", [(c,) for c in card_ids])


def delete_quiet_residents(store: Store, before: int, keep: set[str]) -> int:
    """Delete resident-only cards unchanged since ``before`` and not in ``keep``; returns how many."""
    with store.write() as conn:
        quiet = [str(r[0]) for r in conn.execute(
            "SELECT id FROM desk_people WHERE is_helper = 0 AND updated < ?", (before,)).fetchall()]
        gone = [(c,) for c in quiet if c not in keep]
        conn.executemany("DELETE FROM desk_people WHERE id = ?", gone)
    return len(gone)
