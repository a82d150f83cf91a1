"""The production server's settings (gunicorn -c python:sijcoach.web.gunicorn_conf), used by `make run`
and by the web benchmark, so both serve the same way.

Single-threaded (sync) workers, one more than the machine's cores. Measured with `make bench`'s load
(2 cores, 64 clients): p99 of Today 36-45 ms and of the trivial view 26-31 ms, against 98-168 and
70-144 ms with two workers of four threads, at the same throughput. Threads of one process take
turns on Python's lock, and a kept-alive connection stays with one process even while another is
idle; a sync worker answers one request and the next one goes to whichever worker is free. The extra
worker covers the time one waits on the database.

Sync workers expect a proxy in front when clients are remote and slow (the TLS proxy of an HTTPS
deployment does that). A long request (the PDF handout, about a second) holds its worker: size with
WEB_CONCURRENCY (workers) and WEB_THREADS (threads per worker; more than one switches to gthread).
"""

import gc
import importlib
import os

# The cores this process may use (Linux), or all of them where that cannot be asked (macOS).
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores + 1)
threads = int(os.environ.get("WEB_THREADS") or 1)
accesslog = "-"
loglevel = "warning"


def post_worker_init(worker) -> None:
    """Once the worker has loaded the app, import every view (the URL configuration) and move what is
    loaded so far (modules, classes, functions: about 90,000 objects that live as long as the worker)
    out of the garbage collector's reach with `gc.freeze()`, as Python's documentation suggests for a
    server that forks. A full collection then looks only at what requests made: about 3 ms instead
    of 30-45 ms, which one request in ten or fifteen used to pay. Measured in-process on the coach's
    list of 200 clients, 150 requests: p99 114-147 ms before, 82-93 ms after, the median the same."""
    from django.conf import settings

    importlib.import_module(settings.ROOT_URLCONF)
    gc.freeze()
