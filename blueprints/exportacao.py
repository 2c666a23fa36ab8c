""""Exportar" on Gerenciar Certificados, Consulta Processos de Compra and Financeiro: the list
under its current filter as CSV or XLSX, streamed (see web/downloads.py)."""
from flask import Blueprint, request

from services.titular import certificados as consulta_certificados
from services.titular import exportacao
from web import downloads
from web.filtros import format_datetime
from web.papeis import requer
from web.sessao import current_account

bp = Blueprint("exportacao", __name__)


@bp.get("/certificados/lista/exportar.<formato>")
@requer("ver_certificados")
def certificados(formato):
    filtro = consulta_certificados.normalizar_filtro(request.args.get("situacao"))
    return downloads.planilha(formato, f"certificados-{filtro}",
                              exportacao.CABECALHO_CERTIFICADOS,
                              exportacao.certificados(current_account(), filtro, format_datetime),
                              "Certificados")


@bp.get("/pedidos/processos/exportar.<formato>")
@requer("ver_pedidos")
def processos(formato):
    return downloads.planilha(formato, "processos-de-compra", exportacao.CABECALHO_PROCESSOS,
                              exportacao.processos(current_account(), request.args.get("q", ""),
                                                   format_datetime),
                              "Processos de Compra")


@bp.get("/financeiro/exportar.<formato>")
@requer("ver_financeiro")
def financeiro(formato):
    return downloads.planilha(formato, "financeiro", exportacao.CABECALHO_FINANCEIRO,
                              exportacao.financeiro(current_account(), format_datetime),
                              "Financeiro")
