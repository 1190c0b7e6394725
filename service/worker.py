"""The gunicorn worker badgepath serves with: gthread that defers accepting new connections while its threads are all
busy."""

from __future__ import annotations

import time
from concurrent.futures import Future
from typing import Any

from gunicorn.workers.gthread import ThreadWorker


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's gthread worker, except that once all its threads are busy it leaves new connections in the listen
    queue the workers share for up to ACCEPT_DEFER seconds, for a worker with an idle thread to accept.

    Stock gthread accepts up to worker_connections (1,000) connections whatever its threads are doing, and a kept-alive
    connection stays with the worker that accepted it. When a client pool opens its connections at once (a job board,
    or wrk), one worker could take them all and keep them while the other sat idle: in 3 of 8 runs of 32 connections
    by 400 role ids, 358-415 answers/s instead of 1,239-1,533 (docs/PERFORMANCE.md, session 16). The deferral is
    bounded, so that when every worker is busy a new connection still gets its turn behind the kept-alive ones."""

    ACCEPT_DEFER = 0.02
    in_flight = 0  # requests handed to the thread pool and not yet finished
    busy_since = 0.0  # when in_flight last reached the thread count

    @property
    def worker_connections(self) -> int:
        """gthread's run loop accepts while nr_conns is below this: the configured cap, or no more than it holds now
        while every thread has been busy for less than ACCEPT_DEFER."""
        deferring = self.in_flight >= self.cfg.threads and time.monotonic() - self.busy_since < self.ACCEPT_DEFER
        return int(min(self.connection_cap, self.nr_conns) if deferring else self.connection_cap)

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        """The configured cap (gthread sets it from worker_connections)."""
        self.connection_cap = value

    def enqueue_req(self, conn: Any) -> None:
        """Hand a connection's request to the thread pool, counting it in flight."""
        self.in_flight += 1
        if self.in_flight == self.cfg.threads:
            self.busy_since = time.monotonic()
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Future[Any]) -> None:
        """A request finished (gthread calls this on the main thread): no longer in flight."""
        self.in_flight -= 1
        super().finish_request(conn, fs)
