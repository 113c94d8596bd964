"""Fetching a paper list over HTTP(S): a raw Markdown URL or a GitHub repository.

Why it is careful: the answer comes from a network the user does not control
(a captive portal, a mirror, GitHub's rate limit), so every failure is one
line naming the URL and the problem, and nothing is written until a whole,
valid answer has been read.

Rules
    * Only ``http`` and ``https`` URLs; redirects are followed by hand, at
      most 5, and only to ``http``/``https`` targets.
    * A timeout (:data:`TIMEOUT` seconds per request) and a size cap
      (:data:`MAX_BYTES`, 20 MB): the body is streamed and dropped past it.
    * ``https://github.com/OWNER/REPO`` (also ``.git``, ``/tree/BRANCH``) is the
      README of that branch, or of the default branch, asked of the GitHub API
      (``GET {api}/repos/OWNER/REPO`` for ``default_branch``, ``GET
      {api}/repos/OWNER/REPO/readme?ref=BRANCH`` for the README's path), then
      read from the raw-content host (``{raw}/OWNER/REPO/BRANCH/PATH``).
      ``https://github.com/OWNER/REPO/blob/BRANCH/PATH`` is read from the raw
      host directly.
    * The API and raw hosts come from ``SURVEYTUI_GITHUB_API`` (default
      ``https://api.github.com``) and ``SURVEYTUI_GITHUB_RAW`` (default
      ``https://raw.githubusercontent.com``), so tests and mirrors point them
      at a local server.
    * An answer that is HTML (by its ``Content-Type`` or its first bytes), has
      NUL bytes, or is not UTF-8 is refused: it is not a Markdown list.

httpx is imported only here, and only when a URL is fetched.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from surveytui import __version__
from surveytui.model.catalog import CatalogError

if TYPE_CHECKING:
    import httpx

TIMEOUT = 20.0
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
API_ENV = "SURVEYTUI_GITHUB_API"
RAW_ENV = "SURVEYTUI_GITHUB_RAW"
DEFAULT_API = "https://api.github.com"
DEFAULT_RAW = "https://raw.githubusercontent.com"
_REPO = re.compile(
    r"https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9_.\-]+)/(?P<repo>[A-Za-z0-9_.\-]+?)"
    r"(?:\.git)?(?:/tree/(?P<branch>[^?#]+?))?/?(?:[?#].*)?$"
)
_BLOB = re.compile(
    r"https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9_.\-]+)/(?P<repo>[A-Za-z0-9_.\-]+)"
    r"/blob/(?P<rest>[^?#]+)"
)
_HTML_START = re.compile(rb"\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.IGNORECASE)


class FetchError(CatalogError):
    """A URL that gave no Markdown list; the message is one line naming the URL."""


@dataclass(frozen=True)
class Fetched:
    text: str
    url: str  # what was finally read (after redirects and GitHub resolution)


def is_url(text: str) -> bool:
    """What ``import`` treats as a URL rather than a path."""
    return text.startswith(("http://", "https://"))


def _base(env: str, default: str) -> str:
    return (os.environ.get(env) or default).rstrip("/")


def _client() -> httpx.Client:
    import httpx  # deferred: only a fetch needs it

    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=False,
        headers={"User-Agent": f"surveytui/{__version__} (paper-list importer)"},
    )


def _get(
    client: httpx.Client, url: str, *, shown: str, accept: str = "*/*"
) -> tuple[bytes, str, str]:
    """(body, content type, final URL) of a GET, redirects checked, size capped."""
    import httpx

    current = url
    for _ in range(MAX_REDIRECTS + 1):
        if urlsplit(current).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{shown}: redirected to a non-http(s) URL ({current[:80]})")
        try:
            with client.stream("GET", current, headers={"Accept": accept}) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    current = urljoin(current, location)
                    continue
                if response.status_code == 404:
                    raise FetchError(f"{shown}: not found (HTTP 404)")
                if response.status_code in (403, 429):
                    raise FetchError(
                        f"{shown}: refused or rate-limited (HTTP {response.status_code}); "
                        "try again later, or give the raw file's URL"
                    )
                if response.status_code >= 400:
                    raise FetchError(f"{shown}: the server answered HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > MAX_BYTES:
                    raise FetchError(f"{shown}: larger than {MAX_BYTES // 2**20} MB, not read")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise FetchError(f"{shown}: larger than {MAX_BYTES // 2**20} MB, not read")
                    chunks.append(chunk)
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return b"".join(chunks), kind, current
        except httpx.TimeoutException:
            raise FetchError(f"{shown}: no answer within {TIMEOUT:g} s (offline?)") from None
        except httpx.TransportError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FetchError(f"{shown}: cannot connect (offline?): {reason}") from None
    raise FetchError(f"{shown}: more than {MAX_REDIRECTS} redirects")


def decode_markdown(raw: bytes, shown: str, kind: str = "") -> str:
    """The bytes as Markdown text, or one line saying why they are not."""
    if kind in ("text/html", "application/xhtml+xml") or _HTML_START.match(raw[:512]):
        raise FetchError(f"{shown}: is an HTML page, not Markdown (use the raw file's URL)")
    if b"\0" in raw[:8192]:
        raise FetchError(f"{shown}: binary data, not Markdown text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FetchError(f"{shown}: not UTF-8 text (byte {exc.start})") from None


def _json(client: httpx.Client, url: str, shown: str) -> dict[str, object]:
    body, _, _ = _get(client, url, shown=shown, accept="application/vnd.github+json")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"{shown}: the GitHub API gave an answer that is not JSON") from None
    if not isinstance(data, dict):
        raise FetchError(f"{shown}: unexpected answer from the GitHub API")
    return data


def _github_readme(
    client: httpx.Client, url: str, owner: str, repo: str, branch: str | None
) -> str:
    api, raw = _base(API_ENV, DEFAULT_API), _base(RAW_ENV, DEFAULT_RAW)
    where = f"{quote(owner)}/{quote(repo)}"
    if branch is None:
        info = _json(client, f"{api}/repos/{where}", url)
        found = info.get("default_branch")
        if not isinstance(found, str) or not found:
            raise FetchError(f"{url}: the GitHub API names no default branch")
        branch = found
    readme = _json(client, f"{api}/repos/{where}/readme?ref={quote(branch)}", url)
    path = readme.get("path")
    if not isinstance(path, str) or not path:
        raise FetchError(f"{url}: the repository has no README")
    return f"{raw}/{where}/{quote(branch)}/{quote(path)}"


def fetch_markdown(url: str) -> Fetched:
    """The Markdown at ``url`` (see the module rules); raises :class:`FetchError`."""
    if not is_url(url) or not urlsplit(url).hostname:
        raise FetchError(f"{url}: not an http(s) URL")
    with _client() as client:
        target = url
        blob = _BLOB.match(url)
        repo = _REPO.match(url)
        if blob:
            raw = _base(RAW_ENV, DEFAULT_RAW)
            target = f"{raw}/{blob['owner']}/{blob['repo']}/{blob['rest']}"
        elif repo:
            target = _github_readme(client, url, repo["owner"], repo["repo"], repo["branch"])
        body, kind, final = _get(client, target, shown=url)
    if kind == "text/plain" or kind.startswith("text/markdown"):
        kind = ""
    return Fetched(decode_markdown(body, url, kind), final)
