"""Signature checks of a batch of entries, in worker processes beside the ingest's own work.

Why processes and not threads: PyNaCl releases the GIL only for the length of one signature
check. Between two checks a verify thread needs the GIL back, and the ingest's decoding,
checks, sealing and SQLite work hold it; on 2 cores the threads and that work took turns
rather than running side by side (0.34-0.38x of the verify limit, docs/benchmarks-ingest.md).
A worker process has an interpreter of its own and checks a whole chunk without waiting; the
ingest pays only for handing over the bytes (pickled in C, about a microsecond an entry).

Why not ``multiprocessing``/``ProcessPoolExecutor``: its ``spawn`` children import the parent's
``__main__`` again (a script without a main guard would start workers without end, and the
kiosk's or the bench's whole import tree would be loaded into every worker), and ``fork`` would
copy the service's threads' locks and the store's keys into the child. A worker here is
``python -m sync.verifier``: it imports only this module and libsodium, reads chunks from its
stdin and writes verdicts to its stdout, and ends when its stdin closes (also when this process
is killed).

The workers start with the first batch large enough to need them (nothing happens at import),
end with :func:`shutdown` (the service calls it when it closes; a later batch starts them
again) or at interpreter exit. A chunk whose worker failed is checked in this process.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import IO

from crypto import signing

log = logging.getLogger(__name__)

# (public key, the entry's canonical bytes, its sig text, the signature's bytes).
Signed = tuple[bytes, bytes, str, bytes]
_Job = tuple[list[Signed], "Future[list[bool]]"]
_LENGTH = 8
NICE = 3


def check(item: Signed) -> bool:
    """Whether an entry's signature verifies over its canonical bytes without the ``sig`` member.

    In canonical JSON the top-level ``sig`` member is never first and its value is plain
    base64url (a quote inside a text is escaped), so cutting ``,"sig":"…"`` out of the canonical
    bytes gives exactly the signed bytes, without encoding the entry a second time.
    """
    public, raw, sig, signature = item
    marker = b',"sig":"' + sig.encode("ascii") + b'"'
    at = raw.find(marker)
    if at < 0:
        return False
    return signing.verify(public, raw[:at] + raw[at + len(marker):], signature)


def check_chunk(items: Sequence[Signed]) -> list[bool]:
    """:func:`check` for every item, in order."""
    return [check(item) for item in items]


class WorkerGone(RuntimeError):
    """A worker process ended or answered nonsense; its chunk is checked in this process."""


def _write(stream: IO[bytes], payload: bytes) -> None:
    stream.write(len(payload).to_bytes(_LENGTH, "big") + payload)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes | None:
    head = stream.read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    size = int.from_bytes(head, "big")
    payload = stream.read(size)
    return payload if len(payload) == size else None


class _Worker(threading.Thread):
    """One worker process and the thread that feeds it jobs from the shared queue."""

    def __init__(self, jobs: queue.SimpleQueue[_Job | None]) -> None:
        super().__init__(name="verify-feeder", daemon=True)
        self.jobs = jobs
        self.process: subprocess.Popen[bytes] | None = None
        self.ready = threading.Event()

    def _start_process(self) -> subprocess.Popen[bytes]:
        # The child finds this package where the parent found it, installed or not.
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])]))
        return subprocess.Popen([sys.executable, "-m", "sync.verifier"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env)

    def run(self) -> None:
        try:
            # Started with the pool, so the first chunk does not wait for an interpreter to start.
            self._ask([])
        except (OSError, WorkerGone, ValueError) as exc:
            log.warning("signature worker did not start: %s", type(exc).__name__)
            self._stop_process()
        finally:
            self.ready.set()
        while (job := self.jobs.get()) is not None:
            items, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._ask(items))
            except Exception as exc:  # noqa: BLE001 - handed on: the chunk is checked in-process
                # Whatever went wrong, the waiting ingest must hear of it rather than wait for ever.
                self._stop_process()
                failed = WorkerGone(f"signature worker failed: {type(exc).__name__}")
                failed.__cause__ = exc
                future.set_exception(failed)
        self._stop_process()

    def _ask(self, items: list[Signed]) -> list[bool]:
        if self.process is None or self.process.poll() is not None:
            self.process = self._start_process()
        assert self.process.stdin is not None and self.process.stdout is not None
        _write(self.process.stdin, pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
        answer = _read(self.process.stdout)
        if answer is None or len(answer) != len(items):
            raise WorkerGone("no answer")
        return [byte == 1 for byte in answer]

    def _stop_process(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


class _Pool:
    def __init__(self, size: int) -> None:
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.workers = [_Worker(self.jobs) for _ in range(size)]
        for worker in self.workers:
            worker.start()

    def close(self) -> None:
        for _ in self.workers:
            self.jobs.put(None)
        for worker in self.workers:
            worker.join()


_lock = threading.Lock()
_pools: list[_Pool] = []
_at_exit: list[bool] = []


def _pool() -> _Pool:
    # Called with _lock held.
    if not _pools:
        if not _at_exit:
            atexit.register(shutdown)
            _at_exit.append(True)
        _pools.append(_Pool(os.cpu_count() or 2))
    return _pools[0]


def submit(items: Sequence[Signed]) -> Future[list[bool]]:
    """Hand a chunk to the workers; the future gives a verdict per item, in order."""
    future: Future[list[bool]] = Future()
    with _lock:
        # Queued under the lock: a shutdown meanwhile (another service closing) queues its stop
        # signals after this chunk, or takes the pool away first and this goes to a new one.
        _pool().jobs.put((list(items), future))
    return future


def start() -> None:
    """Start the workers now and wait until they answer (the benchmark: not to time their start)."""
    with _lock:
        workers = _pool().workers
    for worker in workers:
        worker.ready.wait()


def verdicts(future: Future[list[bool]], items: Sequence[Signed]) -> list[bool]:
    """The verdicts of a submitted chunk; checked here when its worker failed."""
    try:
        return future.result()
    except WorkerGone as exc:
        log.warning("%s; checking its chunk in this process", exc)
        return check_chunk(items)


def shutdown() -> None:
    """End the worker processes once the chunks handed out are answered; a later batch starts new ones."""
    with _lock:
        pools = list(_pools)
        _pools.clear()
    for pool in pools:
        pool.close()


def worker_pids() -> list[int]:
    """Process ids of the running workers (for the benchmark's memory figure)."""
    with _lock:
        return [w.process.pid for pool in _pools for w in pool.workers if w.process is not None]


def main() -> None:
    """A worker: read chunks from stdin, write a verdict byte per entry to stdout, until stdin ends."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    # A little below the process that feeds it: with the workers at the same priority, the
    # scheduler shares 2 cores in thirds and the ingest's own work, which must run on one core
    # anyway, gets two thirds of one; a notch lower, it gets the core it needs (and the service's
    # event loop, in the same process, does too), and the workers take all the time left.
    os.nice(NICE)
    while (payload := _read(source)) is not None:
        # Only the parent that started this process writes to its stdin.
        items: list[Signed] = pickle.loads(payload)
        _write(sink, bytes(check_chunk(items)))


if __name__ == "__main__":
    main()
