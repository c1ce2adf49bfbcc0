"""A month of real desk work for the evaluation tests: intake, matches done, feedback, referrals, withdrawals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard import entry as entries
from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.desk import intake, matches, requests, safeguarding, stats
from noticeboard.desk.evaluation import FROM_DESK
from noticeboard.entry import STATS_COUNTS
from noticeboard.node import PostDraft
from tests.desk.fixtures import Village

H = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Work:
    """How much of each kind of thing to do in one month, for one category."""

    done: int = 6
    helped: int = 5
    open: int = 1
    referred: int = 1
    withdrawn_at_desk: int = 1
    withdrawn_by_cli: int = 1


def do_month(village: Village, start: dt.datetime, category: str = "boodschappen", work: Work = Work(),
             *, tag: str = "") -> dict[str, int]:
    """Requests by phone for Ans and Piotr; Bram and Carla help. Returns what was done, counted here."""
    node, vol = village.node, village.volunteer
    at = start
    said = {"requests": 0, "matched": 0, "done": 0, "helped": 0, "feedback": 0, "referred": 0, "withdrawn": 0}

    def ask(n: int) -> str:
        nonlocal at
        at += H
        said["requests"] += 1
        who = (village.ans, village.piotr)[n % 2]
        made = intake.intake(node, vol, who.id, PostDraft("request", category, f"Vraag {tag}{n} {category}"),
                             channel="phone", now=at)
        return str(made.body["ref"])

    for n in range(work.done):
        ref = ask(n)
        m = matches.propose(node, vol, ref, "person", (village.bram.id, village.carla.id)[n % 2], now=at + H)
        matches.agree(node, vol, m.id, "resident", now=at + 2 * H)
        matches.agree(node, vol, m.id, "helper", now=at + 2 * H)
        matches.done(node, vol, m.id, now=at + 3 * H, note="Fijn geholpen door Bram, bel 0612345678")
        said["matched"] += 1
        said["done"] += 1
        if n < work.helped:
            matches.feedback(node, vol, m.id, happened=True, face="good", note="Heel tevreden, Ans", now=at + 4 * H)
            said["feedback"] += 1
            said["helped"] += 1
    for n in range(work.open):
        ask(100 + n)
    for n in range(work.referred):
        safeguarding.flag(node, village.coordinator, ask(200 + n), "valt vaak, wijkteam bellen", now=at + H)
        said["referred"] += 1
    for n in range(work.withdrawn_at_desk):
        requests.close(node, vol, ask(300 + n), "dubbel ingevoerd", now=at + H)
        said["withdrawn"] += 1
    for n in range(work.withdrawn_by_cli):
        acts.withdraw(node, Actor.service(), ask(400 + n), now=at + H)
        said["withdrawn"] += 1
    return said


def own_cells(rows: list[stats.StatRow], month: str) -> dict[str, list[int | str]]:
    """What a centre's ``stats`` entry must hold per category: its own statistics summed over villages, suppressed."""
    sums: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.month != month:
            continue
        cells = sums.setdefault(row.category, dict.fromkeys(STATS_COUNTS, 0))
        for name, sources in FROM_DESK.items():
            cells[name] += sum(row.counts[s] for s in sources)
    return {code: [entries.suppressed(cells[n]) for n in STATS_COUNTS] for code, cells in sorted(sums.items())}
