"""Venue names and years as written in paper lists -> one spelling and a four-digit year.

Lists are typed by hand, so the same venue turns up as ``NeurIPS``,
``NeruIPS`` and ``NIPS``, and years as ``'21`` or ``2021``. An alias table
fixes the spelling, two-digit years expand (00-69 -> 20xx, 70-99 -> 19xx),
and a one-digit year (``NeurIPS'2``) is ambiguous: year ``None``, and the
importer warns about it. Anything not in the table is kept as written.
"""

from __future__ import annotations

import re

from surveytui.model.text import clean_text

_PLAIN_VENUES = """
    ICLR ICML ACL EMNLP EACL COLING TACL CVPR ICCV ECCV WACV OSDI SOSP ASPLOS EuroSys NSDI FAST
    SIGCOMM MobiCom MobiSys SenSys CHI UIST AAAI IJCAI SIGIR JMLR TMLR ICASSP Interspeech HPCA
    ISCA MICRO SC PPoPP ICPP IPDPS SIGMOD INFOCOM MICCAI IJCV TIST TMC TKDE TNNLS
"""
#: Canonical venue -> other spellings seen in the wild (compared by :func:`venue_key`).
VENUES: dict[str, tuple[str, ...]] = {
    "NeurIPS": ("NIPS", "NeruIPS", "Nuerips", "NeurlPS", "NeuIPS", "NeurIP", "Neural IPS"),
    "arXiv": ("arXiv preprint", "CoRR"),
    "NAACL": ("NAACL-HLT",),
    "MLSys": ("SysML",),
    "ATC": ("USENIX ATC",),
    "UbiComp": ("IMWUT",),
    "KDD": ("SIGKDD",),
    "WWW": ("The Web Conference", "TheWebConf"),
    "TPAMI": ("PAMI", "IEEE TPAMI"),
    "TASLP": ("IEEE/ACM Transactions on Audio, Speech, and Language Processing",),
    "MM": ("ACM MM", "ACM Multimedia"),
    "VLDB": ("PVLDB",),
    **{name: () for name in _PLAIN_VENUES.split()},
}


def venue_key(name: str) -> str:
    """Spelling-insensitive key: casefolded letters and digits only."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


#: venue_key(alias or canonical) -> canonical name.
VENUE_ALIASES: dict[str, str] = {
    venue_key(alias): canonical
    for canonical, aliases in VENUES.items()
    for alias in (canonical, *aliases)
}


def is_known_venue(name: str) -> bool:
    """A venue of the table under any of its spellings (a year must be cut off first)."""
    return venue_key(name) in VENUE_ALIASES


_QUOTE_YEAR = re.compile(r"(?P<name>.*?)\s*'\s*(?P<year>\d{1,4})")
#: ``Venue 2023``, ``Venue, 2023``: a name, then a four-digit year.
PLAIN_YEAR = re.compile(r"(?P<name>.*?)[\s,\-]*(?P<year>(?:19|20)\d{2})")


#: Longer than any venue with its year: such a span is kept as written, unparsed, because
#: both year patterns backtrack over it (quadratic time in its length).
MAX_VENUE_LEN = 200


def _expand_year(digits: str) -> int | None:
    if len(digits) == 2:
        value = int(digits)
        return 2000 + value if value < 70 else 1900 + value
    if len(digits) == 4 and 1900 <= int(digits) <= 2099:
        return int(digits)
    return None  # one or three digits: no safe reading


def normalise_venue(raw: str) -> tuple[str | None, int | None]:
    """``"NeruIPS'21"`` -> ``("NeurIPS", 2021)``; ``"CHI 2023"`` -> ``("CHI", 2023)``.

    A one- or three-digit year (``"NeurIPS'2"``) keeps the venue and gives year
    ``None``: guessing 2020 or 2022 would be inventing data. Author citations
    (``"Author et al., 2023"``) give only the year. Unknown venues are kept as
    written, whitespace folded.
    """
    text = clean_text(raw).replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.strip(" *_[](){}").rstrip(",.;:").strip()
    year: int | None = None
    match = None
    if len(text) <= MAX_VENUE_LEN:
        match = _QUOTE_YEAR.fullmatch(text) or PLAIN_YEAR.fullmatch(text)
    if match:
        text, year = match["name"], _expand_year(match["year"])
    name = text.strip(" ,;:-'*_[](){}")
    if not name or "et al" in name.casefold():
        return None, year
    return VENUE_ALIASES.get(venue_key(name), name), year
