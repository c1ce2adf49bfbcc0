"""Kiosk speed at 50k posts: ready time, search keystroke to list updated, peak memory.

Measured through the real app (headless Textual, Pilot) on a freshly opened node:
  ready        Node.open + the kiosk's start screen interactive (centre name shown);
               the board is loaded by the app's worker, not waited for here
  board        from "3" on the start screen to the first page of cards on screen
  keystroke    one key typed in the search field until the list shows the new page
               (the app's generation counter), p50 / p95 over every key typed
  query        the store's board query alone for the same texts (no UI), p50 / p95
  peak RSS     of the kiosk's process (ru_maxrss); the posts are made in a child process

    python -m bench.kiosk [N]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench._common import new_node, report, verdict
from crypto import vault
from noticeboard import entry as entries
from noticeboard.categories import CATEGORIES
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.geo import Place
from noticeboard.node import Node, PostDraft
from noticeboard.refcode import ALPHABET
from noticeboard.store import BoardQuery, Unlock

if TYPE_CHECKING:
    from noticeboard.app.kiosk.app import KioskApp

READY_GOAL = 1.0
KEY_GOAL_MS = 50.0
RSS_GOAL_MB = 200.0
VILLAGES = (("Ezinge", 5332, 644), ("Winsum", 5333, 652), ("Baflo", 5336, 654), ("Garnwerd", 5326, 639),
            ("Feerwerd", 5328, 641), ("Aduard", 5326, 646), ("Zuidhorn", 5325, 638), ("Den Horn", 5322, 641))
WORDS = ("boodschappen", "ziekenhuis", "tuin", "heg", "computer", "telefoon", "hond", "kat", "fiets", "gras",
         "ramen", "lampen", "koffie", "wandelen", "formulier", "brief", "belasting", "apotheek", "markt", "kast")
SEARCHES = ("tuin", "zieken", "fiets", "koffie", "belas")


def ref_code(i: int) -> str:
    """A distinct valid reference code for the ith post (32^4 codes, enough for the bench)."""
    digits = "".join(ALPHABET[(i // 32**k) % 32] for k in range(4))
    return f"BH-{digits}"


def make_posts(author: Node, count: int) -> list[Entry]:
    """Signed requests and offers of realistic size, spread over villages, categories and two weeks."""
    now = utcnow()
    base = author.post(PostDraft("request", "klussen", "Basis", "Graag wat hulp, " * 6, "deze week")).body
    seed, node_id = author.keys.signing_seed, author.node_id
    made = []
    for i in range(count):
        village, lat, lon = VILLAGES[i % len(VILLAGES)]
        words = f"{WORDS[i % len(WORDS)]} en {WORDS[(i * 7 + 3) % len(WORDS)]}"
        body = dict(base, category=CATEGORIES[i % len(CATEGORIES)].code, title=f"Hulp met {words} {i}",
                    place=Place(village, lat, lon).to_wire(), ref=ref_code(i))
        created = now - dt.timedelta(seconds=(count - i) * 20)
        made.append(entries.make(seed, node_id, "offer" if i % 3 == 0 else "request", body, now=created))
    return made


async def keystroke(app: KioskApp, char: str) -> float:
    """Send one key as the terminal driver would; ms until the list shows the page for it."""
    from textual import events

    assert app._driver is not None
    shown = app.board_shown
    begin = time.perf_counter()
    app._driver.send_message(events.Key(char, char))
    while app.board_shown == shown:
        await asyncio.sleep(0.0002)
    return (time.perf_counter() - begin) * 1000


async def drive(data_dir: Path, unlock: Unlock) -> dict[str, float | list[float]]:
    """Open the node and the kiosk; time ready, the board and every search keystroke."""
    from textual.widgets import Static

    from noticeboard.app.kiosk.app import make_app
    from noticeboard.app.kiosk.board import BoardScreen
    from noticeboard.app.kiosk.start import StartScreen

    start = time.perf_counter()
    node = Node.open(data_dir, unlock)
    app = make_app(node, language="nl")
    keys: list[float] = []
    try:
        async with app.run_test(size=(100, 34)) as pilot:
            while not (isinstance(app.screen, StartScreen)
                       and str(app.screen.query_one("#centre", Static).render()).strip()):
                await asyncio.sleep(0.002)
            ready = time.perf_counter() - start
            # Let the app's own worker load the board index, as it would while the start screen shows.
            while app._seen_seq != node.store.last_seq:
                await asyncio.sleep(0.01)
            begin = time.perf_counter()
            await pilot.press("3")
            while not (isinstance(app.screen, BoardScreen) and app.board_shown == app.screen.generation
                       and app.screen.total > 0):
                await asyncio.sleep(0.001)
            board = time.perf_counter() - begin
            await pilot.press("5")
            for word in SEARCHES:
                for char in word:
                    keys.append(await keystroke(app, char))
                for _ in word:
                    await pilot.press("backspace")
                while app.board_shown != app.screen.generation:
                    await asyncio.sleep(0.001)
    finally:
        node.close()
    return {"ready_s": ready, "board_s": board, "keys_ms": keys}


def query_alone(data_dir: Path, unlock: Unlock) -> list[float]:
    """The store's board query for each prefix typed, without the UI (ms)."""
    node = Node.open(data_dir, unlock)
    try:
        now = utcnow()
        node.store.board(BoardQuery(), now=now, limit=20)
        times = []
        for word in SEARCHES:
            for n in range(1, len(word) + 1):
                begin = time.perf_counter()
                node.store.board(BoardQuery(text=word[:n]), now=now, limit=20)
                times.append((time.perf_counter() - begin) * 1000)
    finally:
        node.close()
    return times


def build(root: Path, count: int) -> None:
    """A node under root/Kiosk with count posts (run in a child process)."""
    author = new_node(root, "Kiosk", 5332, 644)
    author.store.apply_many(make_posts(author, count), now=utcnow())
    author.close()


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def run(count: int = 50_000) -> dict[str, float]:
    """Measure and report; return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-kiosk-") as tmp:
        # The posts are made in a child process, so the peak RSS below is the kiosk's own.
        maker = multiprocessing.get_context("spawn").Process(target=build, args=(Path(tmp), count))
        maker.start()
        maker.join()
        if maker.exitcode != 0:
            raise RuntimeError("making the posts failed")
        data_dir = Path(tmp) / "Kiosk"
        unlock = Unlock(key_file_secret=vault.read_key_file(data_dir / "node.key"))
        ui = asyncio.run(drive(data_dir, unlock))
        query = query_alone(data_dir, unlock)
    keys = ui["keys_ms"]
    assert isinstance(keys, list)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"posts": count, "ready_s": round(float(ui["ready_s"]), 3), "board_s": round(float(ui["board_s"]), 3),
               "key_p50_ms": round(statistics.median(keys), 1), "key_p95_ms": round(p95(keys), 1),
               "query_p50_ms": round(statistics.median(query), 2), "query_p95_ms": round(p95(query), 2),
               "peak_rss_mb": round(rss_mb, 1)}
    report("kiosk", figures, [
        ("ready (open + start screen)", f"{figures['ready_s']} s", f"<= {READY_GOAL} s",
         verdict(figures["ready_s"] <= READY_GOAL)),
        ("board first page", f"{figures['board_s']} s", "(shown)", ""),
        ("search key p95 (app)", f"{figures['key_p95_ms']} ms", f"<= {KEY_GOAL_MS} ms",
         verdict(figures["key_p95_ms"] <= KEY_GOAL_MS)),
        ("search key p50 (app)", f"{figures['key_p50_ms']} ms", "", ""),
        ("query p95 (store)", f"{figures['query_p95_ms']} ms", "", ""),
        ("peak RSS", f"{figures['peak_rss_mb']} MB", f"<= {RSS_GOAL_MB} MB",
         verdict(figures["peak_rss_mb"] <= RSS_GOAL_MB)),
    ])
    return figures


def main() -> int:
    """Run with N posts (default 50 000); exit 1 when a goal is missed."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    f = run(count)
    ok = f["ready_s"] <= READY_GOAL and f["key_p95_ms"] <= KEY_GOAL_MS and f["peak_rss_mb"] <= RSS_GOAL_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
