"""The command line's shape: every subcommand, its arguments and its help.

Kept apart from the commands so ``--help`` and the tests that read the parser do
not depend on what a command does, and from ``cli.main`` so the run loop stays small.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn

from surveytui import __version__
from surveytui.cli import commands
from surveytui.cli.commands import (
    cmd_check,
    cmd_enrich,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_metadata,
    cmd_search,
    cmd_sections,
    cmd_state,
    cmd_stats,
    cmd_update,
)
from surveytui.cli.reading import add_reading_commands


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(commands.EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="catalogue TOML to browse (default: the bundled survey)",
    )
    common.add_argument(
        "--state",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="user state file (default: one per catalogue in the user data dir)",
    )
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $SURVEYTUI_CONFIG, else config.toml in the user config dir)",
    )

    parser = _Parser(
        prog="surveytui",
        parents=[common],
        description="Browse the paper list of a survey in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"surveytui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    fmt = {"choices": ("table", "json"), "default": "table", "help": "output format"}
    p = add("list", cmd_list, "list papers")
    p.add_argument(
        "--section", metavar="TEXT", help="only papers in sections whose path contains TEXT"
    )
    p.add_argument("--format", **fmt)  # type: ignore[arg-type]
    p.add_argument(
        "--ids", dest="show_ids", action="store_true", help="table: show each paper's id"
    )
    p = add("search", cmd_search, "search papers with the filter language, best match first")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="at most N results")
    p.add_argument("--format", **fmt)  # type: ignore[arg-type]
    p.add_argument(
        "--ids", dest="show_ids", action="store_true", help="table: show each paper's id"
    )
    add("sections", cmd_sections, "show the section tree with paper counts")
    p = add("check", cmd_check, "report duplicates, venue typos, bad URLs and missing years")
    p.add_argument("path", nargs="?", metavar="PATH", help="catalogue TOML or Markdown list")
    p = add("import", cmd_import, "turn a Markdown paper list (file or URL) into a catalogue")
    p.add_argument("source", metavar="SOURCE", help="a Markdown file, a URL, or a GitHub repo URL")
    p.add_argument("-o", "--output", metavar="OUT.toml", help="write here (default: stdout)")
    p.add_argument("--title", help="catalogue title (default: the document's first heading)")
    p.add_argument("--arxiv", metavar="ID", help="the survey's arXiv id")
    p.add_argument("--source", dest="source_url", metavar="URL", help="where the list comes from")
    p = add("update", cmd_update, "bring the bundled survey up to date from its source")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    p.add_argument("--undo", action="store_true", help="go back to the catalogue before")
    p = add("export", cmd_export, "export papers (optionally matching QUERY)")
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--format", choices=("markdown", "bibtex", "csv", "json"), default="markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p = add(
        "stats",
        cmd_stats,
        "papers per year, venue, section, category; code; your progress",
    )
    p.add_argument("query", nargs="?", metavar="QUERY", help="only papers matching this filter")
    p.add_argument("--format", **fmt)  # type: ignore[arg-type]
    add_reading_commands(add, commands.reading_commands(), fmt)
    p = add("state", cmd_state, "move favourites, tags, read marks and notes between machines")
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("file", metavar="FILE")
    p = add("enrich", cmd_enrich, "fetch authors, abstracts and ids from arXiv and OpenAlex")
    p.add_argument(
        "query", nargs="?", metavar="QUERY", help="only papers matching QUERY (default: all)"
    )
    p.add_argument(
        "--refresh", action="store_true", help="fetch again papers that already have metadata"
    )
    p = add("metadata", cmd_metadata, "move fetched metadata between machines")
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("file", metavar="FILE")
    return parser
