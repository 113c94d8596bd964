"""Prove a refactor changed no output: run the headless commands at two revisions and diff.

usage: python scripts/same_output.py OLD_REV [NEW_REV]   (NEW_REV: the work tree)

Each revision runs from its own checkout (``git worktree``) with ``PYTHONPATH``
pointing at its ``src``, against its own bundled catalogue, with fresh and
separate data and cache directories, so neither run sees the other's state or
caches. Prints one line per command and exits 1 if any output differs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COMMANDS: list[list[str]] = [
    ["list"],
    ["list", "--format", "json"],
    ["list", "--section", "compression"],
    ["search", "quant"],
    ["search", "quant", "--format", "json"],
    ["search", "year:>=2023 has:code !arxiv"],
    ["search", "quantizaton"],
    ["sections"],
    ["check"],
    ["export", "--format", "markdown"],
    ["export", "--format", "bibtex"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["export", "venue:osdi", "--format", "bibtex"],
]


def run_all(src: Path, home: Path) -> list[tuple[int, bytes, bytes]]:
    """Exit code, stdout and stderr per command; the checkout's own path (``check``
    names the catalogue file) reads as ``<repo>`` so two checkouts compare."""
    tree = str(src.parent).encode()
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(src),
        SURVEYTUI_DATA_DIR=str(home / "data"),
        SURVEYTUI_CACHE_DIR=str(home / "cache"),
        SURVEYTUI_CONFIG_DIR=str(home / "config"),
    )
    out = []
    for argv in COMMANDS:
        # Twice: the second run may answer from caches (parse cache, quick pack).
        for _ in range(2):
            done = subprocess.run(
                [sys.executable, "-m", "surveytui", *argv],
                capture_output=True,
                env=env,
                timeout=300,
                check=False,
            )
        stdout = done.stdout.replace(tree, b"<repo>")
        out.append((done.returncode, stdout, done.stderr.replace(tree, b"<repo>")))
    return out


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        trees = []
        for i, rev in enumerate(argv):
            tree = Path(tmp) / f"tree{i}"
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), rev],
                check=True,
            )
            trees.append(tree)
        if len(trees) == 1:
            trees.append(REPO)
        try:
            old = run_all(trees[0] / "src", Path(tmp) / "home-old")
            new = run_all(trees[1] / "src", Path(tmp) / "home-new")
        finally:
            for tree in trees:
                if tree != REPO:
                    subprocess.run(
                        ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                        check=False,
                    )
    differ = 0
    for argv_, a, b in zip(COMMANDS, old, new, strict=True):
        same = a[:2] == b[:2]
        differ += not same
        label = "same" if same else "DIFFERENT"
        print(f"{label:9} exit {a[0]}/{b[0]} {len(a[1]):>8} bytes  surveytui {' '.join(argv_)}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
