"""gunicorn settings for badgepath (gthread workers; every value overridable from the environment)."""

import ctypes
import json
import logging
import os
import sys
import uuid

from gunicorn import util
from gunicorn.glogging import Logger, SafeAtoms

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("BADGEPATH_WORKERS", os.environ.get("WEB_CONCURRENCY", "2")))
threads = int(os.environ.get("BADGEPATH_THREADS", "4"))
worker_class = "service.worker.BalancedThreadWorker"
timeout = int(os.environ.get("BADGEPATH_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Never preload: forked workers can hang in PyTorch inference (gunicorn #2478, #2621).
preload_app = False
# No runtime control socket: it is not needed to run the service, and instances sharing a home folder would
# contend for the one default path ($HOME/.gunicorn/gunicorn.ctl).
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("BADGEPATH_LOG_LEVEL", "info")
access_log_format = json.dumps({
    "time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "query": "%(q)s",
    "status": "%(s)s", "bytes": "%(B)s", "ms": "%(M)s", "request_id": "%({x-request-id}o)s",
    "agent": "%(a)s",
})
raw_env = [
    f"BADGEPATH_TORCH_THREADS={os.environ.get('BADGEPATH_TORCH_THREADS', '1')}",
    # Model loading draws a progress bar on stderr; in JSON server logs it is noise.
    f"HF_HUB_DISABLE_PROGRESS_BARS={os.environ.get('HF_HUB_DISABLE_PROGRESS_BARS', '1')}",
]
# The longest request line gunicorn accepts (its maximum): a schema-valid query string (q up to 500 characters,
# each up to 12 bytes percent-encoded) fits; a longer one gets a 414 problem.
limit_request_line = 8190


class JsonAtoms(SafeAtoms):
    """Access-log values escaped for a JSON string. gunicorn's SafeAtoms only puts a backslash before each quote,
    so a value ending in a backslash (a path or a User-Agent) still closes the string and forges fields."""

    def __init__(self, atoms):
        dict.__init__(self, {k: json.dumps(v)[1:-1] if isinstance(v, str) else v for k, v in atoms.items()})


class JsonAccessLogger(Logger):
    """gunicorn's logger with JSON-escaped access-log values."""

    atoms_wrapper_class = JsonAtoms


logger_class = JsonAccessLogger


def write_problem(sock, status_int, reason, mesg):
    """gunicorn's own HTTP errors (request line too long, malformed headers...) as application/problem+json, like
    every error of the app, instead of its HTML page."""
    slug = reason.lower().replace(" ", "-")
    rid = uuid.uuid4().hex  # the request was not read, so its own id is unknown: a new one, logged with the error
    logging.getLogger("gunicorn.error").info("%s %s request_id=%s", status_int, reason, rid)
    body = json.dumps({"type": f"https://badgepath.dev/problems/{slug}", "title": reason, "status": status_int,
                       "detail": mesg, "request_id": rid})
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
            f"X-Content-Type-Options: nosniff\r\nX-Request-ID: {rid}\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, (head + body).encode("latin-1"))


util.write_error = write_problem


# glibc gives each thread that allocates its own malloc arena (up to 8 per core), and each arena keeps what it freed.
# One worker of four threads under title, role and posting load at c = 4 (ONNX encoder, caches off), two runs each:
# RSS 629-630 MB with glibc's default, 600-610 with two arenas, 580-591 with one, at the same throughput (titles
# 171-190 req/s, roles 284-294, postings 14.0-14.2 with any setting): the threads spend their time under the GIL or
# in ONNX Runtime's own allocator, not in malloc's lock. 0 keeps glibc's default.
MALLOC_ARENAS = int(os.environ.get("BADGEPATH_MALLOC_ARENAS", "1"))
M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas(count):
    """Cap this process's glibc malloc arenas (before its threads start); a no-op off glibc or for count 0."""
    if count <= 0:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.mallopt(M_ARENA_MAX, count)


def post_fork(server, worker):
    """A worker that cannot load (bad settings, model or artifact) stops gunicorn with one line naming the problem:
    exit code 4 ("App failed to load.") makes the master halt instead of booting workers in a loop."""
    limit_malloc_arenas(MALLOC_ARENAS)
    load = worker.load_wsgi

    def load_or_halt():
        from service.config import SettingsError
        from service.embed import ModelError
        from service.index import ArtifactError

        try:
            load()
        except (ArtifactError, ModelError, SettingsError) as exc:
            worker.log.error("badgepath: refusing to start: %s", exc)
            sys.exit(server.APP_LOAD_ERROR)

    worker.load_wsgi = load_or_halt


def on_starting(server):
    """While the master halts, a second worker that also failed to load must not raise HaltServer again
    (gunicorn would then crash with a traceback instead of exiting 4 with its one line)."""
    from gunicorn.errors import HaltServer

    reap, stop = server.reap_workers, server.stop

    def stop_quietly(*args, **kwargs):
        server.reap_workers = reap_quietly
        try:
            return stop(*args, **kwargs)
        finally:
            server.reap_workers = reap

    def reap_quietly():
        try:
            reap()
        except HaltServer:
            pass

    server.stop = stop_quietly
