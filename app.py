"""Área do Cliente — Certificado Digital: the application factory.

`flask --app app run`, `flask --app app init-db`, `flask --app app demo-data`.
"""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import cli
import web
from banco import conexao
from configuracao import ambiente
from filas import tarefas
from blueprints import (ac, agenda, agendamento, ajuda, atividades, auth, certificados, conta,
                        emissao, exportacao, financeiro, inicio, loja, lotes, organizacao,
                        pagamentos, pedidos, pontos, propostas, solicitacao, titular,
                        validacao, vencimentos)
from web.extensoes import compress, csrf, htmx, limiter, mail
from web.ids import IdConverter
from web.quadro import marcar_quadro


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["id"] = IdConverter  # before any blueprint's route is read
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(ambiente.from_environment(app.instance_path, debug=app.debug))
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError("Defina SECRET_KEY no ambiente (veja README.md, 'Configuração').")
        app.config["SECRET_KEY"] = "dev-only-not-secret"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config["TRUSTED_PROXIES"]:
        # Behind N proxies: the client IP (rate limits) and scheme come from X-Forwarded-*.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    mail.init_app(app)
    tarefas.init_app(app)  # before the database: its teardown must run after the connection closes
    conexao.init_app(app)
    # Before the CSRF check, so a form refused inside a cookieless frame knows it is framed.
    app.before_request(marcar_quadro)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    web.init_app(app)

    for blueprint in (inicio.bp, auth.bp, pedidos.bp, titular.bp, certificados.bp,
                      solicitacao.bp, ajuda.bp, agendamento.bp, agenda.bp, loja.bp,
                      financeiro.bp, pagamentos.bp, lotes.bp, exportacao.bp, conta.bp, ac.bp,
                      emissao.bp, organizacao.bp, atividades.bp, vencimentos.bp, propostas.bp,
                      pontos.bp, validacao.bp):
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app

