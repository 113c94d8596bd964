"""The arXiv and OpenAlex clients against answers in each service's real format.

Every answer comes from pytest-httpserver on 127.0.0.1; nothing here reaches
the internet. Bad answers (malformed, HTML error pages, 429, timeouts, huge
bodies, records without a title) must become one ServiceError line naming the
service, never a traceback and never a half-parsed result.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from surveytui.metadata.arxiv import ArxivClient, parse_feed
from surveytui.metadata.arxiv import endpoint as arxiv_endpoint
from surveytui.metadata.http import USER_AGENT, EndpointError, HttpClient, ServiceError
from surveytui.metadata.openalex import OpenAlexClient, doi_from_url
from surveytui.metadata.openalex import endpoint as openalex_endpoint
from surveytui.model.meta import arxiv_id_from_url

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metadata"
ATOM = (FIXTURES / "arxiv_batch.xml").read_bytes()
WORK = (FIXTURES / "openalex_work.json").read_text()
SEARCH = (FIXTURES / "openalex_search.json").read_text()
EMPTY_FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>\n'
)


class FakeTime:
    """Clock and sleep for HttpClient: records every wait instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def _http(service: str, fake: FakeTime, **kw: Any) -> HttpClient:
    return HttpClient(
        service, sleep=fake.sleep, clock=fake.clock, wall=lambda: 0.0, timeout=5.0, **kw
    )


def _arxiv(server: HTTPServer, fake: FakeTime, **kw: Any) -> ArxivClient:
    kw.setdefault("backoff", 1.0)
    http = _http("arXiv API", fake, interval=3.0, **kw)
    return ArxivClient(http, base=server.url_for("/api/query"))


def _openalex(server: HTTPServer, fake: FakeTime) -> OpenAlexClient:
    return OpenAlexClient(_http("OpenAlex API", fake, backoff=1.0), base=server.url_for(""))


# --------------------------------------------------------------------------- arXiv


def test_arxiv_batch_gives_authors_in_order_abstract_and_versionless_ids(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request(
        "/api/query",
        query_string={"id_list": "2210.17323,2208.07339,2005.12872", "max_results": "3"},
    ).respond_with_data(ATOM, content_type="application/atom+xml")
    records = _arxiv(httpserver, FakeTime()).fetch(["2210.17323", "2208.07339", "2005.12872"])
    gptq = records["2210.17323"]
    assert gptq.authors == ("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh")
    assert gptq.title.startswith("GPTQ: Accurate Post-Training Quantization for Generative")
    assert "  " not in gptq.title  # the feed's line break inside the title is folded
    assert gptq.abstract and gptq.abstract.startswith("Generative Pre-trained Transformer")
    assert (gptq.arxiv_id, gptq.published, gptq.primary_class) == (
        "2210.17323",
        "2022-10-31",
        "cs.LG",
    )
    assert set(records) == {"2210.17323", "2208.07339", "2005.12872"}


def test_arxiv_requests_carry_a_user_agent_naming_surveytui_and_its_url(
    httpserver: HTTPServer,
) -> None:
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent", ""))
        return Response(EMPTY_FEED, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(handler)
    _arxiv(httpserver, FakeTime()).fetch(["2210.17323"])
    assert seen == [USER_AGENT]
    assert "surveytui/" in USER_AGENT and "https://" in USER_AGENT


def test_arxiv_keeps_three_seconds_between_requests(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data(EMPTY_FEED)
    fake = FakeTime()
    client = _arxiv(httpserver, fake)
    for _ in range(3):
        client.fetch(["2210.17323"])
    assert fake.sleeps == [3.0, 3.0]


def test_arxiv_retries_429_waiting_what_retry_after_asks(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/query").respond_with_data(
        "Rate exceeded.", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/api/query").respond_with_data(ATOM)
    fake = FakeTime()
    records = _arxiv(httpserver, fake).fetch(["2210.17323"])
    assert "2210.17323" in records
    assert 7.0 in fake.sleeps


def test_arxiv_backs_off_on_5xx_then_names_the_service(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data("busy", status=503)
    fake = FakeTime()
    with pytest.raises(ServiceError) as err:
        _arxiv(httpserver, fake, retries=3, backoff=5.0).fetch(["2210.17323"])
    assert str(err.value) == "arXiv API: HTTP 503 after 4 tries"
    assert fake.sleeps == [5.0, 10.0, 20.0]  # growing waits, never under arXiv's 3 s


def test_a_retry_after_beyond_reason_gives_up_with_a_message(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data(
        "", status=429, headers={"Retry-After": "86400"}
    )
    with pytest.raises(ServiceError, match="asked to wait 86400 s"):
        _arxiv(httpserver, FakeTime()).fetch(["2210.17323"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "malformed Atom answer"),
        (b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", "web page"),
        (b"<html><head><title>502</title></head></html>", "web page"),
        (b'<?xml version="1.0"?><rss version="2.0"></rss>', "not an Atom feed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom">&a;</feed>',
            "document type",
        ),
        (b"", "malformed Atom answer"),
    ],
)
def test_arxiv_bad_answers_are_one_clear_error(
    httpserver: HTTPServer, body: bytes, message: str
) -> None:
    httpserver.expect_request("/api/query").respond_with_data(body)
    with pytest.raises(ServiceError, match=message) as err:
        _arxiv(httpserver, FakeTime()).fetch(["2210.17323"])
    assert str(err.value).startswith("arXiv API: ")


def test_arxiv_error_entry_is_reported() -> None:
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b"<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>"
        b"<title>Error</title><summary>incorrect id format for 1234</summary>"
        b"</entry></feed>"
    )
    with pytest.raises(ServiceError, match="incorrect id format for 1234"):
        parse_feed(feed)


def test_an_entry_with_no_title_is_no_record() -> None:
    feed = ATOM.replace(
        b"<title>LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale</title>",
        b"<title></title>",
    )
    records = parse_feed(feed)
    assert "2208.07339" not in records
    assert "2210.17323" in records


def test_a_50_mb_answer_is_refused(httpserver: HTTPServer) -> None:
    big = b"<feed>" + b" " * 50_000_000 + b"</feed>"
    httpserver.expect_request("/api/query").respond_with_data(big)
    with pytest.raises(ServiceError, match="refused"):
        _arxiv(httpserver, FakeTime()).fetch(["2210.17323"])


def test_a_huge_answer_without_length_is_cut_off(httpserver: HTTPServer) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(2_000):
            yield b" " * 10_000

    httpserver.expect_request("/api/query").respond_with_response(
        Response(chunks(), content_type="application/atom+xml")
    )
    fake = FakeTime()
    client = ArxivClient(
        _http("arXiv API", fake, max_bytes=1_000_000), base=httpserver.url_for("/api/query")
    )
    with pytest.raises(ServiceError, match="larger than 1 MB refused"):
        client.fetch(["2210.17323"])


@pytest.fixture
def stalled_server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    release = threading.Event()

    def stall(_request: Request) -> Response:
        release.wait(10)
        return Response(EMPTY_FEED)

    httpserver.expect_request("/api/query").respond_with_handler(stall)
    yield httpserver
    release.set()


def test_a_timeout_names_the_service(stalled_server: HTTPServer) -> None:
    http = HttpClient("arXiv API", timeout=0.2, retries=0)
    client = ArxivClient(http, base=stalled_server.url_for("/api/query"))
    with pytest.raises(ServiceError, match=r"^arXiv API: no answer within 0.2 s$"):
        client.fetch(["2210.17323"])


def test_offline_is_one_line_naming_the_service() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = ArxivClient(HttpClient("arXiv API"), base=f"http://127.0.0.1:{port}/api/query")
    with pytest.raises(ServiceError, match=r"^arXiv API: cannot connect \(.*\); offline\?$"):
        client.fetch(["2210.17323"])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2210.17323", "2210.17323"),
        ("https://arxiv.org/pdf/2208.07339v2.pdf", "2208.07339"),
        ("http://export.arxiv.org/abs/2401.08092v3", "2401.08092"),
        ("https://ar5iv.labs.arxiv.org/html/2309.10400", "2309.10400"),
        ("https://ar5iv.org/abs/2006.11477", "2006.11477"),
        ("https://arxiv.org/abs/cs/0112017", "cs/0112017"),
        ("https://github.com/IST-DASLab/gptq", None),
        (None, None),
    ],
)
def test_arxiv_ids_from_links(url: str | None, expected: str | None) -> None:
    assert arxiv_id_from_url(url) == expected


# --------------------------------------------------------------------------- OpenAlex


def test_openalex_by_doi_rebuilds_the_abstract_and_keeps_author_order(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/works/doi:10.5555/3618408.3619696").respond_with_data(
        WORK, content_type="application/json"
    )
    meta = _openalex(httpserver, FakeTime()).by_doi("10.5555/3618408.3619696")
    assert meta is not None
    assert meta.authors == ("Ying Sheng", "Lianmin Zheng", "Ce Zhang")
    assert meta.abstract == (
        "The high computational and memory requirements of large language model inference "
        "make it feasible only with multiple GPUs."
    )
    assert (meta.doi, meta.arxiv_id, meta.published) == (
        "10.5555/3618408.3619696",
        "2303.06865",
        "2023-07-23",
    )
    assert (meta.venue, meta.venue_kind) == ("International Conference on Machine Learning",
                                             "conference")  # fmt: skip


def test_openalex_unknown_doi_is_no_record(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/works/doi:10.1/none").respond_with_json(
        {"error": "Not Found", "message": "not found"}, status=404
    )
    assert _openalex(httpserver, FakeTime()).by_doi("10.1/none") is None


def test_openalex_title_search_sends_normalised_words(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/works").respond_with_data(SEARCH)
    found = _openalex(httpserver, FakeTime()).by_title(
        "ZeRO-Infinity: Breaking the GPU Memory Wall for Extreme Scale Deep Learning"
    )
    request, _ = httpserver.log[0]
    assert request.args["filter"] == (
        "title.search:zero infinity breaking the gpu memory wall for extreme scale deep learning"
    )
    assert [m.title[:13] for m in found] == ["ZeRO-infinity", "ZeRO: Memory "]
    assert found[0].authors[0] == "Samyam Rajbhandari"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"results": [', "malformed JSON answer"),
        ("<!DOCTYPE html><html><body>Bad Gateway</body></html>", "web page"),
        ('{"meta": {}}', "no 'results' list"),
        ('"just a string"', "no 'results' list"),
    ],
)
def test_openalex_bad_answers_are_one_clear_error(
    httpserver: HTTPServer, body: str, message: str
) -> None:
    httpserver.expect_request("/works").respond_with_data(body)
    with pytest.raises(ServiceError, match=message) as err:
        _openalex(httpserver, FakeTime()).by_title("Some Title")
    assert str(err.value).startswith("OpenAlex API: ")


def test_openalex_work_without_title_is_no_record(httpserver: HTTPServer) -> None:
    work = json.loads(WORK)
    work["title"] = None
    work["display_name"] = ""
    httpserver.expect_request("/works/doi:10.5555/x").respond_with_json(work)
    assert _openalex(httpserver, FakeTime()).by_doi("10.5555/x") is None


def test_openalex_title_html_is_reduced_to_words(httpserver: HTTPServer) -> None:
    work = json.loads(WORK)
    work["title"] = "<i>FlexGen</i>: High-Throughput &amp; More"
    httpserver.expect_request("/works/doi:10.5555/x").respond_with_json(work)
    meta = _openalex(httpserver, FakeTime()).by_doi("10.5555/x")
    assert meta is not None and meta.title == "FlexGen: High-Throughput & More"


@pytest.mark.parametrize(
    ("url", "doi"),
    [
        ("https://dl.acm.org/doi/pdf/10.1145/3543507.3583417", "10.1145/3543507.3583417"),
        ("https://dl.acm.org/doi/abs/10.1145/3579371.3589038", "10.1145/3579371.3589038"),
        ("https://aclanthology.org/2022.acl-long.577.pdf", "10.18653/v1/2022.acl-long.577"),
        ("https://aclanthology.org/2023.findings-acl.507/", "10.18653/v1/2023.findings-acl.507"),
        ("https://doi.org/10.1038/s41586-021-03819-2", "10.1038/s41586-021-03819-2"),
        ("https://ieeexplore.ieee.org/document/9407232", None),
        ("https://proceedings.mlr.press/v202/sheng23a.html", None),
        (None, None),
    ],
)
def test_dois_from_links(url: str | None, doi: str | None) -> None:
    assert doi_from_url(url) == doi


def test_openalex_429_waits_as_asked_then_answers(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/works/doi:10.5555/3618408.3619696").respond_with_json(
        {"error": "Too Many Requests"}, status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/works/doi:10.5555/3618408.3619696").respond_with_data(
        WORK, content_type="application/json"
    )
    fake = FakeTime()
    meta = _openalex(httpserver, fake).by_doi("10.5555/3618408.3619696")
    assert meta is not None and meta.authors[0] == "Ying Sheng"
    assert fake.sleeps == [2.0]


def test_openalex_huge_answer_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/works").respond_with_data(b"[" + b" " * 50_000_000 + b"]")
    with pytest.raises(ServiceError, match=r"^OpenAlex API: answer of 50 MB refused"):
        _openalex(httpserver, FakeTime()).by_title("Some Title")


_SERVICES = (
    (arxiv_endpoint, "SURVEYTUI_ARXIV_API"),
    (openalex_endpoint, "SURVEYTUI_OPENALEX_API"),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1
    ).filter(lambda v: not v.lower().startswith(("http://", "https://"))),
    which=st.sampled_from(_SERVICES),
)
def test_an_endpoint_that_is_not_http_is_refused_naming_its_variable(
    value: str, which: tuple[Callable[[], str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read, variable = which
    monkeypatch.setenv(variable, value)
    with pytest.raises(EndpointError) as caught:
        read()
    assert f"{variable}={value!r}" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "value", ["http://", "https:///path", "http://:80/x", " http://example.org", "h\ttp://e.org"]
)
def test_an_http_endpoint_without_a_host_is_refused(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEYTUI_ARXIV_API", value)
    with pytest.raises(EndpointError):
        arxiv_endpoint()


def test_an_http_endpoint_with_a_host_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEYTUI_OPENALEX_API", "http://127.0.0.1:8080/api/")
    assert openalex_endpoint() == "http://127.0.0.1:8080/api"


def test_a_refused_size_reads_like_a_person_wrote_it(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data(b" " * 12_000_000)
    client = ArxivClient(
        _http("arXiv API", FakeTime(), max_bytes=11_534_336), base=httpserver.url_for("/api/query")
    )
    with pytest.raises(ServiceError, match=r"answer of 12 MB refused \(limit 11\.5 MB\)$"):
        client.fetch(["2210.17323"])


@given(st.integers(1_000_000, 10**13))
def test_sizes_in_messages_have_at_most_one_decimal(size: int) -> None:
    from surveytui.metadata.http import _mb

    text = _mb(size)
    assert re.fullmatch(r"\d+(\.\d)? MB", text), text
    assert abs(float(text.removesuffix(" MB")) - size / 1_000_000) <= 0.05 + 1e-9
