"""The holder's request, step by step: question pages, "Confira seus dados", the termo.

The same views serve the holder's link, the buyer on their own CPF, corrections, and
"Ajuda Interativa" (`?guia=1`: the stepper then counts the whole journey and each step
carries a plain-language explanation). Progress lives in the database, never the session.
"""
from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from stdnum.br import cpf as stdnum_cpf
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from web.acesso_titular import acesso_titular
from blueprints.forms import Formulario
from models import Termo
from services.titular import pessoa
import relogio
from services.titular import solicitacoes
from services.titular import termo_pdf
from services.nucleo.formatacao import format_date
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, TransicaoInvalida, pode
from services.titular.solicitacoes import CAMPOS, ETAPAS, TITULOS, VersaoDesatualizada
from web.paginas import pdf_response, render
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


# --- the journey: "Etapa N de M" ----------------------------------------------------------

def jornada():
    """Names of the steps the person goes through, in order."""
    etapas = [*ETAPAS, "confira", "termo"]
    if g.get("guia"):
        etapas = ["atribuir", *etapas, "agendar"]
    return etapas


def passo(nome):
    etapas = jornada()
    return (etapas.index(nome) + 1, len(etapas)) if nome in etapas else None


# Beside every step of "Ajuda Interativa": why we ask, in plain words.
EXPLICACOES = {
    "atribuir": "Cada certificado pertence a uma pessoa, o titular. Informe o CPF e o e-mail "
                "de quem vai usar o certificado. Se for você, deixe os seus dados.",
    "dados": "O certificado leva o seu nome e a sua data de nascimento. Eles precisam ser "
             "iguais aos do cadastro do CPF na Receita Federal.",
    "contato": "Usamos o e-mail e o celular para mandar as instruções da videoconferência e "
               "avisar quando o certificado for emitido.",
    "endereco": "O endereço faz parte do seu cadastro na Autoridade de Registro.",
    "documento": "Na videoconferência você mostra este documento original com foto. Ele "
                 "comprova que você é o titular.",
    "confira": "Confira tudo com calma. Se algo estiver errado, use “Alterar”.",
    "termo": "O termo de titularidade é a sua declaração de responsabilidade pelo "
             "certificado. Leia e aceite para pedir a emissão.",
    "agendar": "Falta só a validação cadastral: uma videoconferência curta com um agente de "
               "registro, que confere o seu documento e o seu rosto.",
}

AJUDA = {
    "dados": "Escreva o nome completo, sem abreviações, como aparece no CPF. Se o nome mudou "
             "por casamento ou divórcio, use o nome atual; a mudança é comprovada na "
             "validação. A data de nascimento vai em três campos: dia, mês e ano (4 números).",
    "contato": "Use um e-mail que você acessa sempre: as instruções chegam por ele. O celular "
               "deve ter DDD, como (11) 98765-4321.",
    "endereco": "O CEP tem 8 números. Se a casa não tiver número, escreva S/N. Complemento "
                "é opcional (apartamento, bloco, casa).",
    "documento": "Use um documento oficial com foto: RG, CNH, passaporte, carteira de "
                 "conselho profissional ou CNE/CRNM. O órgão emissor está impresso no "
                 "documento (por exemplo SSP, DETRAN).",
}


# --- forms ------------------------------------------------------------------------------

def _numerico(autocomplete, maxlength):
    return {"autocomplete": autocomplete, "inputmode": "numeric", "maxlength": maxlength,
            "class": "data-parte"}


_UF_OPCOES = [SelectChoice("", "Selecione")] + [SelectChoice(sigla, f"{sigla} — {nome}")
                                                for sigla, nome in pessoa.UFS.items()]


class EtapaForm(Formulario):
    versao = HiddenField()


class DadosForm(EtapaForm):
    nome = StringField("Nome completo", render_kw={"autocomplete": "name",
                                                   "spellcheck": "false"})
    nascimento_dia = StringField("Dia", render_kw=_numerico("bday-day", "2"))
    nascimento_mes = StringField("Mês", render_kw=_numerico("bday-month", "2"))
    nascimento_ano = StringField("Ano", render_kw=_numerico("bday-year", "4"))


class ContatoForm(EtapaForm):
    email = StringField("E-mail", render_kw={"type": "email", "autocomplete": "email",
                                             "spellcheck": "false"})
    # "tel", not "tel-national" (the Nu Html Checker rejects it); +55 is accepted anyway.
    celular = StringField("Celular com DDD", render_kw={"type": "tel", "inputmode": "tel",
                                                        "autocomplete": "tel"})


class EnderecoForm(EtapaForm):
    cep = StringField("CEP", render_kw={"autocomplete": "postal-code", "inputmode": "numeric",
                                        "class": "curto"})
    logradouro = StringField("Logradouro", render_kw={"autocomplete": "address-line1"})
    numero = StringField("Número", render_kw={"class": "curto"})
    complemento = StringField("Complemento", render_kw={"autocomplete": "address-line2"})
    bairro = StringField("Bairro", render_kw={"autocomplete": "address-level3"})
    cidade = StringField("Cidade", render_kw={"autocomplete": "address-level2"})
    uf = SelectField("UF", choices=_UF_OPCOES, validate_choice=False,
                     render_kw={"autocomplete": "address-level1"})


class DocumentoForm(EtapaForm):
    doc_tipo = SelectField("Tipo de documento",
                           choices=[SelectChoice("", "Selecione")]
                           + [SelectChoice(t, t) for t in pessoa.DOCUMENTO_TIPOS],
                           validate_choice=False)
    doc_numero = StringField("Número do documento", render_kw={"spellcheck": "false"})
    doc_emissor = StringField("Órgão emissor", render_kw={
        "class": "curto", "list": "orgaos-emissores", "autocapitalize": "characters",
        "spellcheck": "false", "maxlength": str(pessoa.ORGAO_EMISSOR_MAX)})
    doc_uf = SelectField("UF de emissão", choices=_UF_OPCOES, validate_choice=False)
    emissao_dia = StringField("Dia", render_kw=_numerico("off", "2"))
    emissao_mes = StringField("Mês", render_kw=_numerico("off", "2"))
    emissao_ano = StringField("Ano", render_kw=_numerico("off", "4"))
    nis = StringField("NIS/PIS/PASEP", render_kw=_numerico("off", "14"))
    titulo_eleitor = StringField("Título de eleitor", render_kw=_numerico("off", "14"))
    titulo_zona = StringField("Zona", render_kw=_numerico("off", "3"))
    titulo_secao = StringField("Seção", render_kw=_numerico("off", "4"))


FORMS = {"dados": DadosForm, "contato": ContatoForm, "endereco": EnderecoForm,
         "documento": DocumentoForm}


class ConfiraForm(Formulario):
    versao = HiddenField()


class AceiteForm(Formulario):
    termo_versao = HiddenField()
    concordo = BooleanField("Li e concordo com o termo de titularidade")


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


def _ir(endpoint, **values):
    return redirect(url_for(endpoint, **values), code=303)


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
            return _ir(".confira", numero=certificado.numero)
        if request.args.get("volta") == "confira" and falta != etapa:
            return _ir(".etapa", numero=certificado.numero, etapa=falta, volta="confira")
    return _ir(".etapa", numero=certificado.numero, etapa=ETAPAS[ETAPAS.index(etapa) + 1])


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
        return _ir(".confira", numero=numero)
    return _ir(".etapa", numero=numero, etapa=etapa)


@bp.route("/<numero>/<any(dados, contato, endereco, documento):etapa>",
          methods=["GET", "POST"])
def etapa(numero, etapa):
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    hoje = relogio.hoje()
    for anterior in ETAPAS[:ETAPAS.index(etapa)]:
        if not solicitacoes.completa(solicitacao, anterior, hoje):
            return _ir(".etapa", numero=numero, etapa=anterior)

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
        versao_vista = int(form.versao.data or 0)
    except ValueError:
        versao_vista = 0
    try:
        solicitacoes.salvar(solicitacao, versao_vista, valores)
    except VersaoDesatualizada as conflito:
        solicitacao = type(solicitacao).get_by_id(solicitacao.id)
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


@bp.route("/<numero>/confira", methods=["GET", "POST"])
def confira(numero):
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    falta = solicitacoes.primeira_incompleta(solicitacao, relogio.hoje())
    if falta is not None:
        return _ir(".etapa", numero=numero, etapa=falta)
    form = ConfiraForm(formdata=None, data={"versao": solicitacao.versao})
    aviso, status = None, 200
    # Nothing changed since the accepted termo: a new version would say the same thing.
    ultimo = solicitacoes.ultimo_termo(solicitacao)
    sem_mudancas = (ultimo is not None and ultimo.aceito_em is not None
                    and solicitacao.atualizado_em <= ultimo.aceito_em)
    if request.method == "POST" and sem_mudancas:
        return _ir(".enviada", numero=numero)
    if request.method == "POST":
        try:
            solicitacoes.gerar_termo(solicitacao, certificado, certificado.processo.numero,
                                     acesso.ator, versao_vista=request.form.get("versao", ""))
        except VersaoDesatualizada as recusa:
            aviso, status = recusa.mensagem, 409
        else:
            return _ir(".termo", numero=numero)
    return _pagina("confira", status, certificado=certificado, solicitacao=solicitacao,
                   form=form, aviso=aviso, titulo="Confira seus dados", passo=passo("confira"),
                   secoes=[(e, TITULOS[e], linhas) for e, linhas in
                           _secoes(solicitacao, certificado)],
                   voltar=url_for(".etapa", numero=numero, etapa=ETAPAS[-1]),
                   explicacao=EXPLICACOES["confira"],
                   correcao=certificado.situacao != "atribuido", sem_mudancas=sem_mudancas,
                   termo_aceito=ultimo if sem_mudancas else None)


@bp.route("/<numero>/termo", methods=["GET", "POST"])
def termo(numero):
    acesso, certificado = _carregar(numero)
    if not solicitacoes.aberta(certificado):
        return _fechada(certificado)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    processo_numero = certificado.processo.numero
    pendente = solicitacoes.termo_pendente(solicitacao, certificado, processo_numero)
    if pendente is None:
        # No termo for the current data (never generated, or the data changed since).
        return _ir(".confira", numero=numero)
    aviso, status = None, 200
    if request.method == "POST":
        form = AceiteForm()
        if request.form.get("termo_versao") != str(pendente.versao):
            aviso, status = ("O termo foi gerado de novo em outra aba ou aparelho. Leia a "
                             "versão atual abaixo e aceite-a para enviar."), 409
            form = AceiteForm(formdata=None, data={"termo_versao": pendente.versao})
        elif not form.concordo.data:
            form.concordo.errors = ["Marque “Li e concordo” para enviar a solicitação."]
            status = 422
        else:
            try:
                solicitacoes.enviar(pendente, solicitacao, certificado, processo_numero,
                                    acesso.ator, request.remote_addr,
                                    request.headers.get("User-Agent", ""),
                                    current_app.config)
            except (VersaoDesatualizada, TransicaoInvalida) as erro:
                flash(str(erro), "erro")
                return _ir(".inicio", numero=numero)
            return _ir(".enviada", numero=numero)
    else:
        form = AceiteForm(formdata=None, data={"termo_versao": pendente.versao})
    return _pagina("termo", status, certificado=certificado, termo=pendente, form=form,
                   aviso=aviso, titulo="Termo de titularidade", passo=passo("termo"),
                   declaracoes=termo_pdf.DECLARACOES,
                   voltar=url_for(".confira", numero=numero), explicacao=EXPLICACOES["termo"])


@bp.get("/<numero>/termo-v<id:versao>.pdf")
def termo_pdf_arquivo(numero, versao):
    termo_id = pdf_liberado()
    if termo_id is not None:
        # A signed address from the holder's page (a new tab outside the frame has no session).
        termo = Termo.get_or_none((Termo.id == termo_id) & (Termo.versao == versao))
        certificado = termo and termo.certificado
    else:
        acesso, certificado = _carregar(numero)
        solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
        termo = Termo.get_or_none((Termo.solicitacao == solicitacao.id) & (Termo.versao == versao))
    if termo is None or certificado.numero != numero:
        abort(404)
    return pdf_response(termo.pdf, f"termo-titularidade-{certificado.numero}-v{versao}.pdf")


@bp.get("/<numero>/enviada")
def enviada(numero):
    acesso, certificado = _carregar(numero)
    solicitacao = solicitacoes.obter(acesso.atribuicao, certificado)
    emissao_solicitada = (pode(certificado.situacao, "agendar")
                          or pode(certificado.situacao, "reagendar"))
    if solicitacao.enviada_em is None or not emissao_solicitada:
        return _ir(".inicio", numero=numero)
    termo = solicitacoes.ultimo_termo(solicitacao)
    agendar = (url_for("agendamento.inicio", numero=numero)
               if pode(certificado.situacao, "agendar") else None)
    return _pagina("enviada", certificado=certificado, solicitacao=solicitacao, termo=termo,
                   titulo="Emissão solicitada", agendar=agendar,
                   passo=passo("agendar") if agendar else None,
                   situacao=CERTIFICADO_SITUACOES[certificado.situacao],
                   explicacao=EXPLICACOES["agendar"] if agendar else None)
