"""Differential fuzz of the entry decoders: the msgspec fast path against the full decoder.

Each case is one input made from a valid signed entry (a post of some shape, a tombstone, a
message, a node profile, a vouch): fields replaced, removed or added at the top, in the body,
its place or its when; re-signed or not; then spelled canonically, as other JSON, or with bytes
changed. Both decoders get it; they must accept the same inputs and build equal entries (fields,
canonical bytes, what the fast path read once) or refuse with the same reason. Any difference is
a divergence: printed (the input as Python bytes) and the exit code is 1.

This is the long run of issue 16: hypothesis (tests/foundation/test_fastdecode.py) spends most of
each example drawing it, about 25-45 ms here, so 10^5 of its examples take hours; this draws with
``random`` and takes well under a millisecond a case. tests/foundation/test_fastdecode.py runs a
few thousand cases of it in CI.

    .venv/bin/python tools/fuzz_decoders.py [CASES=100000] [SEED=16]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crypto.canonical import CanonicalError, canonical_bytes  # noqa: E402 - after the path is set, when run as a script
from crypto.identity import NodeKeys  # noqa: E402
from crypto.signing import sign_object  # noqa: E402
from noticeboard import categories, fastdecode  # noqa: E402
from noticeboard import entry as entries  # noqa: E402
from noticeboard.entry import EntryError  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
KEYS = NodeKeys(bytes(range(32)), bytes(range(32, 64)))
OTHER = NodeKeys(bytes(range(1, 33)), bytes(range(33, 65)))

# Characters near what posts hold and near what the checks look for: digits and '@' (contact
# data), control characters, quotes and backslashes (escapes), accents and wide characters
# (lengths count characters), a non-ASCII digit, a lone surrogate (no canonical form).
PLAIN = [*"abcdefghij XYZ", "é", "ß", "€", "\n", "\U0001f600", "\u2028", '"', "\\", ".", "-", "1", "2"]
EDGY = [*"0123456789", "@", "+", "\t", "\x00", "\x1f", "\x7f", "٣", "\ud800", "/", "(", ")"]
CODES = ["BH-7K3Q", "BH-7K3Q\n", "bh-7k3q", "BH-7K3I", "BH-00000", "nl", "en", "nld", "NL", "nl\n", "x", "",
         "mon", "sat", "morning", "days", "home", "none", "open", "done", "tuin", "request", "node", "vouch"]
INTS = [0, 1, -1, 200, 201, 9000, 9001, -18000, -18001, 2**53 - 1, 2**53, -(2**53), 2**64, 5332, 10]
KEYS_TEXT = [KEYS.node_id, OTHER.node_id, KEYS.node_id[:-1] + "B", KEYS.node_id + "A", KEYS.node_id[:-1],
             "x" * 43, "a" * 86, "A" * 85 + "B", "A" * 85 + "Q", "A" * 86 + "=", "+" * 86]
TIMES = ["2026-11-28T12:00:00Z", "2026-02-30T12:00:00Z", "2026-11-28T12:00:00Z\n", "2026-11-28 12:00:00Z",
         "2026-11-28T12:00:00+00:00", "2026-11-28T24:00:00Z", "2027-12-01T00:00:00Z", "2026-11-27T12:00:00Z"]
CONTACT = ["bel 06 12345678", "mail a@b.nl", "06-1234-5678", "+31 6 12 34 56 78", "٠٦١٢٣٤٥٦٧٨", "Klus 1234 en 5678",
           "Klus 12345 en 6789", "06123456", "a@b", "x@y.z", "(050) 123.45.67", "huis 12, 9 uur"]
NAMES = ["category", "title", "text", "when", "place", "reach_km", "status", "ref", "lang", "name", "urgency",
         "recurring", "where", "languages", "costs", "was", "to", "sealed", "village", "lat_cdeg", "lon_cdeg",
         "days", "slots", "subject", "sealing_key", "tls_fp", "x", "v", "type", "id", "author", "version",
         "created", "updated", "expires", "body", "sig"]


class Fuzzer:
    """Cases drawn from one seed: the same seed gives the same inputs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def text(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            # Near and over the contact-data line: phone numbers in ASCII and other digits, addresses.
            return rng.choice(CONTACT) + rng.choice(["", " graag", " 12", "@"])
        size = rng.choice([rng.randint(0, 12), rng.randint(1, 60), rng.randint(75, 85), rng.randint(995, 1005)])
        pool = PLAIN if rng.random() < 0.7 else PLAIN + EDGY
        return "".join(rng.choices(pool, k=size))

    def value(self) -> Any:
        rng = self.rng
        kind = rng.randrange(10)
        if kind == 0:
            return self.text()
        if kind == 1:
            return rng.choice(CODES)
        if kind == 2:
            return rng.choice(INTS) if rng.random() < 0.5 else rng.randint(-20000, 20000)
        if kind == 3:
            return rng.choice([True, False, None, 1.5, -0.0, 1e300])
        if kind == 4:
            return rng.sample(CODES, rng.randint(0, 9))
        if kind == 5:
            return {rng.choice(CODES): rng.choice(CODES) for _ in range(rng.randint(0, 3))}
        if kind == 6:
            return rng.choice(KEYS_TEXT)
        if kind == 7:
            return rng.choice(TIMES)
        if kind == 8:
            return [self.text()]
        return {"village": self.text(), "lat_cdeg": rng.choice(INTS), "lon_cdeg": rng.choice(INTS)}

    def post_body(self) -> dict[str, Any]:
        rng = self.rng
        body: dict[str, Any] = {
            "category": rng.choice([c.code for c in categories.CATEGORIES]), "title": rng.choice(["Heg knippen", "Klus"]),
            "text": rng.choice(["De heg is te hoog voor mij.", "", "Boodschappen halen, 2 tassen"]),
            "place": {"village": "Ezinge", "lat_cdeg": rng.randint(-9000, 9000), "lon_cdeg": rng.randint(-18000, 18000)},
            "reach_km": rng.randint(0, 200), "status": rng.choice(entries.STATUSES), "ref": "BH-7K3Q", "lang": "nl",
        }
        if rng.random() < 0.5:
            body["when"] = {k: v for k, v in (("text", "zaterdag"), ("days", rng.sample(categories.DAYS, 2)),
                                              ("slots", rng.sample(categories.SLOTS, 1))) if rng.random() < 0.6}
        for name, choice in (("name", ["Anna", "Jan de Vries"]), ("urgency", categories.URGENCY),
                             ("where", categories.WHERE), ("costs", categories.COSTS), ("recurring", [True, False]),
                             ("languages", [["nl"], ["nl", "en"], []])):
            if rng.random() < 0.3:
                body[name] = rng.choice(choice)
        if rng.random() < 0.5:
            # Texts of every kind in the fields the checks read.
            for name in rng.sample(["title", "text", "name"], rng.randint(1, 3)):
                body[name] = self.text()
        return body

    def base(self) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choice(["request", "offer", "request", "offer", "tombstone", "message", "node", "vouch"])
        if kind in entries.POSTS:
            body = self.post_body()
        elif kind == "tombstone":
            body = {"was": rng.choice([*entries.TYPES, "x"])}
        elif kind == "message":
            body = {"to": rng.choice(KEYS_TEXT[:3]), "sealed": rng.choice(["AAAA", "", "AB", "A", "AAA=", "_-8", "QUJD"])}
        elif kind == "node":
            body = {"name": "Dorpshuis", "place": {"village": "Ezinge", "lat_cdeg": 5332, "lon_cdeg": 644},
                    "sealing_key": OTHER.node_id, "tls_fp": KEYS.node_id}
        else:
            body = {"subject": OTHER.node_id, "name": "Dorpshuis"}
        updated = NOW - dt.timedelta(seconds=rng.randint(0, 10**6))
        created = updated - dt.timedelta(seconds=rng.choice([0] * 6 + [1, 86400, 86400, -1]))
        lifetime = dt.timedelta(days=rng.choice([1, 14, 60, 366] * 3 + [367, 396, 397]))
        return {"v": 1, "type": kind, "id": f"{rng.getrandbits(32):08x}-0000-4000-8000-{rng.getrandbits(48):012x}",
                "author": KEYS.node_id, "version": rng.choice([1, 1, 1, 2, 7, 2**53 - 1, rng.choice(INTS)]),
                "created": entries.format_time(created), "updated": entries.format_time(updated),
                "expires": entries.format_time(updated + lifetime), "body": body}

    def bend(self, obj: dict[str, Any]) -> None:
        rng = self.rng
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            targets = [obj] + [v for v in (obj.get("body"),) if isinstance(v, dict)]
            targets += [v for t in targets[1:] for v in t.values() if isinstance(v, dict)]
            target = rng.choice(targets)
            name = rng.choice([*sorted(target), *NAMES])
            if rng.random() < 0.2:
                target.pop(name, None)
            else:
                target[name] = self.value()

    def spell(self, obj: dict[str, Any]) -> bytes | str:
        rng = self.rng
        way = rng.randrange(12)
        try:
            canonical = canonical_bytes(obj)
        except (CanonicalError, TypeError, ValueError, UnicodeEncodeError):
            canonical = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8", "surrogatepass")
        if way <= 5:
            return canonical
        if way == 6:
            return json.dumps(obj).encode()
        if way == 7:
            return canonical.decode("utf-8", "surrogatepass")
        data = bytearray(canonical)
        if way == 8 and data:
            at = rng.randrange(len(data))
            data[at:at + 1] = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3)))
        elif way == 9 and data:
            del data[rng.randrange(len(data)):]
        elif way == 10:
            data = bytearray(rng.choice([b"", b" ", b"\xef\xbb\xbf"])) + data + rng.choice([b"", b" ", b"\n", b"{}"])
        else:
            # One text spelled with an escape: same value, other bytes.
            data = bytearray(bytes(data).replace(b"e", b"\\u0065", 1))
        return bytes(data)

    def case(self) -> bytes | str:
        obj = self.base()
        if self.rng.random() < 0.5:
            self.bend(obj)
            signed_after = self.rng.random() < 0.5
        else:
            signed_after = True
        try:
            obj = sign_object(KEYS.signing_seed, obj) if signed_after else {**obj, "sig": "A" * 86}
        except (CanonicalError, TypeError, ValueError, UnicodeEncodeError):
            obj["sig"] = "A" * 86
        if not signed_after:
            self.bend(obj)
        return self.spell(obj)


def outcome(decode: Any, data: bytes | str) -> tuple[str, Any]:
    """What a decoder made of the input: the entry and its exact bytes, or the refusal's reason."""
    try:
        entry = decode(data)
    except EntryError as exc:
        return ("refused", exc.reason)
    return ("accepted", (entry, entry.canonical(), json.dumps(entry.to_wire(), sort_keys=True)))


def divergence(data: bytes | str) -> tuple[str | None, str]:
    """(what differs or None, the event: which decoder decided and how) for one input."""
    fast, full = outcome(fastdecode.decode, data), outcome(entries.decode, data)
    taken = isinstance(data, bytes) and fastdecode._fast(data) is not None
    event = f"{fast[0]} by the {'fast path' if taken else 'full decoder'}" + (
        f" ({fast[1]})" if fast[0] == "refused" else "")
    if fast != full:
        return f"fast {fast[0]} {fast[1] if fast[0] == 'refused' else ''} / full {full[0]} " \
               f"{full[1] if full[0] == 'refused' else ''}", event
    if taken:
        entry = fastdecode.decode(data)
        d = entry.decoded
        if d is None or (d.updated_at, d.expires_at, d.sig) != (entries.parse_time(entry.updated),
                                                                 entries.parse_time(entry.expires),
                                                                 entries.b64u_decode(entry.sig)) or \
                (d.updated_epoch, d.expires_epoch) != (int(d.updated_at.timestamp()), int(d.expires_at.timestamp())):
            return "the fast path read a time or the signature otherwise", event
    return None, event


def run(cases: int, seed: int = 16) -> tuple[int, list[tuple[bytes | str, str]], Counter[str], float]:
    """Run cases; return (cases run, divergences (input, what), events, seconds)."""
    fuzzer = Fuzzer(seed)
    events: Counter[str] = Counter()
    found: list[tuple[bytes | str, str]] = []
    start = time.perf_counter()
    for _ in range(cases):
        data = fuzzer.case()
        what, event = divergence(data)
        events[event] += 1
        if what is not None:
            found.append((data, what))
    return cases, found, events, time.perf_counter() - start


def main(argv: list[str]) -> int:
    cases = int(argv[0]) if argv else 100_000
    seed = int(argv[1]) if len(argv) > 1 else 16
    count, found, events, seconds = run(cases, seed)
    print(json.dumps({"tool": "fuzz_decoders", "cases": count, "seed": seed, "divergences": len(found),
                      "seconds": round(seconds, 1), "events": dict(events.most_common())}, ensure_ascii=False))
    for data, what in found[:10]:
        print(what, repr(data)[:600])
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
