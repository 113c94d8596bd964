"""Segments -> tokens: the pieces field rules look at.

Literal brackets around a link make it a *button* (``[[Paper](u)]``,
``[[Paper]](u)``): its label names what the link is, never a title. Other
bracketed text becomes a :class:`Tag` (``[ICLR'23]``, ``[Short name]``,
``[72:fire:]``, also across emphasis: ``[**Short**]``). A shields badge image
becomes a :class:`Badge` with its text; a GitHub stars badge names its
repository; other images are dropped. Anchor (``#x``) and relative links read
as their label. Leading emoji, pictographs and ``:shortcode:`` emoji are
"symbols": never part of a title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from surveytui.importer.segments import Break, Image, Link, Mark, Segment, Text
from surveytui.importer.vocab import badge_text, label_kind, stars_repo

SEPARATORS = " \t\n,;:|-\u2013\u2014"
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:|//")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]{1,30}:")
_MAX_SPAN = 200  # tokens an unclosed mark is searched for: keeps long lines linear


@dataclass(frozen=True, slots=True)
class Tag:
    """Bracketed text that is not a link: ``[ICLR'23]``, ``[Short]``."""

    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Badge:
    text: str | None  # shields text
    repo: str | None  # stars badge repository


Token = Segment | Tag | Badge


def _is_text_link(link: Link) -> bool:
    return not _SCHEME.match(link.href.strip()) and label_kind(link.label, link.href) is None


def tokens(segs: list[Segment]) -> list[Token]:
    """Segments -> tokens: tags, badges, unwrapped links (see the module rules)."""
    out: list[Token] = []
    for seg in segs:
        if isinstance(seg, Link) and _is_text_link(seg):
            seg = Text(seg.label, seg.line)
        elif isinstance(seg, Link) and seg.label.startswith("[") and seg.label.endswith("]"):
            seg = replace(seg, button=True)
        if isinstance(seg, Image):
            text, repo = badge_text(seg.src), stars_repo(seg.src)
            if text or repo:
                out.append(Badge(text, repo))
            continue
        if isinstance(seg, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + seg.text, out[-1].line)
            continue
        out.append(seg)
    return _bracket_tags(out)


def _bracket_tags(items: list[Token]) -> list[Token]:
    """Split ``[...]`` out of text (also across marks); mark links set in brackets."""
    out: list[Token] = []
    for i, item in enumerate(items):
        if not isinstance(item, Text):
            out.append(item)
            continue
        text = item.text
        prev_link = i > 0 and isinstance(items[i - 1], Link)
        following = items[i + 1] if i + 1 < len(items) else None
        if prev_link and text.startswith("]"):
            text = text[1:]
            _set_button(out)
        if isinstance(following, Link) and text.rstrip().endswith("["):
            text = text.rstrip()[:-1]
            items[i + 1] = replace(following, button=True)
        pos = 0
        for match in re.finditer(r"\[([^\[\]\n]{1,100})\]", text):
            if text[pos : match.start()]:
                out.append(Text(text[pos : match.start()], item.line))
            out.append(Tag(match[1].strip(), item.line))
            pos = match.end()
        if text[pos:]:
            out.append(Text(text[pos:], item.line))
    return _cross_tags(out)


def _set_button(out: list[Token]) -> None:
    if out and isinstance(out[-1], Link) and not out[-1].button:
        out[-1] = replace(out[-1], button=True)


def _cross_tags(items: list[Token]) -> list[Token]:
    """``[**Short**]``: a ``[`` ending one text and ``]`` starting a later one, marks between."""
    out: list[Token] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Text) and item.text.rstrip().endswith("["):
            j, inner = i + 1, []
            while j < len(items) and j - i < 8 and isinstance(items[j], (Mark, Text)):
                nxt = items[j]
                if isinstance(nxt, Text):
                    if nxt.text.lstrip().startswith("]"):
                        break
                    inner.append(nxt.text)
                j += 1
            closer = items[j] if j < len(items) else None
            if isinstance(closer, Text) and closer.text.lstrip().startswith("]"):
                head = item.text.rstrip()[:-1]
                if head:
                    out.append(Text(head, item.line))
                out.append(Tag("".join(inner).strip(), item.line))
                tail = closer.text.lstrip()[1:]
                if tail:  # looked at again: it may open the next tag
                    items[j] = Text(tail, item.line)
                    i = j
                else:
                    i = j + 1
                continue
        out.append(item)
        i += 1
    return out


def strip_symbols(text: str) -> str:
    """Drop leading emoji, pictographs and their joiners/selectors."""
    i = 0
    while i < len(text):
        ch = text[i]
        cat = unicodedata.category(ch)
        emoji = cat in ("So", "Cf", "Mn", "Me") or (cat == "Sk" and not ch.isascii())
        if ch.isspace() or emoji:
            i += 1
            continue
        if ch == ":" and (m := _SHORTCODE.match(text, i)):
            i = m.end()
            continue
        break
    return text[i:]


def span(items: list[Token], start: int) -> tuple[int, list[Token]]:
    """End index (exclusive) and inner tokens of the marked span opening at ``start``."""
    depth = 0
    for j in range(start, min(len(items), start + _MAX_SPAN)):
        tok = items[j]
        if isinstance(tok, Mark):
            depth += 1 if tok.opening else -1
            if depth == 0:
                return j + 1, items[start + 1 : j]
        elif isinstance(tok, Break):
            break
    return start + 1, []


def flat(items: list[Token]) -> str:
    parts: list[str] = []
    for tok in items:
        if isinstance(tok, Text):
            parts.append(tok.text)
        elif isinstance(tok, Tag):
            parts.append(f"[{tok.text}]")
        elif isinstance(tok, Link):
            parts.append(tok.label)
        elif isinstance(tok, Break):
            parts.append(" ")
    return "".join(parts)


def split_lines(items: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for tok in items:
        if isinstance(tok, Break):
            lines.append([])
        else:
            lines[-1].append(tok)
    return [ln for ln in lines if any(not is_blank(t) for t in ln)]


def is_blank(tok: Token) -> bool:
    return isinstance(tok, Text) and not strip_symbols(tok.text).strip(SEPARATORS + ".")
