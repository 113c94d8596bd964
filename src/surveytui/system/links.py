"""Which links may leave the app, and how: a browser here, or the URL shown over SSH.

Catalogue URLs come from Markdown written by strangers, and opening one hands
it to another program. So only plain ``http``/``https`` links with a host are
ever launched, and the launch itself is decided by environment: Python's
``webbrowser`` happily starts w3m or lynx inside our own terminal when there
is no display, which freezes the TUI until that browser exits. Over SSH or
headless the UI shows the URL, copies it (OSC 52, via Textual) and offers it
as a terminal hyperlink instead.

The same rules decide which links the importer stores, so a link that made
it into a catalogue can always be opened (the importer's tidying of links
copied from web pages is in ``surveytui.importer.url_cleanup``). ``webbrowser``,
``shlex`` and ``subprocess`` are imported only when a browser is started: the
browser's start-up imports this module and never needs them.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    import webbrowser

#: Longer than any real paper or code link, short enough that a pasted blob is refused.
MAX_URL_LENGTH = 2048

#: Overrides the automatic choice: ``browser`` or ``show``.
OPEN_ENV_VAR = "SURVEYTUI_OPEN"

_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SSH_VARS = ("SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT")
_DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY")
_DESKTOP_PLATFORMS = ("darwin", "win32", "cygwin")

#: Text-mode browsers: started from a TUI they take over its terminal.
CONSOLE_BROWSERS = frozenset(
    {
        "browsh",
        "carbonyl",
        "cha",
        "edbrowse",
        "elinks",
        "links",
        "links2",
        "lynx",
        "netrik",
        "retawq",
        "w3m",
        "www-browser",
    }
)


def _has_bad_char(text: str) -> bool:
    """Whitespace, controls, format characters (bidi, zero-width) or a backslash.

    A backslash is refused because browsers read it as ``/`` in http URLs,
    which lets a link show one host and open another.
    """
    if text.isascii():  # the usual link: printable ASCII has none of these but space and "\"
        return not text.isprintable() or " " in text or "\\" in text
    for ch in text:
        if ch.isspace() or ch == "\\":
            return True
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return True
    return False


def looks_like_http_url(url: str | None) -> bool:
    """:func:`is_safe_url` without its look inside percent escapes.

    For deciding whether some text is meant as a link at all; a link that is
    to be stored or opened needs :func:`is_safe_url`.
    """
    if not url or len(url) > MAX_URL_LENGTH or url.startswith("-"):
        return False
    if _has_bad_char(url):
        return False
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not port_ok:
        return False
    if "@" in parts.netloc:
        return False
    return bool(parts.hostname)


def hides_control(url: str) -> bool:
    """Percent-encoded controls or bidi marks: harmless bytes, hostile once decoded."""
    if "%" not in url:
        return False
    decoded = unquote(url)
    return bool(_ASCII_CONTROL.search(decoded)) or any(
        unicodedata.category(ch) in ("Cc", "Cf") for ch in decoded if not ch.isascii()
    )


def is_safe_url(url: str | None) -> bool:
    """True only for an ``http``/``https`` URL with a host that can be handed to a browser.

    Refused: other schemes (``javascript:``, ``file:``, ``data:``...), a URL
    starting with ``-`` (it would be read as an option by the browser command),
    whitespace, control or bidi characters (also percent-encoded ones, which a
    browser decodes and shows), backslashes, embedded credentials
    (``https://arxiv.org@evil.example`` hides the real host), a malformed port,
    and anything longer than :data:`MAX_URL_LENGTH`.
    """
    return looks_like_http_url(url) and not hides_control(url or "")


def terminal_hyperlink_safe(url: str | None) -> str | None:
    """The URL if it can go into an OSC 8 hyperlink unchanged, else ``None``.

    OSC 8 allows only printable ASCII in the URI, and several terminals split
    the sequence at ``;``, so anything else is refused rather than rewritten.
    """
    if not is_safe_url(url):
        return None
    assert url is not None
    if ";" in url or not all(" " < ch <= "~" for ch in url):
        return None
    return url


class LaunchMode(Enum):
    """How the UI should treat "open": launch a browser, or show and copy the URL."""

    BROWSER = "browser"
    SHOW = "show"


def _set(env: Mapping[str, str], names: tuple[str, ...]) -> bool:
    return any(env.get(name, "").strip() for name in names)


def _override(env: Mapping[str, str]) -> LaunchMode | None:
    value = env.get(OPEN_ENV_VAR, "").strip().lower()
    for mode in LaunchMode:
        if value == mode.value:
            return mode
    return None


def launch_mode(env: Mapping[str, str] | None = None, platform: str | None = None) -> LaunchMode:
    """Decide from the environment whether "open" launches a browser or shows the URL.

    The rule, first match wins:

    1. ``SURVEYTUI_OPEN=browser`` or ``SURVEYTUI_OPEN=show`` is obeyed as is
       (other values are ignored).
    2. Over SSH (``SSH_CONNECTION``, ``SSH_TTY`` or ``SSH_CLIENT`` set): SHOW,
       on every platform, because a browser would open on the remote machine,
       where nobody is looking. Users of ``ssh -X`` can set the override.
    3. macOS and Windows: BROWSER; the desktop is always there.
    4. Elsewhere, ``DISPLAY`` or ``WAYLAND_DISPLAY`` set: BROWSER (``$BROWSER``
       is honoured by :func:`launch_browser`).
    5. Otherwise SHOW, even when ``$BROWSER`` is set: with no display it can
       only name a console browser (w3m, lynx), which would take over our
       terminal.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    forced = _override(env)
    if forced is not None:
        return forced
    if _set(env, _SSH_VARS):
        return LaunchMode.SHOW
    if platform.startswith(_DESKTOP_PLATFORMS):
        return LaunchMode.BROWSER
    if _set(env, _DISPLAY_VARS):
        return LaunchMode.BROWSER
    return LaunchMode.SHOW


@dataclass(frozen=True)
class LaunchResult:
    """What happened, as one sentence the UI can show; failures leave the URL to the caller."""

    ok: bool
    message: str


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _command_name(controller: webbrowser.BaseBrowser) -> str:
    """The program a controller runs, lower-cased, without directory or ``.exe``."""
    import shlex

    name = str(getattr(controller, "name", "") or "")
    try:
        words = shlex.split(name)
    except ValueError:
        words = name.split()
    base = os.path.basename(words[0]).lower() if words else ""
    return base.removesuffix(".exe")


def console_browser(controller: webbrowser.BaseBrowser) -> str | None:
    """The command name if ``controller`` would run a text-mode browser, else ``None``."""
    name = _command_name(controller)
    return name if name in CONSOLE_BROWSERS else None


def _refusal(
    controller: webbrowser.BaseBrowser, env: Mapping[str, str], platform: str
) -> str | None:
    """Why this controller must not be started from a TUI, or ``None`` if it may be."""
    console = console_browser(controller)
    if console:
        return f"Not starting the console browser '{console}' inside this terminal."
    desktop = platform.startswith(_DESKTOP_PLATFORMS)
    if not desktop and not _set(env, _DISPLAY_VARS) and _override(env) is not LaunchMode.BROWSER:
        return f"No display to open a browser on (set {OPEN_ENV_VAR}=browser to force it)."
    return None


class _NoBrowser(Exception):
    """A reason to not launch, carried out of the opener as one line."""


def _spawn_detached(cmdline: list[str]) -> bool:
    """Start a browser command in its own session, with no access to our terminal."""
    import subprocess

    subprocess.Popen(
        cmdline,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        start_new_session=True,
    )
    return True


def _system_opener(env: Mapping[str, str], platform: str) -> Callable[[str], bool]:
    def open_with_system(url: str) -> bool:
        import webbrowser

        try:
            controller = webbrowser.get()
        except webbrowser.Error:
            raise _NoBrowser("No web browser found.") from None
        reason = _refusal(controller, env, platform)
        if reason:
            raise _NoBrowser(reason)
        if type(controller) in (webbrowser.GenericBrowser, webbrowser.BackgroundBrowser):
            # webbrowser would start these with our terminal as their stdout/stderr (their
            # messages land on the TUI) and, for GenericBrowser, wait until the browser
            # exits (quitting would hang). Start the same command detached instead.
            generic: Any = controller
            return _spawn_detached([generic.name, *(a.replace("%s", url) for a in generic.args)])
        return bool(controller.open(url, new=2))

    return open_with_system


def launch_browser(
    url: str,
    opener: Callable[[str], bool] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> LaunchResult:
    """Open ``url`` in a web browser; blocking, so the UI runs it in a worker thread.

    Unsafe URLs (see :func:`is_safe_url`) are refused before anything runs.
    Without ``opener`` the browser is ``webbrowser.get()``, which honours
    ``$BROWSER``, but a console browser is never started, nor is any browser
    on a non-desktop platform without a display unless ``SURVEYTUI_OPEN=browser``
    asks for it (e.g. a ``$BROWSER`` helper that forwards links to a laptop).
    ``opener`` replaces the system browser, for tests and embedding. ``env``
    and ``platform`` feed these checks only; ``webbrowser`` itself always
    reads the process environment.
    """
    if not is_safe_url(url):
        return LaunchResult(False, "Refused to open a link that is not a plain http(s) URL.")
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    open_url = opener if opener is not None else _system_opener(env, platform)
    import webbrowser  # its Error is what a failed launch raises

    try:
        opened = open_url(url)
    except _NoBrowser as exc:
        return LaunchResult(False, str(exc))
    except (webbrowser.Error, OSError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return LaunchResult(False, f"Could not start the browser ({_short(detail, 60)}).")
    if not opened:
        return LaunchResult(False, "The browser did not open the link.")
    return LaunchResult(True, f"Opened {_short(url)} in the browser.")


def launch_command(command: str, url: str) -> LaunchResult:
    """Open ``url`` with the reader's own command (config ``open_links``): ``{url}`` in the
    command is replaced by it, else it is the last argument. No shell is involved, the
    command runs detached with no terminal I/O, and unsafe URLs are refused first."""
    if not is_safe_url(url):
        return LaunchResult(False, "Refused to open a link that is not a plain http(s) URL.")
    import shlex
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError as exc:
        return LaunchResult(False, f"Cannot read the link command ({exc}).")
    if not argv:
        return LaunchResult(False, "The link command is empty.")
    if any("{url}" in arg for arg in argv):
        argv = [arg.replace("{url}", url) for arg in argv]
    else:
        argv.append(url)
    try:
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return LaunchResult(False, f"Could not run {argv[0]} ({exc.strerror or exc}).")
    return LaunchResult(True, f"Opened {_short(url)} with {os.path.basename(argv[0])}.")
