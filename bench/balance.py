"""How evenly gunicorn's two workers share a pool of keep-alive clients: repeated wrk runs by 400 role ids, with each
worker's CPU time per run (from /proc). A worker that used almost no CPU in a run held none of the connections.

    .venv/bin/python bench/balance.py                       # the configured worker (gunicorn.conf.py)
    .venv/bin/python bench/balance.py --worker-class gthread  # stock gthread, for comparison
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from run import first_roles, free_port, start_gunicorn, stop, worker_pids, wrk

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    """Print one line per run: answers/s, p50, and each worker's CPU seconds in the run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-class", help="gunicorn worker class instead of the configured one")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=6)
    args = parser.parse_args()
    settings = {"GUNICORN_CMD_ARGS": f"--worker-class {args.worker_class}"} if args.worker_class else {}
    port = free_port()
    proc, _ = start_gunicorn(port, 2, **settings)
    try:
        time.sleep(5)  # both workers loaded: /readyz answered when the first one was
        pids = worker_pids(proc)
        bodies = [json.dumps({"target": {"role_id": r["id"]}}) for r in first_roles(400)]
        idle = 0
        print(f"worker class: {args.worker_class or 'configured'}; {args.connections} connections, 400 role ids")
        for run in range(args.runs):
            before = [cpu_seconds(p) for p in pids]
            rps, p50, _ = wrk(f"http://127.0.0.1:{port}/v1/recommendations", args.connections, args.seconds, bodies)
            used = [cpu_seconds(p) - b for p, b in zip(pids, before, strict=True)]
            idle += min(used) < 0.1 * args.seconds
            print(f"run {run + 1}: {rps:,.0f} req/s, p50 {p50:.1f} ms, worker CPU "
                  + " / ".join(f"{u:.2f} s" for u in used), flush=True)
        print(f"runs with a worker idle (CPU < 10 % of the run): {idle} of {args.runs}")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
