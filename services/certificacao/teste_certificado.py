""""Testar meu certificado" without the key leaving the device: the page (static/js/testar.js)
opens the .pfx with the password the holder typed, signs the portal's challenge with the key and
sends only the certificate and the signature, checked here as a relying party would.

The challenge lives in the signed session cookie (no table for page views), bound to one
certificate and DESAFIO_MINUTOS; its use is written hashed to the one-time-key table
(ChaveIdempotencia, kept a day), so a replayed cookie cannot use it twice. No Flask here.
"""
import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from peewee import IntegrityError

import relogio
from models import CertificadoX509, ChaveIdempotencia, db
from services.certificacao import ac
from services.certificacao import perfil_ecpf
from services.certificacao.emissao import CSR_MAXIMO, EmissaoRecusada
from services.nucleo.formatacao import format_date, format_datetime
from services.nucleo.uma_vez import CHAVE_MAX

DESAFIO_MINUTOS = 10
PFX_MAXIMO = 100_000  # bytes, checked by the page: a .pfx with its chain is under 10 KB
PEM_MAXIMO = CSR_MAXIMO  # characters: the holder's certificate alone is under 3 KB
ASSINATURA_MAXIMO = 1400  # base64 characters: a 8192-bit RSA signature is 1368
_PREFIXO = "desafio:"


class TesteRecusado(EmissaoRecusada):
    """The test did not pass; `mensagem` says exactly why, in Portuguese."""


@dataclass
class Resultado:
    nome: str
    cpf: str
    serial: str
    valido_de: datetime
    valido_ate: datetime


def novo_desafio(numero):
    """A fresh challenge for the session: {"numero", "texto" (what the key signs), "ate"}."""
    ate = relogio.agora() + timedelta(minutes=DESAFIO_MINUTOS)
    return {"numero": numero, "ate": ate.timestamp(),
            "texto": f"Area do Cliente - teste do certificado {numero} - "
                     f"{secrets.token_urlsafe(32)}"}


def _usar(desafio, numero):
    """The challenge's text, once: refuses a missing, expired, other certificate's or used one."""
    if not isinstance(desafio, dict) or desafio.get("numero") != numero \
            or not isinstance(desafio.get("texto"), str):
        raise TesteRecusado("O teste expirou ou foi aberto em outra aba. Escolha o arquivo e "
                            "digite a senha de novo.")
    if relogio.agora().timestamp() > float(desafio.get("ate") or 0):
        raise TesteRecusado(f"O teste expirou ({DESAFIO_MINUTOS} minutos). Escolha o arquivo e "
                            "digite a senha de novo.")
    resumo = hashlib.sha256(desafio["texto"].encode()).hexdigest()
    try:
        with db.atomic():
            ChaveIdempotencia.create(chave=(_PREFIXO + resumo)[:CHAVE_MAX])
    except IntegrityError:
        raise TesteRecusado("Este teste já foi usado uma vez e não vale de novo. Escolha o "
                            "arquivo e digite a senha de novo.") from None
    return desafio["texto"]


def _ler(pem, assinatura):
    if not pem or not assinatura:
        raise TesteRecusado("O navegador não enviou o certificado e a assinatura. Escolha o "
                            "arquivo e digite a senha de novo.")
    if len(pem) > PEM_MAXIMO or len(assinatura) > ASSINATURA_MAXIMO:
        raise TesteRecusado("O certificado ou a assinatura enviados são grandes demais.")
    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
        return cert, base64.b64decode(assinatura, validate=True)
    except (ValueError, binascii.Error):
        raise TesteRecusado("O arquivo não contém um certificado legível. Escolha o arquivo "
                            ".pfx que você baixou.") from None


def _emitido_pela_ac(cert, cadeia):
    """Whether `cert` chains to the root: issued by the issuing AC, itself issued by the root."""
    try:
        cert.verify_directly_issued_by(cadeia[0])
        for filho, pai in zip(cadeia, cadeia[1:]):
            filho.verify_directly_issued_by(pai)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _assinatura_confere(cert, assinatura, texto):
    chave = cert.public_key()
    if not isinstance(chave, rsa.RSAPublicKey):
        return False
    try:
        chave.verify(assinatura, texto.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def conferir(certificado, desafio, pem, assinatura, config):
    """The Resultado when the certificate works, else TesteRecusado with the exact reason:
    not issued by the demo AC, signature not matching, another holder's, expired, revoked."""
    texto = _usar(desafio, certificado.numero)
    cert, assinatura = _ler(pem, assinatura)
    if not _emitido_pela_ac(cert, ac.emissor(config).cadeia()):
        raise TesteRecusado("Este certificado não foi emitido pela AC de demonstração do portal. "
                            "Escolha o arquivo que você baixou aqui.")
    if not _assinatura_confere(cert, assinatura, texto):
        raise TesteRecusado("A assinatura não confere com o certificado: a chave do arquivo não "
                            "é a deste certificado. Baixe o arquivo de novo ou use “Revogar e "
                            "emitir novamente”.")
    registro = CertificadoX509.get_or_none(CertificadoX509.serial == f"{cert.serial_number:x}")
    if registro is None or registro.certificado_id != certificado.id:
        raise TesteRecusado("Este é o certificado de outro titular, não o deste certificado "
                            f"({certificado.numero}). Escolha o arquivo do seu certificado.")
    agora = relogio.agora()
    if agora < cert.not_valid_before_utc or agora > cert.not_valid_after_utc:
        raise TesteRecusado("Este certificado está fora da validade: vale de "
                            f"{format_date(relogio.em_brasilia(cert.not_valid_before_utc))} até "
                            f"{format_date(relogio.em_brasilia(cert.not_valid_after_utc))}.")
    if registro.revogado_em is not None:
        quando = format_datetime(relogio.em_brasilia(registro.revogado_em))
        raise TesteRecusado(f"Este certificado foi revogado em {quando} e não vale mais para "
                            "assinar.")
    return Resultado(nome=perfil_ecpf.nome_do_certificado(cert),
                     cpf=perfil_ecpf.cpf_do_certificado(cert), serial=registro.serial,
                     valido_de=cert.not_valid_before_utc, valido_ate=cert.not_valid_after_utc)
