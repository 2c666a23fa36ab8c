"""Reading the files of a nota fiscal before anything keeps them: the PDF is a PDF, and the
XML is an NFS-e of the padrão nacional (namespace http://www.sped.fazenda.gov.br/nfse), read
without a DTD or entities (defusedxml: an "XML bomb" is refused, never expanded), whose
tomador and value are those of the purchase.

The XML may be the authorised NFS-e (`NFSe/infNFSe`, carrying its `DPS`) or the DPS alone:
the tomador is `infDPS/toma/CNPJ` (or `CPF`), the value `infDPS/valores/vServPrest/vServ`
(or, without it, the NFS-e's net `infNFSe/valores/vLiq`), the number `infNFSe/nNFSe` (or
`infDPS/nDPS`).
"""
import re
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml
from defusedxml import ElementTree
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf

from services.nucleo import formatacao
from services.nucleo.recusas import Recusa

LIMITE_BYTES = 2 * 1024 * 1024
NS = "{http://www.sped.fazenda.gov.br/nfse}"
# TSDec15V2: up to 13 integer digits and 2 decimals, point as separator.
_VALOR = re.compile(r"\d{1,13}(?:\.\d{1,2})?")
_NUMERO = re.compile(r"\d{1,15}")
_PDF_CABECALHO = re.compile(rb"%PDF-[12]\.\d")


class NotaRecusada(Recusa):
    """A file of the nota cannot be kept; `campo` is "pdf", "xml" or "numero"."""


@dataclass(frozen=True)
class DadosNota:
    numero: str
    tomador: str  # CNPJ (14 digits) or CPF (11)
    valor_centavos: int


def conferir_tamanho(dados, campo):
    if len(dados) > LIMITE_BYTES:
        raise NotaRecusada(f"O arquivo passa de 2 MB, o limite. Envie o {campo.upper()} da "
                           "nota como o emissor o gerou.", campo)


def conferir_pdf(dados):
    """A PDF by its structure: the `%PDF-` header first, and the end of a PDF (`startxref`
    and `%%EOF`) in its last kilobyte. A page saved as "PDF" (HTML) or an image is not."""
    conferir_tamanho(dados, "pdf")
    fim = dados[-1024:]
    if not _PDF_CABECALHO.match(dados) or b"startxref" not in fim or b"%%EOF" not in fim:
        raise NotaRecusada("Este arquivo não é um PDF. Envie o PDF da nota (DANFSe) gerado "
                           "pelo emissor.", "pdf")


def _texto(raiz, *caminho):
    """The text of the first element at `caminho` (tag names, any depth for the first)."""
    for inicio in raiz.iter(NS + caminho[0]):
        elemento = inicio.find("/".join(NS + t for t in caminho[1:])) if caminho[1:] else inicio
        if elemento is not None and elemento.text and elemento.text.strip():
            return elemento.text.strip()
    return None


def _centavos(texto):
    if not _VALOR.fullmatch(texto):
        raise NotaRecusada(f"O valor da nota ({texto[:20]}) não é um valor válido.", "xml")
    reais, _, centavos = texto.partition(".")
    return int(reais) * 100 + int(centavos.ljust(2, "0"))


def ler_xml(dados):
    """DadosNota of an NFS-e (or DPS) XML of the padrão nacional; NotaRecusada otherwise."""
    conferir_tamanho(dados, "xml")
    try:
        raiz = ElementTree.fromstring(dados, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise NotaRecusada("O XML declara entidades (DTD), o que uma NFS-e não faz: arquivo "
                           "recusado.", "xml") from None
    except (ParseError, ValueError):
        raise NotaRecusada("Este arquivo não é um XML válido. Envie o XML da NFS-e.",
                           "xml") from None
    if raiz.tag not in (NS + "NFSe", NS + "DPS"):
        raise NotaRecusada("Este XML não é uma NFS-e do padrão nacional (elemento NFSe ou "
                           "DPS).", "xml")
    tomador = _texto(raiz, "toma", "CNPJ") or _texto(raiz, "toma", "CPF")
    if not tomador or not tomador.isascii() or not tomador.isdigit():
        raise NotaRecusada("A nota não informa o CNPJ do tomador (toma).", "xml")
    valor = _texto(raiz, "vServPrest", "vServ") or _texto(raiz, "infNFSe", "valores", "vLiq")
    if not valor:
        raise NotaRecusada("A nota não informa o valor do serviço (vServ).", "xml")
    numero = _texto(raiz, "infNFSe", "nNFSe") or _texto(raiz, "infDPS", "nDPS")
    if not numero or not _NUMERO.fullmatch(numero):
        raise NotaRecusada("A nota não informa o seu número (nNFSe ou nDPS).", "xml")
    return DadosNota(numero.lstrip("0") or "0", tomador, _centavos(valor))


def documento_formatado(digitos):
    if len(digitos) == 14:
        return stdnum_cnpj.format(digitos)
    return stdnum_cpf.format(digitos) if len(digitos) == 11 else digitos


def conferir_com_a_compra(nota, documento, total_centavos):
    """The tomador and the value must be the purchase's: a reason that names what differs."""
    if nota.tomador != documento:
        tipo = "CNPJ" if len(documento) == 14 else "CPF"
        raise NotaRecusada(f"O {tipo} do tomador na nota ({documento_formatado(nota.tomador)}) "
                           f"não é o da compra ({documento_formatado(documento)}).", "xml")
    if nota.valor_centavos != total_centavos:
        raise NotaRecusada(f"O valor da nota ({formatacao.format_brl(nota.valor_centavos)}) "
                           f"não é o da compra ({formatacao.format_brl(total_centavos)}).",
                           "xml")


def ler_numero(texto):
    """The number typed for a nota sent as PDF alone (digits, as on the DANFSe)."""
    numero = (texto or "").strip()
    if not _NUMERO.fullmatch(numero):
        raise NotaRecusada("Informe o número da NFS-e (somente números, até 15).", "numero")
    return numero.lstrip("0") or "0"
