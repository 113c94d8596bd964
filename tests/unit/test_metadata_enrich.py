"""An enrich run: what it attaches, what it refuses, and what it keeps when it stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from surveytui.metadata.arxiv import ArxivClient
from surveytui.metadata.enrich import Enricher, Progress, needs_fetch
from surveytui.metadata.http import HttpClient, ServiceError
from surveytui.metadata.openalex import OpenAlexClient
from surveytui.metadata.store import MetaStore
from surveytui.model.catalog import Catalog, load_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metadata"
ATOM = (FIXTURES / "arxiv_batch.xml").read_bytes()
WORK = (FIXTURES / "openalex_work.json").read_text()
SEARCH = (FIXTURES / "openalex_search.json").read_text()
NO_RESULTS = '{"meta": {"count": 0}, "results": []}'


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog(FIXTURES / "catalog.toml")


def _search(request: Request) -> Response:
    """OpenAlex's title search: this fixture knows only ZeRO-Infinity."""
    if "zero infinity" in request.args.get("filter", ""):
        return Response(SEARCH, content_type="application/json")
    return Response(NO_RESULTS, content_type="application/json")


def _serve_all(server: HTTPServer) -> None:
    server.expect_request("/api/query").respond_with_data(ATOM)
    server.expect_request("/works/doi:10.5555/3618408.3619696").respond_with_data(WORK)
    server.expect_request("/works").respond_with_handler(_search)


def _enricher(server: HTTPServer, store: MetaStore, **kw: object) -> Enricher:
    arxiv = ArxivClient(HttpClient("arXiv API", retries=0), base=server.url_for("/api/query"))
    openalex = OpenAlexClient(HttpClient("OpenAlex API", retries=0), base=server.url_for(""))
    return Enricher(store, arxiv, openalex, **kw)  # type: ignore[arg-type]


def test_a_run_attaches_what_agrees_and_reports_a_wrong_link(
    httpserver: HTTPServer, catalog: Catalog, tmp_path: Path
) -> None:
    _serve_all(httpserver)
    store = MetaStore(tmp_path / "meta.json")
    report = _enricher(httpserver, store).run(catalog.papers)
    stored = MetaStore(tmp_path / "meta.json")
    gptq, flexgen = stored.meta("gptq"), stored.meta("flexgen")
    assert gptq is not None and gptq.authors[0] == "Elias Frantar"
    assert flexgen is not None and flexgen.doi == "10.5555/3618408.3619696"
    zero = stored.meta("zero-infinity")
    assert zero is not None and zero.authors[0] == "Samyam Rajbhandari"  # found by its title
    # DINOv2's link leads to DETR: DETR's authors are not attached to DINOv2.
    assert stored.meta("dinov2") is None
    mismatch = stored.mismatch("dinov2")
    assert mismatch is not None and mismatch.identifier == "2005.12872"
    assert mismatch.found_title == "End-to-End Object Detection with Transformers"
    assert set(report.not_found) == {"dinov2", "unknown-paper"}
    # arXiv was asked once, for all three ids.
    arxiv_calls = [r for r, _ in httpserver.log if r.path == "/api/query"]
    assert len(arxiv_calls) == 1
    assert arxiv_calls[0].args["id_list"] == "2210.17323,2208.07339,2005.12872"


def test_a_title_search_never_accepts_a_different_title(
    httpserver: HTTPServer, catalog: Catalog, tmp_path: Path
) -> None:
    httpserver.expect_request("/works").respond_with_data(SEARCH)  # ZeRO-Infinity and ZeRO
    store = MetaStore(tmp_path / "meta.json")
    unknown = catalog.by_id["unknown-paper"]
    report = _enricher(httpserver, store).run([unknown])
    assert report.not_found == ["unknown-paper"] and store.meta("unknown-paper") is None


def test_a_rerun_fetches_only_what_is_missing(
    httpserver: HTTPServer, catalog: Catalog, tmp_path: Path
) -> None:
    _serve_all(httpserver)
    store = MetaStore(tmp_path / "meta.json")
    _enricher(httpserver, store).run(catalog.papers)
    left = needs_fetch(catalog.papers, MetaStore(tmp_path / "meta.json"), refresh=False)
    assert [p.id for p in left] == ["dinov2", "unknown-paper"]
    assert len(needs_fetch(catalog.papers, store, refresh=True)) == len(catalog.papers)


def test_interrupting_keeps_every_record_fetched(
    httpserver: HTTPServer, catalog: Catalog, tmp_path: Path
) -> None:
    _serve_all(httpserver)
    store = MetaStore(tmp_path / "meta.json")

    def interrupt_after_arxiv(progress: Progress) -> None:
        if progress.service == "OpenAlex":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _enricher(httpserver, store, on_progress=interrupt_after_arxiv).run(catalog.papers)
    kept = MetaStore(tmp_path / "meta.json")
    assert kept.meta("gptq") is not None and kept.meta("llm-int8") is not None
    assert kept.meta("flexgen") is not None  # the paper being looked up when Ctrl+C came
    assert kept.mismatch("dinov2") is not None


def test_a_failed_run_never_loses_what_an_earlier_run_stored(
    httpserver: HTTPServer, catalog: Catalog, tmp_path: Path
) -> None:
    _serve_all(httpserver)
    path = tmp_path / "meta.json"
    _enricher(httpserver, MetaStore(path)).run(catalog.papers)
    before = path.read_bytes()
    httpserver.clear()
    httpserver.expect_request("/api/query").respond_with_data("<html>down</html>", status=500)
    store = MetaStore(path)
    with pytest.raises(ServiceError, match="arXiv API: HTTP 500"):
        _enricher(httpserver, store, refresh=True).run(catalog.papers)
    assert path.read_bytes() == before


def test_refresh_marks_fetched_authors_as_replacing_the_lists(
    httpserver: HTTPServer, catalog: Catalog, tmp_path: Path
) -> None:
    _serve_all(httpserver)
    store = MetaStore(tmp_path / "meta.json")
    _enricher(httpserver, store, refresh=True).run([catalog.by_id["gptq"]])
    meta = MetaStore(tmp_path / "meta.json").meta("gptq")
    assert meta is not None and meta.replace_authors
