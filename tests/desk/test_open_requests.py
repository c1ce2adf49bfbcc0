"""Open requests (acceptance 6): `requests --open` lists every open request of this centre, and the desk
reaches each of them from "Open vragen" without the follow-up timer; the appointment goes on the match."""

from __future__ import annotations

import datetime as dt
import re

from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.matches import SuggestScreen
from noticeboard.app.staff.requests import OpenRequestsScreen
from noticeboard.desk import audit, intake, local, matches, requests, safeguarding
from noticeboard.node import PostDraft
from tests.desk.fixtures import PIN, T0, NodeDir, Village
from tests.desk.staff_support import Clock, settle, table_rows, type_text


def _four_requests(village: Village) -> list[str]:
    node, vol = village.node, village.volunteer
    refs = [intake.intake(node, vol, who.id, PostDraft("request", cat, title), now=T0 + dt.timedelta(minutes=n))
            .body["ref"] for n, (who, cat, title) in enumerate(((village.ans, "vervoer", "Naar de huisarts"),
                                                               (village.piotr, "boodschappen", "Boodschappen"),
                                                               (village.ans, "tuin", "Heg knippen")))]
    refs.append(intake.intake_flagged(node, vol, village.piotr.id, PostDraft("request", "huishouden", "Douchen"),
                                      "valt vaak", now=T0 + dt.timedelta(minutes=5)))
    done = intake.intake(node, vol, village.ans.id, PostDraft("request", "gezelschap", "Koffie"), now=T0)
    m = matches.propose(node, vol, done.body["ref"], "person", village.bram.id, now=T0)
    matches.agree(node, vol, m.id, "resident", now=T0)
    matches.agree(node, vol, m.id, "helper", now=T0)
    matches.done(node, vol, m.id, now=T0)
    return refs


def test_requests_lists_every_open_request_with_age_suggestions_and_match(village: Village, desk_dir: NodeDir) -> None:
    node, vol = village.node, village.volunteer
    refs = _four_requests(village)
    m = matches.propose(node, vol, refs[0], "person", village.bram.id, now=T0)
    at = local.parse_at("2026-03-05 14:00", now=T0)
    matches.appointment(node, vol, m.id, at, now=T0)
    later = T0 + dt.timedelta(days=2)
    found = requests.open_requests(node, vol, now=later)
    assert [r.ref for r in found] == refs
    first = found[0]
    assert (first.age_days, first.match_state, first.match_id, first.appointment) == (2, "proposed", m.id, at)
    assert found[1].suggestions == 3  # Bram, Carla and Eva shop (Dirk is paused)
    assert found[3].flagged and found[3].title != "Douchen"
    everything = requests.open_requests(node, vol, now=later, everything=True)
    assert len(everything) == 5
    assert audit.read(node.store, village.coordinator, now=later, limit=1)[0].act == "requests_list"
    node.close()
    # From the terminal, today: two new requests (those of March have expired by now) and the zorgsignaal.
    pin = {"NOTICEBOARD_PIN": PIN}
    new = [re.findall(r"BH-\w{4}", desk_dir.cli("intake", "--as", "1", "--for", village.ans.id, "--category",
                                                 cat, "--title", title, env=pin).out)[0]
           for cat, title in (("tuin", "Gras maaien"), ("vervoer", "Naar de markt"))]
    out = desk_dir.cli("requests", "--open", "--as", "1", env=pin).out
    listed = re.findall(r"BH-\w{4}", out)
    # Oldest first; the two new ones may share their second, then they go by code.
    assert listed[0] == refs[3] and sorted(listed[1:]) == sorted(new)
    assert "zorgsignaal" in out and "Douchen" not in out and "Gras maaien" in out
    m2 = re.findall(r"M-\w{6}", desk_dir.cli("match", "propose", new[1], "--person", village.bram.id, "--as", "1",
                                             env=pin).out)[0]
    appointment = desk_dir.cli("match", "appointment", m2, "--at", "2026-12-24 10:30", "--as", "1", env=pin)
    assert appointment.code == 0 and "2026-12-24 10:30" in appointment.out
    assert "afspraak 2026-12-24 10:30" in desk_dir.cli("requests", "--as", "1", env=pin).out


async def test_the_desk_reaches_each_open_request_without_the_timer(village: Village) -> None:
    refs = _four_requests(village)
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "1")
        await pilot.press("enter")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, OpenRequestsScreen)
        assert [row[0] for row in table_rows(app, "#requests")] == refs
        for n, ref in enumerate(refs[:3]):
            if n:
                await pilot.press("down")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, SuggestScreen) and app.screen.ref == ref
            await pilot.press("escape")
            await settle(pilot)
        # Propose from there, then the appointment from the list.
        await pilot.press("up", "up", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        (m,) = [x for x in matches.all_matches(village.node) if x.ref == refs[0]]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OpenRequestsScreen)
        assert table_rows(app, "#requests")[0][5] == "voorgesteld"
        await pilot.press("a")
        await type_text(pilot, "2026-03-05 14:00")
        await pilot.press("enter")
        await settle(pilot)
        assert matches.get(village.node, m.id).appointment == local.parse_at("2026-03-05 14:00", now=T0)
        assert table_rows(app, "#requests")[0][6] == "2026-03-05 14:00"
        # A volunteer sees the zorgsignaal listed, never its text.
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert "Douchen" not in str(app.screen.query_one("#detail").render())
    assert safeguarding.flagged_by_ref(village.node, refs[3]) is not None
