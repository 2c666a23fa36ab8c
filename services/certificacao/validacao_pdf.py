""""Validar documento assinado": anyone uploads a PDF signed with their usual signer (Assinador
SERPRO, Adobe, LibreOffice) and the portal checks each signature with pyHanko against the demo
chain, as a relying party would: intact, who and when, chain, validity and revocation then.

The work is bounded by the input, not by a thread that cannot be stopped: at most 10 MB, a
`%PDF-` header, pypdf's decompression limits on a full parse first (a zip bomb stops there),
at most SIGNATURES_MAXIMO signatures, and pyHanko's diff analysis skipped (`skip_diff`, the
only step that decompresses the document's objects): a change after signing shows as bytes
outside the signed range (coverage), a broken hash as "not intact". Nothing is stored.
"""
import io
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Demorou
from dataclasses import dataclass
from datetime import datetime

import pypdf
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fpdf import FPDF, XPos, YPos
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

import relogio
from models import CertificadoX509
from services.certificacao import ac
from services.certificacao import perfil_ecpf
from services.nucleo.recusas import Recusa

PDF_MAXIMO = 10 * 1024 * 1024
ASSINATURAS_MAXIMO = 5
SEGUNDOS_MAXIMO = 20


class ValidacaoRecusada(Recusa):
    """The file cannot be validated; `mensagem` says why, in Portuguese."""


@dataclass
class Assinatura:
    campo: str
    nome: str
    cpf: str
    quando: datetime | None
    integra: bool
    documento_inteiro: bool
    cadeia_demo: bool
    valido_na_data: bool
    revogado_em: datetime | None

    @property
    def vale(self):
        return (self.integra and self.documento_inteiro and self.cadeia_demo
                and self.valido_na_data and self.revogado_em is None)


def sem_laco(funcao, *args, segundos=SEGUNDOS_MAXIMO, **kwargs):
    """Call one of pyHanko's synchronous functions in a thread of its own: they run
    `asyncio.run()`, which refuses a thread whose event loop is already running. Waits at most
    `segundos` (the input bounds keep the work itself short)."""
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        return executor.submit(funcao, *args, **kwargs).result(timeout=segundos)
    except Demorou:
        raise ValidacaoRecusada("A validação deste arquivo demorou demais e foi interrompida. "
                                "Envie o PDF assinado original.") from None
    finally:
        executor.shutdown(wait=False)


def pdf_de_exemplo():
    """A one-page PDF for the holder to sign with their own signer."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.multi_cell(0, 8, "Documento de exemplo para assinar - Area do Cliente",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Assine este PDF com o seu programa de assinatura (Assinador SERPRO, "
                         "Adobe, LibreOffice) e o seu certificado, e envie-o em \"Validar "
                         "documento assinado\". Certificado de DEMONSTRACAO (nao e ICP-Brasil).")
    return bytes(pdf.output())


def _abrir(dados):
    """The pyHanko reader of a PDF that passed the bounds, or ValidacaoRecusada."""
    if not dados:
        raise ValidacaoRecusada("Escolha o arquivo PDF assinado.")
    if len(dados) > PDF_MAXIMO:
        raise ValidacaoRecusada("O arquivo passa de 10 MB, o limite.")
    if not dados[:1024].lstrip().startswith(b"%PDF-"):
        raise ValidacaoRecusada("Este arquivo não é um PDF. Envie o documento assinado em PDF.")
    try:
        leitor = pypdf.PdfReader(io.BytesIO(dados), strict=False)
        for pagina in leitor.pages:  # every stream read under pypdf's decompression limits
            pagina.get_contents()
        leitor.get_fields()
        return PdfFileReader(io.BytesIO(dados), strict=False)
    except pypdf.errors.LimitReachedError:
        raise ValidacaoRecusada("Este PDF se expande demais ao ser aberto (pode ser um arquivo "
                                "malicioso) e não foi validado.") from None
    except Exception:  # pypdf and pyHanko raise many types for a broken file
        raise ValidacaoRecusada("Este PDF está corrompido ou incompleto e não pôde ser "
                                "lido.") from None


def _asn1(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _contexto(cadeia, momento):
    return ValidationContext(trust_roots=[_asn1(cadeia[-1])],
                             other_certs=[_asn1(c) for c in cadeia[:-1]], allow_fetching=False,
                             revocation_mode="soft-fail", moment=momento)


def _conferir(embutida, cadeia, demo):
    cert = x509.load_der_x509_certificate(embutida.signer_cert.dump())
    quando = embutida.self_reported_timestamp
    momento = quando or relogio.agora()
    estado = sem_laco(validate_pdf_signature, embutida, _contexto(cadeia, momento),
                      skip_diff=True)
    registro = (CertificadoX509.get_or_none(CertificadoX509.serial == f"{cert.serial_number:x}")
                if demo and estado.trusted else None)
    revogado_em = registro.revogado_em if registro else None
    return Assinatura(
        campo=embutida.field_name or "", nome=perfil_ecpf.nome_do_certificado(cert),
        cpf=perfil_ecpf.cpf_do_certificado(cert), quando=quando,
        integra=bool(estado.intact and estado.valid),
        documento_inteiro=estado.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        cadeia_demo=bool(estado.trusted),
        valido_na_data=cert.not_valid_before_utc <= momento <= cert.not_valid_after_utc,
        revogado_em=revogado_em if revogado_em and
        revogado_em <= momento.replace(tzinfo=None) else None)


def validar(dados, config):
    """[Assinatura] of the PDF's signatures, or ValidacaoRecusada (not a PDF, none signed...)."""
    leitor = _abrir(dados)
    assinaturas = leitor.embedded_signatures
    if not assinaturas:
        raise ValidacaoRecusada("Este PDF não tem assinatura digital. Assine-o com o seu "
                                "certificado e envie de novo.")
    if len(assinaturas) > ASSINATURAS_MAXIMO:
        raise ValidacaoRecusada(f"Este PDF tem mais de {ASSINATURAS_MAXIMO} assinaturas, o "
                                "limite desta validação.")
    emissor = ac.emissor(config)
    cadeia, demo = emissor.cadeia(), isinstance(emissor, ac.AcDemonstracao)
    return [_conferir(embutida, cadeia, demo) for embutida in assinaturas]
