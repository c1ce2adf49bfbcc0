"""Run the sync service with the node's chores, in the caller's loop or until SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.supervisor.chores import (
    HOUSEKEEPING_FIRST_S,
    HOUSEKEEPING_S,
    apply_evaluation_settings,
    apply_profile_settings,
    housekeeping,
    take_in_desk_messages,
)
from sync.config import Config
from sync.service import ROUND_GRACE_S, Backoff, Service, event

log = logging.getLogger("sync.service")


class Supervisor:
    """The service of one node and its chores; ``start()`` … ``close()`` inside a running loop."""

    def __init__(self, node: Node, config: Config, *, backoff: Backoff | None = None) -> None:
        self.node = node
        self.config = config
        self.service = Service(node, config, backoff=backoff, on_new_entries=take_in_desk_messages)
        self._stopping = asyncio.Event()
        self._housekeeping_task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int | None:
        """The port the peer server listens on, once started."""
        return self.service.port

    async def start(self) -> None:
        """Publish the configured profile, then start the service and the chores."""
        await asyncio.to_thread(apply_profile_settings, self.node, self.config)
        await asyncio.to_thread(apply_evaluation_settings, self.node, self.config)
        await self.service.start()
        self._housekeeping_task = asyncio.get_running_loop().create_task(self._housekeeping_loop(),
                                                                          name="housekeeping")

    async def close(self) -> None:
        """Stop the chores (a chore in progress gets the service's grace) and the service."""
        self._stopping.set()
        await asyncio.gather(self._stop_housekeeping(), self.service.close())

    async def _stop_housekeeping(self) -> None:
        task = self._housekeeping_task
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=ROUND_GRACE_S)
        if not done:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            event("round_abandoned", tasks=1)
        elif not task.cancelled() and task.exception() is not None:
            log.error("%s had stopped with an error", task.get_name(), exc_info=task.exception())

    async def _housekeeping_loop(self) -> None:
        """Daily chores: retention of old closed requests, and a fresh profile before the old one expires."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), HOUSEKEEPING_FIRST_S)
        while not self._stopping.is_set():
            try:
                await asyncio.to_thread(housekeeping, self.node, utcnow())
            except Exception:  # a failed chore is retried tomorrow; it must not stop syncing
                log.exception("housekeeping failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), HOUSEKEEPING_S)


async def serve(node: Node, config: Config, *, on_listening: Callable[[int], None] | None = None,
                stop: asyncio.Event | None = None) -> None:
    """Run the supervisor until SIGTERM or SIGINT (or stop is set), then close it cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    supervisor = Supervisor(node, config)
    try:
        await supervisor.start()
        if on_listening is not None and supervisor.port is not None:
            on_listening(supervisor.port)
        await stop.wait()
    finally:
        await supervisor.close()
        for sig in signals:
            loop.remove_signal_handler(sig)
