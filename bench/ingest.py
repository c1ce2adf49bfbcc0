"""Ingest speed: N signed entries through the whole pipeline against this machine's verify limit.

Measured side by side in one run, because the machine is shared and noisy:
  limit      libsodium (PyNaCl) Ed25519 verify on every core (threads), nothing else;
  plain      a single-threaded pipeline on ``cryptography``: decode, verify, apply;
  pipeline   ``sync.ingest.ingest`` into an empty node: decode, verify (in the signature
             worker processes, sync/verifier.py), trust, scope, encrypt, store - the path
             every entry from a peer or bundle takes.
The limit is measured before and after the pipeline and averaged. The stage costs (CPU time of
each stage alone, one thread) give the design's ceiling V/(V+P): verification V on every core
beside the ingest's own Python work P, which the cores must also run.

    python -m bench.ingest [N]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nacl.exceptions
import nacl.signing
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bench._common import new_node, report, trust, verdict
from crypto.encoding import b64u_decode
from noticeboard import entry as entries
from noticeboard import fastdecode
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.node import Node, PostDraft
from noticeboard.trust import Trust
from sync import verifier
from sync.ingest import ingest
from sync.scope import Places, Reach, delivers

GOAL = 0.55
GOAL_RSS_MB = 300.0
CHUNK = 256
Signed = tuple[bytes, bytes, bytes]


def make_entries(author: Node, count: int) -> list[Entry]:
    """Signed requests of a realistic size (about 700 bytes) by one author."""
    now = utcnow()
    base = author.post(PostDraft("request", "klussen", "Basis", "tekst " * 30, reach_km=30)).body
    seed, node_id = author.keys.signing_seed, author.node_id

    def one(i: int) -> Entry:
        return entries.make(seed, node_id, "request", dict(base, title=f"Klus {i}"), now=now)
    return [one(i) for i in range(count)]


def make_raw(author: Node, count: int, part: int = 5000) -> list[bytes]:
    """The canonical bytes of :func:`make_entries`, as a peer sends them: only the bytes are kept
    (made a part at a time), so the peak memory measured is the pipeline's."""
    raw: list[bytes] = []
    for start in range(0, count, part):
        raw.extend(e.canonical() for e in make_entries(author, min(part, count - start)))
    return raw


def signed_parts(raw: bytes) -> Signed:
    """(public key, signed bytes, signature) of an entry, cut from its canonical bytes."""
    entry = entries.decode(raw)
    marker = b',"sig":"' + entry.sig.encode("ascii") + b'"'
    at = raw.find(marker)
    return b64u_decode(entry.author), raw[:at] + raw[at + len(marker):], b64u_decode(entry.sig)


def _nacl_chunk(chunk: list[Signed]) -> int:
    good = 0
    for public, message, signature in chunk:
        try:
            nacl.signing.VerifyKey(public).verify(message, signature)
            good += 1
        except nacl.exceptions.BadSignatureError:
            pass
    return good


def verify_limit(parts: list[Signed], pool: ThreadPoolExecutor) -> float:
    """Entries/s of libsodium verify alone on every core."""
    chunks = [parts[i : i + CHUNK] for i in range(0, len(parts), CHUNK)]
    start = time.perf_counter()
    good = sum(pool.map(_nacl_chunk, chunks))
    elapsed = time.perf_counter() - start
    assert good == len(parts)
    return len(parts) / elapsed


def plain_pipeline(raw: list[bytes], target: Node) -> float:
    """Entries/s of decode + ``cryptography`` verify + apply, one thread, no trust or scope."""
    now = utcnow()
    start = time.perf_counter()
    good = []
    for n, data in enumerate(raw, 1):
        entry = entries.decode(data)
        public, message, signature = signed_parts(data)
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        except InvalidSignature:
            continue
        good.append(entry)
        if n % 5000 == 0:
            # Stored a part at a time, so its memory does not hide the pipeline's in the peak.
            target.store.apply_many(good, now=now)
            good = []
    target.store.apply_many(good, now=now)
    return len(raw) / (time.perf_counter() - start)


def full_pipeline(raw: list[bytes], source: Node, target: Node) -> tuple[float, int]:
    """Entries/s of ``sync.ingest`` into target; and how many were applied."""
    start = time.perf_counter()
    result = ingest(target, raw, source=source.node_id)
    elapsed = time.perf_counter() - start
    return len(raw) / elapsed, result.applied


def stages(raw: list[bytes], parts: list[Signed], author: Node, target: Node) -> dict[str, float]:
    """Microseconds of CPU per entry of each stage alone, on one thread: where the time goes.

    Thread CPU time, not the wall clock: on the shared machine a stage timed by the clock also
    counts the time other processes had the core, and that moves by 2x with the load.
    """
    now = utcnow()
    start = time.thread_time()
    parsed = [fastdecode.decode(data) for data in raw]
    decode_us = (time.thread_time() - start) / len(raw) * 1e6
    start = time.thread_time()
    _nacl_chunk(parts)
    verify_us = (time.thread_time() - start) / len(raw) * 1e6
    view, places = Trust(target).view(), Places.from_store(target.store)
    start = time.thread_time()
    for entry in parsed:
        view.refusal(entry.author)
        entries.check_time(entry, now)
        delivers(Reach.of_entry(entry), target.node_id, places)
    checks_us = (time.thread_time() - start) / len(raw) * 1e6
    start = time.thread_time()
    # As the pipeline does: the stored versions looked up before the signature checks, then the
    # batch applied (which looks them up again inside its write transaction).
    target.store.stored_versions({e.key for e in parsed})
    target.store.apply_many(parsed, now=now)
    apply_us = (time.thread_time() - start) / len(raw) * 1e6
    return {"decode_us": decode_us, "verify_us": verify_us, "checks_us": checks_us, "apply_us": apply_us}


def _reset_peak_rss() -> bool:
    """Reset this process's VmHWM (Linux 4.0+: write 5 to clear_refs); whether it could."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB; 0 where /proc does not say."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def run(count: int = 50_000) -> dict[str, float]:
    """Measure and report; return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        root = Path(tmp)
        author, plain_target, target, staged = (new_node(root, n, 5300, lon) for n, lon in
                                                (("A", 600), ("B", 620), ("C", 620), ("D", 620)))
        trust(target, author)
        trust(staged, author)
        start = time.perf_counter()
        raw = make_raw(author, count)
        made_s = time.perf_counter() - start
        parts = [signed_parts(e) for e in raw]
        cores = os.cpu_count() or 2
        with ThreadPoolExecutor(max_workers=cores) as pool:
            limit_before = verify_limit(parts, pool)
            plain = plain_pipeline(raw, plain_target)
            # The service keeps its signature workers from its first batch on: started before the clock.
            verifier.start()
            # The peak of the ingest itself: the kernel's high-water mark is reset just before it
            # (what the bench holds besides, such as the input bytes, stays counted in it).
            reset = _reset_peak_rss()
            pipeline, applied = full_pipeline(raw, author, target)
            whole_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rss_mb = _peak_rss_mb(os.getpid()) if reset else whole_mb
            workers_mb = [_peak_rss_mb(pid) for pid in verifier.worker_pids()]
            verifier.shutdown()
            limit_after = verify_limit(parts, pool)
        sample = min(count, 10_000)
        cost = stages(raw[:sample], parts[:sample], author, staged)
        for node in (author, plain_target, target, staged):
            node.close()
    limit = (limit_before + limit_after) / 2
    figures = {
        "entries": count, "cores": cores, "avg_entry_bytes": round(sum(map(len, raw)) / count),
        "made_s": round(made_s, 1), "limit_per_s": round(limit), "limit_before_per_s": round(limit_before),
        "limit_after_per_s": round(limit_after), "plain_cryptography_per_s": round(plain),
        "pipeline_per_s": round(pipeline), "pipeline_applied": applied,
        "pipeline_vs_limit": round(pipeline / limit, 3), "plain_vs_limit": round(plain / limit, 3),
        "goal_vs_limit": GOAL,
        **{f"stage_{k}": round(v, 1) for k, v in cost.items()},
    }
    # The Python stages hold the GIL; verification runs beside them on the other cores. With
    # perfect overlap every entry still costs (verify + python) of CPU, shared by all cores.
    python_us = cost["decode_us"] + cost["checks_us"] + cost["apply_us"]
    bound = min(1e6 / python_us, cores * 1e6 / (cost["verify_us"] + python_us))
    # The ceiling of this design: verify (V) on every core beside the Python work (P), V / (V + P).
    ceiling = cost["verify_us"] / (cost["verify_us"] + python_us)
    figures |= {"stage_python_us": round(python_us, 1), "bound_per_s": round(bound), "ceiling_vs_limit": round(ceiling, 3),
                "peak_rss_mb": round(rss_mb, 1), "goal_rss_mb": GOAL_RSS_MB,
                "peak_rss_whole_bench_mb": round(whole_mb, 1),
                "verify_workers": len(workers_mb), "worker_peak_rss_mb": round(max(workers_mb, default=0.0), 1),
                "peak_rss_with_workers_mb": round(rss_mb + sum(workers_mb), 1),
                "bound_vs_limit": round(bound / limit, 3),
                "python_us_allowed_for_goal": round(cost["verify_us"] * (1 - GOAL) / GOAL, 1)}
    report("ingest", figures, [
        ("verify limit (libsodium, all cores)", f"{limit:,.0f}/s", "", ""),
        ("plain pipeline (cryptography, 1 thread)", f"{plain:,.0f}/s", f"{plain / limit:.2f}x limit", ""),
        ("sync.ingest pipeline", f"{pipeline:,.0f}/s", f">= {GOAL}x limit",
         f"{pipeline / limit:.2f}x {verdict(pipeline / limit >= GOAL)}"),
        ("applied", f"{applied}", f"= {count}", verdict(applied == count)),
        ("per entry, 1 thread: verify", f"{cost['verify_us']:.1f} us", "", ""),
        ("  decode+validate / checks / apply", f"{cost['decode_us']:.0f}/{cost['checks_us']:.0f}/"
         f"{cost['apply_us']:.0f} us", f"<= {figures['python_us_allowed_for_goal']} us in all", "for the goal"),
        ("best possible with that Python work", f"{bound:,.0f}/s", f"{bound / limit:.2f}x limit", ""),
        ("ceiling of the design V/(V+P)", f"{ceiling:.2f}x", "", ""),
        ("peak RSS during the ingest (input bytes held)", f"{rss_mb:.0f} MB", f"<= {GOAL_RSS_MB:.0f} MB",
         verdict(rss_mb <= GOAL_RSS_MB)),
        (f"  + {len(workers_mb)} signature workers", f"{sum(workers_mb):.0f} MB",
         f"<= {GOAL_RSS_MB:.0f} MB together", verdict(rss_mb + sum(workers_mb) <= GOAL_RSS_MB)),
        ("peak RSS of the whole bench process", f"{whole_mb:.0f} MB", "(limit, plain pipeline too)", ""),
    ])
    return figures


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
