"""Run parsed queries against a catalogue, fast enough to re-run on every keystroke.

What a query compares against is prepared once when the index is built:
lowercased titles, the titles' words (punctuation turned into spaces, so a
word-boundary test is a plain substring test), and the venue and section text,
which is stored once per distinct (venue, sections) pair because thousands of
papers share it. A search is then a few list comprehensions of C-level ``in``
tests. Cheap filters run first and shrink the candidates; negations run last.

Typo tolerance is a fallback, not the default: a word is matched by substring
first, and only a word with almost no substring hits is compared with
rapidfuzz, against the catalogue's vocabulary (its distinct words, built on the
first typo) rather than against every title. The few look-alike words found
are then searched for like ordinary substrings. That keeps typo queries cheap
at 100k papers, and a word with plenty of real hits ("pruning") does not drag
in look-alikes ("running") below them.

This module imports ``surveytui.search.query`` only lazily: ``surveytui.search.query``
re-exports :class:`SearchIndex`, and the lazy import keeps that re-export from
becoming an import cycle.
"""

from __future__ import annotations

import heapq
import re
import threading
from bisect import bisect_left
from typing import Any, TypeAlias

from surveytui.model.catalog import Catalog, Paper, take
from surveytui.model.meta import MetaView, paper_authors
from surveytui.model.text import fold_accents
from surveytui.search.query import Clause, Query, Term, parse_query
from surveytui.search.ranking import (
    ELSEWHERE,
    EXACT_WORD,
    FUZZY_CUTOFF,
    FUZZY_ELSEWHERE,
    FUZZY_IN_TITLE,
    FUZZY_MIN_LEN,
    IN_TITLE,
    SWAP_MIN_LEN,
    WORD_START,
    despace_punct,
    swap_score,
    wants_typos,
    word_core,
)
from surveytui.state.protocols import UserState
from surveytui.state.schema import normalise_tag

_TYPO_CACHE_SIZE = 256
_TRAILING_PUNCT = " .,;:!?"

Candidates: TypeAlias = "range | list[int]"


def _word_forms(texts: list[str]) -> list[str]:
    """``" gptq  accurate post training "``: words between spaces, for boundary tests."""
    parts = despace_punct("\n".join(texts)).split("\n")
    if len(parts) != len(texts):  # some text has its own newline: do them one at a time
        parts = [despace_punct(t) for t in texts]
    return [f" {p} " for p in parts]


def _is_swap(word: str, other: str) -> bool:
    """``other`` is ``word`` with two adjacent letters swapped (``gtpq`` / ``gptq``)."""
    diff = [k for k, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == other[diff[1]]


def _ends_with(title: str, value: str) -> bool:
    return title.endswith(value) or title.rstrip(_TRAILING_PUNCT).endswith(value)


def _clause_cost(clause: Clause) -> int:
    """Filters first, then text, then words that may need the typo fallback, negations last."""

    def cost(term: Term) -> int:
        if not term.is_text:
            return 0
        if term.negated:
            return 3
        return 2 if term.fuzzy else 1

    return max(cost(term) for term in clause)


class SearchIndex:
    """A catalogue prepared for searching; build once per catalogue, query many times.

    Safe to query from a worker thread while another search is still running.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        papers = catalog.papers
        paths: dict[str, str] = {}
        rest_ids: dict[tuple[str | None, tuple[str, ...]], int] = {}
        self._rest_venues: list[str] = []
        self._rest_sections: list[str] = []
        self._rest_of: list[int] = []
        for paper in papers:
            key = (paper.venue, paper.sections)
            rid = rest_ids.get(key)
            if rid is None:
                rid = rest_ids[key] = len(self._rest_venues)
                for sid in paper.sections:
                    if sid not in paths:
                        try:
                            paths[sid] = catalog.section_path(sid).lower()
                        except KeyError:
                            paths[sid] = sid.lower()
                self._rest_venues.append((paper.venue or "").lower())
                self._rest_sections.append("\n".join(paths[s] for s in paper.sections))
            self._rest_of.append(rid)
        self._rests = [
            f"{v}\n{s}" for v, s in zip(self._rest_venues, self._rest_sections, strict=True)
        ]
        cat_sets: dict[tuple[str, ...], frozenset[str]] = {}
        self._categories = [
            cat_sets.get(p.categories)
            or cat_sets.setdefault(p.categories, frozenset(c.lower() for c in p.categories))
            for p in papers
        ]
        self._ids = [p.id for p in papers]
        self._titles = [p.title.lower() for p in papers]
        self._words = _word_forms(self._titles)
        self._years = [p.year for p in papers]
        self._has_code = [bool(p.code_url) for p in papers]
        self._has_paper = [bool(p.paper_url) for p in papers]
        self._lock = threading.Lock()
        self._vocab: tuple[list[str], list[int]] | None = None
        self._typo_cache: dict[str, dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self._titles)

    # ------------------------------------------------------------------ metadata

    #: Fetched metadata for ``author:`` and ``abs:``; without it they see the list's authors.
    _meta: MetaView | None = None
    _meta_texts: tuple[int, list[str], list[str]] | None = None

    def attach_meta(self, meta: MetaView | None) -> None:
        """Let ``author:`` and ``abs:`` see fetched metadata. Their haystacks are built on
        the first such query, so plain typing never pays for authors or abstracts."""
        with self._lock:
            self._meta = meta
            self._meta_texts = None

    def _meta_haystacks(self) -> tuple[list[str], list[str]]:
        """Accent-folded authors and abstracts per paper, rebuilt when the store changes."""
        meta = self._meta
        generation = getattr(meta, "generation", 0)
        with self._lock:
            if self._meta_texts is None or self._meta_texts[0] != generation:
                authors: list[str] = []
                abstracts: list[str] = []
                for paper in self.catalog.papers:
                    found = meta.meta(paper.id) if meta is not None else None
                    authors.append(fold_accents("\n".join(paper_authors(paper, found))))
                    abstract = found.abstract if found is not None else None
                    abstracts.append(fold_accents(abstract) if abstract else "")
                self._meta_texts = (generation, authors, abstracts)
            return self._meta_texts[1], self._meta_texts[2]

    # ------------------------------------------------------------------ persistence

    _ARRAYS = (
        "_rest_venues", "_rest_sections", "_rest_of", "_rests", "_categories",
        "_ids", "_titles", "_words", "_years", "_has_code", "_has_paper",
    )  # fmt: skip

    def to_arrays(self) -> tuple[list[Any], ...]:
        """The prepared haystacks as plain lists, for the parse cache (marshal-able)."""
        return tuple(getattr(self, name) for name in self._ARRAYS)

    def pack_arrays(self) -> tuple[list[str], list[str], list[str], list[int]]:
        """Lowercased titles, their word forms, venue-and-section texts and each paper's
        text number: what the quick pack (``surveytui.quick.pack``) searches."""
        return self._titles, self._words, self._rests, self._rest_of

    @classmethod
    def from_arrays(cls, catalog: Catalog, arrays: tuple[list[Any], ...]) -> SearchIndex:
        """Rebuild from :meth:`to_arrays` output without touching the papers themselves,
        so a cached 100k catalogue is searchable before any Paper object exists."""
        if len(arrays) != len(cls._ARRAYS) or len(arrays[5]) != len(catalog.papers):
            raise ValueError("search index arrays do not match the catalogue")
        index = cls.__new__(cls)
        index.catalog = catalog
        for name, value in zip(cls._ARRAYS, arrays, strict=True):
            setattr(index, name, value)
        index._lock = threading.Lock()
        index._vocab = None
        index._typo_cache = {}
        return index

    # ------------------------------------------------------------------ public

    def search(
        self, query: Query | str, state: UserState | None = None, limit: int | None = None
    ) -> list[Paper]:
        """Matching papers, best first (or in catalogue order for pure filters);
        a ``str`` query is parsed first and may raise ``QueryError``."""
        if isinstance(query, str):
            query = parse_query(query)
        return take(self.catalog.papers, self.search_indices(query, state, limit))

    def search_indices(
        self, query: Query, state: UserState | None = None, limit: int | None = None
    ) -> list[int]:
        """Indices into ``catalog.papers``, best first (catalogue order for pure filters)."""
        if limit is not None and limit <= 0:
            return []
        candidates: Candidates = range(len(self._titles))
        scores: dict[int, float] | None = None  # once set, holds every candidate
        for clause in sorted(query.clauses, key=_clause_cost):
            merged: dict[int, float] = {}
            for term in clause:
                for i, score in self._term_hits(term, candidates, state).items():
                    if score > merged.get(i, -1.0):
                        merged[i] = score
            candidates = sorted(merged)
            if not candidates:
                return []
            if any(t.is_text and not t.negated for t in clause):
                if scores is None:
                    scores = merged
                else:
                    scores = {i: scores[i] + merged[i] for i in candidates}
        if scores is None:
            return list(candidates[:limit])
        # Python's sorts are stable even when reversed: equal scores keep catalogue order.
        if limit is not None and limit < len(candidates):
            return heapq.nlargest(limit, candidates, key=scores.__getitem__)
        return sorted(candidates, key=scores.__getitem__, reverse=True)

    def warm_up(self) -> None:
        """Build the typo vocabulary now (e.g. in a worker) instead of on the first typo."""
        self._vocabulary()

    # ------------------------------------------------------------------ terms

    def _term_hits(
        self, term: Term, candidates: Candidates, state: UserState | None
    ) -> dict[int, float]:
        """Papers among ``candidates`` the term accepts, with the term's relevance."""
        if term.negated:
            rejected = self._positive_hits(term, candidates, state, allow_fuzzy=False)
            return {i: 0.0 for i in candidates if i not in rejected}
        return self._positive_hits(term, candidates, state, allow_fuzzy=term.fuzzy)

    def _positive_hits(
        self, term: Term, candidates: Candidates, state: UserState | None, allow_fuzzy: bool
    ) -> dict[int, float]:
        if term.is_text:
            return self._text_hits(term, candidates, allow_fuzzy)
        return dict.fromkeys(self._field_hits(term, candidates, state), 0.0)

    def _text_hits(self, term: Term, candidates: Candidates, allow_fuzzy: bool) -> dict[int, float]:
        value, titles = term.value, self._titles
        if term.kind == "prefix":
            return {i: WORD_START for i in candidates if titles[i].startswith(value)}
        if term.kind == "suffix":
            return {i: IN_TITLE for i in candidates if _ends_with(titles[i], value)}
        if term.kind == "whole":
            return {
                i: EXACT_WORD
                for i in candidates
                if titles[i] == value or titles[i].rstrip(_TRAILING_PUNCT) == value
            }
        rest_hit = {r for r, text in enumerate(self._rests) if value in text}
        rest_of = self._rest_of
        if rest_hit:
            found = [i for i in candidates if value in titles[i] or rest_of[i] in rest_hit]
        else:
            found = [i for i in candidates if value in titles[i]]
        hits = self._rank(value, found)
        if allow_fuzzy and wants_typos(len(value), len(hits)):
            for i, score in self._typo_hits(value, candidates).items():
                hits.setdefault(i, score)
        return hits

    def _rank(self, value: str, found: list[int]) -> dict[int, float]:
        titles, words = self._titles, self._words
        core = word_core(value)
        if not core:  # only punctuation: no words to compare
            return {i: IN_TITLE if value in titles[i] else ELSEWHERE for i in found}
        whole, start = f" {core} ", f" {core}"
        out: dict[int, float] = {}
        for i in found:
            if value not in titles[i]:
                out[i] = ELSEWHERE
            elif whole in words[i]:
                out[i] = EXACT_WORD
            elif start in words[i]:
                out[i] = WORD_START
            else:
                out[i] = IN_TITLE
        return out

    def _field_hits(self, term: Term, candidates: Candidates, state: UserState | None) -> list[int]:
        kind, value = term.kind, term.value
        if kind in ("venue", "sec"):
            texts = self._rest_venues if kind == "venue" else self._rest_sections
            if term.exact:
                wanted = {r for r, text in enumerate(texts) if text == value}
            else:
                wanted = {r for r, text in enumerate(texts) if value in text}
            rest_of = self._rest_of
            return [i for i in candidates if rest_of[i] in wanted] if wanted else []
        if kind == "year":
            years = self._years
            lo, hi = term.lo, term.hi  # None: open (a year of any size is still >= 2000)
            return [
                i
                for i in candidates
                if (y := years[i]) is not None
                and (lo is None or y >= lo)
                and (hi is None or y <= hi)
            ]
        if kind == "cat":
            chosen, cats = frozenset(term.values), self._categories
            return [i for i in candidates if not cats[i].isdisjoint(chosen)]
        if kind == "has" and value == "year":
            years = self._years
            return [i for i in candidates if years[i] is not None]
        if kind == "has" and value == "venue":
            venues, rest_of = self._rest_venues, self._rest_of
            return [i for i in candidates if venues[rest_of[i]]]
        if kind == "has" and value in ("code", "paper"):
            flags = self._has_code if value == "code" else self._has_paper
            return [i for i in candidates if flags[i]]
        if kind in ("author", "abs"):
            authors, abstracts = self._meta_haystacks()
            texts = authors if kind == "author" else abstracts
            return [i for i in candidates if value in texts[i]]
        if state is None:
            return []
        ids = self._ids
        if kind == "has":
            if value == "tag":
                return [i for i in candidates if state.tags(ids[i])]
            return [i for i in candidates if state.note(ids[i]).strip()]
        if kind == "is":
            test = state.is_favourite if value == "fav" else state.is_read
            return [i for i in candidates if test(ids[i])]
        if kind == "tag":  # by the store's rules: "tag:To Read" finds the tag "to-read"
            name, tags = normalise_tag(value), state.tags
            if not name:
                return []
            return [i for i in candidates if any(normalise_tag(t) == name for t in tags(ids[i]))]
        return [i for i in candidates if value in state.note(ids[i]).lower()]

    # ------------------------------------------------------------------ typos

    def _vocabulary(self) -> tuple[list[str], list[int]]:
        """Distinct words long enough to compare, sorted by length (sliced by length later)."""
        with self._lock:
            if self._vocab is None:
                # Title by title: splitting one joined text would hold every token of a
                # 100k catalogue in memory at once (tens of MB) just to deduplicate them.
                vocab: set[str] = set()
                for text in self._words:
                    vocab.update(text.split())
                for rest in set(self._rests):
                    vocab.update(despace_punct(rest).split())
                min_len = min(FUZZY_MIN_LEN - 1, SWAP_MIN_LEN)
                vocab = {w for w in vocab if len(w) >= min_len}
                words = sorted(vocab, key=lambda w: (len(w), w))
                self._vocab = (words, [len(w) for w in words])
            return self._vocab

    def _typo_words(self, word: str) -> dict[str, float]:
        """Vocabulary words within typo distance of ``word``, with a closeness in [0, 1].

        Words at least as long as ``word`` are compared with ``partial_ratio`` (a
        typo in a prefix or inside a compound still counts); words one letter
        shorter with plain ``ratio`` (a dropped letter). Shorter words are never
        compared: ``partial_ratio`` would call any fragment of ``word`` a perfect match.
        Words of the same length are also compared by optimal string alignment, so
        one swap of adjacent letters is one edit (``qlroa`` -> ``qlora``), where
        ``ratio`` counts two and rejects it below seven letters. A word shorter than
        :data:`FUZZY_MIN_LEN` gets only such swaps: at four letters any other edit
        is another word.
        """
        cached = self._typo_cache.get(word)
        if cached is not None:
            return cached
        words, lengths = self._vocabulary()
        shorter = bisect_left(lengths, len(word) - 1)
        same = bisect_left(lengths, len(word))
        longer = bisect_left(lengths, len(word) + 1)
        from rapidfuzz import fuzz, process  # only typos need it; keeps start-up lean
        from rapidfuzz.distance import OSA

        scores: dict[str, float] = {}
        if len(word) >= FUZZY_MIN_LEN:
            for w, score, _ in process.extract(
                word, words[same:], scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ) + process.extract(
                word, words[shorter:same], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                scores[w] = score
        swapped = swap_score(len(word))
        for w, _, _ in process.extract(
            word, words[same:longer], scorer=OSA.distance, score_cutoff=1, limit=None
        ):
            if _is_swap(word, w) and swapped > scores.get(w, 0.0):
                scores[w] = swapped
        close = {
            w: max(0.0, (score - FUZZY_CUTOFF) / (100.0 - FUZZY_CUTOFF))
            for w, score in scores.items()
        }
        if len(self._typo_cache) >= _TYPO_CACHE_SIZE:
            self._typo_cache.clear()
        self._typo_cache[word] = close
        return close

    def _typo_hits(self, word: str, candidates: Candidates) -> dict[int, float]:
        """Candidates containing a look-alike of ``word``; title hits rank above the rest."""
        close = self._typo_words(word)
        if not close:
            return {}
        pattern = re.compile("|".join(map(re.escape, sorted(close, key=len, reverse=True))))
        titles, rest_of = self._titles, self._rest_of
        rest_score: dict[int, float] = {}
        for r, text in enumerate(self._rests):
            if seen := pattern.findall(text):
                rest_score[r] = FUZZY_ELSEWHERE + max(close[w] for w in seen)
        out: dict[int, float] = {}
        for i in [i for i in candidates if pattern.search(titles[i])]:
            out[i] = FUZZY_IN_TITLE + max(close[w] for w in pattern.findall(titles[i]))
        if rest_score:
            for i in [i for i in candidates if rest_of[i] in rest_score]:
                out.setdefault(i, rest_score[rest_of[i]])
        return out
