"""Follow-up from dates, and the VOG (acceptance 7): a check date in the future is refused; a VOG older than
the setting (default 3 years) blocks a screening-required match with the reason."""

from __future__ import annotations

import datetime as dt

import pytest

from noticeboard.desk import cards, followup, intake, local, matches, matching, requests
from noticeboard.desk.errors import FutureDate, NotAllowed, ScreeningExpired
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, Village


def test_a_vog_date_in_the_future_is_refused(village: Village) -> None:
    store, coord = village.node.store, village.coordinator
    with pytest.raises(FutureDate):
        cards.record_screening(store, coord, village.carla.id, "vog", dt.date(2031, 1, 1), now=T0)
    with pytest.raises(FutureDate):
        cards.add(store, coord, cards.Person("Henk", screening=[cards.Screening("vog", "2031-01-01")]), now=T0)
    cards.record_screening(store, coord, village.carla.id, "vog", T0.date(), now=T0)
    assert cards.load(store, village.carla.id).screened().on == "2026-03-02"  # type: ignore[union-attr]


def test_an_expired_vog_blocks_a_screening_required_match_with_the_reason(village: Village) -> None:
    node, vol, coord = village.node, village.volunteer, village.coordinator
    cards.record_screening(node.store, coord, village.carla.id, "vog", dt.date(2012, 5, 1), now=T0)
    ref = intake.intake(node, vol, village.ans.id, PostDraft("request", "gezelschap", "Koffie"), now=T0).body["ref"]
    found, blocked = matching.suggest(node, vol, ref, now=T0)
    assert [b.key for b in blocked if b.reason.key == "vog_expired"] == [village.carla.id]
    assert "VOG verlopen (gecontroleerd op 2012-05-01, telt 3 jaar)" in [b.reason.text() for b in blocked]
    assert village.carla.id not in [s.key for s in found] and village.bram.id in [s.key for s in found]
    with pytest.raises(ScreeningExpired) as refused:
        matches.propose(node, vol, ref, "person", village.carla.id, now=T0)
    assert refused.value.values == {"on": "2012-05-01", "years": 3}
    # Bram's VOG of 2026-01-15 counts three years: on 2029-01-15 it has run out too.
    later = dt.datetime(2029, 1, 15, 9, tzinfo=dt.UTC)
    with pytest.raises(ScreeningExpired):
        matches.check_helper(node, cards.load(node.store, village.bram.id), "vervoer", later.date())
    with pytest.raises(NotAllowed):
        cards.set_vog_years(node.store, vol, 5, now=T0)
    cards.set_vog_years(node.store, coord, 5, now=T0)
    matches.check_helper(node, cards.load(node.store, village.bram.id), "vervoer", later.date())


def test_follow_up_runs_from_the_days_asked_and_the_appointment(village: Village) -> None:
    node, vol = village.node, village.volunteer
    monday = T0  # 2026-03-02 09:00 UTC
    ride = intake.intake(node, vol, village.ans.id, PostDraft(
        "request", "vervoer", "Naar de huisarts", when="donderdag",
        tags=intake.when_tags("donderdag", ["thu"], [])), now=monday).body["ref"]
    garden = intake.intake(node, vol, village.piotr.id, PostDraft("request", "tuin", "Heg knippen"),
                           now=monday - dt.timedelta(days=4)).body["ref"]
    assert followup.due_date(node.find(ride)) == dt.date(2026, 3, 5)
    tuesday = monday + dt.timedelta(days=1)
    assert [a.ref for a in followup.queue(node, vol, now=tuesday)] == [garden]
    # Wednesday morning, no helper for Thursday's ride: on top.
    wednesday = local.parse_at("2026-03-04 08:30", now=monday)
    queue = followup.queue(node, vol, now=wednesday)
    assert [(a.kind, a.ref) for a in queue][:2] == [("due_soon", ride), ("unanswered", garden)]
    # Friday: the day has passed without help; offered for closing.
    friday = local.parse_at("2026-03-06 10:00", now=monday)
    assert ("past_date", ride) in [(a.kind, a.ref) for a in followup.queue(node, vol, now=friday)]
    requests.close(node, vol, ride, "niet meer nodig", now=friday)
    assert ride not in [a.ref for a in followup.queue(node, vol, now=friday)]

    # An agreed match past its appointment without "done" comes back.
    m = matches.propose(node, vol, garden, "person", village.bram.id, now=monday)
    matches.agree(node, vol, m.id, "resident", now=monday)
    matches.agree(node, vol, m.id, "helper", now=monday)
    matches.appointment(node, vol, m.id, local.parse_at("2026-03-07 10:00", now=monday), now=monday)
    sunday = local.parse_at("2026-03-08 09:00", now=monday)
    assert ("past_appointment", m.id) in [(a.kind, a.subject) for a in followup.queue(node, vol, now=sunday)]
    matches.done(node, vol, m.id, now=sunday, note="heg is mooi")
    assert ("past_appointment", m.id) not in [(a.kind, a.subject) for a in followup.queue(node, vol, now=sunday)]



def test_withdrawn_duplicates_and_referrals_are_counted_apart_from_unanswered(village: Village) -> None:
    from noticeboard.desk import stats

    node, vol = village.node, village.volunteer
    lost = intake.intake(node, vol, village.ans.id, PostDraft("request", "tuin", "Heg knippen"), now=T0)
    twice = intake.intake(node, vol, village.piotr.id, PostDraft("request", "tuin", "Gras maaien"), now=T0)
    requests.close(node, vol, twice.body["ref"], "dubbel ingevoerd", now=T0)
    intake.intake_flagged(node, vol, village.ans.id, PostDraft("request", "tuin", "Tuin en eten"), "eet slecht",
                          now=T0)
    total = stats.compute(node, now=T0 + dt.timedelta(days=5))[-1]
    assert (total.counts["requests"], total.counts["withdrawn"], total.counts["referred"],
            total.counts["unanswered"]) == (3, 1, 1, 1)
    assert lost.body["ref"]
