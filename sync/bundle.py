"""Bundles: signed entries in one file, carried by USB stick or a shared folder (docs/bundles.md).

A bundle is UTF-8 text, one JSON object per line:

1. a header (who made it, when, for whom, which part of the feed, whether it is sealed),
2. the entries, one canonical entry per line (or, sealed, one line with the ciphertext),
3. a trailer with the entry count and the maker's Ed25519 signature over every byte before it.

A missing trailer means the file was cut short; a signature that fails means bytes changed.
Either way every entry still has its author's own signature, so the lines that verify go
through the same ingest pipeline as entries from the network and the rest are refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from crypto import sealing, signing
from crypto.canonical import canonical_bytes
from crypto.encoding import EncodingError, b64u_decode, b64u_encode
from crypto.identity import fingerprint_code, normalise_code
from noticeboard import entry as entries
from noticeboard.clock import format_time, utcnow
from noticeboard.entry import Entry
from noticeboard.files import DEFAULT_MAX_BYTES, RefusedFile, read_regular, write_new
from noticeboard.node import Node
from noticeboard.store.errors import StoreError
from noticeboard.trust import Trust
from sync.ingest import Ingest, IngestReport
from sync.replication import Checkpoints
from sync.scope import Places, select_for

MAGIC = "buurthulp-bundle"
FORMAT = 1
SUFFIX = ".bundle"
# Domain separation: a bundle signature can never be mistaken for an entry signature.
SIG_CONTEXT = b"buurthulp-bundle-v1\x00"
SEAL_INFO = b"buurthulp-bundle-key-v1|"
EVERYONE = "*"
MARK_PREFIX = "bundle.out."
PAGE = 500


class BundleError(StoreError):
    """A bundle that cannot be read at all; ``text_key`` names the sentence for people."""

    text_key = "bundle.error.unreadable"

    def __init__(self, text_key: str, detail: str) -> None:
        super().__init__(detail)
        self.text_key = text_key
        self.detail = detail


@dataclass(frozen=True)
class Header:
    """The first line of a bundle."""

    author: str
    created: str
    epoch: str
    since: int
    upto: int
    count: int
    recipients: tuple[str, ...]
    keys: dict[str, str] | None

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of the header line."""
        obj: dict[str, Any] = {"bundle": MAGIC, "v": FORMAT, "from": self.author, "created": self.created,
                               "epoch": self.epoch, "since": self.since, "upto": self.upto, "count": self.count,
                               "for": list(self.recipients)}
        if self.keys is not None:
            obj["sealed"] = {"suite": sealing.SUITE_NAME + "+ChaCha20Poly1305", "keys": self.keys}
        return obj

    @classmethod
    def from_wire(cls, obj: Any) -> Header:
        """Read a header line's object; raises BundleError."""
        if not isinstance(obj, dict) or obj.get("bundle") != MAGIC:
            raise BundleError("bundle.error.not_bundle", "no bundle header")
        if obj.get("v") != FORMAT:
            raise BundleError("bundle.error.version", f"bundle format {obj.get('v')!r}")
        try:
            sealed = obj.get("sealed")
            keys = None
            if sealed is not None:
                keys = {str(k): str(v) for k, v in sealed["keys"].items()}
            header = cls(str(obj["from"]), str(obj["created"]), str(obj["epoch"]), int(obj["since"]),
                         int(obj["upto"]), int(obj["count"]), tuple(str(r) for r in obj["for"]), keys)
            if len(b64u_decode(header.author)) != signing.PUBLIC_KEY_SIZE:
                raise ValueError("from is not a node key")
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError, EncodingError) as exc:
            raise BundleError("bundle.error.damaged_header", "header fields") from exc
        return header

    @property
    def sealed(self) -> bool:
        """Whether the entries are sealed for the recipients."""
        return self.keys is not None


@dataclass
class Contents:
    """A bundle as read from disk, before ingest."""

    header: Header
    lines: list[bytes]
    complete: bool
    signature_ok: bool

    @property
    def intact(self) -> bool:
        """Whole, unchanged, and every promised entry present."""
        return self.complete and self.signature_ok and len(self.lines) == self.header.count


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    count: int
    since: int
    upto: int
    recipients: tuple[str, ...]
    sealed: bool


@dataclass
class ImportResult:
    """What an import did: the ingest counts and whether the file was whole and unchanged."""

    header: Header
    intact: bool
    complete: bool
    signature_ok: bool
    report: IngestReport = field(default_factory=IngestReport)


# ---- writing ------------------------------------------------------------------------------


def _mark_key(target: str) -> str:
    return MARK_PREFIX + target


def read_mark(node: Node, target: str) -> int:
    """How far our feed went out by bundle to target (a node key, or ``*``) in this epoch."""
    value = node.store.meta(_mark_key(target))
    if not value:
        return 0
    epoch, _, seq = value.partition(":")
    return int(seq) if epoch == node.store.epoch and seq.isdigit() else 0


def write_mark(node: Node, target: str, seq: int) -> None:
    """Remember that our feed up to seq went out by bundle to target."""
    node.store.set_meta(_mark_key(target), f"{node.store.epoch}:{seq}")


def known_to(node: Node, target: str, *, since_last: bool) -> int:
    """Up to which change of ours target surely has: network pushes it confirmed, and (opt-in) earlier bundles."""
    confirmed = 0
    if target != EVERYONE:
        checkpoint = Checkpoints(node).get(target)
        if checkpoint.push_epoch == node.store.epoch:
            confirmed = checkpoint.push_seq
    return max(confirmed, read_mark(node, target)) if since_last else confirmed


def resolve_recipients(node: Node, names: Iterable[str]) -> list[Entry]:
    """The signed profiles of the nodes named by key, fingerprint code, address or centre name."""
    trust = Trust(node)
    profiles: list[Entry] = []
    for name in names:
        node_id = name.strip()
        if node.node_profile(node_id) is None:
            code = normalise_code(name)
            known = [p.node_id for p in trust.peers() if p.code == code]
            node_id = known[0] if known else trust.find(name).node_id
        profile = node.node_profile(node_id)
        if profile is None:
            raise BundleError("bundle.error.no_profile", "recipient profile unknown")
        if profile.author not in {p.author for p in profiles}:
            profiles.append(profile)
    return profiles


def _rows_for(node: Node, since: int, recipients: Sequence[Entry], now: dt.datetime) -> tuple[list[bytes], int]:
    """Canonical bytes of the live entries changed after since that belong at any recipient."""
    store = node.store
    places = Places.from_store(store)
    upto = since
    lines: list[bytes] = []
    cursor = since
    while True:
        rows = store.feed_rows(cursor, PAGE)
        if not rows:
            break
        cursor = rows[-1].seq
        upto = max(upto, cursor)
        if recipients:
            chosen: dict[int, None] = {}
            for profile in recipients:
                for row in select_for(rows, profile.author, places):
                    chosen[row.seq] = None
            seqs = sorted(chosen)
        else:
            seqs = [row.seq for row in rows]
        for _, raw in store.raw_entries(seqs):
            entry = entries.decode(raw)
            if entry.expires_at > now:
                lines.append(raw)
    return lines, upto


def _seal_block(lines: list[bytes], header_line: bytes, content_key: bytes) -> bytes:
    payload = b"".join(line + b"\n" for line in lines)
    # The content key is fresh per bundle, so one fixed nonce is safe.
    sealed = ChaCha20Poly1305(content_key).encrypt(bytes(12), payload, header_line)
    return canonical_bytes({"sealed": b64u_encode(sealed)})


def assemble(header: Header, lines: Sequence[bytes], seed: bytes, content_key: bytes = b"") -> bytes:
    """A bundle file's bytes: the header line, the entry lines (sealed: one block), the signed trailer.

    ``content_key`` is the key the entry lines are sealed with when the header names recipient
    keys; export makes a fresh one per bundle (docs/vectors/ use a fixed one).
    """
    header_line = canonical_bytes(header.to_wire())
    body = [header_line]
    body.extend([_seal_block(list(lines), header_line, content_key)] if header.sealed else lines)
    prefix = b"".join(line + b"\n" for line in body)
    signature = signing.sign(seed, SIG_CONTEXT + hashlib.sha256(prefix).digest())
    trailer = canonical_bytes({"end": MAGIC, "count": len(lines), "sig": b64u_encode(signature)})
    return prefix + trailer + b"\n"


def export_bundle(node: Node, path: Path, *, recipients: Sequence[Entry] = (), since_last: bool = False,
                  seal: bool = False, now: dt.datetime | None = None, mark: bool = True) -> ExportResult:
    """Write the entries the recipients (or anyone) do not have yet to path, atomically."""
    now = now or utcnow()
    if seal and not recipients:
        raise BundleError("bundle.error.seal_needs_recipient", "sealing needs --for")
    targets = [p.author for p in recipients] or [EVERYONE]
    since = min(known_to(node, t, since_last=since_last) for t in targets)
    lines, upto = _rows_for(node, since, recipients, now)
    keys = None
    content_key = b""
    if seal:
        content_key = ChaCha20Poly1305.generate_key()
        keys = {p.author: b64u_encode(sealing.seal(b64u_decode(p.body["sealing_key"]), content_key,
                                                   SEAL_INFO + p.author.encode()))
                for p in recipients}
    header = Header(node.node_id, format_time(now), node.store.epoch, since, upto, len(lines),
                    tuple(p.author for p in recipients), keys)
    # New file beside the target, then renamed: a link planted there is replaced, never written through.
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, assemble(header, lines, node.keys.signing_seed, content_key), mode=0o644)
    if mark:
        for target in targets:
            write_mark(node, target, upto)
    return ExportResult(path, len(lines), since, upto, header.recipients, seal)


# ---- reading ------------------------------------------------------------------------------


def _not_a_whole_number(text: str) -> Any:
    raise ValueError(f"{text} is not a whole number")


def _strict_json(line: bytes) -> Any:
    """Parse one header or trailer line: no NaN, Infinity or fractions; too deep is refused; raises ValueError."""
    try:
        return json.loads(line, parse_constant=_not_a_whole_number, parse_float=_not_a_whole_number)
    except RecursionError as exc:
        raise ValueError("nested too deep") from exc


def _trailer(line: bytes) -> dict[str, Any] | None:
    try:
        obj = _strict_json(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) and obj.get("end") == MAGIC else None


def read_bundle(data: bytes, node: Node | None = None) -> Contents:
    """Split a bundle into header and entry lines, opening it if sealed; raises BundleError."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise BundleError("bundle.error.not_bundle", "empty file")
    try:
        header = Header.from_wire(_strict_json(lines[0]))
    except ValueError as exc:
        raise BundleError("bundle.error.damaged_header", "header is not JSON") from exc
    trailer = _trailer(lines[-1]) if len(lines) > 1 else None
    complete = trailer is not None and data.endswith(b"\n")
    body = lines[1:-1] if trailer is not None else lines[1:]
    signature_ok = False
    if trailer is not None:
        prefix = data[: len(data) - len(lines[-1]) - 1]
        try:
            sig = b64u_decode(str(trailer.get("sig", "")))
            signature_ok = signing.verify(b64u_decode(header.author), SIG_CONTEXT + hashlib.sha256(prefix).digest(), sig)
        except EncodingError:
            signature_ok = False
        signature_ok = signature_ok and trailer.get("count") == header.count
    if header.sealed:
        if not complete:
            raise BundleError("bundle.error.sealed_truncated", "sealed bundle cut short")
        body = _open_sealed(header, lines[0], body, node)
    return Contents(header, [line for line in body if line], complete, signature_ok)


def _open_sealed(header: Header, header_line: bytes, body: list[bytes], node: Node | None) -> list[bytes]:
    assert header.keys is not None
    if node is None or node.node_id not in header.keys:
        raise BundleError("bundle.error.not_for_us", "sealed for other nodes")
    if len(body) != 1:
        raise BundleError("bundle.error.tampered", "sealed bundle cut short or changed")
    try:
        wrapped = b64u_decode(header.keys[node.node_id])
        content_key = sealing.open_sealed(node.keys.sealing_key, wrapped, SEAL_INFO + node.node_id.encode())
        block = json.loads(body[0])
        sealed = b64u_decode(block["sealed"])
        payload = ChaCha20Poly1305(content_key).decrypt(bytes(12), sealed, header_line)
    except (sealing.SealError, InvalidTag, ValueError, KeyError, TypeError, EncodingError) as exc:
        raise BundleError("bundle.error.tampered", "sealed bundle does not open") from exc
    return payload.split(b"\n")


def pair_from_bundle(node: Node, data: bytes, code: str, *, now: dt.datetime | None = None) -> Entry:
    """Trust the bundle's maker if code is its pairing code (read out over the phone); no network needed.

    The maker's signed profile must be in the bundle and the whole file must verify, so the
    code vouches for every byte. Returns the profile; raises BundleError otherwise.
    """
    contents = read_bundle(data, node)
    if not contents.intact:
        raise BundleError("bundle.error.pair_damaged", "pairing needs an intact bundle")
    if normalise_code(code) != fingerprint_code(b64u_decode(contents.header.author)):
        raise BundleError("bundle.error.pair_code", "code does not match the bundle's maker")
    if contents.header.author == node.node_id:
        raise BundleError("bundle.error.pair_self", "a node cannot pair with itself")
    for line in contents.lines:
        try:
            entry = entries.decode(line)
        except entries.EntryError:
            continue
        if entry.type == "node" and entry.author == contents.header.author and entry.verify():
            Trust(node).pair(entry, "", now=now)
            Ingest(node).run([entry], source=entry.author, now=now)
            return entry
    raise BundleError("bundle.error.pair_no_profile", "the maker's profile is not in the bundle")


def import_bundle(node: Node, path: Path, *, now: dt.datetime | None = None, ingest: Ingest | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """Feed a bundle's entries through the ingest pipeline; safe to repeat."""
    return import_bytes(node, read_bundle_file(path, max_bytes), now=now, ingest=ingest)


def read_bundle_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A bundle file's bytes if it is a regular file under the cap; raises BundleError otherwise."""
    try:
        return read_regular(path, max_bytes)
    except RefusedFile as exc:
        key = "bundle.error.missing" if exc.reason == "missing" else "files.refused"
        raise BundleError(key, exc.reason) from exc


def import_bytes(node: Node, data: bytes, *, now: dt.datetime | None = None, ingest: Ingest | None = None) -> ImportResult:
    """Like :func:`import_bundle`, from bytes already read."""
    contents = read_bundle(data, node)
    pipeline = ingest or Ingest(node)
    report = IngestReport()
    # Refusals are counted against the node that carried them, as for a network round.
    for start in range(0, len(contents.lines), PAGE):
        report.add(pipeline.run(contents.lines[start : start + PAGE], source=contents.header.author, now=now))
    return ImportResult(contents.header, contents.intact, contents.complete, contents.signature_ok, report)

