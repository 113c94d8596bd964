"""The detail pane: everything known about the paper under the cursor, links written in full.

Links are written out as text (so they can be read and copied over SSH) and
carry a hyperlink style, which terminals that support OSC 8 make clickable.
Only URLs that pass the launch policy's safety check become hyperlinks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from surveytui.model.catalog import CATEGORIES, Catalog, Paper
from surveytui.model.meta import (
    SOURCE_NAMES,
    LinkMismatch,
    MetaView,
    NoMeta,
    PaperMeta,
    paper_authors,
)
from surveytui.state.protocols import ReadingState
from surveytui.system.links import terminal_hyperlink_safe
from surveytui.ui.widgets.key_scroll import KeyScroll


def _link_line(label: str, url: str | None, missing: str) -> Text:
    line = Text(f"{label}: ", style="bold", end="\n")
    if not url:
        line.append(missing, style="dim italic")
        return line
    safe = terminal_hyperlink_safe(url)
    line.append(url, style=Style(link=safe, underline=True) if safe else Style(dim=True))
    if safe is None:
        line.append("  (not a safe web link; will not be opened)", style="red")
    return line


#: Authors shown before "+N more": enough to recognise a group, short enough for one line.
AUTHORS_SHOWN = 3
#: The key that fetches the current paper's metadata (see ui/keys.py), named in hints.
FETCH_KEY = "a"


def authors_line(authors: tuple[str, ...]) -> str:
    """``A, B, C +5 more``; a list of up to one more than that is shown whole."""
    if len(authors) <= AUTHORS_SHOWN + 1:
        return ", ".join(authors)
    return ", ".join(authors[:AUTHORS_SHOWN]) + f" +{len(authors) - AUTHORS_SHOWN} more"


def _wrong_link(out: Text, wrong: LinkMismatch) -> None:
    out.append("⚠ Link points elsewhere: ", style="bold red")
    source = SOURCE_NAMES.get(wrong.source, wrong.source)
    out.append(f"{source} {wrong.identifier} is “{wrong.found_title}”.\n", style="red")


def _identifiers(out: Text, meta: PaperMeta) -> None:
    parts: list[str] = []
    if meta.arxiv_id:
        cls = f" [{meta.primary_class}]" if meta.primary_class else ""
        parts.append(f"arXiv:{meta.arxiv_id}{cls}")
    if meta.doi:
        parts.append(f"doi:{meta.doi}")
    if meta.published:
        parts.append(f"published {meta.published}")
    if parts:
        out.append("Ids: ", style="bold")
        out.append(" · ".join(parts) + "\n")


def _abstract(out: Text, meta: PaperMeta | None) -> None:
    out.append("\nAbstract:\n", style="bold")
    if meta is None:
        out.append(f"not fetched yet: press {FETCH_KEY} to fetch it\n", style="dim italic")
    elif meta.abstract:
        out.append(meta.abstract + "\n")
    else:
        source = SOURCE_NAMES.get(meta.source, meta.source)
        out.append(f"{source} has no abstract for this paper\n", style="dim italic")


def describe(
    catalog: Catalog,
    paper: Paper,
    state: ReadingState,
    meta: MetaView | None = None,
    problems: Sequence[str] = (),
) -> Text:
    """The pane's text; built from plain Text pieces so no field is ever parsed as markup.

    The links and the id come right after the title and authors: on a small terminal
    they are what a reader needs first, and long fields (sections, the abstract, notes)
    would push them out of view. ``problems`` are what ``surveytui check`` finds.
    """
    view = meta or NoMeta()
    found, wrong = view.meta(paper.id), view.mismatch(paper.id)
    out = Text(end="")
    out.append(paper.title + "\n", style="bold")
    authors = paper_authors(paper, found)
    if authors:
        out.append(authors_line(authors) + "\n", style="italic")
    if wrong is not None:
        _wrong_link(out, wrong)
    out.append_text(_link_line("Paper", paper.paper_url, "no paper link"))
    out.append("\n")
    out.append_text(_link_line("Code", paper.code_url, "no code link for this paper"))
    out.append("\n")
    out.append(f"id: {paper.id}\n", style="dim")
    for problem in problems:
        out.append("⚠ ", style="bold")
        out.append(problem + "\n")
    out.append("\n")
    venue = paper.venue or "unknown venue"
    year = str(paper.year) if paper.year is not None else "year unknown"
    out.append("Venue: ", style="bold")
    out.append(f"{venue}, {year}\n")
    out.append("Sections:\n", style="bold")
    for sid in paper.sections:
        out.append(f"  • {catalog.section_path(sid)}\n")
    if paper.categories:
        out.append("Categories: ", style="bold")
        out.append(", ".join(CATEGORIES.get(c, c) for c in paper.categories) + "\n")
    out.append("Starred: ", style="bold")
    starred_at = state.favourite_at(paper.id) if state.is_favourite(paper.id) else None
    out.append(f"★ yes (since {starred_at[:10]})\n" if starred_at else "no\n")
    out.append("Read: ", style="bold")
    out.append("yes\n" if state.is_read(paper.id) else "no\n")
    tags = state.tags(paper.id)
    if tags:
        out.append("Tags: ", style="bold")
        out.append(" ".join(f"#{t}" for t in tags) + "\n")
    if found is not None:
        _identifiers(out, found)
    _abstract(out, found)
    note = state.note(paper.id)
    if note:
        out.append("\nNote:\n", style="bold")
        out.append(note + "\n")
    out.rstrip()
    return out


class PaperDetail(KeyScroll):
    """Shows one paper; the screen calls ``show`` whenever the cursor or the paper's state moves."""

    def __init__(
        self,
        catalog: Catalog,
        state: ReadingState,
        meta: MetaView | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._catalog = catalog
        self._state = state
        self._meta = meta
        self.paper: Paper | None = None
        self.problems: Mapping[str, Sequence[str]] = {}  # paper id -> check findings
        self._shown: Text | None = None
        self._started = False

    def start(self) -> None:
        """Begin showing papers: called after the screen's first paint, which then
        does not wait for this pane's text and layout."""
        self._started = True
        self.show(self.paper)

    def compose(self) -> ComposeResult:
        yield Static(self._shown or Text("No paper selected.", style="dim"), id="detail-body")

    def show(self, paper: Paper | None) -> None:
        if paper is not self.paper and (
            paper is None or self.paper is None or paper.id != self.paper.id
        ):
            # Another paper starts at its title: a scroll kept from the last one would hide it.
            self.scroll_home(animate=False)
        self.paper = paper
        if not self._started:
            return
        if paper is None:
            text = Text("No paper matches the current filter.", style="dim")
        else:
            problems = self.problems.get(paper.id, ())
            text = describe(self._catalog, paper, self._state, self._meta, problems)
        if text == self._shown:
            return  # same content: skip the update and the layout pass it would cost
        self._shown = text
        for body in self.query("#detail-body").results(Static):
            body.update(text)  # none yet if this pane is still mounting: compose uses _shown

    @property
    def text(self) -> str:
        """Plain text of the pane (what a reader sees), for tests and screen readers."""
        if self.paper is None:
            return ""
        problems = self.problems.get(self.paper.id, ())
        return describe(self._catalog, self.paper, self._state, self._meta, problems).plain
