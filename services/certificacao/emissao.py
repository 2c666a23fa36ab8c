"""Delivering the approved certificate: "Baixar meu certificado" (key made here, PKCS#12 with
the holder's password, handed over once), the holder's own CSR, revocation and reissue.

The private key and the password only live in this process's memory while the .pfx is built:
nothing here writes them to the database, a log or a file. No Flask request here.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import timezone

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from peewee import IntegrityError

from models import CertificadoX509, Solicitacao, db
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
REGRAS_SENHA = (
    f"Pelo menos {SENHA_MINIMO} caracteres (12 ou mais é melhor).",
    "Misture letras e números ou símbolos.",
    "Não use seu CPF, sua data de nascimento nem sequências como 12345678.",
    "Guarde a senha: ela não pode ser recuperada, nem por nós.",
)
_SEQUENCIAS = ("0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop",
               "asdfghjkl")
_COMUNS = {"senha123", "senha1234", "password", "password1", "12345678a", "a1234567",
           "abc12345", "mudar123", "brasil123", "certificado"}


# "Substituído" is what "Revogar e emitir novamente" records; the holder picks the others.
MOTIVOS_TITULAR = {chave: texto for chave, (_, texto) in ac.MOTIVOS.items()
                   if chave != "superseded"}


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


# --- the password ---------------------------------------------------------------------------

def forca_senha(senha):
    """'fraca', 'média' or 'forte': a hint, the rules in `validar_senha` decide."""
    classes = sum(bool(re.search(p, senha or "")) for p in
                  (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if len(senha or "") >= 12 and classes >= 3:
        return "forte"
    if len(senha or "") >= SENHA_MINIMO and classes >= 2:
        return "média"
    return "fraca"


def validar_senha(senha, confirmacao, cpf="", nascimento=None):
    """{field: message} for the password typed twice; empty when it is acceptable."""
    senha = senha or ""
    if len(senha) < SENHA_MINIMO:
        return {"senha": f"A senha deve ter pelo menos {SENHA_MINIMO} caracteres."}
    if len(senha) > SENHA_MAXIMO:
        return {"senha": f"Use no máximo {SENHA_MAXIMO} caracteres."}
    minuscula = senha.lower()
    digitos = re.sub(r"\D", "", senha)
    pessoais = [cpf] if cpf else []
    if nascimento:
        pessoais += [f"{nascimento:%d%m%Y}", f"{nascimento:%Y%m%d}"]
    if (forca_senha(senha) == "fraca" or minuscula in _COMUNS or len(set(senha)) < 4
            or any(minuscula in seq or seq[:8] in minuscula for seq in _SEQUENCIAS)
            or any(p and p in digitos for p in pessoais)):
        return {"senha": "Senha fraca: siga as regras abaixo (misture letras e números, sem "
                         "CPF, data de nascimento ou sequências)."}
    if senha != (confirmacao or ""):
        return {"senha_confirmacao": "As senhas não são iguais. Digite a mesma senha nos dois "
                                     "campos."}
    return {}


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
    """(True, None) or (False, why) — shown on the page before the password is asked."""
    agora = agora or utcnow()
    if not emitido(certificado.situacao):
        return False, ("O certificado só pode ser baixado depois de aprovado na videoconferência."
                       if not revogado(certificado.situacao) else
                       "Este certificado foi revogado e não pode mais ser baixado.")
    if vigente(certificado.id) is not None:
        return False, ("Este certificado já foi baixado. Por segurança o download é feito uma "
                       "única vez: se você perdeu o arquivo ou a senha, use “Revogar e emitir "
                       "novamente”.")
    fim = fim_fixo(certificado.id)
    if fim is not None and fim <= agora:
        return False, "A validade deste certificado terminou. Compre um novo para renovar."
    return True, None


def _emitir(certificado, chave_ou_csr, config, ator, origem):
    """Issue through the configured AC and record the X.509 (one valid per certificate)."""
    ok, motivo = pode_baixar(certificado)
    if not ok:
        raise EmissaoRecusada(motivo)
    solicitacao = solicitacao_enviada(certificado)
    dados = dados_titular(certificado, solicitacao)
    fim = fim_fixo(certificado.id)
    emissor = ac.emissor(config)
    cert = emissor.emitir(chave_ou_csr, dados,
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
                                      + (" (requisição CSR do titular)" if origem == "csr"
                                         else ""))
    except IntegrityError:
        # Another download of the same certificate won the race. The certificate just signed
        # is never handed out and its key dies here, so nobody can use it.
        raise EmissaoRecusada(pode_baixar(certificado)[1]) from None
    return cert, dados, emissor.cadeia()


def baixar(certificado, senha, config, ator):
    """Make a key, issue, pack the .pfx with `senha` (PBES2 AES-256-CBC, PBKDF2-SHA256,
    HMAC-SHA256). Returns the Arquivo to hand over; the key dies with this call."""
    chave = rsa.generate_private_key(public_exponent=65537, key_size=TAMANHO_CHAVE)
    cert, dados, cadeia = _emitir(certificado, chave, config, ator, "servidor")
    cifra = (serialization.PrivateFormat.PKCS12.encryption_builder()
             .kdf_rounds(200_000)
             .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
             .hmac_hash(hashes.SHA256())
             .build(senha.encode()))
    pfx = pkcs12.serialize_key_and_certificates(
        perfil_ecpf.nome_certificado(dados.nome).encode(), chave, cert, cadeia, cifra)
    return Arquivo(nome_arquivo(dados.nome, "pfx"), "application/x-pkcs12", pfx)


def nome_cn(certificado, solicitacao):
    """The CN the holder's CSR must carry: NOME DO TITULAR:CPF."""
    return f"{perfil_ecpf.nome_certificado(solicitacao.nome)}:{certificado.titular_cpf}"


def ler_csr(texto, certificado, solicitacao):
    """The holder's PKCS#10, checked: PEM, signature, RSA ≥ 2048, subject is the holder."""
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
        raise EmissaoRecusada("A assinatura da requisição (CSR) não confere: gere-a de novo.",
                              "csr")
    if not isinstance(chave, rsa.RSAPublicKey) or chave.key_size < TAMANHO_CHAVE:
        raise EmissaoRecusada(f"A chave da requisição deve ser RSA de {TAMANHO_CHAVE} bits ou "
                              "mais. Gere uma nova chave e uma nova requisição.", "csr")
    esperado = nome_cn(certificado, solicitacao)
    cns = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    digitado = perfil_ecpf.nome_certificado(cns[0].value) if cns else ""
    if digitado != esperado:
        raise EmissaoRecusada(f"A requisição é para “{digitado or 'sem nome'}”, mas este "
                              f"certificado é de “{esperado}”. Gere a requisição com "
                              f"CN={esperado}.", "csr")
    return csr


def emitir_por_csr(certificado, texto, config, ator):
    """Issue over the holder's own key: the portal never sees it. Returns the PEM chain."""
    csr = ler_csr(texto, certificado, solicitacao_enviada(certificado))
    cert, dados, cadeia = _emitir(certificado, csr, config, ator, "csr")
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [cert, *cadeia])
    return Arquivo(nome_arquivo(dados.nome, "pem"), "application/x-pem-file", pem)


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

