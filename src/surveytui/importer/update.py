"""Keeping the bundled survey current: fetch its list again, compare, swap files safely.

Why this shape: the installed catalogue is read-only (it may sit in a system
site-packages), and a reader's stars must never be put at risk by a network
hiccup. So ``surveytui update``

* fetches the list the catalogue records as its ``source`` (a GitHub
  repository means its default branch's README), or ``$SURVEYTUI_UPDATE_URL``
  when set (a mirror, or a local server in tests);
* imports it with the current catalogue's title and arXiv id, and reports the
  changes by title: papers added, removed (an old id that became an alias of a
  joined paper is not a removal), and changed (which fields);
* writes the new catalogue to the user data directory
  (:func:`surveytui.system.paths.updated_catalog`), which every command then
  reads instead of the bundled file (``--data`` still wins). The file it
  replaces is kept beside it as ``survey.previous.toml``; ``--undo`` puts that
  back, or, when there is none, removes the update so the bundled survey is
  used again. Both files are written atomically: an interrupted update leaves
  the old catalogue whole.

Ids depend on titles alone and the state file is shared by the bundled and the
updated survey, so stars, tags and notes stay attached to every paper that is
still listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from surveytui.importer.document import ImportResult, import_source, render_toml
from surveytui.model.catalog import Catalog, CatalogError, Paper
from surveytui.system.atomic import write_bytes_atomic, write_text_atomic

UPDATE_URL_ENV = "SURVEYTUI_UPDATE_URL"
_COMPARED = ("title", "venue", "year", "sections", "paper_url", "code_url", "authors")


@dataclass
class Changes:
    added: list[Paper] = field(default_factory=list)
    removed: list[Paper] = field(default_factory=list)
    changed: list[tuple[Paper, list[str]]] = field(default_factory=list)  # new paper, fields

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        """One line per change, for stdout: ``+ Title``, ``- Title``, ``~ Title (fields)``."""
        out = [f"+ {p.title}" for p in self.added]
        out += [f"- {p.title}" for p in self.removed]
        out += [f"~ {p.title} ({', '.join(names)})" for p, names in self.changed]
        return out

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def compare(old: Catalog, new: Catalog) -> Changes:
    """What changed from ``old`` to ``new``, matching papers by id (and aliases)."""
    changes = Changes()
    new_ids = new.by_id
    for paper in old.papers:
        if paper.id not in new_ids:
            changes.removed.append(paper)
    old_ids = old.by_id
    for paper in new.papers:
        before = next((old_ids[i] for i in (paper.id, *paper.aliases) if i in old_ids), None)
        if before is None:
            changes.added.append(paper)
            continue
        names = [n for n in _COMPARED if getattr(before, n) != getattr(paper, n)]
        if names:
            changes.changed.append((paper, names))
    return changes


def update_url(current: Catalog) -> str:
    """``$SURVEYTUI_UPDATE_URL``, else the source the catalogue records."""
    url = os.environ.get(UPDATE_URL_ENV, "").strip() or (current.source or "")
    if not url:
        where = current.path or "the catalogue"
        raise CatalogError(f"{where}: records no source URL to update from")
    return url


def fetch_update(current: Catalog) -> tuple[ImportResult, Changes, str]:
    """The imported new list, its changes against ``current``, and its TOML."""
    url = update_url(current)
    result = import_source(
        url, title=current.title, arxiv=current.arxiv, source_url=current.source or url
    )
    return result, compare(current, result.catalog), render_toml(result.catalog, url)


def previous_path(target: Path) -> Path:
    return target.with_name(target.stem + ".previous.toml")


def install(target: Path, text: str) -> None:
    """Write the new catalogue to ``target``, keeping the file it replaces."""
    if target.is_file():
        write_bytes_atomic(previous_path(target), target.read_bytes(), private=False)
    write_text_atomic(target, text, private=False)


def undo(target: Path) -> str:
    """Go back one update; what happened, in words (raises when there is nothing to undo)."""
    previous = previous_path(target)
    if previous.is_file():
        os.replace(previous, target)
        return f"restored the previous catalogue to {target}"
    if target.is_file():
        target.unlink()
        return f"removed {target}: the bundled survey is used again"
    raise CatalogError(f"{target}: no update to undo")
