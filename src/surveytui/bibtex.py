"""BibTeX worth citing: authors, Google-Scholar-style keys, arXiv eprints and DOIs.

A pure function of (catalogue, papers, metadata), like the other writers in
``surveytui.export``. Titles, names and venues are untrusted: every value is
escaped for LaTeX so none becomes a command or unbalances the braces BibTeX
counts. The result is read without a warning by bibtexparser and by biber's
``--tool --validate-datamodel`` (see ``tests/unit/test_bibtex.py``).

Entry types follow what reference managers do: ``@inproceedings`` with
``booktitle`` for conferences, ``@article`` with ``journal`` for journals,
``@misc`` for preprints and papers without a venue, with ``eprint``,
``archivePrefix = {arXiv}`` and ``primaryClass`` whenever the arXiv id is
known (biblatex and natbib styles print them as "arXiv:2210.17323 [cs.LG]").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from surveytui.model.catalog import Catalog, Paper
from surveytui.model.meta import MetaView, NoMeta, PaperMeta, paper_arxiv_id, paper_authors
from surveytui.model.text import normalise_title, slugify

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "`": r"\textasciigrave{}",
}
_LATEX_RE = re.compile("[" + re.escape("".join(_LATEX_SPECIALS)) + "]")

#: Words never used as a citation key's word: they say nothing about the paper.
_KEY_STOPWORDS_TEXT = """
a an and are as at be by can do does for from how in into is it its not of on or our
the to toward towards via we what when where which why with without you your
"""
_KEY_STOPWORDS = frozenset(_KEY_STOPWORDS_TEXT.split())

#: Venue words and abbreviations that mark a journal rather than a conference.
_JOURNAL_WORDS_TEXT = """
journal transactions letters magazine surveys jmlr tmlr tacl tist taslp tpami tnnls
tkde tip tmc tocs tos tog ijcv jsac cacm csur tallip nature science
"""
_JOURNAL_WORDS = frozenset(_JOURNAL_WORDS_TEXT.split())

#: Lowercase name particles that belong to the surname ("van Beethoven").
_PARTICLES = frozenset("van von der den de del della di da das dos du la le ten ter".split())
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: Words that make an "author" a group: cited as one name, never split.
_GROUP_WORDS = frozenset(
    "team group lab laboratory consortium collaboration project inc inc. ltd corp".split()
)


def latex_escape(text: str) -> str:
    """Text-mode LaTeX for any string: specials become commands, braces stay balanced.

    Braces are spelled ``\\textbraceleft{}`` rather than ``\\{`` because BibTeX
    counts every brace, escaped or not, and one stray brace ends the entry.
    Non-ASCII is kept as UTF-8 (biber and modern BibTeX read it).
    """
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def _bib_url(url: str) -> str:
    """URLs stay verbatim (``\\url`` and biber read them so) except what breaks BibTeX syntax."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --------------------------------------------------------------------------- names


def _name_parts(name: str) -> tuple[str, str, str] | None:
    """(surname, suffix, given names), or None for a group name or a single word."""
    if "," in name:
        last, _, rest = name.partition(",")
        return last.strip(), "", rest.strip()
    words = name.split()
    if len(words) < 2 or _GROUP_WORDS.intersection(w.casefold() for w in words):
        return None
    suffix = ""
    if len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix = words.pop()
    start = len(words) - 1
    for i, word in enumerate(words[1:-1], start=1):
        if word in _PARTICLES:
            start = i
            break
    return " ".join(words[start:]), suffix, " ".join(words[:start])


def _braced_word(word: str) -> str:
    """A word BibTeX would read as syntax ("and", "others") is braced to stay a name."""
    escaped = latex_escape(word)
    return "{" + escaped + "}" if word.casefold() in ("and", "others") else escaped


def _escape_words(text: str) -> str:
    return " ".join(_braced_word(w) for w in text.split())


def bibtex_name(name: str) -> str:
    """``Elias Frantar`` -> ``Frantar, Elias``; a group (``Gemini Team``) stays whole."""
    parts = _name_parts(name)
    if parts is None:
        return "{" + latex_escape(name) + "}"
    last, suffix, given = parts
    out = _escape_words(last)
    if suffix:
        out += ", " + _escape_words(suffix)
    if given:
        out += ", " + _escape_words(given)
    return out


def _surname_key(name: str) -> str:
    """``frantar``: the first author's surname as Google Scholar puts it in a key."""
    parts = _name_parts(name)
    surname = parts[0] if parts else name
    words = slugify(surname).split("-")
    return words[-1] if words and words[-1] else ""


# --------------------------------------------------------------------------- keys


def _year(paper: Paper, meta: PaperMeta | None) -> int | None:
    if paper.year is not None:
        return paper.year
    if meta and meta.published and meta.published[:4].isdigit():
        return int(meta.published[:4])
    return None


def _key_stem(paper: Paper, meta: PaperMeta | None) -> str:
    words = [
        w
        for w in normalise_title(paper.title).split()
        if w not in _KEY_STOPWORDS and not w.isdigit()
    ]
    word = words[0][:24] if words else "paper"
    year = _year(paper, meta)
    authors = paper_authors(paper, meta)
    surname = _surname_key(authors[0]) if authors else ""
    year_text = str(year) if year is not None else ""
    return surname + year_text + word if surname else word + year_text


def _suffixes() -> Iterator[str]:
    """b, c, ..., z, ba, bb, ...: the bare key is the implicit "a"."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = 1
    while True:
        digits, m = "", n
        while True:
            digits = letters[m % 26] + digits
            m //= 26
            if m == 0:
                break
        yield digits
        n += 1


def bibtex_keys(
    catalog: Catalog, papers: Sequence[Paper] = (), meta: MetaView | None = None
) -> dict[str, str]:
    """Citation key per paper id, unique and stable whatever subset is exported.

    Keys are Google Scholar's: first author's surname, year, first significant
    title word (``frantar2023gptq``); without authors, the word and the year
    (``gptq2023``). They are assigned over the whole catalogue in its order,
    so exporting five papers gives each the key it has in a full export; on a
    collision the first paper keeps the bare key (adding papers later never
    renames it) and the others get ``b``, ``c``, ... Papers not in the
    catalogue come last. A key changes only when the facts in it do (a first
    ``enrich`` adds the surname).
    """
    keys: dict[str, str] = {}
    used: set[str] = set()
    extra = [p for p in papers if p.id not in catalog.by_id]
    for paper in (*catalog.papers, *extra):
        if paper.id in keys:
            continue
        found = meta.meta(paper.id) if meta is not None else None
        stem = key = _key_stem(paper, found)
        suffixes = _suffixes()
        while key in used:
            key = stem + next(suffixes)
        used.add(key)
        keys[paper.id] = key
    return keys


# --------------------------------------------------------------------------- entries


def _is_preprint(venue: str) -> bool:
    return "rxiv" in venue.casefold()


def _venue_field(venue: str, kind: str | None = None) -> tuple[str, str]:
    """(entry type, venue field): journals are articles, the rest proceedings."""
    words = set(re.split(r"[^a-z0-9]+", venue.casefold()))
    if kind == "journal" or _JOURNAL_WORDS.intersection(words):
        return "article", "journal"
    return "inproceedings", "booktitle"


def bibtex_entry(
    paper: Paper, key: str, meta: PaperMeta | None = None, wrong_link: bool = False
) -> str:
    """One entry; ``wrong_link`` (the link names another paper) keeps its arXiv id out."""
    arxiv = paper_arxiv_id(paper, meta, wrong_link)
    fields: list[tuple[str, str]] = []
    authors = paper_authors(paper, meta)
    if authors:
        fields.append(("author", " and ".join(bibtex_name(a) for a in authors)))
    fields.append(("title", "{" + latex_escape(paper.title) + "}"))
    venue, venue_kind = paper.venue, None
    usable = meta and meta.venue_kind in ("journal", "conference") and meta.venue
    if meta and usable and (not venue or _is_preprint(venue)):
        venue, venue_kind = meta.venue, meta.venue_kind
    kind = "misc"
    if venue and not _is_preprint(venue):
        kind, venue_field = _venue_field(venue, venue_kind)
        fields.append((venue_field, latex_escape(venue)))
    elif venue and not venue.casefold().startswith("arxiv"):
        fields.append(("howpublished", latex_escape(venue)))
    elif arxiv:
        fields.append(("howpublished", f"arXiv preprint arXiv:{latex_escape(arxiv)}"))
    year = _year(paper, meta)
    if year is not None:
        fields.append(("year", str(year)))
    if meta and meta.doi:
        fields.append(("doi", _bib_url(meta.doi)))  # verbatim, like a URL
    if arxiv:
        fields.append(("eprint", _bib_url(arxiv)))
        fields.append(("archivePrefix", "arXiv"))
        if meta and meta.primary_class:
            fields.append(("primaryClass", latex_escape(meta.primary_class)))
    if paper.paper_url:
        fields.append(("url", _bib_url(paper.paper_url)))
    if paper.code_url:
        fields.append(("note", "Code: \\url{" + _bib_url(paper.code_url) + "}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def to_bibtex(catalog: Catalog, papers: Sequence[Paper], meta: MetaView | None = None) -> str:
    """One entry per paper; titles double-braced so BibTeX styles keep their capitals."""
    keys = bibtex_keys(catalog, papers, meta)
    view = meta or NoMeta()
    return "\n".join(
        bibtex_entry(p, keys[p.id], view.meta(p.id), view.mismatch(p.id) is not None)
        for p in papers
    )
