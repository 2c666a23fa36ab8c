"""Solicitação de Certificado Digital → Gerenciar Certificados: the buyer assigns each
certificate to its holder (CPF + e-mail), reassigns it while emission was not requested,
and resends the holder's link.

Every POST carries two hidden fields: `chave`, a one-time key (ChaveIdempotencia) so a
double click acts once, and `versao`, the certificate version the page showed, so a second
session acting on a stale page sees the current state instead of overwriting it.
"""
import secrets

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from peewee import IntegrityError

from blueprints.forms import AcaoForm, AtribuirForm
from models import ChaveIdempotencia, db
from services.titular import atribuicoes
from services.titular import certificados as consulta
from services.certificacao import emissao
from services.nucleo import formatacao
from services.nucleo import correio as outbox
from services.titular.atribuicoes import AtribuicaoRecusada
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, Ator, TransicaoInvalida, destino, pode
from web.paginas import cursores, redirect_see_other, render
from web.sessao import current_account, login_required

bp = Blueprint("certificados", __name__, url_prefix="/certificados")


@bp.app_template_filter("email_mascarado")
def _email_mascarado(value):
    return formatacao.mask_email(value)


def nova_chave():
    return secrets.token_urlsafe(32)


# --- pages ------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    return render_template("certificados/index.html")


@bp.get("/lista")
@login_required
def lista():
    filtro = consulta.normalizar_filtro(request.args.get("situacao"))
    resultado = consulta.listar(current_account(), filtro, current_app.config["PAGE_SIZE"],
                                *cursores())
    return render("certificados/lista.html", "certificados/_lista_resultados.html",
                  resultado=resultado, filtro=filtro, filtros=consulta.FILTROS)


def _certificado(numero):
    certificado = consulta.do_comprador(current_account(), numero)
    if certificado is None:
        abort(404)
    return certificado


def _painel(certificado):
    """What the buyer may do with the certificate now (lifecycle decides, not the view)."""
    situacao = certificado.situacao
    titular_ativo = pode(situacao, "solicitar") or pode(situacao, "corrigir")
    recusa_reatribuir = None
    if titular_ativo and not pode(situacao, "reatribuir"):
        try:
            destino(situacao, "reatribuir")
        except TransicaoInvalida as error:
            recusa_reatribuir = str(error)
    solicitar_url = None
    if titular_ativo and certificado.titular_cpf == current_account().cpf:
        solicitar_url = url_for("solicitacao.inicio", numero=certificado.numero)
    return {
        "aguardando_pagamento": pode(situacao, "reconhecer_pagamento"),
        "pode_atribuir": pode(situacao, "atribuir"),
        "pode_reatribuir": pode(situacao, "reatribuir"),
        "titular_ativo": titular_ativo,
        "recusa_reatribuir": recusa_reatribuir,
        "solicitar_url": solicitar_url,
        "financeiro_url": url_for("financeiro.index"),
    }


def _pagina_gerenciar(certificado, erro=None, status=200):
    return render("certificados/gerenciar.html", certificado=certificado,
                  emissoes=emissao.emissoes(certificado.id),
                  situacao=CERTIFICADO_SITUACOES[certificado.situacao],
                  painel=_painel(certificado), erro=erro,
                  reenviar_form=AcaoForm(formdata=None, chave=nova_chave()), status=status)


@bp.get("/<numero>")
@login_required
def gerenciar(numero):
    return _pagina_gerenciar(_certificado(numero))


def _atual(numero):
    """The certificate re-read after someone else changed it."""
    return consulta.do_comprador(current_account(), numero)


def _uma_vez(chave, acao):
    """Run `acao` (returns the message to show) once per form key, in one transaction.

    A repeated key (double click, resubmitted form) returns the first answer, doing nothing.
    The key row is written first: a concurrent twin waits on the unique index, then sees it.
    """
    chave = (chave or "")[:64] or nova_chave()
    with db.atomic():
        try:
            with db.atomic():
                ChaveIdempotencia.create(chave=chave)
        except IntegrityError:
            return ChaveIdempotencia.get(ChaveIdempotencia.chave == chave).resultado
        mensagem = acao()
        (ChaveIdempotencia.update(resultado=mensagem[:200])
         .where(ChaveIdempotencia.chave == chave).execute())
    return mensagem


def _ator():
    conta = current_account()
    return Ator(f"{conta.nome} (responsável pela contratação)", conta.id)


def _form_atribuicao(numero, acao):
    certificado = _certificado(numero)
    form = AtribuirForm()
    if request.method == "GET":
        if not pode(certificado.situacao, acao):
            return redirect(url_for("certificados.gerenciar", numero=numero))
        form.versao.data = certificado.versao
        form.chave.data = nova_chave()
    elif form.validate_on_submit():
        cpf, email = form.cpf.limpo, form.email.limpo
        versao = form.versao.data
        versao = int(versao) if (versao or "").isdigit() else 0
        conta = current_account()

        def atribuir():
            atribuicoes.atribuir(certificado, cpf, email, conta, _ator(),
                                 current_app.config["LINK_TITULAR_DIAS"], acao, versao)
            return (f"Certificado {certificado.numero} atribuído ao CPF "
                    f"{formatacao.mask_cpf(cpf)}. Enviamos o link para "
                    f"{formatacao.mask_email(certificado.titular_email)}.")

        try:
            mensagem = _uma_vez(form.chave.data, atribuir)
        except AtribuicaoRecusada as recusa:
            outbox.descartar()
            form[recusa.campo].errors.append(recusa.mensagem)
        except TransicaoInvalida as error:  # EstadoAlterado included: show the current state
            outbox.descartar()
            return _pagina_gerenciar(_atual(numero), erro=str(error), status=409)
        else:
            flash(mensagem, "sucesso")
            return redirect_see_other("certificados.gerenciar", numero=numero)
    status = 422 if form.errors else 200
    return render("certificados/atribuir.html", form=form, certificado=certificado,
                  reatribuir=acao == "reatribuir", status=status)


@bp.route("/<numero>/atribuir", methods=["GET", "POST"])
@login_required
def atribuir(numero):
    return _form_atribuicao(numero, "atribuir")


@bp.route("/<numero>/reatribuir", methods=["GET", "POST"])
@login_required
def reatribuir(numero):
    return _form_atribuicao(numero, "reatribuir")


@bp.post("/<numero>/reenviar")
@login_required
def reenviar(numero):
    certificado = _certificado(numero)
    form = AcaoForm()
    if not form.validate_on_submit():
        abort(400)
    conta = current_account()

    def reenviar_link():
        atribuicoes.reenviar_link(certificado, conta, _ator(),
                                  current_app.config["LINK_TITULAR_DIAS"])
        return (f"Enviamos um novo link para {formatacao.mask_email(certificado.titular_email)}. "
                "O link anterior deixou de funcionar.")

    try:
        mensagem = _uma_vez(form.chave.data, reenviar_link)
    except TransicaoInvalida as error:
        outbox.descartar()
        return _pagina_gerenciar(certificado, erro=str(error), status=409)
    flash(mensagem, "sucesso")
    return redirect_see_other("certificados.gerenciar", numero=numero)
