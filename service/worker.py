"""The gunicorn worker badgepath serves with: gthread that leaves a new connection to the least busy worker."""

from __future__ import annotations

import mmap
import os
import time
from concurrent.futures import Future
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 16  # more workers than this share slots: their counts then mislead, for at most ACCEPT_DEFER a connection
# Per worker slot: its pid (a negative placeholder until the forked worker writes it) and its requests in flight.
# Mapped shared and anonymous when gunicorn's master imports this module, so every worker it forks reads and writes
# the same pages.
SHARED = memoryview(mmap.mmap(-1, SLOTS * 2 * 4)).cast("i")
PIDS, IN_FLIGHT = SHARED[:SLOTS], SHARED[SLOTS:]


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's gthread worker, except that it accepts a new connection only while no other worker has fewer
    requests in flight, or once it has left connections waiting for ACCEPT_DEFER seconds (a busy or stuck sibling
    never starves them).

    Stock gthread accepts up to worker_connections (1,000) connections whatever its threads are doing, and a kept-alive
    connection stays with the worker that accepted it. When a client pool opens its connections at once (a job board,
    or wrk), one worker could take them all and keep them while the other sat idle: 9 of 32 runs of 32 connections by
    400 role ids, at 247-415 answers/s instead of about 1,200 (docs/PERFORMANCE.md, session 16)."""

    ACCEPT_DEFER = 0.02
    in_flight = 0  # requests handed to the thread pool and not yet finished
    deferring_since = 0.0  # when this worker last stopped accepting (0: it accepts)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Runs in the master, before the fork: takes a free slot (none held by a live worker), reserved until the
        forked worker writes its pid there."""
        super().__init__(*args, **kwargs)
        free = [slot for slot, pid in enumerate(PIDS) if pid == 0 or (pid > 0 and not alive(pid))]
        self.slot = free[0] if free else self.age % SLOTS
        PIDS[self.slot], IN_FLIGHT[self.slot] = -self.age, 0

    def init_process(self) -> None:
        """In the worker: put its pid in its slot, then load the app and serve."""
        PIDS[self.slot] = os.getpid()
        super().init_process()

    def publish(self) -> None:
        """Write this worker's requests in flight to its slot, while the slot is still its own."""
        if PIDS[self.slot] == self.pid:
            IN_FLIGHT[self.slot] = self.in_flight

    def set_accept_enabled(self, enabled: bool) -> None:
        """gthread's switch for accepting. A worker that stops accepting for good (it is shutting down) gives its slot
        up, so that no other worker defers to it."""
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive and PIDS[self.slot] == self.pid:
            PIDS[self.slot] = IN_FLIGHT[self.slot] = 0

    def least_busy(self) -> bool:
        """Whether no other live worker has fewer requests in flight than this one."""
        return not any(pid > 0 and pid != self.pid and count < self.in_flight
                       for pid, count in zip(PIDS, IN_FLIGHT, strict=True))

    @property
    def worker_connections(self) -> int:
        """gthread's run loop accepts while nr_conns is below this: the configured cap, or what it holds now while it
        defers to a less busy worker (for at most ACCEPT_DEFER)."""
        if self.least_busy() or (self.deferring_since and time.monotonic() - self.deferring_since >= self.ACCEPT_DEFER):
            self.deferring_since = 0.0
            return int(self.connection_cap)
        self.deferring_since = self.deferring_since or time.monotonic()
        return int(min(self.connection_cap, self.nr_conns))

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        """The configured cap (gthread sets it from worker_connections)."""
        self.connection_cap = value

    def enqueue_req(self, conn: Any) -> None:
        """Hand a connection's request to the thread pool, counting it in flight."""
        self.in_flight += 1
        self.publish()
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Future[Any]) -> None:
        """A request finished (gthread calls this on the main thread): no longer in flight."""
        self.in_flight -= 1
        self.publish()
        super().finish_request(conn, fs)


def alive(pid: int) -> bool:
    """Whether a process exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
