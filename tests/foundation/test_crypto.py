"""Signing, identity codes, the vault and sealed messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from crypto import sealing, signing, tls, vault
from crypto.encoding import EncodingError, b64u_decode, b64u_encode
from crypto.identity import NodeKeys, fingerprint_code, normalise_code
from noticeboard.clock import utcnow

FAST = vault.ScryptParams(n=2**10)


def test_sign_and_verify_rfc8032_test_vector() -> None:
    # RFC 8032 section 7.1, test 2 (one-byte message).
    seed = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
    assert signing.public_key(seed).hex() == "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
    sig = signing.sign(seed, b"\x72")
    assert sig.hex() == ("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                         "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
    assert signing.verify(signing.public_key(seed), b"\x72", sig)
    assert not signing.verify(signing.public_key(seed), b"\x73", sig)


def test_verify_refuses_wrong_sizes() -> None:
    assert not signing.verify(b"short", b"m", b"\0" * 64)
    assert not signing.verify(b"\0" * 32, b"m", b"\0" * 10)


def test_sign_object_covers_everything_but_sig() -> None:
    keys = NodeKeys.generate()
    signed = signing.sign_object(keys.signing_seed, {"author": keys.node_id, "x": 1})
    assert signing.verify_object(signed)
    assert not signing.verify_object({**signed, "x": 2})
    assert not signing.verify_object({**signed, "extra": True})
    assert not signing.verify_object({k: v for k, v in signed.items() if k != "sig"})


def test_b64url_is_strict() -> None:
    assert b64u_decode(b64u_encode(b"\xff\x00")) == b"\xff\x00"
    for bad in ("ab=", "a", "a+b/", "AB", "é"):
        with pytest.raises(EncodingError):
            b64u_decode(bad)


def test_fingerprint_code_is_short_stable_and_forgiving() -> None:
    keys = NodeKeys.generate()
    code = fingerprint_code(keys.public_key)
    assert len(code) == 14 and code.count("-") == 2
    assert code == fingerprint_code(keys.public_key)
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert fingerprint_code(NodeKeys.generate().public_key) != code


def test_vault_passphrase_and_key_file() -> None:
    data_key = vault.new_data_key()
    wrapper = vault.wrap_with_passphrase(data_key, "lange zin van mij", FAST)
    restored = vault.Wrapper.from_json(wrapper.to_json())
    assert vault.unwrap_with_passphrase(restored, "lange zin van mij") == data_key
    with pytest.raises(vault.WrongKey):
        vault.unwrap_with_passphrase(restored, "lange zin van jou")
    secret = vault.new_key_file_secret()
    by_file = vault.wrap_with_key_file(data_key, secret)
    assert vault.unwrap_with_key_file(by_file, secret) == data_key
    with pytest.raises(vault.WrongKey):
        vault.unwrap_with_key_file(by_file, vault.new_key_file_secret())
    with pytest.raises(vault.WrongKey):
        vault.unwrap_with_passphrase(by_file, "x")


def test_default_scrypt_cost_is_not_weakened() -> None:
    params = vault.ScryptParams()
    assert params.n >= 2**16 and params.r >= 8


def test_rows_are_bound_to_their_identity() -> None:
    cipher = vault.RowCipher(vault.new_data_key())
    sealed = cipher.seal(b"entry|a|1|1", b"secret text")
    assert cipher.open(b"entry|a|1|1", sealed) == b"secret text"
    with pytest.raises(vault.RowTampered):
        cipher.open(b"entry|a|1|2", sealed)
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    with pytest.raises(vault.RowTampered):
        cipher.open(b"entry|a|1|1", bytes(flipped))
    with pytest.raises(vault.RowTampered):
        vault.RowCipher(vault.new_data_key()).open(b"entry|a|1|1", sealed)


def test_key_file_round_trip_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    secret = vault.new_key_file_secret()
    vault.write_key_file(path, secret)
    assert path.stat().st_mode & 0o777 == 0o600
    assert vault.read_key_file(path) == secret
    with pytest.raises(FileExistsError):
        vault.write_key_file(path, secret)
    path.write_text("not a key\n")
    with pytest.raises(vault.VaultError):
        vault.read_key_file(path)


def test_sealed_message_opens_with_recipient_key_only() -> None:
    a, b = NodeKeys.generate(), NodeKeys.generate()
    blob = sealing.seal(a.sealing_public, b"Piet, 06-12345678", b"info|A")
    assert sealing.open_sealed(a.sealing_key, blob, b"info|A") == b"Piet, 06-12345678"
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(b.sealing_key, blob, b"info|A")
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(a.sealing_key, blob, b"info|B")
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(a.sealing_key, blob[:-1] + bytes([blob[-1] ^ 1]), b"info|A")
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(a.sealing_key, b"short", b"info|A")
    with pytest.raises(sealing.SealError):
        sealing.seal(b"not a key", b"x", b"info")


def test_tls_certificate_and_fingerprint() -> None:
    cert, key = tls.make_certificate("buurthulp test", utcnow())
    assert len(tls.certificate_fingerprint(cert)) == 32
    assert tls.certificate_pem(cert).startswith(b"-----BEGIN CERTIFICATE-----")
    assert b"ENCRYPTED" in tls.private_key_pem(key, b"pw")
