"""Spreadsheet downloads (CSV and XLSX) built from a generator of rows, in constant memory.

A streamed body is read after the request's database connection closed, so the body opens
its own. The XLSX is written row by row to a temporary file (openpyxl write_only) and sent
in chunks from there.
"""
import tempfile

from flask import Response, abort, stream_with_context

from models import db
from services.titular import planilhas

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEDACO = 64 * 1024


def _com_conexao(partes):
    with db.connection_context():
        yield from partes


def _xlsx_pedacos(cabecalho, linhas, titulo):
    with tempfile.TemporaryFile() as arquivo:
        with db.connection_context():
            planilhas.xlsx_escrever(arquivo, cabecalho, linhas, titulo)
        arquivo.seek(0)
        while pedaco := arquivo.read(PEDACO):
            yield pedaco


def planilha(formato, nome, cabecalho, linhas, titulo="Planilha"):
    """The download of `linhas` (lazy rows) as `nome`.csv or `nome`.xlsx; other formats 404."""
    if formato == "csv":
        corpo, tipo = _com_conexao(planilhas.csv_linhas(cabecalho, linhas)), "text/csv"
    elif formato == "xlsx":
        corpo, tipo = _xlsx_pedacos(cabecalho, linhas, titulo), XLSX
    else:
        abort(404)
    response = Response(stream_with_context(corpo), mimetype=tipo)
    if formato == "csv":
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{nome}.{formato}"'
    return response
