"""'Atividades': the active contratante's audit trail, filtered by person and period (a GET
form: the filter lives in the URL, so it is bookmarked, paged and exported as it is), and its
export as CSV or XLSX."""
from flask import Blueprint, current_app, request

from services.contratantes import atividades, vinculos
from services.nucleo.recusas import Recusa
from services.titular import exportacao
from web import downloads
from web.filtros import format_datetime
from web.paginas import cursores, render
from web.papeis import requer
from web.sessao import current_account

bp = Blueprint("atividades", __name__, url_prefix="/organizacao/atividades")

CAMPOS = ("pessoa", "de", "ate")


def _pedido():
    """(contratante id, the people offered, what was typed in each field)."""
    contratante_id = vinculos.contratante_de(current_account())
    return (contratante_id, atividades.pessoas(contratante_id),
            {campo: request.args.get(campo, "") for campo in CAMPOS})


def _pagina(pessoas, digitado, resultado=None, recusa=None):
    """The page; a refused filter shows its message at the field, the typed values kept."""
    filtros = {campo: valor for campo, valor in digitado.items() if valor}
    return render("atividades/index.html", "atividades/_resultados.html",
                  status=422 if recusa else 200, pessoas=pessoas, digitado=digitado,
                  filtros=filtros, resultado=resultado, recusa=recusa,
                  o_que=atividades.o_que)


@bp.get("/")
@requer("ver_organizacao")
def index():
    contratante_id, pessoas, digitado = _pedido()
    try:
        filtro = atividades.ler_filtro(pessoas, **digitado)
    except Recusa as recusa:
        return _pagina(pessoas, digitado, recusa=recusa)
    resultado = atividades.listar(contratante_id, filtro, current_app.config["PAGE_SIZE"],
                                  *cursores())
    return _pagina(pessoas, digitado, resultado)


@bp.get("/exportar.<formato>")
@requer("ver_organizacao")
def exportar(formato):
    contratante_id, pessoas, digitado = _pedido()
    try:
        filtro = atividades.ler_filtro(pessoas, **digitado)
    except Recusa as recusa:
        return _pagina(pessoas, digitado, recusa=recusa)
    return downloads.planilha(formato, "atividades", exportacao.CABECALHO_ATIVIDADES,
                              exportacao.atividades(contratante_id, filtro, format_datetime),
                              "Atividades")
