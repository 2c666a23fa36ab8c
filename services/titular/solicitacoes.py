"""The holder's request ("solicitação"): its steps, their rules and saving the draft.

One set of rules serves both directions: `limpar(etapa, entrada)` validates what a person
typed, and the same function run over the stored values says whether a step is complete
(so "resume at the first incomplete step" can never disagree with the form).
No Flask request here. The termo and sending the request: services.titular.termos.
"""
from datetime import date

from peewee import IntegrityError

from banco.consulta_pronta import ConsultaPronta
from models import Solicitacao, db
from services.titular import pessoa
from services.nucleo import entrada as entrada_texto
from services.nucleo.ciclo_de_vida import PREENCHIVEIS, pode
from relogio import utcnow
from services.nucleo.recusas import Recusa

ETAPAS = ("dados", "contato", "endereco", "documento")
TITULOS = {
    "dados": "Dados pessoais",
    "contato": "Contato",
    "endereco": "Endereço",
    "documento": "Documento de identificação",
}
# Form field -> model column, per step (dates are typed as three fields, see _data).
CAMPOS = {
    "dados": ("nome", "nascimento_dia", "nascimento_mes", "nascimento_ano"),
    "contato": ("email", "celular"),
    "endereco": ("cep", "logradouro", "numero", "complemento", "bairro", "cidade", "uf"),
    "documento": ("doc_tipo", "doc_numero", "doc_emissor", "doc_uf",
                  "emissao_dia", "emissao_mes", "emissao_ano",
                  "nis", "titulo_eleitor", "titulo_zona", "titulo_secao"),
}
# Optional numbers the certificate carries (zero-filled when empty): field -> (digits, name).
OPCIONAIS = {"nis": (11, "O NIS/PIS/PASEP"), "titulo_eleitor": (12, "O título de eleitor"),
             "titulo_zona": (3, "A zona eleitoral"), "titulo_secao": (4, "A seção eleitoral")}
# Free-text limits: the model's column sizes.
LIMITES = {"logradouro": 120, "numero": 20, "complemento": 60, "bairro": 60, "cidade": 60}
OBRIGATORIOS = {"logradouro": "Informe o logradouro (rua, avenida, quadra).",
                "numero": "Informe o número (ou “S/N” se não houver).",
                "bairro": "Informe o bairro.", "cidade": "Informe a cidade."}



class VersaoDesatualizada(Recusa):
    """The request changed elsewhere (another tab or device) since this form was shown."""


def aberta(certificado):
    return certificado.situacao in PREENCHIVEIS


def acao_envio(situacao):
    """'solicitar' the first time, 'corrigir' once emission was requested."""
    return "corrigir" if pode(situacao, "corrigir") else "solicitar"


# --- rules ------------------------------------------------------------------------------

def _data(dia, mes, ano, nome):
    """A date typed as three fields, or ValueError with a message for the group."""
    partes = [(p or "").strip() for p in (dia, mes, ano)]
    if not all(partes):
        raise ValueError(f"Informe a {nome} completa: dia, mês e ano.")
    if (not all(p.isascii() and p.isdigit() for p in partes) or len(partes[2]) != 4
            or len(partes[0]) > 2 or len(partes[1]) > 2):
        raise ValueError(f"A {nome} deve ter só números, como 17 04 1988.")
    try:
        return date(int(partes[2]), int(partes[1]), int(partes[0]))
    except ValueError:
        raise ValueError(f"A {nome} não existe: confira o dia e o mês.") from None


def _texto(entrada, campo, erros, obrigatorio=True):
    valor = " ".join((entrada.get(campo) or "").split())
    if not valor and obrigatorio:
        erros[campo] = OBRIGATORIOS[campo]
    elif len(valor) > LIMITES[campo]:
        erros[campo] = f"Use no máximo {LIMITES[campo]} caracteres."
    return valor


def _digitos_opcionais(entrada, campo, erros):
    """Digits only (dots, dashes and spaces dropped), up to the field's width, or ""."""
    largura, nome = OPCIONAIS[campo]
    valor = "".join((entrada.get(campo) or "").replace(".", "").replace("-", "").split())
    if valor and not (valor.isascii() and valor.isdigit()):
        erros[campo] = f"{nome} deve ter só números."
    elif len(valor) > largura:
        erros[campo] = f"{nome} tem no máximo {largura} números."
    return valor


def _aplicar(erros, campo, funcao, *args):
    try:
        return funcao(*args)
    except ValueError as error:
        erros[campo] = str(error)
        return None


def limpar(etapa, entrada, hoje, nascimento=None):
    """Validate one step. Returns (column values, {form field: message}).

    `nascimento` is the stored birth date, needed to check the document's issue date.
    """
    erros, valores = {}, {}
    for campo, valor in entrada.items():
        if entrada_texto.tem_controle(valor):
            erros[campo] = entrada_texto.MENSAGEM_CONTROLE
        elif len(valor or "") > 500:
            erros[campo] = "Use no máximo 500 caracteres."
    if erros:  # nothing else is read: the person fixes these fields first
        return valores, erros
    if etapa == "dados":
        valores["nome"] = _aplicar(erros, "nome", pessoa.clean_nome, entrada.get("nome"))
        try:
            nascido = _data(entrada.get("nascimento_dia"), entrada.get("nascimento_mes"),
                            entrada.get("nascimento_ano"), "data de nascimento")
            valores["data_nascimento"] = pessoa.clean_data_nascimento(nascido, hoje)
        except ValueError as error:
            erros["nascimento_dia"] = str(error)
    elif etapa == "contato":
        valores["email"] = _aplicar(erros, "email", pessoa.clean_email, entrada.get("email"))
        valores["celular"] = _aplicar(erros, "celular", pessoa.clean_celular,
                                      entrada.get("celular"))
    elif etapa == "endereco":
        valores["cep"] = _aplicar(erros, "cep", pessoa.clean_cep, entrada.get("cep"))
        for campo in ("logradouro", "numero", "bairro", "cidade"):
            valores[campo] = _texto(entrada, campo, erros)
        valores["complemento"] = _texto(entrada, "complemento", erros, obrigatorio=False)
        valores["uf"] = _aplicar(erros, "uf", pessoa.clean_uf, entrada.get("uf"))
    elif etapa == "documento":
        tipo = (entrada.get("doc_tipo") or "").strip()
        if tipo not in pessoa.DOCUMENTO_TIPOS:
            erros["doc_tipo"] = "Escolha o tipo de documento."
        valores["doc_tipo"] = tipo
        valores["doc_numero"] = _aplicar(erros, "doc_numero", pessoa.clean_documento_numero,
                                         entrada.get("doc_numero"))
        valores["doc_emissor"] = _aplicar(erros, "doc_emissor", pessoa.clean_orgao_emissor,
                                          entrada.get("doc_emissor"))
        valores["doc_uf"] = _aplicar(erros, "doc_uf", pessoa.clean_uf, entrada.get("doc_uf"))
        try:
            emitido = _data(entrada.get("emissao_dia"), entrada.get("emissao_mes"),
                            entrada.get("emissao_ano"), "data de emissão")
            valores["doc_data_emissao"] = pessoa.clean_data_emissao(
                emitido, nascimento or pessoa.MIN_BIRTH, hoje)
        except ValueError as error:
            erros["emissao_dia"] = str(error)
        for campo in OPCIONAIS:
            valores[campo] = _digitos_opcionais(entrada, campo, erros)
        if valores["titulo_eleitor"] and not (valores["titulo_zona"] and valores["titulo_secao"]):
            erros["titulo_zona"] = "Informe também a zona e a seção do título de eleitor."
    else:
        raise KeyError(etapa)
    return valores, erros


def entrada_de(solicitacao, etapa):
    """The stored values of a step as the form shows them (dates split in three)."""
    s = solicitacao
    if etapa == "dados":
        return {"nome": s.nome, **_partes("nascimento", s.data_nascimento)}
    if etapa == "contato":
        return {"email": s.email, "celular": pessoa.format_celular(s.celular)}
    if etapa == "endereco":
        return {"cep": pessoa.format_cep(s.cep), "logradouro": s.logradouro, "numero": s.numero,
                "complemento": s.complemento, "bairro": s.bairro, "cidade": s.cidade,
                "uf": s.uf}
    return {"doc_tipo": s.doc_tipo, "doc_numero": s.doc_numero, "doc_emissor": s.doc_emissor,
            "doc_uf": s.doc_uf, **_partes("emissao", s.doc_data_emissao),
            **{campo: getattr(s, campo) for campo in OPCIONAIS}}


def _partes(prefixo, valor):
    if valor is None:
        return {f"{prefixo}_dia": "", f"{prefixo}_mes": "", f"{prefixo}_ano": ""}
    return {f"{prefixo}_dia": f"{valor.day:02d}", f"{prefixo}_mes": f"{valor.month:02d}",
            f"{prefixo}_ano": str(valor.year)}


def completa(solicitacao, etapa, hoje):
    _, erros = limpar(etapa, entrada_de(solicitacao, etapa), hoje, solicitacao.data_nascimento)
    return not erros


def anterior_incompleta(solicitacao, etapa, hoje):
    """The first step before `etapa` not complete yet (steps are filled in order), or None."""
    for anterior in ETAPAS[:ETAPAS.index(etapa)]:
        if not completa(solicitacao, anterior, hoje):
            return anterior
    return None


def primeira_incompleta(solicitacao, hoje):
    """The first step whose stored data do not pass its rules, or None when all do."""
    for etapa in ETAPAS:
        if not completa(solicitacao, etapa, hoje):
            return etapa
    return None


# --- the draft --------------------------------------------------------------------------

# Read on every page of the request: its SQL is written once (banco.consulta_pronta).
_DA_ATRIBUICAO = ConsultaPronta(lambda atribuicao_id: Solicitacao.select().where(
    Solicitacao.atribuicao == atribuicao_id).limit(1))


def obter(atribuicao, certificado):
    """The request of this assignment, created empty (e-mail prefilled) on first use."""
    solicitacao = _DA_ATRIBUICAO.primeira(atribuicao.id)
    if solicitacao is None:
        try:
            with db.atomic():
                solicitacao = Solicitacao.create(atribuicao=atribuicao.id,
                                                 certificado=certificado.id,
                                                 email=atribuicao.email)
        except IntegrityError:  # two first requests at once: the other one created it
            solicitacao = Solicitacao.get(Solicitacao.atribuicao == atribuicao.id)
    return solicitacao


# What a renewal's draft takes from the last request: the steps' data. The e-mail is the new
# assignment's; the videoconference eligibility is asked again (a new identification).
COPIADOS_NA_RENOVACAO = ("nome", "data_nascimento", "celular", "cep", "logradouro", "numero",
                         "complemento", "bairro", "cidade", "uf", "doc_tipo", "doc_numero",
                         "doc_emissor", "doc_uf", "doc_data_emissao", "nis", "titulo_eleitor",
                         "titulo_zona", "titulo_secao")


def rascunho_da_renovacao(atribuicao, certificado, anterior):
    """The draft of a renewal's assignment, prefilled from `anterior` (the renewed
    certificate's sent request) for the holder to check step by step."""
    return Solicitacao.create(atribuicao=atribuicao.id, certificado=certificado.id,
                              email=atribuicao.email,
                              **{c: getattr(anterior, c) for c in COPIADOS_NA_RENOVACAO})


def salvar(solicitacao, versao_vista, valores):
    """Write a step if nobody saved since `versao_vista` (one conditional UPDATE); None, a
    version the page could not send back, never matches."""
    agora = utcnow()
    alteradas = (Solicitacao.update(**valores, versao=Solicitacao.versao + 1, atualizado_em=agora)
                 .where((Solicitacao.id == solicitacao.id)
                        & (Solicitacao.versao == versao_vista))
                 .execute())
    if alteradas != 1:
        raise VersaoDesatualizada(
            "Estes dados foram alterados em outra aba ou aparelho depois que você abriu esta "
            "página. Mostramos abaixo os dados mais recentes: confira e envie de novo.")
    for nome, valor in valores.items():
        setattr(solicitacao, nome, valor)
    solicitacao.versao = versao_vista + 1
    solicitacao.atualizado_em = agora
    return solicitacao
