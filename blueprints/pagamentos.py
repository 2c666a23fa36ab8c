"""Recognising payments, by two of the three doors that all credit once: the agents'
"Pagamentos" page and the bank's signed notification `POST /api/pagamentos/notificacao`
(the third is the command `flask --app app pagamentos confirmar`, in cli/); and attaching
the nota fiscal to a paid purchase."""
from flask import Blueprint, abort, current_app, flash, jsonify, request
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import StringField

from blueprints.forms import Formulario, limpo
from services.nucleo import entrada
from services.nucleo import formatacao
import relogio
from services.nucleo.ciclo_de_vida import Ator
from services.nucleo.recusas import Recusa
from services.pagamento import boletos
from services.pagamento import consulta
from services.pagamento import nfse
from services.pagamento import notas_fiscais
from services.pagamento import pagamentos
from web.extensoes import csrf
from web.paginas import cursores, redirecionar, render
from web.sessao import agente_required, current_account

bp = Blueprint("pagamentos", __name__)


class ConfirmarForm(Formulario):
    valor = StringField("Valor pago", validators=[limpo(entrada.ler_valor)],
                        render_kw={"inputmode": "decimal", "autocomplete": "off", "class": "curto"})
    data_pagamento = StringField("Data do pagamento", validators=[limpo(entrada.ler_data)],
                                 render_kw={"type": "date"})


class NotaForm(Formulario):
    """Shown beside ConfirmarForm: built with the prefix "nota", so their ids differ."""

    pdf = FileField("PDF da nota (DANFSe)", render_kw={"accept": ".pdf,application/pdf"})
    xml = FileField("XML da NFS-e", render_kw={"accept": ".xml,application/xml,text/xml"})
    numero = StringField("Número da NFS-e", render_kw={"inputmode": "numeric", "maxlength": "15",
                                                       "autocomplete": "off", "class": "curto"})


def _nota_form(**kwargs):
    return NotaForm(prefix="nota", **kwargs)


def _valor_texto(centavos):
    return formatacao.format_brl(centavos).removeprefix("R$ ")


def _confirmar_form(boleto):
    return ConfirmarForm(formdata=None, data={"valor": _valor_texto(boleto.valor_centavos),
                                              "data_pagamento": relogio.hoje().isoformat()})


def _pagina(busca="", boleto=None, form=None, erro_busca=None, status=200, nota_form=None,
            erro_nota=None):
    sinalizados = consulta.sinalizados(current_app.config["PAGE_SIZE"], *cursores())
    contexto = {"busca": busca, "boleto": boleto, "form": form, "erro_busca": erro_busca,
                "sinalizados": sinalizados, "hoje": relogio.hoje(),
                "nota_form": nota_form or _nota_form(formdata=None), "erro_nota": erro_nota}
    if boleto is not None:
        contexto.update(consulta.compra_do_boleto(boleto),
                        situacao=boletos.situacao_exibida(boleto, relogio.hoje()))
    return render("pagamentos/index.html", status=status, **contexto)


@bp.get("/pagamentos/")
@agente_required
def index():
    busca = request.args.get("q", "").strip()
    if not busca:
        return _pagina()
    try:
        boleto = pagamentos.localizar_boleto(busca)
    except pagamentos.BoletoNaoEncontrado as recusa:
        return _pagina(busca, erro_busca=recusa.mensagem, status=404)
    except Recusa as recusa:
        return _pagina(busca, erro_busca=recusa.mensagem, status=422)
    return _pagina(busca, boleto, _confirmar_form(boleto))


@bp.post("/pagamentos/boletos/<id:boleto_id>/confirmar")
@agente_required
def confirmar(boleto_id):
    boleto = consulta.boleto(boleto_id)
    if boleto is None:
        abort(404)
    form = ConfirmarForm()
    if form.validate():
        conta = current_account()
        try:
            pagamento, novo = pagamentos.confirmar_manual(
                boleto, form.valor.limpo, form.data_pagamento.limpo, "agente",
                Ator(conta.nome, conta.id))
        except pagamentos.PagamentoRecusado as recusa:
            form[recusa.campo].errors.append(recusa.mensagem)
    if any(f.errors for f in form):
        return _pagina(boleto.nosso_numero, boleto, form, status=422)
    if not novo:
        flash(f"O pagamento deste boleto já estava registrado "
              f"({formatacao.format_date(pagamento.data_pagamento)}); nada mudou.", "info")
    elif pagamento.sinalizado:
        flash(f"Pagamento registrado, mas não creditado: {pagamento.motivo}", "erro")
    else:
        flash("Pagamento reconhecido. A compra está paga e os certificados estão "
              "“Pendente de atribuição”; o comprador foi avisado por e-mail.", "sucesso")
    return redirecionar("pagamentos.index", q=boleto.nosso_numero)


def _arquivo(campo):
    """The uploaded file's bytes (one past the limit at most, so it is refused, not read)."""
    return campo.data.read(nfse.LIMITE_BYTES + 1) if campo.data else b""


@bp.post("/pagamentos/boletos/<id:boleto_id>/nota-fiscal")
@csrf.exempt  # checked by NotaForm itself, after the size limit below is in place
@agente_required
def nota_fiscal(boleto_id):
    # Two files of 2 MB and the form's fields; beyond it, a 413 we explain.
    request.max_content_length = 2 * nfse.LIMITE_BYTES + 64 * 1024
    boleto = consulta.boleto(boleto_id)
    if boleto is None:
        abort(404)
    try:
        if (request.content_length or 0) > request.max_content_length:
            raise RequestEntityTooLarge()  # said before reading (and spooling) the body
        form = _nota_form()
    except RequestEntityTooLarge:
        form = _nota_form(formdata=None)
        form.pdf.errors = ["Os arquivos passam de 2 MB cada, o limite. Envie o PDF e o XML "
                           "da nota como o emissor os gerou."]
        return _pagina(boleto.nosso_numero, boleto, _confirmar_form(boleto), status=413,
                       nota_form=form)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors or not form.errors:
            abort(400)
        return _pagina(boleto.nosso_numero, boleto, _confirmar_form(boleto), status=422,
                       nota_form=form)  # the number: too long, or control characters
    conta = current_account()
    try:
        nota = notas_fiscais.anexar(boleto.processo_id, _arquivo(form.pdf), _arquivo(form.xml),
                                    form.numero.data, conta, Ator(conta.nome, conta.id))
    except nfse.NotaRecusada as recusa:
        if recusa.campo is None:
            return _pagina(boleto.nosso_numero, boleto, _confirmar_form(boleto), status=409,
                           nota_form=_nota_form(formdata=None), erro_nota=recusa.mensagem)
        form[recusa.campo].errors = [recusa.mensagem]
        return _pagina(boleto.nosso_numero, boleto, _confirmar_form(boleto), status=422,
                       nota_form=form)
    flash(f"Nota fiscal nº {nota.numero} anexada. Os responsáveis pela compra foram avisados "
          "por e-mail e já podem baixá-la no Financeiro.", "sucesso")
    return redirecionar("pagamentos.index", q=boleto.nosso_numero)


@bp.post("/api/pagamentos/notificacao")
@csrf.exempt
def notificacao():
    """The bank's notification: JSON signed with HMAC-SHA256 (header X-Assinatura)."""
    corpo = request.get_data(cache=False)
    segredo = current_app.config.get("PAGAMENTOS_WEBHOOK_SECRET", "")
    if not pagamentos.assinatura_valida(segredo, corpo, request.headers.get("X-Assinatura")):
        return jsonify(erro="assinatura inválida"), 401
    try:
        resultado, pagamento = pagamentos.processar_notificacao(
            corpo, Ator("Banco (notificação de pagamento)"))
    except pagamentos.BoletoNaoEncontrado as error:
        return jsonify(erro=str(error)), 404
    except pagamentos.NotificacaoInvalida as error:
        return jsonify(erro=str(error)), 400
    except pagamentos.PagamentoRecusado as recusa:
        return jsonify(erro=recusa.mensagem, campo=recusa.campo), 422
    return jsonify(situacao=resultado, pagamento=pagamento.id,
                   creditado=pagamento.creditado, motivo=pagamento.motivo), 200
