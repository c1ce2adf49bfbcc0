"""The JSON Schemas in docs/schemas/: what the node emits fits them, and the decoder judges as they do.

The schemas are the spec's word on every body field. Two checks keep them true: every entry
real nodes emit (each type, a status change, a withdrawal, a vouch and its revocation, a sealed
message, a month's evaluation figures, a signing-key hand-over) validates against its type's schema; and the decoder refuses
what a schema refuses and takes what it takes, on hand-picked variants and on fuzzed ones,
except for the rules a schema cannot state, which the schemas name and the test checks by
their own reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

from noticeboard import categories, fastdecode
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.desk import evaluation
from noticeboard.entry import Entry, EntryError
from noticeboard.geo import Place
from noticeboard.node import Node, PostDraft, Profile
from noticeboard.privacy.handover import rotate_signing_key
from noticeboard.trust import Trust
from tests.foundation.fixtures import KEYS, NOW, post_body
from tests.support import make_node

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    # JSON Schema patterns are ECMA-262: a closing $ is the end of the text. Python's $ also
    # matches before a final newline, so it is read as \Z here.
    if validator.is_type(instance, "string"):
        python = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
        if not re.search(python, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


Ecma = validators.extend(Draft202012Validator, {"pattern": _pattern})


def _load() -> dict[str, dict[str, Any]]:
    return {path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8"))
            for path in sorted(SCHEMAS.glob("*.schema.json"))}


LOADED = _load()
REGISTRY: Registry[Any] = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in LOADED.values())
VALIDATORS = {name: Ecma(schema, registry=REGISTRY) for name, schema in LOADED.items()}


def schema_errors(obj: Any, kind: str) -> list[str]:
    """What the type's schema says is wrong with obj; empty when it fits."""
    return [e.message for e in VALIDATORS[kind].iter_errors(obj)]


def fits(obj: dict[str, Any]) -> bool:
    """Whether obj fits the schema of the type it names (of any entry, when it names none)."""
    kind = obj.get("type")
    return not schema_errors(obj, kind if isinstance(kind, str) and kind in entries.TYPES else "entry")


def spelled(obj: dict[str, Any]) -> bytes:
    """The canonical spelling of an object, lone surrogates and all (the decoder must refuse those)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def verdict(obj: dict[str, Any]) -> tuple[str, str]:
    """The decoders' verdict on an object in its canonical spelling; both decoders must agree.

    The decoder checks only the length of ``sig``; the signature check that follows it in every
    pipeline refuses one that is not canonical base64url before anything else, so that is part
    of the verdict (the schema states it). The signatures here are not real, so no further.
    """
    outcomes = []
    for decode in (entries.decode, fastdecode.decode):
        try:
            entries.b64u_decode(decode(spelled(obj)).sig)
            outcomes.append(("accepted", ""))
        except EntryError as exc:
            outcomes.append(("refused", exc.reason))
        except entries.EncodingError:
            outcomes.append(("refused", "bad_signature"))
    assert outcomes[0] == outcomes[1], obj
    return outcomes[0]


# ---- what real nodes emit ------------------------------------------------------------------


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    """Every entry two real nodes sign while doing each thing a node does, made once for the module."""
    root = tmp_path_factory.mktemp("emitted")
    a_dir, b_dir = make_node(root, "Dorpshuis A"), make_node(root, "Dorpshuis B", village="Garnwerd",
                                                               lat_cdeg=5334, lon_cdeg=649)
    made: list[Entry] = []
    with Node.open(a_dir.data_dir, a_dir.unlock) as a, Node.open(b_dir.data_dir, b_dir.unlock) as b:
        made.append(a.publish_profile(Profile("Dorpshuis A", Place("Ezinge", 5332, 644), phone="050 123 4567",
                                              hours="ma-vr 9-12"), addresses=["192.168.1.20:8443", "a.local:8443"]))
        request = a.post(PostDraft("request", "tuin", "Heg knippen", "De heg is te hoog.", when="zaterdag",
                                   name="Jan", tags={"urgency": "week", "where": "outside", "costs": "materials",
                                                     "recurring": True, "languages": ["nl", "en"]}))
        offer = a.post(PostDraft("offer", "vervoer", "Rijden naar de dokter", lang="en",
                                 tags={"when": {"text": "", "days": ["mon", "thu"], "slots": ["morning"]}}))
        made += [request, offer, a.set_status(request.body["ref"], "matched"), a.withdraw(offer.body["ref"])]
        trust = Trust(a)
        trust.pair(b.profile_entry(), "127.0.0.1:8443")
        trust.block(b.node_id)
        trust.unblock(b.node_id)
        theirs = b.post(PostDraft("request", "boodschappen", "Boodschappen doen"))
        a.store.apply(b.profile_entry(), now=utcnow())
        a.store.apply(theirs, now=utcnow())
        message = a.respond(theirs, name="Piet", contact="050 765 4321", message="Ik kan dinsdag.")
        assert message is not None
        made.append(message)
        # The month's figures, from the posts above (the hand-over below issues them again, and erases these).
        made += evaluation.publish(a, now=utcnow())
        handover = rotate_signing_key(a)
        made.append(handover.vouch)
        held = [*a.store.entries(), *b.store.entries()]
    return list({(e.author, e.id, e.version): e for e in [*made, *held]}.values())


def test_the_schemas_are_valid_draft_2020_12_and_one_per_entry_type() -> None:
    for schema in LOADED.values():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(LOADED) == {"entry", *entries.TYPES}


def test_every_entry_the_node_emits_validates_against_its_schema(emitted: list[Entry]) -> None:
    kinds = {e.type for e in emitted}
    assert kinds == set(entries.TYPES)
    assert {e.body["was"] for e in emitted if e.type == "tombstone"} >= {"offer", "vouch", "stats"}
    assert any(e.type == "vouch" and e.body.get("successor") for e in emitted)
    assert any(e.type == "request" and e.version > 1 for e in emitted)
    for entry in emitted:
        assert schema_errors(entry.to_wire(), entry.type) == [], entry.type
        # The any-entry schema sends each type to its own schema.
        assert schema_errors(entry.to_wire(), "entry") == [], entry.type
    assert schema_errors({**emitted[0].to_wire(), "type": "note"}, "entry") != []


def test_the_schemas_name_the_codes_and_limits_the_code_has() -> None:
    post = LOADED["request"]["$defs"]["post_body"]["properties"]
    assert post["category"]["enum"] == [c.code for c in categories.CATEGORIES]
    assert post["status"]["enum"] == list(entries.STATUSES)
    assert post["urgency"]["enum"] == list(categories.URGENCY)
    assert post["where"]["enum"] == list(categories.WHERE)
    assert post["costs"]["enum"] == list(categories.COSTS)
    assert post["when"]["properties"]["days"]["items"]["enum"] == list(categories.DAYS)
    assert post["when"]["properties"]["slots"]["items"]["enum"] == list(categories.SLOTS)
    assert post["reach_km"]["maximum"] == entries.MAX_REACH_KM
    assert [post[f]["maxLength"] for f in ("title", "text", "name")] == [entries.MAX_TITLE, entries.MAX_TEXT,
                                                                          entries.MAX_NAME]
    assert post["when"]["properties"]["text"]["maxLength"] == entries.MAX_WHEN
    assert LOADED["entry"]["$defs"]["place"]["properties"]["village"]["maxLength"] == entries.MAX_VILLAGE
    assert LOADED["entry"]["properties"]["type"]["enum"] == list(entries.TYPES)
    assert LOADED["tombstone"]["properties"]["body"]["properties"]["was"]["enum"] == list(entries.TYPES[:-1])
    assert sorted(LOADED["entry"]["$defs"]["envelope"]["properties"]) == sorted(entries.TOP_FIELDS)


def test_the_stats_schema_names_the_codes_and_counts_the_code_has() -> None:
    body = LOADED["stats"]["properties"]["body"]["properties"]
    variant = body["variant"]["properties"]
    assert {name: variant[name]["enum"] for name in entries.VARIANT} == {k: list(v) for k, v in entries.VARIANT.items()}
    assert body["variant"]["required"] == [*entries.VARIANT, "channels"]
    # Sorted, each once: every subset of the channels, in their order.
    subsets = [list(c) for n in range(len(entries.CHANNELS) + 1) for c in itertools.combinations(entries.CHANNELS, n)]
    assert variant["channels"]["enum"] == subsets
    assert body["categories"]["propertyNames"]["enum"] == [c.code for c in categories.CATEGORIES]
    cells = body["categories"]["additionalProperties"]
    assert [c["description"] for c in cells["prefixItems"]] == list(entries.STATS_COUNTS)
    assert cells["minItems"] == len(entries.STATS_COUNTS) and cells["items"] is False
    figures = body["figures"]
    assert figures["required"] == list(entries.STATS_MONTH_COUNTS)
    assert sorted(figures["properties"]) == sorted([*entries.STATS_MONTH_COUNTS, entries.STATS_MEDIAN])
    count = LOADED["stats"]["$defs"]["count"]["anyOf"]
    assert count == [{"const": 0}, {"type": "integer", "minimum": entries.SUPPRESS_BELOW, "maximum": entries.MAX_STAT},
                     {"const": entries.SUPPRESSED}]
    # The month's own id: the schema's pattern takes what stats_id gives.
    assert re.fullmatch(LOADED["stats"]["properties"]["id"]["pattern"][1:-1], entries.stats_id("2026-11"))


# ---- the decoder against the schemas -------------------------------------------------------

SECOND_KEY = "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"
BODIES: dict[str, dict[str, Any]] = {
    "request": post_body(), "offer": post_body(category="vervoer"),
    "node": {"name": "Dorpshuis", "place": {"village": "Ezinge", "lat_cdeg": 5332, "lon_cdeg": 644},
             "sealing_key": SECOND_KEY, "tls_fp": SECOND_KEY},
    "vouch": {"subject": SECOND_KEY, "name": "Dorpshuis B"},
    "message": {"to": SECOND_KEY, "sealed": "AAECAwQFBgc"},
    "stats": {"month": "2026-11",
              "variant": {"matching": "mixed", "reciprocity": "hours", "backup": "professional", "place": "village",
                          "channels": ["kiosk", "phone"]},
              "categories": {"tuin": [12, 0, 5, "<5", "<5", 0, 0, 0, 0, "<5", 0, 0],
                             "vervoer": [0, 1_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]},
              "figures": {"residents_helped": 5, "gave_and_got": "<5", "median_hours_to_match": 30}},
    "tombstone": {"was": "request"},
}


def base(kind: str) -> dict[str, Any]:
    """A valid entry object of one type (its signature is not what these tests are about)."""
    # A stats entry's id is its month's (a rule beyond the schema, checked on its own below).
    entry_id = entries.stats_id(BODIES[kind]["month"]) if kind == "stats" else "6f1c2a4e-8b3d-4c5e-9f60-718293a4b5c6"
    return {"v": 1, "type": kind, "id": entry_id, "author": KEYS.node_id,
            "version": 1, "created": "2026-11-28T12:00:00Z", "updated": "2026-11-28T12:00:00Z",
            "expires": "2026-12-12T12:00:00Z", "body": copy.deepcopy(BODIES[kind]), "sig": "A" * 86}


# (type, a path into the object, the value put there; None as value removes the field)
VARIANTS: list[tuple[str, tuple[str, ...], Any]] = [
    ("request", ("body", "ref"), "BH-7K3Q\n"), ("request", ("body", "ref"), "BH-7K3I"),
    ("request", ("body", "ref"), "BH-ZZZZ"), ("request", ("body", "lang"), "nl\n"),
    ("request", ("body", "lang"), "nld"), ("request", ("body", "lang"), "NL"),
    ("request", ("body", "status"), None), ("request", ("body", "ref"), None), ("request", ("body", "lang"), None),
    ("request", ("body", "when"), "zaterdag"), ("request", ("body", "when"), {"text": ""}),
    ("request", ("body", "when"), {"days": ["mon", "mon"]}), ("request", ("body", "when"), {"days": ["sat", "sun"]}),
    ("request", ("body", "when"), {"hours": "9-12"}), ("request", ("body", "title"), " \u3000\n"),
    ("request", ("body", "title"), "\ufeffHeg"), ("request", ("body", "title"), "x" * 80),
    ("request", ("body", "title"), "Heg\tknippen"), ("request", ("body", "title"), "Heg\nknippen"),
    ("request", ("body", "text"), ""), ("request", ("body", "text"), "Heg \ud800"),
    ("request", ("body", "name"), ""), ("request", ("body", "name"), "Jan"),
    ("request", ("body", "reach_km"), 201), ("request", ("body", "reach_km"), True),
    ("request", ("body", "recurring"), 1), ("request", ("body", "languages"), ["nl"] * 9),
    ("request", ("body", "languages"), ["nl", "nl"]), ("request", ("body", "category"), "persoonlijke_verzorging"),
    ("request", ("body", "place", "lat_cdeg"), 9001), ("request", ("body", "place", "village"), ""),
    ("request", ("body", "phone"), "050 123"), ("offer", ("body", "costs"), "money"),
    ("offer", ("body", "where"), "phone"), ("request", ("id",), "6F1C2A4E-8B3D-4C5E-9F60-718293A4B5C6"),
    ("request", ("author",), KEYS.node_id[:-1] + "B"), ("request", ("version",), 0), ("request", ("v",), 2),
    ("request", ("v",), True), ("request", ("extra",), 1), ("request", ("updated",), "2026-11-28T12:00:00+00:00"),
    ("request", ("sig",), "A" * 85), ("request", ("sig",), "a" * 86), ("request", ("sig",), "a" * 85 + "w"),
    ("request", ("type",), "offer"), ("request", ("type",), "tombstone"), ("tombstone", ("type",), "note"), ("node", ("body", "phone"), "050 123 4567"), ("node", ("body", "phone"), " "),
    ("node", ("body", "hours"), ""), ("node", ("body", "addresses"), ["h:1"] * 9),
    ("node", ("body", "addresses"), [""]), ("node", ("body", "addresses"), ["h\u0007:1"]),
    ("node", ("body", "tls_fp"), None), ("node", ("body", "sealing_key"), "A" * 44), ("node", ("body", "name"), "x" * 61),
    ("vouch", ("body", "successor"), True), ("vouch", ("body", "successor"), False),
    ("vouch", ("body", "successor_sig"), "A" * 86), ("vouch", ("body", "name"), None),
    ("message", ("body", "sealed"), ""), ("message", ("body", "sealed"), "AAB"), ("message", ("body", "sealed"), "AAA"),
    ("message", ("body", "sealed"), "A"), ("message", ("body", "sealed"), "AAAA="), ("message", ("body", "to"), None),
    ("tombstone", ("body", "was"), "tombstone"), ("tombstone", ("body", "was"), "vouch"), ("tombstone", ("body",), {}),
    ("tombstone", ("body", "was"), "stats"),
    ("stats", ("body", "month"), "2026-13"), ("stats", ("body", "month"), "2026-11\n"),
    ("stats", ("body", "month"), "1999-11"), ("stats", ("body", "month"), "2026-1"), ("stats", ("body", "month"), None),
    ("stats", ("body", "variant", "channels"), []), ("stats", ("body", "variant", "channels"), ["kiosk", "phone", "proxy"]),
    ("stats", ("body", "variant", "channels"), ["phone", "kiosk"]),
    ("stats", ("body", "variant", "channels"), ["kiosk", "kiosk"]), ("stats", ("body", "variant", "channels"), ["post"]),
    ("stats", ("body", "variant", "channels"), "kiosk"), ("stats", ("body", "variant", "channels"), None),
    ("stats", ("body", "variant", "place"), "town"), ("stats", ("body", "variant", "matching"), "self"),
    ("stats", ("body", "variant", "reciprocity"), "none"), ("stats", ("body", "variant", "backup"), None),
    ("stats", ("body", "variant", "x"), "none"), ("stats", ("body", "variant"), {}),
    ("stats", ("body", "categories"), {}), ("stats", ("body", "categories"), []),
    ("stats", ("body", "categories", "persoonlijke_verzorging"), [0] * 12),
    ("stats", ("body", "categories", "overig"), ["<5"] * 12), ("stats", ("body", "categories", "tuin"), [0] * 11),
    ("stats", ("body", "categories", "tuin"), [0] * 13), ("stats", ("body", "categories", "tuin"), [4, *[0] * 11]),
    ("stats", ("body", "categories", "tuin"), [5, *[0] * 11]), ("stats", ("body", "categories", "tuin"), [-1, *[0] * 11]),
    ("stats", ("body", "categories", "tuin"), [1_000_001, *[0] * 11]),
    ("stats", ("body", "categories", "tuin"), [True, *[0] * 11]), ("stats", ("body", "categories", "tuin"), ["<6", *[0] * 11]),
    ("stats", ("body", "categories", "tuin"), ["5", *[0] * 11]), ("stats", ("body", "categories", "tuin"), {"requests": 5}),
    ("stats", ("body", "figures", "median_hours_to_match"), None),
    ("stats", ("body", "figures", "median_hours_to_match"), 366 * 24),
    ("stats", ("body", "figures", "median_hours_to_match"), 366 * 24 + 1),
    ("stats", ("body", "figures", "median_hours_to_match"), 0), ("stats", ("body", "figures", "median_hours_to_match"), -1),
    ("stats", ("body", "figures", "median_hours_to_match"), "<5"), ("stats", ("body", "figures", "residents_helped"), None),
    ("stats", ("body", "figures", "residents_helped"), 3), ("stats", ("body", "figures", "gave_and_got"), 0),
    ("stats", ("body", "figures", "gave_and_got"), False), ("stats", ("body", "figures", "total"), 5),
    ("stats", ("body", "figures"), {}), ("stats", ("body", "x"), 1), ("stats", ("type",), "request"),
    ("stats", ("id",), "6f1c2a4e-8b3d-4c5e-9f60-718293a4b5c6"), ("request", ("type",), "stats"),
]


def bent(kind: str, path: tuple[str, ...], value: Any) -> dict[str, Any]:
    obj = base(kind)
    target = obj
    for name in path[:-1]:
        target = target[name]
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return obj


@pytest.mark.parametrize(("kind", "path", "value"), VARIANTS)
def test_the_decoder_refuses_exactly_what_the_schema_refuses(kind: str, path: tuple[str, ...], value: Any) -> None:
    obj = bent(kind, path, value)
    outcome, reason = verdict(obj)
    assert (outcome == "accepted") == fits(obj), (path, value, reason, schema_errors(obj, "entry"))


def test_the_variants_hold_both_kinds_and_each_base_entry_fits() -> None:
    # Not vacuous: the list above has variants the schema takes and variants it refuses.
    fitting = [fits(bent(*v)) for v in VARIANTS]
    assert 10 < sum(fitting) < len(fitting) - 10
    for kind in entries.TYPES:
        assert schema_errors(base(kind), kind) == [] and verdict(base(kind)) == ("accepted", "")


def test_rules_beyond_the_schema_are_refused_by_their_own_reason() -> None:
    # What the schemas' description lists as the decoder's further rules, one case each.
    late = bent("request", ("created",), "2026-11-28T12:00:01Z")
    long_lived = bent("request", ("expires",), "2027-11-30T12:00:00Z")
    no_date = bent("request", ("expires",), "2026-02-30T12:00:00Z")
    phone = bent("request", ("body", "text"), "Bel 06-12345678")
    arabic = bent("request", ("body", "title"), "\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667")
    big = bent("request", ("body", "text"), "\U0001f337" * 1000)
    other_month = bent("stats", ("body", "month"), "2026-10")
    for obj, reason in ((late, "schema"), (long_lived, "schema"), (no_date, "schema"), (phone, "contact_data"),
                        (arabic, "contact_data"), (big, "too_large"), (other_month, "schema")):
        assert schema_errors(obj, obj["type"]) == []
        assert verdict(obj) == ("refused", reason)
    fraction = spelled(base("request")).replace(b'"reach_km":10', b'"reach_km":10.0')
    assert schema_errors(json.loads(fraction), "request") == []
    with pytest.raises(EntryError) as refused:
        entries.decode(fraction)
    assert refused.value.reason == "schema"


texts = st.one_of(st.text(st.sampled_from([*"ab Z09@.+-\n\t\x00\x1f\x85\xa0\u3000\ufeff\ud800é"]), max_size=6),
                  st.sampled_from(["", " ", "x" * 30, "x" * 31, "x" * 60, "x" * 61, "x" * 80, "x" * 81]))
values = st.one_of(texts, st.integers(-20000, 20000), st.booleans(), st.none(),
                   st.sampled_from(["BH-7K3Q", "nl", "mon", "morning", "open", "days", "home", "none", "tuin",
                                    "request", SECOND_KEY, "A" * 86, "AAAA", KEYS.node_id, "<5", "2026-11"]),
                   st.lists(st.sampled_from(["nl", "en", "mon", "mon", "h:1", "", 3]), max_size=9),
                   st.dictionaries(st.sampled_from(["text", "days", "slots", "village", "lat_cdeg", "x"]),
                                   st.sampled_from(["", "x", 5332, ["mon"], ["mon", "mon"], "zat\n"]), max_size=3))
FIELDS = ["category", "title", "text", "when", "place", "reach_km", "status", "ref", "lang", "name", "urgency",
          "recurring", "where", "languages", "costs", "phone", "hours", "addresses", "subject", "successor",
          "successor_sig", "to", "sealed", "was", "sealing_key", "tls_fp", "month", "variant", "categories",
          "figures", "x"]


TOP = ["v", "type", "id", "author", "version", "sig", "body", "x"]


@given(st.sampled_from(entries.TYPES),
       st.lists(st.tuples(st.sampled_from(FIELDS), st.one_of(values, st.just(None))), max_size=3),
       st.lists(st.tuples(st.sampled_from(TOP), st.one_of(values, st.sampled_from(entries.TYPES), st.just(None))),
                max_size=1))
# Few examples: each costs ~10 ms (jsonschema), and the hand-picked variants above cover the edges.
@settings(max_examples=50)
def test_on_fuzzed_entries_the_decoder_and_the_schema_agree(kind: str, changes: list[tuple[str, Any]],
                                                            top: list[tuple[str, Any]]) -> None:
    obj = base(kind)
    for target, (name, value) in [*((obj["body"], c) for c in changes), *((obj, c) for c in top)]:
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    fitting = fits(obj)
    outcome, reason = verdict(obj)
    if fitting and outcome == "refused":
        # Only for a rule the schemas name as beyond them (times and sizes are valid by construction).
        body = obj.get("body") if isinstance(obj.get("body"), dict) else {}
        assert reason == "contact_data" and any(
            isinstance(body.get(f), str) and entries.contains_contact_data(body[f]) for f in ("title", "text", "name"))
    else:
        assert (outcome == "accepted") == fitting, (obj, reason, schema_errors(obj, "entry"))


def test_the_times_in_the_base_entries_are_valid_for_every_type() -> None:
    # The fuzzed test relies on it: its bodies are bent, never its times.
    for kind in entries.TYPES:
        obj = base(kind)
        lifetime = entries.parse_time(obj["expires"]) - entries.parse_time(obj["updated"])
        assert dt.timedelta(0) < lifetime <= entries.MAX_LIFETIME
        assert entries.parse_time(obj["updated"]) == NOW
