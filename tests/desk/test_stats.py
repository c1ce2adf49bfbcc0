"""Statistics on a fixture equal hand-computed values; the CSV export holds no personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from noticeboard.contact import Contact
from noticeboard.desk import intake, matches, reciprocity, stats
from noticeboard.desk.cards import Person
from noticeboard.node import PostDraft
from tests.desk.fixtures import T0, Village

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
NOW = T0 + 10 * D
TITLES = ("Naar de fysiotherapeut", "Zware tassen dragen", "Heg snoeien graag", "Melk en brood halen",
          "Weer naar de fysio", "Fietsenrek repareren")
NOTES = ("Heel fijn geholpen", "Was een beetje laat")


def _agree_and_done(village: Village, m: matches.Match, agreed: dt.datetime, done: dt.datetime | None) -> None:
    matches.agree(village.node, village.volunteer, m.id, "resident", now=agreed)
    matches.agree(village.node, village.volunteer, m.id, "helper", now=agreed)
    if done is not None:
        matches.done(village.node, village.volunteer, m.id, now=done)


@pytest.fixture
def story(village: Village) -> Village:
    """March 2026 in Ezinge: five requests, one offer, three matches done, one cancelled."""
    node, vol = village.node, village.volunteer

    def ask(who: Person, category: str, title: str, at: dt.datetime, channel: str = "phone") -> str:
        return intake.intake(node, vol, who.id, PostDraft("request", category, title), channel=channel,
                             now=at).body["ref"]

    # R1 phone, vervoer: proposed after 2 h, agreed after 5 h, done next day, feedback yes/good.
    r1 = ask(village.ans, "vervoer", TITLES[0], T0)
    m1 = matches.propose(node, vol, r1, "person", village.bram.id, now=T0 + 2 * H)
    _agree_and_done(village, m1, T0 + 5 * H, T0 + D)
    matches.feedback(node, vol, m1.id, happened=True, face="good", note=NOTES[0], now=T0 + 2 * D)
    # R2 proxy, boodschappen: proposed after 4 h, then cancelled.
    r2 = ask(village.piotr, "boodschappen", TITLES[1], T0 + H, channel="proxy")
    m2 = matches.propose(node, vol, r2, "person", village.carla.id, now=T0 + 5 * H)
    matches.cancel(node, vol, m2.id, now=T0 + D)
    # R3 at the kiosk, tuin: nobody answers.
    node.post(PostDraft("request", "tuin", TITLES[2], name="Ans"), contact=Contact.phone("", "0594-111111"), now=T0 + 2 * H)
    # R4 phone, boodschappen: Eva from Winsum (cross-village), proposed after 3 h, agreed after 6 h, done.
    r4 = ask(village.ans, "boodschappen", TITLES[3], T0 + D)
    m4 = matches.propose(node, vol, r4, "person", village.eva.id, now=T0 + D + 3 * H)
    _agree_and_done(village, m4, T0 + D + 6 * H, T0 + 3 * D)
    matches.feedback(node, vol, m4.id, happened=True, face="ok", note=NOTES[1], now=T0 + 4 * D)
    # R5 phone, vervoer: Bram again for Ans (a repeat pair), proposed after 1 h, agreed after 3 h, done.
    r5 = ask(village.ans, "vervoer", TITLES[4], T0 + 3 * D)
    m5 = matches.propose(node, vol, r5, "person", village.bram.id, now=T0 + 3 * D + H)
    _agree_and_done(village, m5, T0 + 3 * D + 3 * H, T0 + 4 * D)
    # An offer at the kiosk, and Ans giving Eva half an hour back.
    node.post(PostDraft("offer", "klussen", TITLES[5], name="Bram"), now=T0)
    reciprocity.transfer(node.store, vol, village.eva.id, village.ans.id, 30, now=T0 + 5 * D)
    return village


def _row(rows: list[stats.StatRow], category: str) -> stats.StatRow:
    return next(r for r in rows if r.category == category)


def test_statistics_equal_hand_computed_values(story: Village) -> None:
    rows = stats.compute(story.node, now=NOW)
    assert [(r.village, r.category, r.month) for r in rows] == [
        ("Ezinge", "boodschappen", "2026-03"), ("Ezinge", "klussen", "2026-03"), ("Ezinge", "tuin", "2026-03"),
        ("Ezinge", "vervoer", "2026-03"), ("*", "*", "*")]
    shop = _row(rows, "boodschappen")
    assert {k: v for k, v in shop.counts.items() if v} == {
        "requests_phone": 1, "requests_proxy": 1, "requests": 2, "first_responses": 2, "agreed": 1, "done": 1,
        "cancelled": 1, "cross_village": 1, "feedback": 1, "helped_yes": 1, "face_ok": 1}
    assert shop.figures["median_hours_first_response"] == 3.5      # R2 4 h, R4 3 h
    assert shop.figures["median_hours_match"] == 6.0               # R4 only
    assert shop.figures["unanswered_expired_rate"] == 0.0
    assert shop.figures["cross_village_share"] == 1.0
    garden = _row(rows, "tuin")
    assert {k: v for k, v in garden.counts.items() if v} == {"requests_kiosk": 1, "requests": 1, "unanswered": 1}
    assert garden.figures["unanswered_expired_rate"] == 1.0
    assert garden.figures["median_hours_first_response"] is None
    drive = _row(rows, "vervoer")
    assert {k: v for k, v in drive.counts.items() if v} == {
        "requests_phone": 2, "requests": 2, "first_responses": 2, "agreed": 2, "done": 2, "repeat_pairs": 1,
        "feedback": 1, "helped_yes": 1, "face_good": 1}
    assert drive.figures["median_hours_first_response"] == 1.5     # R1 2 h, R5 1 h
    assert drive.figures["median_hours_match"] == 4.0              # R1 5 h, R5 3 h
    assert drive.figures["cross_village_share"] == 0.0
    assert _row(rows, "klussen").counts["offers_kiosk"] == 1
    total = rows[-1]
    assert (total.counts["requests"], total.counts["agreed"], total.counts["done"]) == (5, 3, 3)
    assert total.figures["median_hours_first_response"] == 2.5     # 2, 4, 3, 1
    assert total.figures["median_hours_match"] == 5.0              # 5, 6, 3
    assert total.figures["unanswered_expired_rate"] == 0.2         # R3 of five
    assert total.figures["cross_village_share"] == 0.333           # R4 of three agreed
    assert total.figures["active_helpers_90d"] == 2                # Bram and Eva; Carla never agreed
    assert total.figures["registered_helpers"] == 4                # Bram, Carla, Dirk (paused) and Eva
    assert total.figures["reciprocity_share"] == 1.0               # Ans received and gave time back


def test_expired_requests_count_once_they_pass_their_expiry(story: Village) -> None:
    total = stats.compute(story.node, now=T0 + 20 * D)[-1]
    # R2 (cancelled, never agreed) and R3 (kiosk, unanswered) both expired after 14 days.
    assert (total.counts["unanswered"], total.counts["expired"]) == (1, 2)
    assert total.figures["unanswered_expired_rate"] == 0.4


def test_csv_holds_no_name_phone_address_or_free_text(story: Village) -> None:
    text = stats.to_csv(stats.compute(story.node, now=NOW))
    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == stats.COLUMNS and len(table) == 6
    people = (story.ans, story.piotr, story.bram, story.carla, story.dirk, story.eva)
    forbidden = [p.first_name for p in people] + [p.phone for p in people] + [p.address for p in people]
    forbidden += [p.id for p in people] + list(TITLES) + list(NOTES) + ["Greet", "graag dezelfde helper"]
    for word in forbidden:
        assert word not in text, word
    for cell in (c for row in table[1:] for c in row[3:]):
        assert cell == "" or float(cell) >= 0


def test_statistics_pick_up_kiosk_responses(story: Village) -> None:
    garden = next(e for e in story.node.store.entries(types=["request"]) if e.body["category"] == "tuin")
    story.node.respond(garden, name="Kees", contact="06-12121212", now=T0 + 5 * H)
    row = _row(stats.compute(story.node, now=NOW), "tuin")
    assert row.counts["first_responses"] == 1 and row.counts["unanswered"] == 0
    assert row.figures["median_hours_first_response"] == 3.0
