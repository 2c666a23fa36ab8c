"""Área do Cliente — Certificado Digital: the application factory.

`flask --app app run`, `flask --app app init-db`, `flask --app app demo-data`.
"""
import os

from flask import Flask
from flask_mailman import Mail

import database
import settings
import web
import tasks
from extensions import compress, csrf, htmx, limiter
from services import mail as outbox

mail = Mail()


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(settings.from_environment(app.instance_path, debug=app.debug))
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError("Defina SECRET_KEY no ambiente (veja README.md, 'Configuração').")
        app.config["SECRET_KEY"] = "dev-only-not-secret"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")

    mail.init_app(app)
    _init_jobs(app)  # before the database: its teardown must run after the connection closes
    database.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    web.init_app(app)

    from blueprints import (ac, agenda, agendamento, ajuda, auth, certificados, emissao,
                            financeiro, inicio, loja, pagamentos, pedidos, solicitacao, titular)

    for blueprint in (inicio.bp, auth.bp, pedidos.bp, titular.bp, certificados.bp,
                      solicitacao.bp, ajuda.bp, agendamento.bp, agenda.bp, loja.bp,
                      financeiro.bp, pagamentos.bp, ac.bp, emissao.bp):
        app.register_blueprint(blueprint)
    ac.init_app(app)

    import demo_data

    demo_data.init_app(app)
    return app


def _init_jobs(app):
    tasks.bind_app(app)
    if app.testing:
        tasks.huey.immediate = True  # jobs run inline, in memory

    @app.before_request
    def _start_consumer():
        if app.config["JOBS_EMBUTIDOS"] and not tasks.huey.immediate:
            tasks.start_embedded_consumer()

    @app.teardown_request
    def _dispatch_mail(exc):
        # Runs after the request's transaction ended: queued messages now exist, or not.
        if exc is None:
            outbox.despachar()
        else:
            outbox.descartar()
