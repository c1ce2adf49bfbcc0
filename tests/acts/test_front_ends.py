"""The same act from every front end that offers it gives the same rows, consent record and audit line.

Front ends: the kiosk and the staff screens (real Textual apps driven by Pilot), the desk's
commands (``noticeboard block``, with the coordinator's login) and the node commands
(``noticeboard peers ...``, ``post``, ``respond``), all through ``noticeboard.cli.main``.
Only who did it differs: the actor each front end names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from noticeboard.acts import centres
from noticeboard.acts.actor import Actor
from noticeboard.app.kiosk.app import make_app
from noticeboard.app.kiosk.post import DoneScreen
from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.dialogs import ReasonModal
from noticeboard.app.staff.home import MENU
from noticeboard.app.staff.peers import PeersScreen
from noticeboard.categories import URGENCY
from noticeboard.clock import utcnow
from noticeboard.desk import audit
from noticeboard.i18n import t
from noticeboard.node import Node, PostDraft
from noticeboard.privacy import consent
from tests.app.support import settle, type_text
from tests.desk.fixtures import PASSPHRASE, Village
from tests.desk.staff_support import Clock
from tests.support import NodeDir
from tests.sync.helpers import line_node, trust_directly

SIZE = (110, 40)
COORDINATOR = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}

Run = Callable[[NodeDir, Village, str], Awaitable[None]]


# ---- what an act leaves behind ----------------------------------------------------------------


def audit_of(node: Node, village: Village, subject: str) -> list[tuple[str, str, dict[str, Any]]]:
    lines = audit.read(node.store, village.coordinator, now=utcnow(), subject=subject)
    return [(r.actor, r.act, r.details) for r in reversed(lines)]


def centre_rows(node: Node, village: Village, other: str) -> dict[str, Any]:
    """Everything a block, unblock or trust changes, without times and actors."""
    with node.store.read() as conn:
        peer = conn.execute("SELECT state, vouch_id IS NOT NULL FROM peers WHERE node_id = ?", (other,)).fetchone()
        blocks = conn.execute("SELECT node FROM desk_blocks").fetchall()
        hidden = conn.execute("SELECT author, id FROM hidden").fetchall()
    # Centre B has a new key in each run: name it "B".
    def name(node_id: str) -> str:
        return "B" if node_id == other else node_id

    return {"peer": tuple(peer), "blocks": [name(n) for (n,) in blocks], "hidden": [(name(a), i) for a, i in hidden],
            "entries": sorted(e.type for e in node.store.entries(author=other)),
            "audit": [(act, details) for _, act, details in audit_of(node, village, other)]}


# ---- the other centre -------------------------------------------------------------------------


def neighbour(nd: NodeDir, village: Village, tmp: Any, *, trusted: bool = True, blocked: bool = False) -> str:
    """Centre B, with one post that reached us; trusted (paired) or only seen."""
    with line_node(tmp, "B").open() as other:
        post = other.post(PostDraft("offer", "tuin", "Tuinhulp", "Ik maai uw gras."))
        if trusted:
            trust_directly(village.node, other)
        else:
            village.node.store.apply(other.profile_entry(), now=utcnow())
            body = other.profile_entry().body
            from noticeboard.trust import Trust
            Trust(village.node).note_seen(other.node_id, body["name"], "", b"")
        village.node.store.apply(post, now=utcnow())
        node_id = other.node_id
    if blocked:
        centres.block_centre(village.node, Actor.coordinator(), node_id, "spam", now=utcnow())
    return node_id


async def on_peers_screen(village: Village, keys: Callable[[Pilot[None]], Awaitable[None]]) -> None:
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock(utcnow())))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "")
        await pilot.press("enter")
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(dict((item, key) for key, item in MENU)["peers"])
        await settle(pilot)
        assert isinstance(app.screen, PeersScreen)
        await keys(pilot)
        await settle(pilot)


def with_reason(key: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def press(pilot: Pilot[None]) -> None:
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReasonModal)
        await type_text(pilot, "spam")
        await pilot.press("enter")
    return press


async def just(pilot: Pilot[None], key: str = "t") -> None:
    await pilot.press(key)


def cli(nd: NodeDir, *args: str, env: dict[str, str] | None = None) -> None:
    result = nd.cli(*args, env=env)
    assert result.code == 0, result.err


# ---- block, unblock, trust ----------------------------------------------------------------------


async def block_desk_cli(nd: NodeDir, village: Village, other: str) -> None:
    cli(nd, "block", "--reason", "spam", "--", other, env=COORDINATOR)


async def block_peers_cli(nd: NodeDir, village: Village, other: str) -> None:
    cli(nd, "peers", "block", "--reason", "spam", "--", other)


async def block_staff(nd: NodeDir, village: Village, other: str) -> None:
    await on_peers_screen(village, with_reason("b"))


async def unblock_desk_cli(nd: NodeDir, village: Village, other: str) -> None:
    cli(nd, "unblock", "--reason", "spam", "--", other, env=COORDINATOR)


async def unblock_peers_cli(nd: NodeDir, village: Village, other: str) -> None:
    cli(nd, "peers", "unblock", "--reason", "spam", "--", other)


async def unblock_staff(nd: NodeDir, village: Village, other: str) -> None:
    await on_peers_screen(village, with_reason("u"))


async def trust_peers_cli(nd: NodeDir, village: Village, other: str) -> None:
    cli(nd, "peers", "trust", "--", other)


async def trust_staff(nd: NodeDir, village: Village, other: str) -> None:
    await on_peers_screen(village, just)


CENTRE_ACTS = {
    "block": ([(block_desk_cli, "coordinator"), (block_peers_cli, "system"), (block_staff, "coordinator")],
              {"trusted": True}),
    "unblock": ([(unblock_desk_cli, "coordinator"), (unblock_peers_cli, "system"), (unblock_staff, "coordinator")],
                {"trusted": True, "blocked": True}),
    "trust": ([(trust_peers_cli, "system"), (trust_staff, "coordinator")], {"trusted": False}),
}


@pytest.mark.parametrize("act", sorted(CENTRE_ACTS))
async def test_centre_acts_leave_the_same_rows_from_every_front_end(act: str, tmp_path: Any) -> None:
    from tests.desk.fixtures import make_desk_node, populate

    runs, setup = CENTRE_ACTS[act]
    results: list[dict[str, Any]] = []
    for n, (run, actor) in enumerate(runs):
        nd = make_desk_node(tmp_path / str(n))
        with nd.open() as node:
            village = populate(node, now=utcnow())
            other = neighbour(nd, village, tmp_path / str(n), **setup)
            await run(nd, village, other)
            rows = centre_rows(node, village, other)
            last = audit_of(node, village, other)[-1]
        assert last[0] == actor, f"{run.__name__} names {last[0]}"
        results.append(rows)
    first = results[0]
    for run_and_actor, rows in zip(runs[1:], results[1:], strict=True):
        assert rows == first, run_and_actor[0].__name__
    expected = {
        "block": {"peer": ("blocked", 0), "blocks": ["B"], "hidden": [("B", "*")], "entries": [],
                  "audit": [("block", {"reason": "spam"})]},
        # Unblocked entirely: seen (until paired again), no desk record, nothing hidden.
        "unblock": {"peer": ("seen", 0), "blocks": [], "hidden": [], "entries": [],
                    "audit": [("block", {"reason": "spam"}), ("unblock", {"reason": "spam"})]},
        "trust": {"peer": ("trusted", 1), "blocks": [], "hidden": [], "entries": ["node", "offer"],
                  "audit": [("peer_trusted", {})]},
    }[act]
    assert first == expected


# ---- post with contact, respond ----------------------------------------------------------------


TITLE = "Wie doet boodschappen voor mij?"


def post_rows(node: Node, village: Village, ref: str) -> dict[str, Any]:
    made = node.find_own(ref)
    [given] = consent.consents(node.store, consent.post_subject(*made.key))
    [(actor, act, details)] = audit_of(node, village, ref)
    body = {k: v for k, v in made.body.items() if k not in ("ref", "name")}
    return {"body": body, "contact": node.store.contact(*made.key),
            "consent": (given.purposes, given.wording, given.shared_with, given.recorded_by),
            "audit": (actor, act, details)}


async def post_kiosk(nd: NodeDir, village: Village) -> str:
    app = make_app(village.node, clock=utcnow)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1", "1", "1")  # need help, groceries, ready-made sentence, soon, call me
        await settle(pilot)
        await type_text(pilot, "Gerda")
        await pilot.press("enter")
        await type_text(pilot, "0612345678")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")  # Plaatsen, on the check screen
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen) and app.screen.owner_code
        return str(app.screen.post.body["ref"])


async def post_cli(nd: NodeDir, village: Village) -> str:
    result = nd.cli("post", "request", "--category", "boodschappen", "--title", TITLE, "--urgency", URGENCY[0],
                    "--when", t(f"kiosk.when.request.{URGENCY[0]}"), "--name", "Gerda", "--contact", "0612345678")
    assert result.code == 0, result.err
    return result.out.split("De code is ")[1].split(".")[0]


async def test_post_with_contact_is_the_same_from_the_kiosk_and_the_command_line(tmp_path: Any) -> None:
    from tests.desk.fixtures import make_desk_node, populate

    results = {}
    for name, run in (("kiosk", post_kiosk), ("cli", post_cli)):
        nd = make_desk_node(tmp_path / name)
        with nd.open() as node:
            village = populate(node, now=utcnow())
            results[name] = post_rows(node, village, await run(nd, village))
    kiosk, command = results["kiosk"], results["cli"]
    # Who did it is the only difference; the actor names it in both the consent and the audit line.
    assert kiosk["consent"][3] == kiosk["audit"][0] == "kiosk"
    assert command["consent"][3] == command["audit"][0] == "system"
    for rows in (kiosk, command):
        rows["consent"] = rows["consent"][:3]
        rows["audit"] = rows["audit"][1:]
    assert kiosk == command
    assert kiosk["consent"] == (("store_contact",), consent.WORDING_VERSION, ())
    assert kiosk["audit"] == ("post", {"kind": "request"})
    assert kiosk["body"]["title"] == TITLE


def response_rows(node: Node, village: Village, ref: str) -> dict[str, Any]:
    made = node.find_own(ref)
    [kept] = node.store.responses(*made.key)
    [(actor, act, details)] = [line for line in audit_of(node, village, ref) if line[1] == "respond"]
    [given] = consent.consents(node.store, details["kept"])
    assert details["kept"] == f"response|{kept['rid']}"
    row = {k: v for k, v in kept.items() if k not in ("rid", "created")}
    return {"response": row, "consent": (given.purposes, given.recorded_by), "audit": (actor, act)}


async def respond_kiosk(nd: NodeDir, village: Village, ref: str) -> None:
    from noticeboard.app.kiosk.board import BoardScreen, HelpScreen

    app = make_app(village.node, clock=utcnow)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await type_text(pilot, "Sanne")
        await pilot.press("enter")
        await type_text(pilot, "0698765432")
        await pilot.press("enter")
        await settle(pilot)


async def respond_cli(nd: NodeDir, village: Village, ref: str) -> None:
    cli(nd, "respond", ref, "--message", "", "--name", "Sanne", "--contact", "0698765432")


async def test_respond_is_the_same_from_the_kiosk_and_the_command_line(tmp_path: Any) -> None:
    from tests.desk.fixtures import make_desk_node, populate

    results = {}
    for name, run in (("kiosk", respond_kiosk), ("cli", respond_cli)):
        nd = make_desk_node(tmp_path / name)
        with nd.open() as node:
            village = populate(node, now=utcnow())
            ref = node.post(PostDraft("request", "tuin", "Heg knippen"), now=utcnow() - dt.timedelta(minutes=1))
            await run(nd, village, ref.body["ref"])
            results[name] = response_rows(node, village, ref.body["ref"])
    kiosk, command = results["kiosk"], results["cli"]
    assert kiosk["consent"][1] == kiosk["audit"][0] == "kiosk"
    assert command["consent"][1] == command["audit"][0] == "system"
    # The post's id and author differ per node; what was kept about the helper does not.
    for rows in (kiosk, command):
        rows["response"].pop("re")
        rows["response"].pop("id")
        rows["response"].pop("author")
    assert kiosk["response"] == command["response"] == {"kind": "response", "name": "Sanne",
                                                        "contact": "0698765432", "message": "", "via": "local"}
    assert kiosk["consent"][0] == command["consent"][0] == ("store_contact",)
    assert kiosk["audit"][1] == command["audit"][1] == "respond"
