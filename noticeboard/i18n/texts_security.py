"""Texts of the hardening against hostile peers, files and networks (issue 14)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "security.inbox.unopened": (
        "{count} bericht(en) van {name} gingen niet open en zijn overgeslagen.",
        "{count} message(s) from {name} did not open and were skipped.",
    ),
    "sync.reason.too_far_ahead": ("meer dan 7 dagen vooruit gedateerd", "dated more than 7 days ahead"),
    "security.peers.handover": (
        "{name} gaf op {when} de sleutel door: oude code {old}, nieuwe code {new}. "
        "Klopt dat niet, bel het buurthuis en blokkeer de nieuwe sleutel.",
        "{name} handed over its key on {when}: old code {old}, new code {new}. "
        "If that is not right, phone the centre and block the new key.",
    ),
    "security.peers.wants_move": (
        "{name} geeft zich een nieuwe plaats: {place}. Het wacht op u; klopt het, dan: "
        "noticeboard peers move {short}",
        "{name} gives itself a new place: {place}. It waits for you; if it is right: noticeboard peers move {short}",
    ),
    "security.peers.moved": ("{name} staat nu op de nieuwe plaats: {place}.", "{name} is now at its new place: {place}."),
    "security.peers.no_move": ("{name} heeft geen nieuwe plaats gestuurd.", "{name} has not sent a new place."),
    "accept the new place a paired centre gave itself (coordinator)": (
        "de nieuwe plaats van een gekoppeld buurthuis goedkeuren (coördinator)",
        "accept the new place a paired centre gave itself (coordinator)",
    ),
}
