"""One careful GET, shared by the arXiv and OpenAlex clients.

Both services are often slow, rate-limited or down, and a laptop is often
offline; none of that is exceptional. So every failure becomes one
:class:`ServiceError` whose text names the service and what went wrong, and
the rules both services publish are kept here: a User-Agent naming the tool,
a minimum interval between requests, backoff on 429 and 5xx honouring
``Retry-After``, a timeout, and a cap on how much of an answer is read (a
50 MB answer is refused, not parsed).

The standard library's ``urllib`` is enough for sequential GETs and keeps
the headless commands free of another HTTP stack.
"""

from __future__ import annotations

import email.utils
import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from surveytui import __version__

#: Where a service operator can read what this client is; both services ask for it.
PROJECT_URL = "https://pypi.org/project/surveytui/"
USER_AGENT = f"surveytui/{__version__} (+{PROJECT_URL})"

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


class ServiceError(Exception):
    """A service could not answer usefully; ``str()`` is one line naming it."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message


class EndpointError(ServiceError):
    """An endpoint variable that is not an http(s) URL with a host (``file://`` would
    read local files, ``ftp://`` or plain text would crash deep in urllib)."""


def endpoint_from_env(service: str, variable: str, default: str) -> str:
    """``variable``'s URL if set, else ``default``; EndpointError names a bad value."""
    value = os.environ.get(variable) or default
    try:
        parts = urllib.parse.urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an invalid IPv6 literal or port
        host = None
    blank = any(c.isspace() or ord(c) < 32 for c in value)  # urlsplit drops some silently
    if blank or parts.scheme.lower() not in ("http", "https") or not host:
        raise EndpointError(service, f"{variable}={value!r} is not an http(s) URL with a host")
    return value


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def _mb(n: int) -> str:
    """``11.5 MB``, not ``11.5343 MB``; ``50 MB``, not ``50.0 MB``."""
    value = n / 1_000_000
    text = f"{value:.1f}" if value >= 1 else f"{value:.2g}"
    return f"{text.removesuffix('.0')} MB"


@dataclass
class HttpClient:
    """Sequential GETs to one service, spaced by ``interval`` seconds.

    ``sleep`` and ``clock`` are injectable so tests run without waiting.
    """

    service: str
    interval: float = 0.0
    timeout: float = 30.0
    max_bytes: int = 10_000_000
    retries: int = 3
    backoff: float = 3.0
    max_wait: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    requests: int = field(default=0, init=False)
    _last: float | None = field(default=None, init=False, repr=False)

    def get(self, url: str, *, absent: frozenset[int] = frozenset()) -> bytes | None:
        """The body of a 200 answer; ``None`` for a status in ``absent`` (e.g. 404).

        Retries 429 and 5xx answers ``retries`` times, waiting what
        ``Retry-After`` asks or an exponential backoff; raises ServiceError.
        """
        attempt = 0
        while True:
            self._pace()
            status, headers, body = self._once(url)
            if status == 200:
                return body
            if status in absent:
                return None
            if status not in RETRY_STATUSES or attempt >= self.retries:
                raise ServiceError(self.service, self._status_text(status, attempt))
            wait = _retry_after(headers.get("Retry-After"), self.wall())
            if wait is None:
                wait = self.backoff * (2**attempt)
            wait = max(wait, self.interval)  # a retry is a request too: keep the pace
            if wait > self.max_wait:
                raise ServiceError(
                    self.service, f"HTTP {status}, asked to wait {wait:.0f} s; try again later"
                )
            attempt += 1
            self.sleep(wait)

    def _status_text(self, status: int, attempt: int) -> str:
        tries = f" after {attempt + 1} tries" if attempt else ""
        if status == 429:
            return f"HTTP 429 too many requests{tries}; try again later"
        return f"HTTP {status}{tries}"

    def _pace(self) -> None:
        if self._last is not None and self.interval > 0:
            wait = self._last + self.interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def _once(self, url: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = int(response.status)
                headers = {k: v for k, v in response.headers.items()}
                return status, headers, self._read(response)
        except urllib.error.HTTPError as exc:
            headers = {k: v for k, v in exc.headers.items()} if exc.headers else {}
            exc.close()
            return exc.code, headers, b""
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise ServiceError(self.service, self._timeout_text()) from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise ServiceError(self.service, f"cannot connect ({text}); offline?") from None
        except TimeoutError:
            raise ServiceError(self.service, self._timeout_text()) from None
        except (http.client.HTTPException, ConnectionError) as exc:
            kind = type(exc).__name__
            raise ServiceError(self.service, f"connection broke off ({kind})") from None
        except OSError as exc:
            raise ServiceError(self.service, f"network error ({exc.strerror or exc})") from None

    def _timeout_text(self) -> str:
        return f"no answer within {self.timeout:g} s"

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise ServiceError(
                self.service,
                f"answer of {_mb(int(declared))} refused (limit {_mb(self.max_bytes)})",
            )
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise ServiceError(
                    self.service, f"answer larger than {_mb(self.max_bytes)} refused"
                )
            chunks.append(chunk)
        return b"".join(chunks)
