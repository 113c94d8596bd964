"""The wheel carries the catalogue and the stylesheet, and the installed command works.

An editable install finds ``data/papers.toml`` in the source tree, which hides
a wheel that forgets it; so this builds a real wheel, installs it into a fresh
virtual environment and runs ``surveytui`` from an unrelated directory.
Dependencies come from the test interpreter's own site-packages (no network).
"""

from __future__ import annotations

import importlib.util
import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from surveytui import __version__
from surveytui.model.catalog import load_catalog

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120

# The test extra installs hatchling; pip and venv come with Python. A missing one is a
# broken test environment, reported as a failure rather than hidden as a skip.
MISSING_TOOLS = [n for n in ("hatchling", "pip", "venv") if importlib.util.find_spec(n) is None]


@pytest.fixture(autouse=True)
def _build_tools_present() -> None:
    assert not MISSING_TOOLS, f"needed to build and install the wheel: {MISSING_TOOLS}"


# pip >= 22.3 installs into another interpreter, so the venv needs no pip of its own.
PIP_HAS_PYTHON_OPTION = tuple(int(x) for x in version("pip").split(".")[:2]) >= (22, 3)


def quiet_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, env=quiet_env())
    assert result.returncode == 0, f"{argv}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    argv = [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-index"]
    run([*argv, "--no-build-isolation", "-q", "-w", str(out)])
    [built] = out.glob("surveytui-*.whl")
    return built


@pytest.fixture(scope="module")
def venv_bin(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the wheel; our site-packages supply the dependencies.

    ``--system-site-packages`` alone is not enough when the tests themselves
    run in a venv (its packages are not "system" ones), so a ``.pth`` file
    adds the test interpreter's site-packages. Paths listed in a ``.pth`` file
    are appended after the venv's own, and ``.pth`` files inside them are not
    processed, so an editable install of surveytui there stays inactive.
    """
    venv = tmp_path_factory.mktemp("venv") / "env"
    no_pip = ["--without-pip"] if PIP_HAS_PYTHON_OPTION else []
    run([sys.executable, "-m", "venv", "--system-site-packages", *no_pip, str(venv)])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    ours = [p for p in {*site.getsitepackages(), sysconfig.get_path("purelib")} if Path(p).is_dir()]
    (Path(purelib.stdout.strip()) / "_test_deps.pth").write_text("\n".join(ours) + "\n", "utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    if not PIP_HAS_PYTHON_OPTION:
        pip = [str(python), "-m", "pip"]
    run([*pip, "install", "--no-deps", "--no-index", "-q", str(wheel)])
    return bindir


def test_wheel_contains_the_catalogue_and_the_stylesheet(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = zf.read("surveytui/data/papers.toml")
    assert {"surveytui/data/papers.toml", "surveytui/ui/app.tcss", "surveytui/cli/main.py"} <= names
    assert shipped == (REPO / "data" / "papers.toml").read_bytes()
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
    assert wheel.name.startswith(f"surveytui-{__version__}-")


def test_installed_command_lists_the_packaged_catalogue(venv_bin: Path, tmp_path: Path) -> None:
    env = quiet_env(
        SURVEYTUI_DATA_DIR=str(tmp_path / "data"), SURVEYTUI_CACHE_DIR=str(tmp_path / "cache")
    )
    script = venv_bin / ("surveytui.exe" if os.name == "nt" else "surveytui")
    listing = subprocess.run(
        [str(script), "list", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=TIMEOUT,
    )
    assert listing.returncode == 0, listing.stderr
    records = json.loads(listing.stdout)
    assert len(records) == len(load_catalog(REPO / "data" / "papers.toml").papers) >= 400

    # The catalogue it read is the one inside the installed package, not the source tree.
    check = subprocess.run(
        [str(script), "check"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert check.returncode == 0, check.stderr
    where = check.stderr.strip().rsplit(": ", 1)[0]
    assert Path(where).is_relative_to(venv_bin.parent), where
    assert Path(where).parts[-3:] == ("surveytui", "data", "papers.toml")
