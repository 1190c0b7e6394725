"""A real gunicorn (gunicorn.conf.py) on a free loopback port, for the tests that need the server as deployed."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.config import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
READY_SECONDS = 120.0


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Reply:
    """One HTTP answer."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class Server:
    """A running gunicorn master, its port and its log file."""

    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply:
        """Send one request on a fresh connection and read the whole answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=dict(headers or {}))
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def upload(self, path: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST a large body while reading the answer, as curl does: the server may answer (and close) before the
        body is all sent, and a client that only reads afterwards would see a broken pipe instead."""
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        with sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode("latin-1"))
            sender = threading.Thread(target=send_quietly, args=(sock, body))
            sender.start()
            response = http.client.HTTPResponse(sock)
            response.begin()
            reply = Reply(response.status, response.headers, response.read())
            sender.join(timeout=60)
        return reply

    def raw(self, data: bytes) -> bytes:
        """Send raw bytes (a request http.client would refuse to write) and read until the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            sock.sendall(data)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def workers(self) -> set[int]:
        """Process ids of the current workers."""
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return {int(pid) for pid in out.split()}

    def log_text(self) -> str:
        """Everything the server wrote so far."""
        return self.log.read_text(errors="replace")


def send_quietly(sock: socket.socket, data: bytes) -> None:
    """Send data until done or until the peer closes."""
    try:
        sock.sendall(data)
    except OSError:
        pass


def environment(port: int, settings: Mapping[str, str]) -> dict[str, str]:
    """The environment of a loopback gunicorn with BADGEPATH_<NAME> settings."""
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port)}
    env.update({f"BADGEPATH_{name.upper()}": value for name, value in settings.items()})
    return env


def launch(log: Path, settings: Mapping[str, str]) -> Server:
    """Start gunicorn with gunicorn.conf.py, its output going to log."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([str(GUNICORN), "--config", "gunicorn.conf.py", "service:create_app()"], cwd=ROOT,
                                env=environment(port, settings), stdout=out, stderr=subprocess.STDOUT)
    return Server(proc, port, log)


def wait_ready(server: Server, workers: int = 1) -> None:
    """Poll until /readyz answers 200 and `workers` workers run; fail early (with the log) if gunicorn exits."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.proc.returncode}:\n{server.log_text()[-3000:]}")
        try:
            if server.request("GET", "/readyz").status == 200 and len(server.workers()) == workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn not ready within {READY_SECONDS:.0f}s:\n{server.log_text()[-3000:]}")


def stop(server: Server) -> int:
    """SIGTERM the master and return its exit code."""
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
    return server.proc.wait(timeout=60)


@contextmanager
def gunicorn(log: Path, workers: int = 1, **settings: str) -> Iterator[Server]:
    """A ready gunicorn with these BADGEPATH_ settings, stopped (and checked to stop cleanly) afterwards."""
    server = launch(log, {"workers": str(workers), **settings})
    try:
        wait_ready(server, workers)
        yield server
    finally:
        code = stop(server)
    assert code == 0, server.log_text()[-3000:]
