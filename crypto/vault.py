"""At-rest encryption: one random data key, wrapped by a passphrase and/or a key file.

Rows are sealed with AES-256-GCM under the data key, with the row's identity as associated
data, so a ciphertext moved to another row (or an older version of the same row) fails to
open. Changing the passphrase rewraps the data key; the rows stay as they are.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crypto import slowhash
from crypto.encoding import EncodingError, b64u_decode, b64u_encode

KEY_SIZE = 32
NONCE_SIZE = 12
SALT_SIZE = 16
KEY_FILE_SIZE = 32


class VaultError(Exception):
    """The vault could not be opened or a row could not be decrypted."""


class WrongKey(VaultError):
    """The passphrase or key file does not open this vault."""


class RowTampered(VaultError):
    """A sealed row does not open: wrong key, wrong row identity, or changed bytes."""


@dataclass(frozen=True)
class ScryptParams(slowhash.Cost):
    """scrypt cost of the passphrase; the default takes about half a second on a small 2-core machine."""

    n: int = 2**17


@dataclass(frozen=True)
class Wrapper:
    """The data key wrapped under one unlock method (``passphrase`` or ``keyfile``)."""

    kind: str
    wrapped: bytes
    salt: bytes = b""
    params: ScryptParams | None = None

    def to_json(self) -> str:
        """Serialise for storage beside the data it protects."""
        return json.dumps(
            {
                "kind": self.kind,
                "wrapped": b64u_encode(self.wrapped),
                "salt": b64u_encode(self.salt),
                "params": asdict(self.params) if self.params else None,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Wrapper:
        """Read a wrapper written by :meth:`to_json`."""
        try:
            raw = json.loads(text)
            params = ScryptParams(**raw["params"]) if raw["params"] else None
            return cls(raw["kind"], b64u_decode(raw["wrapped"]), b64u_decode(raw["salt"]), params)
        except (KeyError, TypeError, ValueError, EncodingError) as exc:
            raise VaultError("damaged key wrapper") from exc


def new_data_key() -> bytes:
    """Return a fresh random 256-bit data key."""
    return AESGCM.generate_key(bit_length=256)


def passphrase_key(passphrase: str, salt: bytes, params: ScryptParams) -> bytes:
    """Derive a key-encryption key from a passphrase with the slow hash."""
    return slowhash.derive(passphrase, salt, params, KEY_SIZE)


def key_file_key(secret: bytes) -> bytes:
    """Derive a key-encryption key from a key file's random secret."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None, info=b"buurthulp-keyfile-v1")
    return hkdf.derive(secret)


def _wrap(kek: bytes, data_key: bytes, kind: str) -> bytes:
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, b"buurthulp-vault-v1|" + kind.encode())


def _unwrap(kek: bytes, wrapped: bytes, kind: str) -> bytes:
    try:
        return AESGCM(kek).decrypt(
            wrapped[:NONCE_SIZE], wrapped[NONCE_SIZE:], b"buurthulp-vault-v1|" + kind.encode()
        )
    except (InvalidTag, ValueError) as exc:
        raise WrongKey("this passphrase or key file does not open the vault") from exc


def wrap_with_passphrase(
    data_key: bytes, passphrase: str, params: ScryptParams | None = None
) -> Wrapper:
    """Wrap the data key under a passphrase (fresh salt)."""
    params = params or ScryptParams()
    salt = os.urandom(SALT_SIZE)
    kek = passphrase_key(passphrase, salt, params)
    return Wrapper("passphrase", _wrap(kek, data_key, "passphrase"), salt, params)


def wrap_with_key_file(data_key: bytes, secret: bytes) -> Wrapper:
    """Wrap the data key under a key file's secret."""
    return Wrapper("keyfile", _wrap(key_file_key(secret), data_key, "keyfile"))


def unwrap_with_passphrase(wrapper: Wrapper, passphrase: str) -> bytes:
    """Open the data key with a passphrase; raises WrongKey."""
    if wrapper.kind != "passphrase" or wrapper.params is None:
        raise WrongKey("no passphrase is set for this vault")
    kek = passphrase_key(passphrase, wrapper.salt, wrapper.params)
    return _unwrap(kek, wrapper.wrapped, "passphrase")


def unwrap_with_key_file(wrapper: Wrapper, secret: bytes) -> bytes:
    """Open the data key with a key file's secret; raises WrongKey."""
    if wrapper.kind != "keyfile":
        raise WrongKey("no key file is set for this vault")
    return _unwrap(key_file_key(secret), wrapper.wrapped, "keyfile")


class RowCipher:
    """AES-256-GCM for rows, bound to each row's identity through associated data."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY_SIZE:
            raise VaultError("data key must be 32 bytes")
        self._aead = AESGCM(data_key)

    def seal(self, row_id: bytes, plaintext: bytes) -> bytes:
        """Encrypt plaintext for the row named row_id."""
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, plaintext, row_id)

    def open(self, row_id: bytes, sealed: bytes) -> bytes:
        """Decrypt a row sealed by :meth:`seal`; raises RowTampered."""
        try:
            return self._aead.decrypt(sealed[:NONCE_SIZE], sealed[NONCE_SIZE:], row_id)
        except (InvalidTag, ValueError) as exc:
            raise RowTampered("row does not decrypt") from exc


def new_key_file_secret() -> bytes:
    """Return the random secret for a new key file."""
    return os.urandom(KEY_FILE_SIZE)


def write_key_file(path: Path, secret: bytes) -> None:
    """Write a key file readable by its owner only; refuses to overwrite."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(b64u_encode(secret) + "\n")


def read_key_file(path: Path) -> bytes:
    """Read a key file written by :func:`write_key_file` (or 32 raw bytes)."""
    data = path.read_bytes()
    if len(data) == KEY_FILE_SIZE:
        return data
    try:
        secret = b64u_decode(data.decode("ascii").strip())
    except (UnicodeDecodeError, EncodingError) as exc:
        raise VaultError("key file is damaged") from exc
    if len(secret) != KEY_FILE_SIZE:
        raise VaultError("key file is damaged")
    return secret
