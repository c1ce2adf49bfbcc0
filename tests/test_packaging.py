"""The wheel holds what the program needs at run time: its packages, the Textual style sheets, the texts.

Built from a copy of the source tree (a build writes build/ and *.egg-info next to the sources) with the
venv's own setuptools, so the test needs no network; then the unpacked wheel is imported in a child
process away from the source tree, to show it runs from what ships and not from the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = {"noticeboard", "sync", "crypto"}
# Files next to the code that the program opens at run time, by suffix.
DATA_SUFFIXES = (".tcss", ".mo", ".sql")

pytestmark = pytest.mark.slow


def _copy_source(dest: Path) -> Path:
    src = dest / "src"
    shutil.copytree(
        ROOT, src,
        ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "build", "dist", "*.egg-info",
                                      ".pytest_cache", ".ruff_cache", ".hypothesis", "__snapshots__"),
    )
    return src


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = _copy_source(work)
    out = work / "out"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(src)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (built,) = out.glob("buurthulp_noticeboard-*.whl")
    return built


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def _data_files_in_tree() -> set[str]:
    found = set()
    for package in SHIPPED:
        for path in (ROOT / package).rglob("*"):
            if path.suffix in DATA_SUFFIXES and "__pycache__" not in path.parts:
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_the_wheel_ships_exactly_the_three_packages(wheel: Path) -> None:
    top = {PurePosixPath(n).parts[0] for n in _names(wheel) if not n.split("/")[0].endswith(".dist-info")}
    assert top == SHIPPED, "tests/, bench/ and docs/ stay out; every code package is in"


def test_every_module_and_data_file_of_the_tree_is_in_the_wheel(wheel: Path) -> None:
    names = set(_names(wheel))
    modules = {p.relative_to(ROOT).as_posix() for pkg in SHIPPED for p in (ROOT / pkg).rglob("*.py")}
    assert modules - names == set()
    data = _data_files_in_tree()
    assert any(n.endswith(".tcss") for n in data), "the kiosk and staff style sheets exist"
    assert any(n.endswith("nl/LC_MESSAGES/noticeboard.mo") for n in data), "the compiled Dutch texts exist"
    assert data - names == set()


def test_the_metadata_names_the_license_and_the_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        dist_info = next(n.split("/")[0] for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(zf.read(f"{dist_info}/METADATA").decode())
        entry_points = zf.read(f"{dist_info}/entry_points.txt").decode()
    assert metadata["License-Expression"] == "EUPL-1.2"
    assert "noticeboard = noticeboard.cli:main" in entry_points


def test_the_unpacked_wheel_runs_with_its_texts_and_style_sheets(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    probe = (
        "import pathlib, noticeboard, noticeboard.i18n as i18n\n"
        "from noticeboard.app.kiosk.app import KioskApp\n"
        "from noticeboard.app.staff.base import StaffScreen\n"
        "print(pathlib.Path(noticeboard.__file__).resolve())\n"
        "for app in (KioskApp, StaffScreen):\n"
        "    css = pathlib.Path(__import__(app.__module__, fromlist=['x']).__file__).parent / app.CSS_PATH\n"
        "    assert css.is_file(), css\n"
        "print(i18n.t('error.store', lang='nl')[:20], '|', i18n.t('error.store', lang='en')[:20])\n"
        "print(i18n.tn('kiosk.sync.last', 1, lang='nl', ago='-'), '|', i18n.tn('kiosk.sync.last', 2, lang='en', ago='-'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    # Away from the checkout, so neither the working directory nor the editable install supplies a file.
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    where, texts, counted = done.stdout.splitlines()
    assert Path(where).is_relative_to(site)
    assert texts == "Er ging iets mis met | Something went wrong"
    assert counted == "Bijgewerkt - · 1 dorp | Updated - · 2 villages"
