"""'Organização': the responsáveis pela contratação of the active contratante, their papéis and
invitations; registering an organisation; switching the active contratante; accepting an
invitation (/convite/<token>)."""
from flask import Blueprint, flash, request
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from blueprints.forms import (CPF_RENDER, ComEmailConfirmado, Formulario, email_e_confirmacao,
                             limpo)
from services.contratantes import convites, organizacoes, papeis, responsaveis, vinculos
from services.nucleo import entrada
from services.nucleo.recusas import Recusa
from services.titular.pessoa import clean_cpf
from web.paginas import redirecionar, render
from web.papeis import requer
from web.sessao import current_account, login_required

bp = Blueprint("organizacao", __name__)

_PAPEIS = [SelectChoice(p, papeis.NOMES[p]) for p in papeis.PAPEIS]


class ConviteForm(ComEmailConfirmado, Formulario):
    cpf = StringField("CPF", validators=[limpo(clean_cpf)], render_kw=CPF_RENDER)
    email, email_confirmacao = email_e_confirmacao()
    papel = SelectField("Papel", choices=_PAPEIS, default=papeis.CONSULTA,
                        validators=[limpo(papeis.ler_papel)])


class PapelForm(Formulario):
    papel = SelectField("Papel", choices=_PAPEIS, validators=[limpo(papeis.ler_papel)])


class OrganizacaoForm(Formulario):
    cnpj = StringField("CNPJ", validators=[limpo(organizacoes.limpar_cnpj)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off",
                                  "spellcheck": "false", "maxlength": "18"})
    razao_social = StringField("Razão social", validators=[limpo(organizacoes.limpar_nome)],
                               render_kw={"autocomplete": "organization", "maxlength": "150"})
    cep = StringField("CEP", validators=[limpo(organizacoes.limpar_cep)],
                      render_kw={"inputmode": "numeric", "autocomplete": "postal-code",
                                 "maxlength": "9"})
    logradouro = StringField("Logradouro", validators=[limpo(organizacoes.obrigatorio(
        "Informe o logradouro (rua, avenida, praça)."))], render_kw={
        "autocomplete": "address-line1", "maxlength": "120"})
    numero = StringField("Número", validators=[limpo(organizacoes.obrigatorio(
        "Informe o número (ou S/N)."))], render_kw={"maxlength": "20"})
    complemento = StringField("Complemento", validators=[limpo(organizacoes.opcional)],
                              render_kw={"autocomplete": "address-line2", "maxlength": "60"})
    bairro = StringField("Bairro", validators=[limpo(organizacoes.obrigatorio(
        "Informe o bairro."))], render_kw={"maxlength": "60"})
    cidade = StringField("Cidade", validators=[limpo(organizacoes.obrigatorio(
        "Informe a cidade."))], render_kw={"autocomplete": "address-level2",
                                            "maxlength": "60"})
    uf = StringField("UF", validators=[limpo(organizacoes.limpar_uf)],
                     render_kw={"autocomplete": "address-level1", "maxlength": "2"})

    def endereco(self):
        return {f: getattr(self, f).limpo for f in organizacoes.ENDERECO}


def _pagina(form=None, status=200, erro=None):
    conta = current_account()
    contratante = conta.vinculo.contratante
    return render("organizacao/index.html", status=status, contratante=contratante,
                  documento=organizacoes.documento_formatado(contratante),
                  responsaveis=responsaveis.listar(contratante.id),
                  convites=convites.pendentes(contratante.id), expirado=convites.expirado,
                  form=form or ConviteForm(), erro=erro,
                  eu=conta.vinculo.id, papeis=papeis)


@bp.get("/organizacao/")
@requer("ver_organizacao")
def index():
    return _pagina()


@bp.post("/organizacao/convites")
@requer("gerir")
def convidar():
    form = ConviteForm()
    if form.validate_on_submit():
        conta = current_account()
        try:
            convites.convidar(conta, form.cpf.limpo, form.email.limpo, form.papel.limpo,
                              vinculos.ator(conta))
        except Recusa as recusa:
            getattr(form, recusa.campo or "cpf").errors.append(recusa.mensagem)
        else:
            flash(f"Convite enviado para {form.email.limpo}. O link vale por "
                  f"{convites.VALIDADE_DIAS} dias.", "sucesso")
            return redirecionar("organizacao.index", _anchor="convites")
    return _pagina(form, status=422)


def _acao_em(funcao, *args, sucesso):
    conta = current_account()
    try:
        funcao(conta, *args, vinculos.ator(conta))
    except papeis.SemPapel:
        raise  # removed or lowered meanwhile: the 403 page, not this organisation's
    except Recusa as recusa:
        return _pagina(status=409, erro=recusa.mensagem)
    flash(sucesso, "sucesso")
    return redirecionar("organizacao.index")


@bp.post("/organizacao/convites/<id:convite_id>/reenviar")
@requer("gerir")
def reenviar_convite(convite_id):
    return _acao_em(convites.reenviar, convite_id,
                    sucesso="Convite reenviado, com um novo link. O anterior não vale mais.")


@bp.post("/organizacao/convites/<id:convite_id>/cancelar")
@requer("gerir")
def cancelar_convite(convite_id):
    return _acao_em(convites.cancelar, convite_id,
                    sucesso="Convite cancelado: o link não vale mais.")


@bp.post("/organizacao/responsaveis/<id:responsavel_id>/papel")
@requer("gerir")
def mudar_papel(responsavel_id):
    form = PapelForm()
    if not form.validate_on_submit():
        return _pagina(status=422, erro=form.papel.errors[0] if form.papel.errors
                       else "Escolha um dos papéis da lista.")
    return _acao_em(responsaveis.mudar_papel, responsavel_id, form.papel.limpo,
                    sucesso="Papel alterado. Vale a partir da próxima página que a pessoa abrir.")


@bp.post("/organizacao/responsaveis/<id:responsavel_id>/remover")
@requer("gerir")
def remover(responsavel_id):
    return _acao_em(responsaveis.remover, responsavel_id,
                    sucesso="Responsável removido: perde o acesso a esta organização na próxima "
                            "página que abrir.")


# --- registering an organisation, switching the active contratante ------------------------

@bp.route("/organizacao/nova", methods=["GET", "POST"])
@login_required
def nova():
    form = OrganizacaoForm()
    if form.validate_on_submit():
        conta = current_account()
        try:
            contratante = organizacoes.cadastrar(conta, form.cnpj.limpo, form.razao_social.limpo,
                                                 form.endereco(), vinculos.ator(conta))
        except Recusa as recusa:
            getattr(form, recusa.campo or "cnpj").errors.append(recusa.mensagem)
        else:
            flash(f"{contratante.nome} cadastrada. Você é o Gestor: convide os outros "
                  "responsáveis abaixo.", "sucesso")
            return redirecionar("organizacao.index")
    return render("organizacao/nova.html", form=form, status=422 if form.errors else 200)


@bp.get("/contratante")
@login_required
def contratantes():
    conta = current_account()
    return render("organizacao/contratantes.html",
                  vinculos=vinculos.contratantes_da(conta), ativo=vinculos.contratante_de(conta),
                  documento=organizacoes.documento_formatado, nome_do_papel=papeis.nome)


@bp.post("/contratante")
@login_required
def trocar():
    # An id no row can have (past the database's integers, say) is none of theirs: 404.
    vinculo = vinculos.ativar(current_account(), entrada.ler_id(request.form.get("contratante")))
    flash(f"Agora você está trabalhando para {vinculo.contratante.nome}.", "sucesso")
    return redirecionar("inicio.index")


# --- accepting an invitation ---------------------------------------------------------------

@bp.get("/convite/<token>")
def convite(token):
    aberto, conta, erro = convites.abrir(token), current_account(), None
    if aberto is not None and conta is not None:
        try:
            convites.conferir(aberto, conta)
        except Recusa as recusa:
            erro = recusa.mensagem
    return render("organizacao/convite.html", convite=aberto, token=token, conta=conta,
                  nome_do_papel=papeis.nome, erro=erro, status=200 if aberto else 404)


@bp.post("/convite/<token>")
@login_required
def aceitar(token):
    conta = current_account()
    try:
        aceito = convites.aceitar(conta, token, vinculos.ator(conta))
    except Recusa as recusa:
        return render("organizacao/convite.html", convite=convites.abrir(token), token=token,
                      conta=conta, nome_do_papel=papeis.nome, erro=recusa.mensagem,
                      status=409)
    flash(f"Convite aceito: você agora é responsável pela contratação de "
          f"{aceito.contratante.nome}, com o papel {papeis.nome(aceito.papel)}.", "sucesso")
    return redirecionar("inicio.index")
