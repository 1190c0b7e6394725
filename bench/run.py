"""Benchmarks: in-process latency vs the encode floor, gunicorn throughput with wrk, start-up, RSS.

Prints one table; docs/PERFORMANCE.md records a run. Loopback only, bounded runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROLE = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
TITLES = [
    "junior data analyst", "backend software engineer", "registered nurse", "hotel receptionist",
    "warehouse supervisor", "primary school teacher", "sales representative", "civil engineer",
    "social media manager", "accountant", "electrician", "chef de partie", "HR business partner",
    "cloud architect", "truck driver", "pharmacist", "graphic designer", "project coordinator",
    "customer support agent", "cyber security analyst",
]
DESCRIPTION = (
    "We are looking for a Data Engineer to join our analytics platform team in Berlin. "
    "You will design, build and maintain batch and streaming data pipelines in Python and SQL, "
    "model data in our cloud data warehouse, and work with data scientists to put machine learning "
    "models into production. Responsibilities: build ETL processes with Airflow; develop data models "
    "and documentation; monitor data quality and fix incidents; automate infrastructure with Terraform "
    "and CI/CD pipelines; collaborate with product managers and stakeholders to understand requirements. "
    "Requirements: 3+ years of experience in data engineering; strong SQL and Python; experience with "
    "Spark or similar distributed processing; knowledge of AWS or GCP; familiarity with Docker and "
    "Kubernetes; good communication skills in English; a degree in computer science or a related field. "
    "Nice to have: experience with Kafka, dbt and data governance. We offer a competitive salary, "
    "30 days of holiday, a yearly learning budget and flexible working hours. We are an equal "
    "opportunity employer and value diversity."
)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def timed(fn: Callable[[int], Any], n: int) -> tuple[float, float]:
    """p50 and p99 in milliseconds of n calls fn(i)."""
    samples = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 99)


def in_process(rows: list[tuple[str, str, float, float]], n: int) -> None:
    """Latency through the Flask test client, and the bare encode floor of the same texts."""
    from service import create_app

    app = create_app({"query_cache_size": 0, "answer_cache_size": 0})
    client = app.test_client()
    encoder = app.extensions["badgepath"].encoder

    def post(path: str, body: Any) -> None:
        response = client.post(path, json=body)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]

    role_titles = [r["title"] for r in first_roles(50)]
    for _ in range(3):
        post("/v1/recommendations", {"target": {"role_id": ROLE}})
        encoder.encode([DESCRIPTION])
    cases: list[tuple[str, Callable[[int], Any]]] = [
        ("encode: title (floor)", lambda i: encoder.encode([TITLES[i % len(TITLES)]])),
        ("encode: 200-word description (floor)", lambda i: encoder.encode([DESCRIPTION])),
        ("healthz", lambda i: client.get("/healthz")),
        ("recommendations by role id", lambda i: post("/v1/recommendations", {"target": {"role_id": ROLE}})),
        ("recommendations by title", lambda i: post("/v1/recommendations",
                                                    {"target": {"title": TITLES[i % len(TITLES)]}})),
        ("recommendations by description", lambda i: post("/v1/recommendations",
                                                          {"target": {"description": DESCRIPTION}})),
        ("skills/extract (description)", lambda i: post("/v1/skills/extract", {"text": DESCRIPTION})),
        ("batch of 50 (titles)", lambda i: post("/v1/recommendations/batch", {"requests": [
            {"target": {"title": TITLES[(i + j) % len(TITLES)]}} for j in range(50)]})),
        ("batch of 50 (distinct role titles)", lambda i: post("/v1/recommendations/batch", {"requests": [
            {"target": {"title": title}} for title in role_titles]})),
    ]
    cases += reference_floor()
    for name, fn in cases:
        p50, p99 = timed(fn, max(5, n // 10) if "batch" in name else n)
        rows.append(("in-process", name, p50, p99))
        print(f"| in-process | {name} | {p50:.2f} | {p99:.2f} |", file=sys.stderr, flush=True)


def reference_floor() -> list[tuple[str, Callable[[int], Any]]]:
    """The same encodes with sentence-transformers' model.encode (torch, 1 thread), for reference."""
    import torch
    from sentence_transformers import SentenceTransformer

    from service.config import Settings

    torch.set_num_threads(1)
    model = SentenceTransformer(str(Settings().model_dir), device="cpu")
    model.encode([DESCRIPTION])
    return [("reference encode: title (sentence-transformers)", lambda i: model.encode([TITLES[i % len(TITLES)]])),
            ("reference encode: 200-word description (sentence-transformers)",
             lambda i: model.encode([DESCRIPTION]))]


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int, **settings: str) -> tuple[subprocess.Popen[bytes], float]:
    """Start gunicorn (settings: extra environment) and return it with the seconds until /readyz answered 200."""
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "BADGEPATH_WORKERS": str(workers),
           "BADGEPATH_LOG_LEVEL": "warning", **settings}
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                             "--access-logfile", "/dev/null", "service:create_app()"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    while time.perf_counter() - started < 120:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                if response.status == 200:
                    return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    stop(proc)
    raise RuntimeError("gunicorn did not become ready in 120 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def worker_pids(proc: subprocess.Popen[bytes]) -> list[int]:
    """Process ids of the gunicorn master's workers."""
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in children]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of one process in MB (0 if it is gone): all of it, or RssAnon (heap, no mapped files)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith(f"{field}:")), 0.0)


def worker_rss_mb(proc: subprocess.Popen[bytes]) -> list[float]:
    """Resident memory of each gunicorn worker in MB."""
    return [rss_mb(pid) for pid in worker_pids(proc)]


LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = %s
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n %% #bodies) + 1])
end
"""


def wrk(url: str, connections: int, seconds: int, bodies: list[str] | None) -> tuple[float, float, float]:
    """Requests/s, p50 and p99 (ms) of one wrk run; bodies make it POST them in turn."""
    args = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if bodies:
            script.write(LUA % ("{" + ",".join(json.dumps(b) for b in bodies) + "}"))
            args[1:1] = ["-s", script.name]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    return parse_wrk(out)


def parse_wrk(out: str) -> tuple[float, float, float]:
    """Requests/s and the 50% / 99% latencies (ms) from wrk --latency output."""
    def ms(token: str) -> float:
        for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
            if token.endswith(unit):
                return float(token[: -len(unit)]) * factor
        return float(token)

    stats = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip().startswith(("50%", "99%"))}
    rps = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("Requests/sec"))
    errors = [line for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if errors:
        print("wrk:", "; ".join(errors), file=sys.stderr)
    return rps, ms(stats["50%"]), ms(stats["99%"])


def first_roles(count: int) -> list[dict[str, Any]]:
    """The first role records of the catalogue."""
    with gzip.open(ROOT / "catalog" / "roles.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(count), handle, strict=False)]


def served(rows: list[tuple[str, str, float, float]], extra: list[str], seconds: int) -> None:
    """Throughput and latency through real gunicorn (2 workers) with wrk on loopback."""
    port = free_port()
    proc, ready = start_gunicorn(port, 2)
    try:
        extra.append(f"cold start to /readyz (2 workers): {ready:.2f} s")
        base = f"http://127.0.0.1:{port}"
        role = [json.dumps({"target": {"role_id": ROLE}})]
        roles = [json.dumps({"target": {"role_id": r["id"]}}) for r in first_roles(400)]
        titles = [json.dumps({"target": {"title": t}}) for t in TITLES]
        role_titles = [json.dumps({"target": {"title": r["title"]}}) for r in first_roles(400)]
        for connections in (1, 8, 32):
            for name, path, bodies in (("healthz", "/healthz", None),
                                       ("by role id, one role (answer cache)", "/v1/recommendations", role),
                                       ("by role id, 400 roles", "/v1/recommendations", roles),
                                       ("by title, 20 titles (answer cache)", "/v1/recommendations", titles),
                                       ("by title, 400 role titles", "/v1/recommendations", role_titles)):
                rps, p50, p99 = wrk(base + path, connections, seconds, bodies)
                rows.append((f"gunicorn c={connections}", f"{name} ({rps:,.0f} req/s)", p50, p99))
                print(f"| gunicorn c={connections} | {name} ({rps:,.0f} req/s) | {p50:.2f} | {p99:.2f} |",
                      file=sys.stderr, flush=True)
        extra.append("RSS per worker after load: " + ", ".join(f"{mb:.0f} MB" for mb in worker_rss_mb(proc)))
    finally:
        stop(proc)


def served_postings(rows: list[tuple[str, str, float, float]], extra: list[str], seconds: int) -> None:
    """Job-board load: the hand-labelled postings through a second gunicorn whose answer and query caches are off, so
    that every posting is read and answered anew (40 postings repeat within 10 s)."""
    with (ROOT / "eval" / "data" / "postings_labelled.jsonl").open(encoding="utf-8") as handle:
        posted = [json.dumps({"target": {"description": json.loads(line)["text"]}}) for line in handle]
    port = free_port()
    proc, _ = start_gunicorn(port, 2, BADGEPATH_ANSWER_CACHE_SIZE="0", BADGEPATH_QUERY_CACHE_SIZE="0")
    try:
        for connections in (1, 2, 8):
            rps, p50, p99 = wrk(f"http://127.0.0.1:{port}/v1/recommendations", connections, seconds, posted)
            name = f"by description, {len(posted)} postings, caches off ({rps:,.1f} req/s)"
            rows.append((f"gunicorn c={connections}", name, p50, p99))
            print(f"| gunicorn c={connections} | {name} | {p50:.2f} | {p99:.2f} |", file=sys.stderr, flush=True)
        rss = ", ".join(f"{mb:.0f} MB" for mb in worker_rss_mb(proc))
        extra.append(f"RSS per worker after the posting load: {rss}")
    finally:
        stop(proc)


def main() -> None:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="in-process iterations per case")
    parser.add_argument("--seconds", type=int, default=10, help="wrk run length")
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, float, float]] = []
    extra = [f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}"]
    in_process(rows, args.n)
    if not args.skip_server and shutil.which("wrk"):
        served(rows, extra, args.seconds)
        served_postings(rows, extra, args.seconds)
    print("| where | case | p50 ms | p99 ms |\n|---|---|---:|---:|")
    for where, name, p50, p99 in rows:
        print(f"| {where} | {name} | {p50:.2f} | {p99:.2f} |")
    extra += ratios({(where, name.split(" (")[0]): p50 for where, name, p50, _ in rows})
    print("\n" + "\n".join(f"- {line}" for line in extra))


def ratios(p50: dict[tuple[str, str], float]) -> list[str]:
    """The issue's targets as ratios of p50 latencies measured in this run."""
    out = []
    pairs = [(f"by title <= 1.5x one {floor}encode of the title", ("in-process", "recommendations by title"),
              ("in-process", f"{floor}encode: title")) for floor in ("", "reference ")]
    pairs += [(f"by description <= 2x one {floor}encode of it", ("in-process", "recommendations by description"),
               ("in-process", f"{floor}encode: 200-word description")) for floor in ("", "reference ")]
    pairs.append(("by role id <= 3x /healthz (in-process, computing)", ("in-process", "recommendations by role id"),
                  ("in-process", "healthz")))
    pairs += [(f"by role id <= 3x /healthz (gunicorn c={c}, {case})", (f"gunicorn c={c}", f"by role id, {case}"),
               (f"gunicorn c={c}", "healthz")) for c in (1, 8, 32) for case in ("one role", "400 roles")]
    for name, top, bottom in pairs:
        if top in p50 and bottom in p50:
            out.append(f"{name}: {p50[top]:.2f} / {p50[bottom]:.2f} ms = {p50[top] / p50[bottom]:.1f}x")
    return out


if __name__ == "__main__":
    main()
