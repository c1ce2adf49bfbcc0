"""The ``stats`` entry: numbers, "<5", known codes and category keys only; one per centre and month.

Fuzzed: any value put anywhere in a valid body is accepted only when it is one the spec allows
there, and both decoders (the fast one hands stats to the full one) give the same outcome.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crypto.signing import sign_object
from noticeboard import categories, fastdecode
from noticeboard import entry as entries
from noticeboard.entry import STATS_COUNTS, EntryError
from tests.foundation.fixtures import KEYS, NOW


def body(**changes: Any) -> dict[str, Any]:
    """A valid stats body."""
    found: dict[str, Any] = {
        "month": "2026-11",
        "variant": {"matching": "desk", "reciprocity": "hours", "backup": "professional", "place": "village",
                    "channels": ["kiosk", "phone"]},
        "categories": {"boodschappen": [12, 0, 7, 6, 5, "<5", 0, "<5", 0, "<5", 0, 0],
                       "vervoer": ["<5"] * len(STATS_COUNTS)},
        "figures": {"residents_helped": 9, "gave_and_got": "<5", "median_hours_to_match": 30},
    }
    found.update(changes)
    return found


def make(b: dict[str, Any], entry_id: str | None = None) -> entries.Entry:
    return entries.make(KEYS.signing_seed, KEYS.node_id, "stats", b, now=NOW,
                        entry_id=entry_id or entries.stats_id(str(b.get("month"))))


def test_a_valid_stats_entry_is_accepted_and_round_trips_through_both_decoders() -> None:
    made = make(body())
    assert made.verify() and made.id == entries.stats_id("2026-11")
    for decode in (entries.decode, fastdecode.decode):
        again = decode(made.canonical())
        assert again == made and again.body["categories"]["vervoer"][0] == "<5"
    assert made.expires_at - made.updated_at == entries.DEFAULT_LIFETIME["stats"]


def test_the_suppression_rule_is_the_one_the_spec_states() -> None:
    assert [entries.suppressed(n) for n in range(8)] == [0, "<5", "<5", "<5", "<5", 5, 6, 7]


@pytest.mark.parametrize("change", [
    {"month": "2026-13"}, {"month": "26-11"}, {"month": "2026-11\n"},
    {"variant": {"matching": "desk", "reciprocity": "hours", "backup": "none", "place": "town", "channels": []}},
    {"variant": {"matching": "desk", "reciprocity": "hours", "backup": "none", "place": "city",
                 "channels": ["phone", "kiosk"]}},
    {"variant": {"matching": "desk", "reciprocity": "hours", "backup": "none", "place": "city", "channels": [],
                 "note": "x"}},
    {"categories": {"boodschappen": [3] + [0] * 11}},
    {"categories": {"boodschappen": [0] * 11}},
    {"categories": {"boodschappen": ["<5 "] + [0] * 11}},
    {"categories": {"boodschappen": [5.0] + [0] * 11}},
    {"categories": {"boodschappen": [True] + [0] * 11}},
    {"categories": {"boodschappen": [-5] + [0] * 11}},
    {"categories": {"boodschappen": {"requests": 5}}},
    {"figures": {"residents_helped": 2, "gave_and_got": 0}},
    {"figures": {"gave_and_got": 0}},
    {"figures": {"residents_helped": 0, "gave_and_got": 0, "median_hours_to_match": "<5"}},
    {"figures": {"residents_helped": 0, "gave_and_got": 0, "note": "Ans"}},
    {"note": "Ans de Vries, 0594-111111"},
])
def test_anything_but_numbers_and_codes_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(EntryError) as caught:
        make(body(**change))
    assert caught.value.reason == "schema"


def test_a_category_outside_the_taxonomy_is_refused_as_such() -> None:
    with pytest.raises(EntryError) as caught:
        make(body(categories={"Ans de Vries": [0] * len(STATS_COUNTS)}))
    assert caught.value.reason == "unknown_category"


def test_one_entry_per_centre_and_month_its_id_is_fixed_by_the_month() -> None:
    with pytest.raises(EntryError, match="stats_id"):
        make(body(), entry_id=entries.stats_id("2026-10"))
    assert entries.stats_id("2026-11") != entries.stats_id("2026-10")


def test_a_tombstone_may_erase_a_stats_entry() -> None:
    made = entries.tombstone(KEYS.signing_seed, make(body()), now=NOW)
    assert made.body == {"was": "stats"}


_cells = st.one_of(st.integers(-3, 12), st.sampled_from(["<5", "<4", "", "5", "Ans", 5.5, True, None, [], {}]))
_anything = st.one_of(_cells, st.text(max_size=8), st.lists(_cells, max_size=13),
                      st.dictionaries(st.sampled_from(["boodschappen", "x", "month", "requests"]), _cells, max_size=2))


def _allowed_cell(value: Any) -> bool:
    return value == "<5" or (type(value) is int and (value == 0 or 5 <= value <= entries.MAX_STAT))


@given(st.data())
def test_a_value_put_anywhere_is_accepted_only_where_the_spec_allows_it(data: st.DataObject) -> None:
    b = copy.deepcopy(body())
    where = data.draw(st.sampled_from(["cell", "figure", "variant", "channels", "month", "category", "extra"]))
    value = data.draw(_anything)
    if where == "cell":
        b["categories"]["boodschappen"][data.draw(st.integers(0, len(STATS_COUNTS) - 1))] = value
        allowed = _allowed_cell(value)
    elif where == "figure":
        b["figures"][data.draw(st.sampled_from(["residents_helped", "gave_and_got"]))] = value
        allowed = _allowed_cell(value)
    elif where == "variant":
        name = data.draw(st.sampled_from(sorted(entries.VARIANT)))
        b["variant"][name] = value
        allowed = isinstance(value, str) and value in entries.VARIANT[name]
    elif where == "channels":
        b["variant"]["channels"] = value
        allowed = (isinstance(value, list) and all(isinstance(c, str) and c in entries.CHANNELS for c in value)
                   and value == sorted(set(value)))
    elif where == "month":
        b["month"] = value
        allowed = value == "2026-11"
    elif where == "category":
        code = data.draw(st.sampled_from([c.code for c in categories.CATEGORIES] + ["Ans"]))
        b["categories"][code] = value
        allowed = code != "Ans" and _allowed_list(value)
    else:
        b[data.draw(st.sampled_from(["text", "name", "title"]))] = value
        allowed = False
    obj = {"v": 1, "type": "stats", "id": entries.stats_id("2026-11"), "author": KEYS.node_id, "version": 1,
           "created": entries.format_time(NOW), "updated": entries.format_time(NOW),
           "expires": entries.format_time(NOW + entries.DEFAULT_LIFETIME["stats"]), "body": b}
    try:
        signed = sign_object(KEYS.signing_seed, obj)
    except ValueError:
        return  # no canonical form (a float): nothing that could travel
    raw = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    outcomes = []
    for decode in (entries.decode, fastdecode.decode):
        try:
            outcomes.append(("accepted", decode(raw).body))
        except EntryError as exc:
            outcomes.append(("refused", exc.reason))
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0][0] == "accepted") == allowed, (where, value)


def _allowed_list(value: Any) -> bool:
    return isinstance(value, list) and len(value) == len(STATS_COUNTS) and all(_allowed_cell(v) for v in value)


def test_the_largest_possible_month_fits_in_one_entry() -> None:
    every = {c.code: [entries.MAX_STAT] * len(STATS_COUNTS) for c in categories.CATEGORIES}
    figures = {"residents_helped": entries.MAX_STAT, "gave_and_got": entries.MAX_STAT, "median_hours_to_match": 8784}
    made = make(body(categories=every, figures=figures,
                     variant={"matching": "mixed", "reciprocity": "counter", "backup": "professional",
                              "place": "countryside", "channels": ["kiosk", "phone", "proxy"]}))
    assert len(made.canonical()) < entries.MAX_ENTRY_BYTES
