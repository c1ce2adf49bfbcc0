"""One slow hash for passphrase, volunteer PIN and exit PIN, and hashes stored by the earlier code still verify."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from crypto import slowhash, vault
from noticeboard.desk import accounts
from noticeboard.desk.errors import WrongPin
from noticeboard.desk.exitpin import SECRET, check_exit_pin, check_staff_exit, set_exit_pin
from tests.support import make_node

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
SALT = bytes(range(16))


def test_one_function_gives_standard_scrypt_for_every_cost() -> None:
    cost = slowhash.Cost(n=2**10)
    # RFC 7914's scrypt, as the cryptography package computes it.
    reference = Scrypt(salt=SALT, length=32, n=2**10, r=8, p=1).derive(b"geheim")
    assert slowhash.derive("geheim", SALT, cost) == reference
    assert slowhash.matches("geheim", SALT, cost, reference)
    assert not slowhash.matches("Geheim", SALT, cost, reference)
    assert not slowhash.matches("geheim", SALT, cost, b"")
    # The passphrase's default cost (128 MiB) is above hashlib's default memory cap: it must still run.
    assert len(slowhash.derive("x", SALT, vault.ScryptParams())) == 32


def test_a_passphrase_wrapper_made_by_the_old_code_still_opens() -> None:
    data_key, params = vault.new_data_key(), vault.ScryptParams(n=2**10)
    # The vault's own derivation before crypto/slowhash.py: cryptography's Scrypt, 32 bytes.
    old_kek = Scrypt(salt=SALT, length=32, n=params.n, r=params.r, p=params.p).derive(b"oude zin")
    wrapper = vault.Wrapper("passphrase", vault._wrap(old_kek, data_key, "passphrase"), SALT, params)
    stored = vault.Wrapper.from_json(wrapper.to_json())
    assert vault.unwrap_with_passphrase(stored, "oude zin") == data_key
    with pytest.raises(vault.WrongKey):
        vault.unwrap_with_passphrase(stored, "andere zin")


def test_a_volunteer_pin_stored_by_the_old_code_still_logs_in(tmp_path: Path) -> None:
    with make_node(tmp_path).open() as node:
        store = node.store
        # The row as add_volunteer wrote it before: hashlib.scrypt with its default 64-byte output.
        old_hash = hashlib.scrypt(b"4821", salt=SALT, n=2**8, r=8, p=1, maxmem=256 * 2**20)
        assert len(old_hash) == 64
        secret = {"name": "Greet", "salt": SALT.hex(), "hash": old_hash.hex(), "cost": [2**8, 8, 1]}
        with store.write() as conn:
            ver = store.next_ver()
            conn.execute("INSERT INTO desk_accounts(number, role, created, active, sealed, ver) VALUES (?,?,?,?,?,?)",
                         (1, "volunteer", int(T0.timestamp()), 1, store.seal_json("account|1", secret, ver=ver), ver))
        accounts.login_volunteer(store, 1, "4821", now=T0).end()
        with pytest.raises(WrongPin):
            accounts.login_volunteer(store, 1, "4822", now=T0)
        assert check_staff_exit(store, "1 4821", now=T0)


def test_an_exit_pin_stored_by_the_old_code_still_opens_and_a_new_one_uses_the_same_hash(tmp_path: Path) -> None:
    with make_node(tmp_path).open() as node:
        store = node.store
        old = hashlib.scrypt(b"5937", salt=SALT, n=2**14, r=8, p=1, dklen=32)
        store.put_secret(SECRET, json.dumps({"salt": SALT.hex(), "n": 2**14, "r": 8, "p": 1, "hash": old.hex()}).encode())
        assert check_exit_pin(store, "5937") and not check_exit_pin(store, "5938")
        set_exit_pin(store, "2468")
        record = json.loads(store.secret(SECRET) or b"{}")
        cost = slowhash.Cost(record["n"], record["r"], record["p"])
        assert slowhash.derive("2468", bytes.fromhex(record["salt"]), cost).hex() == record["hash"]
        assert check_exit_pin(store, "2468") and not check_exit_pin(store, "5937")
