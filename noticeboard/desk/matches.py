"""The match lifecycle: proposed -> agreed -> done (or cancelled), with feedback afterwards.

A volunteer proposes; nothing is assigned automatically. Contact details are revealed to
each side only once both agreed. A helper known through another node's offer is asked by a
sealed message to that node; its volunteers answer the same way (see docs/desk.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from noticeboard.categories import BY_CODE
from noticeboard.desk import audit, cards, events, reciprocity, safeguarding
from noticeboard.desk.errors import (
    BadInput,
    Flagged,
    NeedsScreening,
    Paused,
    ScreeningExpired,
    UnknownMatch,
    WrongState,
)
from noticeboard.desk.intake import resident_of
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.node import Node, NotFound
from noticeboard.refcode import ALPHABET
from noticeboard.store import Store

STATES = ("proposed", "agreed", "done", "cancelled")
FACES = ("good", "ok", "bad")
FACE_VALUE = {"bad": 1, "ok": 2, "good": 3}
HELPER_KINDS = ("person", "offer", "response", "incoming")
_COLUMNS = ("id, req_author, req_id, resident, helper_kind, helper, state, proposed_at, resident_agreed, "
            "helper_agreed, agreed_at, done_at, closed_at, village, category, cross, happened, face, "
            "feedback_at, sealed, ver")


@dataclass
class Match:
    """One proposed pairing of a request with a helper."""

    id: str
    req_author: str
    req_id: str
    resident: str
    helper_kind: str
    helper: str
    state: str
    proposed_at: int
    resident_agreed: bool
    helper_agreed: bool
    agreed_at: int | None
    done_at: int | None
    closed_at: int | None
    village: str
    category: str
    cross: bool
    happened: bool | None
    face: str | None
    feedback_at: int | None
    private: dict[str, Any]

    @property
    def ref(self) -> str:
        """The request's reference code."""
        return str(self.private.get("ref", ""))

    @property
    def appointment(self) -> dt.datetime | None:
        """When the helper and the resident are to meet, if recorded."""
        at = self.private.get("appointment")
        return dt.datetime.fromtimestamp(int(at), dt.UTC) if at else None


def _from_row(node: Node, row: tuple[Any, ...]) -> Match:
    values = list(row)
    ver = values.pop()  # the write counter, bound into the sealed column
    private = node.store.unseal_json(f"match|{values[0]}", values[-1], ver=ver) if values[-1] else {}
    for i in (8, 9, 15):
        values[i] = bool(values[i])
    values[16] = None if values[16] is None else bool(values[16])
    values[-1] = private  # the sealed column, opened
    return Match(*values)


def get(node: Node, match_id: str) -> Match:
    """One match by id; raises UnknownMatch."""
    with node.store.read() as conn:
        return _get(node, conn, match_id)


def _get(node: Node, conn: Any, match_id: str) -> Match:
    row = conn.execute(f"SELECT {_COLUMNS} FROM desk_matches WHERE id = ?", (match_id.upper(),)).fetchone()
    if row is None:
        raise UnknownMatch(match_id, id=match_id)
    return _from_row(node, row)


def all_matches(node: Node, *, states: tuple[str, ...] = STATES) -> list[Match]:
    """Matches in the given states, oldest first."""
    with node.store.read() as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM desk_matches WHERE state IN ({','.join('?' * len(states))}) "
                            "ORDER BY proposed_at, id", states).fetchall()
    return [_from_row(node, row) for row in rows]


def for_request(node: Node, entry: Entry) -> list[Match]:
    """The matches of one request, oldest first."""
    return [m for m in all_matches(node) if (m.req_author, m.req_id) == entry.key]


def _save_private(node: Node, conn: Any, match_id: str, private: dict[str, Any]) -> None:
    ver = node.store.next_ver()
    conn.execute("UPDATE desk_matches SET sealed = ?, ver = ? WHERE id = ?",
                 (node.store.seal_json(f"match|{match_id}", private, ver=ver), ver, match_id))


def pair_tag(node: Node, resident: str, helper: str) -> str:
    """A keyed tag of a (resident, helper) pair, so repeat pairs can be counted without names."""
    return hmac.new(node.store.ref_tag("pair-key"), f"{resident}|{helper}".encode(), hashlib.sha256).hexdigest()[:16]


def _new_id(conn: Any) -> str:
    while True:
        mid = "M-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
        if conn.execute("SELECT 1 FROM desk_matches WHERE id = ?", (mid,)).fetchone() is None:
            return mid


def helper_village(node: Node, helper_kind: str, helper: str) -> str:
    """The village a helper lives in (card) or posted from (offer)."""
    if helper_kind == "person":
        person = cards.load(node.store, helper)
        return person.village or node.profile().place.village
    if helper_kind == "response":
        found = response_by_id(node, helper)
        origin = found.get("from") if found else None
        return str(origin.get("village", "")) if isinstance(origin, dict) else node.profile().place.village
    author, offer_id = helper.split("|", 1)
    offer = node.store.get(author, offer_id)
    return offer.body["place"]["village"] if offer is not None and offer.type == "offer" else ""


def check_helper(node: Node, helper: cards.Person, category: str, today: dt.date) -> None:
    """Refuse a paused helper, or an unscreened one for a category that needs screening."""
    if helper.paused(today):
        raise Paused(helper.id, until=str(helper.pause_until))
    screened = helper.screened()
    if BY_CODE[category].needs_screening and screened is None:
        raise NeedsScreening(helper.id, category=BY_CODE[category].label("nl"))
    years = cards.vog_years(node.store)
    if BY_CODE[category].needs_screening and screened is not None and cards.vog_expires(screened, years) <= today:
        raise ScreeningExpired(helper.id, on=screened.on, years=years)


def _refuse_flagged(node: Node, session: Session, match: Match) -> None:
    """A zorgsignaal is the coordinator's: volunteers cannot move its match on or see its contacts."""
    if not session.is_coordinator and safeguarding.is_flagged_key(node, (match.req_author, match.req_id)):
        raise Flagged(match.ref)


def propose(node: Node, session: Session, ref: str, helper_kind: str, helper: str, *,
            now: dt.datetime) -> Match:
    """Propose a helper (a card id, or an offer as ``author|id`` or its code) for a request."""
    session.touch(now)
    if safeguarding.flagged_by_ref(node, ref) is not None and not session.is_coordinator:
        raise Flagged(ref)
    request = node.find(ref)
    if request.type != "request":
        raise BadInput("ref", field="ref")
    category = request.body["category"]
    resident = resident_of(node, request) or ""
    if helper_kind == "person":
        person = cards.load(node.store, helper)
        check_helper(node, person, category, now.date())
        helper = person.id
    elif helper_kind == "response":
        found = response_by_id(node, helper)
        if found is None or (found["author"], found["id"]) != request.key:
            raise NotFound(helper)
        if BY_CODE[category].needs_screening:
            raise NeedsScreening(helper, category=BY_CODE[category].label("nl"))
    elif helper_kind == "offer":
        offer = node.find(helper) if "|" not in helper else node.store.get(*helper.split("|", 1))
        if offer is None or offer.type != "offer":
            raise NotFound(helper)
        helper = f"{offer.author}|{offer.id}"
        if offer.author != node.node_id and node.node_profile(offer.author) is None:
            # Without the centre's profile there is no key to seal the proposal to.
            raise NotFound(offer.body["ref"])
    else:
        raise BadInput("helper_kind", field="helper_kind")
    village = _request_village(node, request, resident)
    cross = helper_village(node, helper_kind, helper) not in ("", village)
    private = {"ref": request.body["ref"], "title": request.body["title"]}
    with node.store.write() as conn:
        mid, ver = _new_id(conn), node.store.next_ver()
        conn.execute(f"INSERT INTO desk_matches({_COLUMNS}) VALUES ({','.join('?' * 21)})",
                     (mid, request.author, request.id, resident, helper_kind, helper, "proposed",
                      int(now.timestamp()), 0, 0, None, None, None, village, category, int(cross), None, None, None,
                      node.store.seal_json(f"match|{mid}", private, ver=ver), ver))
        events.emit(conn, "proposed", request.id, at=now, village=village, category=category, cross=cross)
        audit.record(node.store, conn, session.actor, "match_propose", mid, now=now,
                     details={"ref": request.body["ref"], "helper": helper if helper_kind == "person" else "offer"})
    if helper_kind == "offer" and not helper.startswith(node.node_id + "|"):
        _send(node, helper.split("|", 1)[0], {
            "kind": "match_proposal", "match": mid,
            "offer": {"author": helper.split("|", 1)[0], "id": helper.split("|", 1)[1]},
            "request": {"author": request.author, "id": request.id, "ref": request.body["ref"],
                        "category": category, "title": request.body["title"], "village": village},
        }, now=now)
    return get(node, mid)


def _request_village(node: Node, request: Entry, resident: str) -> str:
    if resident:
        person = cards.load(node.store, resident)
        if person.village:
            return person.village
    return str(request.body["place"]["village"])


def _send(node: Node, to: str, content: dict[str, Any], *, now: dt.datetime) -> Entry:
    profile = node.node_profile(to)
    if profile is None:
        raise NotFound(to)
    here = node.profile()
    return node.seal_message(profile, {**content, "from": {"node": node.node_id, "name": here.name,
                                                           "village": here.place.village}}, now=now)


def agree(node: Node, session: Session, match_id: str, side: str, *, now: dt.datetime) -> Match:
    """Record that one side (``resident`` or ``helper``) said yes; both yes makes the match agreed."""
    session.touch(now)
    match = get(node, match_id)
    _refuse_flagged(node, session, match)
    if match.state != "proposed":
        raise WrongState(match.id, state=match.state)
    if side not in ("resident", "helper"):
        raise BadInput("side", field="side")
    if match.helper_kind == "offer" and side == "helper" and not match.helper.startswith(node.node_id + "|"):
        # The helper's own centre says yes for them, by sealed message (take_in).
        raise WrongState(match.id, state="waiting_helper_centre")
    if match.helper_kind == "incoming" and side == "resident":
        # The resident's centre confirms for them, by sealed message.
        raise WrongState(match.id, state="waiting_resident_centre")
    with node.store.write() as conn:
        conn.execute(f"UPDATE desk_matches SET {side}_agreed = 1 WHERE id = ?", (match.id,))
        audit.record(node.store, conn, session.actor, f"match_agree_{side}", match.id, now=now)
    if match.helper_kind == "incoming" and side == "helper":
        _answer_incoming(node, get(node, match.id), now=now)
    return _maybe_agreed(node, get(node, match.id), now=now)


def _maybe_agreed(node: Node, match: Match, *, now: dt.datetime) -> Match:
    if not (match.resident_agreed and match.helper_agreed) or match.state != "proposed":
        return match
    with node.store.write() as conn:
        conn.execute("UPDATE desk_matches SET state = 'agreed', agreed_at = ? WHERE id = ?",
                     (int(now.timestamp()), match.id))
        if match.helper_kind != "incoming":
            events.emit(conn, "agreed", match.req_id, at=now, village=match.village, category=match.category,
                        cross=match.cross, pair=pair_tag(node, match.resident, match.helper))
        audit.record(node.store, conn, "system", "match_agreed", match.id, now=now)
    if match.req_author == node.node_id:
        _set_status(node, match, "matched", now=now)
    if match.helper_kind == "offer" and not match.helper.startswith(node.node_id + "|"):
        _send(node, match.helper.split("|", 1)[0], {
            "kind": "match_confirmed", "match": match.id, "contact": _resident_contact(node, match)}, now=now)
    return get(node, match.id)


def _set_status(node: Node, match: Match, status: str, *, now: dt.datetime) -> None:
    request = node.store.get(match.req_author, match.req_id)
    if request is not None and request.type == "request" and request.body["status"] != status:
        node.set_status(request.body["ref"], status, now=now)


def _resident_contact(node: Node, match: Match) -> dict[str, str]:
    if match.resident:
        return cards.load(node.store, match.resident).contact()
    kept = node.store.contact(match.req_author, match.req_id)
    return kept.shared() if kept else {}


def response_by_id(node: Node, rid: str) -> dict[str, Any] | None:
    """One "I can help" kept for our posts, by its id, or None."""
    return next((r for r in node.store.responses() if r["rid"] == rid), None)


def _helper_contact(node: Node, match: Match) -> dict[str, str]:
    if match.helper_kind == "person":
        return cards.load(node.store, match.helper).contact()
    if match.helper_kind == "response":
        found = response_by_id(node, match.helper) or {}
        return {"name": str(found.get("name", "")), "phone": str(found.get("contact", ""))}
    if match.helper_kind == "incoming":
        kept = node.store.contact(node.node_id, match.helper)
        return kept.shared() if kept else {}
    author, offer_id = match.helper.split("|", 1)
    if author == node.node_id:
        kept = node.store.contact(author, offer_id)
        return kept.shared() if kept else {}
    return dict(match.private.get("helper_contact", {}))


def reveal(node: Node, session: Session, match_id: str, *, now: dt.datetime) -> dict[str, dict[str, str]]:
    """Both sides' contact details, only once both agreed; every reveal is logged."""
    session.touch(now)
    match = get(node, match_id)
    _refuse_flagged(node, session, match)
    if match.state not in ("agreed", "done"):
        raise WrongState(match.id, state=match.state)
    if match.helper_kind == "incoming":
        shown = {"resident": dict(match.private.get("resident_contact", {})), "helper": _helper_contact(node, match)}
    else:
        shown = {"resident": _resident_contact(node, match), "helper": _helper_contact(node, match)}
    with node.store.write() as conn:
        events.emit(conn, "revealed", match.req_id, at=now, village=match.village, category=match.category)
        audit.record(node.store, conn, session.actor, "match_reveal", match.id, now=now)
    return shown


def done(node: Node, session: Session, match_id: str, *, now: dt.datetime, minutes: int = 0,
         note: str = "") -> Match:
    """Close an agreed match as done; with an hour ledger, ``minutes`` move from resident to helper."""
    session.touch(now)
    match = get(node, match_id)
    if match.state != "agreed":
        raise WrongState(match.id, state=match.state)
    with node.store.write() as conn:
        conn.execute("UPDATE desk_matches SET state = 'done', done_at = ?, closed_at = ? WHERE id = ?",
                     (int(now.timestamp()), int(now.timestamp()), match.id))
        if note:
            _save_private(node, conn, match.id, {**match.private, "done_note": note})
        if match.helper_kind != "incoming":
            repeat = events.count(conn, "done", pair=pair_tag(node, match.resident, match.helper))
            events.emit(conn, "done", match.req_id, at=now, village=match.village, category=match.category,
                        cross=match.cross, pair=pair_tag(node, match.resident, match.helper), value=int(repeat > 0))
        audit.record(node.store, conn, session.actor, "match_done", match.id, now=now,
                     details={"note": note} if note else None)
    if match.req_author == node.node_id:
        _set_status(node, match, "done", now=now)
    _tell_closed(node, match, "done", now=now)
    if minutes and match.resident and match.helper_kind == "person" and reciprocity.mode(node.store) == "hours":
        reciprocity.transfer(node.store, session, match.resident, match.helper, minutes, now=now, match=match.id)
    return get(node, match.id)


def appointment(node: Node, session: Session, match_id: str, at: dt.datetime, *, now: dt.datetime) -> Match:
    """Record the date and time the helper comes (kept sealed with the match); follow-up runs from it."""
    session.touch(now)
    match = get(node, match_id)
    _refuse_flagged(node, session, match)
    if match.state not in ("proposed", "agreed"):
        raise WrongState(match.id, state=match.state)
    with node.store.write() as conn:
        _save_private(node, conn, match.id, {**match.private, "appointment": int(at.timestamp())})
        audit.record(node.store, conn, session.actor, "match_appointment", match.id, now=now,
                     details={"at": at.strftime("%Y-%m-%dT%H:%MZ")})
    return get(node, match.id)


def cancel(node: Node, session: Session, match_id: str, *, now: dt.datetime, reason: str = "") -> Match:
    """Cancel a proposed or agreed match; an agreed request goes back to open."""
    session.touch(now)
    match = get(node, match_id)
    if match.state not in ("proposed", "agreed"):
        raise WrongState(match.id, state=match.state)
    with node.store.write() as conn:
        conn.execute("UPDATE desk_matches SET state = 'cancelled', closed_at = ? WHERE id = ?",
                     (int(now.timestamp()), match.id))
        _save_private(node, conn, match.id, {**match.private, "cancel_reason": reason})
        events.emit(conn, "cancelled", match.req_id, at=now, village=match.village, category=match.category)
        audit.record(node.store, conn, session.actor, "match_cancel", match.id, now=now,
                     details={"reason": reason} if reason else None)
    if match.state == "agreed" and match.req_author == node.node_id:
        _set_status(node, match, "open", now=now)
    _tell_closed(node, match, "cancelled", now=now)
    return get(node, match.id)


def _partner(node: Node, match: Match) -> str | None:
    """The other centre of a cross-village match, or None."""
    if match.helper_kind == "incoming":
        return match.req_author
    if match.helper_kind == "offer" and not match.helper.startswith(node.node_id + "|"):
        return match.helper.split("|", 1)[0]
    return None


def _tell_closed(node: Node, match: Match, state: str, *, now: dt.datetime) -> None:
    partner = _partner(node, match)
    if partner is not None:
        _send(node, partner, {"kind": "match_closed", "match": match.id, "state": state}, now=now)


def feedback(node: Node, session: Session, match_id: str, *, happened: bool, face: str | None, note: str = "",
             channel: str = "phone", now: dt.datetime) -> Match:
    """"Is de hulp doorgegaan?" and "Hoe ging het?" for a closed match; kept apart from "agreed"."""
    session.touch(now)
    match = get(node, match_id)
    if match.state not in ("done", "cancelled", "agreed"):
        raise WrongState(match.id, state=match.state)
    if face is not None and face not in FACES:
        raise BadInput("face", field="face")
    if cards.looks_like_bsn(note):
        raise cards.LooksLikeBsn()
    with node.store.write() as conn:
        conn.execute("UPDATE desk_matches SET happened = ?, face = ?, feedback_at = ? WHERE id = ?",
                     (int(happened), face, int(now.timestamp()), match.id))
        _save_private(node, conn, match.id, {**match.private, "note": note})
        events.emit(conn, "feedback", match.req_id, at=now, village=match.village, category=match.category,
                    channel=channel, value=(FACE_VALUE[face] if face else 0) + (10 if happened else 0))
        audit.record(node.store, conn, session.actor, "match_feedback", match.id, now=now)
    return get(node, match.id)


def active_load(node: Node, person_id: str) -> int:
    """How many proposed or agreed matches a helper has now."""
    with node.store.read() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM desk_matches WHERE helper_kind = 'person' AND helper = ? "
                                "AND state IN ('proposed', 'agreed')", (person_id,)).fetchone()[0])


def times_helped(node: Node, resident: str, helper: str) -> int:
    """How often this helper helped this resident (done matches)."""
    if not resident:
        return 0
    with node.store.read() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM desk_matches WHERE resident = ? AND helper = ? "
                                "AND state = 'done'", (resident, helper)).fetchone()[0])


# ---- the other node's side of a cross-village match ------------------------------------------


def _answer_incoming(node: Node, match: Match, *, now: dt.datetime) -> None:
    _send(node, match.req_author, {"kind": "match_answer", "match": match.id, "agree": True,
                                   "contact": _helper_contact(node, match)}, now=now)


def take_in(node: Node, *, now: dt.datetime) -> int:
    """Open match messages sealed to this node (proposal, answer, confirmation); returns how many."""
    taken = 0
    # opened_messages leaves out (and counts for its author) what does not open, and names the
    # signer as the sender, whatever the message says about where it is from.
    for message, content in node.opened_messages(now=now):
        with node.store.read() as conn:
            if conn.execute("SELECT 1 FROM desk_inbox WHERE author = ? AND id = ?", message.key).fetchone():
                continue
        kind = content.get("kind")
        reopen = False
        if kind not in ("match_proposal", "match_answer", "match_confirmed", "match_closed"):
            continue
        with node.store.write() as conn:
            conn.execute("INSERT INTO desk_inbox VALUES (?,?,?)", (*message.key, int(now.timestamp())))
            if kind == "match_proposal":
                _take_proposal(node, conn, message, content, now=now)
            elif kind == "match_answer":
                _take_answer(node, conn, message, content, now=now)
            elif kind == "match_closed":
                reopen = _take_closed(node, conn, message, content, now=now)
            else:
                _take_confirmation(node, conn, message, content, now=now)
            found = _match_for(node, conn, str(content.get("match", "")), message.author)
        taken += 1
        if kind == "match_answer" and found is not None:
            _maybe_agreed(node, found, now=now)
        if kind == "match_closed" and found is not None and found.req_author == node.node_id:
            if reopen:
                _set_status(node, found, "open", now=now)
            elif found.state == "done":
                _set_status(node, found, "done", now=now)
    return taken


def _match_for(node: Node, conn: Any, match_id: str, partner: str) -> Match | None:
    try:
        match = _get(node, conn, match_id)
    except UnknownMatch:
        return None
    partner_ok = match.req_author == partner or match.helper.startswith(partner + "|")
    return match if partner_ok else None


def _take_proposal(node: Node, conn: Any, message: Entry, content: dict[str, Any], *, now: dt.datetime) -> None:
    offer, request = content.get("offer") or {}, content.get("request") or {}
    if offer.get("author") != node.node_id or conn.execute(
            "SELECT 1 FROM desk_matches WHERE id = ?", (str(content.get("match")),)).fetchone():
        return
    mid = str(content["match"])
    category = str(request.get("category", "overig"))
    private = {"ref": request.get("ref", ""), "title": request.get("title", ""), "from": content.get("from", {})}
    ver = node.store.next_ver()
    conn.execute(f"INSERT INTO desk_matches({_COLUMNS}) VALUES ({','.join('?' * 21)})",
                 (mid, message.author, str(request.get("id", "")), "", "incoming", str(offer.get("id", "")),
                  "proposed", int(now.timestamp()), 0, 0, None, None, None, str(request.get("village", "")),
                  category if category in BY_CODE else "overig", 1, None, None, None,
                  node.store.seal_json(f"match|{mid}", private, ver=ver), ver))
    audit.record(node.store, conn, "system", "match_incoming", mid, now=now)


def _take_answer(node: Node, conn: Any, message: Entry, content: dict[str, Any], *, now: dt.datetime) -> None:
    match = _match_for(node, conn, str(content.get("match", "")), message.author)
    if match is None or match.state != "proposed" or not content.get("agree"):
        return
    conn.execute("UPDATE desk_matches SET helper_agreed = 1 WHERE id = ?", (match.id,))
    _save_private(node, conn, match.id, {**match.private, "helper_contact": content.get("contact", {})})
    audit.record(node.store, conn, "system", "match_agree_helper", match.id, now=now)


def _take_confirmation(node: Node, conn: Any, message: Entry, content: dict[str, Any], *,
                       now: dt.datetime) -> None:
    match = _match_for(node, conn, str(content.get("match", "")), message.author)
    if match is None or match.helper_kind != "incoming" or match.state != "proposed":
        return
    conn.execute("UPDATE desk_matches SET state = 'agreed', agreed_at = ? WHERE id = ?",
                 (int(now.timestamp()), match.id))
    _save_private(node, conn, match.id, {**match.private, "resident_contact": content.get("contact", {})})
    audit.record(node.store, conn, "system", "match_agreed", match.id, now=now)


def _take_closed(node: Node, conn: Any, message: Entry, content: dict[str, Any], *, now: dt.datetime) -> bool:
    """The partner centre closed the match; returns whether an agreed request goes back to open."""
    match = _match_for(node, conn, str(content.get("match", "")), message.author)
    state = content.get("state")
    if match is None or match.state not in ("proposed", "agreed") or state not in ("done", "cancelled"):
        return False
    at = int(now.timestamp())
    conn.execute("UPDATE desk_matches SET state = ?, closed_at = ?, done_at = ? WHERE id = ?",
                 (state, at, at if state == "done" else None, match.id))
    if match.helper_kind != "incoming":
        events.emit(conn, str(state), match.req_id, at=now, village=match.village, category=match.category,
                    cross=match.cross, pair=pair_tag(node, match.resident, match.helper))
    audit.record(node.store, conn, "system", f"match_{state}_by_partner", match.id, now=now)
    return state == "cancelled" and match.state == "agreed"


def labels(node: Node, session: Session, found: list[Match], *, now: dt.datetime) -> dict[str, tuple[str, str]]:
    """First names (or codes) of both sides of each match, for a staff list; one audit line for the view."""
    session.touch(now)
    shown: dict[str, tuple[str, str]] = {}
    for m in found:
        if m.helper_kind == "incoming":
            origin = m.private.get("from", {})
            resident = str(origin.get("village", "")) if isinstance(origin, dict) else ""
        elif m.resident:
            resident = cards.load(node.store, m.resident).first_name
        else:
            kept = node.store.contact(m.req_author, m.req_id)
            resident = kept.name if kept else ""
        if m.helper_kind == "person":
            helper = cards.load(node.store, m.helper).first_name
        elif m.helper_kind == "response":
            helper = str((response_by_id(node, m.helper) or {}).get("name", ""))
        else:
            offer = node.store.get(*m.helper.split("|", 1)) if "|" in m.helper else node.store.get(node.node_id,
                                                                                                     m.helper)
            helper = f"{offer.body['ref']} ({offer.body['place']['village']})" if offer and offer.type == "offer" else ""
        shown[m.id] = (resident, helper)
    audit.log(node.store, session.actor, "match_list", "matches", now=now, details={"count": len(found)})
    return shown


def kiosk_feedback(node: Node, ref: str, phone_tail: str, *, happened: bool, face: str | None,
                   now: dt.datetime) -> Match | None:
    """A resident answers the two questions at the kiosk by their request's code (no login, no note).

    Codes hang on the wall, so the last four digits of the phone number kept for the request
    must match too. Applies to the newest agreed or done match without feedback; None if none.
    """
    request = node.find_own(ref)
    resident = resident_of(node, request)
    kept = node.store.contact(*request.key)
    phone = cards.load(node.store, resident).phone if resident else (kept.phone_number if kept else "")
    digits = "".join(c for c in phone if c.isdigit())
    if len(phone_tail) < 4 or not digits.endswith(phone_tail):
        return None
    open_ones = [m for m in for_request(node, request) if m.state in ("agreed", "done") and m.feedback_at is None
                 and m.helper_kind != "incoming"]
    if not open_ones:
        return None
    if face is not None and face not in FACES:
        raise BadInput("face", field="face")
    match = open_ones[-1]
    with node.store.write() as conn:
        conn.execute("UPDATE desk_matches SET happened = ?, face = ?, feedback_at = ? WHERE id = ?",
                     (int(happened), face, int(now.timestamp()), match.id))
        events.emit(conn, "feedback", match.req_id, at=now, village=match.village, category=match.category,
                    channel="kiosk", value=(FACE_VALUE[face] if face else 0) + (10 if happened else 0))
        audit.record(node.store, conn, "kiosk", "match_feedback", match.id, now=now)
    return get(node, match.id)


# ---- what other modules need from desk_matches (this module owns the table) -----------------


def done_counts(store: Store, card_id: str) -> tuple[int, int]:
    """(gave, got): done matches where the card helped, and where it was helped."""
    with store.read() as conn:
        gave = conn.execute("SELECT COUNT(*) FROM desk_matches WHERE state = 'done' AND helper_kind = 'person' "
                            "AND helper = ?", (card_id,)).fetchone()[0]
        got = conn.execute("SELECT COUNT(*) FROM desk_matches WHERE state = 'done' AND resident = ?",
                           (card_id,)).fetchone()[0]
    return int(gave), int(got)


def done_people(store: Store) -> list[tuple[int, str, str]]:
    """(when done, resident card, helper card or "") of every done match: the evaluation's reciprocity."""
    with store.read() as conn:
        return [(int(at), str(resident or ""), str(helper or "") if kind == "person" else "")
                for at, resident, helper, kind in conn.execute(
                    "SELECT done_at, resident, helper, helper_kind FROM desk_matches "
                    "WHERE state = 'done' AND done_at IS NOT NULL").fetchall()]


def helper_activity(store: Store, since: int) -> tuple[int, set[str], set[str]]:
    """Card helpers agreed since ``since`` (a count), and the cards that were helped and that helped (done)."""
    with store.read() as conn:
        active = conn.execute("SELECT COUNT(DISTINCT helper) FROM desk_matches WHERE helper_kind = 'person' "
                              "AND agreed_at >= ?", (since,)).fetchone()[0]
        received = {r[0] for r in conn.execute(
            "SELECT resident FROM desk_matches WHERE state = 'done' AND resident != ''").fetchall()}
        gave = {r[0] for r in conn.execute(
            "SELECT helper FROM desk_matches WHERE state = 'done' AND helper_kind = 'person'").fetchall()}
    return int(active), received, gave


def proposal_times(store: Store) -> list[tuple[str, int]]:
    """(card id, when proposed) for both sides of every match with a card."""
    with store.read() as conn:
        return [(str(who), int(at)) for who, at in conn.execute(
            "SELECT resident, proposed_at FROM desk_matches WHERE resident != '' "
            "UNION ALL SELECT helper, proposed_at FROM desk_matches WHERE helper_kind = 'person'").fetchall()]


def in_play(store: Store, since: int, closed: tuple[str, ...]) -> set[str]:
    """Resident cards with a match proposed since ``since`` or not yet closed."""
    marks = ",".join("?" * len(closed))
    with store.read() as conn:
        return {str(r[0]) for r in conn.execute(
            f"SELECT resident FROM desk_matches WHERE proposed_at >= ? OR state NOT IN ({marks})",
            (since, *closed)).fetchall()}


def raw_rows(store: Store) -> list[tuple[Any, ...]]:
    """Every match as its columns (with the sealed details opened), for an access request."""
    with store.read() as conn:
        rows = conn.execute("SELECT id, req_author, req_id, resident, helper_kind, helper, state, proposed_at, "
                            "agreed_at, done_at, closed_at, village, category, sealed, ver FROM desk_matches").fetchall()
    return [(*row[:-2], store.unseal_json(f"match|{row[0]}", row[-2], ver=row[-1]) if row[-2] else {}) for row in rows]


def forget_details(store: Store, match_ids: list[str]) -> None:
    """Drop the sealed details (names, contacts) of these matches; the facts stay for statistics."""
    with store.write() as conn:
        conn.executemany("UPDATE desk_matches SET sealed = NULL WHERE id = ?", [(m,) for m in match_ids])


def forget_closed_details(store: Store, before: int, closed: tuple[str, ...]) -> int:
    """Drop the sealed details of matches closed before ``before``; returns how many."""
    marks = ",".join("?" * len(closed))
    with store.write() as conn:
        return int(conn.execute(
            f"UPDATE desk_matches SET sealed = NULL WHERE sealed IS NOT NULL AND closed_at IS NOT NULL "
            f"AND closed_at < ? AND state IN ({marks})", (before, *closed)).rowcount)


def replace_cards(store: Store, card_ids: list[str], token: str) -> None:
    """Put one random token in place of these card ids (an erasure), on either side."""
    marks = ",".join("?" * len(card_ids))
    with store.write() as conn:
        conn.execute(f"UPDATE desk_matches SET resident = ? WHERE resident IN ({marks})", [token, *card_ids])
        conn.execute(f"UPDATE desk_matches SET helper = ? WHERE helper_kind = 'person' AND helper IN ({marks})",
                     [token, *card_ids])


def move_post(store: Store, old: str, new: str, entry_id: str) -> None:
    """A post re-issued under a successor key: its matches follow it."""
    with store.write() as conn:
        conn.execute("UPDATE desk_matches SET req_author = ? WHERE req_author = ? AND req_id = ?", (new, old, entry_id))
        conn.execute("UPDATE desk_matches SET helper = ? WHERE helper_kind = 'offer' AND helper = ?",
                     (f"{new}|{entry_id}", f"{old}|{entry_id}"))
