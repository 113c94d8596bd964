"""The filter language typed in the filter bar and after ``surveytui search``.

Parsing is kept apart from matching so a malformed query is rejected once, as a
:class:`QueryError` naming the offending token, before any paper is looked at;
the search index (``surveytui.search.engine``) then only ever sees well-formed terms.
Parsing never raises anything but ``QueryError``: the filter bar shows the
message while the user is still typing, so every half-typed state must be safe.

Grammar, in short (fzf plus a few GitHub-style fields)::

    query   := clause*                      clauses are ANDed
    clause  := term ('|' term)*             '|' ORs adjacent terms
    term    := '!'? (phrase | exact | prefix | suffix | field | word)
    phrase  := '"' any text '"'             one exact substring
    exact   := "'" text                     substring, no typo tolerance
    prefix  := '^' text ('$')?              title starts with (with '$': equals)
    suffix  := text '$'                     title ends with
    field   := name ':' value               venue year has is tag note cat sec author abs

A word whose unquoted start looks like ``name:`` is a field token, and an
unknown name is an error rather than a silent text search: a mistyped field
(``yaer:2023``) would otherwise quietly match nothing. To search for text with
a colon in it (a URL, ``Qlora:``), quote it or start it with ``'``. A colon
after something that is not a plain name (``2:4``) is ordinary text. ``!``
negates once; a second one is literal (``!!`` excludes titles containing "!").
Negated words never use the typo fallback: excluding look-alikes would surprise.

``author:`` and ``abs:`` compare with accents and case folded (``author:muller``
finds "Müller"). Plain words deliberately do not search authors or abstracts:
an abstract contains most common words, so they would match nearly every paper,
and typing would pay for scanning the abstracts on every keystroke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from surveytui.model.catalog import CATEGORIES
from surveytui.model.text import fold_accents

FIELDS = ("venue", "year", "has", "is", "tag", "note", "cat", "sec", "author", "abs")
TEXT_KINDS = frozenset({"text", "prefix", "suffix", "whole"})
#: Fields whose answer comes from the user's state, not from the catalogue.
STATE_FIELDS = frozenset({"is", "tag", "note"})
#: Fields whose answer needs fetched metadata (``surveytui enrich``) as well.
META_FIELDS = frozenset({"author", "abs"})

_HAS_VALUES = {
    "code": "code",
    "paper": "paper",
    "year": "year",
    "venue": "venue",
    "tag": "tag",
    "tags": "tag",
    "note": "note",
    "notes": "note",
}
_IS_VALUES = {
    "fav": "fav",
    "favs": "fav",
    "favourite": "fav",
    "favorite": "fav",
    "star": "fav",
    "starred": "fav",
    "read": "read",
}
_FIELD_RE = re.compile(r"([A-Za-z]+):")
_YEAR_CMP_RE = re.compile(r"(>=|<=|>|<|=)?([0-9]{4})")
_YEAR_RANGE_RE = re.compile(r"([0-9]{4})?\.\.([0-9]{4})?")
_SPACES_RE = re.compile(r"\s+")
_SHOW_MAX = 40

Kind = Literal[
    "text", "prefix", "suffix", "whole", "venue", "year", "has", "is", "tag", "note", "cat", "sec",
    "author", "abs",
]  # fmt: skip
_SUBSTRING_FIELDS: dict[str, Kind] = {
    "venue": "venue", "tag": "tag", "note": "note", "sec": "sec", "author": "author", "abs": "abs",
}  # fmt: skip


def _show(token: str) -> str:
    """A token as it appears in a one-line message: quoted, escaped, and cut if long."""
    if len(token) > _SHOW_MAX:
        token = token[: _SHOW_MAX - 1] + "…"
    return repr(token)


class QueryError(ValueError):
    """A query that cannot be run; ``str()`` is one line naming the token at fault."""

    def __init__(self, token: str, message: str) -> None:
        super().__init__(message)
        self.token = token
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Term:
    """One matcher. Text values are lowercased here so matching never lowercases per paper."""

    kind: Kind
    value: str = ""
    negated: bool = False
    fuzzy: bool = False
    lo: int | None = None
    hi: int | None = None
    values: tuple[str, ...] = ()
    raw: str = ""
    exact: bool = False  # ``venue:=NAME``: the whole venue, not a part of it

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


#: Terms joined by ``|``: a paper passes the clause when any term matches it.
Clause = tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str
    segments: tuple[tuple[str, bool], ...]  # (text, was quoted)


_PIPE = _Token("|", ())


def _lex(text: str) -> list[_Token]:
    """Split on whitespace and ``|`` outside double quotes, remembering what was quoted."""
    tokens: list[_Token] = []
    segments: list[tuple[str, bool]] = []
    buf: list[str] = []
    start: int | None = None
    quoted = False

    def flush(end: int) -> None:
        nonlocal start
        if buf:
            segments.append(("".join(buf), False))
            buf.clear()
        if start is not None:
            tokens.append(_Token(text[start:end], tuple(segments)))
        segments.clear()
        start = None

    for pos, ch in enumerate(text):
        if quoted:
            if ch == '"':
                segments.append(("".join(buf), True))
                buf.clear()
                quoted = False
            else:
                buf.append(ch)
        elif ch == '"':
            if buf:
                segments.append(("".join(buf), False))
                buf.clear()
            if start is None:
                start = pos
            quoted = True
        elif ch.isspace() or ch == "|":
            flush(pos)
            if ch == "|":
                tokens.append(_PIPE)
        else:
            if start is None:
                start = pos
            buf.append(ch)
    if quoted:
        raw = text[start:] if start is not None else text
        raise QueryError(raw, f"unbalanced quote in {_show(raw)}")
    flush(len(text))
    return tokens


def _fold(value: str) -> str:
    return _SPACES_RE.sub(" ", value).strip().lower()


def _year_term(raw: str, value: str, negated: bool) -> Term:
    lo: int | None
    hi: int | None
    if m := _YEAR_CMP_RE.fullmatch(value):
        op, year = m.group(1) or "=", int(m.group(2))
        lo, hi = {
            "=": (year, year),
            ">=": (year, None),
            ">": (year + 1, None),
            "<=": (None, year),
            "<": (None, year - 1),
        }[op]
    elif (m := _YEAR_RANGE_RE.fullmatch(value)) and (m.group(1) or m.group(2)):
        lo = int(m.group(1)) if m.group(1) else None
        hi = int(m.group(2)) if m.group(2) else None
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(raw, f"year range {_show(raw)} runs backwards")
    else:
        raise QueryError(raw, f"bad year in {_show(raw)}: use 2023, >=2022, <2024 or 2020..2022")
    return Term("year", value, negated, lo=lo, hi=hi, raw=raw)


def _field_term(raw: str, name: str, value: str, negated: bool) -> Term:
    if name not in FIELDS:
        fields = ", ".join(FIELDS)
        raise QueryError(
            raw, f"unknown filter token {_show(raw)} (fields: {fields}; quote text with a ':')"
        )
    value = _fold(value)
    if not value:
        raise QueryError(raw, f"filter {_show(raw)} needs a value")
    if name == "year":
        return _year_term(raw, value, negated)
    if name in ("has", "is"):
        kind: Kind = "has" if name == "has" else "is"
        table = _HAS_VALUES if kind == "has" else _IS_VALUES
        if value not in table:
            known = ", ".join(sorted(set(table.values())))
            raise QueryError(raw, f"unknown filter token {_show(raw)} ({name}: takes {known})")
        return Term(kind, table[value], negated, raw=raw)
    if name == "cat":
        ids = tuple(
            cid
            for cid, label in CATEGORIES.items()
            if cid.startswith(value) or label.lower().startswith(value)
        )
        if not ids:
            known = ", ".join(CATEGORIES)
            raise QueryError(raw, f"unknown category in {_show(raw)} (categories: {known})")
        return Term("cat", value, negated, values=ids, raw=raw)
    if name == "venue" and value.startswith("="):
        # A chart's venue bar narrows to exactly its venue: "ACL" without "NAACL".
        whole = value[1:].strip()
        if not whole:
            raise QueryError(raw, f"filter {_show(raw)} needs a venue after '='")
        return Term("venue", whole, negated, raw=raw, exact=True)
    if name in META_FIELDS:
        value = fold_accents(value)
    return Term(_SUBSTRING_FIELDS[name], value, negated, raw=raw)


def _term(token: _Token) -> Term:
    raw = token.raw
    segments = list(token.segments)
    negated = False
    if segments and not segments[0][1] and segments[0][0].startswith("!"):
        negated = True
        segments[0] = (segments[0][0][1:], False)
    segments = [s for s in segments if s[0] or s[1]]
    if not segments:
        raise QueryError(raw, f"{_show(raw)} has nothing after '!' to negate")
    if all(quoted for _, quoted in segments):
        phrase = _fold("".join(text for text, _ in segments))
        if not phrase:
            raise QueryError(raw, f"empty phrase in {_show(raw)}")
        return Term("text", phrase, negated, raw=raw)

    head, head_quoted = segments[0]
    tail, tail_quoted = segments[-1]
    any_quoted = any(quoted for _, quoted in segments)
    kind: Kind = "text"
    fuzzy = False
    if not head_quoted and head.startswith("'"):
        segments[0] = (head[1:], False)
    elif not head_quoted and head.startswith("^"):
        segments[0] = (head[1:], False)
        kind = "prefix"
    elif not head_quoted and (m := _FIELD_RE.match(head)):
        rest = head[m.end() :] + "".join(text for text, _ in segments[1:])
        return _field_term(raw, m.group(1).lower(), rest, negated)
    else:
        fuzzy = not any_quoted
    if not tail_quoted and tail.endswith("$") and not (kind == "text" and head.startswith("'")):
        kind = "whole" if kind == "prefix" else "suffix"
        fuzzy = False
        segments[-1] = (segments[-1][0][:-1], False)
    value = _fold("".join(text for text, _ in segments))
    if not value:
        raise QueryError(raw, f"{_show(raw)} needs some text to match")
    return Term(kind, value, negated, fuzzy=fuzzy, raw=raw)


def _parse(text: str) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    pending: list[Term] = []
    expecting_term = False  # just saw a '|'
    for token in _lex(text):
        if token is _PIPE:
            if not pending or expecting_term:
                raise QueryError("|", "'|' needs a term on both sides")
            expecting_term = True
            continue
        term = _term(token)
        if expecting_term:
            pending.append(term)
            expecting_term = False
        else:
            if pending:
                clauses.append(tuple(pending))
            pending = [term]
    if expecting_term:
        raise QueryError("|", "'|' needs a term on both sides")
    if pending:
        clauses.append(tuple(pending))
    return tuple(clauses)


@dataclass(frozen=True)
class Query:
    """A parsed query; constructing one parses ``text`` (and may raise :class:`QueryError`).

    Equality and hashing use the text alone, so the UI can compare queries cheaply.
    """

    text: str
    clauses: tuple[Clause, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "clauses", _parse(self.text))

    def terms(self) -> tuple[Term, ...]:
        return tuple(term for clause in self.clauses for term in clause)

    def is_empty(self) -> bool:
        return not self.clauses

    def highlight_terms(self) -> tuple[str, ...]:
        """Lowercase text worth marking in titles, in query order, without negated terms."""
        seen: dict[str, None] = {}
        for term in self.terms():
            if term.is_text and not term.negated:
                seen.setdefault(term.value, None)
        return tuple(seen)

    def has_ranking_terms(self) -> bool:
        """True when results are ranked by relevance; otherwise they keep catalogue order."""
        return any(term.is_text and not term.negated for term in self.terms())

    def uses_meta(self) -> bool:
        """True when the result depends on authors or abstracts."""
        return any(term.kind in META_FIELDS for term in self.terms())

    def uses_state(self) -> bool:
        """True when the result depends on favourites, read marks, tags or notes."""
        return any(
            term.kind in STATE_FIELDS or (term.kind == "has" and term.value in ("tag", "note"))
            for term in self.terms()
        )


def parse_query(text: str) -> Query:
    """Parse the filter language; raises :class:`QueryError` and nothing else."""
    return Query(text)


def parse_leniently(text: str) -> tuple[Query | None, QueryError | None]:
    """The query without its malformed tokens, and the first error (None if it parsed).

    While a reader types ``year:2023`` the text passes through ``year`` (a word that
    matches nothing) and ``year:`` (an error); keeping "the last good result" would
    keep that accident. Running what is well formed keeps the result a reader
    expects, and the error is shown beside it. ``None``: nothing could be salvaged.
    """
    try:
        return parse_query(text), None
    except QueryError as first:
        error, rest = first, text
        for _ in range(32):  # each round removes one bad token
            if not error.token or error.token not in rest:
                return None, first
            rest = rest.replace(error.token, " ", 1)
            try:
                return parse_query(rest), first
            except QueryError as exc:
                error = exc
        return None, first


__all__ = [
    "FIELDS",
    "Clause",
    "Query",
    "QueryError",
    "Term",
    "parse_leniently",
    "parse_query",
]
