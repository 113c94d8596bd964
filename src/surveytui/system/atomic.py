"""Durable file writes, shared by every writer of user-visible files.

A crash or a full disk mid-write must leave either the old file or the new
one, never a truncated mix: write a temp file beside the target, fsync it,
then ``os.replace`` it over the target, and fsync the directory so the
rename itself survives a power cut. A file that must never replace another
(a backup) is created exclusively instead.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _fsync_dir(directory: Path) -> None:
    # Not possible on every platform (Windows); the rename is still atomic there.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _public_mode() -> int:
    """What ``open()`` would give a new file: 0666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = True) -> None:
    """Readers see the old file or the new one, never a mix.

    Replacing a file keeps its permissions (a user who made an export or the
    state file group-readable keeps it so). A new private file (state: notes
    and reading lists may be personal) is ``0600``; a new export or catalogue
    gets the usual umask-based mode, like any file the user writes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o600 if private else _public_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _write_synced(fd, data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str, *, private: bool = True) -> None:
    """UTF-8 text, written as :func:`write_bytes_atomic` does."""
    write_bytes_atomic(path, text.encode("utf-8"), private=private)


def write_bytes_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` (mode ``0600``) holding ``data``; ``FileExistsError`` if it exists."""
    _write_synced(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), data)
