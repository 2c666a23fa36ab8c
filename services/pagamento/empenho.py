"""The nota de empenho a public body gives when it contracts a proposta: its number (on the
andamento, the boleto's instructions and the nota fiscal data) and, optionally, its PDF.
A Gestor may correct the number until the payment is recognised; each change is an event."""
import hashlib
import io
import re

from pypdf import PdfReader

from models import EmpenhoPdf, ProcessoCompra, db
from services.nucleo import ciclo_de_vida, entrada
from services.nucleo.ciclo_de_vida import registrar_evento
from services.nucleo.recusas import NaoEncontrado, Recusa

NUMERO_MAX = 30
PDF_MAX_BYTES = 2 * 1024 * 1024
NOME_MAX = 120
_NUMERO = re.compile(r"[0-9A-Za-z][0-9A-Za-z ./-]*")


class EmpenhoRecusado(Recusa):
    """The number or the PDF cannot be taken (`campo` "empenho" or "arquivo")."""


def limpar_numero(texto):
    """The number as typed, single-spaced; empty when not given (it is optional)."""
    if entrada.tem_controle(texto or ""):
        raise ValueError(entrada.MENSAGEM_CONTROLE)
    numero = " ".join((texto or "").split())
    if len(numero) > NUMERO_MAX:
        raise ValueError(f"O número da nota de empenho tem no máximo {NUMERO_MAX} caracteres.")
    if numero and not _NUMERO.fullmatch(numero):
        raise ValueError("Use no número da nota de empenho só letras, números, espaços, "
                         "ponto, barra e hífen, como 2026NE000123.")
    return numero


def ler_pdf(nome, dados):
    """(name, bytes) of an uploaded nota de empenho, once it is known to be a PDF: at most
    2 MB, starting with %PDF- and readable as one (an HTML page renamed .pdf is not)."""
    if not dados:
        return None
    if len(dados) > PDF_MAX_BYTES:
        raise EmpenhoRecusado("O PDF da nota de empenho passa de 2 MB, o limite.", "arquivo")
    if not dados.startswith(b"%PDF-"):
        raise EmpenhoRecusado("O arquivo não é um PDF. Envie o PDF da nota de empenho.",
                              "arquivo")
    try:
        paginas = len(PdfReader(io.BytesIO(dados)).pages)
    except Exception:  # noqa: BLE001 - any failure of the parser on foreign bytes means the same
        paginas = 0
    if not paginas:
        raise EmpenhoRecusado("Não foi possível abrir o PDF da nota de empenho: o arquivo "
                              "parece danificado. Gere o PDF de novo e envie.", "arquivo")
    nome = " ".join(re.sub(r"[^0-9A-Za-z._ -]", "_", nome or "").split())[-NOME_MAX:]
    return nome or "nota-de-empenho.pdf", dados


def guardar_pdf(processo, nome, dados, ator):
    EmpenhoPdf.create(processo=processo.id, nome=nome, pdf=dados,
                      sha256=hashlib.sha256(dados).hexdigest())
    registrar_evento(processo.id, "empenho.pdf", ator, detalhes=f"PDF da nota de empenho: {nome}")


def pdf_da_compra(processo):
    """The stored PDF of the purchase's nota de empenho; none is a 404."""
    documento = EmpenhoPdf.get_or_none(EmpenhoPdf.processo == processo.id)
    if documento is None:
        raise NaoEncontrado()
    return documento


def tem_pdf(processo):
    return EmpenhoPdf.select().where(EmpenhoPdf.processo == processo.id).exists()


def corrigir(processo, numero, ator):
    """Set the purchase's nota de empenho number to `numero` (cleaned), while the payment is
    not recognised: a conditional UPDATE, so a payment recognised meanwhile wins."""
    if not ciclo_de_vida.processo_aguardando_pagamento(processo.situacao):
        raise EmpenhoRecusado("O pagamento desta compra já foi reconhecido (ou ela foi "
                              "cancelada): a nota de empenho não pode mais ser corrigida.",
                              "empenho")
    if numero == processo.empenho:
        return processo
    with db.atomic():
        alteradas = (ProcessoCompra.update(empenho=numero)
                     .where((ProcessoCompra.id == processo.id)
                            & (ProcessoCompra.situacao
                               == ciclo_de_vida.PROCESSO_AGUARDANDO_PAGAMENTO))
                     .execute())
        if alteradas != 1:
            raise EmpenhoRecusado("O pagamento desta compra acabou de ser reconhecido: a nota "
                                  "de empenho não pode mais ser corrigida.", "empenho")
        registrar_evento(processo.id, "empenho.corrigido", ator, de=processo.empenho,
                         para=numero, detalhes=f"Nota de empenho: {numero or 'removida'}")
    processo.empenho = numero
    return processo
