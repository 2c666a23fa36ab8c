""""Testar meu certificado": open the holder's .pfx with their password, sign a one-page PDF
with it (pyHanko, PAdES) and validate that signature against the demo chain and CRL, as a
relying party would. Everything stays in memory: nothing uploaded is stored or logged."""
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from fpdf import FPDF, XPos, YPos
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from stdnum.br import cpf as stdnum_cpf

from services.certificacao import ac
from services.certificacao import perfil_ecpf
import relogio
from services.certificacao.emissao import EmissaoRecusada
from services.nucleo.formatacao import format_datetime

PFX_MAXIMO = 100_000  # bytes: a .pfx with a 4096-bit key and its chain is under 10 KB


def sem_laco(funcao, *args, **kwargs):
    """Call one of pyHanko's synchronous functions in a thread of its own: they run
    `asyncio.run()`, which refuses a thread whose event loop is already running (an async
    server, or a browser driver in the same process)."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(funcao, *args, **kwargs).result()


class TesteRecusado(EmissaoRecusada):
    """The file or password cannot be tested; `campo` is "arquivo" or "senha"."""


@dataclass
class Resultado:
    nome: str
    cpf: str
    valido_de: datetime
    valido_ate: datetime
    assinatura_integra: bool
    cadeia_ok: bool
    revogado: bool
    revogado_em: datetime | None
    pdf: bytes


def _pdf_de_teste(nome, agora):
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.multi_cell(0, 8, "Teste de assinatura - Area do Cliente - Certificado Digital",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, f"Assinado por {nome} em {format_datetime(agora)} (UTC).\n"
                         "Documento gerado apenas para testar o certificado de DEMONSTRACAO "
                         "(nao e ICP-Brasil).")
    return bytes(pdf.output())


def abrir_pfx(dados, senha):
    """(key, certificate, chain) or TesteRecusado with what went wrong, in Portuguese."""
    if not dados:
        raise TesteRecusado("Escolha o arquivo do certificado (.pfx ou .p12).", "arquivo")
    if len(dados) > PFX_MAXIMO:
        raise TesteRecusado("Este arquivo é grande demais para ser um certificado .pfx.",
                            "arquivo")
    try:
        asn1_pkcs12.Pfx.load(dados).native  # noqa: B018  (parses the whole structure)
    except Exception:  # asn1crypto raises several types for garbage
        raise TesteRecusado("Este arquivo não é um certificado .pfx válido ou está "
                            "corrompido. Escolha o arquivo que você baixou.", "arquivo") from None
    try:
        chave, cert, cadeia = pkcs12.load_key_and_certificates(dados, senha.encode())
    except ValueError:
        raise TesteRecusado("Senha incorreta para este certificado. Confira maiúsculas e "
                            "minúsculas e tente de novo.", "senha") from None
    if chave is None or cert is None:
        raise TesteRecusado("O arquivo não contém um certificado com a chave privada.",
                            "arquivo")
    return chave, cert, cadeia


def testar(dados, senha, certificado, config):
    """Sign and validate. Refuses a .pfx of another person (other CPF)."""
    _, cert, cadeia = abrir_pfx(dados, senha)
    cpf = perfil_ecpf.cpf_do_certificado(cert)
    if cpf != certificado.titular_cpf:
        raise TesteRecusado("Este arquivo é o certificado de outra pessoa (CPF "
                            f"{stdnum_cpf.format(cpf) if len(cpf) == 11 else 'não informado'}). "
                            "Escolha o arquivo do seu certificado.", "arquivo")
    try:
        demo = ac.demonstracao(config)
    except ac.AcIndisponivel:
        demo = None  # validated against the chain the file carries
    nome = perfil_ecpf.nome_do_certificado(cert)
    agora = relogio.agora().replace(microsecond=0)
    signer = signers.SimpleSigner.load_pkcs12_data(dados, other_certs=[],
                                                   passphrase=senha.encode())
    saida = io.BytesIO()
    sem_laco(signers.sign_pdf,
             IncrementalPdfFileWriter(io.BytesIO(_pdf_de_teste(nome, agora))),
             signers.PdfSignatureMetadata(field_name="Assinatura",
                                          subfilter=SigSeedSubFilter.PADES,
                                          reason="Teste do certificado"),
             signer=signer, output=saida)
    lcr = ac.lcr_atual(demo)
    contexto = ValidationContext(
        trust_roots=[_asn1(c) for c in (demo.cadeia()[-1:] if demo else cadeia[-1:])],
        other_certs=[_asn1(c) for c in cadeia],
        crls=[bytes(lcr.der)] if lcr else [], allow_fetching=False, revocation_mode="hard-fail",
        # Now by the one clock, which dated the certificate and the CRL; not `agora`, whose
        # cut seconds may fall before a CRL published within the same second.
        moment=relogio.agora())
    leitor = PdfFileReader(io.BytesIO(saida.getvalue()))
    estado = sem_laco(validate_pdf_signature, leitor.embedded_signatures[0], contexto)
    detalhes = getattr(estado, "revocation_details", None)
    return Resultado(
        nome=nome, cpf=cpf, valido_de=cert.not_valid_before_utc,
        valido_ate=cert.not_valid_after_utc, assinatura_integra=bool(estado.intact),
        cadeia_ok=bool(estado.trusted), revogado=detalhes is not None,
        revogado_em=detalhes.revocation_date if detalhes else None, pdf=saida.getvalue())


def _asn1(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
