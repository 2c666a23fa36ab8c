"""Recognising payments, by three doors that all credit once:
the agents' "Pagamentos" page, `flask --app app pagamentos confirmar`, and the bank's
signed notification `POST /api/pagamentos/notificacao`."""
from datetime import date

import click
from flask import Blueprint, abort, current_app, flash, jsonify, request
from wtforms import StringField

import jobs
from blueprints.forms import Formulario, limpo
from extensions import csrf
from models import Boleto, Conta, Pagamento, ProcessoCompra, db
from services import boletos, compras, entrada, formatting, pagamentos, relogio
from services.lifecycle import Ator
from services.paginacao import paginar
from web import agente_required, current_account, cursores, redirect_see_other, render

bp = Blueprint("pagamentos", __name__)


class ConfirmarForm(Formulario):
    valor = StringField("Valor pago", validators=[limpo(entrada.ler_valor)],
                        render_kw={"inputmode": "decimal", "autocomplete": "off", "class": "curto"})
    data_pagamento = StringField("Data do pagamento", validators=[limpo(entrada.ler_data)],
                                 render_kw={"type": "date"})


def _valor_texto(centavos):
    return formatting.format_brl(centavos).removeprefix("R$ ")


def _pagina(busca="", boleto=None, form=None, erro_busca=None, status=200):
    # Newest first, a page at a time, on the partial index of flagged payments.
    sinalizados = paginar(Pagamento.select().where(Pagamento.sinalizado == True),  # noqa: E712
                          Pagamento.id, current_app.config["PAGE_SIZE"], *cursores(),
                          anexos=[("boleto", Boleto), ("processo", ProcessoCompra)])
    contexto = {"busca": busca, "boleto": boleto, "form": form, "erro_busca": erro_busca,
                "sinalizados": sinalizados, "hoje": relogio.hoje()}
    if boleto is not None:
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
        contexto.update(
            processo=processo, comprador=Conta.get_by_id(processo.comprador_id),
            situacao=boletos.situacao_exibida(boleto, relogio.hoje()),
            pagamentos_da_compra=list(Pagamento.select().where(Pagamento.processo == processo.id)
                                      .order_by(Pagamento.id)),
        )
    return render("pagamentos/index.html", status=status, **contexto)


@bp.get("/pagamentos/")
@agente_required
def index():
    busca = request.args.get("q", "").strip()
    if not busca:
        return _pagina()
    try:
        boleto = pagamentos.localizar_boleto(busca)
    except ValueError as error:
        return _pagina(busca, erro_busca=str(error), status=422 if not isinstance(
            error, pagamentos.BoletoNaoEncontrado) else 404)
    form = ConfirmarForm(data={"valor": _valor_texto(boleto.valor_centavos),
                               "data_pagamento": relogio.hoje().isoformat()})
    return _pagina(busca, boleto, form)


@bp.post("/pagamentos/boletos/<int:boleto_id>/confirmar")
@agente_required
def confirmar(boleto_id):
    boleto = Boleto.get_or_none(Boleto.id == boleto_id)
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
              f"({pagamento.data_pagamento:%d/%m/%Y}); nada mudou.", "info")
    elif pagamento.sinalizado:
        flash(f"Pagamento registrado, mas não creditado: {pagamento.motivo}", "erro")
    else:
        flash("Pagamento reconhecido. A compra está paga e os certificados estão "
              "“Pendente de atribuição”; o comprador foi avisado por e-mail.", "sucesso")
    return redirect_see_other("pagamentos.index", q=boleto.nosso_numero)


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


# --- command line ------------------------------------------------------------------------

@bp.cli.command("confirmar")
@click.argument("nosso_numero")
@click.option("--valor", help="Valor pago, ex.: 150,00 (padrão: o valor do boleto).")
@click.option("--data", "data_texto", help="Data do pagamento, AAAA-MM-DD ou dd/mm/aaaa "
                                           "(padrão: hoje).")
def confirmar_cli(nosso_numero, valor, data_texto):
    """Reconhece o pagamento de um boleto (nosso número ou linha digitável)."""
    with db.connection_context():
        try:
            boleto = pagamentos.localizar_boleto(nosso_numero)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        try:
            valor_centavos = entrada.ler_valor(valor) if valor else boleto.valor_centavos
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--valor") from None
        try:
            data_pagamento = entrada.ler_data(data_texto) if data_texto else relogio.hoje()
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--data") from None
        try:
            pagamento, novo = pagamentos.confirmar_manual(
                boleto, valor_centavos, data_pagamento, "cli", Ator("Linha de comando"))
        except pagamentos.PagamentoRecusado as recusa:
            opcao = {"valor": "--valor", "data_pagamento": "--data"}[recusa.campo]
            raise click.BadParameter(recusa.mensagem, param_hint=opcao) from None
        numero = ProcessoCompra.get_by_id(boleto.processo_id).numero
    jobs.despachar()
    if not novo:
        click.echo(f"Pagamento do boleto {boleto.nosso_numero} já estava registrado; nada mudou.")
    elif pagamento.sinalizado:
        click.echo(f"Pagamento registrado e sinalizado (não creditado): {pagamento.motivo}")
    else:
        click.echo(f"Pagamento reconhecido: compra {numero} paga.")


@bp.cli.command("cancelar-vencidos")
@click.option("--hoje", "hoje_texto", help="Data de referência AAAA-MM-DD (padrão: hoje).")
def cancelar_vencidos_cli(hoje_texto):
    """Cancela compras não pagas no prazo após o vencimento original (a tarefa diária)."""
    try:
        dia = date.fromisoformat(hoje_texto) if hoje_texto else relogio.hoje()
    except ValueError:
        raise click.BadParameter("use AAAA-MM-DD", param_hint="--hoje") from None
    with db.connection_context():
        cancelados = compras.cancelar_vencidos(dia)
    jobs.despachar()
    click.echo(f"{len(cancelados)} compra(s) cancelada(s)"
               + (": " + ", ".join(p.numero for p in cancelados) if cancelados else "."))
