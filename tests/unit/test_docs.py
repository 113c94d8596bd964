"""What the README promises: the quick start is two commands, and CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quick_start_is_two_commands_in_a_virtual_environment() -> None:
    run, test = quick_start_commands()
    for command in (run, test):
        assert "\n" not in command
        assert command.startswith("python3 -m venv ")  # works where pip is externally managed
    assert run.endswith("surveytui") and "install ." in run
    assert test.endswith("pytest") and "'.[test]'" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    assert quick_start_commands()[1] in ci
