"""Home: where each kind of visitor starts; the frame's session probe."""
from flask import Blueprint, jsonify, redirect, render_template, session, url_for

from web import SONDA_QUADRO, current_account

bp = Blueprint("inicio", __name__)


@bp.get("/")
def index():
    conta = current_account()
    if conta is not None and conta.is_agente and "agenda.index" in _endpoints():
        return redirect(url_for("agenda.index"))
    return render_template("inicio/index.html")


@bp.get("/quadro/sessao")
def sessao_quadro():
    """Whether this browser sent back the cookie a framed page set (see web._embedded)."""
    return jsonify(sessao=bool(session.get(SONDA_QUADRO)))


def _endpoints():
    from flask import current_app

    return current_app.view_functions
