"""Entry point of the queue consumer: `huey_consumer filas.consumidor.huey -w 2 -k thread`.

The jobs live in filas/tarefas.py. Importing this module builds the portal's app (settings,
database, mail, templates), which builds the queue from those settings: the consumer takes
the same queue the web workers fill.
"""
from app import create_app
from filas import tarefas

create_app()
huey = tarefas.huey
