""""Vencimentos": the active contratante's issued certificates by end of validity — the counts
of each range, each a link to its list, and "Renovar" for those whose papel may."""
from flask import Blueprint, current_app, request

from services.contratantes import vencimentos
from web.paginas import cursores, render
from web.papeis import requer
from web.sessao import current_account

bp = Blueprint("vencimentos", __name__, url_prefix="/vencimentos")


@bp.get("/")
@requer("ver_vencimentos")
def index():
    faixa = vencimentos.ler_faixa(request.args.get("faixa"))
    faixas, resultado = vencimentos.da_conta(current_account(), faixa,
                                             current_app.config["PAGE_SIZE"], *cursores())
    return render("vencimentos/index.html", "vencimentos/_lista.html", faixas=faixas,
                  faixa=faixa, rotulo=vencimentos.FAIXAS[faixa][0], resultado=resultado)
