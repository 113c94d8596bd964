"""Link targets: where one ends in the source, and how it is normalised.

``(target "title")`` after a link's label: the target may be wrapped in
``<...>``, hold balanced parentheses, or break across a line (the break is
removed: a URL wrapped in the source is one URL); a space inside a target that
is not a wrap or a title makes it no link at all. At most 2100 characters are
looked at. Targets are then percent-encoded the way markdown-it (and so GitHub)
encodes them; most are plain ASCII URLs that encoding leaves alone, and those
skip markdown-it's URL parser, which was a fifth of a large import.
"""

from __future__ import annotations

import html
import re

from markdown_it.common.normalize_url import normalizeLink

_MAX_TARGET = 2100
_WRAP = re.compile(r"\s*\n\s*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNCHANGED = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]*")


def normalize_link(url: str) -> str:
    """``url`` as markdown-it's ``normalizeLink`` gives it (same result, faster)."""
    if _UNCHANGED.fullmatch(url):
        return url
    return normalizeLink(url)


def link_target(text: str, i: int) -> tuple[str, int] | None:
    """``(href, end)`` for ``(target "title")`` at ``i``, or None when it is not one."""
    if i >= len(text) or text[i] != "(":
        return None
    limit = min(len(text), i + 1 + _MAX_TARGET)
    j = i + 1
    while j < limit and text[j] in " \t\n":
        j += 1
    if j < limit and text[j] == "<":
        end = text.find(">", j, limit)
        close = text.find(")", end, limit) if end != -1 else -1
        return (_clean_href(text[j + 1 : end]), close + 1) if close != -1 else None
    depth, k = 0, j
    while k < limit:
        ch = text[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return _clean_href(text[j:k]), k + 1
            depth -= 1
        elif ch in " \t\n":
            m = k
            while m < limit and text[m] in " \t\n":
                m += 1
            if m < limit and text[m] == ")":
                return _clean_href(text[j:k]), m + 1
            if m < limit and text[m] in "\"'":
                close = text.find(text[m], m + 1, limit)
                after = close + 1 if close != -1 else limit
                while after < limit and text[after] in " \t\n":
                    after += 1
                if after < limit and text[after] == ")":
                    return _clean_href(text[j:k]), after + 1
                return None
            if "\n" not in text[k:m]:
                return None  # a space inside a target: not a link
            k = m  # a URL wrapped onto the next line: one URL
            continue
        k += 1
    return None


def _clean_href(raw: str) -> str:
    href = raw.strip()
    if "\n" in href:  # a URL wrapped onto the next line
        href = _WRAP.sub("", href)
    if "\\" in href:
        href = _ESCAPE.sub(r"\1", href)
    return html.unescape(href) if "&" in href else href
