"""Entry point of the queue consumer: `huey_consumer filas.consumidor.huey -w 2 -k thread`.

The jobs live in tarefas.py; here each worker, on start, builds the portal's app (settings,
database, mail, templates) for them to run in, once per process.
"""
import threading

from filas import tarefas
from app import create_app

huey = tarefas.huey
_building = threading.Lock()


@huey.on_startup()
def build_app():
    with _building:
        if not tarefas.has_app():
            create_app()  # binds itself to the jobs (tarefas.init_app)
