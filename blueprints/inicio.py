"""Home: where each kind of visitor starts."""
from flask import Blueprint, redirect, render_template, url_for

from web import current_account

bp = Blueprint("inicio", __name__)


@bp.get("/")
def index():
    conta = current_account()
    if conta is not None and conta.is_agente:
        return redirect(url_for("agenda.index"))
    return render_template("inicio/index.html")
