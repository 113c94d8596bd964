"""A failed write to stdout is an error the user must see, not a traceback or a cut.

``surveytui list > /dev/full`` (ENOSPC) or a file-size limit (EFBIG) fails inside
whatever ``print`` filled the buffer, or only at the interpreter's final flush,
where Python reports it as an ignored exception after the command said success.
So both the full CLI and the quick search path flush stdout before they return
and turn a failed write into one line and a non-zero exit. A closed pipe
(``| head``) is not an error: the reader has what it wanted.

A file-size limit (``ulimit -f``) is worse: the kernel accepts part of a write,
and Python's buffered stdout drops the rest without an error. So when stdout is
a regular file, :func:`guard_stdout` puts a writer under it that writes every
byte or fails, which makes the limit an ``EFBIG`` like any other.

Imported by the quick search path: only modules Python loads to start.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import sys

EXIT_OUTPUT = 1
#: Errors that only a write can give: seeing one with no file name means stdout.
_WRITE_ERRNOS = frozenset(
    e for e in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None), errno.EIO) if e
)


class _WholeWrites(io.RawIOBase):
    """fd 1, where a short write is retried until it succeeds or raises."""

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1

    def write(self, data: object) -> int:
        view = memoryview(data).cast("B")  # type: ignore[arg-type]
        done = 0
        while done < len(view):
            done += os.write(1, view[done:])
        return done


#: The stdout the guard replaced: kept alive so collecting it never closes fd 1.
_REPLACED: list[object] = []


def guard_stdout() -> None:
    """When stdout is a regular file, write it so that a partial write cannot pass silently."""
    old = sys.stdout
    if not isinstance(old, io.TextIOWrapper) or old is not sys.__stdout__:
        return  # replaced already (a test, an embedding program): not ours to change
    try:
        if not stat.S_ISREG(os.fstat(1).st_mode):
            return
        old.flush()
    except (OSError, ValueError):
        return
    _REPLACED.append(old)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_WholeWrites()),
        encoding=old.encoding,
        errors=old.errors,
        line_buffering=old.line_buffering,
    )


def is_stdout_error(exc: OSError) -> bool:
    """True when ``exc`` came from writing stdout (it names no file, and stdout still fails)."""
    if exc.filename is not None or isinstance(exc, BrokenPipeError):
        return False
    if exc.errno in _WRITE_ERRNOS:
        return True
    try:
        sys.stdout.flush()  # what failed is still buffered: it fails again if it was ours
    except OSError:
        return True
    return False


def report_output_error(exc: OSError) -> int:
    """Say why the output could not be written; stdout is closed to further writes."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    try:
        sys.stderr.write(f"surveytui: error: cannot write output: {reason}\n")
        sys.stderr.flush()
    except OSError:
        pass
    _discard_stdout()
    return EXIT_OUTPUT


def exit_code_for(exc: BaseException) -> int | None:
    """How a command that ended in ``exc`` exits, when ``exc`` is about its output or
    the reader; None for anything else (the caller re-raises it). One rule for the
    full CLI and the quick search path:

    - a closed pipe (``surveytui list | head``): the reader left; exit quietly, 0;
    - a failed write to stdout: one line on stderr, 1;
    - Ctrl+C: 130, as shells report it.
    """
    if isinstance(exc, BrokenPipeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if isinstance(exc, OSError) and is_stdout_error(exc):
        return report_output_error(exc)
    if isinstance(exc, KeyboardInterrupt):
        return 130
    return None


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout replaced by a test, or closed
        pass
