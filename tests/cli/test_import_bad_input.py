"""Bad input to ``surveytui import``: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from surveytui.cli.catalogs import ProgressBar
from surveytui.cli.main import main

PROSE_50K = "# Notes\n\n## Section\n\n" + "".join(
    f"Just a line of prose, {n}.\n\n" for n in range(25_000)
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "binary data, not Markdown text"),
        ("caf\xe9 au lait".encode("latin-1"), "not UTF-8 text (byte 3)"),
        (b"<!DOCTYPE html>\n<html><body><ul><li>x</li></ul></body></html>", "is an HTML page"),
        (b"", "empty, no paper list in it"),
        (b"   \n\n\t\n", "empty, no paper list in it"),
        (PROSE_50K.encode(), "no paper entries found"),
    ],
    ids=["binary", "latin-1", "html", "empty", "blank", "50k-lines-of-prose"],
)
def test_bad_files_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "list.md"
    source.write_bytes(content)
    out = tmp_path / "out.toml"
    assert main(["import", str(source), "-o", str(out)]) == 2
    stdout, err = capsys.readouterr()
    assert stdout == ""
    assert err.count("\n") == 1 and message in err and str(source) in err
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_never_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "list.md"
    os.mkfifo(fifo)
    assert main(["import", str(fifo)]) == 2  # returns at all: it did not block on open
    assert "not a regular file" in capsys.readouterr().err


def test_a_directory_and_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "nope.md")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_ragged_table_rows_are_read_as_far_as_they_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.md"
    source.write_text(
        "# T\n\n## S\n\n| Title | Venue | Date |\n|---|---|---|\n"
        "| [**Short Row Paper**](https://x.org/a) |\n"
        "| Long Row Paper | ICML | 2020 | extra | cells |\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.toml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'title = "Short Row Paper"' in text and 'title = "Long Row Paper"' in text
    assert "year = 2020" in text


def test_a_large_list_in_a_pipe_gets_no_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.md"
    source.write_text(
        "# T\n\n## S\n\n"
        + "".join(f"- Paper {n}. *[ICML'22]* [[Paper]](https://x.org/{n})\n" for n in range(2000)),
        encoding="utf-8",
    )
    assert main(["import", str(source), "-o", str(tmp_path / "o.toml")]) == 0
    assert "[#" not in capsys.readouterr().err  # stderr is not a terminal here


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_appears_only_after_a_second_on_a_terminal() -> None:
    stream = _Terminal()
    bar = ProgressBar(stream)
    bar(10, 100)
    assert stream.getvalue() == ""  # a quick import draws nothing
    bar.start = time.monotonic() - 2 * ProgressBar.DELAY  # as if it had run for two seconds
    bar(50, 100)
    assert "[" + "#" * 15 + "-" * 15 + "]" in stream.getvalue() and "50%" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")  # the line is cleared for the next message
    quiet = io.StringIO()
    piped = ProgressBar(quiet)
    piped.start -= 10
    piped(50, 100)
    assert quiet.getvalue() == ""
