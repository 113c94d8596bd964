"""Command line entry point: plain ``surveytui`` opens the browser, subcommands work headless.

This module parses argv (``cli.parser``), runs the chosen command
(``cli.commands``) and turns every expected failure into one line on stderr and
an exit code: 2 for bad input, 1 for an output that could not be written, 130
for Ctrl+C, 0 when a reader closed the pipe (``surveytui list | head``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from surveytui.cli import commands
from surveytui.cli.parser import build_parser
from surveytui.cli.reading import ReadingError
from surveytui.model.catalog import CatalogError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("data", "state", "config"):
        if not hasattr(args, name):
            setattr(args, name, None)
    if args.command == "fav" and args.action in ("add", "rm") and not args.ids:
        parser.error(f"fav {args.action}: give at least one paper id")
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", commands.cmd_browse)
    from surveytui.state.store import StateError
    from surveytui.system.output import exit_code_for

    try:
        commands.refuse_own_inputs(args)
        code = func(args)
        sys.stdout.flush()  # a full disk must fail here, not silently at exit
        return code
    except (commands.CliError, CatalogError, StateError, ReadingError) as exc:
        print(f"surveytui: error: {exc}", file=sys.stderr)
        return commands.EXIT_USAGE
    except (OSError, KeyboardInterrupt) as exc:
        failed = exit_code_for(exc)
        if failed is None:
            raise
        return failed
