"""Connecting only to pinned addresses: step 4 of the SSRF guard (see :mod:`verify.fetch.guard`).

httpx resolves host names itself when it connects, which would undo the guard's single checked
lookup. :class:`PinnedTransport` is httpx's default transport with its connection pool rebuilt
on :class:`PinningBackend`, an httpcore network backend that connects only to the addresses the
guard validated for that host and port, and checks the peer address after connecting.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
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


class PinningBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to addresses validated by the guard.

    ``connect_tcp`` is given the URL's host name; it looks the name up in its pins (never in DNS)
    and connects to a pinned IP with a plain socket, so a changed DNS answer cannot redirect it.
    After connecting it checks the peer address, in case anything below (a patched socket, a
    transparent proxy) put it somewhere else.
    """

    def __init__(self, *, allow_loopback: bool = False) -> None:
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._allow_loopback = allow_loopback
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
                sock.settimeout(timeout)
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
            except PinViolation:
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            self.connected.append((str(ip), port))
            return SyncStream(sock)
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
