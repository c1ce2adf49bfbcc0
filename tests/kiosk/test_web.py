"""The web kiosk in a real browser: Debian's chromium driven by Playwright, taps (clicks) only.

One `noticeboard kiosk --web --kiosk-mode` server and one browser serve the whole module (a second server
reads a settings file with a short idle time). What the page shows is read from its terminal (xterm.js's
buffer, cell by cell) and compared with the kiosk's own texts; a tap is a click in the middle of a button's
box. The browser is the system's chromium (`playwright install` is never run; ./dev test installs chromium
by apt); without it these tests fail, they are never skipped.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import ifaddr
import pytest

from noticeboard.app.kiosk.cards import tile_label
from noticeboard.categories import CATEGORIES
from noticeboard.i18n import set_language, t
from noticeboard.node import Node, NotFound
from noticeboard.refcode import ALPHABET
from tests.helpers import free_port
from tests.kiosk.test_fit import whole
from tests.support import NodeDir, make_node

pytestmark = pytest.mark.xdist_group("web-kiosk")

CHROMIUM = Path("/usr/bin/chromium")
# The screen sizes of acceptance 3: a 23" full-HD screen and a small all-in-one (1280x800).
SIZES = ((1920, 1080), (1280, 800))
# 9 mm on a 23" 1920x1080 screen (509 mm across: 0.265 mm a pixel), the smallest target a finger hits.
TARGET_PX = 34
EXIT_PIN = "4321"
SHORT_IDLE = 30  # seconds: taps may come up to 15 s apart before "Bent u er nog?" (its last 15 s) shows
CODE = re.compile(rf"BH-[{ALPHABET}]{{4}}")
# What the kiosk has on its board before the browser comes: the search below finds one of them.
POSTS = (("request", "tuin", "Hulp bij het snoeien van de heg"),
         ("offer", "gezelschap", "Koffie drinken in het café"),
         ("request", "vervoer", "Rit naar het ziekenhuis in Groningen"))

# The screen as the page's terminal holds it: a row is its cells joined by CELL_GAP (one string a row keeps
# the reads cheap); a wide character's second cell is "".
CELL_GAP = "\x1f"
SCREEN_JS = """() => {
  const b = window.buurthulp;
  const closed = document.body.classList.contains("-closed");
  const message = document.getElementById("closed-message").textContent;
  if (!b || !b.session) return {rows: [], cell: null, closed, message};
  const term = b.session.terminal, buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y), row = [];
    for (let x = 0; x < term.cols; x++) {
      const cell = line ? line.getCell(x) : null;
      row.push(cell ? (cell.getWidth() === 0 ? "" : (cell.getChars() || " ")) : " ");
    }
    rows.push(row.join("\x1f"));
  }
  return {rows, cell: b.cell(), closed, message, view: {width: window.innerWidth, height: window.innerHeight}};
}"""


# What says whether the screen may have changed: this page's counter of the app's writes to the terminal
# (installed on the first call, with a mark for the page: a reload starts a new count), the closed notice,
# the window, the font and the terminal's size. Cheap to ask ten times a second, unlike the cells.
STATE_JS = """() => {
  const b = window.buurthulp;
  if (!b || !b.session) return null;
  const term = b.session.terminal;
  if (b.writes === undefined) {
    b.writes = 0;
    b.page = Math.random();
    term.onWriteParsed(() => { b.writes++; });
  }
  return [b.page, b.writes, document.body.classList.contains("-closed"), window.innerWidth, window.innerHeight,
          b.fontSize, term.cols, term.rows];
}"""


@dataclass(frozen=True)
class Box:
    """A button or field as drawn: a 'tall' border from its top row to its bottom row, columns inclusive."""

    top: int
    left: int
    bottom: int
    right: int
    text: str

    @property
    def rows(self) -> int:
        return self.bottom - self.top + 1

    @property
    def cols(self) -> int:
        return self.right - self.left + 1


@dataclass(frozen=True)
class Shown:
    """One reading of the page."""

    cells: list[list[str]]
    cell: dict[str, Any] | None
    closed: bool
    message: str
    view: dict[str, int]

    @property
    def lines(self) -> list[str]:
        return ["".join(row) for row in self.cells]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def has(self, text: str) -> bool:
        return _squeeze(text) in _squeeze(" ".join(self.lines))

    def boxes(self) -> list[Box]:
        """Every box with a tall border (buttons, tiles, keys, fields)."""
        found = []
        cells = self.cells
        for top, row in enumerate(cells):
            for left in range(len(row) - 1):
                if row[left] != "▊" or row[left + 1] != "▔":
                    continue
                right = left + 1
                while right < len(row) and row[right] == "▔":
                    right += 1
                if right >= len(row) or row[right] != "▎":
                    continue
                bottom = top + 1
                while bottom < len(cells) and cells[bottom][left] == "▊" and cells[bottom][left + 1] != "▁":
                    bottom += 1
                if bottom >= len(cells) or cells[bottom][left + 1] != "▁":
                    continue
                inner = " ".join("".join(cells[y][left + 1:right]) for y in range(top + 1, bottom))
                found.append(Box(top, left, bottom, right, _squeeze(inner)))
        return found

    def box(self, label: str, *, exact: bool = False) -> Box | None:
        """The box whose text is this label (or, unless exact, the first that holds all its words in order)."""
        boxes = self.boxes()
        same = [b for b in boxes if b.text == _squeeze(label)]
        if same or exact:
            return same[0] if same else None
        return next((b for b in boxes if whole(label, b.text)), None)

    def visible(self, box: Box) -> bool:
        """Inside the browser's window, all of it."""
        assert self.cell is not None
        c = self.cell
        return (c["x"] + (box.right + 1) * c["width"] <= self.view["width"] + 0.5
                and c["y"] + (box.bottom + 1) * c["height"] <= self.view["height"] + 0.5)

    def size_px(self, box: Box) -> tuple[float, float]:
        assert self.cell is not None
        return box.cols * self.cell["width"], box.rows * self.cell["height"]


def _has_key(shown: Shown, label: str) -> bool:
    return shown.box(label, exact=True) is not None


def _shows_key(label: str) -> Callable[[Shown], bool]:
    return lambda shown: _has_key(shown, label)


def _typed(text: str) -> Callable[[Shown], bool]:
    """The field of the on-screen keys (their first box, above the keys) holds this text at its end."""
    def holds(shown: Shown) -> bool:
        boxes = shown.boxes()
        return bool(boxes) and boxes[0].text.endswith(_squeeze(text))
    return holds


def _squeeze(text: str) -> str:
    return " ".join(text.split())


class Kiosk:
    """One browser page on the web kiosk: read it, wait for it, tap on it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self._state: list[Any] | None = None
        self._shown: Shown | None = None
        # Every button seen after a tap that is smaller than a finger (TARGET_PX), with where it was.
        self.small_targets: list[str] = []

    def read(self) -> Shown:
        """The screen; read again only when the app has written to it (or the page, window or font changed)."""
        state = self.page.evaluate(STATE_JS)
        if state is None or state != self._state or self._shown is None:
            value = self.page.evaluate(SCREEN_JS)
            cells = [row.split(CELL_GAP) for row in value["rows"]]
            self._shown = Shown(cells, value["cell"], value["closed"], value["message"], value.get("view") or {})
            self._state = state
        return self._shown

    def until(self, ready: Callable[[Shown], bool], what: str, timeout: float = 30, *, must: bool = True) -> Shown:
        """Poll the page (its CSP allows no wait_for_function) until ready, else fail with what it shows
        (or, unless must, hand back the last reading)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.read()
            if shown.cell is not None and ready(shown):
                return shown
            if time.monotonic() > deadline:
                if not must and shown.cell is not None:
                    return shown
                pytest.fail(f"waited {timeout:.0f} s for {what}; the page shows:\n{shown.text or shown.message}")
            time.sleep(0.1)

    def sees(self, text: str, timeout: float = 30) -> Shown:
        return self.until(lambda s: s.has(text), repr(text), timeout)

    def tap(self, label: str, then: str | Callable[[Shown], bool] | None = None, *, exact: bool = False) -> Shown:
        """Click the middle of the button with this label; then wait for what should follow."""
        shown = self.until(lambda s: s.box(label, exact=exact) is not None, f"a button {label!r}")
        box = shown.box(label, exact=exact)
        assert box is not None and shown.cell is not None
        c = shown.cell
        if os.environ.get("WEB_DEBUG"):
            print(f"{time.monotonic():.1f} tap {label!r}")
        self.page.mouse.click(c["x"] + (box.left + box.right + 1) / 2 * c["width"],
                              c["y"] + (box.top + box.bottom + 1) / 2 * c["height"])
        if then is None:
            return self.read()
        after = self.sees(then) if isinstance(then, str) else self.until(then, f"what follows a tap on {label!r}")
        self.small_targets.extend(f"after {label!r}: {problem}" for problem in _small(after))
        return after

    def writes(self) -> int:
        """How many times the app has written to the page's terminal (counted from the first call)."""
        state = self.page.evaluate(STATE_JS)
        assert state is not None, "the page has no session"
        return int(state[1])

    def resize(self, width: int, height: int) -> Shown:
        """A new window size, and the app's screen drawn for it."""
        if self.page.viewport_size == {"width": width, "height": height}:
            return self.settled()
        before = self.writes()
        self.page.set_viewport_size({"width": width, "height": height})
        self.until(lambda s: s.view.get("width") == width and self.writes() > before, f"a redraw at {width}x{height}")
        return self.settled()

    def settled(self) -> Shown:
        """The page once it has stopped changing (a frame can reach the terminal in more than one write)."""
        before = self.read()
        while True:
            time.sleep(0.15)
            now = self.read()
            if now.cells == before.cells:
                return now
            before = now

    def tap_text(self, text: str, then: str) -> Shown:
        """Click the middle of this text where the page shows it (not in a button: a card in the board's list)."""
        shown = self.sees(text)
        assert shown.cell is not None
        c = shown.cell
        for y, row in enumerate(shown.cells):
            # Columns, not characters: a wide character's second cell is "".
            starts = [x for x in range(len(row)) if "".join(row[x:x + len(text) * 2]).startswith(text)]
            if starts:
                self.page.mouse.click(c["x"] + (starts[0] + len(text) / 2) * c["width"], c["y"] + (y + 0.5) * c["height"])
                return self.sees(then)
        pytest.fail(f"{text!r} is not on the page")

    def type_by_keys(self, text: str) -> Shown:
        """Type on the on-screen keys, one tap a character (capital and accent keys as a person would)."""
        typed = ""
        for char in text:
            key = t("kiosk.keys.space") if char == " " else char
            shown = self.settled()
            if not _has_key(shown, key):
                if char.swapcase() != char and _has_key(shown, char.swapcase()):
                    mode = f"⇧ {t('kiosk.keys.shift')}"
                elif not char.isascii():
                    mode = t("kiosk.keys.accents")
                else:
                    pytest.fail(f"no key {key!r} on the keys:\n{shown.text}")
                self.tap(mode, _shows_key(key))
            typed += char
            self.tap(key, exact=True, then=_typed(typed))
        return self.settled()

    def home(self) -> Shown:
        """Back to the start screen ('Klaar'), from wherever the visit is."""
        shown = self.read()
        if shown.box(t("kiosk.key.done")) is not None:
            return self.tap(t("kiosk.key.done"), t("kiosk.start.need"))
        return self.sees(t("kiosk.start.need"))


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTICEBOARD_") and k != "CREDENTIALS_DIRECTORY"}
    return {**env, "NOTICEBOARD_LANG": "nl"}


def _start_server(nd: NodeDir, *options: str) -> Server:
    port = free_port()
    exe = Path(sys.executable).with_name("noticeboard")
    process = subprocess.Popen([str(exe), "--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file), "kiosk",
                                "--web", "--kiosk-mode", "--port", str(port), *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_child_env())
    return Server(process, port)


def _wait_listening(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the web kiosk ended: {server.process.stdout.read() if server.process.stdout else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=1):
            return
        time.sleep(0.1)
    pytest.fail("the web kiosk did not start listening")


def _stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.communicate()


@dataclass
class Site:
    node: NodeDir
    main: Server
    short_idle: Server
    browser: Any
    kiosk: Kiosk
    shots: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A node with a few posts and an exit PIN, its web kiosk twice (normal and short idle), one browser."""
    assert CHROMIUM.exists(), f"the browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    set_language("nl")
    root = tmp_path_factory.mktemp("web")
    nd = make_node(root)
    for kind, category, title in POSTS:
        assert nd.cli("post", kind, "--category", category, "--title", title, "--contact", "0612345678").code == 0
    assert nd.cli("kiosk", "--set-exit-pin", env={"NOTICEBOARD_KIOSK_PIN": EXIT_PIN}).code == 0
    short = root / "short-idle.toml"
    # The settings file the kiosk reads ([kiosk] idle_timeout), given by --config as an operator would.
    short.write_text(f"[kiosk]\nidle_timeout = {SHORT_IDLE}\n", encoding="utf-8")
    servers = [_start_server(nd), _start_server(nd, "--config", str(short))]
    shots = tmp_path_factory.mktemp("screenshots")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch_persistent_context(
            str(root / "profile"), executable_path=str(CHROMIUM), headless=True,
            viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
        try:
            for server in servers:
                _wait_listening(server)
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.goto(servers[0].url)
            kiosk = Kiosk(page)
            kiosk.sees(t("kiosk.start.need"), timeout=60)
            yield Site(nd, servers[0], servers[1], browser, kiosk, shots)
        finally:
            browser.close()
    finally:
        playwright.stop()
        for server in servers:
            _stop_server(server)
        keep = os.environ.get("NOTICEBOARD_WEB_SCREENSHOTS")
        if keep:
            shutil.copytree(shots, keep, dirs_exist_ok=True)


@pytest.fixture(scope="module", autouse=True)
def idle_visit(site: Site) -> Iterator[tuple[Kiosk, float]]:
    """A visit on the short-idle kiosk, begun first so its idle time runs out while the other tests run.

    Typed by taps: the board's search field, with the on-screen keys. The test at the end checks it is gone.
    """
    page = site.browser.new_page()
    page.goto(site.short_idle.url)
    kiosk = Kiosk(page)
    kiosk.sees(t("kiosk.start.need"), timeout=60)
    kiosk.tap(f"3 {t('kiosk.start.board')}", t("kiosk.board.title"))
    kiosk.tap(t("kiosk.board.search"), t("kiosk.keys.ok"))
    kiosk.type_by_keys("heg")
    kiosk.tap(f"✓ {t('kiosk.keys.ok')}", POSTS[0][2])
    # Marks this page: a reload (a new session) would lose it, the idle wipe does not.
    page.evaluate("() => { window.sameVisit = true; }")
    yield kiosk, time.monotonic()
    page.close()


def _small(shown: Shown) -> list[str]:
    """Boxes (buttons, keys, fields) less than TARGET_PX either way."""
    found = []
    for box in shown.boxes():
        width, height = shown.size_px(box)
        if width < TARGET_PX or height < TARGET_PX:
            found.append(f"{box.text!r} is {width:.0f}x{height:.0f} px, less than {TARGET_PX} px")
    return found


def _all_whole(shown: Shown, *, labels: list[str]) -> bool:
    return not _labels_whole(shown, labels)


def _labels_whole(shown: Shown, labels: list[str]) -> list[str]:
    """Every label whole inside one box that lies wholly in the window; every box a large target."""
    problems = []
    for label in labels:
        box = shown.box(label)
        if box is None:
            problems.append(f"{label!r} is not whole in any button")
        elif not shown.visible(box):
            problems.append(f"{label!r} is not wholly in the window")
    return problems + _small(shown)


def _post_request_by_taps(kiosk: Kiosk, *, call: bool = True, shots: list[Callable[[str], None]] | None = None) -> Shown:
    """From the start screen to the code screen with taps only (name and phone, or 'Ik kom hier terug')."""
    kiosk.tap(f"1 {t('kiosk.start.need')}", tile_label("boodschappen"))
    for shot in shots or ():
        shot("category")
    kiosk.tap(f"1 🛒 {tile_label('boodschappen')}", t("kiosk.say.request.boodschappen"))
    kiosk.tap(f"1 {t('kiosk.say.request.boodschappen')}", t("kiosk.when.request.days"))
    kiosk.tap(f"1 {t('kiosk.when.request.days')}", t("kiosk.contact.call"))
    if call:
        # 'Bel mij': the name field comes with the keyboard, then the phone with the keypad.
        kiosk.tap(f"1 {t('kiosk.contact.call')}", f"⇧ {t('kiosk.keys.shift')}")
        kiosk.type_by_keys("Zoë")
        kiosk.tap(f"✓ {t('kiosk.keys.ok')}", lambda s: s.box("⇧ " + t("kiosk.keys.shift")) is None and s.has("+"))
        kiosk.type_by_keys("0612345678")
        kiosk.tap(f"✓ {t('kiosk.keys.ok')}", t("kiosk.check.public"))
    else:
        kiosk.tap(f"2 {t('kiosk.contact.back')}", t("kiosk.check.public"))
    return kiosk.tap(f"1 {t('kiosk.check.post')}", lambda s: CODE.search(s.text) is not None)


def test_a_request_posted_by_taps_only_shows_its_code_and_is_withdrawn_by_taps_with_its_wijzigcode(
        site: Site) -> None:
    kiosk = site.kiosk
    kiosk.home()
    kiosk.small_targets.clear()
    shown = _post_request_by_taps(kiosk)
    # At the configured font size on the 23" full-HD screen, every button and key on the way is 9 mm or more.
    assert shown.cell is not None and shown.cell["fontSize"] == 20 and not kiosk.small_targets, kiosk.small_targets
    match = CODE.search(shown.text)
    assert match is not None
    with Node.open(site.node.data_dir, site.node.unlock) as node:
        post = node.find_own(match.group())
        assert post.body["title"] == t("kiosk.say.request.boodschappen")
        contact = node.store.contact(post.author, post.id)
    assert contact is not None and (contact.name, contact.phone_number) == ("Zoë", "0612345678")
    owner = re.search(r"\b(\d{4})\b", next(line for line in shown.lines if "wijzigcode" in line))
    assert owner is not None
    kiosk.tap(f"1 {t('kiosk.key.done')}", t("kiosk.start.need"))
    assert not kiosk.read().has(match.group())
    # 'Mijn vraag': the code on the keyboard, the wijzigcode on the keypad, 'Ja, weghalen'.
    kiosk.tap(f"4 {t('kiosk.start.mine')}", t("kiosk.mine.code"))
    kiosk.tap("", exact=True, then=t("kiosk.mine.code_keys"))
    kiosk.type_by_keys(match.group().lower())
    kiosk.tap(f"✓ {t('kiosk.keys.ok')}", t("acts.owner_code.field"))
    kiosk.tap(t("acts.owner_code.field"), lambda s: s.box("0", exact=True) is not None and s.box("q") is None)
    for n, digit in enumerate(owner.group(1), 1):
        kiosk.tap(digit, exact=True, then=_typed("•" * n))
    kiosk.tap(f"✓ {t('kiosk.keys.ok')}", t("kiosk.mine.sure"))
    kiosk.tap(f"1 {t('kiosk.mine.yes')}", t("kiosk.mine.withdrawn"))
    with Node.open(site.node.data_dir, site.node.unlock) as node, pytest.raises(NotFound):
        node.find_own(match.group())
    assert not kiosk.small_targets, kiosk.small_targets


def test_the_board_is_searched_by_taps(site: Site) -> None:
    kiosk = site.kiosk
    kiosk.home()
    kiosk.small_targets.clear()
    kiosk.tap(f"3 {t('kiosk.start.board')}", POSTS[2][2])
    kiosk.tap(t("kiosk.board.search"), t("kiosk.keys.ok"))
    kiosk.type_by_keys("café")
    shown = kiosk.tap(f"✓ {t('kiosk.keys.ok')}", lambda s: s.has(POSTS[1][2]) and not s.has(POSTS[2][2]))
    assert not shown.has(POSTS[0][2])
    # A tap on the card opens it.
    kiosk.tap_text(POSTS[1][2], f"1 {t('kiosk.key.accept')}")
    # The board's filters, pager and the card's own buttons are large targets too.
    assert not kiosk.small_targets, kiosk.small_targets
    kiosk.home()


def test_a_second_browser_session_is_refused_and_the_first_goes_on(site: Site) -> None:
    kiosk = site.kiosk
    kiosk.home()
    second = site.browser.new_page()
    try:
        second.goto(site.main.url)
        refused = Kiosk(second).until(lambda s: s.closed, "the second page to be refused")
        assert refused.message == t("kiosk.web.busy")
        assert refused.message.startswith("De kiosk is al in gebruik")
    finally:
        second.close()
    kiosk.tap(f"3 {t('kiosk.start.board')}", POSTS[0][2])
    kiosk.home()


def test_start_category_and_code_screens_show_every_label_whole_at_both_sizes_and_font_sizes(site: Site) -> None:
    kiosk, page = site.kiosk, site.kiosk.page
    failures: list[str] = []
    start_labels = [f"{n} {t(key)}" for n, key in enumerate(
        ("kiosk.start.need", "kiosk.start.give", "kiosk.start.board", "kiosk.start.mine", "kiosk.start.language",
         "kiosk.start.large", "kiosk.start.contrast"), 1)]
    tile_labels = [f"{n} {c.icon} {tile_label(c.code)}" for n, c in enumerate(CATEGORIES[:8], 1)]
    tile_labels.append(f"9 {t('kiosk.category.more')}")
    font: dict[bool, int] = {}
    sizes: list[str] = []

    def shoot(screen: str, *, labels: list[str], large: bool) -> None:
        for width, height in SIZES:
            kiosk.resize(width, height)
            # The app redraws for a new size or font in its own time: what counts is the screen once drawn.
            shown = kiosk.until(partial(_all_whole, labels=labels), f"{screen} drawn", 15, must=False)
            where = f"{screen} {'large' if large else 'normal'} {width}x{height}"
            page.screenshot(path=str(site.shots / f"{where.replace(' ', '-')}.png"))
            assert shown.cell is not None
            sizes.append(f"{where}: font {shown.cell['fontSize']} px, {shown.cell['cols']}x{shown.cell['rows']} cells "
                         f"of {shown.cell['width']:.1f}x{shown.cell['height']:.1f} px")
            failures.extend(f"{where}: {p}" for p in _labels_whole(shown, labels))
            if screen == "code":
                code = CODE.search(shown.text)
                row = next((y for y, line in enumerate(shown.lines) if code and code.group() in line), None)
                assert shown.cell is not None
                if code is None or row is None or shown.cell["y"] + (row + 1) * shown.cell["height"] > height:
                    failures.append(f"{where}: the code is not wholly in view")
            if width == SIZES[0][0]:
                assert shown.cell is not None
                font[large] = shown.cell["fontSize"]
        kiosk.resize(*SIZES[0])

    for large in (False, True):
        kiosk.home()
        if large:
            kiosk.tap(f"6 {t('kiosk.start.large')}", lambda s: (s.cell or {}).get("fontSize", 0) > font[False])
        shoot("start", labels=start_labels, large=large)
        _post_request_by_taps(kiosk, call=False, shots=[partial(shoot, labels=tile_labels, large=large)])
        shoot("code", labels=[f"1 {t('kiosk.key.done')}"], large=large)
        kiosk.tap(f"1 {t('kiosk.key.done')}", t("kiosk.start.need"))
    # Beside the screenshots: the font and terminal size each was taken at.
    (site.shots / "sizes.txt").write_text("\n".join(sizes) + "\n", encoding="utf-8")
    assert font[True] > font[False], f"'Grote letters' left the letters at {font}"
    assert not failures, "\n".join(failures)
    assert len(list(site.shots.glob("*.png"))) == 12


def test_only_loopback_is_served(site: Site) -> None:
    port = site.main.port
    # Listening on 127.0.0.1 only (the kernel's own table of listening sockets).
    listening = _listening_addresses(port)
    assert listening == {"127.0.0.1"}, listening
    # The machine's other addresses: the connection itself is refused.
    others = _own_addresses()
    assert others, "this machine has no address but loopback to try"
    for address in others:
        family = socket.AF_INET6 if ":" in address.split("%")[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            target = socket.getaddrinfo(address, port, family, socket.SOCK_STREAM)[0][4]
            with pytest.raises(ConnectionRefusedError):
                sock.connect(target)
    # Loopback under another name (a page that made a browser here ask for it) gets nothing.
    request = urllib.request.Request(site.main.url, headers={"Host": f"kiosk.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with urllib.request.urlopen(site.main.url, timeout=10) as page:
        assert page.status == 200


def _own_addresses() -> list[str]:
    """Every address of this machine's network cards except loopback (IPv6 link-local with its interface)."""
    found = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, tuple):
                address, _, scope = ip.ip
                parsed = ipaddress.ip_address(address)
                text = f"{address}%{scope}" if parsed.is_link_local else address
            else:
                parsed = ipaddress.ip_address(ip.ip)
                text = ip.ip
            if not parsed.is_loopback:
                found.append(text)
    return found


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on this port (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        with contextlib.suppress(FileNotFoundError), open(table, encoding="ascii") as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state != "0A" or int(hex_port, 16) != port:
                    continue
                raw = bytes.fromhex(address)
                # The kernel writes each 32-bit word in host order (little-endian here).
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(str(ipaddress.ip_address(words)) if width == 8 else str(ipaddress.IPv6Address(words)))
    return found


def test_an_idle_visit_is_wiped_from_the_page(site: Site, idle_visit: tuple[Kiosk, float]) -> None:
    kiosk, typed_at = idle_visit
    time.sleep(max(0.0, typed_at + SHORT_IDLE + 2 - time.monotonic()))
    shown = kiosk.sees(t("kiosk.start.need"), timeout=10)
    assert kiosk.page.evaluate("() => window.sameVisit === true"), "the page was reloaded, not wiped"
    assert not shown.has("heg") and not shown.has(t("kiosk.idle.still_there"))
    # Nothing typed survives: the board's search field is empty again.
    shown = kiosk.tap(f"3 {t('kiosk.start.board')}", POSTS[2][2])
    assert shown.box(t("kiosk.board.search")) is not None


def test_staff_leave_by_five_taps_and_the_pin_on_the_keypad(site: Site, idle_visit: tuple[Kiosk, float]) -> None:
    kiosk, _ = idle_visit
    kiosk.home()
    welcome = t("kiosk.welcome", name="Dorpshuis De Wierde")
    shown = kiosk.sees(welcome)
    row = next(y for y, line in enumerate(shown.lines) if welcome in line)
    assert shown.cell is not None
    c = shown.cell
    for _ in range(5):
        kiosk.page.mouse.click(c["x"] + 4 * c["width"], c["y"] + (row + 0.5) * c["height"])
    kiosk.sees(t("kiosk.pin.title"))
    for n, digit in enumerate(EXIT_PIN, 1):
        kiosk.tap(digit, exact=True, then=_typed("•" * n))
    kiosk.tap(f"✓ {t('kiosk.keys.ok')}")
    # The app has ended; the page says so and starts a fresh session by itself.
    kiosk.until(lambda s: s.closed and s.message == t("kiosk.web.ended"), "the session to end")
