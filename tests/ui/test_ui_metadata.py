"""Authors and abstracts in the browser: shown once read, fetched on demand, never blocking.

The fetch key talks to arXiv served by pytest-httpserver on 127.0.0.1
(``SURVEYTUI_ARXIV_API``); nothing here reaches the internet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from surveytui.metadata.store import MetaStore, metadata_path
from surveytui.model.meta import LinkMismatch, PaperMeta
from tests.ui_helpers import FIXTURE, build_app, notices, wait_until

ATOM = (
    Path(__file__).resolve().parents[1] / "fixtures" / "metadata" / "arxiv_batch.xml"
).read_bytes()
GPTQ = "gptq-accurate-post-training-quantization"
AWQ = "awq-activation-aware-weight-quantization"
SIX = ("Ji Lin", "Jiaming Tang", "Haotian Tang", "Shang Yang", "Xingyu Dang", "Song Han")


def _store() -> MetaStore:
    return MetaStore(metadata_path(FIXTURE))


@pytest.fixture
def stored() -> None:
    _store().update(
        {
            AWQ: PaperMeta(
                source="arxiv",
                title="AWQ",
                authors=SIX,
                abstract="Large language models have shown excellent performance on various tasks.",
                arxiv_id="2306.00978",
                primary_class="cs.CL",
            )
        },
        {GPTQ: LinkMismatch("arxiv", "2210.17323", "Some Other Paper Entirely")},
    )


def _select(app, paper_id: str) -> None:  # type: ignore[no-untyped-def]
    table = app.main.table
    table.move_cursor(next(i for i, p in enumerate(table.rows) if p.id == paper_id))


async def test_detail_shows_authors_abstract_and_a_wrong_link(tmp_path: Path, stored: None) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.main.service.meta.loaded, "metadata read")
        _select(app, AWQ)
        await wait_until(pilot, lambda: "Ji Lin" in app.main.detail.text, "authors shown")
        text = app.main.detail.text
        assert "Ji Lin, Jiaming Tang, Haotian Tang +3 more" in text
        assert "Large language models have shown excellent performance" in text
        assert "arXiv:2306.00978 [cs.CL]" in text
        _select(app, GPTQ)
        await wait_until(pilot, lambda: "Link points elsewhere" in app.main.detail.text)
        assert "2210.17323 is “Some Other Paper Entirely”" in app.main.detail.text


async def test_without_metadata_the_pane_says_how_to_fetch(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.main.complete)
        assert "Abstract:\nnot fetched yet: press a to fetch it" in app.main.detail.text


@pytest.fixture
def slow_arxiv(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[threading.Event]:
    release = threading.Event()

    def answer(_request: Request) -> Response:
        release.wait(20)
        return Response(ATOM, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    monkeypatch.setenv("SURVEYTUI_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("SURVEYTUI_ARXIV_INTERVAL", "0")
    yield release
    release.set()


async def test_the_fetch_key_works_in_a_worker_and_keys_keep_working(
    tmp_path: Path, slow_arxiv: threading.Event
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.main.complete)
        _select(app, GPTQ)
        await pilot.press("a")
        await wait_until(pilot, lambda: any("Fetching metadata" in n for n in notices(app)))
        # The answer is held back: the reader can still move while it is on its way.
        before = app.main.table.cursor
        await pilot.press("j")
        assert app.main.table.cursor == before + 1
        await pilot.press("k")
        slow_arxiv.set()
        await wait_until(
            pilot, lambda: "Elias Frantar" in app.main.detail.text, "fetched authors shown"
        )
        assert "Generative Pre-trained Transformer models" in app.main.detail.text
        assert _store().meta(GPTQ) is not None  # kept on disk for the next, offline, start


async def test_a_fetch_while_offline_says_which_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("SURVEYTUI_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    app = build_app(tmp_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.main.complete)
        _select(app, GPTQ)
        await pilot.press("a")
        await wait_until(pilot, lambda: any("arXiv API: cannot connect" in n for n in notices(app)))


async def test_a_wide_table_shows_the_first_author(tmp_path: Path, stored: None) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_until(pilot, lambda: app.main.service.meta.loaded, "metadata read")
        await pilot.press("d")  # hide the detail pane: the table takes the width
        await wait_until(pilot, lambda: "First author" in app.main.table.render_line(0).text)
        row = next(i for i, p in enumerate(app.main.table.rows) if p.id == AWQ)
        await wait_until(pilot, lambda: "Lin et al." in app.main.table.render_line(row + 1).text)


async def test_author_filter_in_the_browser(tmp_path: Path, stored: None) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.main.complete)
        await pilot.press("slash", *"author:jiaming", "enter")
        await wait_until(pilot, lambda: [p.id for p in app.main.table.rows] == [AWQ])


@pytest.mark.parametrize("value", ["not a url", "file:///etc/passwd", "ftp://example.org/api"])
async def test_a_malformed_endpoint_is_an_error_toast_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SURVEYTUI_ARXIV_API", value)
    app = build_app(tmp_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.main.complete)
        _select(app, GPTQ)
        await pilot.press("a")
        line = f"SURVEYTUI_ARXIV_API={value!r} is not an http(s) URL with a host"
        await wait_until(pilot, lambda: any(line in n for n in notices(app)), "error toast")
