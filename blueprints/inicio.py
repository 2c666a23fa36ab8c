"""Home: where each kind of visitor starts; and `/saude`, the load balancer's health check."""
from flask import Blueprint, redirect, render_template, url_for

from models import db
from web import current_account

bp = Blueprint("inicio", __name__)


@bp.get("/")
def index():
    conta = current_account()
    if conta is not None and conta.is_agente:
        return redirect(url_for("agenda.index"))
    return render_template("inicio/index.html")


@bp.get("/saude")
def saude():
    """One query: the process answers and reaches the database (a 500 otherwise)."""
    db.execute_sql("SELECT 1").fetchone()
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

