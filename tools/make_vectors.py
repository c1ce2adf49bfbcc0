"""(Re)write the test vectors in docs/vectors/ from fixed inputs, with the project's own code.

Each vector is ``{"inputs": ..., "outputs": ...}``; the functions named in ``COMPUTE`` turn one
vector's inputs into its outputs, and tests/foundation/test_vectors.py runs them on the inputs
as the files hold them, so a file changed by hand or code that changed its bytes fails there.
Run ``.venv/bin/python tools/make_vectors.py`` after a deliberate format change and commit the
files; ``--check`` only says whether they are up to date. docs/vectors/README.md says what each
field is.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crypto import signing  # noqa: E402 - after the path is set, when run as a script
from crypto.encoding import b64u_decode, b64u_encode  # noqa: E402
from crypto.hpke_fixed import seal_with_ephemeral_key  # noqa: E402
from crypto.identity import NodeKeys, fingerprint_code  # noqa: E402
from noticeboard import entry as entries  # noqa: E402
from noticeboard.clock import parse_time  # noqa: E402
from noticeboard.node import message_info, message_plaintext  # noqa: E402
from sync import bundle, httpsig, wire  # noqa: E402

VECTORS = ROOT / "docs" / "vectors"

# Fixed keys: never use these anywhere but here (everyone can read them).
MAKER = NodeKeys(bytes(range(32)), bytes(range(32, 64)))
RECIPIENT = NodeKeys(bytes(range(64, 96)), bytes(range(96, 128)))
EPHEMERAL = bytes(range(128, 160))
CONTENT_KEY = bytes(range(160, 192))
SUCCESSOR = bytes(range(192, 224))
TLS_FP = hashlib.sha256(b"buurthulp test vector certificate").digest()
CREATED = "2026-11-28T12:00:00Z"
PLACE = {"village": "Ezinge", "lat_cdeg": 5332, "lon_cdeg": 644}


def _hex(data: bytes) -> str:
    return data.hex()


def _text(data: bytes) -> str:
    return data.decode("utf-8")


# ---- from inputs to outputs (what the test recomputes) -----------------------------------


def entry_outputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """An entry signed with the seed: its author, check code, signed bytes, signature and canonical bytes."""
    seed = bytes.fromhex(inputs["seed"])
    author = b64u_encode(signing.public_key(seed))
    body = dict(inputs["body"])
    out: dict[str, Any] = {}
    if "successor_seed" in inputs:
        # A hand-over: the successor key signs that it takes over from the author.
        statement = entries.successor_statement(author, body["subject"])
        body["successor_sig"] = b64u_encode(signing.sign(bytes.fromhex(inputs["successor_seed"]), statement))
        out["successor_statement_hex"] = _hex(statement)
    made = entries.make(seed, author, inputs["type"], body, now=parse_time(inputs["updated"]),
                        entry_id=inputs["id"], version=inputs["version"], created=inputs["created"],
                        expires=parse_time(inputs["expires"]))
    canonical = made.canonical()
    return {"author": author, "check_code": fingerprint_code(signing.public_key(seed)), **out,
            "signed": _text(signing.signing_payload(made.to_wire())), "sig": made.sig,
            "canonical": _text(canonical), "canonical_sha256": _hex(hashlib.sha256(canonical).digest())}


def httpsig_outputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """A signed request: as the node sends it, or (``params`` given) another form the server accepts."""
    seed, body = bytes.fromhex(inputs["seed"]), inputs["body"].encode("utf-8")
    keyid = b64u_encode(signing.public_key(seed))
    digest = httpsig.content_digest(body)
    if "params" not in inputs:
        headers = httpsig.sign_request(seed, keyid, inputs["method"], inputs["target_uri"], body, inputs["created"],
                                       inputs["nonce"])
        params = httpsig.signature_params(inputs["created"], keyid, inputs["nonce"])
        base = httpsig.signature_base(inputs["method"], inputs["target_uri"], digest, params)
        return {"keyid": keyid, "content_digest": headers["Content-Digest"],
                "signature_input": headers["Signature-Input"], "signature_base": _text(base),
                "signature": headers["Signature"]}
    values = {"@method": inputs["method"].upper(), "@target-uri": inputs["target_uri"], "content-digest": digest}
    named = {"keyid": keyid, **inputs["params"]}
    items: list[tuple[httpsig.Bare, httpsig.Params]] = [(name, ()) for name in inputs["components"]]
    params_text = httpsig.serialise_inner_list(items, tuple((k, named[k]) for k in inputs["param_order"]))
    base = httpsig.base_of([(name, values[name]) for name in inputs["components"]], params_text)
    sig = signing.sign(seed, base)
    return {"keyid": keyid, "content_digest": digest, "signature_input": f"{inputs['label']}={params_text}",
            "signature_base": _text(base),
            "signature": f"{inputs['label']}=:{base64.b64encode(sig).decode('ascii')}:"}


def hpke_outputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """A message's sealed part: plaintext and info as the node writes them, sealed with a fixed ephemeral key."""
    recipient_private = bytes.fromhex(inputs["recipient_sealing_private"])
    recipient_public = NodeKeys(bytes(32), recipient_private).sealing_public
    plaintext = message_plaintext(inputs["content"])
    info = message_info(inputs["recipient"], inputs["signer"])
    sealed = seal_with_ephemeral_key(recipient_public, plaintext, info, bytes.fromhex(inputs["ephemeral_private"]))
    return {"recipient_sealing_public": b64u_encode(recipient_public), "plaintext": _text(plaintext),
            "info": _text(info), "enc_hex": _hex(sealed[:32]), "ciphertext_hex": _hex(sealed[32:]),
            "sealed": b64u_encode(sealed)}


def bundle_outputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """A bundle file made by the maker's seed: header, the lines between, trailer, and the whole file."""
    seed = bytes.fromhex(inputs["seed"])
    lines = [line.encode("utf-8") for line in inputs["lines"]]
    keys, content_key = None, b""
    if "content_key" in inputs:
        content_key = bytes.fromhex(inputs["content_key"])
        keys = {node: b64u_encode(seal_with_ephemeral_key(b64u_decode(public), content_key,
                                                          bundle.SEAL_INFO + node.encode(),
                                                          bytes.fromhex(inputs["ephemeral_private"])))
                for node, public in inputs["recipients"].items()}
    header = bundle.Header(b64u_encode(signing.public_key(seed)), inputs["created"], inputs["epoch"], inputs["since"],
                           inputs["upto"], len(lines), tuple(inputs["recipients"]), keys)
    data = bundle.assemble(header, lines, seed, content_key)
    parts = data.split(b"\n")[:-1]
    prefix = data[: len(data) - len(parts[-1]) - 1]
    return {"header": _text(parts[0]), "between": [_text(p) for p in parts[1:-1]], "trailer": _text(parts[-1]),
            "signed_sha256": _hex(hashlib.sha256(prefix).digest()), "file": _text(data)}


COMPUTE = {"entries.json": entry_outputs, "httpsig.json": httpsig_outputs, "hpke.json": hpke_outputs,
           "bundle.json": bundle_outputs}


# ---- the fixed inputs ---------------------------------------------------------------------


def _entry(kind: str, entry_id: str, body: dict[str, Any], *, version: int = 1, expires: str = "",
           **extra: Any) -> dict[str, Any]:
    lifetime = entries.DEFAULT_LIFETIME.get(kind, entries.DEFAULT_LIFETIME["request"])
    until = expires or entries.format_time(parse_time(CREATED) + lifetime)
    return {"type": kind, "seed": _hex(MAKER.signing_seed), "id": entry_id, "version": version,
            "created": CREATED, "updated": CREATED, "expires": until, "body": body, **extra}


def _vector(file: str, name: str, about: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "about": about, "inputs": inputs, "outputs": COMPUTE[file](inputs)}


def build() -> dict[str, str]:
    """Every vector file's text, from the fixed inputs above."""
    maker, recipient = MAKER.node_id, RECIPIENT.node_id
    successor = b64u_encode(signing.public_key(SUCCESSOR))
    request_id, offer_id = "0b6f4f7e-6d2a-4c1b-9e3f-5a7d8c9b0a12", "1c7a5b8f-7e3b-4d2c-8f40-6b8e9dac1b23"
    content = {"kind": "response", "re": {"author": recipient, "id": request_id, "ref": "BH-7K3Q"},
               "name": "Piet", "contact": "050 765 4321", "message": "Ik kan dinsdag, één uur.",
               "from": {"node": maker, "name": "Dorpshuis De Wierde", "village": "Ezinge"}}
    hpke = {"recipient_sealing_private": _hex(RECIPIENT.sealing_key), "ephemeral_private": _hex(EPHEMERAL),
            "recipient": recipient, "signer": maker, "content": content}
    sealed = hpke_outputs(hpke)["sealed"]
    request = _entry("request", request_id, {
        "category": "tuin", "title": "Heg knippen", "text": "De heg is te hoog voor mij. Één keer.",
        "when": {"text": "zaterdag", "days": ["sat"], "slots": ["morning"]}, "place": PLACE, "reach_km": 10,
        "status": "open", "ref": "BH-7K3Q", "lang": "nl", "name": "Anna", "urgency": "week", "where": "outside",
        "costs": "none", "recurring": False, "languages": ["nl", "en"]})
    offer = _entry("offer", offer_id, {
        "category": "vervoer", "title": "Rijden naar de dokter", "text": "", "place": PLACE, "reach_km": 25,
        "status": "open", "ref": "BH-9M2X", "lang": "nl"})
    node = _entry("node", "2d8b6c90-8f4c-4e3d-9a51-7c9fa0bd2c34", {
        "name": "Dorpshuis De Wierde", "place": PLACE, "sealing_key": b64u_encode(MAKER.sealing_public),
        "tls_fp": b64u_encode(TLS_FP), "phone": "0594 123 456", "hours": "ma-vr 9-12",
        "addresses": ["192.168.1.20:8443"]})
    vouch = _entry("vouch", "3e9c7da1-9a5d-4f4e-8b62-8dab1ace3d45", {"subject": recipient, "name": "Buurthuis Garnwerd"})
    handover = _entry("vouch", "4fad8eb2-ab6e-4a5f-9c73-9ebc2bdf4e56", {"subject": successor, "successor": True},
                      successor_seed=_hex(SUCCESSOR))
    message = _entry("message", "5abe9fc3-bc7f-4b60-8d84-afcd3ce05f67", {"to": recipient, "sealed": sealed})
    # October's figures, signed at the end of November: the id is the month's (entries.stats_id).
    stats = _entry("stats", entries.stats_id("2026-10"), {
        "month": "2026-10",
        "variant": {"matching": "desk", "reciprocity": "none", "backup": "professional", "place": "village",
                    "channels": ["kiosk", "phone"]},
        "categories": {"boodschappen": [10, 0, 6, 6, 5, 5, "<5", "<5", "<5", "<5", 0, 0],
                       "vervoer": ["<5", 7, "<5", "<5", 0, 0, 0, 0, 0, 0, "<5", 0]},
        "figures": {"residents_helped": 5, "gave_and_got": "<5", "median_hours_to_match": 2}})
    # Withdrawn at once: it expires TOMBSTONE_GRACE after the offer would have (entries.tombstone).
    until = entries.format_time(parse_time(offer["expires"]) + entries.TOMBSTONE_GRACE)
    tombstone = _entry("tombstone", offer_id, {"was": "offer"}, version=2, expires=until)
    entry_vectors = [
        _vector("entries.json", "request", "a request with every optional field", request),
        _vector("entries.json", "offer", "an offer with only the required fields", offer),
        _vector("entries.json", "node", "a centre's profile", node),
        _vector("entries.json", "vouch", "a vouch for a paired centre", vouch),
        _vector("entries.json", "handover", "a signing-key hand-over (a vouch with successor)", handover),
        _vector("entries.json", "message", "a message; its sealed part is the one in hpke.json", message),
        _vector("entries.json", "stats", "a centre's evaluation figures of one month (counts of 1 to 4 as \"<5\")",
                stats),
        _vector("entries.json", "tombstone", "a tombstone withdrawing the offer above (expires 30 days after it would have)",
                tombstone),
    ]
    push_body = _text(wire.dumps({"epoch": "5f0c1b2a9d8e4f7a8b6c3d2e1f0a9b8c", "since": 42}))
    request_inputs = {"seed": _hex(MAKER.signing_seed), "method": "POST",
                      "target_uri": "https://192.168.1.20:8443/v1/changes", "body": push_body,
                      "created": 1764331200, "nonce": "q7Ksd2l0Yk9uTmNl"}
    liberal = {**request_inputs, "label": "req", "components": ["content-digest", "@target-uri", "@method"],
               "params": {"nonce": "bm9uY2Utb2YtMTYtY2hhcnM", "created": 1764331200, "expires": 1764331260},
               "param_order": ["keyid", "nonce", "expires", "created"]}
    maker_lines = [entry_vectors[2]["outputs"]["canonical"], entry_vectors[0]["outputs"]["canonical"]]
    plain_bundle = {"seed": _hex(MAKER.signing_seed), "created": CREATED, "epoch": "5f0c1b2a9d8e4f7a8b6c3d2e1f0a9b8c",
                    "since": 0, "upto": 7, "lines": maker_lines, "recipients": {}}
    sealed_bundle = {**plain_bundle, "recipients": {recipient: b64u_encode(RECIPIENT.sealing_public)},
                     "content_key": _hex(CONTENT_KEY), "ephemeral_private": _hex(EPHEMERAL)}
    files = {
        "entries.json": entry_vectors,
        "httpsig.json": [_vector("httpsig.json", "as-sent", "POST /v1/changes as the node signs it", request_inputs),
                         _vector("httpsig.json", "accepted-variant", "the same request in another form the server accepts: another "
                                 "label, components and parameters in another order, no alg, with expires", liberal)],
        "hpke.json": [_vector("hpke.json", "message", "the sealed part of the message in entries.json", hpke)],
        "bundle.json": [_vector("bundle.json", "plain", "a bundle for anyone: the maker's profile and its request",
                                plain_bundle),
                        _vector("bundle.json", "sealed", "the same entries sealed for one recipient", sealed_bundle)],
    }
    return {name: json.dumps(vectors, indent=2, ensure_ascii=False) + "\n" for name, vectors in files.items()}


def main(argv: list[str] | None = None) -> int:
    """Write the files (or, with --check, say which differ)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not up to date")
    args = parser.parse_args(argv)
    stale = []
    for name, text in build().items():
        path = VECTORS / name
        if path.exists() and path.read_text("utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    print(("stale: " if args.check else "written: ") + (", ".join(stale) or "none"))
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
