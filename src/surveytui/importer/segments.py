"""Inline Markdown of one entry -> a flat list of segments, in one linear pass.

The importer needs only what a paper list's inline syntax says about fields:
text, links (with their label and any badge image inside the label), images,
the start and end of emphasis-like spans (``*``, ``**``, ``_``, ``<ins>``,
``<u>``, ``<b>``...), code spans and line breaks. markdown-it's inline parser
builds a full token tree for that and was most of the cost of a 100k-paper
import, so this scanner reads the raw inline text itself.

Rules (a deliberately small subset of CommonMark, chosen to read lists the way
GitHub renders them):

Escapes and entities
    ``\\x`` for ASCII punctuation is the literal character; HTML entities
    (``&amp;``, ``&#8217;``) are decoded in text, labels and link targets.
Links
    ``[label](target)`` and ``![alt](src)``; the target may be wrapped in
    ``<...>``, may hold balanced parentheses, and may break across a line
    (the break is removed: a URL that wraps in the source is still one URL).
    A link cannot contain a link, so ``[[Paper](url)]`` is a link inside
    literal brackets. An image inside a link label (a badge) is kept on the
    link. ``<https://...>`` autolinks, ``<a href>`` tags and bare
    ``http(s)://`` URLs in text are links too (label = the URL). Reference
    links (``[x][y]``) are read as text.
Emphasis
    Runs of ``*`` or ``_`` open or close by the usual flanking rules (an
    intraword ``_`` is text); ``**x**`` is strong, ``*x*`` emphasis; an
    opener with no closer is text. HTML ``<ins> <u> <b> <strong> <i> <em>
    <sup> <sub> <mark>`` give the same marks.
Breaks
    A newline, ``<br>`` / ``</br>`` / ``<br/>``, or a ``<p>`` tag is a
    :class:`Break`. HTML comments are dropped; other tags are dropped.
Code
    A backtick span is text marked ``code``.

Every construct is bounded (labels 1000 chars, targets 2100, tags 500), and
unmatched openers are resolved with stacks, so the work is linear in the
input: the speed of a 100k-paper import depends on it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from surveytui.importer.linknorm import link_target

__all__ = ["Break", "Image", "Link", "Mark", "Segment", "Text", "segments"]


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    href: str
    line: int = 0
    images: tuple[str, ...] = ()  # image sources inside the label (badges)
    bare: bool = False  # an autolink or a URL typed as text
    button: bool = False  # set in literal brackets (``[[Paper](u)]``): a label, never a title


@dataclass(frozen=True, slots=True)
class Image:
    alt: str
    src: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Mark:
    """Start or end of a span set apart: ``kind`` is strong, em, ins, u, code..."""

    opening: bool
    kind: str


@dataclass(frozen=True, slots=True)
class Break:
    line: int = 0


Segment = Text | Link | Image | Mark | Break

_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})((?:\s[^<>]{0,500})?)\s*/?>")
_COMMENT_END = "-->"
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]{1,2100})>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_BARE_URL = re.compile(r"https?://[^\s<>\[\]()\"'`]{1,2100}")
_MARK_TAGS = {
    "ins": "ins", "u": "u", "b": "strong", "strong": "strong", "i": "em", "em": "em",
    "sup": "sup", "sub": "sub", "mark": "ins", "s": "del", "del": "del",
}  # fmt: skip
_BREAK_TAGS = frozenset({"br", "p", "div", "li", "tr", "hr"})
_SPECIAL = re.compile(r"[\\\n\[\]!*_`<&]")  # where plain text may stop
_MAX_LABEL = 1000


def _attr(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    if not match:
        return ""
    return html.unescape(next(g for g in match.groups() if g is not None))


class _Scanner:
    """One pass over the text; ``out`` holds segments and pending delimiter runs."""

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line
        self.out: list[object] = []  # Segment | _Delim | _Open
        self.buf: list[str] = []
        self.brackets: list[int] = []  # indices in out of "[" openers
        self.no_closer: dict[int, int] = {}  # backtick run length -> searched up to

    def flush(self) -> None:
        if self.buf:
            self.out.append(Text("".join(self.buf), self.line))
            self.buf.clear()

    def run(self) -> list[Segment]:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            ch = text[i]
            if ch == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt in _PUNCT:
                    self.buf.append(nxt)
                    i += 2
                    continue
                if nxt == "\n":
                    self.flush()
                    self.line += 1
                    self.out.append(Break(self.line))
                    i += 2
                    continue
            if ch == "\n":
                self.flush()
                self.line += 1
                self.out.append(Break(self.line))
                i += 1
            elif ch == "[" or (ch == "!" and text.startswith("[", i + 1)):
                self.flush()
                self.brackets.append(len(self.out))
                self.out.append(_Open(image=ch == "!", line=self.line))
                i += 2 if ch == "!" else 1
            elif ch == "]":
                i = self.close_bracket(i)
            elif ch in "*_":
                i = self.delim(i)
            elif ch == "`":
                i = self.code(i)
            elif ch == "<":
                i = self.angle(i)
            elif ch == "&":
                end = text.find(";", i, i + 12)
                if end > 0:
                    decoded = html.unescape(text[i : end + 1])
                    if decoded != text[i : end + 1]:
                        self.buf.append(decoded)
                        i = end + 1
                        continue
                self.buf.append(ch)
                i += 1
            else:
                found = _SPECIAL.search(text, i + 1)
                j = found.start() if found else n
                self.buf.append(text[i:j])
                i = j
        self.flush()
        return _finish(self.out)

    # ------------------------------------------------------------------ links
    def close_bracket(self, i: int) -> int:
        text = self.text
        if not self.brackets:
            self.buf.append("]")
            return i + 1
        self.flush()
        at = self.brackets.pop()
        opener = self.out[at]
        assert isinstance(opener, _Open)
        target = link_target(text, i + 1) if opener.active else None
        if target is None:
            self.out.append(Text("]", self.line))
            return i + 1
        href, end = target
        inner = self.out[at + 1 :]
        del self.out[at:]
        label, images = _label(inner)
        self.line += text.count("\n", i, end)
        if opener.image:
            self.out.append(Image(label, href, opener.line))
        else:
            self.out.append(Link(label, href, opener.line, images))
            for index in self.brackets:  # no link inside a link
                held = self.out[index]
                if isinstance(held, _Open) and not held.image:
                    held.active = False
        return end

    # ------------------------------------------------------------------ emphasis
    def delim(self, i: int) -> int:
        text, ch = self.text, self.text[i]
        j = i
        while j < len(text) and text[j] == ch:
            j += 1
        before = text[i - 1] if i else " "
        after = text[j] if j < len(text) else " "
        left = not after.isspace() and (
            after.isalnum() or before.isspace() or not before.isalnum() or after in _PUNCT
        )
        right = not before.isspace() and (
            before.isalnum() or after.isspace() or not after.isalnum() or before in _PUNCT
        )
        if ch == "_":
            opens = left and (not right or not before.isalnum())
            closes = right and (not left or not after.isalnum())
        else:
            opens, closes = left, right
        self.flush()
        if opens or closes:
            self.out.append(_Delim(ch, j - i, opens, closes))
        else:
            self.out.append(Text(text[i:j], self.line))
        return j

    # ------------------------------------------------------------------ code spans
    def code(self, i: int) -> int:
        text = self.text
        j = i
        while j < len(text) and text[j] == "`":
            j += 1
        size = j - i
        fence = "`" * size
        searched = self.no_closer.get(size, -1)
        end = -1 if searched >= j else text.find(fence, j)
        while end != -1 and end + size < len(text) and text[end + size] == "`":
            end = text.find(fence, end + size + 1)
        if end == -1:
            self.no_closer[size] = len(text)
            self.buf.append(fence)
            return j
        self.flush()
        body = text[j:end].replace("\n", " ")
        self.out += [Mark(True, "code"), Text(body, self.line), Mark(False, "code")]
        self.line += text.count("\n", j, end)
        return end + size

    # ------------------------------------------------------------------ html
    def angle(self, i: int) -> int:
        text = self.text
        if text.startswith("<!--", i):
            end = text.find(_COMMENT_END, i + 4)
            end = len(text) if end == -1 else end + 3
            self.line += text.count("\n", i, end)
            return end
        auto = _AUTOLINK.match(text, i)
        if auto:
            self.flush()
            self.out.append(Link(auto[1], auto[1], self.line, bare=True))
            return auto.end()
        tag = _TAG.match(text, i)
        if not tag:
            self.buf.append("<")
            return i + 1
        self.flush()
        closing, name, attrs = tag[1] == "/", tag[2].lower(), tag[3]
        self.line += tag[0].count("\n")
        if name in _MARK_TAGS:
            self.out.append(Mark(not closing, _MARK_TAGS[name]))
        elif name in _BREAK_TAGS:
            self.out.append(Break(self.line))
        elif name == "a" and not closing:
            self.out.append(_Anchor(_attr(_HREF, attrs), self.line))
        elif name == "a":
            self.close_anchor()
        elif name == "img" and not closing:
            self.out.append(Image("", _attr(_SRC, attrs), self.line))
        return tag.end()

    def close_anchor(self) -> None:
        for at in range(len(self.out) - 1, max(-1, len(self.out) - 200), -1):
            held = self.out[at]
            if isinstance(held, _Anchor):
                label, images = _label(self.out[at + 1 :])
                del self.out[at:]
                self.out.append(Link(label, held.href, held.line, images))
                return


@dataclass(slots=True)
class _Open:
    image: bool
    line: int
    active: bool = True


@dataclass(slots=True)
class _Anchor:
    href: str
    line: int


@dataclass(slots=True)
class _Delim:
    char: str
    size: int
    opens: bool
    closes: bool


def _label(inner: list[object]) -> tuple[str, tuple[str, ...]]:
    parts: list[str] = []
    images: list[str] = []
    for seg in inner:
        if isinstance(seg, Text):
            parts.append(seg.text)
        elif isinstance(seg, Image):
            images.append(seg.src)
            parts.append(seg.alt if not parts else "")
        elif isinstance(seg, Link):
            parts.append(seg.label)
        elif isinstance(seg, _Delim):
            parts.append(seg.char * seg.size if not (seg.opens or seg.closes) else "")
        elif isinstance(seg, _Open):
            parts.append("![" if seg.image else "[")
        elif isinstance(seg, Break):
            parts.append(" ")
    label = " ".join("".join(parts).split())
    return label[:_MAX_LABEL], tuple(images)


def _finish(items: list[object]) -> list[Segment]:
    """Pair emphasis delimiters (per character, with stacks); the rest is text."""
    stacks: dict[str, list[int]] = {"*": [], "_": []}
    marks: dict[int, list[Mark]] = {}
    for index, item in enumerate(items):
        if not isinstance(item, _Delim):
            continue
        stack = stacks[item.char]
        if item.closes and stack:
            opener_at = stack.pop()
            opener = items[opener_at]
            assert isinstance(opener, _Delim)
            kind = "strong" if min(opener.size, item.size) >= 2 else "em"
            marks[opener_at] = [Mark(True, kind)]
            marks[index] = [Mark(False, kind)]
            continue
        if item.opens:
            stack.append(index)
    out: list[Segment] = []
    for index, item in enumerate(items):
        if isinstance(item, _Delim):
            if index in marks:
                out.extend(marks[index])
            else:
                out.append(Text(item.char * item.size))
        elif isinstance(item, _Open):
            out.append(Text("![" if item.image else "[", item.line))
        elif isinstance(item, _Anchor):
            continue
        else:
            assert isinstance(item, (Text, Link, Image, Mark, Break))
            out.append(item)
    final: list[Segment] = []
    for seg in _merge_text(out):
        final.extend(_bare_urls(seg) if isinstance(seg, Text) else (seg,))
    return final


def _bare_urls(item: Text) -> list[Segment]:
    if "://" not in item.text:
        return [item]
    out: list[Segment] = []
    pos = 0
    for match in _BARE_URL.finditer(item.text):
        out.append(Text(item.text[pos : match.start()], item.line))
        out.append(Link(match[0], match[0], item.line, bare=True))
        pos = match.end()
    out.append(Text(item.text[pos:], item.line))
    return [s for s in out if not isinstance(s, Text) or s.text]


def _merge_text(items: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for item in items:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text, out[-1].line)
        elif not isinstance(item, Text) or item.text:
            out.append(item)
    return out


def segments(text: str, line: int = 1) -> list[Segment]:
    """The segments of ``text`` (inline Markdown starting at source line ``line``)."""
    return _Scanner(text, line).run()
