"""RFC 9421 variants a peer written elsewhere may send, against a real TLS peer server on 127.0.0.1.

The signature base is built here by hand from the RFC's rules (not by sync.httpsig), so the
server is checked against the RFC and docs/protocol.md, not against its own signer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from crypto import signing
from crypto.encoding import b64u_encode
from noticeboard.clock import utcnow
from noticeboard.node import Node
from sync import httpsig, wire
from tests.sync.helpers import Servers, line_node, pair_both


def _digest(body: bytes, name: str = "sha-256") -> str:
    return f"{name}=:" + base64.b64encode(hashlib.new(name.replace("-", ""), body).digest()).decode() + ":"


def _quoted(value: str | int) -> str:
    return str(value) if isinstance(value, int) else f'"{value}"'


def signed_headers(node: Node, url: str, body: bytes, *, components: Sequence[str] = (
        "@method", "@target-uri", "content-digest"), params: Sequence[tuple[str, str | int]] | None = None,
        label: str = "sig1", extra: dict[str, str] | None = None, digest: str | None = None,
        before: str = "") -> dict[str, str]:
    """Headers signing a POST the way the RFC allows, with the components and parameters given in order."""
    now = int(utcnow().timestamp())
    headers = {"Content-Digest": digest or _digest(body), "Content-Type": wire.JSON, **(extra or {})}
    params = params if params is not None else [
        ("created", now), ("keyid", node.node_id), ("nonce", b64u_encode(os.urandom(12)))]
    parts = urlsplit(url)
    derived = {"@method": "POST", "@target-uri": url, "@authority": parts.netloc, "@path": parts.path,
               "@scheme": "https"}
    lower = {k.lower(): v for k, v in headers.items()}
    inner = "(" + " ".join(f'"{c}"' for c in components) + ")" + "".join(f";{k}={_quoted(v)}" for k, v in params)
    base = "".join(f'"{c}": {derived[c] if c.startswith("@") else lower[c]}\n' for c in components)
    base += f'"@signature-params": {inner}'
    sig = base64.b64encode(signing.sign(node.keys.signing_seed, base.encode())).decode()
    return {**headers, "Signature-Input": before + f"{label}={inner}", "Signature": f"{label}=:{sig}:"}


async def _post(session: aiohttp.ClientSession, pin: aiohttp.Fingerprint, url: str, body: bytes,
                headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    # One pin object for all requests: aiohttp pools connections per pin object, so one per request
    # would open a connection each time and reach the server's 16 per address.
    async with session.post(url, data=body, headers=headers, ssl=pin) as response:
        raw = await response.read()
        return response.status, json.loads(raw.split(b"\n")[0])


async def test_the_server_accepts_what_rfc_9421_allows_and_refuses_what_the_spec_says(
        tmp_path: Path, servers: Servers) -> None:
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    a_addr, b_addr = await servers.start(a), await servers.start(b)
    await pair_both(a, a_addr, b, b_addr)
    url = f"https://{b_addr}/v1/changes"
    body = wire.dumps({"epoch": b.store.epoch, "since": 0})
    now = int(utcnow().timestamp())

    def nonce() -> str:
        return b64u_encode(os.urandom(12))

    accepted = {
        "parameters in another order": signed_headers(a, url, body, params=[
            ("nonce", nonce()), ("alg", "ed25519"), ("keyid", a.node_id), ("created", now)]),
        "no alg": signed_headers(a, url, body, params=[("keyid", a.node_id), ("created", now), ("nonce", nonce())]),
        "expires ahead": signed_headers(a, url, body, params=[
            ("created", now), ("expires", now + 60), ("keyid", a.node_id), ("nonce", nonce())]),
        "a tag and an unknown parameter": signed_headers(a, url, body, params=[
            ("created", now), ("keyid", a.node_id), ("nonce", nonce()), ("tag", "buurthulp"), ("x-note", 7)]),
        "components in another order, and more of them": signed_headers(
            a, url, body, components=("content-type", "content-digest", "@authority", "@path", "@target-uri",
                                      "@method")),
        "another label": signed_headers(a, url, body, label="peer"),
        "sha-512 beside sha-256": signed_headers(a, url, body, digest=_digest(body, "sha-512") + ", "
                                                 + _digest(body)),
        "only sha-512": signed_headers(a, url, body, digest=_digest(body, "sha-512")),
        "a second signature the server skips": signed_headers(
            a, url, body, before='other=("@method");created=1;keyid="x", '),
    }
    refused = {
        "expires passed": (signed_headers(a, url, body, params=[
            ("created", now - 100), ("expires", now - 10), ("keyid", a.node_id), ("nonce", nonce())]), 401, "stale"),
        "another alg": (signed_headers(a, url, body, params=[
            ("created", now), ("keyid", a.node_id), ("nonce", nonce()), ("alg", "rsa-pss-sha512")]),
            401, "bad_signature_input"),
        "content-digest not covered": (signed_headers(a, url, body, components=("@method", "@target-uri")),
                                       401, "bad_signature_input"),
        "@target-uri not covered": (signed_headers(a, url, body, components=("@method", "@path", "content-digest")),
                                    401, "bad_signature_input"),
        "no nonce": (signed_headers(a, url, body, params=[("created", now), ("keyid", a.node_id)]),
                     401, "bad_signature_input"),
        "no created": (signed_headers(a, url, body, params=[("keyid", a.node_id), ("nonce", nonce())]),
                       401, "bad_signature_input"),
        "no digest we know": (signed_headers(a, url, body, digest="md5=:" + base64.b64encode(
            hashlib.md5(body).digest()).decode() + ":"), 401, "bad_signature_input"),
        "sha-512 of another body": (signed_headers(a, url, body, digest=_digest(b"{}", "sha-512") + ", "
                                                   + _digest(body)), 401, "digest_mismatch"),
    }
    pin = aiohttp.Fingerprint(b.tls_fingerprint)
    async with aiohttp.ClientSession() as session:
        for name, headers in accepted.items():
            status, answer = await _post(session, pin, url, body, headers)
            assert (status, answer.get("epoch")) == (200, b.store.epoch), (name, answer)
        for name, (headers, want_status, reason) in refused.items():
            assert await _post(session, pin, url, body, headers) == (want_status, {"error": reason}), name
        # The covered Content-Type is signed: another one breaks the signature, as RFC 9421 means.
        covered = signed_headers(a, url, body, components=("@method", "@target-uri", "content-digest", "content-type"))
        covered["Content-Type"] = "text/plain"
        assert await _post(session, pin, url, body, covered) == (401, {"error": "bad_signature"})


@pytest.mark.parametrize("text", ['sig1=("@method" "@target-uri" "content-digest";created=1', 'sig1=("a"),',
                                  'sig1=("a");created=1.5', 'sig1=("\x7f")', "sig1=:!!:", "Sig1=?1"])
def test_damaged_structured_fields_are_bad_signature_input(text: str) -> None:
    headers = {"Signature-Input": text, "Signature": "sig1=:AAAA:", "Content-Digest": _digest(b"")}
    with pytest.raises(httpsig.SignatureRefused) as refused:
        httpsig.parse(headers)
    assert refused.value.reason == "bad_signature_input"


def test_what_this_node_sends_is_the_fixed_form_and_its_parameters_serialise_back_to_it() -> None:
    # The serialisation the server rebuilds @signature-params from is RFC 8941's: equal to what we send.
    params = httpsig.signature_params(1764331200, "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg", "q7Ksd2l0Yk9uTmNl")
    member = httpsig.parse_dictionary(f"sig1={params}")["sig1"]
    assert isinstance(member.value, tuple)
    assert httpsig.serialise_inner_list(member.value, member.params) == params
