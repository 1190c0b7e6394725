"""Soak and worker kill: gunicorn (2 workers) on loopback under 32 keep-alive clients mixing every endpoint.

Steady phase (--seconds, 60 by default): every answer must be the expected one; p50/p99 are recorded, and each
worker's RSS at the start and end, all of it and anonymous (heap) only. The heap must grow under 5 %: the
artifact's memory-mapped files count in RSS too as their pages are first read (bounded, shared, reclaimable).
Kill phase (--kill-seconds, 20): one worker is SIGKILLed a third of the way in; the master must replace it and
only requests sent before the kill may fail (the dead worker held their connections); failures are classed by
time against the kill and every one is counted (clients never retry). Prints the figures (docs/RELIABILITY.md
records a run); exits 1 if a promise is broken. Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from run import DESCRIPTION, ROLE, TITLES, free_port, percentile, rss_mb, start_gunicorn, stop, worker_pids

Request = tuple[str, str, bytes | None, frozenset[int]]
OK = frozenset({200})


@dataclass
class Failure:
    """A request that got no answer (or a wrong one)."""

    started: float
    ended: float
    reason: str
    reused: bool


@dataclass
class Stats:
    """What the clients saw in one phase, shared between their threads."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, seconds: float, status: int) -> None:
        """Record one expected answer."""
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1


def body(document: Any) -> bytes:
    """A JSON request body."""
    return json.dumps(document).encode()


def workload(port: int) -> list[Request]:
    """Requests over every endpoint (ids found on the served catalogue), expected 4xx answers included."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/v1/credentials?q=python&limit=1")
    credential = json.loads(conn.getresponse().read())["credentials"][0]["id"]
    conn.request("GET", "/v1/skills?q=python&limit=1")
    skill = json.loads(conn.getresponse().read())["skills"][0]["id"]
    conn.close()
    learner = {"badges": [credential, "Google Data Analytics"], "skills": ["SQL", skill]}
    requests: list[Request] = [
        ("GET", "/healthz", None, OK), ("GET", "/readyz", None, OK), ("GET", "/v1/meta", None, OK),
        ("GET", "/metrics", None, OK), ("GET", "/openapi.json", None, OK),
        ("GET", f"/v1/roles/{quote(ROLE, safe='')}", None, OK), ("GET", f"/v1/credentials/{credential}", None, OK),
        ("GET", f"/v1/credentials?skill={quote(skill, safe='')}", None, OK),
        ("GET", "/v1/credentials/no-such-credential", None, frozenset({404})),
        ("POST", "/v1/gap", body({"target": {}}), frozenset({422})),
        ("POST", "/v1/gap", body({"learner": learner, "target": {"role_id": ROLE}}), OK),
        ("POST", "/v1/recommendations", body({"learner": learner, "target": {"role_id": ROLE}}), OK),
        ("POST", "/v1/recommendations", body({"target": {"description": DESCRIPTION}}), OK),
        ("POST", "/v1/skills/extract", body({"text": DESCRIPTION}), OK),
        ("POST", "/v1/recommendations/batch", body({"requests": [{"target": {"title": t}} for t in TITLES[:5]]}), OK),
        ("POST", "/v1/recommendations/export?format=ctdl",
         body({"target": {"role_id": ROLE}, "start_date": "2026-01-05"}), OK),
        ("POST", "/v1/recommendations/export?format=ics",
         body({"target": {"role_id": ROLE}, "start_date": "2026-01-05"}), OK),
        ("POST", "/v1/badges/import", body({"badges": [credential, "Google Data Analytics"]}), OK),
    ]
    for title in TITLES:
        requests += [("GET", f"/v1/skills?q={quote(title)}", None, OK),
                     ("GET", f"/v1/roles?q={quote(title)}", None, OK),
                     ("GET", f"/v1/credentials?q={quote(title)}", None, OK),
                     ("POST", "/v1/roles/match", body({"text": title}), OK),
                     ("POST", "/v1/recommendations", body({"target": {"title": title}}), OK)]
    return requests


class Client:
    """One keep-alive connection sending random requests until a deadline (no retries: every failure counts)."""

    def __init__(self, port: int, stats: Stats, seed: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.stats, self.rng, self.used = stats, random.Random(seed), False

    def send(self, request: Request) -> None:
        """One request; after a failure the connection is reopened for the next one."""
        method, path, data, expected = request
        started = time.monotonic()
        try:
            self.conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            failure = Failure(started, time.monotonic(), type(exc).__name__, self.used)
            self.used = False
            with self.stats.lock:
                self.stats.failures.append(failure)
            return
        self.used = True
        if response.status in expected:
            self.stats.answered(time.monotonic() - started, response.status)
        else:
            with self.stats.lock:
                self.stats.failures.append(Failure(started, time.monotonic(), f"status {response.status}", True))

    def send_all(self, requests: list[Request]) -> None:
        """Send each request once, in order."""
        for request in requests:
            self.send(request)
        self.conn.close()

    def run(self, requests: list[Request], deadline: float) -> None:
        """Send until the deadline."""
        while time.monotonic() < deadline:
            self.send(self.rng.choice(requests))
        self.conn.close()


def load(port: int, requests: list[Request], clients: int, seconds: float, seed: int) -> Stats:
    """clients threads for seconds; returns what they saw."""
    stats, deadline = Stats(), time.monotonic() + seconds
    threads = [threading.Thread(target=Client(port, stats, seed + i).run, args=(requests, deadline))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return stats


def prime(port: int, requests: list[Request], clients: int, rounds: int = 4) -> None:
    """Send every distinct request `rounds` times across the clients, so both workers' caches hold them all."""
    work = requests * rounds
    threads = [threading.Thread(target=Client(port, Stats(), i).send_all, args=(work[i::clients],))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)


def summary(name: str, stats: Stats, seconds: float) -> str:
    """One line of figures for a phase."""
    ms = [s * 1000 for s in stats.latencies] or [0.0]
    return (f"{name}: {len(stats.latencies)} answers ({len(stats.latencies) / seconds:.0f}/s), "
            f"{len(stats.failures)} failed, p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
            f"max {max(ms):.0f} ms")


def settle(proc: Any, timeout: float = 180) -> None:
    """Wait until both workers have loaded (similar RSS that no longer grows)."""
    deadline, last = time.monotonic() + timeout, [0.0]
    while time.monotonic() < deadline:
        sizes = sorted(rss_mb(pid) for pid in worker_pids(proc))
        if len(sizes) == 2 and sizes[0] > 0.8 * sizes[1] and abs(sum(sizes) - sum(last)) < 0.01 * sum(sizes):
            return
        last = sizes
        time.sleep(1)
    raise RuntimeError("gunicorn workers did not finish loading")


def memory(proc: Any) -> dict[int, tuple[float, float]]:
    """Per worker: total RSS and anonymous RSS (heap; the artifact's mapped files excluded) in MB."""
    return {pid: (rss_mb(pid), rss_mb(pid, "RssAnon")) for pid in worker_pids(proc)}


def growth(before: dict[int, tuple[float, float]], after: dict[int, tuple[float, float]], i: int) -> dict[int, float]:
    """Per-worker growth in percent of one of the two sizes."""
    return {pid: (after.get(pid, (0.0, 0.0))[i] - sizes[i]) / sizes[i] * 100 for pid, sizes in before.items()}


def steady(proc: Any, port: int, requests: list[Request], args: argparse.Namespace) -> list[str]:
    """Warm up, then the steady phase with RSS sampled per worker at its start and end."""
    settle(proc)
    prime(port, requests, args.clients)
    load(port, requests, args.clients, args.warmup, seed=1)
    before = memory(proc)
    stats = load(port, requests, args.clients, args.seconds, seed=1000)
    after = memory(proc)
    total, anon = growth(before, after, 0), growth(before, after, 1)
    lines = [summary(f"steady {args.seconds:.0f} s, {args.clients} clients", stats, args.seconds)]
    for name, i, change in (("RSS", 0, total), ("anonymous RSS", 1, anon)):
        lines.append(f"worker {name} MB start -> end: " + ", ".join(
            f"{before[p][i]:.0f} -> {after.get(p, (0.0, 0.0))[i]:.0f} ({change[p]:+.2f} %)" for p in before))
    broken = bool(stats.failures) or set(after) != set(before) or max(anon.values()) >= 5.0
    lines.append(f"steady promises: {'kept' if not broken else 'BROKEN'} "
                 "(0 errors, same workers, anonymous RSS growth < 5 %)")
    if stats.failures:
        lines.append(f"steady failures: {Counter(f.reason for f in stats.failures).most_common(5)}")
    return lines


def replacement(proc: Any, old: set[int], deadline: float) -> float | None:
    """Seconds until the master has a new worker beside the survivors, or None."""
    started = time.monotonic()
    while time.monotonic() < deadline:
        pids = set(worker_pids(proc))
        if len(pids) == len(old) and pids != old:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def kill_phase(proc: Any, port: int, requests: list[Request], args: argparse.Namespace) -> list[str]:
    """SIGKILL one worker mid-load; classify the failures against the moment of the kill."""
    workers = set(worker_pids(proc))
    victim = min(workers)
    box: dict[str, Stats] = {}
    runner = threading.Thread(target=lambda: box.setdefault("stats", load(
        port, requests, args.clients, args.kill_seconds, seed=5000)))
    runner.start()
    time.sleep(args.kill_seconds / 3)
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    replaced = replacement(proc, workers, killed_at + args.kill_seconds)
    runner.join()
    stats = box["stats"]
    in_flight = [f for f in stats.failures if f.started <= killed_at]
    stale = [f for f in stats.failures if f.started > killed_at and f.reused]
    other = [f for f in stats.failures if f not in in_flight and f not in stale]
    lines = [summary(f"kill {args.kill_seconds:.0f} s (SIGKILL worker {victim} at {args.kill_seconds / 3:.0f} s)",
                     stats, args.kill_seconds),
             f"worker kill: {len(in_flight)} requests failed in flight on the killed worker "
             f"({Counter(f.reason for f in in_flight).most_common(3)}); {len(stale)} sent later on keep-alive "
             f"connections it had held failed at once; {len(other)} other failures; "
             f"replacement worker after {replaced:.2f} s" if replaced is not None else "no replacement worker"]
    broken = replaced is None or bool(other)
    lines.append(f"kill promises: {'kept' if not broken else 'BROKEN'} (replaced, only in-flight requests failed)")
    return lines


def main() -> int:
    """Start gunicorn, run both phases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    port = free_port()
    proc, ready = start_gunicorn(port, 2)
    try:
        requests = workload(port)
        lines = [f"machine: {os.cpu_count()} cores; gunicorn 2 workers x 4 threads; ready in {ready:.1f} s; "
                 f"{len(requests)} distinct requests over every endpoint"]
        lines += steady(proc, port, requests, args)
        lines += kill_phase(proc, port, requests, args)
    finally:
        stop(proc)
    print("\n".join(f"- {line}" for line in lines))
    return 1 if any("BROKEN" in line for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
