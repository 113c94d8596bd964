"""Where a browser export goes: the format its name asks for, and what to ask first.

Kept apart from the writers (``export``) and from the service that runs them: this
is the reading of a path the reader typed, which decides whether the browser may
write at once, must ask (a folder to create, a file to overwrite) or must refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXPORT_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".bib": "bibtex",
    ".csv": "csv",
    ".json": "json",
}


def export_format_for(path: Path) -> str | None:
    """The export format a file name asks for, by its extension."""
    return EXPORT_FORMATS.get(path.suffix.lower())


@dataclass(frozen=True)
class ExportPlan:
    """Where an export goes, in which format, and what to ask the reader first (if any)."""

    target: Path
    fmt: str
    ask: str | None = None


def default_target(last: Path | None) -> Path:
    """In the folder and format of the last export (else here, Markdown)."""
    if last is None:
        return Path.cwd() / "surveytui-export.md"
    return last.parent / f"surveytui-export{last.suffix}"


def plan_export(target_text: str) -> ExportPlan | str | None:
    """The plan for the path the reader typed, a one-line reason it cannot be written,
    or None for an empty answer. A missing folder or an existing file is a question."""
    if not target_text.strip():
        return None
    target = Path(target_text.strip()).expanduser()
    fmt = export_format_for(target)
    if fmt is None:
        return f"Unknown export format for {target.name}: use .md, .bib, .csv or .json."
    if target.is_dir():
        return f"{target} is a folder, not a file."
    if target.parent.exists() and not target.parent.is_dir():
        return f"{target.parent} is not a folder."
    ask = None
    if not target.parent.exists():
        ask = f"The folder {target.parent} does not exist. Create it and export?"
    elif target.exists():
        ask = f"{target} exists. Overwrite it?"
    return ExportPlan(target, fmt, ask)
