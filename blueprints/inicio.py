"""Home: where each kind of visitor starts; the frame's session probe; and `/saude`, the load
balancer's health check."""
import os

from flask import Blueprint, current_app, jsonify, make_response, render_template, session

from banco.conexao import responde
from web.quadro import SONDA_QUADRO
from web.sessao import current_account
from web.paginas import redirecionar

bp = Blueprint("inicio", __name__)


@bp.get("/")
def index():
    conta = current_account()
    if conta is not None and conta.is_agente:
        return redirecionar("agenda.index")
    return render_template("inicio/index.html")


@bp.get("/quadro/sessao")
def sessao_quadro():
    """Whether this browser sent back the cookie a framed page set (see web._embedded)."""
    return jsonify(sessao=bool(session.get(SONDA_QUADRO)))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; the same SVG icon."""
    with open(os.path.join(current_app.static_folder, "favicon.svg"), "rb") as arquivo:
        response = make_response(arquivo.read())
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/saude")
def saude():
    """One query: the process answers and reaches the database (a 500 otherwise)."""
    responde()
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
