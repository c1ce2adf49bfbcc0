"""Acceptance 2 (issue 18): the HTML report opens offline in a browser and shows its charts.

Debian's chromium renders the file headless with every network path closed (no DNS, a dead
proxy); the page itself names no URL at all. The screenshot is read back (a small PNG reader
below, the standard library's zlib) and must show each stage's bar colour; the rendered DOM
must hold the SVG charts and their bars.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from noticeboard.desk import evaluation
from noticeboard.desk import evaluation_report as report
from tests.desk.evaluation_support import Work, do_month
from tests.desk.fixtures import T0, Village

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The stages' colours in the report (noticeboard/desk/evaluation_report.py), as RGB.
STAGE_RGB = {"requests": (0x4C, 0x72, 0xB0), "matched": (0xDD, 0x84, 0x52), "done": (0x55, 0xA8, 0x68),
             "helped": (0x81, 0x72, 0xB3)}
OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--disable-background-networking"]


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows (RGB or RGBA, 8 bits) of a non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height, channels = 8, b"", 0, 0, 0
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6) and chunk[12] == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        at += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytes(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = bytes(line)
    return width, height, rows if channels == 3 else [bytes(r[i] for i in range(len(r)) if i % 4 < 3) for r in rows]


@pytest.fixture
def page(village: Village, tmp_path: Path) -> Path:
    """The report of a centre with a month of work, written as the CLI writes it."""
    do_month(village, T0)
    do_month(village, T0 + dt.timedelta(days=31), "tuin", Work(done=8, helped=2), tag="april")
    now = T0 + dt.timedelta(days=40)
    evaluation.publish(village.node, now=now)
    path = tmp_path / "verslag.html"
    path.write_text(report.to_html(report.collect(village.node.store), now=now), encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_report_opens_offline_in_headless_chromium_and_shows_its_charts(page: Path, tmp_path: Path) -> None:
    assert Path(CHROMIUM).exists(), f"this test needs Debian's chromium at {CHROMIUM} (./dev test installs it)"
    text = page.read_text(encoding="utf-8")
    # Self-contained: nothing for a browser to fetch, and no script.
    assert not re.search(r"(?i)https?:|//[a-z]|<script|<link|<img|@import|url\(", text)
    assert text.count("<svg") == 5
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([CHROMIUM, *OFFLINE, *profile, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert len(re.findall(r'<svg class="chart', dom)) == 5
    assert len(re.findall(r'<rect class="bar"', dom)) >= 4 * 3
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *OFFLINE, *profile, f"--screenshot={shot}", "--window-size=1000,2600",
                    # Half the pixels each way: the bars keep their colour, the PNG reader has a quarter to do.
                    "--force-device-scale-factor=0.5", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (500, 1300)
    pixels = {row[i:i + 3] for row in rows for i in range(0, len(row), 3)}
    assert len(pixels) > 20, "the screenshot is blank"
    for stage, rgb in STAGE_RGB.items():
        assert bytes(rgb) in pixels, f"no {stage} bar on the screenshot"
