"""Acts on posts: post (with contact and consent), respond ("I can help", with consent), withdraw.

Each writes its change, its audit line and its consent record in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from noticeboard.acts import owner
from noticeboard.acts.actor import Actor, Kind
from noticeboard.acts.errors import ConsentNeeded, OwnerCodeNeeded
from noticeboard.contact import Contact
from noticeboard.desk import audit
from noticeboard.entry import Entry
from noticeboard.node import Node, NotFound, PostDraft
from noticeboard.privacy import consent


@dataclass(frozen=True)
class Posted:
    """A new post, and for a resident its wijzigcode: show it once, with the reference code."""

    entry: Entry
    owner_code: str | None


@dataclass(frozen=True)
class Responded:
    """An "I can help": kept here (``rid``) for our own post, or ``sealed`` to the post's centre."""

    post: Entry
    sealed: Entry | None
    rid: str | None


def post(node: Node, actor: Actor, draft: PostDraft, *, contact: Contact | None = None, agreed: bool = False,
         now: dt.datetime, code_cost: owner.CodeCost | None = None) -> Posted:
    """Sign and store a request or offer; keep its contact sealed here with the person's consent.

    ``agreed`` says the person agreed (on the screen that showed the consent sentence, or to
    the volunteer) that their details are kept here; personal details without it are refused.
    A resident's post gets a wijzigcode, needed to withdraw it at the kiosk.
    """
    if contact is not None and contact.personal and not agreed:
        raise ConsentNeeded()
    code = owner.new_code() if actor.kind is Kind.RESIDENT else None
    with node.store.write() as conn:
        made = node.post(draft, contact=contact, now=now)
        if contact is not None and contact.personal:
            consent.record(node.store, consent.post_subject(*made.key), ["store_contact"], now=now,
                           recorded_by=actor.audit_name)
        if code is not None:
            owner.keep(node.store, conn, made.key, code, code_cost or owner.CodeCost())
        audit.record(node.store, conn, actor.audit_name, "post", made.body["ref"], now=now,
                     details={"kind": made.type})
    return Posted(made, code)


def respond(node: Node, actor: Actor, post: Entry, *, name: str, contact: str, message: str = "",
            agreed: bool = False, now: dt.datetime) -> Responded:
    """Say "I can help" on a post: kept here for ours, sealed to the post's home centre otherwise.

    ``agreed`` says the helper agreed that their name and contact go to the post's centre (or
    stay here, for our own posts); without it nothing is kept or sent.
    """
    if post.type not in ("request", "offer"):
        raise NotFound(str(post.body.get("ref", "")))
    if not agreed:
        raise ConsentNeeded()
    name, contact = name.strip(), contact.strip()
    rid = uuid.uuid4().hex if post.author == node.node_id else None
    with node.store.write() as conn:
        sealed = node.respond(post, name=name, contact=contact, message=message.strip(), now=now, rid=rid)
        if sealed is not None:
            # We cannot open what we sealed for the other centre: this record is how an access
            # request or an erasure here still finds it.
            consent.record_sent_response(node.store, sealed, name=name, contact=contact, now=now,
                                         recorded_by=actor.audit_name)
            subject = consent.message_subject(*sealed.key)
        else:
            consent.record(node.store, f"response|{rid}", ["store_contact"], now=now, recorded_by=actor.audit_name)
            subject = f"response|{rid}"
        audit.record(node.store, conn, actor.audit_name, "respond", post.body["ref"], now=now,
                     details={"kept": subject})
    return Responded(post, sealed, rid)


def withdraw(node: Node, actor: Actor, ref: str, *, owner_code: str | None = None, now: dt.datetime) -> Entry:
    """Withdraw one of our posts: a tombstone erases it here and everywhere it went.

    A resident needs the post's wijzigcode (wrong ones count toward a lockout); staff and the
    service withdraw without it. Every withdrawal is in the audit log. Returns the tombstone.
    """
    current = node.find_own(ref)
    if actor.kind is Kind.RESIDENT:
        if not owner_code:
            raise OwnerCodeNeeded()
        # Outside the act's transaction: a wrong code must stay counted when the act is refused.
        owner.check(node.store, current.key, owner_code, ref=current.body["ref"], actor=actor.audit_name, now=now)
    with node.store.write() as conn:
        made = node.withdraw(current.body["ref"], now=now)
        owner.forget(conn, current.key)
        audit.record(node.store, conn, actor.audit_name, "withdraw", current.body["ref"], now=now,
                     details={"kind": current.type, "with_code": actor.kind is Kind.RESIDENT})
    return made
