"""One node: its identity, its profile, and what residents and volunteers do with posts.

This is the headless core the CLI, the kiosk and the sync service share.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crypto import sealing, tls
from crypto.encoding import b64u_decode, b64u_encode
from crypto.identity import NodeKeys, fingerprint_code
from noticeboard import entry as entries
from noticeboard.categories import BY_CODE
from noticeboard.clock import utcnow
from noticeboard.contact import Contact
from noticeboard.entry import Entry, EntryError
from noticeboard.files import make_private
from noticeboard.geo import Place
from noticeboard.refcode import new_ref, normalise_ref
from noticeboard.store import NotInitialised, Store, Unlock
from noticeboard.store.errors import StoreError

# The info string binds a sealed message to its purpose, its recipient and its signer: a blob
# sealed by one centre does not open when another centre signs it as its own message.
MESSAGE_INFO = b"buurthulp-message-v2|"
# Counted per author in the ``refusals`` table when a sealed message does not open here.
UNOPENED = "sealed_unopened"


def message_info(recipient: str, sender: str) -> bytes:
    """The HPKE info of a message from ``sender`` to ``recipient`` (both node ids)."""
    return MESSAGE_INFO + recipient.encode() + b"|" + sender.encode()


def message_plaintext(content: dict[str, Any]) -> bytes:
    """What a message seals: its content as UTF-8 JSON, keys sorted, Python's default separators."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True).encode()


class NotFound(StoreError):
    """No post with that reference code."""

    text_key = "error.not_found"


class NotOwn(StoreError):
    """The post belongs to another node."""

    text_key = "error.not_own"


@dataclass(frozen=True)
class Profile:
    """A centre's public profile, as carried in its signed ``node`` entry."""

    name: str
    place: Place
    phone: str = ""
    hours: str = ""

    def body(self, keys: NodeKeys, tls_fp: bytes, addresses: list[str] | None = None) -> dict[str, Any]:
        """The ``node`` entry body for this profile."""
        body: dict[str, Any] = {
            "name": self.name, "place": self.place.to_wire(),
            "sealing_key": b64u_encode(keys.sealing_public), "tls_fp": b64u_encode(tls_fp),
        }
        if self.phone:
            body["phone"] = self.phone
        if self.hours:
            body["hours"] = self.hours
        if addresses:
            body["addresses"] = addresses
        return body


@dataclass
class PostDraft:
    """What a person said they need or offer, before it is signed."""

    kind: str
    category: str
    title: str
    text: str = ""
    when: str = ""
    reach_km: int = 10
    name: str = ""
    lang: str = "nl"
    tags: dict[str, Any] = field(default_factory=dict)


def database_path(data_dir: Path) -> Path:
    """Where a node's database lives inside its data directory."""
    return data_dir / Store.FILENAME


class Node:
    """An unlocked node: store, keys and profile."""

    def __init__(self, data_dir: Path, store: Store) -> None:
        self.data_dir = data_dir
        self.store = store
        seed, sealing_key = store.secret("signing_seed"), store.secret("sealing_key")
        if seed is None or sealing_key is None:
            raise NotInitialised(str(data_dir))
        self.keys = NodeKeys(seed, sealing_key)
        self.node_id = self.keys.node_id

    @classmethod
    def create(cls, data_dir: Path, unlock: Unlock, profile: Profile, *, now: dt.datetime | None = None,
               scrypt: Any = None) -> Node:
        """Make a new node: keys, certificate, and its signed profile."""
        now = now or utcnow()
        make_private(data_dir)
        store = Store.create(database_path(data_dir), unlock, scrypt=scrypt)
        make_private(data_dir)
        keys = NodeKeys.generate()
        cert_der, key_der = tls.make_certificate(f"buurthulp {keys.node_id[:12]}", now)
        store.put_secret("signing_seed", keys.signing_seed)
        store.put_secret("sealing_key", keys.sealing_key)
        store.put_secret("tls_key", key_der)
        store.set_meta("node_id", keys.node_id)
        store.set_meta("tls_cert", b64u_encode(cert_der))
        node = cls(data_dir, store)
        node.publish_profile(profile, now=now)
        return node

    @classmethod
    def open(cls, data_dir: Path, unlock: Unlock) -> Node:
        """Open and unlock an existing node."""
        node = cls(data_dir, Store.open(database_path(data_dir), unlock))
        make_private(data_dir)
        return node

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- identity and profile ----------------------------------------------------------

    @property
    def fingerprint_code(self) -> str:
        """The code a coordinator reads out to pair with another centre."""
        return fingerprint_code(self.keys.public_key)

    @property
    def tls_certificate(self) -> bytes:
        """This node's TLS certificate (DER)."""
        return b64u_decode(self.store.meta("tls_cert") or "")

    @property
    def tls_fingerprint(self) -> bytes:
        """SHA-256 of the certificate, which peers pin."""
        return tls.certificate_fingerprint(self.tls_certificate)

    def profile_entry(self) -> Entry:
        """This node's own signed ``node`` entry."""
        found = self.store.get(self.node_id, self.profile_id)
        if found is None or found.type != "node":
            raise NotInitialised("node profile missing")
        return found

    @property
    def profile_id(self) -> str:
        """The fixed id of this node's profile entry."""
        value = self.store.meta("profile_id")
        if value is None:
            raise NotInitialised("node profile missing")
        return value

    def profile(self) -> Profile:
        """This node's public profile."""
        body = self.profile_entry().body
        return Profile(body["name"], Place.from_wire(body["place"]), body.get("phone", ""), body.get("hours", ""))

    def publish_profile(self, profile: Profile, *, now: dt.datetime | None = None,
                        addresses: list[str] | None = None) -> Entry:
        """Sign (a new version of) this node's profile entry and store it."""
        now = now or utcnow()
        body = profile.body(self.keys, self.tls_fingerprint, addresses)
        existing_id = self.store.meta("profile_id")
        if existing_id is None:
            made = entries.make(self.keys.signing_seed, self.node_id, "node", body, now=now)
            self.store.set_meta("profile_id", made.id)
        else:
            current = self.store.get(self.node_id, existing_id)
            assert current is not None
            made = entries.revise(self.keys.signing_seed, current, body, now=now,
                                  expires=now + entries.DEFAULT_LIFETIME["node"])
        self.store.apply(made, now=now)
        return made

    # ---- posts -------------------------------------------------------------------------

    def post(self, draft: PostDraft, *, contact: Contact | None = None,
             now: dt.datetime | None = None, expires: dt.datetime | None = None) -> Entry:
        """Sign and store a new request or offer; contact details stay local, sealed."""
        now = now or utcnow()
        if draft.kind not in entries.POSTS:
            raise EntryError("schema", "kind must be request or offer")
        if draft.category not in BY_CODE:
            raise EntryError("unknown_category", draft.category)
        place = self.profile().place
        body: dict[str, Any] = {
            "category": draft.category, "title": draft.title.strip(), "text": draft.text.strip(),
            "place": place.to_wire(), "reach_km": draft.reach_km, "status": "open",
            "ref": new_ref(self.store.ref_in_use), "lang": draft.lang,
        }
        if draft.when.strip():
            body["when"] = {"text": draft.when.strip()}
        if draft.name.strip():
            body["name"] = draft.name.strip()
        body.update(draft.tags)
        made = entries.make(self.keys.signing_seed, self.node_id, draft.kind, body, now=now, expires=expires)
        self.store.apply(made, now=now)
        if contact:
            self.store.set_contact(made.author, made.id, contact)
        return made

    def find(self, ref: str) -> Entry:
        """The post with this code, preferring our own; raises NotFound."""
        found = self.store.by_ref(normalise_ref(ref))
        if not found:
            raise NotFound(normalise_ref(ref))
        own = [e for e in found if e.author == self.node_id]
        return (own or found)[0]

    def find_own(self, ref: str) -> Entry:
        """One of our own posts by code; raises NotFound or NotOwn."""
        found = self.find(ref)
        if found.author != self.node_id:
            raise NotOwn(found.body["ref"])
        return found

    def set_status(self, ref: str, status: str, *, now: dt.datetime | None = None) -> Entry:
        """Change the status of one of our own posts (open, matched, done)."""
        current = self.find_own(ref)
        body = dict(current.body, status=status)
        made = entries.revise(self.keys.signing_seed, current, body, now=now or utcnow())
        self.store.apply(made, now=now or utcnow())
        return made

    def withdraw(self, ref: str, *, now: dt.datetime | None = None) -> Entry:
        """Withdraw one of our own posts: a tombstone erases it here and everywhere it went."""
        now = now or utcnow()
        current = self.find_own(ref)
        made = entries.tombstone(self.keys.signing_seed, current, now=now)
        self.store.apply(made, now=now)
        return made

    # ---- "I can help" ----------------------------------------------------------------------

    def respond(self, post: Entry, *, name: str, contact: str, message: str = "",
                now: dt.datetime | None = None, rid: str | None = None) -> Entry | None:
        """Say "I can help" on a post. Ours: kept here. Another node's: sealed to that node only.

        Returns the sealed ``message`` entry for a remote post (to be carried by sync), or
        None when the response stayed local.
        """
        now = now or utcnow()
        content = {"kind": "response", "re": {"author": post.author, "id": post.id, "ref": post.body["ref"]},
                   "name": name, "contact": contact, "message": message}
        if post.author == self.node_id:
            self.store.add_response(post.author, post.id, {**content, "via": "local"}, now=now, rid=rid)
            return None
        home = self.node_profile(post.author)
        if home is None:
            raise NotFound(post.body["ref"])
        profile = self.profile()
        content["from"] = {"node": self.node_id, "name": profile.name, "village": profile.place.village}
        return self.seal_message(home, content, now=now)

    def node_profile(self, node_id: str) -> Entry | None:
        """The newest signed ``node`` entry of another centre that we hold, or None."""
        found = [e for e in self.store.entries(types=["node"], author=node_id)]
        return max(found, key=lambda e: e.updated) if found else None

    def take_in_messages(self, *, now: dt.datetime | None = None) -> int:
        """Open messages sealed to us and keep each response with the post it is about."""
        now = now or utcnow()
        taken = 0
        for message, content in self.opened_messages(now=now):
            re = content.get("re") if isinstance(content.get("re"), dict) else None
            if content.get("kind") != "response" or not re or re.get("author") != self.node_id:
                continue
            rid = f"msg|{message.author}|{message.id}"
            before = len(self.store.responses(self.node_id, str(re.get("id"))))
            self.store.add_response(self.node_id, str(re.get("id")), {**content, "via": "sealed"}, now=now, rid=rid)
            taken += len(self.store.responses(self.node_id, str(re.get("id")))) - before
        return taken

    # ---- sealed messages -----------------------------------------------------------------

    def seal_message(self, recipient: Entry, content: dict[str, Any], *, now: dt.datetime | None = None) -> Entry:
        """A ``message`` entry to the node whose profile is ``recipient``, readable only there."""
        now = now or utcnow()
        if recipient.type != "node":
            raise EntryError("schema", "messages are sealed to a node profile")
        blob = sealing.seal(b64u_decode(recipient.body["sealing_key"]), message_plaintext(content),
                            message_info(recipient.author, self.node_id))
        body = {"to": recipient.author, "sealed": b64u_encode(blob)}
        made = entries.make(self.keys.signing_seed, self.node_id, "message", body, now=now)
        self.store.apply(made, now=now)
        return made

    def open_message(self, message: Entry) -> dict[str, Any]:
        """Open a message sealed to this node by its signer; raises SealError for anything else.

        The ``from`` of what it says is replaced by the signer's own signed profile: what a
        message claims about its sender is never shown (docs/protocol.md, "Sealed messages").
        """
        if message.type != "message" or message.body["to"] != self.node_id:
            raise sealing.SealError("this message is not for this node")
        try:
            blob = b64u_decode(message.body["sealed"])
        except ValueError as exc:
            raise sealing.SealError("sealed message is not base64url") from exc
        plain = sealing.open_sealed(self.keys.sealing_key, blob, message_info(self.node_id, message.author))
        try:
            content = json.loads(plain)
        except ValueError as exc:
            raise sealing.SealError("sealed message is not JSON") from exc
        if not isinstance(content, dict):
            raise sealing.SealError("sealed message is not an object")
        return {**content, "from": self.signer(message.author)}

    def signer(self, node_id: str) -> dict[str, str]:
        """Who signed a message, as its own signed profile says (name and village may be empty)."""
        profile = self.node_profile(node_id)
        body = profile.body if profile is not None else {}
        place = found if isinstance(found := body.get("place"), dict) else {}
        return {"node": node_id, "name": str(body.get("name", "")), "village": str(place.get("village", ""))}

    def opened_messages(self, *, now: dt.datetime | None = None) -> list[tuple[Entry, dict[str, Any]]]:
        """Every message sealed to this node that opens, with what it says.

        One that does not open is left out and counted for its author (``refusals``, reason
        ``sealed_unopened``): one peer's garbage never stops the messages of the others.
        """
        now = now or utcnow()
        opened: list[tuple[Entry, dict[str, Any]]] = []
        unopened: Counter[str] = Counter()
        for message in self.store.entries(types=["message"]):
            if message.body["to"] != self.node_id:
                continue
            try:
                opened.append((message, self.open_message(message)))
            except sealing.SealError:
                unopened[message.author] += 1
        self._count_unopened(unopened, now)
        return opened

    def _count_unopened(self, unopened: Counter[str], now: dt.datetime) -> None:
        # The count is how many of the author's messages held now do not open, so opening the
        # inbox again does not count the same message twice.
        with self.store.read() as conn:
            held = dict(conn.execute("SELECT source, count FROM refusals WHERE reason = ?", (UNOPENED,)).fetchall())
        changed = {author: unopened.get(author, 0) for author in set(held) | set(unopened)
                   if held.get(author) != unopened.get(author, 0)}
        if not changed:
            return
        with self.store.write() as conn:
            for author, count in changed.items():
                conn.execute("INSERT INTO refusals(source, reason, count, last) VALUES (?,?,?,?) "
                             "ON CONFLICT(source, reason) DO UPDATE SET count = excluded.count, "
                             "last = excluded.last", (author, UNOPENED, count, int(now.timestamp())))
