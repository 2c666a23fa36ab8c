"""Gerenciar Certificados → "Atribuir em lote" / "Reatribuir em lote": download the model
sheet, upload it filled, check the preview, confirm, follow the progress, download the lines
to fix. The rules are `services.titular.lotes` (and `services.titular.atribuicoes`, the only
gate); whose batch it is, `services.contratantes.posse`.
"""
from flask import Blueprint, abort, current_app, flash, request
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge

from filas import tarefas
from blueprints.forms import Formulario
from web import downloads
from web.extensoes import csrf
from services.contratantes import posse
from services.titular import certificados as consulta
from services.titular import lotes
from services.titular import planilhas
from services.nucleo.entrada import ler_id
from services.nucleo.recusas import Recusa
from services.titular.planilhas import LIMITE_BYTES, ArquivoRecusado
from web.paginas import numero_da_pagina, redirecionar, render
from web.papeis import requer
from web.sessao import current_account

bp = Blueprint("lotes", __name__, url_prefix="/certificados/lote")

ACOES = {"atribuir": "Atribuir em lote", "reatribuir": "Reatribuir em lote"}
POR_PAGINA = 100


class EnviarForm(Formulario):
    arquivo = FileField("Planilha preenchida (.xlsx ou .csv)")


class ConfirmarForm(Formulario):
    """CSRF only: the batch to apply is in the URL."""


def _acao():
    acao = request.args.get("acao", "atribuir")
    return acao if acao in ACOES else "atribuir"


def _pagina_envio(form, acao, escolhidas=(), status=200):
    conta = current_account()
    return render("lotes/enviar.html", form=form, acao=acao, titulo=ACOES[acao],
                  compras=lotes.compras_com_pendentes(conta, acao) if acao == "atribuir" else [],
                  escolhidas={str(p) for p in escolhidas},
                  limite_linhas=planilhas.LIMITE_LINHAS, status=status)


@bp.get("/")
@requer('atribuir')
def enviar():
    # Consulta Processos de Compra → "Atribuir em lote" arrives with the purchases it marked.
    return _pagina_envio(EnviarForm(), _acao(), request.args.getlist("processo"))


@bp.post("/")
@csrf.exempt  # checked by EnviarForm itself, after the size limit below is in place
@requer('atribuir')
def receber():
    # A little over the file limit, for the form's other fields; beyond it, a 413 we explain.
    request.max_content_length = LIMITE_BYTES + 64 * 1024
    acao = _acao()
    try:
        if (request.content_length or 0) > request.max_content_length:
            raise RequestEntityTooLarge()  # said before reading (and spooling) the body
        form = EnviarForm()
        escolhidas = [i for i in map(ler_id, request.form.getlist("processo")) if i]
    except RequestEntityTooLarge:
        form = EnviarForm(formdata=None)
        form.arquivo.errors = ["O arquivo passa de 5 MB, o limite. Divida a planilha em partes."]
        return _pagina_envio(form, acao, status=413)
    if not form.validate_on_submit():
        abort(400)
    arquivo = form.arquivo.data
    dados = arquivo.read(LIMITE_BYTES + 1) if arquivo else b""
    try:
        if not dados:
            raise ArquivoRecusado("Escolha o arquivo da planilha preenchida.")
        lote = lotes.criar(current_account(), planilhas.ler(dados), arquivo.filename, acao,
                           escolhidas)
    except Recusa as recusa:  # the file (ArquivoRecusado) or the batch (LoteRecusado)
        form[recusa.campo].errors = [recusa.mensagem]
        return _pagina_envio(form, acao, escolhidas, status=422)
    return redirecionar("lotes.lote", lote_id=lote.id)


# --- model sheet --------------------------------------------------------------------------

@bp.get("/modelo.<formato>")
@requer('atribuir')
def modelo(formato):
    acao = _acao()
    return downloads.planilha(formato, f"{acao}-em-lote-modelo", planilhas.CABECALHO_MODELO,
                              lotes.modelo_linhas(current_account(), acao), "Certificados")


# --- preview, progress, report ------------------------------------------------------------

def _lote(lote_id):
    return posse.lote_do(current_account(), lote_id)


def _contexto(lote):
    contagem = lotes.contagem(lote)
    feitas = contagem.get(lotes.APLICADA, 0) + contagem.get(lotes.FALHOU, 0)
    return {"lote": lote, "titulo": ACOES[lote.acao], "contagem": contagem,
            "feitas": feitas, "a_aplicar": feitas + contagem.get(lotes.VALIDA, 0),
            "descricao": lambda linha: lotes.descricao(linha, lote.acao)}


@bp.get("/<id:lote_id>")
@requer('atribuir')
def lote(lote_id):
    lote = _lote(lote_id)
    so_erros = request.args.get("filtro") == "erros"
    pagina = numero_da_pagina()
    linhas = list(lotes.linhas(lote, so_erros, pagina, POR_PAGINA + 1))
    return render("lotes/lote.html", "lotes/_linhas.html", linhas=linhas[:POR_PAGINA],
                  so_erros=so_erros, pagina=pagina, proxima=len(linhas) > POR_PAGINA,
                  confirmar_form=ConfirmarForm(), **_contexto(lote))


@bp.get("/<id:lote_id>/progresso")
@requer('atribuir')
def progresso(lote_id):
    return render("lotes/lote.html", "lotes/_progresso.html", linhas=[], so_erros=False,
                  pagina=1, proxima=False, confirmar_form=ConfirmarForm(),
                  **_contexto(_lote(lote_id)))


@bp.post("/<id:lote_id>/confirmar")
@requer('atribuir')
def confirmar(lote_id):
    lote = _lote(lote_id)
    if not ConfirmarForm().validate_on_submit():
        abort(400)
    if lotes.confirmar(lote):  # a second click finds the batch already applying
        tarefas.aplicar_lote(lote.id)
    return redirecionar("lotes.lote", lote_id=lote.id)


@bp.get("/<id:lote_id>/erros.<formato>")
@requer('atribuir')
def erros(lote_id, formato):
    lote = _lote(lote_id)
    cabecalho = (planilhas.CABECALHO_MODELO if lote.formato == planilhas.MODELO
                 else planilhas.CABECALHO_LISTA) + ["Erro"]
    return downloads.planilha(formato, f"lote-{lote.id}-linhas-com-erro", cabecalho,
                              lotes.linhas_para_corrigir(lote), "Linhas com erro")



# --- Reenviar links -----------------------------------------------------------------------

@bp.get("/reenviar")
@requer('atribuir')
def reenviar():
    pagina = numero_da_pagina()
    certificados = lotes.aguardando_titular(current_account(), pagina, POR_PAGINA + 1)
    return render("lotes/reenviar.html", form=ConfirmarForm(),
                  certificados=certificados[:POR_PAGINA], pagina=pagina,
                  proxima=len(certificados) > POR_PAGINA, todos=request.args.get("todos") == "1")


@bp.post("/reenviar")
@requer('atribuir')
def reenviar_selecionados():
    if not ConfirmarForm().validate_on_submit():
        abort(400)
    numeros = list(dict.fromkeys(request.form.getlist("certificado")))[:POR_PAGINA]
    if not numeros:
        flash("Marque ao menos um certificado para reenviar o link.", "erro")
        return _de_volta()
    config = current_app.config
    atraso = lotes.espacador(config["MAIL_MAX_POR_MINUTO"])
    enviados, recusados = lotes.reenviar_links(current_account(), numeros,
                                               config["LINK_TITULAR_DIAS"],
                                               lambda: tarefas.despachar(atraso))
    if enviados:
        flash(f"Enviamos {len(enviados)} {'link novo' if len(enviados) == 1 else 'links novos'}"
              ". Os links anteriores deixaram de funcionar.", "sucesso")
    for numero, motivo in recusados:
        flash(f"Certificado {numero}: {motivo}", "erro")
    return _de_volta()


def _de_volta():
    """Gerenciar Certificados posts its selection with its filter: back to that list."""
    situacao = request.form.get("situacao")
    if situacao:
        return redirecionar("certificados.lista",
                                  situacao=consulta.normalizar_filtro(situacao))
    return redirecionar("lotes.reenviar")
