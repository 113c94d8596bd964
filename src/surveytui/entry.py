"""The ``surveytui`` command: the quick search path first, then the full CLI.

Kept apart from ``surveytui.cli.main`` so that a plain-word ``surveytui search``
never pays for argparse, pathlib or the catalogue model: Python imports
nothing here beyond what it loaded to start. Everything else, including every
case the quick path declines, goes to :func:`surveytui.cli.main.main` unchanged.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

#: The CLI's subcommands; without one, ``surveytui`` opens the browser.
COMMANDS = frozenset(
    (
        "list",
        "search",
        "sections",
        "check",
        "import",
        "update",
        "export",
        "fav",
        "tag",
        "state",
        "enrich",
        "metadata",
        "stats",
        "read",
        "note",
        "filter",
    )
)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if COMMANDS.isdisjoint(args):
        from surveytui.startup import hold_collector

        hold_collector()  # released by the browser after its first paint
    elif argv is None:
        from surveytui.system.output import guard_stdout

        guard_stdout()  # a file-size limit must fail the command, not cut its output
    if "search" in args:
        from surveytui.quick.run import run

        try:
            code = run(args)
            if code is not None:
                sys.stdout.flush()  # a full disk must fail here, not silently at exit
            if code is not None and argv is None:
                # The command itself, answered from the pack: nothing is left to clean
                # up, so skip the interpreter's teardown (a few ms of a ~50 ms run).
                os._exit(code)
        except (OSError, KeyboardInterrupt) as exc:
            from surveytui.system.output import exit_code_for

            failed = exit_code_for(exc)  # the same rule as the full CLI's
            if failed is None:
                raise
            return failed
        if code is not None:
            return code
    from surveytui.cli.main import main as cli_main

    try:
        return cli_main(args)
    finally:
        # The browser releases the collector after its first paint; an error or
        # --help before that must not leave it off for whoever called main().
        from surveytui.startup import release_collector

        release_collector()
