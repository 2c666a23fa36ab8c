"""Solicitação de Certificado Digital → Gerenciar Certificados: the buyer assigns each
certificate to its holder (CPF + e-mail), reassigns it while emission was not requested,
and resends the holder's link.

Every POST carries two hidden fields: `chave`, a one-time key (services.nucleo.uma_vez) so a
double click acts once, and `versao`, the certificate version the page showed, so a second
session acting on a stale page sees the current state instead of overwriting it; the
service (services.titular.atribuicoes) holds both guarantees.
"""
from flask import Blueprint, abort, current_app, flash, render_template, request, url_for

from blueprints.forms import AcaoForm, AtribuirForm
from services.contratantes import posse, vinculos
from services.titular import atribuicoes
from services.titular import certificados as consulta
from services.certificacao import emissao
from services.nucleo import formatacao
from services.nucleo.uma_vez import nova_chave
from services.titular.atribuicoes import AtribuicaoRecusada
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, TransicaoInvalida, destino, pode
from web.paginas import cursores, redirecionar, render
from web.papeis import requer
from web.sessao import current_account

bp = Blueprint("certificados", __name__, url_prefix="/certificados")


@bp.app_template_filter("email_mascarado")
def _email_mascarado(value):
    return formatacao.mask_email(value)


# --- pages ------------------------------------------------------------------------------

@bp.get("/")
@requer('ver_certificados')
def index():
    return render_template("certificados/index.html")


@bp.get("/lista")
@requer('ver_certificados')
def lista():
    filtro = consulta.normalizar_filtro(request.args.get("situacao"))
    resultado = consulta.listar(current_account(), filtro, current_app.config["PAGE_SIZE"],
                                *cursores())
    return render("certificados/lista.html", "certificados/_lista_resultados.html",
                  resultado=resultado, filtro=filtro, filtros=consulta.FILTROS)


def _certificado(numero):
    return posse.certificado_do(current_account(), numero)


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
@requer('ver_certificados')
def gerenciar(numero):
    return _pagina_gerenciar(_certificado(numero))


def _ator():
    conta = current_account()
    return vinculos.ator(conta)


def _form_atribuicao(numero, acao):
    certificado = _certificado(numero)
    form = AtribuirForm()
    if request.method == "GET":
        if not pode(certificado.situacao, acao):
            return redirecionar("certificados.gerenciar", numero=numero)
        form.versao.data = certificado.versao
        form.chave.data = nova_chave()
    elif form.validate_on_submit():
        try:
            mensagem = atribuicoes.pelo_formulario(
                form.chave.data, form.versao.data, certificado, form.cpf.limpo,
                form.email.limpo, current_account(), _ator(),
                current_app.config["LINK_TITULAR_DIAS"], acao)
        except AtribuicaoRecusada as recusa:
            form[recusa.campo].errors.append(recusa.mensagem)
        except TransicaoInvalida as error:  # EstadoAlterado included: show the current state
            return _pagina_gerenciar(_certificado(numero), erro=str(error), status=409)
        else:
            flash(mensagem, "sucesso")
            return redirecionar("certificados.gerenciar", numero=numero)
    status = 422 if form.errors else 200
    return render("certificados/atribuir.html", form=form, certificado=certificado,
                  reatribuir=acao == "reatribuir", status=status)


@bp.route("/<numero>/atribuir", methods=["GET", "POST"])
@requer('atribuir')
def atribuir(numero):
    return _form_atribuicao(numero, "atribuir")


@bp.route("/<numero>/reatribuir", methods=["GET", "POST"])
@requer('atribuir')
def reatribuir(numero):
    return _form_atribuicao(numero, "reatribuir")


@bp.post("/<numero>/reenviar")
@requer('atribuir')
def reenviar(numero):
    certificado = _certificado(numero)
    form = AcaoForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        mensagem = atribuicoes.reenviar_pelo_formulario(
            form.chave.data, certificado, current_account(), _ator(),
            current_app.config["LINK_TITULAR_DIAS"])
    except TransicaoInvalida as error:
        return _pagina_gerenciar(certificado, erro=str(error), status=409)
    flash(mensagem, "sucesso")
    return redirecionar("certificados.gerenciar", numero=numero)
