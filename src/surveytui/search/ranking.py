"""How a text term scores a paper: shared by the search index and the quick path.

Both ``surveytui.search.engine`` (the full engine, behind the browser and the CLI)
and ``surveytui.quick.run`` (plain-word searches straight from the quick
pack) rank with these numbers, so the two can only agree. Nothing is
imported: the quick path cannot afford ``string`` (which loads ``re``).
"""

from __future__ import annotations

#: Words shorter than this never match fuzzily: at 3-4 letters one typo is
#: another word ("gptq" and "gpt", "lora" and "dora").
FUZZY_MIN_LEN = 5
#: ...except by one swap of adjacent letters ("gtpq" -> "gptq"), which from this
#: length on still names one word, and only when the word matches nothing as typed.
SWAP_MIN_LEN = 4
#: rapidfuzz score (0-100) a vocabulary word needs to count as a typo of the query word.
FUZZY_CUTOFF = 85.0
#: The fallback runs only for a word with fewer substring hits than this among the candidates.
FUZZY_GATE = 5


def wants_typos(length: int, hits: int) -> bool:
    """Does a plain word of ``length`` characters with ``hits`` substring hits get the
    typo fallback? One rule for the engine and the quick path, so they agree."""
    if length >= FUZZY_MIN_LEN:
        return hits < FUZZY_GATE
    return length >= SWAP_MIN_LEN and hits == 0


def swap_score(length: int) -> float:
    """The rapidfuzz-style score (0-100) of a look-alike one adjacent swap away: one
    edit, where ``ratio`` would count two (a deletion and an insertion)."""
    return 100.0 - 100.0 / (2 * length)


# Relevance of one text term for one paper; a paper's score is the sum over clauses.
EXACT_WORD = 10.0  # the whole word is in the title
WORD_START = 8.0  # a word of the title starts with it
IN_TITLE = 6.0  # somewhere inside a word of the title
ELSEWHERE = 4.0  # only in the venue or a section title
FUZZY_IN_TITLE = 2.0  # a look-alike word in the title: 2..3 by closeness
FUZZY_ELSEWHERE = 1.0  # a look-alike word in venue or sections: 1..2

#: ``string.punctuation``: these become spaces in a title's word form.
PUNCTUATION = rb"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
# UTF-8 never puts an ASCII byte inside a multi-byte character, so translating
# bytes is safe for any text and far faster than str.translate or re.sub.
PUNCT_TO_SPACE = bytes.maketrans(PUNCTUATION, b" " * len(PUNCTUATION))


def despace_punct(text: str) -> str:
    """Punctuation turned into spaces; the result has the same length in UTF-8 bytes."""
    raw = text.encode("utf-8", "surrogatepass").translate(PUNCT_TO_SPACE)
    return raw.decode("utf-8", "surrogatepass")


def word_core(value: str) -> str:
    """A query word as the word forms spell it: ``"4-bit"`` is ``"4 bit"``."""
    return " ".join(despace_punct(value).split())
