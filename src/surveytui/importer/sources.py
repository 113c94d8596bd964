"""Where a paper list comes from -- a file or a URL -- and the input refused on the way in.

Bad input gets one line naming the file (or URL) and the problem, and is
refused before anything is written:

* a path that does not exist, is a directory, or is not a regular file (a
  FIFO or a device would block or never end: never opened);
* more than :data:`~surveytui.importer.fetch.MAX_BYTES` (20 MB);
* binary data (a NUL byte), text that is not UTF-8, an HTML page (the page
  around a README rather than the README), or nothing but whitespace;
* a list in which no paper entry is found (:mod:`surveytui.importer.document`).

A URL (``http://`` or ``https://``) is fetched by
:mod:`surveytui.importer.fetch`; the catalogue then records it as its source
unless ``--source`` says otherwise.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from surveytui.importer.fetch import MAX_BYTES, decode_markdown, fetch_markdown, is_url
from surveytui.model.catalog import CatalogError


def read_markdown_file(path: Path) -> str:
    """The file's text, or a :class:`CatalogError` naming it and the problem."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise CatalogError(f"{path}: is a directory, not a Markdown file")
    if not stat.S_ISREG(info.st_mode):
        raise CatalogError(f"{path}: not a regular file (a pipe or device is not read)")
    if info.st_size > MAX_BYTES:
        raise CatalogError(f"{path}: larger than {MAX_BYTES // 2**20} MB, not read")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise CatalogError(f"{path}: larger than {MAX_BYTES // 2**20} MB, not read")
    return decode_markdown(raw, str(path))


def read_source(source: str) -> tuple[str, str | None]:
    """(Markdown text, URL it came from or None) for a path or an http(s) URL."""
    if is_url(source):
        return fetch_markdown(source).text, source
    text = read_markdown_file(Path(source))
    return text, None
