"""The paper model: frozen records loaded from, and written to, catalogue TOML.

Everything above this module (query, store, export, the UI) reads papers
through these types, so they are immutable and validated once at load: a bad
catalogue is reported with the file and the paper at fault, never half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from surveytui.model.text import clean_text

SCHEMA_VERSION = 1

#: Category id -> display name. Ids are what ``cat:`` matches and what the TOML stores.
CATEGORIES: dict[str, str] = {"llm": "LLMs", "multimodal": "Multimodal", "diffusion": "Diffusion"}


class CatalogError(Exception):
    """A catalogue that cannot be used; the message is one line naming file and problem."""


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    id: str
    title: str
    venue: str | None = None
    year: int | None = None
    sections: tuple[str, ...] = ()
    paper_url: str | None = None
    code_url: str | None = None
    categories: tuple[str, ...] = ()
    #: Names in the list's order, as the list (or fetched metadata) gives them.
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Catalog:
    """Compared and hashed by identity: hashing 100k papers per lookup would be absurd."""

    title: str
    sections: tuple[Section, ...]
    papers: Sequence[Paper]  # a tuple, or the parse cache's lazily built sequence
    arxiv: str | None = None
    source: str | None = None
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def children(self) -> dict[str | None, tuple[Section, ...]]:
        """Children per parent id (``None`` for top level), in survey order."""
        out: dict[str | None, list[Section]] = {}
        for s in self.sections:
            out.setdefault(s.parent, []).append(s)
        return {k: tuple(v) for k, v in out.items()}

    def section_path(self, section_id: str) -> str:
        """``"Top / Sub"``: the form users see and the JSON output carries."""
        parts: list[str] = []
        current: str | None = section_id
        while current is not None:
            sec = self.section_by_id[current]
            parts.append(sec.title)
            current = sec.parent
        return " / ".join(reversed(parts))

    def descendants(self, section_id: str) -> frozenset[str]:
        """The section and every section below it."""
        out = {section_id}
        stack = [section_id]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                out.add(child.id)
                stack.append(child.id)
        return frozenset(out)

    def papers_in(self, section_id: str) -> list[Paper]:
        """Papers in a section, a top section including its subsections."""
        wanted = self.descendants(section_id)
        return [p for p in self.papers if wanted.intersection(p.sections)]


def take(papers: Sequence[Paper], indices: Iterable[int]) -> list[Paper]:
    """``papers[i]`` for each index; a sequence with its own bulk ``take`` (the parse
    cache's lazily built papers) does it at list speed."""
    bulk = getattr(papers, "take", None)
    if bulk is not None:
        result: list[Paper] = bulk(indices)
        return result
    return [papers[i] for i in indices]


# --------------------------------------------------------------------------- loading


def _opt_str(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CatalogError(f"{where}: field '{key}' must be a string, got {type(value).__name__}")
    return clean_text(value) or None


def _str_list(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{where}: field '{key}' must be a list of strings")
    return tuple(clean_text(v) for v in value)


def _paper_from(raw: Any, index: int, known_sections: set[str], src: str) -> Paper:
    if not isinstance(raw, dict):
        raise CatalogError(f"{src}: papers[{index}] must be a table")
    title = raw.get("title")
    label = f"paper {index + 1}" + (f" ({title!r})" if isinstance(title, str) else "")
    where = f"{src}: {label}"
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise CatalogError(f"{where}: field 'id' must be a non-empty string")
    if not isinstance(title, str) or not clean_text(title):
        raise CatalogError(f"{where}: field 'title' must be a non-empty string")
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise CatalogError(f"{where}: field 'year' must be an integer, got {type(year).__name__}")
    sections = _str_list(raw, "sections", where)
    for sec in sections:
        if sec not in known_sections:
            raise CatalogError(f"{where}: unknown section {sec!r}")
    return Paper(
        id=clean_text(pid),
        title=clean_text(title),
        venue=_opt_str(raw, "venue", where),
        year=year,
        sections=sections,
        paper_url=_opt_str(raw, "paper_url", where),
        code_url=_opt_str(raw, "code_url", where),
        categories=_str_list(raw, "categories", where),
        authors=tuple(name for name in map(clean_text, _str_list(raw, "authors", where)) if name),
    )


def catalog_from_dict(data: Mapping[str, Any], src: str = "<catalogue>") -> Catalog:
    """Validate parsed TOML; every problem names ``src`` and the offending record."""
    meta = data.get("catalog", {})
    if not isinstance(meta, dict):
        raise CatalogError(f"{src}: [catalog] must be a table")
    schema = meta.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise CatalogError(
            f"{src}: unsupported catalogue schema {schema!r} (expected {SCHEMA_VERSION})"
        )
    raw_sections = data.get("sections", [])
    raw_papers = data.get("papers")
    if not isinstance(raw_sections, list):
        raise CatalogError(f"{src}: 'sections' must be an array of tables")
    if not isinstance(raw_papers, list):
        raise CatalogError(f"{src}: no [[papers]] array: not a surveytui catalogue")
    sections: list[Section] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_sections):
        where = f"{src}: section {i + 1}"
        if not isinstance(raw, dict):
            raise CatalogError(f"{where} must be a table")
        sid, title, parent = raw.get("id"), raw.get("title"), raw.get("parent")
        if not isinstance(sid, str) or not sid or not isinstance(title, str):
            raise CatalogError(f"{where}: needs string fields 'id' and 'title'")
        if parent is not None and (not isinstance(parent, str) or parent not in seen):
            raise CatalogError(f"{where} ({sid!r}): parent {parent!r} must name an earlier section")
        if sid in seen:
            raise CatalogError(f"{where}: duplicate section id {sid!r}")
        seen.add(sid)
        sections.append(Section(id=sid, title=clean_text(title), parent=parent))
    papers: list[Paper] = []
    ids: set[str] = set()
    for i, raw in enumerate(raw_papers):
        paper = _paper_from(raw, i, seen, src)
        if paper.id in ids:
            raise CatalogError(f"{src}: paper {i + 1} ({paper.title!r}): duplicate id {paper.id!r}")
        ids.add(paper.id)
        papers.append(paper)
    title = meta.get("title", "Papers")
    if not isinstance(title, str):
        raise CatalogError(f"{src}: [catalog] title must be a string")
    return Catalog(
        title=clean_text(title) or "Papers",
        sections=tuple(sections),
        papers=tuple(papers),
        arxiv=_opt_str(meta, "arxiv", src),
        source=_opt_str(meta, "source", src),
    )


def read_text_file(path: Path, kind: str = "catalogue") -> str:
    """Read UTF-8 text; every I/O or decoding failure becomes one CatalogError line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CatalogError(f"{path}: is a directory, not a {kind} file") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def parse_toml(path: Path) -> dict[str, Any]:
    import tomli  # deferred: a parse-cache hit (the browser's usual start) never needs it

    text = read_text_file(path)
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: invalid TOML: {exc}") from None


def load_catalog(path: Path | str) -> Catalog:
    path = Path(path)
    catalog = catalog_from_dict(parse_toml(path), str(path))
    object.__setattr__(catalog, "path", path)
    return catalog


# --------------------------------------------------------------------------- writing


def _paper_table(paper: Paper) -> dict[str, Any]:
    out: dict[str, Any] = {"id": paper.id, "title": paper.title}
    if paper.venue:
        out["venue"] = paper.venue
    if paper.year is not None:
        out["year"] = paper.year
    out["sections"] = list(paper.sections)
    if paper.paper_url:
        out["paper_url"] = paper.paper_url
    if paper.code_url:
        out["code_url"] = paper.code_url
    out["categories"] = list(paper.categories)
    if paper.authors:
        out["authors"] = list(paper.authors)
    return out


def catalog_to_toml(catalog: Catalog, header: Iterable[str] = ()) -> str:
    """Deterministic TOML: the same catalogue always gives the same bytes."""
    meta: dict[str, Any] = {"schema": SCHEMA_VERSION, "title": catalog.title}
    if catalog.arxiv:
        meta["arxiv"] = catalog.arxiv
    if catalog.source:
        meta["source"] = catalog.source
    doc = {
        "catalog": meta,
        "sections": [
            {"id": s.id, "title": s.title, **({"parent": s.parent} if s.parent else {})}
            for s in catalog.sections
        ],
        "papers": [_paper_table(p) for p in catalog.papers],
    }
    import tomli_w

    head = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return head + ("\n" if head else "") + tomli_w.dumps(doc)
