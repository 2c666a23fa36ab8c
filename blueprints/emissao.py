"""The holder's certificate after approval: "Baixar meu certificado" (the key and the .pfx are
made in the page, static/js/emissao.js, which posts only the CSR to /emitir), "Tenho minha
própria requisição (CSR)" (OpenSSL, no JavaScript), "Revogar e emitir novamente", "Revogar
certificado" and "Testar meu certificado". Domain rules in services.certificacao.emissao."""
from flask import Blueprint, current_app, flash, jsonify, make_response, request, session
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import ValidationError

from web.acesso_titular import acesso_titular
from blueprints.forms import Formulario, RevogarForm
from services.certificacao import ac
from services.certificacao import emissao
from services.certificacao import teste_certificado
from services.certificacao.emissao import EmissaoRecusada
from services.nucleo.recusas import Recusa
from web.paginas import redirecionar, render

bp = Blueprint("emissao", __name__, url_prefix="/titular/<numero>")


class CsrForm(Formulario):
    csr = TextAreaField("Requisição (CSR) em formato PEM", render_kw={
        "rows": 8, "spellcheck": "false", "autocomplete": "off",
        "maxlength": str(emissao.CSR_MAXIMO)})
    arquivo = FileField("Ou escolha o arquivo da requisição (.csr ou .pem)")


class ReemitirForm(Formulario):
    confirmo = BooleanField("Entendo que o arquivo anterior deixa de valer na hora.")

    def validate_confirmo(self, field):
        if not field.data:
            raise ValidationError("Marque a confirmação para revogar e emitir novamente.")


class TestarForm(Formulario):
    """Filled by static/js/testar.js: the certificate (PEM) and the signature of the challenge.
    The .pfx and its password are inputs without a name, never sent."""
    # Textareas, hidden: a PEM has lines, and both may pass a hidden input's 500 characters.
    certificado = TextAreaField(render_kw={"hidden": True,
                                           "maxlength": str(teste_certificado.PEM_MAXIMO)})
    assinatura = TextAreaField(render_kw={"hidden": True,
                                          "maxlength": str(teste_certificado.ASSINATURA_MAXIMO)})


def _contexto(acesso):
    certificado = acesso.certificado
    pode, motivo = emissao.pode_baixar(certificado)
    solicitacao = emissao.solicitacao_enviada(certificado)
    nome = solicitacao.nome if solicitacao else ""
    return {"nome_cn": emissao.nome_cn(certificado, solicitacao) if solicitacao else "",
            "arquivo_pem": emissao.nome_arquivo(nome, "pem"),
            "arquivo_pfx": emissao.nome_arquivo(nome, "pfx"),
            "acesso": acesso, "certificado": certificado, "pode_baixar": pode,
            "motivo_bloqueio": motivo, "vigente": emissao.vigente(certificado.id),
            "fim_fixo": emissao.fim_fixo(certificado.id), "regras": emissao.REGRAS_SENHA,
            "solicitacao": solicitacao, "senha_minimo": emissao.SENHA_MINIMO,
            "senha_maximo": emissao.SENHA_MAXIMO}


def _arquivo(arquivo):
    response = make_response(arquivo.dados)
    response.headers["Content-Type"] = arquivo.tipo
    response.headers["Content-Disposition"] = f'attachment; filename="{arquivo.nome}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/baixar")
def baixar(numero):
    return render("emissao/baixar.html", None, **_contexto(acesso_titular(numero)))


def _json(status, **corpo):
    response = jsonify(**corpo)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _cadeia(arquivo, status=200):
    """The certificate and its chain (PEM) for the page, and the name to save the .pfx as."""
    return _json(status, pem=arquivo.dados.decode(),
                 nome=arquivo.nome.removesuffix(".pem") + ".pfx")


@bp.post("/emitir")
def emitir(numero):
    """The page's CSR (JSON {"csr": PEM}) → 201 with the PEM chain, or 422 {"erro": why}."""
    acesso = acesso_titular(numero)
    dados = request.get_json(silent=True)
    texto = dados.get("csr") if isinstance(dados, dict) else None
    try:
        arquivo = emissao.emitir_por_csr(acesso.certificado, texto if isinstance(texto, str)
                                         else "", current_app.config, acesso.ator, "navegador")
    except (EmissaoRecusada, ac.AcIndisponivel) as erro:
        return _json(422, erro=getattr(erro, "mensagem", str(erro)))
    return _cadeia(arquivo, 201)


@bp.get("/emitido")
def emitido(numero):
    """The valid certificate again, for the page that still holds its key ("Baixar de novo")."""
    acesso = acesso_titular(numero)
    try:
        arquivo = emissao.cadeia_vigente(acesso.certificado, current_app.config)
    except ac.AcIndisponivel as erro:
        return _json(503, erro=str(erro))
    if arquivo is None:
        return _json(404, erro="Não há certificado válido para baixar de novo.")
    return _cadeia(arquivo)


@bp.route("/csr", methods=["GET", "POST"])
def csr(numero):
    acesso = acesso_titular(numero)
    form = CsrForm()
    status = 200
    if form.validate_on_submit():
        texto = form.csr.data or ""
        if not texto.strip() and form.arquivo.data:
            texto = form.arquivo.data.read(emissao.CSR_MAXIMO + 1).decode("utf-8", "replace")
        try:
            return _arquivo(emissao.emitir_por_csr(acesso.certificado, texto,
                                                   current_app.config, acesso.ator))
        except (EmissaoRecusada, ac.AcIndisponivel) as erro:
            form.csr.errors = [getattr(erro, "mensagem", str(erro))]
            status = 422
    return render("emissao/csr.html", None, status, form=form, **_contexto(acesso))


def _revogacao(numero, reemitir):
    acesso = acesso_titular(numero)
    form = ReemitirForm() if reemitir else RevogarForm()
    status = 200
    if form.validate_on_submit():
        try:
            emissao.revogar(acesso.certificado,
                            "superseded" if reemitir else form.motivo.data, acesso.ator,
                            current_app.config, reemitir=reemitir)
        except Recusa as recusa:  # already revoked, or changed meanwhile
            form.confirmo.errors = [recusa.mensagem]
        else:
            if reemitir:
                flash("Certificado anterior revogado. Crie a senha e baixe o novo certificado.",
                      "sucesso")
                return redirecionar("emissao.baixar", numero=numero)
            flash("Certificado revogado. Ele deixou de valer agora.", "sucesso")
            return redirecionar("titular.certificado", numero=numero)
    if form.is_submitted():
        status = 422
    return render("emissao/revogar.html", None, status, form=form, reemitir=reemitir,
                  **_contexto(acesso))


@bp.route("/revogar", methods=["GET", "POST"])
def revogar(numero):
    return _revogacao(numero, reemitir=False)


@bp.route("/reemitir", methods=["GET", "POST"])
def reemitir(numero):
    return _revogacao(numero, reemitir=True)


DESAFIO = "desafio_teste"  # the session's challenge (services.certificacao.teste_certificado)


@bp.route("/testar", methods=["GET", "POST"])
def testar(numero):
    acesso = acesso_titular(numero)
    form = TestarForm()
    resultado, recusa, status = None, None, 200
    if form.is_submitted():
        try:
            if not form.validate():
                raise teste_certificado.TesteRecusado("A página expirou. Recarregue-a e tente "
                                                      "de novo.")
            resultado = teste_certificado.conferir(
                acesso.certificado, session.pop(DESAFIO, None), form.certificado.data or "",
                form.assinatura.data or "", current_app.config)
        except teste_certificado.TesteRecusado as erro:
            recusa, status = erro.mensagem, 422
    desafio = teste_certificado.novo_desafio(acesso.certificado.numero)
    session[DESAFIO] = desafio
    return render("emissao/testar.html", None, status, form=TestarForm(formdata=None),
                  resultado=resultado, recusa=recusa, desafio=desafio["texto"],
                  pfx_maximo=teste_certificado.PFX_MAXIMO, **_contexto(acesso))
