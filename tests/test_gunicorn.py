"""The real server: gunicorn with gunicorn.conf.py serves the app on a loopback port and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from service.config import ROOT

from .catalogs import DATA_ANALYST

READY_TIMEOUT = 60.0


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    """GET (or POST a JSON body) and return the status and decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /readyz until it answers 200, failing early (with the server log) if gunicorn exits."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"gunicorn exited with {server.returncode}:\n{tail}")
        try:
            if call(base + "/readyz")[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"gunicorn not ready within {READY_TIMEOUT:.0f}s")


@pytest.fixture(scope="module")
def server(artifact_dir: Path, small_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn serving the small artifact with one worker; yields its base URL and stops it with SIGTERM."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "BADGEPATH_WORKERS": "1",
           "BADGEPATH_ARTIFACT_DIR": str(artifact_dir), "BADGEPATH_CATALOG_DIR": str(small_catalog)}
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py", "service:create_app()"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_ready(f"http://127.0.0.1:{port}", server, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=30) == 0


def test_serves_a_recommendation(server: str) -> None:
    """A recommendation over real HTTP answers the contract's fields with a non-empty path."""
    status, body = call(server + "/v1/recommendations", {"target": {"role_id": DATA_ANALYST},
                                                         "constraints": {"max_steps": 3}})
    assert status == 200
    assert {"target", "gap", "path", "uncovered", "warnings"} <= set(body)
    assert body["target"]["role"]["id"] == DATA_ANALYST
    steps = body["path"]["steps"]
    assert 1 <= len(steps) <= 3
    assert all({"credential", "covers", "why", "start_week", "end_week"} <= set(s) for s in steps)
    assert body["path"]["coverage_after"] > body["path"]["coverage_before"]


def test_percent_encoded_uri_over_http(server: str) -> None:
    """A role URI percent-encoded into one path segment survives the real server's path decoding."""
    status, body = call(server + "/v1/roles/" + quote(DATA_ANALYST, safe=""))
    assert (status, body["id"], body["title"]) == (200, DATA_ANALYST, "data analyst")


def test_errors_are_problems_over_http(server: str) -> None:
    """An unknown route answers problem+json through gunicorn too."""
    request = urllib.request.Request(server + "/nowhere", headers={"X-Request-ID": "gunicorn-1"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 404
    assert caught.value.headers["Content-Type"] == "application/problem+json"
    assert json.loads(caught.value.read())["request_id"] == "gunicorn-1"


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's worker processes."""
    return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def holder(client: socket.socket, port: int, workers: list[int]) -> int | None:
    """The worker holding the accepted side of a loopback connection to port (None until one accepted it)."""
    mine = client.getsockname()[1]
    inodes = {line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
              if int(line.split()[1].split(":")[1], 16) == port and int(line.split()[2].split(":")[1], 16) == mine}
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in {f"socket:[{inode}]" for inode in inodes - {"0"}}:
                    return pid
            except OSError:
                continue  # an fd closed while listing
    return None


def test_a_new_connection_goes_to_the_worker_with_fewer_requests_in_flight(
    artifact_dir: Path, small_catalog: Path, tmp_path: Path
) -> None:
    """A connection that has not sent its request yet counts as a request in flight on the worker that accepted it,
    so the next connection is accepted by the other, idle worker (stock gthread accepts it as readily in the busy
    one), and both are then answered."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "BADGEPATH_WORKERS": "2", "BADGEPATH_THREADS": "1",
           "BADGEPATH_ARTIFACT_DIR": str(artifact_dir), "BADGEPATH_CATALOG_DIR": str(small_catalog)}
    log = tmp_path / "server.log"
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py", "service:create_app()"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_ready(f"http://127.0.0.1:{port}", server, log)
            deadline = time.monotonic() + READY_TIMEOUT
            while log.read_text(errors="replace").count("loaded model and artifact") < 2:  # until both serve
                assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
                time.sleep(0.1)
            workers = worker_pids(server.pid)
            first, second = socket.create_connection(("127.0.0.1", port)), socket.create_connection(("127.0.0.1", port))
            with first, second:
                held = []
                for client in (first, second):
                    deadline = time.monotonic() + 10
                    while (pid := holder(client, port, workers)) is None and time.monotonic() < deadline:
                        time.sleep(0.05)
                    held.append(pid)
                assert None not in held and held[0] != held[1], held
                request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                for client in (first, second):
                    client.sendall(request.encode())
                    assert client.recv(4096).startswith(b"HTTP/1.1 200")
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=30) == 0
