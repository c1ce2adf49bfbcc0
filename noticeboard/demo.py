"""A ready-made demo board: one centre in Ezinge and posts from the villages around it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from crypto import vault
from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.contact import Contact
from noticeboard.desk.accounts import add_volunteer, login_coordinator
from noticeboard.geo import Place
from noticeboard.node import Node, PostDraft, Profile
from noticeboard.paths import default_data_dir
from noticeboard.refcode import new_ref
from noticeboard.store import Unlock
from noticeboard.trust import Trust

KEY_FILE = "demo.key"
# To try the desk on the demo board: the coordinator's passphrase and two practice volunteers.
# Demo only: a real node's passphrase is chosen by its coordinator, never written in code.
COORDINATOR_PASSPHRASE = "oefenen in de wierde"
PRACTICE_VOLUNTEERS: tuple[tuple[str, str], ...] = (("Oefen-vrijwilliger Een", "4821"),
                                                    ("Oefen-vrijwilliger Twee", "7395"))
# What a sample resident left to be called back on (a number that is never in use).
DEMO_PHONE = "06-00000000"
HOME = Profile("Dorpshuis De Wierde", Place("Ezinge", 5332, 644), "0594-000000", "ma-vr 9:00-12:00")


@dataclass(frozen=True)
class DemoPost:
    """One sample post, as a resident might have typed it."""

    village: str
    kind: str
    category: str
    title: str
    text: str
    when: str
    hours_ago: int
    # Only kept with the post at its own centre, as a resident's contact; never in the public entry.
    name: str = ""


VILLAGES: dict[str, Place] = {
    "Winsum": Place("Winsum", 5333, 652), "Baflo": Place("Baflo", 5336, 651),
    "Zuidhorn": Place("Zuidhorn", 5325, 641), "Aduard": Place("Aduard", 5326, 646),
    "Leens": Place("Leens", 5336, 638),
}

POSTS: tuple[DemoPost, ...] = (
    DemoPost("Ezinge", "request", "boodschappen", "Medicijnen ophalen bij de apotheek",
             "Ik kan slecht lopen. Wie haalt mijn medicijnen op in Winsum?", "donderdag", 3, "Gerda"),
    DemoPost("Ezinge", "request", "tuin", "Heg knippen", "De heg is te hoog voor mij geworden.",
             "deze maand", 20, "Jan"),
    DemoPost("Ezinge", "offer", "gezelschap", "Koffie drinken en een praatje",
             "Ik kom graag op de koffie bij iemand die het gezellig vindt.", "woensdagmiddag", 30, "Fatima"),
    DemoPost("Ezinge", "offer", "digitaal", "Hulp met telefoon en tablet",
             "Ik leg geduldig uit hoe WhatsApp en videobellen werken.", "zaterdag", 50, "Daan"),
    DemoPost("Winsum", "request", "vervoer", "Mee naar het ziekenhuis", "Ik moet naar het Martini Ziekenhuis "
             "en zie er tegenop om alleen te gaan.", "dinsdag 14 uur", 5, "Henk"),
    DemoPost("Winsum", "offer", "klussen", "Kleine klusjes in huis",
             "Lamp ophangen, kraan vervangen, plankje: ik doe het graag.", "avonden", 26, "Peter"),
    DemoPost("Baflo", "request", "taal", "Nederlands oefenen",
             "Ik woon hier sinds kort en wil graag Nederlands praten.", "elke week", 8, "Amal"),
    DemoPost("Baflo", "offer", "huisdieren", "Hond uitlaten", "Ik loop elke dag en neem uw hond graag mee.",
             "ochtend", 40),
    DemoPost("Zuidhorn", "request", "administratie", "Hulp met een formulier",
             "Ik snap de brief van de gemeente niet goed.", "deze week", 2, "W."),
    DemoPost("Zuidhorn", "offer", "lenen", "Aanhanger te leen", "Voor groenafval of een verhuizing.",
             "in overleg", 70),
    DemoPost("Aduard", "request", "mantelzorg", "Even een middag vrij",
             "Ik zorg voor mijn man. Wie zit een middag bij hem?", "vrijdagmiddag", 12, "Ria"),
    DemoPost("Aduard", "offer", "boodschappen", "Boodschappen meenemen",
             "Ik ga elke dinsdag naar de supermarkt en neem graag iets mee.", "dinsdag", 33, "Kees"),
    DemoPost("Leens", "request", "contact", "Af en toe een telefoontje",
             "Sinds mijn vrouw er niet meer is, is het stil in huis.", "elke week", 16, "Albert"),
    DemoPost("Leens", "offer", "samen", "Samen wandelen", "Rustig wandelen rond het Reitdiep.",
             "zondag", 60, "Ineke"),
)


# The neighbours' variants, for the coordinator's evaluation screen (menu 0): kind of place, matching,
# reciprocity, back-up, channels, and how busy they are.
NEIGHBOUR_VARIANTS: dict[str, tuple[str, str, str, str, tuple[str, ...], int]] = {
    "Winsum": ("village", "desk", "hours", "professional", ("kiosk", "phone"), 30),
    "Baflo": ("countryside", "self", "none", "none", ("kiosk",), 12),
    "Zuidhorn": ("village", "mixed", "counter", "professional", ("kiosk", "phone", "proxy"), 40),
    "Aduard": ("countryside", "desk", "none", "professional", ("phone",), 16),
    "Leens": ("countryside", "self", "counter", "none", ("kiosk", "phone"), 10),
}
DEMO_CATEGORIES = ("boodschappen", "vervoer", "gezelschap", "tuin", "digitaal")


def demo_stats(village: str, month: str) -> dict[str, object]:
    """A neighbour's figures of one month: made up, the same every time, suppressed as the spec says."""
    place, matching, mode, backup, channels, busy = NEIGHBOUR_VARIANTS[village]
    rng = random.Random(f"{village}|{month}")
    cells: dict[str, list[int | str]] = {}
    for category in DEMO_CATEGORIES:
        asked = rng.randrange(busy // 4, busy // 2 + 2)
        matched = round(asked * rng.uniform(0.5, 0.9))
        done = round(matched * rng.uniform(0.7, 1.0))
        helped = round(done * rng.uniform(0.6, 1.0))
        counts = {"requests": asked, "offers": rng.randrange(0, 6), "matched": matched, "done": done,
                  "helped": helped, "feedback": helped + rng.randrange(0, 2), "repeat_pairs": done // 3,
                  "referred": rng.randrange(0, 2), "withdrawn": rng.randrange(0, 3),
                  "unanswered": max(0, asked - matched - 1), "expired": rng.randrange(0, 2), "cancelled": 0}
        cells[category] = [entries.suppressed(counts[n]) for n in entries.STATS_COUNTS]
    helped_people = busy // 2 + rng.randrange(0, 6)
    return {"month": month, "variant": {"matching": matching, "reciprocity": mode, "backup": backup, "place": place,
                                        "channels": list(channels)},
            "categories": cells,
            "figures": {"residents_helped": entries.suppressed(helped_people),
                        "gave_and_got": entries.suppressed(helped_people * rng.randrange(10, 60) // 100),
                        entries.STATS_MEDIAN: rng.randrange(6, 120)}}


def _months_before(now: dt.datetime, count: int) -> list[str]:
    first = now.replace(day=1)
    found = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        found.append(first.strftime("%Y-%m"))
    return found[::-1]


def demo_folder() -> Path:
    """Where ``noticeboard demo`` keeps its board between runs: a fixed folder in the user data folder."""
    return default_data_dir() / "demo"


def build_demo(data_dir: Path, *, now: dt.datetime) -> Path:
    """Create the demo node in data_dir (unlocked by a key file there); return the key file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / KEY_FILE
    vault.write_key_file(key_file, vault.new_key_file_secret())
    unlock = Unlock(key_file_secret=vault.read_key_file(key_file))
    node = Node.create(data_dir, unlock, HOME, now=now)
    with node:
        node.store.set_passphrase(unlock, COORDINATOR_PASSPHRASE)
        coordinator = login_coordinator(node.store, COORDINATOR_PASSPHRASE, now=now)
        for name, pin in PRACTICE_VOLUNTEERS:
            add_volunteer(node.store, coordinator, name, pin, now=now)
        coordinator.end()
        neighbours = {name: NodeKeys.generate() for name in VILLAGES}
        for name, keys in neighbours.items():
            profile = Profile(f"Dorpshuis {name}", VILLAGES[name])
            body = profile.body(keys, b"\0" * 32)
            made = entries.make(keys.signing_seed, keys.node_id, "node", body, now=now)
            node.store.apply(made, now=now)
            # Trusted as if paired, so sync's ingest takes their entries like the board shows them.
            Trust(node).pair(made, "", now=now)
            for month in _months_before(now, 3):
                node.store.apply(entries.make(keys.signing_seed, keys.node_id, "stats", demo_stats(name, month),
                                              now=now, entry_id=entries.stats_id(month)), now=now)
        for post in POSTS:
            when = now - dt.timedelta(hours=post.hours_ago)
            draft = PostDraft(post.kind, post.category, post.title, post.text, post.when, 15)
            if post.village == HOME.place.village:
                contact = Contact.phone(post.name, DEMO_PHONE) if post.name else None
                node.post(draft, contact=contact, now=when)
                continue
            keys = neighbours[post.village]
            body = {"category": post.category, "title": post.title, "text": post.text,
                    "when": {"text": post.when}, "place": VILLAGES[post.village].to_wire(), "reach_km": 15,
                    "status": "open", "ref": new_ref(node.store.ref_in_use), "lang": "nl"}
            node.store.apply(entries.make(keys.signing_seed, keys.node_id, post.kind, body, now=when), now=now)
    return key_file
