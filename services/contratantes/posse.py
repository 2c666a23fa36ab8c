"""The ownership gate: what the signed-in person's active contratante may open and act on.

Everything a buyer sees belongs to a contratante (an organisation or a person), never to one
login; `conta` here is the signed-in Conta with its active membership (services.contratantes
.vinculos), and "this contratante's purchase / certificate / boleto / batch, or none" is
decided here and nowhere else. What the person's papel lets them do with it is
services.contratantes.papeis. A missing one and someone else's raise the same NaoEncontrado (404 on the
web), so a foreign id looks exactly like one that never existed. The lists read through
the same scopes (`escopo_*`), so who owns what has one definition.
"""
from models import (Boleto, Certificado, CertificadoX509, Lote, NotaFiscal, ProcessoCompra,
                    Produto)
from services.contratantes.vinculos import contratante_de
from services.nucleo.entrada import tem_controle
from services.nucleo.recusas import NaoEncontrado

NUMERO_MAX = 30  # the longest number a purchase or certificate has (Certificado.numero)


# --- scopes: the WHERE of "theirs" ------------------------------------------------------

# With no active contratante (an agent, say) nothing matches: id 0 is never a row's.

def contratante_das_listas(conta):
    """Whose rows `conta`'s lists show: the active contratante's id (0, nobody's, for an
    agent or a person with no membership)."""
    return contratante_de(conta) or 0


def de_contratante(model, contratante):
    """The rows of `model` that belong to `contratante` (an id from contratante_das_listas):
    each table carries its contratante, so a list reads its index (contratante, ...)."""
    return model.contratante == contratante


def na_faixa_do_contratante(model, contratante):
    """de_contratante written as a range, for a list ordered by (contratante, id): with "="
    PostgreSQL drops the column from the order and, when the statistics make the contratante
    look spread over the table, walks the primary key backwards past the others' rows (6 000
    boletos read for a page of 20); a range keeps the order only the list's index gives."""
    return model.contratante.between(contratante, contratante)


def escopo_processos(conta):
    return de_contratante(ProcessoCompra, contratante_das_listas(conta))


def escopo_boletos(conta):
    return de_contratante(Boleto, contratante_das_listas(conta))


def escopo_x509(conta):
    # "Vencimentos" reads certificado_x509_vencimento (contratante, valido_ate, id).
    return de_contratante(CertificadoX509, contratante_das_listas(conta))


def e_dele(conta, processo):
    """True when purchase `processo` (or a certificate's, `certificado.processo`) belongs to
    `conta`'s active contratante."""
    contratante = contratante_de(conta)
    return contratante is not None and processo.contratante_id == contratante


# --- one of theirs, or NaoEncontrado -----------------------------------------------------

def _numero(numero):
    """A number as typed in an address; anything no purchase or certificate can have is none."""
    if not isinstance(numero, str) or not numero or len(numero) > NUMERO_MAX \
            or tem_controle(numero):
        raise NaoEncontrado()
    return numero


def _ou_nao_encontrado(registro):
    if registro is None:
        raise NaoEncontrado()
    return registro


def processo_do(conta, numero):
    """`conta`'s purchase `numero`, with its product."""
    return _ou_nao_encontrado(
        ProcessoCompra.select(ProcessoCompra, Produto).join(Produto)
        .where((ProcessoCompra.numero == _numero(numero)) & escopo_processos(conta)).first())


def certificado_do(conta, numero):
    """`conta`'s certificate `numero`, with its purchase."""
    return _ou_nao_encontrado(
        Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
        .where((Certificado.numero == _numero(numero)) & escopo_processos(conta)).first())


def certificados_do(conta, numeros):
    """{number: certificate with its purchase} of those of `numeros` that are `conta`'s."""
    numeros = [n for n in numeros if isinstance(n, str) and 0 < len(n) <= NUMERO_MAX]
    return {c.numero: c for c in (
        Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
        .where(Certificado.numero.in_(numeros) & escopo_processos(conta)))}


def boleto_do(conta, boleto_id):
    """`conta`'s boleto `boleto_id`, with its purchase."""
    return _ou_nao_encontrado(
        Boleto.select(Boleto, ProcessoCompra).join(ProcessoCompra)
        .where((Boleto.id == boleto_id) & escopo_processos(conta)).first())


def lote_do(conta, lote_id):
    """`conta`'s batch ("Atribuir em lote") `lote_id`."""
    return _ou_nao_encontrado(Lote.get_or_none(
        (Lote.id == lote_id) & (Lote.contratante == (contratante_de(conta) or 0))))


def nota_fiscal_do(conta, nota_id):
    """`conta`'s nota fiscal `nota_id` (current or replaced), with its files."""
    return _ou_nao_encontrado(
        NotaFiscal.select(NotaFiscal).join(ProcessoCompra)
        .where((NotaFiscal.id == nota_id) & escopo_processos(conta)).first())
