"""The headless core never imports Textual, so ``surveytui search`` starts fast.

Each check runs in a fresh interpreter: in this process pytest has already
imported Textual for the UI tests. A positive control proves the check sees
Textual when it is imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures"

REPORT = """
import json, sys
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("TEXTUAL-MODULES " + json.dumps(loaded))
"""


def textual_modules_after(code: str, cwd: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + REPORT],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    marker = [line for line in result.stdout.splitlines() if line.startswith("TEXTUAL-MODULES ")]
    assert marker, result.stdout[-500:]
    loaded: list[str] = json.loads(marker[-1].split(" ", 1)[1])
    print(result.stdout[-2000:])  # shown by pytest when the test fails
    return loaded


def test_cli_commands_run_without_importing_textual(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    code = f"""
from surveytui.cli.main import main
runs = [
    ["search", "gptq"],
    ["list"],
    ["sections"],
    ["--state", {str(state)!r}, "fav", "add", "deepspeed"],
    ["--state", {str(state)!r}, "fav", "list", "--format", "json"],
    ["export", "is:fav", "--format", "bibtex", "--state", {str(state)!r}],
    ["check", {str(FIXTURES / "cli_small_list.md")!r}],
    ["import", {str(FIXTURES / "cli_small_list.md")!r}, "-o", {str(tmp_path / "out.toml")!r}],
]
for argv in runs:
    assert main(argv) == 0, argv
"""
    assert textual_modules_after(code, tmp_path) == []
    assert (tmp_path / "out.toml").is_file() and state.is_file()  # the commands really ran


# Every module of the package outside ``surveytui.ui``, in every sub-package: a new
# core module is covered without anyone remembering to list it here.
_SRC = Path(__file__).resolve().parents[2] / "src"


def _module(path: Path) -> str:
    parts = path.relative_to(_SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


CORE = sorted(
    _module(p)
    for p in (_SRC / "surveytui").rglob("*.py")
    if p.stem != "__main__" and "ui" not in p.relative_to(_SRC / "surveytui").parts
)


def test_no_core_module_imports_textual(tmp_path: Path) -> None:
    """One interpreter imports them in turn; the first one that pulls Textual in is named."""
    code = f"""
import importlib, sys
for name in {CORE!r}:
    importlib.import_module(name)
    if "textual" in sys.modules:
        print("FIRST-CULPRIT " + name)
        break
"""
    assert textual_modules_after(code, tmp_path) == []


def test_the_core_list_reaches_into_sub_packages() -> None:
    assert {"surveytui.state.store", "surveytui.quick.run", "surveytui.cli.main"} <= set(CORE)
    assert not any(name.startswith("surveytui.ui") for name in CORE)


def test_the_check_detects_textual_when_the_ui_is_imported(tmp_path: Path) -> None:
    assert "textual.app" in textual_modules_after("import surveytui.ui.app\n", tmp_path)
