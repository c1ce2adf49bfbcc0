"""Suggestions for a request: local helpers from the card index and offers on the board.

Deterministic (same data, same list, same order) and explained: every suggestion carries
its reasons with the points each gave. Nothing is assigned: a volunteer picks and proposes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from noticeboard.categories import BY_CODE
from noticeboard.desk import audit, cards, matches, places
from noticeboard.desk.intake import resident_of
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.geo import distance_km
from noticeboard.i18n import t
from noticeboard.node import Node
from noticeboard.store import BoardQuery

TOP = 5
LOAD_PENALTY = 5


@dataclass(frozen=True)
class Reason:
    """Why a helper is (or is not) suggested, with the points it adds."""

    key: str
    points: int = 0
    values: dict[str, Any] = field(default_factory=dict, hash=False)

    def text(self) -> str:
        """The reason as a sentence in the current language."""
        return t(f"desk.reason.{self.key}", **self.values)


@dataclass(frozen=True)
class Suggestion:
    """A helper worth asking: a card (``person``), an "I can help" (``response``) or an offer (``offer``)."""

    kind: str
    key: str
    label: str
    village: str
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Blocked:
    """A helper who would fit but may not be asked now, and why."""

    kind: str
    key: str
    label: str
    reason: Reason


def _overlap(want: list[str], have: list[str]) -> list[str]:
    return [v for v in want if v in have]


def _distance_reason(a: tuple[int, int], b: tuple[int, int]) -> Reason:
    km = distance_km(a, b)
    return Reason("distance", max(0, 20 - 2 * round(km)), {"km": f"{km:.0f}"})


def _when(entry: Entry) -> tuple[list[str], list[str]]:
    when = entry.body.get("when", {})
    return list(when.get("days", [])), list(when.get("slots", []))


def _availability(req_days: list[str], req_slots: list[str], days: list[str], slots: list[str]) -> Reason | None:
    if (not req_days and not req_slots) or (not days and not slots):
        return None
    # A side that names no days (or no slots) is taken as any day (or any time of day).
    day_ok = not req_days or not days or bool(_overlap(req_days, days))
    slot_ok = not req_slots or not slots or bool(_overlap(req_slots, slots))
    if day_ok and slot_ok:
        shown = [t(f"desk.day.{d}") for d in _overlap(req_days, days)] + \
                [t(f"desk.slot.{s}") for s in _overlap(req_slots, slots)]
        return Reason("available", 15, {"when": ", ".join(shown)})
    return Reason("not_available", -10)


def _languages(wanted: list[str], spoken: list[str]) -> Reason:
    common = _overlap(wanted, spoken)
    if common:
        return Reason("language", 10 if common[0] != "nl" or len(wanted) == 1 else 5, {"language": common[0]})
    return Reason("no_language", -15, {"language": wanted[0] if wanted else "nl"})


def person_point(node: Node, person: cards.Person | None, fallback: tuple[int, int]) -> tuple[int, int]:
    """Where a card's person lives, coarsely: their own location, else their village's, else ``fallback``."""
    if person is None:
        return fallback
    if person.location:
        return person.location
    found = places.find(node, person.village)
    return (found.lat_cdeg, found.lon_cdeg) if found else fallback


def _person_suggestion(node: Node, request: Entry, resident: cards.Person | None, helper: cards.Person,
                       place: tuple[int, int]) -> Suggestion:
    category = request.body["category"]
    reasons = [Reason("same_category", 30, {"category": BY_CODE[category].label("nl")})]
    reasons.append(_distance_reason(person_point(node, helper, place),
                                    person_point(node, resident, _point(request))))
    avail = _availability(*_when(request), helper.days, helper.slots)
    if avail:
        reasons.append(avail)
    wanted = resident.languages if resident else [request.body.get("lang", "nl")]
    reasons.append(_languages(wanted, helper.languages))
    load = matches.active_load(node, helper.id)
    reasons.append(Reason("load", -LOAD_PENALTY * load, {"n": load}))
    before = matches.times_helped(node, resident.id if resident else "", helper.id)
    if before:
        bonus = 10 + (10 if resident is not None and resident.same_helper else 0)
        reasons.append(Reason("helped_before", bonus, {"n": before}))
    if BY_CODE[category].needs_screening:
        screened = helper.screened()
        assert screened is not None
        reasons.append(Reason("screened", 0, {"on": screened.on}))
    return Suggestion("person", helper.id, helper.first_name, helper.village or node.profile().place.village,
                      sum(r.points for r in reasons), tuple(reasons))


def _offer_suggestion(node: Node, request: Entry, resident: cards.Person | None, offer: Entry) -> Suggestion:
    body = offer.body
    category = request.body["category"]
    reasons = [Reason("same_category", 30, {"category": BY_CODE[category].label("nl")})]
    reasons.append(_distance_reason(_point(offer), person_point(node, resident, _point(request))))
    when = body.get("when", {})
    avail = _availability(*_when(request), list(when.get("days", [])), list(when.get("slots", [])))
    if avail:
        reasons.append(avail)
    wanted = resident.languages if resident else [request.body.get("lang", "nl")]
    reasons.append(_languages(wanted, list(body.get("languages", [body.get("lang", "nl")]))))
    if offer.author != node.node_id:
        reasons.append(Reason("other_village", 0, {"village": body["place"]["village"]}))
        if BY_CODE[category].needs_screening:
            reasons.append(Reason("screening_by_home", 0))
    label = f"{body['ref']} {body.get('name', '')}".strip()
    return Suggestion("offer", f"{offer.author}|{offer.id}", label, body["place"]["village"],
                      sum(r.points for r in reasons), tuple(reasons))


def _response_suggestion(node: Node, request: Entry, response: dict[str, Any]) -> Suggestion:
    origin = found if isinstance(found := response.get("from"), dict) else {}
    village = str(origin.get("village") or node.profile().place.village)
    # An explicit yes to this very request outranks every inferred fit.
    reasons = [Reason("said_can_help", 80)]
    if origin:
        reasons.append(Reason("other_village", 0, {"village": village}))
    return Suggestion("response", str(response["rid"]), str(response.get("name", "")), village,
                      sum(r.points for r in reasons), tuple(reasons))


def _point(entry: Entry) -> tuple[int, int]:
    place = entry.body["place"]
    return (int(place["lat_cdeg"]), int(place["lon_cdeg"]))


def suggest(node: Node, session: Session, ref: str, *, now: dt.datetime,
            top: int = TOP) -> tuple[list[Suggestion], list[Blocked]]:
    """The best helpers for a request, best first, and the ones blocked (paused, unscreened); audited."""
    session.touch(now)
    request = node.find(ref)
    found, blocked = candidates(node, request, now=now)
    audit.log(node.store, session.actor, "suggest", request.body["ref"], now=now,
              details={"shown": [s.key for s in found[:top] if s.kind == "person"]})
    return found[:top], blocked


def candidates(node: Node, request: Entry, *, now: dt.datetime) -> tuple[list[Suggestion], list[Blocked]]:
    """Every suggestion for a request, best first, and who is blocked; no audit (nobody sees names here)."""
    category = request.body["category"]
    resident_id = resident_of(node, request)
    resident = cards.load(node.store, resident_id) if resident_id else None
    here = node.profile().place
    place = (here.lat_cdeg, here.lon_cdeg)
    found: list[Suggestion] = []
    blocked: list[Blocked] = []
    years = cards.vog_years(node.store)
    for helper in cards.load_all(node.store, helpers=True):
        if category not in helper.skills or helper.id == resident_id:
            continue
        if helper.paused(now.date()):
            blocked.append(Blocked("person", helper.id, helper.first_name,
                                   Reason("paused", 0, {"until": str(helper.pause_until)})))
            continue
        if BY_CODE[category].needs_screening and helper.screened() is None:
            blocked.append(Blocked("person", helper.id, helper.first_name,
                                   Reason("needs_screening", 0, {"category": BY_CODE[category].label("nl")})))
            continue
        screened = helper.screened()
        if BY_CODE[category].needs_screening and screened is not None and cards.vog_expires(
                screened, years) <= now.date():
            blocked.append(Blocked("person", helper.id, helper.first_name,
                                   Reason("vog_expired", 0, {"on": screened.on, "years": years})))
            continue
        found.append(_person_suggestion(node, request, resident, helper, place))
    for response in node.store.responses(request.author, request.id):
        if BY_CODE[category].needs_screening:
            # Whoever said "I can help" is not screened; they first join the card index with a checked VOG.
            blocked.append(Blocked("response", str(response["rid"]), str(response.get("name", "")),
                                   Reason("screening_unknown")))
        else:
            found.append(_response_suggestion(node, request, response))
    offers, _ = node.store.board(BoardQuery(kind="offer", category=category, status="open"), now=now)
    found.extend(_offer_suggestion(node, request, resident, offer) for offer in offers)
    taken = {m.helper for m in matches.for_request(node, request) if m.state in ("proposed", "agreed")}
    found = [s for s in found if s.key not in taken]
    found.sort(key=lambda s: (-s.score, s.kind, s.key))
    blocked.sort(key=lambda b: (b.kind, b.key))
    return found, blocked
