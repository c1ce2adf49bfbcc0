"""A small village desk: a node with a passphrase, volunteers, residents and helpers, pinned clocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from crypto import vault
from noticeboard.desk import accounts, cards
from noticeboard.desk.session import Session
from noticeboard.geo import Place
from noticeboard.node import Node, Profile
from noticeboard.store import Unlock
from tests.support import FAST_SCRYPT, NodeDir

PASSPHRASE = "wierde-coordinator-2026"
PIN = "4711"
CHEAP_PIN = accounts.PinCost(n=2**8)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def make_desk_node(root: Path, name: str = "Dorpshuis De Wierde", village: str = "Ezinge",
                   lat_cdeg: int = 5332, lon_cdeg: int = 644) -> NodeDir:
    """A node unlocked by a key file that also has the coordinator's passphrase."""
    data_dir = root / name.replace(" ", "_")
    data_dir.mkdir(parents=True)
    key_file = data_dir / "node.key"
    vault.write_key_file(key_file, vault.new_key_file_secret())
    nd = NodeDir(data_dir, key_file)
    unlock = Unlock(passphrase=PASSPHRASE, key_file_secret=vault.read_key_file(key_file))
    Node.create(data_dir, unlock, Profile(name, Place(village, lat_cdeg, lon_cdeg), "0594-000000"),
                now=T0 - dt.timedelta(days=30), scrypt=FAST_SCRYPT).close()
    return nd


@dataclass
class Village:
    """The fixture: who is in the card index of Ezinge."""

    node: Node
    coordinator: Session
    volunteer: Session
    volunteer_number: int
    ans: cards.Person       # resident, Dutch, wants the same helper
    piotr: cards.Person     # resident, speaks Polish
    bram: cards.Person      # helper, VOG checked, drives, Tuesday afternoons
    carla: cards.Person     # helper, no VOG, shopping and company, Polish
    dirk: cards.Person      # helper, VOG checked, paused until 2026-03-10
    eva: cards.Person       # helper in Winsum, VOG checked, shopping, Tuesday


def populate(node: Node, *, now: dt.datetime = T0) -> Village:
    """Fill the card index with the fixture people and one volunteer account."""
    coordinator = accounts.login_coordinator(node.store, PASSPHRASE, now=now)
    number = accounts.add_volunteer(node.store, coordinator, "Greet", PIN, now=now, cost=CHEAP_PIN)
    volunteer = accounts.login_volunteer(node.store, number, PIN, now=now)
    # These tests jump the clock by days; ending on idle has its own tests (test_accounts).
    coordinator.idle = volunteer.idle = dt.timedelta(days=365)

    def add(person: cards.Person) -> cards.Person:
        return cards.add(node.store, coordinator, person, now=now)

    vog = [cards.Screening("kennismaking", "2026-01-10"), cards.Screening("vog", "2026-01-15")]
    ans = add(cards.Person("Ans", "0594-111111", "Hoofdstraat 1", "Ezinge", same_helper=True,
                           preferences="graag dezelfde helper"))
    piotr = add(cards.Person("Piotr", "06-22222222", "Kerkpad 3", "Ezinge", languages=["pl", "en"]))
    bram = add(cards.Person("Bram", "06-33333333", "Molenweg 5", "Ezinge", location=(5332, 644),
                            skills=["vervoer", "boodschappen", "gezelschap"], days=["tue", "thu"],
                            slots=["afternoon"], is_resident=False, is_helper=True, screening=vog))
    carla = add(cards.Person("Carla", "06-44444444", "Dijk 7", "Ezinge", location=(5333, 645),
                             languages=["nl", "pl"], skills=["boodschappen", "gezelschap"], days=["mon", "tue"],
                             slots=["morning", "afternoon"], is_resident=False, is_helper=True))
    dirk = add(cards.Person("Dirk", "06-55555555", "Wierde 9", "Ezinge", location=(5332, 644),
                            skills=["vervoer", "boodschappen"], days=["tue"], slots=["afternoon"],
                            is_resident=False, is_helper=True, screening=vog,
                            pause_until=dt.date(2026, 3, 10)))
    eva = add(cards.Person("Eva", "06-66666666", "Brink 2", "Winsum", location=(5333, 652),
                           skills=["boodschappen"], days=["tue"], slots=["morning"], is_resident=True,
                           is_helper=True, screening=vog))
    return Village(node, coordinator, volunteer, number, ans, piotr, bram, carla, dirk, eva)
