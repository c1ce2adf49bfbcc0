"""Unlock time with the real scrypt cost, and what at-rest encryption costs over plain SQLite.

  unlock     ``Node.open`` with a passphrase (scrypt at ``crypto.vault.ScryptParams()``), against
             the same node opened by its key file (HKDF, no stretching);
  at rest    the same N entries through ``Store.apply_many`` and read back with ``Store.entries``,
             once sealed (AES-256-GCM per row, as always) and once on a twin store whose row
             cipher passes bytes through unchanged: same rows, statements and transactions,
             only the sealing differs. (The reference-code tag stays a keyed hash in both.)

    python -m bench.unlock [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import new_node, report, verdict
from bench.ingest import make_entries
from crypto import vault
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.geo import Place
from noticeboard.node import Node, Profile
from noticeboard.store import Store, Unlock

UNLOCK_MIN_S = 0.2
UNLOCK_MAX_S = 1.0
RUNS = 3
PASSPHRASE = "lange zin met zeven woorden voor de test"


class PassThrough(vault.RowCipher):
    """A row cipher that stores bytes as they are: the baseline without at-rest encryption."""

    def __init__(self) -> None:
        super().__init__(bytes(vault.KEY_SIZE))  # a key that is never used

    def seal(self, row_id: bytes, plaintext: bytes) -> bytes:
        """Return the plaintext unchanged."""
        return plaintext

    def open(self, row_id: bytes, sealed: bytes) -> bytes:
        """Return the stored bytes unchanged."""
        return sealed


def unlock_times(root: Path) -> tuple[list[float], list[float], vault.ScryptParams]:
    """Seconds to open a node by passphrase and by key file, several times each."""
    secret = vault.new_key_file_secret()
    unlock = Unlock(passphrase=PASSPHRASE, key_file_secret=secret)
    data_dir = root / "unlock"
    data_dir.mkdir()
    Node.create(data_dir, unlock, Profile("Dorpshuis Proef", Place("Proef", 5300, 600))).close()
    by_pass: list[float] = []
    by_file: list[float] = []
    for _ in range(RUNS):
        for how, times in ((Unlock(passphrase=PASSPHRASE), by_pass), (Unlock(key_file_secret=secret), by_file)):
            start = time.perf_counter()
            Node.open(data_dir, how).close()
            times.append(time.perf_counter() - start)
    return by_pass, by_file, vault.ScryptParams()


def write_time(store: Store, entries: list[Entry]) -> float:
    """Seconds to apply entries in one transaction."""
    start = time.perf_counter()
    store.apply_many(entries, now=utcnow())
    return time.perf_counter() - start


def read_time(store: Store, expected: int) -> float:
    """Seconds to read every request back (decrypted and decoded)."""
    start = time.perf_counter()
    read = sum(1 for _ in store.entries(types=["request"]))
    elapsed = time.perf_counter() - start
    assert read == expected
    return elapsed


def stored_entry_bytes(store: Store) -> int:
    """Sum of the stored entry column over all rows (sealed or not)."""
    with store.write() as conn:
        return int(conn.execute("SELECT coalesce(sum(length(sealed)), 0) FROM entries").fetchone()[0])


def run(count: int = 20_000) -> dict[str, Any]:
    """Measure and report; return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-unlock-") as tmp:
        root = Path(tmp)
        by_pass, by_file, params = unlock_times(root)
        author = new_node(root, "A")
        made = make_entries(author, count)
        sealed_node, plain_node = new_node(root, "S"), new_node(root, "P")
        plain_node.store._cipher = PassThrough()  # the one difference
        base = next(author.store.entries(types=["request"]))
        for node in (sealed_node, plain_node):
            node.store.apply(base, now=utcnow())
        # Interleave halves so drift on a shared machine hits both alike.
        half = count // 2
        sealed_w = write_time(sealed_node.store, made[:half])
        plain_w = write_time(plain_node.store, made[:half])
        plain_w += write_time(plain_node.store, made[half:])
        sealed_w += write_time(sealed_node.store, made[half:])
        # Reads repeat without side effects: the best of three each, alternating, is least disturbed.
        sealed_runs, plain_runs = [], []
        for _ in range(3):
            sealed_runs.append(read_time(sealed_node.store, count + 1))
            plain_runs.append(read_time(plain_node.store, count + 1))
        sealed_r, plain_r = min(sealed_runs), min(plain_runs)
        # File sizes move in whole pages; the stored entry bytes show the 28 bytes a row gains.
        sizes = [stored_entry_bytes(n.store) for n in (sealed_node, plain_node)]
        for node in (author, sealed_node, plain_node):
            node.close()
    unlock_s = statistics.median(by_pass)
    figures: dict[str, Any] = {
        "scrypt_n": params.n, "scrypt_r": params.r, "scrypt_p": params.p,
        "unlock_passphrase_s": round(unlock_s, 3), "unlock_passphrase_runs_s": [round(t, 3) for t in by_pass],
        "unlock_key_file_s": round(statistics.median(by_file), 3),
        "entries": count,
        "write_sealed_us_per_entry": round(sealed_w / count * 1e6, 1),
        "write_plain_us_per_entry": round(plain_w / count * 1e6, 1),
        "write_overhead": round(sealed_w / plain_w, 3),
        "read_sealed_us_per_entry": round(sealed_r / count * 1e6, 1),
        "read_plain_us_per_entry": round(plain_r / count * 1e6, 1),
        "read_overhead": round(sealed_r / plain_r, 3),
        "stored_entry_bytes_sealed": sizes[0], "stored_entry_bytes_plain": sizes[1],
        "stored_bytes_overhead": round(sizes[0] / sizes[1], 3),
    }
    f = figures
    report("unlock", figures, [
        (f"unlock by passphrase (scrypt n=2^{params.n.bit_length() - 1})", f"{unlock_s:.3f} s",
         f"{UNLOCK_MIN_S}-{UNLOCK_MAX_S} s", verdict(UNLOCK_MIN_S <= unlock_s <= UNLOCK_MAX_S)),
        ("unlock by key file", f"{f['unlock_key_file_s']:.3f} s", "", ""),
        (f"write {count}, sealed / plain", f"{f['write_sealed_us_per_entry']}/{f['write_plain_us_per_entry']} us",
         "per entry", f"{f['write_overhead']}x"),
        (f"read {count}, sealed / plain", f"{f['read_sealed_us_per_entry']}/{f['read_plain_us_per_entry']} us",
         "per entry", f"{f['read_overhead']}x"),
        ("stored entry bytes, sealed / plain", f"{sizes[0]:,}/{sizes[1]:,}", "", f"{f['stored_bytes_overhead']}x"),
    ])
    return figures


if __name__ == "__main__":
    run(*[int(a) for a in sys.argv[1:2]])
