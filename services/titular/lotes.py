"""Atribuir em lote: a spreadsheet of assignments is checked line by line (the preview),
stored as rows, then applied by a background job through `services.atribuicoes` — the same
gate as the single form — each line in its own transaction.

A line is marked `aplicada` in the transaction that assigns its certificate, so running the
job twice (a retry, a double click) assigns nothing twice, and a crash midway leaves each
line either applied with its e-mail queued, or still `valida`.
"""
from dataclasses import dataclass

from peewee import fn

from models import Certificado, Lote, LoteLinha, ProcessoCompra, db
from services.titular import atribuicoes
from services.nucleo import formatacao
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, Ator, TransicaoInvalida
from services.titular.pessoa import clean_cpf, clean_email
from services.titular.planilhas import LISTA, MODELO
from relogio import utcnow

VALIDA, ERRO, APLICADA, FALHOU = "valida", "erro", "aplicada", "falhou"
PREVIA, APLICANDO, CONCLUIDO = "previa", "aplicando", "concluido"

# The state a certificate must be in for each batch action.
PENDENTE = {"atribuir": "disponivel", "reatribuir": "atribuido"}

_LOTE_SQL = 500  # keeps IN (...) lists under SQLite's variable limit


class LoteRecusado(ValueError):
    """The batch as a whole cannot be previewed (message in Portuguese)."""


def _blocos(itens, tamanho=_LOTE_SQL):
    itens = list(itens)
    for inicio in range(0, len(itens), tamanho):
        yield itens[inicio:inicio + tamanho]


# --- which certificates a buyer may assign ------------------------------------------------

def pendentes(conta, acao="atribuir", processos=None):
    """The buyer's certificates waiting for `acao`, oldest purchase first."""
    query = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
             .where((ProcessoCompra.comprador == conta.id)
                    & (Certificado.situacao == PENDENTE[acao])))
    if processos is not None:
        query = query.where(ProcessoCompra.id.in_(processos))
    return query.order_by(ProcessoCompra.criado_em, ProcessoCompra.id, Certificado.numero)


def compras_com_pendentes(conta, acao="atribuir"):
    """[(ProcessoCompra, number of certificates waiting for `acao`)], oldest first."""
    n = fn.COUNT(Certificado.id)
    return [(p, p.n) for p in (
        ProcessoCompra.select(ProcessoCompra, n.alias("n")).join(Certificado)
        .where((ProcessoCompra.comprador == conta.id)
               & (Certificado.situacao == PENDENTE[acao]))
        .group_by(ProcessoCompra.id).order_by(ProcessoCompra.criado_em, ProcessoCompra.id))]


def modelo_linhas(conta, acao="atribuir"):
    """The model sheet's lines: one per pending certificate, CPF and e-mail left empty."""
    for c in pendentes(conta, acao).iterator():
        yield [c.processo.numero, c.numero, "", "", "", ""]


# --- the preview --------------------------------------------------------------------------

def _cpf(texto):
    texto = (texto or "").strip()
    if texto.isdigit() and 8 <= len(texto) < 11:
        texto = texto.zfill(11)  # a spreadsheet dropped the leading zeros of a number
    return clean_cpf(texto)


def _titulares(processo_ids):
    """{processo id: {holder CPF: certificate number}} of certificates still in use."""
    titulares = {}
    for bloco in _blocos(processo_ids):
        for processo_id, cpf, numero in (
                Certificado.select(Certificado.processo, Certificado.titular_cpf,
                                   Certificado.numero)
                .where(Certificado.processo.in_(bloco) & Certificado.titular_cpf.is_null(False)
                       & (Certificado.situacao != "cancelado")).tuples()):
            titulares.setdefault(processo_id, {})[cpf] = numero
    return titulares


def _certificados(numeros):
    """{number: Certificado with its purchase} for the numbers that exist (anyone's)."""
    encontrados = {}
    for bloco in _blocos(set(numeros)):
        for c in (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                  .where(Certificado.numero.in_(bloco))):
            encontrados[c.numero] = c
    return encontrados


def _situacao_recusada(certificado, acao):
    rotulo = CERTIFICADO_SITUACOES.get(certificado.situacao, certificado.situacao)
    if acao == "reatribuir":
        if certificado.situacao in ("solicitado", "agendado", "pendente_correcao", "emitido"):
            return (f"O certificado {certificado.numero} não pode ser reatribuído: a emissão "
                    f"já foi solicitada (situação: {rotulo}).")
        return (f"O certificado {certificado.numero} não está atribuído a ninguém "
                f"(situação: {rotulo}). Use “Atribuir em lote”.")
    return (f"O certificado {certificado.numero} não está pendente de atribuição "
            f"(situação: {rotulo}).")


@dataclass
class _Linha:
    numero: int
    valores: dict
    cpf: str = ""
    email: str = ""
    erro: str = ""
    certificado: Certificado = None


def _conferir_pessoa(linha, colunas, cpfs_vistos):
    valores = linha.valores
    try:
        linha.cpf = _cpf(valores.get("cpf"))
    except ValueError as error:
        return f"CPF: {error}"
    try:
        linha.email = clean_email(valores.get("email")).lower()
    except ValueError as error:
        return f"E-mail: {error}"
    if "email_confirmacao" in colunas and \
            (valores.get("email_confirmacao") or "").strip().lower() != linha.email:
        return "Os e-mails não são iguais: “E-mail” e “Confirme o e-mail” devem ser o mesmo."
    if linha.cpf in cpfs_vistos:
        return (f"CPF repetido no arquivo (já está na linha {cpfs_vistos[linha.cpf]}): cada "
                "pessoa usa um certificado.")
    cpfs_vistos[linha.cpf] = linha.numero
    return ""


def _ja_titular(titulares, certificado, cpf):
    numero = titulares.get(certificado.processo_id, {}).get(cpf)
    if numero and numero != certificado.numero:
        return (f"Este CPF já é titular do certificado {numero} desta compra "
                f"({certificado.processo.numero}): informe o CPF de outra pessoa.")
    if numero and numero == certificado.numero:
        return (f"O certificado {certificado.numero} já está atribuído a este CPF. Para mandar "
                "um novo link ao titular, use “Reenviar link”.")
    return ""


def _preparar_modelo(conta, acao, tabela, linhas):
    certificados = _certificados(l.valores.get("certificado", "").strip() for l in linhas)
    titulares = _titulares({c.processo_id for c in certificados.values()})
    numeros_vistos = {}
    for linha in linhas:
        if linha.erro:
            continue
        numero = linha.valores.get("certificado", "").strip()
        certificado = certificados.get(numero)
        if not numero:
            linha.erro = "Preencha o número do certificado (coluna “Certificado”)."
        elif certificado is None:
            linha.erro = f"Certificado {numero} não encontrado: confira o número."
        elif certificado.processo.comprador_id != conta.id:
            linha.erro = f"O certificado {numero} não é de uma compra sua."
        elif (linha.valores.get("processo") or "").strip() not in ("", certificado.processo.numero):
            linha.erro = (f"O certificado {numero} não é da compra "
                          f"{linha.valores['processo'].strip()}, e sim da compra "
                          f"{certificado.processo.numero}.")
        elif numero in numeros_vistos:
            linha.erro = (f"Certificado repetido no arquivo (já está na linha "
                          f"{numeros_vistos[numero]}).")
        elif certificado.situacao != PENDENTE[acao]:
            linha.erro = _situacao_recusada(certificado, acao)
        else:
            linha.erro = _ja_titular(titulares, certificado, linha.cpf)
        if not linha.erro:
            numeros_vistos[numero] = linha.numero
            linha.certificado = certificado


def _preparar_lista(conta, acao, linhas, processos):
    livres = list(pendentes(conta, acao, processos))
    titulares = _titulares({c.processo_id for c in livres})
    usados = set()
    inicio = 0  # every certificate before it is taken: the scan stays linear
    for linha in linhas:
        if linha.erro:
            continue
        while inicio < len(livres) and livres[inicio].id in usados:
            inicio += 1
        # The oldest pending certificate of a purchase where this person holds none yet.
        escolhido = next((c for c in livres[inicio:] if c.id not in usados
                          and linha.cpf not in titulares.get(c.processo_id, {})), None)
        if escolhido is not None:
            usados.add(escolhido.id)
            titulares.setdefault(escolhido.processo_id, {})[linha.cpf] = escolhido.numero
            linha.certificado = escolhido
        elif len(usados) < len(livres):
            outro = next(c for c in livres if linha.cpf in titulares.get(c.processo_id, {}))
            linha.erro = _ja_titular(titulares, outro, linha.cpf) or \
                "Este CPF já é titular de um certificado de cada compra escolhida."
        else:
            linha.erro = ("Não há mais certificados pendentes de atribuição nas compras "
                          "escolhidas para esta linha.")


def _preenchida(valores):
    """A model-sheet line left with no CPF and no e-mail is a certificate kept for later."""
    return any((valores.get(c) or "").strip() for c in ("cpf", "email", "email_confirmacao"))


def criar(conta, tabela, nome_arquivo="", acao="atribuir", processos=None):
    """Check every line of `tabela` and store the batch for its preview. Returns the Lote.

    `processos` (ids) are the purchases a CPF + e-mail list draws certificates from.
    """
    if tabela.formato == LISTA:
        escolhidas = {p.id for p, _ in compras_com_pendentes(conta, acao)}
        processos = [p for p in (processos or []) if p in escolhidas]
        if not processos:
            raise LoteRecusado("Escolha ao menos uma compra com certificados pendentes: a "
                               "planilha tem só CPF e e-mail.")
    linhas = [_Linha(numero, valores) for numero, valores in tabela.linhas
              if tabela.formato == LISTA or _preenchida(valores)]
    if not linhas:
        raise LoteRecusado("Nenhuma linha da planilha tem CPF ou e-mail preenchido: preencha "
                           "as colunas “CPF” e “E-mail” dos certificados a atribuir.")
    cpfs_vistos = {}
    for linha in linhas:
        linha.erro = _conferir_pessoa(linha, tabela.colunas, cpfs_vistos)
    if tabela.formato == MODELO:
        _preparar_modelo(conta, acao, tabela, linhas)
    else:
        _preparar_lista(conta, acao, linhas, processos)
    erros = sum(1 for l in linhas if l.erro)
    with db.atomic():
        lote = Lote.create(conta=conta.id, acao=acao, formato=tabela.formato,
                           nome_arquivo=(nome_arquivo or "")[:200], total=len(linhas),
                           validas=len(linhas) - erros, erros=erros)
        for bloco in _blocos(linhas, 200):
            LoteLinha.insert_many([{
                "lote": lote.id, "linha": l.numero,
                "processo_numero": (l.certificado.processo.numero if l.certificado
                                    else l.valores.get("processo", "")),
                "certificado_numero": (l.certificado.numero if l.certificado
                                       else l.valores.get("certificado", "")),
                "cpf": l.valores.get("cpf", ""), "email": l.valores.get("email", ""),
                "email_confirmacao": l.valores.get("email_confirmacao", ""),
                "nome": l.valores.get("nome", ""),
                "certificado": l.certificado.id if l.certificado else None,
                "situacao": ERRO if l.erro else VALIDA, "erro": l.erro[:300],
            } for l in bloco]).execute()
    return lote


def do_comprador(conta, lote_id):
    return Lote.get_or_none((Lote.id == lote_id) & (Lote.conta == conta.id))


def linhas(lote, so_erros=False, pagina=1, por_pagina=100):
    query = LoteLinha.select().where(LoteLinha.lote == lote.id)
    if so_erros:
        query = query.where(LoteLinha.situacao.in_((ERRO, FALHOU)))
    return query.order_by(LoteLinha.linha).paginate(pagina, por_pagina)


def descricao(linha, acao="atribuir"):
    """What a valid line will do, as the preview says it (masked, LGPD)."""
    verbo = "Reatribuir" if acao == "reatribuir" else "Atribuir"
    cpf = formatacao.mask_cpf(_cpf(linha.cpf))
    return (f"{verbo} {linha.certificado_numero} a {cpf} / "
            f"{formatacao.mask_email(linha.email.strip().lower())}")


def contagem(lote):
    """{situacao: number of lines} of the batch now."""
    return dict(LoteLinha.select(LoteLinha.situacao, fn.COUNT(LoteLinha.id))
                .where(LoteLinha.lote == lote.id).group_by(LoteLinha.situacao).tuples())


def linhas_para_corrigir(lote):
    """The lines that were refused (at preview or when applied), as typed, with "Erro"."""
    query = (LoteLinha.select().where((LoteLinha.lote == lote.id)
                                      & LoteLinha.situacao.in_((ERRO, FALHOU)))
             .order_by(LoteLinha.linha))
    for l in query.iterator():
        pessoa = [l.cpf, l.email, l.email_confirmacao, l.nome, l.erro]
        yield ([l.processo_numero, l.certificado_numero] if lote.formato == MODELO else []) + pessoa


# --- applying -----------------------------------------------------------------------------

def confirmar(lote):
    """Preview → applying, once: a second click (or a second worker) gets False."""
    feito = (Lote.update(situacao=APLICANDO, confirmado_em=utcnow())
             .where((Lote.id == lote.id) & (Lote.situacao == PREVIA)).execute())
    return feito == 1


def espacador(por_minuto, ja_enviados=0):
    """Seconds to wait before each next message so at most `por_minuto` leave per minute."""
    contador = [ja_enviados]

    def atraso():
        n = contador[0]
        contador[0] += 1
        return (n // por_minuto) * 60 if por_minuto > 0 else 0

    return atraso


def ja_aplicadas(lote_id):
    return (LoteLinha.select().where((LoteLinha.lote == lote_id)
                                     & (LoteLinha.situacao == APLICADA)).count())


def aplicar(lote_id, validade_dias, despachar):
    """Apply every line still `valida`, each in its own transaction, calling `despachar()`
    after each commit (its e-mails now exist). Returns the counts."""
    lote = Lote.get_by_id(lote_id)
    conta = lote.conta
    ator = Ator(f"{conta.nome} (responsável pela contratação)", conta.id)
    while True:
        bloco = list(LoteLinha.select().where((LoteLinha.lote == lote.id)
                                              & (LoteLinha.situacao == VALIDA))
                     .order_by(LoteLinha.linha).limit(200))
        if not bloco:
            break
        for linha in bloco:
            _aplicar_linha(lote, linha, conta, ator, validade_dias)
            despachar()
    (Lote.update(situacao=CONCLUIDO, concluido_em=utcnow())
     .where((Lote.id == lote.id) & (Lote.situacao == APLICANDO)).execute())
    return contagem(lote)


def _aplicar_linha(lote, linha, conta, ator, validade_dias):
    try:
        with db.atomic():
            # Claimed first: a twin job waits on this row, then finds it applied.
            claimed = (LoteLinha.update(situacao=APLICADA, aplicada_em=utcnow())
                       .where((LoteLinha.id == linha.id) & (LoteLinha.situacao == VALIDA))
                       .execute())
            if claimed != 1:
                return
            certificado = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                           .where(Certificado.id == linha.certificado_id).get())
            if certificado.situacao != PENDENTE[lote.acao]:
                raise TransicaoInvalida(_situacao_recusada(certificado, lote.acao))
            atribuicoes.atribuir(certificado, _cpf(linha.cpf), linha.email.strip().lower(),
                                 conta, ator, validade_dias, acao=lote.acao)
    except TransicaoInvalida as error:  # AtribuicaoRecusada and EstadoAlterado included
        correio.descartar()
        (LoteLinha.update(situacao=FALHOU, erro=str(error)[:300])
         .where((LoteLinha.id == linha.id) & (LoteLinha.situacao == VALIDA)).execute())


# --- Reenviar links for a selection -------------------------------------------------------

def aguardando_titular(conta, pagina=1, por_pagina=50):
    """The buyer's certificates whose holders have not sent their request yet, oldest first."""
    return list(pendentes(conta, "reatribuir").paginate(pagina, por_pagina))


def reenviar_links(conta, numeros, validade_dias, despachar):
    """A fresh link to each selected holder (each certificate its own transaction, then
    `despachar()`). Returns (numbers sent, [(number, reason)]); another buyer's is refused.
    """
    ator = Ator(f"{conta.nome} (responsável pela contratação)", conta.id)
    enviados, recusados = [], []
    certificados = {c.numero: c for c in (
        Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
        .where(Certificado.numero.in_(list(numeros)[:500])
               & (ProcessoCompra.comprador == conta.id)))}
    for numero in numeros:
        certificado = certificados.get(numero)
        try:
            if certificado is None:
                raise TransicaoInvalida("Certificado não encontrado.")
            atribuicoes.reenviar_link(certificado, conta, ator, validade_dias)
        except TransicaoInvalida as error:
            correio.descartar()
            recusados.append((numero, str(error)))
        else:
            despachar()
            enviados.append(numero)
    return enviados, recusados
