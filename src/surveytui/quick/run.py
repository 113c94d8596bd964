"""``surveytui search WORDS``, answered from the quick pack before the full CLI loads.

The common headless search is a few plain words against a catalogue that has
not changed since the last run. For that case this module parses the command
line, finds the pack (``surveytui.quick.pack``), scans the titles blob with
``mmap.find`` and prints the table, importing nothing heavier than ``bisect``:
at 100k papers the whole process then takes about what ``fzf --filter`` does.

It answers only what it can answer exactly as the full path would, and steps
aside (returns None) for everything else: options it does not know, field
tokens, quotes, ``|``, ``^``, ``$``, a word that would need the typo fallback,
a missing or stale pack, a state file whose favourites it has not seen, a
non-Linux system. The full path then runs as if this module did not exist, so
errors, repairs and notices all come from one place. tests/test_quick.py holds
the two paths to the same output.
"""

from __future__ import annotations

import os
from heapq import nlargest

from surveytui.quick import pack as quickpack
from surveytui.quick.table import print_columns
from surveytui.search.ranking import (
    ELSEWHERE,
    EXACT_WORD,
    IN_TITLE,
    WORD_START,
    wants_typos,
    word_core,
)
from surveytui.system import paths

TYPE_CHECKING = False  # typing itself costs the quick path ~10 ms (it imports re)
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Characters that give a token a meaning beyond "this word": left to the full parser.
_SPECIAL = frozenset("\"'|!^$:")
#: Every byte but the C0 controls and DEL (newline separates a row's fields).
_NOT_CONTROL = bytes([10, *range(0x20, 0x7F), *range(0x80, 0x100)])


def parse_argv(argv: Sequence[str]) -> tuple[str | None, str | None, str, int | None] | None:
    """(data, state, query, limit) for ``[--data P] [--state P] search QUERY [--limit N]
    [--format table]`` in any of the orders argparse accepts; None for anything else."""
    opts: dict[str, str] = {}
    query: str | None = None
    seen_search = False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if not arg.startswith("-") or arg == "-":
            if not seen_search:
                if arg != "search":
                    return None
                seen_search = True
            elif query is None:
                query = arg
            else:
                return None
            continue
        name, eq, value = arg.partition("=")
        allowed = ("--data", "--state") + (("--limit", "--format") if seen_search else ())
        if name not in allowed or name in opts:
            return None
        if not eq:
            if not args:
                return None
            value = args.pop(0)
        if value.startswith("-") or (name != "--limit" and not value):
            return None
        opts[name] = value
    if query is None or opts.get("--format", "table") != "table":
        return None
    limit: int | None = None
    if "--limit" in opts:
        text = opts["--limit"]
        if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
            return None
        limit = int(text)
    return opts.get("--data"), opts.get("--state"), query, limit


def parse_words(text: str) -> list[tuple[str, bool]] | None:
    """(lowercased word, negated) per token, when every token is a plain word or ``!word``."""
    terms: list[tuple[str, bool]] = []
    for token in text.split():
        negated = token.startswith("!")
        word = token[1:] if negated else token
        if not word or not _SPECIAL.isdisjoint(word):
            return None
        try:
            word.encode()
        except UnicodeEncodeError:  # undecodable bytes in argv: the full path says what to do
            return None
        terms.append((word.lower(), negated))
    return terms


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _papers_of(vocab: quickpack.Vocabulary, keys: list[int]) -> set[int]:
    """Papers of these (ascending) keys; adjacent keys share one slice of postings."""
    out: set[int] = set()
    k = 0
    while k < len(keys):
        first = stop = keys[k]
        k += 1
        while k < len(keys) and keys[k] == stop + 1:
            stop += 1
            k += 1
        out.update(vocab.papers(first, stop + 1))
    return out


class _Searcher:
    """The search engine's rules for plain words, answered from the pack's vocabularies."""

    def __init__(self, pack: quickpack.Pack) -> None:
        self.pack = pack

    def hits(self, word: str, candidates: set[int] | None) -> dict[int, float]:
        """What ``SearchIndex._text_hits`` gives this word among ``candidates`` (None:
        all papers), without the typo fallback; the caller decides if that was needed."""
        pack = self.pack
        value = word.encode()
        titled = _papers_of(pack.tokens, pack.tokens.containing(value))
        elsewhere = _papers_of(pack.rests, pack.rests.containing(value))
        if candidates is not None:
            titled &= candidates
            elsewhere &= candidates
        out = dict.fromkeys(elsewhere, ELSEWHERE)
        out.update(dict.fromkeys(titled, IN_TITLE))
        core = word_core(word).encode()
        if not core:  # only punctuation: no words to compare
            return out
        whole, start = b" " + core + b" ", b" " + core
        if b" " in core:  # "4-bit": a phrase of the word form, looked for line by line
            line = pack.line
            for i in titled:
                text = line(i)
                out[i] = EXACT_WORD if whole in text else WORD_START if start in text else IN_TITLE
            return out
        words = pack.words
        first = words.lower_bound(core)
        stop = words.lower_bound(core + b"\xff")  # no UTF-8 text has the byte 0xff
        starting = titled.intersection(words.papers(first, stop))
        out.update(dict.fromkeys(starting, WORD_START))
        if first < stop and words.key(first) == core:
            out.update(
                dict.fromkeys(starting.intersection(words.papers(first, first + 1)), EXACT_WORD)
            )
        return out

    def search(self, terms: list[tuple[str, bool]], limit: int | None) -> list[int] | None:
        """``SearchIndex.search_indices`` for these terms, or None where it would have
        reached for the typo fallback."""
        # Clause order of the full engine: fuzzy words first, in query order, negations last.
        ordered = [t for t in terms if not t[1]] + [t for t in terms if t[1]]
        candidates: list[int] | None = None
        scores: dict[int, float] | None = None
        for word, negated in ordered:
            hits = self.hits(word, set(candidates) if candidates is not None else None)
            if negated:
                pool = candidates if candidates is not None else range(self.pack.count)
                candidates = [i for i in pool if i not in hits]
            else:
                if wants_typos(len(word), len(hits)):
                    return None  # the full engine would look for typos
                candidates = sorted(hits)
                scores = hits if scores is None else {i: scores[i] + hits[i] for i in candidates}
            if not candidates:
                return []
        if candidates is None:
            candidates = list(range(self.pack.count))
        if scores is None:
            return candidates[:limit]
        if limit is not None and limit < len(candidates):
            return nlargest(limit, candidates, key=scores.__getitem__)
        return sorted(candidates, key=scores.__getitem__, reverse=True)


def _favourites(cache: str, data: str | None, state: str | None, key: str) -> frozenset[str] | None:
    """Starred ids, when the state file is absent or its favourites are on record."""
    if state is None:
        if data is None:
            return None
        state = paths.state_file_text(data, key)
    try:
        os.stat(state)
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()  # the full path reads a missing file as empty state, too
    except OSError:
        return None
    return quickpack.read_favourites(cache, os.path.realpath(state))


def _print(pack: quickpack.Pack, found: list[int], favourites: frozenset[str]) -> bool:
    """Print the table, decoding all rows in one go; False (and nothing printed) if the
    pack holds a control character or text that is not printable (a damaged pack: the
    full path then rebuilds it). No match is left to the full path too: it says so on
    stderr and exits 1, as grep does."""
    if not found:
        return False
    raw = pack.rows_text(found)
    if raw.translate(None, _NOT_CONTROL):
        return False
    try:
        fields = raw.decode().split("\n")
        stars = (
            [i in favourites for i in pack.ids_text(found).decode().split("\n")]
            if favourites
            else [False] * len(found)
        )
    except UnicodeDecodeError:
        return False
    if len(fields) != 3 * len(found) or len(stars) != len(found):
        return False
    if not raw.isascii() and not all(f.isascii() or f.isprintable() for f in fields):
        return False
    print_columns(fields[0::3], fields[1::3], fields[2::3], stars)
    return True


def run(argv: Sequence[str]) -> int | None:
    """Print the search's table and return 0, or None to leave the command to the full CLI."""
    if paths.caches_off() or paths.env_flag("SURVEYTUI_NO_QUICK"):
        return None
    parsed = parse_argv(argv)
    cache = paths.user_dir_text("cache", light=True)
    if parsed is None or cache is None:
        return None
    data, state, query, limit = parsed
    terms = parse_words(query)
    if terms is None:
        return None
    given = data if data is not None else paths.default_catalog_text(light=True)
    if given is None:
        return None
    catalog = os.path.realpath(given)
    if _stem(given) != _stem(catalog):
        # The state file is named after the path as given (a symlink's own name);
        # the pack knows only the resolved file's.
        return None
    try:
        st = os.stat(catalog)
    except OSError:
        return None
    pack = quickpack.open_pack(cache, catalog, st)
    if pack is None:
        return None
    favourites = _favourites(
        cache, paths.user_dir_text("data", light=True), state, pack.catalog_key
    )
    if favourites is None:
        return None
    try:
        found = _Searcher(pack).search(terms, limit)
        printed = found is not None and _print(pack, found, favourites)
    except (IndexError, ValueError, OverflowError):  # a damaged pack: nothing was written
        return None
    return 0 if printed else None
