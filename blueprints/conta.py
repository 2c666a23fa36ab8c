"""'Minha conta': who is signed in, and "Sair de todos os aparelhos"."""
from flask import Blueprint, flash, session

from services.contratantes import contas
from web.paginas import redirecionar, render
from web.sessao import current_account, login_required

bp = Blueprint("conta", __name__)


@bp.get("/conta/")
@login_required
def index():
    return render("conta/index.html", conta=current_account())


@bp.post("/conta/sair-de-todos-os-aparelhos")
@login_required
def sair_de_todos():
    contas.encerrar_sessoes(current_account().id)
    session.clear()
    flash("Você saiu da Área do Cliente em todos os aparelhos. Entre de novo para continuar.",
          "sucesso")
    return redirecionar("auth.login")
