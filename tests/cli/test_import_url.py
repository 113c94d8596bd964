"""``surveytui import URL`` and ``surveytui update``, against a local HTTP server only.

Every answer comes from pytest-httpserver on 127.0.0.1; the GitHub API and
raw-content hosts and the update URL are pointed at it through their
environment variables, so no test reaches the internet.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from surveytui.cli.main import main
from surveytui.export import to_markdown
from surveytui.importer import fetch
from surveytui.model.catalog import load_catalog
from surveytui.system.paths import bundled_catalog, updated_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL_LIST = (FIXTURES / "cli_small_list.md").read_text(encoding="utf-8")
MARKDOWN = "text/markdown; charset=utf-8"


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1") as httpserver:
        yield httpserver


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_raw_markdown_url_imports_and_is_recorded_as_the_source(
    server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/lists/README.md").respond_with_data(SMALL_LIST, content_type=MARKDOWN)
    url = server.url_for("/lists/README.md")
    out = tmp_path / "list.toml"
    code, _, err = run(capsys, "import", url, "-o", str(out))
    assert code == 0, err
    catalog = load_catalog(out)
    assert len(catalog.papers) == 4
    assert catalog.source == url


def test_a_github_repository_url_reads_the_default_branch_readme(
    server: HTTPServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SURVEYTUI_GITHUB_API", server.url_for("/api"))
    monkeypatch.setenv("SURVEYTUI_GITHUB_RAW", server.url_for("/raw"))
    server.expect_request("/api/repos/owner/papers").respond_with_json({"default_branch": "trunk"})
    server.expect_request(
        "/api/repos/owner/papers/readme", query_string="ref=trunk"
    ).respond_with_json({"path": "docs/README.md"})
    server.expect_request("/raw/owner/papers/trunk/docs/README.md").respond_with_data(
        SMALL_LIST, content_type="text/plain; charset=utf-8"
    )
    out = tmp_path / "list.toml"
    code, _, err = run(capsys, "import", "https://github.com/owner/papers", "-o", str(out))
    assert code == 0, err
    catalog = load_catalog(out)
    assert len(catalog.papers) == 4
    assert catalog.source == "https://github.com/owner/papers"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s: s.expect_request("/x.md").respond_with_data("gone", status=404), "HTTP 404"),
        (
            lambda s: s.expect_request("/x.md").respond_with_data(
                "<!doctype html><html><body>a page</body></html>", content_type="text/html"
            ),
            "is an HTML page, not Markdown",
        ),
        (
            lambda s: s.expect_request("/x.md").respond_with_data(b"\x00\x01\x02", status=200),
            "binary data",
        ),
        (
            lambda s: s.expect_request("/x.md").respond_with_data(
                "caf\xe9".encode("latin-1"), content_type="text/plain"
            ),
            "not UTF-8",
        ),
        (
            lambda s: s.expect_request("/x.md").respond_with_data("", content_type="text/plain"),
            "empty",
        ),
        (
            lambda s: s.expect_request("/x.md").respond_with_data(
                "", status=302, headers={"Location": "ftp://127.0.0.1/x.md"}
            ),
            "redirected to a non-http(s) URL",
        ),
        (
            lambda s: s.expect_request("/x.md").respond_with_data("err", status=500),
            "HTTP 500",
        ),
        (
            lambda s: s.expect_request("/x.md").respond_with_data("slow down", status=429),
            "rate-limited (HTTP 429)",
        ),
    ],
)
def test_a_bad_answer_is_one_line_exit_2_and_no_file(
    server: HTTPServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: object,
    message: str,
) -> None:
    assert callable(setup)
    setup(server)
    out = tmp_path / "list.toml"
    code, stdout, err = run(capsys, "import", server.url_for("/x.md"), "-o", str(out))
    assert code == 2
    assert stdout == ""
    assert len(err.splitlines()) == 1 and message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_check_reads_a_list_from_a_url(
    server: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/list.md").respond_with_data(SMALL_LIST, content_type=MARKDOWN)
    url = server.url_for("/list.md")
    code, _, err = run(capsys, "check", url)
    assert code in (0, 1) and err.strip().endswith("warning(s)") and url in err


def test_redirects_between_http_urls_are_followed(
    server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/old.md").respond_with_data(
        "", status=301, headers={"Location": "/new.md"}
    )
    server.expect_request("/new.md").respond_with_data(SMALL_LIST, content_type=MARKDOWN)
    out = tmp_path / "list.toml"
    code, _, err = run(capsys, "import", server.url_for("/old.md"), "-o", str(out))
    assert code == 0, err
    assert len(load_catalog(out).papers) == 4


def test_an_answer_over_the_size_cap_is_not_read(
    server: HTTPServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    server.expect_request("/big.md").respond_with_data(SMALL_LIST * 10, content_type=MARKDOWN)
    code, _, err = run(capsys, "import", server.url_for("/big.md"))
    assert code == 2 and "larger than" in err and len(err.splitlines()) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_offline_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", f"http://127.0.0.1:{_closed_port()}/README.md")
    assert code == 2
    assert len(err.splitlines()) == 1 and "cannot connect (offline?)" in err


def test_a_server_that_never_answers_times_out(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "TIMEOUT", 0.3)
    with socket.socket() as listener:  # accepts connections (the kernel does), never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        code, _, err = run(capsys, "import", f"http://127.0.0.1:{port}/README.md")
    assert code == 2 and "no answer within 0.3 s" in err and len(err.splitlines()) == 1


# --------------------------------------------------------------------------- update


@pytest.fixture
def upstream(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """The bundled survey's list as served upstream, with one paper retitled."""
    shipped = load_catalog(bundled_catalog())
    text = to_markdown(shipped, list(shipped.papers))
    text = text.replace("GPTQ: accurate", "GPTQ v2: accurate", 1)
    server.expect_request("/survey/README.md").respond_with_data(text, content_type=MARKDOWN)
    monkeypatch.setenv("SURVEYTUI_UPDATE_URL", server.url_for("/survey/README.md"))
    return server


def test_update_shows_changes_writes_the_user_copy_and_keeps_stars(
    upstream: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    flash = "flashdecoding-faster-large-language-model-inference-on-gpus"
    assert run(capsys, "fav", "add", flash)[0] == 0
    code, out, err = run(capsys, "update")
    assert code == 0, err
    assert out.splitlines() == [
        "+ GPTQ v2: accurate post-training quantization for generative pre-trained transformers",
        "- GPTQ: accurate post-training quantization for generative pre-trained transformers",
    ]
    assert "1 added, 1 removed, 0 changed" in err
    assert updated_catalog().is_file()
    code, out, _ = run(capsys, "search", "GPTQ v2")
    assert code == 0 and "GPTQ v2" in out  # every command now reads the updated survey
    code, out, _ = run(capsys, "fav", "list", "--format", "json")
    assert flash in out  # same ids, same state file: the star is still there
    code, out, _ = run(capsys, "--data", str(bundled_catalog()), "search", "GPTQ v2")
    assert "GPTQ v2" not in out  # --data still wins


def test_update_dry_run_changes_nothing(
    upstream: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "update", "--dry-run")
    assert code == 0 and out.startswith("+ GPTQ v2") and "dry run" in err
    assert not updated_catalog().exists()


def test_update_undo_goes_back_step_by_step(
    upstream: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "update")[0] == 0
    first = updated_catalog().read_bytes()
    code, _, err = run(capsys, "update")
    assert code == 0 and "up to date" in err
    code, _, err = run(capsys, "update", "--undo")
    assert code == 0 and "bundled survey is used again" in err
    assert not updated_catalog().exists()
    code, _, err = run(capsys, "update", "--undo")
    assert code == 2 and "no update to undo" in err
    assert first  # the update was a whole catalogue


def test_update_offline_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEYTUI_UPDATE_URL", f"http://127.0.0.1:{_closed_port()}/README.md")
    code, out, err = run(capsys, "update")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "cannot connect" in err
    assert not updated_catalog().exists()
