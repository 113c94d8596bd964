"""``surveytui enrich`` as a user runs it, against both services served on 127.0.0.1.

The endpoints come from ``SURVEYTUI_ARXIV_API`` / ``SURVEYTUI_OPENALEX_API``;
the pacing variables are set to zero so the run does not wait three seconds
between arXiv requests. Nothing here reaches the internet.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from surveytui.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metadata"
CATALOG = FIXTURES / "catalog.toml"
ATOM = (FIXTURES / "arxiv_batch.xml").read_bytes()
WORK = (FIXTURES / "openalex_work.json").read_text()
SEARCH = (FIXTURES / "openalex_search.json").read_text()
NO_RESULTS = '{"meta": {"count": 0}, "results": []}'


def _search(request: Request) -> Response:
    if "zero infinity" in request.args.get("filter", ""):
        return Response(SEARCH, content_type="application/json")
    return Response(NO_RESULTS, content_type="application/json")


@pytest.fixture
def services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    httpserver.expect_request("/api/query").respond_with_data(ATOM)
    httpserver.expect_request("/works/doi:10.5555/3618408.3619696").respond_with_data(WORK)
    httpserver.expect_request("/works").respond_with_handler(_search)
    monkeypatch.setenv("SURVEYTUI_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("SURVEYTUI_OPENALEX_API", httpserver.url_for(""))
    monkeypatch.setenv("SURVEYTUI_ARXIV_INTERVAL", "0")
    monkeypatch.setenv("SURVEYTUI_OPENALEX_INTERVAL", "0")
    return httpserver


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data", str(CATALOG), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _records(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    code, out, _ = _run(capsys, "list", "--format", "json")
    assert code == 0
    return {r["id"]: r for r in json.loads(out)}


def test_enrich_then_list_shows_authors_abstract_and_ids(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "enrich")
    assert code == 0 and out == ""  # stdout carries data only
    assert "[" in err and "6/6" in err and "ETA" in err  # the progress line
    assert "4 papers found, 2 not found, 1 wrong link" in err
    assert "dinov2: link points to a different paper" in err
    records = _records(capsys)
    gptq = records["gptq"]
    assert gptq["authors"] == ["Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler",
                               "Dan Alistarh"]  # fmt: skip
    assert str(gptq["abstract"]).startswith("Generative Pre-trained Transformer")
    assert (gptq["arxiv_id"], gptq["doi"], gptq["published"]) == ("2210.17323", None,
                                                                  "2022-10-31")  # fmt: skip
    assert records["flexgen"]["doi"] == "10.5555/3618408.3619696"
    unknown = records["unknown-paper"]
    assert (unknown["authors"], unknown["abstract"], unknown["doi"]) == ([], None, None)


def test_json_has_the_metadata_keys_before_any_enrich(capsys: pytest.CaptureFixture[str]) -> None:
    record = _records(capsys)["gptq"]
    assert record["authors"] == [] and record["abstract"] is None
    assert {"arxiv_id", "doi", "published"} <= set(record)


def test_a_rerun_has_nothing_left_but_the_unknown(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "enrich")[0] == 0
    services.clear_log()
    code, _, err = _run(capsys, "enrich")
    assert code == 0
    assert not [r for r, _ in services.log if r.path == "/api/query" and
                "2210.17323" in r.args["id_list"]]  # fmt: skip
    assert "0 papers found" in err


def test_check_reports_the_wrong_link_from_then_on(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "enrich")
    code, out, _ = _run(capsys, "check")
    assert code == 0
    (line,) = [x for x in out.splitlines() if "dinov2" in x and "different paper" in x]
    assert "links to a different paper: 2005.12872 is 'End-to-End Object Detection" in line


def test_enrich_query_selects_papers(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "enrich", "venue:icml")
    assert code == 0 and "1 paper found" in err
    assert [r.path for r, _ in services.log] == ["/works/doi:10.5555/3618408.3619696"]


def test_a_bad_query_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "enrich", "yaer:2020")
    assert code == 2 and "unknown filter token" in err


def test_offline_is_one_line_naming_the_service_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("SURVEYTUI_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    monkeypatch.setenv("SURVEYTUI_ARXIV_INTERVAL", "0")
    code, out, err = _run(capsys, "enrich")
    assert code == 1 and out == ""
    messages = [x for x in err.splitlines() if x.startswith("surveytui:")]
    assert len(messages) == 1
    assert messages[0].startswith("surveytui: error: arXiv API: cannot connect")
    assert "Traceback" not in err


def test_service_down_keeps_what_an_earlier_run_stored(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "enrich")
    services.clear()
    services.expect_request("/api/query").respond_with_data(
        "<!DOCTYPE html><html><body>503 Service Unavailable</body></html>", status=503
    )
    code, _, err = _run(capsys, "enrich", "--refresh")
    assert code == 1 and "arXiv API: HTTP 503" in err
    assert _records(capsys)["gptq"]["authors"][0] == "Elias Frantar"


def test_export_bibtex_cites_with_authors_and_eprints(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "enrich")
    code, out, _ = _run(capsys, "export", "--format", "bibtex")
    assert code == 0
    lib = bibtexparser.parse_string(out)  # type: ignore[attr-defined]
    entries = {e.key: e for e in lib.entries}
    gptq = entries["frantar2023gptq"]
    assert gptq.fields_dict["author"].value == (
        "Frantar, Elias and Ashkboos, Saleh and Hoefler, Torsten and Alistarh, Dan"
    )
    assert gptq.fields_dict["eprint"].value == "2210.17323"
    assert gptq.fields_dict["archivePrefix"].value == "arXiv"
    assert gptq.fields_dict["primaryClass"].value == "cs.LG"
    assert entries["sheng2023flexgen"].fields_dict["doi"].value == "10.5555/3618408.3619696"


def test_metadata_moves_to_another_machine(
    services: HTTPServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _run(capsys, "enrich")
    moved = tmp_path / "metadata.json"
    assert _run(capsys, "metadata", "export", str(moved))[0] == 0
    monkeypatch.setenv("SURVEYTUI_DATA_DIR", str(tmp_path / "other-machine"))
    assert _records(capsys)["gptq"]["authors"] == []
    code, _, err = _run(capsys, "metadata", "import", str(moved))
    assert code == 0 and "imported 4 records" in err
    assert _records(capsys)["gptq"]["authors"][0] == "Elias Frantar"


def test_author_query_on_the_command_line(
    services: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "enrich")
    code, out, _ = _run(capsys, "search", "author:alistarh", "--format", "json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["gptq"]


def test_ctrl_c_keeps_what_was_fetched_and_a_rerun_resumes(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """A real SIGINT to a real process, while OpenAlex holds its answer back."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    from surveytui.metadata.store import MetaStore

    release, arrived = threading.Event(), threading.Event()

    def held(_request: Request) -> Response:
        arrived.set()
        release.wait(30)
        return Response(WORK, content_type="application/json")

    httpserver.expect_request("/api/query").respond_with_data(ATOM)
    httpserver.expect_request("/works/doi:10.5555/3618408.3619696").respond_with_handler(held)
    httpserver.expect_request("/works").respond_with_handler(_search)
    meta_file = tmp_path / "meta.json"
    env = {
        **os.environ,
        "SURVEYTUI_ARXIV_API": httpserver.url_for("/api/query"),
        "SURVEYTUI_OPENALEX_API": httpserver.url_for(""),
        "SURVEYTUI_ARXIV_INTERVAL": "0",
        "SURVEYTUI_OPENALEX_INTERVAL": "0",
        "SURVEYTUI_METADATA": str(meta_file),
    }
    command = [sys.executable, "-m", "surveytui", "--data", str(CATALOG), "enrich"]
    try:
        with subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as child:
            # arXiv's batch is stored before OpenAlex is asked; then the process waits.
            assert arrived.wait(30), "enrich never reached OpenAlex"
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=30)
    finally:
        release.set()
    assert child.returncode == 130, err
    assert out == "" and "Traceback" not in err
    assert "interrupted: kept 2 records" in err
    kept = MetaStore(meta_file)
    assert kept.meta("gptq") is not None and kept.meta("llm-int8") is not None
    assert kept.mismatch("dinov2") is not None
    httpserver.clear_log()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    ids = [r.args.get("id_list", "") for r, _ in httpserver.log if r.path == "/api/query"]
    assert ids == ["2005.12872"]  # only DINOv2 (its link is wrong) is asked again
    assert MetaStore(meta_file).meta("flexgen") is not None


@pytest.mark.parametrize("variable", ["SURVEYTUI_ARXIV_API", "SURVEYTUI_OPENALEX_API"])
@pytest.mark.parametrize("value", ["not a url", "file:///etc/passwd", "ftp://example.org/x"])
def test_a_malformed_endpoint_is_one_line_naming_the_variable(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable, value)
    code = main(["enrich"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and f"{variable}={value!r}" in err and "Traceback" not in err


SMALL_CATALOG = Path(__file__).resolve().parents[1] / "fixtures" / "cli_catalog.toml"


def _metadata_file(path: Path, ids: list[str], extra_lines: tuple[str, ...] = ()) -> Path:
    record = {"source": "arxiv", "title": "T", "authors": ["A B"], "arxiv_id": "2210.17323"}
    lines = [json.dumps({"format": "surveytui-metadata", "version": 1})]
    lines += [json.dumps({"id": pid, "record": record}) for pid in ids]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", "utf-8")
    return path


def test_metadata_import_for_another_catalogue_says_nothing_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = _metadata_file(tmp_path / "other.json", ["elsewhere-1", "elsewhere-2"])
    code = main(["--data", str(SMALL_CATALOG), "metadata", "import", str(other)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"surveytui: {other}: 0 of 2 entries match papers of this catalogue; nothing imported\n"
    )


def test_metadata_import_keeps_good_records_and_counts_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = _metadata_file(tmp_path / "moved.json", ["gptq", "elsewhere"], ("not json",))
    code = main(["--data", str(SMALL_CATALOG), "metadata", "import", str(moved)])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("\n") == 1
    assert "1 of 2 entries match" in err and "skipped 1 bad line" in err
    code = main(["--data", str(SMALL_CATALOG), "export", "--format", "json", "gptq"])
    assert code == 0 and '"A B"' in capsys.readouterr().out


def test_enrich_with_a_query_matching_nothing_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data", str(SMALL_CATALOG), "enrich", "zzzqqq-no-such-word"])
    assert code == 0
    assert capsys.readouterr().err == (
        "surveytui: no paper matches 'zzzqqq-no-such-word'; nothing to fetch\n"
    )


def test_nothing_to_fetch_agrees_in_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = _metadata_file(tmp_path / "moved.json", ["gptq"])
    assert main(["--data", str(SMALL_CATALOG), "metadata", "import", str(moved)]) == 0
    capsys.readouterr()
    assert main(["--data", str(SMALL_CATALOG), "enrich", "GPTQ"]) == 0
    err = capsys.readouterr().err
    assert "nothing to fetch: 1 paper already has metadata" in err
