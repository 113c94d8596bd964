"""Links: which URLs may be launched, and whether "open" launches or shows the URL."""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path

import pytest

from surveytui.importer.url_cleanup import arxiv_id, clean_url, is_placeholder_url, is_repo_url
from surveytui.system import links
from surveytui.system.links import (
    MAX_URL_LENGTH,
    LaunchMode,
    LaunchResult,
    console_browser,
    is_safe_url,
    launch_browser,
    launch_mode,
    terminal_hyperlink_safe,
)

# --------------------------------------------------------------------------- is_safe_url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c",
        "http://arxiv.org/abs/2401.08092",
        "HTTPS://Example.ORG/Path",
        "https://github.com/",
        "https://example.org:8443/x#frag",
        "https://[2001:db8::1]/paper.pdf",
        "https://example.org/caf%C3%A9/é.pdf",
        "https://example.org/a%20b%2Fc",
        "https://arxiv.org/pdf/1810.04805.pdf&usg=ALkJrhhzxlCL6yTht2BRmH9atgvKFxHsxQ",
    ],
)
def test_safe_urls_are_accepted(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "ftp://example.org/paper.pdf",
        "data:text/html,<script>alert(1)</script>",
        "mailto:someone@example.org",
        "-x",
        "--new-window=https://example.org",
        "-https://example.org",
        "http://",
        "https:///path-only",
        "https://",
        "//example.org/no-scheme",
        "example.org/no-scheme",
        "https://example .org/",
        "https://example.org/a b",
        " https://example.org/",
        "https://example.org/\n",
        "https://example.org/\x1b]52;c;aGk=\x07",
        "https://example.org/\x00",
        "https://example.org/\x9b",
        "https://example.org/\u202etxt.exe",
        "https://example.org/\u200b",
        "https://example.org/%E2%80%AEfdp.exe",  # decoded, a bidi override
        "https://example.org/a%0Ab",
        "https://example.org/%1b]52;c;aGk=%07",
        "https://arxiv.org@evil.example/",
        "https://user:pass@example.org/",
        "https://example.org\\@evil.example/",
        "https://example.org:99999/",
        "https://example.org:0/",
        "https://[::1/",
        "https://example.org/" + "a" * MAX_URL_LENGTH,
    ],
)
def test_unsafe_urls_are_refused(url: str | None) -> None:
    assert not is_safe_url(url)


def test_hyperlink_refuses_what_breaks_osc8() -> None:
    assert terminal_hyperlink_safe("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert terminal_hyperlink_safe("https://example.org/a;b") is None
    assert terminal_hyperlink_safe("https://example.org/é") is None
    assert terminal_hyperlink_safe("javascript:alert(1)") is None
    assert terminal_hyperlink_safe("https://example.org/\x1b\\") is None
    assert terminal_hyperlink_safe(None) is None


# --------------------------------------------------------------------------- stored links


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://github.com/OpenAI/CLIP.", "https://github.com/OpenAI/CLIP"),
        ("https://arxiv.org/pdf/1909.11942.pdf%3E,", "https://arxiv.org/pdf/1909.11942.pdf"),
        ("https://arxiv.org/pdf/2310.06825.pdf]]%3E", "https://arxiv.org/pdf/2310.06825.pdf"),
        (
            "https://arxiv.org/pdf/2303.16199.pdf%20%C3%A2%E2%82%AC%3C/a%3E,%C3%82",
            "https://arxiv.org/pdf/2303.16199.pdf",
        ),
        (
            "https://arxiv.org/pdf/2304.11062.pdf??ref=eiai.info",
            "https://arxiv.org/pdf/2304.11062.pdf",
        ),
        ("https://arxiv.org/abs/2310.16450v1", "https://arxiv.org/abs/2310.16450v1"),
        ("https://x.org/a?trk=public_post&id=3", "https://x.org/a?id=3"),
        ("https://x.org/a#:~:text=hello", "https://x.org/a"),
        ("https://x.org/a.pdf&usg=AOvVaw", "https://x.org/a.pdf"),
        ("https://openreview.net/pdf?id=0cmMMy8J5q", "https://openreview.net/pdf?id=0cmMMy8J5q"),
        ("https://x.org/page#code", "https://x.org/page#code"),
        ("https://x.org/dir/", "https://x.org/dir/"),
    ],
)
def test_clean_url_removes_only_unambiguous_junk(raw: str, clean: str) -> None:
    assert clean_url(raw) == clean


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://github.com/", True),
        ("https://www.arxiv.org", True),
        ("https://github.com/?tab=repositories", False),
        ("https://github.com/owner/repo", False),
        ("https://example.org/", False),
    ],
)
def test_bare_hosts_are_placeholders(url: str, placeholder: bool) -> None:
    assert is_placeholder_url(url) is placeholder


def test_repo_links_and_arxiv_ids_are_recognised() -> None:
    assert is_repo_url("https://github.com/owner/repo/tree/main")
    assert is_repo_url("https://gitlab.com/group/project")
    assert not is_repo_url("https://github.com/owner")
    assert arxiv_id("https://arxiv.org/pdf/2401.08092v3.pdf") == "2401.08092"
    assert arxiv_id("see arXiv: 2305.14314 for details") == "2305.14314"
    assert arxiv_id("https://example.org/2401.08092") is None


# --------------------------------------------------------------------------- launch_mode

SSH = {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}
X11 = {"DISPLAY": ":0"}
WAYLAND = {"WAYLAND_DISPLAY": "wayland-0"}


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "darwin", LaunchMode.BROWSER),
        ({}, "win32", LaunchMode.BROWSER),
        (SSH, "darwin", LaunchMode.SHOW),
        ({"SSH_TTY": "/dev/pts/3"}, "win32", LaunchMode.SHOW),
        ({}, "linux", LaunchMode.SHOW),
        (X11, "linux", LaunchMode.BROWSER),
        (WAYLAND, "linux", LaunchMode.BROWSER),
        (WAYLAND, "freebsd14", LaunchMode.BROWSER),
        ({"DISPLAY": ""}, "linux", LaunchMode.SHOW),
        ({**X11, **SSH}, "linux", LaunchMode.SHOW),
        ({"SSH_CLIENT": "10.0.0.2 50000 22", **X11}, "linux", LaunchMode.SHOW),
        ({"BROWSER": "w3m"}, "linux", LaunchMode.SHOW),
        ({"BROWSER": "firefox", **X11}, "linux", LaunchMode.BROWSER),
        ({"SURVEYTUI_OPEN": "browser", **SSH}, "linux", LaunchMode.BROWSER),
        ({"SURVEYTUI_OPEN": "show"}, "darwin", LaunchMode.SHOW),
        ({"SURVEYTUI_OPEN": " Show "}, "linux", LaunchMode.SHOW),
        ({"SURVEYTUI_OPEN": "bogus", **X11}, "linux", LaunchMode.BROWSER),
        ({"SURVEYTUI_OPEN": "bogus"}, "linux", LaunchMode.SHOW),
    ],
)
def test_launch_mode_matrix(env: dict[str, str], platform: str, expected: LaunchMode) -> None:
    assert launch_mode(env, platform) is expected


def test_launch_mode_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEYTUI_OPEN", "show")
    assert launch_mode() is LaunchMode.SHOW
    monkeypatch.setenv("SURVEYTUI_OPEN", "browser")
    assert launch_mode() is LaunchMode.BROWSER


# --------------------------------------------------------------------------- launch_browser


def test_launch_uses_the_opener_and_reports_success() -> None:
    opened: list[str] = []

    def opener(url: str) -> bool:
        opened.append(url)
        return True

    result = launch_browser("https://arxiv.org/abs/2401.08092", opener)
    assert opened == ["https://arxiv.org/abs/2401.08092"]
    assert result.ok
    assert "arxiv.org/abs/2401.08092" in result.message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "-new-tab", "file:///etc/passwd", ""])
def test_launch_refuses_unsafe_urls_without_calling_anything(url: str) -> None:
    opened: list[str] = []

    def opener(target: str) -> bool:
        opened.append(target)
        return True

    result = launch_browser(url, opener)
    assert opened == []
    assert not result.ok
    assert "http" in result.message


def test_launch_reports_an_opener_that_fails() -> None:
    result = launch_browser("https://example.org/", lambda _u: False)
    assert result == LaunchResult(False, "The browser did not open the link.")


def test_launch_turns_opener_errors_into_one_line() -> None:
    def broken(_url: str) -> bool:
        raise OSError("exec failed\nsecond line")

    result = launch_browser("https://example.org/", broken)
    assert not result.ok
    assert "\n" not in result.message
    assert "exec failed" in result.message


@pytest.fixture
def fresh_webbrowser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Forget webbrowser's cached registry and record (never run) any launch."""
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SURVEYTUI_OPEN", "SSH_CONNECTION"):
        monkeypatch.delenv(name, raising=False)
    launched: list[str] = []

    def fake_open(
        self: webbrowser.BaseBrowser, url: str, new: int = 0, autoraise: bool = True
    ) -> bool:
        launched.append(f"{self.name} {url}")
        return True

    for cls in (webbrowser.GenericBrowser, webbrowser.BackgroundBrowser, webbrowser.UnixBrowser):
        monkeypatch.setattr(cls, "open", fake_open)

    def fake_spawn(cmdline: list[str]) -> bool:
        launched.append(" ".join(cmdline))
        return True

    monkeypatch.setattr(links, "_spawn_detached", fake_spawn)
    return launched


@pytest.mark.parametrize(
    ("browser", "env", "launched"),
    [
        ("w3m", {}, None),  # a console browser: never started from the TUI
        ("/usr/bin/lynx", {"DISPLAY": ":0"}, None),  # not even with a display
        ("my-gui-browser", {"DISPLAY": ":0"}, "my-gui-browser https://example.org/"),
    ],
)
def test_browser_env_is_honoured_unless_it_names_a_console_browser(
    monkeypatch: pytest.MonkeyPatch,
    fresh_webbrowser: list[str],
    browser: str,
    env: dict[str, str],
    launched: str | None,
) -> None:
    monkeypatch.setenv("BROWSER", browser)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = launch_browser("https://example.org/", platform="linux")
    assert result.ok is (launched is not None)
    assert fresh_webbrowser == ([launched] if launched else [])
    if launched is None:
        assert browser.rsplit("/", 1)[-1] in result.message


def test_no_display_refuses_unless_forced(
    monkeypatch: pytest.MonkeyPatch, fresh_webbrowser: list[str]
) -> None:
    monkeypatch.setenv("BROWSER", "remote-open-helper")
    refused = launch_browser("https://example.org/", platform="linux")
    assert not refused.ok
    assert "display" in refused.message.lower()
    assert fresh_webbrowser == []
    monkeypatch.setenv("SURVEYTUI_OPEN", "browser")
    forced = launch_browser("https://example.org/", platform="linux")
    assert forced.ok
    assert fresh_webbrowser == ["remote-open-helper https://example.org/"]


def test_no_browser_at_all_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    result = launch_browser("https://example.org/", env={"DISPLAY": ":0"}, platform="linux")
    assert not result.ok
    assert "No web browser found" in result.message


@pytest.mark.parametrize(
    ("controller", "expected"),
    [
        (webbrowser.GenericBrowser("w3m"), "w3m"),
        (webbrowser.GenericBrowser("/usr/local/bin/lynx"), "lynx"),
        (webbrowser.GenericBrowser(["links", "-g", "%s"]), "links"),
        (webbrowser.GenericBrowser("www-browser"), "www-browser"),
        (webbrowser.BackgroundBrowser("firefox"), None),
        (webbrowser.GenericBrowser("my-gui-browser"), None),
    ],
)
def test_console_browser_detection(
    controller: webbrowser.BaseBrowser, expected: str | None
) -> None:
    assert console_browser(controller) == expected


def test_a_browser_command_never_writes_to_our_terminal_nor_is_waited_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """$BROWSER scripts print messages and may run until the browser closes."""
    marker = tmp_path / "started"
    script = tmp_path / "noisy-browser"
    script.write_text(
        f"#!/bin/sh\necho 'Opening in existing browser session.' >&2\ntouch {marker}\nsleep 30\n"
    )
    script.chmod(0o755)
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SURVEYTUI_OPEN", raising=False)
    result = launch_browser("https://example.org/", platform="linux")
    assert result.ok  # returned while the "browser" still runs
    for _ in range(200):
        if marker.exists():
            break
        time.sleep(0.02)
    assert marker.exists()
    out, err = capfd.readouterr()
    assert "Opening in existing browser session" not in out + err
