"""Área do Cliente — Certificado Digital: the application factory.

`flask --app app run`, `flask --app app init-db`, `flask --app app demo-data`.
"""
import os

from flask import Flask

import database
import settings
import web
from extensions import compress, csrf, htmx, limiter


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

    database.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    web.init_app(app)

    from blueprints import auth, inicio, pedidos

    app.register_blueprint(inicio.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pedidos.bp)

    import demo_data

    demo_data.init_app(app)
    return app
