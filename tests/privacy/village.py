"""A desk village with requests, matches, consent and responses spread over a year, for privacy tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard.desk import intake, matches, safeguarding
from noticeboard.node import Node, PostDraft
from noticeboard.privacy import consent
from tests.desk.fixtures import T0, Village, populate
from tests.privacy.helpers import ANNA, post_for


@dataclass
class History:
    """What happened in the village, by reference code and match id."""

    village: Village
    ans_ref: str
    ans_match: str
    piotr_ref: str
    piotr_match: str
    anna_ref: str
    ans_open_ref: str


def live_a_year(node: Node) -> History:
    """Ans and Piotr ask by phone, Bram and Carla help, Anna posts at the kiosk; consent and health are kept."""
    v = populate(node)
    vol = v.volunteer
    ans_post = intake.intake(node, vol, v.ans.id, PostDraft("request", "boodschappen", "Boodschappen op dinsdag",
                                                            "Melk, brood en de krant"), now=T0)
    consent.record(node.store, consent.post_subject(*ans_post.key), ["store_contact", "share_with_helper", "health"],
                   shared_with=["helper"], recorded_by="volunteer:1", now=T0)
    consent.set_health(node.store, *ans_post.key, "Ans loopt slecht, rollator mee", now=T0)
    piotr_post = intake.intake(node, vol, v.piotr.id, PostDraft("request", "boodschappen", "Koffie en een praatje",
                                                                "Graag op maandag"), now=T0)
    m1 = matches.propose(node, vol, ans_post.body["ref"], "person", v.bram.id, now=T0)
    matches.agree(node, vol, m1.id, "resident", now=T0)
    matches.agree(node, vol, m1.id, "helper", now=T0 + dt.timedelta(hours=2))
    matches.done(node, vol, m1.id, now=T0 + dt.timedelta(days=1), minutes=60)
    matches.feedback(node, vol, m1.id, happened=True, face="good", note="Ans was erg blij met de hulp",
                     now=T0 + dt.timedelta(days=2))
    m2 = matches.propose(node, vol, piotr_post.body["ref"], "person", v.carla.id, now=T0 + dt.timedelta(days=1))
    matches.agree(node, vol, m2.id, "resident", now=T0 + dt.timedelta(days=1))
    matches.agree(node, vol, m2.id, "helper", now=T0 + dt.timedelta(days=1))
    matches.done(node, vol, m2.id, now=T0 + dt.timedelta(days=3), minutes=45)
    safeguarding.flag(node, v.coordinator, piotr_post.body["ref"], "Zorgen om het geheugen van de bewoner",
                      now=T0 + dt.timedelta(days=3))
    anna_ref = post_for(node, ANNA, now=T0 + dt.timedelta(days=4))
    node.respond(node.find(anna_ref), name="Piotr", contact="06-22222222", message="Ik kom langs",
                 now=T0 + dt.timedelta(days=5))
    ans_open = intake.intake(node, vol, v.ans.id, PostDraft("request", "boodschappen", "Naar de apotheek",
                                                            "Medicijnen ophalen"), now=T0 + dt.timedelta(days=5))
    consent.record(node.store, consent.post_subject(*ans_open.key), ["store_contact", "health"],
                   recorded_by="volunteer:1", now=T0 + dt.timedelta(days=5))
    consent.set_health(node.store, *ans_open.key, "Ans is slechtziend", now=T0 + dt.timedelta(days=5))
    return History(v, ans_post.body["ref"], m1.id, piotr_post.body["ref"], m2.id, anna_ref, ans_open.body["ref"])
