"""Connecting only to pinned addresses: step 4 of the SSRF guard (see :mod:`verify.fetch.guard`).

httpx resolves host names itself when it connects, which would undo the guard's single checked
lookup. :class:`PinnedTransport` is httpx's default transport with its connection pool rebuilt
on :class:`PinningBackend`, an httpcore network backend that connects only to the addresses the
guard validated for that host and port, and checks the peer address after connecting.

The backend also holds the fetch's deadline: its streams (:class:`DeadlineStream`) cut every
wait on the socket to what is left of the budget, so connect, TLS, headers and body share one
wall clock.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

# SyncStream is httpcore's wrapper of a connected socket (TLS upgrade, timeouts per read). It is
# not re-exported, but building our own socket is the whole point of PinningBackend: the public
# SyncBackend.connect_tcp would call socket.create_connection, which resolves the host again.
from httpcore._backends.sync import SyncStream

from verify.fetch.guard import address_problem


class PinViolation(Exception):
    """The HTTP stack tried to reach an address that was not validated. Never caught by httpx
    (it maps only httpcore's own exceptions), so it surfaces in fetch() as a refusal."""


class DeadlineExceeded(Exception):
    """The fetch went past its wall-clock budget. Like :class:`PinViolation` not an httpcore
    exception, so it reaches fetch() unchanged, whichever step (connect, TLS, headers, body) was
    waiting."""


def _left(deadline: float | None, timeout: float | None) -> float | None:
    """``timeout`` cut to what is left before ``deadline`` (time.monotonic()); raises
    DeadlineExceeded when nothing is left."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded
    return left if timeout is None else min(timeout, left)


class DeadlineStream(SyncStream):
    """httpcore's socket stream with every read, write and TLS handshake cut to what is left of
    the fetch's budget. httpcore times each read on its own, so a server sending one header line
    every ten seconds never trips a 15 s read timeout; cut to the budget, the read that would
    end past it times out and says so."""

    def __init__(self, sock: socket.socket, deadline: float | None) -> None:
        super().__init__(sock)
        self._deadline = deadline

    @contextlib.contextmanager
    def _budget(self) -> Iterator[None]:
        try:
            yield
        except httpcore.TimeoutException:
            if self._deadline is not None and time.monotonic() >= self._deadline:
                raise DeadlineExceeded from None
            raise

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with self._budget():
            return super().read(max_bytes, _left(self._deadline, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with self._budget():
            super().write(buffer, _left(self._deadline, timeout))

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        with self._budget():
            stream = super().start_tls(ssl_context, server_hostname, _left(self._deadline, timeout))
        return DeadlineStream(stream.get_extra_info("socket"), self._deadline)


class PinningBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to addresses validated by the guard.

    ``connect_tcp`` is given the URL's host name; it looks the name up in its pins (never in DNS)
    and connects to a pinned IP with a plain socket, so a changed DNS answer cannot redirect it.
    After connecting it checks the peer address, in case anything below (a patched socket, a
    transparent proxy) put it somewhere else.
    """

    def __init__(self, *, allow_loopback: bool = False, deadline: float | None = None) -> None:
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._allow_loopback = allow_loopback
        self._deadline = deadline  # time.monotonic() past which nothing waits any more
        self.connected: list[tuple[str, int]] = []

    def pin(self, host: str, port: int, addresses: Iterable[str]) -> None:
        self._pins[(host.lower(), port)] = tuple(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        # 1. Only a host:port that was vetted for this hop.
        addresses = self._pins.get((host.lower(), port))
        if not addresses:
            raise PinViolation(f"refused: {host}:{port} was not checked before connecting")
        last_error: OSError | None = None
        for address in addresses:
            ip = ipaddress.ip_address(address)
            # 2. Defence in depth: the pinned address is re-checked right before use.
            problem = address_problem(ip, allow_loopback=self._allow_loopback)
            if problem:
                raise PinViolation(f"refused: {address} is {problem}")
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(_left(self._deadline, timeout))
                if local_address:
                    sock.bind((local_address, 0))
                # 3. Connect to the IP itself: no name, so no second lookup.
                sock.connect((str(ip), port))
                # 4. The peer must be the address we validated.
                peer = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
                if peer != ip:
                    raise PinViolation(f"refused: connected to {peer}, expected the checked address {ip}")
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for option in socket_options or ():
                    sock.setsockopt(*option)
            except (PinViolation, DeadlineExceeded):
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            self.connected.append((str(ip), port))
            return DeadlineStream(sock, self._deadline)
        _left(self._deadline, None)  # the budget ran out while connecting: say that
        if isinstance(last_error, TimeoutError):
            raise httpcore.ConnectTimeout(f"connecting to {host} timed out")
        raise httpcore.ConnectError(f"could not connect to {host}: {last_error}")

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise PinViolation("refused: unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context (certifi's CAs) for the process: loading the CA bundle costs
    tens of milliseconds, too much to pay on every fetch."""
    return httpx.create_ssl_context(trust_env=False)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's default transport with its connection pool rebuilt on a :class:`PinningBackend`.

    httpx 0.28 has no parameter for a network backend, so the pool is replaced after
    ``__init__``; if a future httpx renames the attribute this fails loudly instead of silently
    connecting without pins.
    """

    def __init__(self, backend: PinningBackend) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("httpx internals changed: cannot install the pinning network backend")
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=4,
            max_keepalive_connections=2,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )
