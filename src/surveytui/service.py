"""The browser's side effects, kept out of the UI: state changes, links and exports.

The screen decides *what* the reader asked for; this service does it and says how
it went. It never imports Textual, so every rule here (which links may leave the
app, what an export is called, what a failed write tells the reader) is tested
without a terminal, and the UI layer only draws what comes back.

Blocking work (writing the state file under its lock, starting a browser, writing
an export) goes through ``run_background``, which the screen maps to a worker
thread; outcomes come back as small event objects through ``report``, which the
screen turns into a Textual message (posting a message is thread-safe), so
nothing here touches a widget from a worker thread.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from surveytui.export_plan import ExportPlan, default_target, plan_export
from surveytui.metadata.store import MetaStore, MetaStoreError, metadata_path
from surveytui.model.catalog import Catalog, Paper
from surveytui.model.meta import SOURCE_NAMES
from surveytui.state.reader import SavedFilter
from surveytui.state.schema import plural
from surveytui.state.store import StateError, Store, parse_tag_input
from surveytui.system.links import (
    OPEN_ENV_VAR,
    LaunchMode,
    is_safe_url,
    launch_browser,
    launch_command,
    launch_mode,
)

if TYPE_CHECKING:
    from surveytui.metadata.arxiv import ArxivClient
    from surveytui.metadata.openalex import OpenAlexClient

LinkKind = Literal["paper", "code"]
Severity = Literal["information", "warning", "error"]


def _meta_path(catalog: Catalog) -> Path:
    """Where this catalogue's fetched metadata lives (the shipped survey's when unknown)."""
    from surveytui.system.paths import bundled_catalog

    return metadata_path(catalog.path or bundled_catalog())


# ---------------------------------------------------------------------- events


@dataclass(frozen=True)
class Notice:
    """A line for the reader (a toast); ``text`` is data, never markup."""

    text: str
    severity: Severity = "information"
    timeout: float | None = None


@dataclass(frozen=True)
class ShowLink:
    """A link (or a file written) shown in full on the link line, never in a toast that
    could cover that line, contradict it or break the URL; ``copy``: also copy it."""

    message: str
    url: str
    copy: bool = True


@dataclass(frozen=True)
class CopyText:
    """Put text on the reader's clipboard (OSC 52), and say so."""

    text: str
    notice: str


@dataclass(frozen=True)
class StateChanged:
    """A change to the reader's state was applied (and saved, unless ``error``)."""

    error: str | None = None
    then: Notice | None = None


@dataclass(frozen=True)
class RecallFilter:
    """Show this saved filter: its text and its scope together."""

    name: str
    query: str
    section: str | None


@dataclass(frozen=True)
class DataProblems:
    """What ``surveytui check`` finds, per paper id, to show on the paper."""

    by_paper: Mapping[str, list[str]]


@dataclass(frozen=True)
class MetaChanged:
    """The metadata store was read or gained records: redraw authors and abstracts."""

    notices: tuple[str, ...] = ()


Event = Notice | ShowLink | CopyText | StateChanged | RecallFilter | DataProblems | MetaChanged


@dataclass(frozen=True)
class LinkPolicy:
    """How links leave the app: the environment and platform decide, ``opener`` (tests)
    stands in for the system browser."""

    env: Mapping[str, str]
    platform: str
    opener: Callable[[str], bool] | None = None
    #: The config's ``open_links``: "browser", "show" or a command (None: decide by
    #: the environment). ``SURVEYTUI_OPEN`` in the environment still wins.
    mode: str | None = None

    @classmethod
    def from_system(cls, opener: Callable[[str], bool] | None = None) -> LinkPolicy:
        return cls(dict(os.environ), sys.platform, opener)


class ReadingService:
    """What the browser's keys do to the world, with the outcome reported as events."""

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        links: LinkPolicy,
        *,
        run_background: Callable[[Callable[[], None]], None],
        report: Callable[[Event], None],
        meta: MetaStore | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.links = links
        self.meta = meta if meta is not None else MetaStore(_meta_path(catalog))
        # One fetch at a time, through clients kept for the session: their pacing (one
        # arXiv request every 3 s) then holds however fast the reader presses the key.
        self._fetch_lock = threading.Lock()
        self._clients: tuple[ArxivClient, OpenAlexClient] | None = None
        self._background = run_background
        self._report = report
        self.last_export: Path | None = None  # folder and format for the next export

    # ------------------------------------------------------------------ links

    @staticmethod
    def _url(paper: Paper, kind: LinkKind) -> str | None:
        return paper.paper_url if kind == "paper" else paper.code_url

    def open_link(self, paper: Paper, kind: LinkKind) -> None:
        """Browser when there is a display, else show + copy the URL (never a console browser)."""
        url = self._url(paper, kind)
        if not url:
            self._report(Notice(f"This paper has no {kind} link.", "warning"))
            return
        self.open_url(url, f"{kind} link")

    def open_url(self, url: str, what: str) -> None:
        """Open ``url`` (a paper's link, the survey's own pages) by the link policy."""
        if not is_safe_url(url):
            # The URL goes on the link line (plain, not a hyperlink), never into a toast.
            self._report(Notice(f"Refusing to open an unsafe {what}.", "error"))
            self._report(ShowLink(f"Unsafe {what}, not opened:", url, copy=False))
            return
        env, platform, opener = self.links.env, self.links.platform, self.links.opener
        mode = self.links.mode
        if mode in ("browser", "show") and not env.get(OPEN_ENV_VAR, "").strip():
            env = {**env, OPEN_ENV_VAR: mode}
        command = None if mode in (None, "browser", "show") else mode
        if command is None and launch_mode(env, platform) is LaunchMode.SHOW:
            self._report(ShowLink(f"{what[:1].upper()}{what[1:]} copied to clipboard:", url))
            return

        def work() -> None:
            if command is not None and opener is None:
                result = launch_command(command, url)
            else:
                result = launch_browser(url, opener=opener, env=env, platform=platform)
            if result.ok:
                self._report(ShowLink(result.message, url, copy=False))
            else:
                self._report(ShowLink(f"{result.message} Copied instead:", url))

        self._background(work)

    def copy_link(self, paper: Paper, kind: LinkKind) -> None:
        url = self._url(paper, kind)
        if not url:
            self._report(Notice(f"This paper has no {kind} link to copy.", "warning"))
        elif not is_safe_url(url):
            self._report(Notice(f"Not copying an unsafe {kind} link.", "error"))
            self._report(ShowLink(f"Unsafe {kind} link, not copied:", url, copy=False))
        else:
            self._report(CopyText(url, f"Copied {kind} link: {url}"))

    # ------------------------------------------------------------------ state

    def change(self, apply: Callable[[Store], object], *, then: Notice | None = None) -> None:
        """Apply a store change off the event loop; a failed write keeps the change in
        memory (the store retries it with the next one) and says so."""

        def work() -> None:
            try:  # the store serialises changes itself (its own lock and the file lock)
                apply(self.store)
            except StateError as exc:
                text = f"Not saved: {exc}. Kept for this session; retried with your next change."
                self._report(StateChanged(text))
                return
            self._report(StateChanged(None, then))

        self._background(work)

    def toggle_favourite(self, paper: Paper) -> None:
        pid = paper.id
        self.change(lambda s: s.toggle_favourite(pid))

    def toggle_read(self, paper: Paper) -> None:
        pid = paper.id
        self.change(lambda s: s.toggle_read(pid))

    def set_flags(self, papers: list[Paper], field: Literal["fav", "read"], on: bool) -> None:
        """Star or mark read (or clear) several papers: the marked ones."""
        ids = [p.id for p in papers]
        done = {"fav": ("Unstarred", "Starred"), "read": ("Marked unread", "Marked read")}
        said = Notice(f"{done[field][on]} {plural(len(ids), 'marked paper')}.")
        self.change(lambda s: s.set_flags(ids, field, on), then=said)

    def add_tags(self, papers: list[Paper], text: str) -> None:
        """Tags typed for the marked papers are added to each (their other tags stay)."""
        ids, tags = [p.id for p in papers], parse_tag_input(text)
        if not tags:
            return
        shown = " ".join(f"#{t}" for t in tags)
        self.change(
            lambda s: s.add_tags_to(ids, tags),
            then=Notice(f"Added {shown} to {plural(len(ids), 'paper')}."),
        )

    def set_tags(self, paper: Paper, text: str) -> None:
        """Tags as the reader typed them: comma separated, normalised by the store."""
        pid, tags = paper.id, parse_tag_input(text)
        self.change(lambda s: s.set_tags(pid, tags))

    def set_note(self, paper: Paper, text: str) -> None:
        pid = paper.id
        self.change(lambda s: s.set_note(pid, text))

    def save_filter(self, name: str, query: str, scope: str) -> None:
        clean = name.strip()
        if not clean:
            return
        count = len(self.store.saved_filters())
        slot = f" (key {count + 1})" if count < 9 else ""
        self.change(
            lambda s: s.save_filter(clean, query, scope),
            then=Notice(f"Saved filter '{clean}'{slot}."),
        )

    def delete_filter(self, name: str) -> None:
        self.change(lambda s: s.delete_filter(name), then=Notice(f"Deleted saved filter '{name}'."))

    def rename_filter(self, old: str, new: str) -> None:
        """Refused (with a reason) when the new name is empty or already taken."""
        clean = new.strip()
        if not clean or clean == old:
            return
        if any(f.name == clean for f in self.store.saved_filters()):
            self._report(Notice(f"A saved filter named '{clean}' already exists.", "warning"))
            return
        self.change(
            lambda s: s.rename_filter(old, clean),
            then=Notice(f"Renamed saved filter '{old}' to '{clean}'."),
        )

    def saved_filters(self) -> list[SavedFilter]:
        return list(self.store.saved_filters())

    def recall_filter(self, name: str) -> None:
        for saved in self.store.saved_filters():
            if saved.name == name:
                self._report(RecallFilter(name, saved.query, saved.section))
                self._report(Notice(f"Filter '{name}' recalled."))
                return
        self._report(Notice(f"No saved filter named '{name}'.", "warning"))

    def recall_filter_number(self, number: int) -> None:
        saved = self.store.saved_filters()
        if not 1 <= number <= len(saved):
            self._report(Notice(f"No saved filter {number} (press S to save one).", "warning"))
            return
        self.recall_filter(saved[number - 1].name)

    def find_data_problems(self) -> None:
        """Run the catalogue checks off the event loop (rapidfuzz, ~50 ms for the survey)."""
        catalog = self.catalog

        def work() -> None:
            from surveytui.importer.check import findings_by_paper

            self._report(DataProblems(findings_by_paper(catalog)))

        self._background(work)

    # ------------------------------------------------------------------ export

    def default_export_path(self) -> Path:
        """In the folder and format of the last export this session (else here, Markdown)."""
        return default_target(self.last_export)

    def plan_export(self, target_text: str) -> ExportPlan | None:
        """Check the path the reader typed (see ``export_plan``); a refusal is reported."""
        plan = plan_export(target_text)
        if isinstance(plan, str):
            self._report(Notice(plan, "error"))
            return None
        return plan

    def export(self, papers: list[Paper], plan: ExportPlan) -> None:
        """Write ``papers`` as planned (the reader has answered any question already)."""
        target, fmt = plan.target, plan.fmt
        catalog, store, meta = self.catalog, self.store, self.meta

        def work() -> None:
            from surveytui.export import export_papers
            from surveytui.system.atomic import write_text_atomic

            try:
                text = export_papers(catalog, papers, fmt, store, meta)
                write_text_atomic(target, text, private=False)
            except OSError as exc:
                self._report(Notice(f"Export failed: {target}: {exc.strerror or exc}", "error"))
                return
            self.last_export = target
            where = target.resolve()
            self._report(ShowLink(f"Exported {len(papers)} papers ({fmt}) to", str(where), False))

        self._background(work)

    # ------------------------------------------------------------------ metadata

    def load_metadata(self) -> None:
        """Read the metadata file off the event loop (it can be large), then redraw."""
        meta = self.meta

        def work() -> None:
            self._report(MetaChanged(tuple(meta.load())))

        self._background(work)

    def fetch_metadata(self, paper: Paper) -> None:
        """Fetch one paper's authors and abstract now (arXiv or OpenAlex), in the background;
        the outcome is one notice, and a wrong link is recorded just as ``enrich`` does."""
        meta, pid, title = self.meta, paper.id, paper.title
        self._report(Notice(f"Fetching metadata for: {title}"))

        def work() -> None:
            from surveytui.metadata.arxiv import ArxivClient
            from surveytui.metadata.enrich import Enricher
            from surveytui.metadata.http import ServiceError
            from surveytui.metadata.openalex import OpenAlexClient

            try:
                with self._fetch_lock:
                    if self._clients is None:
                        self._clients = (ArxivClient(), OpenAlexClient())
                    report = Enricher(meta, *self._clients).run([paper])
            except (ServiceError, MetaStoreError) as exc:
                self._report(Notice(f"Could not fetch metadata: {exc}", "error", timeout=10))
                return
            self._report(MetaChanged())
            wrong = report.mismatched.get(pid)
            if wrong is not None:
                text = (
                    f"This paper's link points elsewhere: "
                    f"{SOURCE_NAMES.get(wrong.source, wrong.source)} {wrong.identifier} "
                    f"is '{wrong.found_title}'."
                )
                self._report(Notice(text, "warning", timeout=10))
            if pid in report.found:
                self._report(Notice(f"Metadata fetched for: {title}"))
            elif wrong is None:
                self._report(Notice("Neither arXiv nor OpenAlex knows this paper.", "warning"))

        self._background(work)
