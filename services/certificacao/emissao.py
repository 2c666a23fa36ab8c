"""Delivering the approved certificate over the holder's own key (DOC-ICP-04: the holder
generates the key pair and nobody else keeps a copy): the PKCS#10 request made in the browser
(static/js/emissao.js) or with OpenSSL, checked here; revocation and reissue.

The portal never sees a private key nor the .pfx password: the browser packs the PKCS#12.
No Flask request here.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import timezone

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from peewee import IntegrityError

from models import Certificado, CertificadoX509, Solicitacao, db
from services.certificacao import ac
from services.certificacao import perfil_ecpf
from services.nucleo.recusas import Recusa
from relogio import em_brasilia, utcnow
from services.nucleo.ciclo_de_vida import emitido, mover_certificado, registrar_evento, revogado
from services.nucleo.formatacao import format_date

TAMANHO_CHAVE = 2048
SENHA_MINIMO = 8
SENHA_MAXIMO = 128
CSR_MAXIMO = 20_000  # characters of PEM: a 4096-bit CSR is under 2 KB
# Shown on the page; static/js/emissao.js enforces them (the password never reaches us).
REGRAS_SENHA = (
    f"Pelo menos {SENHA_MINIMO} caracteres (12 ou mais é melhor).",
    "Misture letras e números ou símbolos.",
    "Não use seu CPF, sua data de nascimento nem sequências como 12345678.",
    "Guarde a senha: ela não pode ser recuperada, nem por nós.",
)


# "Substituído" is what "Revogar e emitir novamente" records; the holder picks the others.
MOTIVOS_TITULAR = {chave: texto for chave, (_, texto) in ac.MOTIVOS.items()
                   if chave != "superseded"}


_ORIGENS = {"csr": " (requisição CSR do titular)",
            "navegador": " (chave gerada no navegador do titular)"}


class EmissaoRecusada(Recusa):
    """Nothing was issued; `mensagem` (Portuguese) says why, `campo` which field, if any."""


@dataclass
class Arquivo:
    nome: str
    tipo: str
    dados: bytes


# --- the holder's data --------------------------------------------------------------------

def solicitacao_enviada(certificado):
    return (Solicitacao.select().where((Solicitacao.certificado == certificado.id)
                                       & Solicitacao.enviada_em.is_null(False))
            .order_by(Solicitacao.id.desc()).first())


def dados_titular(certificado, solicitacao):
    """The profile's data from the approved request (RG fields only when the document was RG)."""
    s = solicitacao
    rg = s.doc_tipo == "RG"
    return perfil_ecpf.DadosTitular(
        nome=s.nome, cpf=certificado.titular_cpf, email=s.email, nascimento=s.data_nascimento,
        nis=s.nis, rg=s.doc_numero if rg else "", rg_emissor=s.doc_emissor if rg else "",
        rg_uf=s.doc_uf if rg else "", titulo=s.titulo_eleitor, titulo_zona=s.titulo_zona,
        titulo_secao=s.titulo_secao, municipio=s.cidade, municipio_uf=s.uf)


def nome_arquivo(nome, extensao):
    base = unicodedata.normalize("NFKD", nome).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "certificado"
    return f"{base}.{extensao}"


# --- state ------------------------------------------------------------------------------------

def vigente(certificado_id):
    """The X.509 not revoked, if any."""
    return CertificadoX509.get_or_none(CertificadoX509.ativo_certificado == certificado_id)


def emissoes(certificado_id):
    return list(CertificadoX509.select().where(CertificadoX509.certificado == certificado_id)
                .order_by(CertificadoX509.id))


def fim_fixo(certificado_id):
    """The end date every X.509 of this certificate keeps (the first one's), or None."""
    primeira = (CertificadoX509.select(CertificadoX509.valido_ate)
                .where(CertificadoX509.certificado == certificado_id)
                .order_by(CertificadoX509.id).first())
    return primeira.valido_ate if primeira else None


def pode_baixar(certificado, agora=None):
    """(True, None) or (False, why) — shown on the page before the key is made."""
    agora = agora or utcnow()
    if not emitido(certificado.situacao):
        return False, ("O certificado só pode ser baixado depois de aprovado na videoconferência."
                       if not revogado(certificado.situacao) else
                       "Este certificado foi revogado e não pode mais ser baixado.")
    if vigente(certificado.id) is not None:
        return False, ("Este certificado já foi baixado. A chave foi gerada no seu aparelho e "
                       "só existe no arquivo que você salvou: se você perdeu o arquivo ou a "
                       "senha, use “Revogar e emitir novamente”.")
    fim = fim_fixo(certificado.id)
    if fim is not None and fim <= agora:
        return False, "A validade deste certificado terminou. Compre um novo para renovar."
    return True, None


def _emitir(certificado, csr, config, ator, origem):
    """Issue through the configured AC and record the X.509 (one valid per certificate)."""
    ok, motivo = pode_baixar(certificado)
    if not ok:
        raise EmissaoRecusada(motivo)
    solicitacao = solicitacao_enviada(certificado)
    dados = dados_titular(certificado, solicitacao)
    fim = fim_fixo(certificado.id)
    emissor = ac.emissor(config)
    cert = emissor.emitir(csr, dados,
                          fim.replace(tzinfo=timezone.utc) if fim else None)
    validade = cert.not_valid_after_utc.replace(tzinfo=None)
    try:
        with db.atomic():
            CertificadoX509.create(
                certificado=certificado.id, contratante=certificado.contratante_id,
                serial=f"{cert.serial_number:x}",
                pem=cert.public_bytes(serialization.Encoding.PEM).decode(), origem=origem,
                emitido_em=cert.not_valid_before_utc.replace(tzinfo=None), valido_ate=validade,
                ativo_certificado=certificado.id)
            registrar_evento(certificado.processo_id, "certificado.baixado", ator, certificado.id,
                             detalhes=f"Série {cert.serial_number:x}, válido até "
                                      f"{format_date(em_brasilia(validade))}"
                                      + _ORIGENS[origem])
    except IntegrityError:
        # Another issue of the same certificate (a second tab) won the race: the certificate
        # just signed is never handed out nor recorded.
        raise EmissaoRecusada(pode_baixar(certificado)[1]) from None
    return cert, dados, emissor.cadeia()


def nome_cn(certificado, solicitacao):
    """The CN the certificate will carry (NOME DO TITULAR:CPF), for the OpenSSL example."""
    return f"{perfil_ecpf.nome_certificado(solicitacao.nome)}:{certificado.titular_cpf}"


def _spki(chave):
    return chave.public_bytes(serialization.Encoding.DER,
                              serialization.PublicFormat.SubjectPublicKeyInfo)


def chave_ja_certificada(chave, certificado):
    """Whether this public key is in an X.509 already issued to the same holder (CPF).

    Bounded by one person's certificates: the PEMs of every Certificado of this CPF. A reissue
    after a lost or stolen key must come with a new key."""
    procurada = _spki(chave)
    pems = (CertificadoX509.select(CertificadoX509.pem).join(Certificado)
            .where(Certificado.titular_cpf == certificado.titular_cpf))
    return any(_spki(x509.load_pem_x509_certificate(linha.pem.encode()).public_key())
               == procurada for linha in pems)


def ler_csr(texto, certificado):
    """The holder's PKCS#10, checked: PEM, signature (proof of possession), RSA ≥ 2048 and a
    key never certified for this holder. Its subject is ignored: the profile sets the name."""
    texto = (texto or "").strip()
    if len(texto) > CSR_MAXIMO or "-----BEGIN CERTIFICATE REQUEST-----" not in texto:
        raise EmissaoRecusada("Isto não é uma requisição (CSR) em formato PEM. Cole o texto que "
                              "começa com “-----BEGIN CERTIFICATE REQUEST-----”.", "csr")
    try:
        csr = x509.load_pem_x509_csr(texto.encode())
        assinatura_ok = csr.is_signature_valid
        chave = csr.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise EmissaoRecusada("A requisição (CSR) está corrompida ou incompleta: gere-a de novo "
                              "e cole o texto inteiro.", "csr") from None
    if not assinatura_ok:
        raise EmissaoRecusada("A assinatura da requisição (CSR) não confere: ela não foi "
                              "assinada pela chave que contém. Gere-a de novo.", "csr")
    if not isinstance(chave, rsa.RSAPublicKey) or chave.key_size < TAMANHO_CHAVE:
        raise EmissaoRecusada(f"A chave da requisição deve ser RSA de {TAMANHO_CHAVE} bits ou "
                              "mais. Gere uma nova chave e uma nova requisição.", "csr")
    if chave_ja_certificada(chave, certificado):
        raise EmissaoRecusada("Esta chave já foi certificada antes. Gere uma chave nova e uma "
                              "nova requisição.", "csr")
    return csr


def _pem(cert, cadeia):
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [cert, *cadeia])


def emitir_por_csr(certificado, texto, config, ator, origem="csr"):
    """Issue over the holder's own key (origem "csr": OpenSSL; "navegador": the page).
    Returns the certificate and the AC chain as a PEM Arquivo."""
    csr = ler_csr(texto, certificado)
    cert, dados, cadeia = _emitir(certificado, csr, config, ator, origem)
    return Arquivo(nome_arquivo(dados.nome, "pem"), "application/x-pem-file", _pem(cert, cadeia))


def cadeia_vigente(certificado, config):
    """The valid X.509 and the chain again (PEM), for the page still holding the key; None if
    none is valid."""
    atual = vigente(certificado.id)
    if atual is None:
        return None
    cert = x509.load_pem_x509_certificate(atual.pem.encode())
    nome = solicitacao_enviada(certificado).nome
    return Arquivo(nome_arquivo(nome, "pem"), "application/x-pem-file",
                   _pem(cert, ac.emissor(config).cadeia()))


# --- revocation -------------------------------------------------------------------------------

def revogar(certificado, motivo, ator, config, reemitir=False):
    """Revoke the valid X.509 (and the Certificado, unless a new one is to be issued)."""
    if motivo not in ac.MOTIVOS:
        raise EmissaoRecusada("Escolha o motivo da revogação.", "motivo")
    atual = vigente(certificado.id)
    with db.atomic():
        if atual is not None:
            alterados = (CertificadoX509.update(revogado_em=utcnow(), motivo_revogacao=motivo,
                                                ativo_certificado=None)
                         .where((CertificadoX509.id == atual.id)
                                & CertificadoX509.ativo_certificado.is_null(False)).execute())
            if alterados != 1:
                raise EmissaoRecusada("Este certificado acabou de ser revogado.")
        elif reemitir:
            raise EmissaoRecusada("Não há certificado baixado para revogar: baixe-o em "
                                  "“Baixar meu certificado”.")
        detalhes = f"Motivo: {ac.MOTIVOS[motivo][1]}" + (
            f" (série {atual.serial})" if atual else "")
        mover_certificado(certificado, "reemitir" if reemitir else "revogar", ator, detalhes)
        if atual is not None:
            # In the transaction: the CRL (or the real AC) agrees with the database, or neither.
            ac.emissor(config).revogar(int(atual.serial, 16), motivo)
    return atual


def situacao_serial(serial):
    """For OCSP: None if unknown, else (revoked at or None, reason, PEM)."""
    registro = CertificadoX509.get_or_none(CertificadoX509.serial == f"{serial:x}")
    if registro is None:
        return None
    return registro.revogado_em, registro.motivo_revogacao, registro.pem

