"""A real HTTP server on 127.0.0.1 for tests that must talk to a socket, not to a mock.

Why a real server: the fetcher's safety lies in what it does with sockets (which address it
connects to, how much it reads, when it gives up), and a mocked transport would skip exactly the
parts under test. The server is stdlib only (``http.server`` + ``ThreadingHTTPServer`` in a
daemon thread), listens on a free port of 127.0.0.1 and counts every request it sees, so a test
can prove that a refused URL never reached it.

Use it through the ``http_server`` fixture (one server per session, reset for every test),
registered as a plugin by the test module (a plain
import would trip ruff's F811 on every test that takes the fixture)::

    pytest_plugins = ("tests.httpfixtures",)

    def test_x(http_server):
        http_server.route("/hello", body="<p>hi</p>", content_type="text/html; charset=utf-8")
        url = http_server.url("/hello")

Routes are exact paths (the query string is ignored). A route is either a canned response
(``route``), a redirect (``redirect``), a canned response held back until the test releases it
(``gate``), a header block dribbled one line at a time (``dribble_headers``) or a function given
the handler (``route_fn``) for anything else: slow answers, dribbled bodies, lying headers.

The fetcher refuses loopback unless its policy says ``allow_loopback``; the ``loopback`` fixture
points ``VERIFY_FETCH_POLICY`` at :func:`loopback_policy` (the settings-built policy with
loopback allowed) so the services fetch from this server. ``guarded`` is the opposite: the
server listens, its port is allowed, and the policy is the production default, which refuses it.
``connects``, ``fake_dns`` and ``connection_counter`` are the spies the SSRF tests prove
"never connected" with.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.fetch_cases import LOOPBACK_POLICY
from verify.fetch import FetchPolicy
from verify.services.policy import settings_policy

Handler = Callable[[BaseHTTPRequestHandler], None]

# A client that gives up early (timeouts, size limits, refused content types) closes the socket
# while the server is still writing: that is expected, not an error worth a traceback.
_CLIENT_WENT_AWAY = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


@dataclass
class Hit:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class LocalHTTPServer:
    """The running server: register routes, build URLs, read what was requested."""

    host: str
    port: int
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    # Set on teardown so slow handlers stop waiting and the thread can end promptly.
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- building -------------------------------------------------------------------------------

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route_fn(self, path: str, fn: Handler) -> None:
        self.routes[path] = fn

    def route(
        self,
        path: str,
        *,
        body: bytes | str = b"",
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """A canned answer. ``str`` bodies are sent as UTF-8; pass bytes for anything else."""
        self.routes[path] = _canned(body, status, content_type, headers)

    def redirect(self, path: str, location: str, *, status: int = 302) -> None:
        self.route(path, status=status, content_type=None, headers={"Location": location})

    def gate(
        self,
        path: str,
        *,
        body: bytes | str = b"",
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
    ) -> threading.Event:
        """The canned answer of :meth:`route`, held back until the returned event is set (or the
        test ends): a request that is "in flight" for as long as the test wants."""
        release = threading.Event()
        answer = _canned(body, status, content_type, None)
        stopping = self.stopping

        def gated(handler: BaseHTTPRequestHandler) -> None:
            while not release.wait(0.05):
                if stopping.is_set():
                    return
            answer(handler)

        self.routes[path] = gated
        return release

    def dribble_headers(
        self, path: str, *, every: float, lines: int, body: bytes | str = "<p>late</p>"
    ) -> None:
        """A 200 whose header block arrives one line every ``every`` seconds, ``lines`` of them,
        then ``body``: every read is answered long before a read timeout, yet the headers take
        ``every * lines`` seconds (or until the test ends)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        stopping = self.stopping

        def dribble(handler: BaseHTTPRequestHandler) -> None:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n")
            handler.wfile.flush()
            for n in range(lines):
                if stopping.wait(every):
                    return
                handler.wfile.write(f"X-Slow-{n}: still here\r\n".encode())
                handler.wfile.flush()
            handler.wfile.write(f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
            handler.close_connection = True

        self.routes[path] = dribble

    def reset(self) -> None:
        """Forget routes and hits, and wake any handler still waiting on ``stopping``."""
        self.stopping.set()
        with self._lock:
            self.routes.clear()
            self.hits.clear()
        self.stopping = threading.Event()

    # -- reading --------------------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.hits)

    def paths(self) -> list[str]:
        with self._lock:
            return [hit.path for hit in self.hits]

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)


def _canned(
    body: bytes | str, status: int, content_type: str | None, headers: dict[str, str] | None
) -> Handler:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        if content_type is not None:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def _handler_class(server: LocalHTTPServer) -> type[BaseHTTPRequestHandler]:
    class RouteHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            server._record(Hit(self.command, path, {k.lower(): v for k, v in self.headers.items()}))
            fn = server.routes.get(path)
            try:
                if fn is None:
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    fn(self)
            except _CLIENT_WENT_AWAY:
                self.close_connection = True

        do_HEAD = do_GET

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest output is for failures, not access logs."""

    return RouteHandler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        """Clients hanging up mid-answer is part of the tests; say nothing."""


def start_server(host: str = "127.0.0.1") -> tuple[LocalHTTPServer, Callable[[], None]]:
    """Start a server on a free port; returns it and a function that stops it."""
    state = LocalHTTPServer(host=host, port=0)
    httpd = _QuietServer((host, 0), _handler_class(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        state.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

    return state, stop


@pytest.fixture(scope="session")
def http_server_session() -> Iterator[LocalHTTPServer]:
    """One server for the whole run: starting and stopping one per test costs more than the tests."""
    state, stop = start_server()
    try:
        yield state
    finally:
        stop()


@pytest.fixture
def http_server(http_server_session: LocalHTTPServer) -> Iterator[LocalHTTPServer]:
    """The shared server, reset before and after each test: no routes, no hits, slow handlers of
    the previous test released."""
    http_server_session.reset()
    try:
        yield http_server_session
    finally:
        http_server_session.reset()


def loopback_policy() -> FetchPolicy:
    """The settings-built policy with loopback allowed (private and every other range stay
    refused): the factory ``VERIFY_FETCH_POLICY`` names in tests."""
    return replace(settings_policy(), allow_loopback=True)


@pytest.fixture
def loopback(settings, http_server: LocalHTTPServer) -> LocalHTTPServer:
    """The local server, reachable by the fetcher: a loopback-allowing policy injected through
    ``VERIFY_FETCH_POLICY``, its port allowed, and small, fast limits."""
    settings.VERIFY_FETCH_POLICY = LOOPBACK_POLICY
    settings.VERIFY_FETCH_ALLOWED_PORTS = [80, 443, http_server.port]
    settings.VERIFY_FETCH_CONNECT_TIMEOUT = 2
    settings.VERIFY_FETCH_READ_TIMEOUT = 2
    settings.VERIFY_FETCH_TOTAL_TIMEOUT = 5
    return http_server


@pytest.fixture
def guarded(settings, http_server: LocalHTTPServer) -> LocalHTTPServer:
    """The local server listening, its port allowed, but the policy the production default, which
    refuses loopback."""
    settings.VERIFY_FETCH_POLICY = ""
    settings.VERIFY_FETCH_ALLOWED_PORTS = [80, 443, http_server.port]
    return http_server


# --- Spies: what was dialled, what DNS said, what a listener accepted ------------------------------


@pytest.fixture
def connects(monkeypatch) -> list[tuple]:
    """Every network address a socket in this process tries to connect to (real connects still
    happen). Unix sockets are left out: the text extractor's fork server is reached through one."""
    calls: list[tuple] = []
    real = socket.socket.connect

    def spy(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            calls.append(tuple(address))
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return calls


@pytest.fixture
def fake_dns(monkeypatch) -> dict[str, list]:
    """Names answered from a table (value: list of IPs, or a callable per call); anything else goes
    to the real resolver, which the numeric spellings (2130706433, 0x7f.1 …) never leave."""
    table: dict[str, list] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        key = host.decode() if isinstance(host, bytes) else host
        if key in table:
            answer = table[key]
            ips = answer() if callable(answer) else answer
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (ip, port, 0, 0) if ":" in ip else (ip, port),
                )
                for ip in ips
            ]
        return real(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@dataclass
class ConnectionCounter:
    """A bare TCP listener on 127.0.0.1 that accepts, counts and closes every connection: unlike
    the HTTP server's request count, it sees a connection that never sent a byte."""

    port: int
    accepted: int = 0


@pytest.fixture
def connection_counter() -> Iterator[ConnectionCounter]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    counter = ConnectionCounter(port=listener.getsockname()[1])
    done = threading.Event()

    def accept_all() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            counter.accepted += 1
            conn.close()

    thread = threading.Thread(target=accept_all, daemon=True)
    thread.start()
    try:
        yield counter
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()
