"""A kiosk board with pinned times and codes, and contact data everywhere it may be kept (never shown)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.contact import Contact
from noticeboard.geo import Place
from noticeboard.node import Node, PostDraft, Profile

# Yesterday 10:00 UTC: screens only show times relative to NOW, and the real CLI still sees the posts live.
T0 = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
NOW = T0 + dt.timedelta(hours=1)
SIZE = (100, 34)
HOME = Profile("Dorpshuis De Wierde", Place("Ezinge", 5332, 644), "0594-000000", "ma-vr 9:00-12:00")

# What a resident typed as contact details: none of this may ever appear on a kiosk screen.
CONTACT_SECRETS = ("06-12345678", "0612345678", "Hoofdstraat 12", "9891 AA", "050-1234567", "Kerkpad 3",
                   "gerda@example.nl", "Tjitske Bouma")


@dataclass
class KioskBoard:
    """The open home node and the neighbour centre whose posts it shows."""

    node: Node
    neighbour: NodeKeys
    local_ref: str
    remote: entries.Entry


def populate(node: Node) -> KioskBoard:
    """Local and remote posts, their kept contacts and a response, all at fixed times."""
    neighbour = NodeKeys(b"\x11" * 32, b"\x12" * 32)
    profile = Profile("Dorpshuis Winsum", Place("Winsum", 5333, 652)).body(neighbour, b"\0" * 32)
    node.store.apply(entries.make(neighbour.signing_seed, neighbour.node_id, "node", profile,
                                  now=T0 - dt.timedelta(days=1)), now=T0)
    local = node.post(PostDraft("request", "boodschappen", "Medicijnen ophalen bij de apotheek",
                                "Ik kan slecht lopen.", "donderdag"),
                      contact=Contact.phone("Tjitske Bouma", "06-12345678"), now=T0 - dt.timedelta(hours=3))
    node.post(PostDraft("offer", "digitaal", "Hulp met telefoon en tablet", "Geduldig uitleggen.", "zaterdag"),
              contact=Contact.phone("Daan", "050-1234567"),
              now=T0 - dt.timedelta(hours=30))
    node.store.add_response(node.node_id, local.id, {"kind": "response", "name": "Tjitske Bouma",
                                                     "contact": "gerda@example.nl", "via": "local"},
                            now=T0 - dt.timedelta(hours=1))
    remote = None
    for hours, (kind, cat, title) in enumerate((("request", "vervoer", "Mee naar het ziekenhuis"),
                                                ("offer", "klussen", "Kleine klusjes in huis"),
                                                ("request", "tuin", "Heg knippen")), start=5):
        body = {"category": cat, "title": title, "text": "Graag!", "when": {"text": "dinsdag"},
                "place": Place("Winsum", 5333, 652).to_wire(), "reach_km": 15, "status": "open",
                "ref": f"BH-W00{hours}", "lang": "nl"}
        made = entries.make(neighbour.signing_seed, neighbour.node_id, kind, body, now=T0 - dt.timedelta(hours=hours))
        node.store.apply(made, now=T0)
        remote = remote or made
    assert remote is not None
    return KioskBoard(node, neighbour, str(local.body["ref"]), remote)
