"""gunicorn settings (read automatically from the working directory): `gunicorn 'app:create_app()'`.

Every value comes from the environment (README, "Configuração"); bench/RESULTS.md says what
each one bought on the 2-core reference machine.
"""
import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes: one per core by default, one thread each (the sync worker): on the 2-core
# reference machine that served both the hello-world ceiling and the pages best (see
# bench/RESULTS.md). GUNICORN_THREADS > 1 switches to the gthread worker, which keeps
# connections alive (GUNICORN_KEEPALIVE) and overlaps waits on PostgreSQL and Redis; each
# thread holds at most one pooled database connection, so DB_POOL_MAX >= GUNICORN_THREADS.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))  # seconds an idle connection stays
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Recycle workers now and then (with jitter, not all at once) so a slow leak cannot grow;
# GUNICORN_MAX_REQUESTS=0 never does.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 10
# The app is imported once, in the master, and every worker is a fork of it: a recycled
# worker answers at once instead of importing the app while its queue waits (the /saude
# tail of bench/RESULTS.md). Nothing connects at import: each worker opens its own database
# pool, Redis connections and job consumer on its first request.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def when_ready(server):
    """In the master, once the app is loaded and before the first fork: every template is
    compiled here, so a worker, at start or recycled, does not compile them on its first
    pages (~0.7 s for all; the tail of a recycle in bench/RESULTS.md). Then the loaded objects
    are frozen out of the garbage collector: the workers' collections neither walk them nor
    write to the memory pages they share with the master."""
    if preload_app:
        from web import aquecer
        aquecer(server.app.wsgi())
        gc.freeze()

loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
errorlog = "-"
# Access log: off unless GUNICORN_ACCESSLOG names a file or "-" (stdout).
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
# The access log never holds a usable holder or password link (see configuracao/logs.py).
logger_class = "configuracao.logs.AccessLogger"
