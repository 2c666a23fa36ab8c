"""The holder's request, step by step: question pages, "Confira seus dados", the termo.

The same views serve the holder's link, the buyer on their own CPF, corrections, and
"Ajuda Interativa" (`?guia=1`: the stepper then counts the whole journey and each step
carries a plain-language explanation). Progress lives in the database, never the session.
"""
from flask import Blueprint, abort, current_app, flash, g, request, url_for
from stdnum.br import cpf as stdnum_cpf
from werkzeug.exceptions import RequestEntityTooLarge

from blueprints.forms_solicitacao import AceiteForm, ConfiraForm, DocumentosForm, FORMS
import relogio
from services.nucleo.ciclo_de_vida import (CERTIFICADO_SITUACOES, DOCUMENTO_SITUACOES,
                                           TransicaoInvalida, pode)
from services.nucleo.formatacao import format_date
from services.nucleo.recusas import Recusa
from services.titular import documentos as docs
from services.titular import jornada
from services.titular import pessoa
from services.titular import solicitacoes
from services.titular import termo_pdf
from services.titular import termos
from services.titular.jornada import AJUDA, EXPLICACOES
from services.titular.arquivos_documento import LIMITE_BYTES
from services.titular.solicitacoes import CAMPOS, ETAPAS, TITULOS, VersaoDesatualizada
from web.acesso_titular import acesso_titular
from web.extensoes import csrf
from web.paginas import arquivo_response, pdf_response, redirecionar, render
from web.pdf_assinado import pdf_liberado

bp = Blueprint("solicitacao", __name__, url_prefix="/solicitacao")


@bp.before_request
def _guia():
    g.guia = request.args.get("guia") == "1"


@bp.url_defaults
def _manter_guia(endpoint, values):
    # Inside the guided journey every link and form of the wizard stays guided.
    if g.get("guia") and "guia" not in values:
        values["guia"] = 1


def passo(nome):
    """"Etapa N de M" of `nome`, counting the whole guided journey inside Ajuda Interativa."""
    return jornada.passo(nome, g.get("guia"))


def _versao_lida(form, campo):
    """The hidden version sent back, or None when it is not a number within range (the
    service then refuses it as a page shown before the latest change)."""
    return campo.data if campo.validate(form) else None


# --- helpers ----------------------------------------------------------------------------

def _carregar(numero):
    """Access check (404/410 abort: a revoked link is refused before anything is read)."""
    acesso = acesso_titular(numero)
    return acesso, acesso.certificado


def _pagina(template, status=200, **ctx):
    fragmento = f"solicitacao/_{template}.html"
    form = ctx.get("form")
    com_erro = bool(ctx.get("aviso") or (form and form.errors))  # "Erro:" in the title
    response = render("solicitacao/pagina.html", fragmento, status, fragmento=fragmento,
                      com_erro=com_erro, **ctx)
    if status >= 400:
        # The same address with errors: no new history entry.
        response.headers["HX-Push-Url"] = "false"
    return response


def _fechada(certificado):
    """The request is closed (issued, cancelled...): explain instead of showing the form."""
    status = 200 if request.method == "GET" else 409
    return _pagina("fechada", status, certificado=certificado,
                   situacao=CERTIFICADO_SITUACOES[certificado.situacao],
                   titulo="Solicitação encerrada", passo=None)



def _contexto_etapa(certificado, solicitacao, etapa, form, aviso=None):
    indice = ETAPAS.index(etapa)
    if indice > 0:
        voltar = url_for(".etapa", numero=certificado.numero, etapa=ETAPAS[indice - 1])
    elif g.guia:
        voltar = None  # step 1 (assignment) is done; nothing to go back to
    else:
        voltar = url_for("titular.certificado", numero=certificado.numero)
    return dict(certificado=certificado, solicitacao=solicitacao, etapa=etapa, form=form,
                titulo=TITULOS[etapa], passo=passo(etapa), voltar=voltar, voltar_fora=indice == 0,
                aviso=aviso, orgaos_emissores=pessoa.ORGAOS_EMISSORES,
                ajuda=AJUDA[etapa], explicacao=EXPLICACOES[etapa],
                acao=url_for(".etapa", numero=certificado.numero, etapa=etapa,
                             volta=request.args.get("volta")))


def _proxima(certificado, solicitacao, etapa, hoje):
    if request.args.get("volta") == "confira" or etapa == ETAPAS[-1]:
        falta = solicitacoes.primeira_incompleta(solicitacao, hoje)
        if falta is None:
            return redirecionar(".confira", numero=certificado.numero)
        if request.args.get("volta") == "confira" and falta != etapa:
            return redirecionar(".etapa", numero=certificado.numero, etapa=falta, volta="confira")
    return redirecionar(".etapa", numero=certificado.numero, etapa=ETAPAS[ETAPAS.index(etapa) + 1])


# --- views ------------------------------------------------------------------------------

@bp.get("/<numero>/")
def inicio(numero):
    """Where the request continues: the first incomplete step, else "Confira seus dados"."""
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    etapa = solicitacoes.primeira_incompleta(solicitacao, relogio.hoje())
    if etapa is None:
        return redirecionar(".confira", numero=numero)
    return redirecionar(".etapa", numero=numero, etapa=etapa)


@bp.route("/<numero>/<any(dados, contato, endereco, documento):etapa>",
          methods=["GET", "POST"])
def etapa(numero, etapa):
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    hoje = relogio.hoje()
    anterior = solicitacoes.anterior_incompleta(solicitacao, etapa, hoje)
    if anterior is not None:
        return redirecionar(".etapa", numero=numero, etapa=anterior)

    def form_atual():
        return FORMS[etapa](formdata=None, data={**solicitacoes.entrada_de(solicitacao, etapa),
                                                 "versao": solicitacao.versao})

    if request.method == "GET":
        return _pagina("etapa", **_contexto_etapa(certificado, solicitacao, etapa, form_atual()))

    form = FORMS[etapa]()
    entrada = {campo: request.form.get(campo, "") for campo in CAMPOS[etapa]}
    valores, erros = solicitacoes.limpar(etapa, entrada, hoje, solicitacao.data_nascimento)
    if erros:
        for campo, mensagem in erros.items():
            form[campo].errors = [mensagem]
        return _pagina("etapa", 422, **_contexto_etapa(certificado, solicitacao, etapa, form))
    try:
        solicitacoes.salvar(solicitacao, _versao_lida(form, form.versao), valores)
    except VersaoDesatualizada as conflito:
        solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
        return _pagina("etapa", 409, **_contexto_etapa(certificado, solicitacao, etapa,
                                                        form_atual(), aviso=str(conflito)))
    return _proxima(certificado, solicitacao, etapa, hoje)


def _secoes(solicitacao, certificado):
    s = solicitacao
    nascimento = format_date(s.data_nascimento) if s.data_nascimento else ""
    emissao = format_date(s.doc_data_emissao) if s.doc_data_emissao else ""
    endereco = ", ".join(p for p in (s.logradouro, s.numero, s.complemento) if p)
    return [
        ("dados", [("Nome completo", s.nome), ("Data de nascimento", nascimento),
                   ("CPF", stdnum_cpf.format(certificado.titular_cpf))]),
        ("contato", [("E-mail", s.email), ("Celular", pessoa.format_celular(s.celular))]),
        ("endereco", [("CEP", pessoa.format_cep(s.cep)), ("Endereço", endereco),
                      ("Bairro", s.bairro), ("Cidade / UF", f"{s.cidade} / {s.uf}")]),
        ("documento", [("Tipo", s.doc_tipo), ("Número", s.doc_numero),
                       ("Órgão emissor / UF", f"{s.doc_emissor} / {s.doc_uf}"),
                       ("Data de emissão", emissao), ("NIS/PIS/PASEP", s.nis or "—"),
                       ("Título de eleitor", " / ".join(
                           p for p in (s.titulo_eleitor, s.titulo_zona, s.titulo_secao) if p)
                        or "—")]),
    ]


# --- the identity document (photo or PDF) ----------------------------------------------

def _pagina_documentos(acesso, certificado, form, status=200):
    envio = docs.ultimo(acesso.atribuicao.id)
    return _pagina("documentos", status, certificado=certificado, form=form, envio=envio,
                   arquivos=docs.arquivos(envio) if envio else [], aceitos=docs.ACEITOS,
                   partes=docs.PARTES, pendente=docs.falta_enviar(envio),
                   situacoes=DOCUMENTO_SITUACOES, titulo="Documentos",
                   passo=passo("documentos"), explicacao=EXPLICACOES["documentos"],
                   voltar=url_for(".etapa", numero=certificado.numero, etapa=ETAPAS[-1]))


@bp.route("/<numero>/documentos", methods=["GET", "POST"])
@csrf.exempt  # checked by DocumentosForm itself, after the size limit below is in place
def documentos(numero):
    """Front and back photos, or one PDF (static/js/documentos.js reduces photos first)."""
    if request.method == "POST":
        request.max_content_length = 2 * LIMITE_BYTES + 64 * 1024  # two files and the token
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    falta = solicitacoes.primeira_incompleta(solicitacao, relogio.hoje())
    if falta is not None:
        return redirecionar(".etapa", numero=numero, etapa=falta)
    if request.method == "GET":
        return _pagina_documentos(acesso, certificado, DocumentosForm(formdata=None))
    try:
        if (request.content_length or 0) > request.max_content_length:
            raise RequestEntityTooLarge()  # said before reading (and spooling) the body
        form = DocumentosForm()
        valido = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = DocumentosForm(formdata=None)
        form.frente.errors = ["Os arquivos passam de 5 MB cada, o limite. Envie fotos menores "
                              "ou um PDF mais leve."]
        return _pagina_documentos(acesso, certificado, form, 413)
    if not valido:
        abort(400)
    try:
        docs.enviar(certificado, acesso.atribuicao,
                    docs.separar(form.frente.data, form.verso.data),
                    acesso.ator, current_app.config)
    except Recusa as recusa:
        form["verso" if recusa.campo == "verso" else "frente"].errors = [recusa.mensagem]
        return _pagina_documentos(acesso, certificado, form, 422)
    return redirecionar(".confira", numero=numero)


@bp.get("/<numero>/documentos/<id:arquivo_id>")
def documento_arquivo(numero, arquivo_id):
    """One file, for the holder of the assignment that sent it only (a view is an event)."""
    acesso, certificado = _carregar(numero)
    aberto = docs.abrir(arquivo_id, certificado, acesso.ator, current_app.config,
                        atribuicao_id=acesso.atribuicao.id)
    if aberto is None:
        abort(404)
    return arquivo_response(*aberto)


@bp.route("/<numero>/confira", methods=["GET", "POST"])
def confira(numero):
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    falta = solicitacoes.primeira_incompleta(solicitacao, relogio.hoje())
    if falta is not None:
        return redirecionar(".etapa", numero=numero, etapa=falta)
    envio = docs.ultimo(acesso.atribuicao.id)
    if docs.falta_enviar(envio):
        return redirecionar(".documentos", numero=numero)
    form = ConfiraForm(formdata=None, data={"versao": solicitacao.versao})
    aviso, status = None, 200
    # Nothing changed since the accepted termo: a new version would say the same thing.
    aceito = termos.aceito_sem_mudancas(solicitacao)
    if request.method == "POST" and aceito is not None:
        return redirecionar(".enviada", numero=numero)
    if request.method == "POST":
        enviado = ConfiraForm()
        try:
            termos.gerar_termo(solicitacao, certificado, certificado.processo.numero,
                               acesso.ator, _versao_lida(enviado, enviado.versao))
        except VersaoDesatualizada as recusa:
            aviso, status = recusa.mensagem, 409
        else:
            return redirecionar(".termo", numero=numero)
    return _pagina("confira", status, certificado=certificado, solicitacao=solicitacao,
                   form=form, aviso=aviso, titulo="Confira seus dados", passo=passo("confira"),
                   secoes=[(e, TITULOS[e], linhas) for e, linhas in
                           _secoes(solicitacao, certificado)],
                   voltar=url_for(".documentos", numero=numero),
                   explicacao=EXPLICACOES["confira"],
                   correcao=pode(certificado.situacao, "corrigir"),
                   envio=envio, situacoes=DOCUMENTO_SITUACOES,
                   sem_mudancas=aceito is not None, termo_aceito=aceito)


@bp.route("/<numero>/termo", methods=["GET", "POST"])
def termo(numero):
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    processo_numero = certificado.processo.numero
    pendente = termos.termo_pendente(solicitacao, certificado, processo_numero)
    if pendente is None:
        # No termo for the current data (never generated, or the data changed since).
        return redirecionar(".confira", numero=numero)
    aviso, status = None, 200
    form = AceiteForm(formdata=None, data={"termo_versao": pendente.versao})
    if request.method == "POST":
        enviado = AceiteForm()
        try:
            termos.conferir_aceite(pendente, _versao_lida(enviado, enviado.termo_versao),
                                   enviado.concordo.data)
        except termos.TermoRegerado as recusa:
            aviso, status = recusa.mensagem, 409
        except Recusa as recusa:
            form = enviado
            form[recusa.campo].errors = [recusa.mensagem]
            status = 422
        else:
            try:
                termos.enviar(pendente, solicitacao, certificado, processo_numero,
                              acesso.ator, request.remote_addr,
                              request.headers.get("User-Agent", ""), current_app.config)
            except (VersaoDesatualizada, TransicaoInvalida) as erro:
                flash(str(erro), "erro")
                return redirecionar(".inicio", numero=numero)
            return redirecionar(".enviada", numero=numero)
    return _pagina("termo", status, certificado=certificado, termo=pendente, form=form,
                   aviso=aviso, titulo="Termo de titularidade", passo=passo("termo"),
                   declaracoes=termo_pdf.DECLARACOES,
                   voltar=url_for(".confira", numero=numero), explicacao=EXPLICACOES["termo"])


@bp.get("/<numero>/termo-v<id:versao>.pdf")
def termo_pdf_arquivo(numero, versao):
    termo_id = pdf_liberado()
    if termo_id is not None:
        # A signed address from the holder's page (a new tab outside the frame has no session).
        termo = termos.do_certificado(termo_id, versao, numero)
    else:
        acesso, certificado = _carregar(numero)
        termo = termos.da_solicitacao(solicitacoes.obter(acesso.atribuicao, certificado),
                                      versao)
    if termo is None:
        abort(404)
    return pdf_response(termo.pdf, f"termo-titularidade-{numero}-v{versao}.pdf")


@bp.get("/<numero>/enviada")
def enviada(numero):
    acesso, certificado = _carregar(numero)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    if not termos.emissao_solicitada(solicitacao, certificado):
        return redirecionar(".inicio", numero=numero)
    termo = termos.ultimo_termo(solicitacao)
    agendar = (url_for("agendamento.inicio", numero=numero)
               if pode(certificado.situacao, "agendar") else None)
    return _pagina("enviada", certificado=certificado, solicitacao=solicitacao, termo=termo,
                   titulo="Emissão solicitada", agendar=agendar,
                   passo=passo("agendar") if agendar else None,
                   situacao=CERTIFICADO_SITUACOES[certificado.situacao],
                   explicacao=EXPLICACOES["agendar"] if agendar else None)
