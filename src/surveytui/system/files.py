"""Opening files that users (or strangers) name: never hang, never read forever, never
replace what is not a plain file.

A path given on the command line, or found where a cache should be, can be a
FIFO (opening it blocks until a writer comes), a device (``/dev/zero`` never
ends), a symlink to either, a directory, or a sparse file of a terabyte. Every
reader of such a path goes through :func:`read_regular`: the open cannot block
(``O_NONBLOCK``), anything but a regular file is refused, and the size is capped
before a byte is read. :func:`write_target` tells writers what they are about
to replace, so a device or FIFO is written through (as ``> /dev/null`` would) and
never renamed or replaced, and a symlink the user made is written through too.

A path that names the process's own stdout or stderr (``-o /dev/stdout``, or a
file the shell redirected stdout to) is written to that stream, not replaced:
replacing it would throw away what the shell appended before (``>> log``) and
cannot work through a pipe at all (see :func:`standard_stream`).

Imported by the quick search path: only ``os``, ``stat``, ``sys`` and ``errno``,
all loaded by Python at start-up.
"""

from __future__ import annotations

import errno
import os
import stat
import sys

#: Size caps per kind of file: far above anything real, far below "until memory runs out".
CATALOG_LIMIT = 512 * 2**20
STATE_LIMIT = 64 * 2**20
CACHE_LIMIT = 2 * 2**30

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """A FIFO, device, socket or directory where a file was expected."""


class FileTooLarge(OSError):
    """Bigger than any file of this kind could honestly be."""


def describe_mode(mode: int) -> str:
    """``"a FIFO"``, ``"a character device"``...: what a non-regular file is, for messages."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _refuse(mode: int, path: str | os.PathLike[str]) -> OSError:
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, "is a directory", os.fspath(path))
    what = describe_mode(mode)
    return NotRegularFile(errno.EINVAL, f"is {what}, not a regular file", os.fspath(path))


def open_regular(path: str | os.PathLike[str], *, follow_symlinks: bool = True) -> int:
    """A read-only descriptor on a regular file; ``OSError`` for anything else.

    Never blocks: a FIFO is opened non-blocking (and then refused), so a path
    that names one cannot hang the caller. Without ``follow_symlinks`` a
    symlink is refused as well (caches are ours and are never links).
    """
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_symlinks else _NOFOLLOW)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(st.st_mode, path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_fd(fd: int, limit: int, path: str | os.PathLike[str]) -> bytes:
    """All of a regular file's bytes, refusing more than ``limit`` (even if it grows)."""
    size = os.fstat(fd).st_size
    if size > limit:
        raise _too_large(path, limit)
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(max(size - total, _CHUNK), limit + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise _too_large(path, limit)
        parts.append(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_large(path: str | os.PathLike[str], limit: int) -> FileTooLarge:
    return FileTooLarge(errno.EFBIG, f"larger than {limit // 2**20} MiB", os.fspath(path))


def content_hash(path: str | os.PathLike[str], *, limit: int) -> tuple[int, int]:
    """(size, CRC-32) of a regular file's bytes, read through a map: at 35 MB about
    10 ms, a few percent of loading even a cached catalogue, and far from parsing it."""
    import mmap
    import zlib

    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise _too_large(path, limit)
        if size == 0:
            return 0, zlib.crc32(b"")
        with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as view:
            return size, zlib.crc32(view)
    finally:
        os.close(fd)


def read_regular(
    path: str | os.PathLike[str], *, limit: int, follow_symlinks: bool = True
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat as opened; see :func:`open_regular`."""
    fd = open_regular(path, follow_symlinks=follow_symlinks)
    try:
        st = os.fstat(fd)
        return read_fd(fd, limit, path), st
    finally:
        os.close(fd)


def write_target(
    path: str | os.PathLike[str], *, follow_symlinks: bool = True
) -> tuple[str, os.stat_result | None]:
    """Where a write to ``path`` must go, and what is there now (None: nothing).

    With ``follow_symlinks`` a symlink (a dotfiles repository) resolves to the
    file it points to, so the link survives the write; without it (caches)
    the link itself is what gets replaced. A directory is refused; the caller
    decides what to do with a device or FIFO (see :func:`is_stream`).
    """
    target = os.path.realpath(path) if follow_symlinks else os.fspath(path)
    try:
        st = os.stat(target) if follow_symlinks else os.lstat(target)
    except FileNotFoundError:
        return target, None
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(st.st_mode, path)
    return target, st


def is_stream(st: os.stat_result) -> bool:
    """A character device or FIFO: written through like ``> /dev/null``, never replaced."""
    return stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)


def write_stream(target: str, data: bytes) -> None:
    """Write to a device or FIFO in place; a FIFO nobody reads is refused, not waited on."""
    try:
        fd = os.open(target, os.O_WRONLY | _NONBLOCK | _CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "is a FIFO that nobody is reading", target) from None
        raise
    try:
        st = os.fstat(fd)
        if not is_stream(st):  # swapped for something else since we looked
            raise _refuse(st.st_mode, target)
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


#: Names that mean "this process's stdout/stderr" even where they are not links.
_STANDARD_NAMES = {
    "/dev/stdout": 1,
    "/dev/fd/1": 1,
    "/proc/self/fd/1": 1,
    "/dev/stderr": 2,
    "/dev/fd/2": 2,
    "/proc/self/fd/2": 2,
}


def standard_stream(path: str | os.PathLike[str]) -> int | None:
    """1 or 2 when ``path`` is this process's stdout or stderr (by name or by inode)."""
    name = os.fspath(path)
    if name in _STANDARD_NAMES:
        return _STANDARD_NAMES[name]
    try:
        st = os.stat(name)
    except (OSError, ValueError):
        return None
    for fd in (1, 2):
        try:
            own = os.fstat(fd)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino):
            return fd
    return None


def write_standard(fd: int, data: bytes) -> None:
    """Append ``data`` to stdout (1) or stderr (2) after what was printed there before."""
    stream = sys.stdout if fd == 1 else sys.stderr
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
        return
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
