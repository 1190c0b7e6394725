"""gunicorn settings for badgepath (gthread workers; every value overridable from the environment)."""

import json
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("BADGEPATH_WORKERS", os.environ.get("WEB_CONCURRENCY", "2")))
threads = int(os.environ.get("BADGEPATH_THREADS", "4"))
worker_class = "gthread"
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
