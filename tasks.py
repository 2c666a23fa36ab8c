"""Entry point of the queue consumer: `huey_consumer tasks.huey -w 2 -k thread`.

The jobs live in jobs.py; here each worker, on start, builds the portal's app (settings,
database, mail, templates) for them to run in, once per process.
"""
import threading

import jobs
from app import create_app

huey = jobs.huey
_building = threading.Lock()


@huey.on_startup()
def build_app():
    with _building:
        if not jobs.has_app():
            create_app()  # binds itself to the jobs (jobs.init_app)
