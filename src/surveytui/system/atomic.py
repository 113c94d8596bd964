"""Durable file writes, shared by every writer of user-visible files.

A crash or a full disk mid-write must leave either the old file or the new
one, never a truncated mix: write a temp file beside the target, fsync it,
then ``os.replace`` it over the target, and fsync the directory so the
rename itself survives a power cut. A file that must never replace another
(a backup) is created exclusively instead.

``os.replace`` replaces whatever is at the path, so the target is looked at
first (``surveytui.system.files.write_target``): a symlink the user made is
written through, a device or FIFO is written to in place (as ``> /dev/null``
would) and never replaced, the process's own stdout or stderr is appended to,
a directory is refused. A temp file left by a
killed writer is removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from pathlib import Path

from surveytui.system.files import (
    is_stream,
    standard_stream,
    write_standard,
    write_stream,
    write_target,
)

#: A temp file of ours older than this is a leftover, whatever process made it.
STALE_TMP_SECONDS = 3600.0


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


def _tmp_prefix(target: Path) -> str:
    return f".{target.name}."


def _writer_gone(name: str, prefix: str) -> bool:
    """True when the temp file's name says which process made it and that process is gone."""
    pid_text = name[len(prefix) :].partition("-")[0]
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's (EPERM)
        return False
    return False


def remove_stale_temps(target: Path) -> None:
    """Delete temp files of this target's naming that a killed writer left behind.

    A temp file is stale when the process named in it no longer runs, or when
    it is older than :data:`STALE_TMP_SECONDS` (a writer on another machine
    sharing the directory). Another live writer's temp file is never touched.
    """
    prefix = _tmp_prefix(target)
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                old = now - st.st_mtime > STALE_TMP_SECONDS
                if entry.is_file(follow_symlinks=False) and (old or _writer_gone(name, prefix)):
                    os.unlink(entry.path)


def write_bytes_atomic(
    path: Path, data: bytes, *, private: bool = True, follow_symlinks: bool = True
) -> None:
    """Readers see the old file or the new one, never a mix.

    Replacing a file keeps its permissions (a user who made an export or the
    state file group-readable keeps it so). A new private file (state: notes
    and reading lists may be personal) is ``0600``; a new export or catalogue
    gets the usual umask-based mode, like any file the user writes.

    ``follow_symlinks=False`` is for caches: a link there is replaced, not
    followed, and a device or FIFO there is refused rather than written to.
    """
    if follow_symlinks and (own := standard_stream(path)) is not None:
        write_standard(own, data)
        return
    where, current = write_target(path, follow_symlinks=follow_symlinks)
    if current is not None and is_stream(current):
        if not follow_symlinks:
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        write_stream(where, data)
        return
    target = Path(where)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    if current is not None and stat.S_ISREG(current.st_mode):
        mode = current.st_mode & 0o7777
    else:
        mode = 0o600 if private else _public_mode()
    prefix = f"{_tmp_prefix(target)}{os.getpid()}-"
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        _write_synced(fd, data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def write_text_atomic(path: Path, text: str, *, private: bool = True) -> None:
    """UTF-8 text, written as :func:`write_bytes_atomic` does."""
    write_bytes_atomic(path, text.encode("utf-8"), private=private)


def write_bytes_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` (mode ``0600``) holding ``data``; ``FileExistsError`` if it exists."""
    _write_synced(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), data)
