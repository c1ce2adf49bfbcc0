"""The follow-up queue: unanswered requests, unconfirmed proposals, done without feedback, each with its age."""

from __future__ import annotations

import datetime as dt

from noticeboard.desk import followup, intake, matches
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, Village

D = dt.timedelta(days=1)


def test_queue_lists_what_waits_too_long_oldest_first(village: Village) -> None:
    node, vol = village.node, village.volunteer
    quiet = intake.intake(node, vol, village.ans.id, PostDraft("request", "tuin", "Heg knippen"), now=T0).body["ref"]
    waiting = intake.intake(node, vol, village.piotr.id, PostDraft("request", "boodschappen", "Boodschappen"),
                            now=T0 + D).body["ref"]
    proposal = matches.propose(node, vol, waiting, "person", village.carla.id, now=T0 + D)
    done_ref = intake.intake(node, vol, village.ans.id, PostDraft("request", "vervoer", "Naar de markt"),
                             now=T0 + D).body["ref"]
    m = matches.propose(node, vol, done_ref, "person", village.bram.id, now=T0 + D)
    matches.agree(node, vol, m.id, "resident", now=T0 + D)
    matches.agree(node, vol, m.id, "helper", now=T0 + D)
    matches.done(node, vol, m.id, now=T0 + 2 * D)
    fresh = intake.intake(node, vol, village.ans.id, PostDraft("request", "tuin", "Gras maaien"),
                          now=T0 + 4 * D).body["ref"]
    items = followup.queue(node, vol, now=T0 + 5 * D)
    assert [(i.kind, i.ref, i.age_days) for i in items] == [
        ("unanswered", quiet, 5), ("unconfirmed", waiting, 4), ("no_feedback", done_ref, 3)]
    assert fresh not in [i.ref for i in items]
    matches.feedback(node, vol, m.id, happened=True, face="good", now=T0 + 5 * D)
    matches.cancel(node, vol, proposal.id, now=T0 + 5 * D)
    node.respond(node.find(quiet), name="Kees", contact="06-12121212", now=T0 + 5 * D)
    assert [(i.kind, i.ref) for i in followup.queue(node, vol, now=T0 + 5 * D)] == [("unanswered", waiting)]


def test_flagged_requests_wait_in_the_coordinators_queue_only(village: Village) -> None:
    from noticeboard.desk import safeguarding

    node = village.node
    ref = intake.intake(node, village.volunteer, village.ans.id, PostDraft("request", "huishouden", "Hulp in huis"),
                        now=T0).body["ref"]
    safeguarding.flag(node, village.volunteer, ref, "zorgsignaal", now=T0 + D)
    assert [i.kind for i in followup.queue(node, village.volunteer, now=T0 + 2 * D)] == []
    items = followup.queue(node, village.coordinator, now=T0 + 2 * D)
    assert [(i.kind, i.ref, i.age_days) for i in items] == [("flagged", ref, 1)]
