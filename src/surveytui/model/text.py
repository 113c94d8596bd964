"""Text hygiene shared by every layer that touches untrusted strings.

Titles, venues and URLs come from Markdown written by strangers. They are
cleaned once, at import and again at load, so nothing downstream (terminal,
clipboard, window title) ever sees a control code or a bidi override.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (tab/newline are folded to spaces separately), DEL,
# and the Unicode bidi embedding/override/isolate characters plus the
# zero-width marks that can hide or reorder text in a terminal.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_SPACE_RE = re.compile(r"\s+")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


def clean_text(value: str) -> str:
    """Strip control and bidi characters and fold runs of whitespace to one space."""
    if value.isprintable() and "  " not in value and value == value.strip():
        return value  # already clean: the common case, and 100k titles are checked at load
    value = _CONTROL_RE.sub("", value)
    return _SPACE_RE.sub(" ", value).strip()


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ")


def normalise_title(title: str) -> str:
    """The key two listings of the same paper share: case, accents and punctuation folded.

    Letters and digits of every script are kept, so two Chinese titles do not
    both fold to "" and merge as one paper. Accents are dropped only from Latin
    letters ("Gödel" and "Godel" are one title): elsewhere a combining mark
    can be what tells two words apart (Japanese か and が).
    """
    text = clean_text(title)
    if text.isascii():  # the common case, and the same result as the general one below
        return _SLUG_RE.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    latin = False
    for ch in decomposed:
        if not unicodedata.combining(ch):
            latin = _is_latin(ch)
        elif latin:
            continue
        kept.append(ch)
    composed = unicodedata.normalize("NFKC", "".join(kept))
    words = "".join(
        ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " " for ch in composed
    )
    return " ".join(words.split())


def _ascii_words(text: str) -> str:
    """Lowercase ASCII letters and digits, accents folded, everything else a single space."""
    text = clean_text(text)
    if text.isascii():
        return _SLUG_RE.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SLUG_RE.sub(" ", ascii_only.casefold()).strip()


def slugify(text: str, max_len: int = 0) -> str:
    """A lowercase ASCII slug ("" when nothing ASCII is left); ``max_len`` cuts at a word."""
    slug = _ascii_words(text).replace(" ", "-")
    if max_len and len(slug) > max_len:
        cut = slug[:max_len]
        if "-" in cut and slug[max_len] != "-":
            cut = cut[: cut.rindex("-")]
        slug = cut.strip("-")
    return slug


# Letters NFKD leaves whole (a stroke or a ligature is not a combining mark),
# spelled the way an ASCII keyboard writes them. Keys are lowercase: the text is
# casefolded first (which already turns ``ß`` into ``ss`` and ``İ`` into ``i``).
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
    }
)


def fold_accents(text: str) -> str:
    """Lowercase with accents dropped (``Müller`` -> ``muller``, ``Çelik`` -> ``celik``,
    ``Łukasz`` -> ``lukasz``, ``Bjørn`` -> ``bjorn``, ``Æsir`` -> ``aesir``): how
    ``author:`` and ``abs:`` compare text, so a query typed on any keyboard finds it."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)
