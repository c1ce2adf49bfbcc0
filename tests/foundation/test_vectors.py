"""The test vectors in docs/vectors/: recomputed byte for byte from their inputs, and checked by the parts that read them.

Two kinds of check. Every vector's outputs are recomputed from the inputs the file holds with
the project's code (tools/make_vectors.py), and the files are what the tool writes. Then each
output is read back by the code a peer's bytes meet: the entry decoder and signature check, the
server's RFC 9421 check, HPKE opening (``cryptography``), the bundle reader; and the fixed-key
HPKE sealer is checked against RFC 9180's own vector.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from crypto import sealing, signing
from crypto.encoding import b64u_decode
from crypto.hpke_fixed import seal_with_ephemeral_key
from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard import fastdecode
from noticeboard.clock import parse_time
from sync import bundle, httpsig
from tools import make_vectors

VECTORS = Path(__file__).resolve().parents[2] / "docs" / "vectors"


def load(name: str) -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads((VECTORS / name).read_text("utf-8"))
    return vectors


def test_the_files_are_what_the_tool_writes_and_the_readme_names_each() -> None:
    built = make_vectors.build()
    assert sorted(built) == sorted(p.name for p in VECTORS.glob("*.json"))
    for name, text in built.items():
        assert (VECTORS / name).read_text("utf-8") == text, f"{name}: run tools/make_vectors.py"
    readme = (VECTORS / "README.md").read_text("utf-8")
    for name in built:
        assert f"`{name}`" in readme
        for vector in load(name):
            assert f"`{vector['name']}`" in readme, (name, vector["name"])


@pytest.mark.parametrize("name", sorted(make_vectors.COMPUTE))
def test_every_vector_is_recomputed_from_its_own_inputs(name: str) -> None:
    compute = make_vectors.COMPUTE[name]
    for vector in load(name):
        assert compute(vector["inputs"]) == vector["outputs"], (name, vector["name"])


def test_each_entry_vector_decodes_verifies_and_is_one_of_each_type() -> None:
    found = load("entries.json")
    assert {v["inputs"]["type"] for v in found} == set(entries.TYPES)
    for vector in found:
        out = vector["outputs"]
        raw = out["canonical"].encode("utf-8")
        assert hashlib.sha256(raw).hexdigest() == out["canonical_sha256"]
        for decode in (entries.decode, fastdecode.decode):
            entry = decode(raw)
            assert entry.verify() and entry.sig == out["sig"] and entry.author == out["author"]
        public = b64u_decode(out["author"])
        assert signing.verify(public, out["signed"].encode("utf-8"), b64u_decode(out["sig"]))
        # What is signed is the entry without sig, canonical: the same bytes less the one field.
        assert json.loads(out["signed"]) == {k: v for k, v in json.loads(raw).items() if k != "sig"}
        # Independent of our code: the reference RFC 8785 encoder and OpenSSL's Ed25519 agree.
        assert rfc8785.dumps(json.loads(raw)) == raw
        assert rfc8785.dumps(json.loads(out["signed"])) == out["signed"].encode("utf-8")
        Ed25519PublicKey.from_public_bytes(public).verify(b64u_decode(out["sig"]), out["signed"].encode("utf-8"))
        if "successor_seed" in vector["inputs"]:
            body = entry.body
            assert signing.verify(b64u_decode(body["subject"]), bytes.fromhex(out["successor_statement_hex"]),
                                  b64u_decode(body["successor_sig"]))


def test_the_message_vector_carries_the_hpke_vector_and_it_opens() -> None:
    (hpke,) = load("hpke.json")
    message = next(v for v in load("entries.json") if v["inputs"]["type"] == "message")
    assert message["inputs"]["body"]["sealed"] == hpke["outputs"]["sealed"]
    inputs, out = hpke["inputs"], hpke["outputs"]
    sealed = b64u_decode(out["sealed"])
    assert sealed.hex() == out["enc_hex"] + out["ciphertext_hex"]
    opened = sealing.open_sealed(bytes.fromhex(inputs["recipient_sealing_private"]), sealed, out["info"].encode())
    assert opened == out["plaintext"].encode("utf-8")
    assert json.loads(opened) == inputs["content"]


def test_the_fixed_key_sealer_gives_rfc_9180_vector_a_2_1() -> None:
    # RFC 9180 appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base mode,
    # first encryption (sequence 0).
    h = bytes.fromhex
    sealed = seal_with_ephemeral_key(
        h("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a"),
        h("4265617574792069732074727574682c20747275746820626561757479"),
        h("4f6465206f6e2061204772656369616e2055726e"),
        h("f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600"), aad=h("436f756e742d30"))
    assert sealed == h("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a"
                       "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28")
    # And what it seals without associated data (as the node seals) opens with the node's opener.
    recipient = NodeKeys(bytes(32), bytes(range(32)))
    blob = seal_with_ephemeral_key(recipient.sealing_public, b"hallo", b"info", bytes(range(32, 64)))
    assert sealing.open_sealed(recipient.sealing_key, blob, b"info") == b"hallo"


@pytest.mark.parametrize("index", [0, 1])
def test_the_signed_requests_pass_the_servers_check(index: int) -> None:
    vector = load("httpsig.json")[index]
    inputs, out = vector["inputs"], vector["outputs"]
    headers = {"Content-Digest": out["content_digest"], "Signature-Input": out["signature_input"],
               "Signature": out["signature"]}
    signed = httpsig.parse(headers)
    body = inputs["body"].encode("utf-8")
    httpsig.check(signed, inputs["method"], inputs["target_uri"], body, now=inputs["created"])
    assert signed.keyid == out["keyid"]
    label = out["signature"].split("=", 1)[0]
    signature = base64.b64decode(out["signature"][len(label) + 2:-1])
    assert signing.verify(b64u_decode(out["keyid"]), out["signature_base"].encode("ascii"), signature)
    with pytest.raises(httpsig.SignatureRefused):
        httpsig.check(signed, inputs["method"], inputs["target_uri"], body + b" ", now=inputs["created"])


def test_the_plain_bundle_reads_back_whole_with_its_lines() -> None:
    vector = next(v for v in load("bundle.json") if v["name"] == "plain")
    out = vector["outputs"]
    contents = bundle.read_bundle(out["file"].encode("utf-8"))
    assert contents.intact and contents.signature_ok
    assert [line.decode("utf-8") for line in contents.lines] == vector["inputs"]["lines"] == out["between"]
    assert out["file"] == "\n".join([out["header"], *out["between"], out["trailer"]]) + "\n"
    header, trailer = json.loads(out["header"]), json.loads(out["trailer"])
    assert header["bundle"] == bundle.MAGIC and trailer["end"] == bundle.MAGIC
    digest = hashlib.sha256(out["file"].encode("utf-8")[: -len(out["trailer"]) - 1]).digest()
    assert digest.hex() == out["signed_sha256"]
    assert signing.verify(b64u_decode(header["from"]), bundle.SIG_CONTEXT + digest, b64u_decode(trailer["sig"]))
    assert parse_time(header["created"]) == parse_time(vector["inputs"]["created"])


def test_the_sealed_bundle_opens_for_its_recipient() -> None:
    vector = next(v for v in load("bundle.json") if v["name"] == "sealed")
    inputs, out = vector["inputs"], vector["outputs"]
    header = json.loads(out["header"])
    (recipient,) = header["for"]
    private = bytes.fromhex(next(v for v in load("hpke.json"))["inputs"]["recipient_sealing_private"])
    content_key = sealing.open_sealed(private, b64u_decode(header["sealed"]["keys"][recipient]),
                                      bundle.SEAL_INFO + recipient.encode())
    assert content_key.hex() == inputs["content_key"]
    (block,) = out["between"]
    payload = ChaCha20Poly1305(content_key).decrypt(bytes(12), b64u_decode(json.loads(block)["sealed"]),
                                                    out["header"].encode("utf-8"))
    assert payload.decode("utf-8") == "".join(line + "\n" for line in inputs["lines"])
    assert header["sealed"]["suite"] == sealing.SUITE_NAME + "+ChaCha20Poly1305"
