"""Recognising payments, by two of the three doors that all credit once: the agents'
"Pagamentos" page and the bank's signed notification `POST /api/pagamentos/notificacao`
(the third is the command `flask --app app pagamentos confirmar`, in cli/)."""
from flask import Blueprint, abort, current_app, flash, jsonify, request
from wtforms import StringField

from blueprints.forms import Formulario, limpo
from services.nucleo import entrada
from services.nucleo import formatacao
import relogio
from services.nucleo.ciclo_de_vida import Ator
from services.nucleo.recusas import Recusa
from services.pagamento import boletos
from services.pagamento import consulta
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


def _valor_texto(centavos):
    return formatacao.format_brl(centavos).removeprefix("R$ ")


def _pagina(busca="", boleto=None, form=None, erro_busca=None, status=200):
    sinalizados = consulta.sinalizados(current_app.config["PAGE_SIZE"], *cursores())
    contexto = {"busca": busca, "boleto": boleto, "form": form, "erro_busca": erro_busca,
                "sinalizados": sinalizados, "hoje": relogio.hoje()}
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
    form = ConfirmarForm(data={"valor": _valor_texto(boleto.valor_centavos),
                               "data_pagamento": relogio.hoje().isoformat()})
    return _pagina(busca, boleto, form)


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
