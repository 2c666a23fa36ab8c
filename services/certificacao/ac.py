"""The certification authority behind "Aprovar e emitir": one small interface, `Emissor`,
and the demonstration AC the portal runs itself (root "AC Raiz de Demonstração" and an issuing
intermediate, keys in the instance folder encrypted with AC_CHAVE_SENHA).

A deployment plugs the real AC by naming another class in AC_EMISSOR (README, "Emissão").
"""
import importlib
import os
from datetime import datetime, timedelta, timezone
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID

from services.certificacao import perfil_ecpf, validade

import relogio

RAIZ_NOME = "AC Raiz de Demonstração"
EMISSORA_NOME = "AC Emissora de Demonstração"
ORGANIZACAO = "DEMONSTRACAO - nao e ICP-Brasil"
ARQUIVOS = {"raiz": "raiz", "emissora": "emissora"}

# RFC 5280 CRLReason, in the words the holder chooses from.
MOTIVOS = {
    "unspecified": (x509.ReasonFlags.unspecified, "Não especificado"),
    "key_compromise": (x509.ReasonFlags.key_compromise,
                       "Comprometimento da chave (alguém pode ter o arquivo e a senha)"),
    "affiliation_changed": (x509.ReasonFlags.affiliation_changed, "Mudança de dados do titular"),
    "superseded": (x509.ReasonFlags.superseded, "Substituído por um novo certificado"),
    "cessation_of_operation": (x509.ReasonFlags.cessation_of_operation,
                               "Não vou mais usar o certificado"),
    "privilege_withdrawn": (x509.ReasonFlags.privilege_withdrawn, "Privilégio retirado"),
}


class AcIndisponivel(Exception):
    """The AC is not set up (or its key password is wrong); message in Portuguese."""


class Emissor(Protocol):
    """What the portal needs from an AC."""

    def emitir(self, csr_ou_chave, dados: perfil_ecpf.DadosTitular,
               fim: datetime | None = None) -> x509.Certificate:
        """Issue an e-CPF for `dados` over the CSR's (or the public) key; `fim` keeps the end
        date of a certificate being replaced (default: one year from now, never past the A1
        end date, services/certificacao/validade.py)."""

    def revogar(self, serial: int, motivo: str) -> None:
        """Revoke `serial` (a key of MOTIVOS)."""

    def cadeia(self) -> list[x509.Certificate]:
        """The issuing AC first, the root last (goes into the .pfx)."""


def _agora():
    return relogio.agora().replace(microsecond=0)


def _nome(cn):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZACAO),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ca(subject, chave_publica, emissor, chave_emissor, anos, path_length, emissor_publica):
    agora = _agora()
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(emissor)
        .public_key(chave_publica).serial_number(x509.random_serial_number())
        .not_valid_before(agora - timedelta(minutes=5))
        .not_valid_after(agora + timedelta(days=365 * anos))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(chave_publica), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(emissor_publica),
                       critical=False)
        .sign(chave_emissor, hashes.SHA256())
    )


def existe(pasta):
    return all(os.path.exists(os.path.join(pasta, f"{n}.{ext}"))
               for n in ARQUIVOS for ext in ("pem", "key.pem"))


def criar(pasta, senha):
    """Create the demo root and issuing AC in `pasta` (keys encrypted with `senha`).
    Returns False when they already exist (never overwritten: issued certificates chain to it)."""
    if not senha:
        raise AcIndisponivel("Defina AC_CHAVE_SENHA no ambiente: ela protege as chaves da AC.")
    if existe(pasta):
        return False
    os.makedirs(pasta, mode=0o700, exist_ok=True)
    raiz_chave = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    raiz = _ca(_nome(RAIZ_NOME), raiz_chave.public_key(), _nome(RAIZ_NOME), raiz_chave, 10, 1,
               raiz_chave.public_key())
    emissora_chave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    emissora = _ca(_nome(EMISSORA_NOME), emissora_chave.public_key(), raiz.subject, raiz_chave,
                   5, 0, raiz_chave.public_key())
    cifra = serialization.BestAvailableEncryption(senha.encode())
    for nome, cert, chave in (("raiz", raiz, raiz_chave), ("emissora", emissora, emissora_chave)):
        caminho = os.path.join(pasta, f"{nome}.key.pem")
        descritor = os.open(caminho, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descritor, "wb") as arquivo:
            arquivo.write(chave.private_bytes(serialization.Encoding.PEM,
                                              serialization.PrivateFormat.PKCS8, cifra))
        with open(os.path.join(pasta, f"{nome}.pem"), "wb") as arquivo:
            arquivo.write(cert.public_bytes(serialization.Encoding.PEM))
    return True


class AcDemonstracao:
    """The portal's own AC. Revocations live in the portal's database (CertificadoX509), from
    which it signs the CRL and answers OCSP."""

    def __init__(self, config):
        pasta, senha = config["AC_DIR"], config.get("AC_CHAVE_SENHA") or ""
        if not existe(pasta):
            raise AcIndisponivel("A autoridade certificadora de demonstração ainda não foi "
                                 "criada (flask --app app ac criar).")
        self.base_url = config["BASE_URL"]
        self.lcr_secundaria = config.get("LCR_URL_SECUNDARIA", "")
        self._config = config
        self.ar_cnpj = config.get("BENEFICIARIO_CNPJ", "")
        self.raiz = self._cert(pasta, "raiz")
        self.emissora = self._cert(pasta, "emissora")
        try:
            with open(os.path.join(pasta, "emissora.key.pem"), "rb") as arquivo:
                self._chave = serialization.load_pem_private_key(arquivo.read(), senha.encode())
        except (ValueError, TypeError):
            raise AcIndisponivel("AC_CHAVE_SENHA não abre a chave da AC de demonstração.") from None

    @staticmethod
    def _cert(pasta, nome):
        with open(os.path.join(pasta, f"{nome}.pem"), "rb") as arquivo:
            return x509.load_pem_x509_certificate(arquivo.read())

    def cadeia(self):
        return [self.emissora, self.raiz]

    def emitir(self, csr_ou_chave, dados, fim=None):
        chave = (csr_ou_chave.public_key()
                 if isinstance(csr_ou_chave, (x509.CertificateSigningRequest,
                                              rsa.RSAPrivateKey)) else csr_ou_chave)
        inicio = _agora()
        recusa = validade.encerrado(self._config, inicio)
        if recusa:
            raise AcIndisponivel(recusa)
        fim = fim or validade.fim(inicio, self._config)
        builder = perfil_ecpf.construir(chave, dados, self.emissora, x509.random_serial_number(),
                                        inicio, fim, self.base_url, self.ar_cnpj,
                                        self.lcr_secundaria)
        return builder.sign(self._chave, hashes.SHA256())

    def revogar(self, serial, motivo):
        # The revocation itself is the portal's CertificadoX509 row; publish the new CRL.
        publicar_lcr(self)

    # --- status ---------------------------------------------------------------------------

    def lcr(self, revogados, numero, agora=None):
        """A DER CRL of `revogados` [(serial, revoked at (naive UTC), motivo)], valid 1 day
        past the daily job, so relying parties never see it stale."""
        agora = agora or _agora()
        builder = (x509.CertificateRevocationListBuilder()
                   .issuer_name(self.emissora.subject)
                   .last_update(agora).next_update(agora + timedelta(hours=36))
                   .add_extension(x509.CRLNumber(numero), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       self._chave.public_key()), critical=False))
        for serial, quando, motivo in revogados:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial)
                .revocation_date(quando.replace(tzinfo=timezone.utc))
                .add_extension(x509.CRLReason(MOTIVOS.get(motivo, MOTIVOS["unspecified"])[0]),
                               critical=False)
                .build())
        return builder.sign(self._chave, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER)

    def responder_ocsp(self, pedido_der, situacao):
        """A DER OCSP response (RFC 6960) for one request, signed by this issuing AC.
        `situacao(serial)` returns None (never issued here: "unknown"), (None, None, cert PEM)
        when good, or (revoked at, motivo, PEM). Another AC's certificate is "unauthorized"."""
        try:
            pedido = ocsp.load_der_ocsp_request(pedido_der)
        except ValueError:
            return _sem_resposta(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        if _ids_emissora(self.emissora, pedido.hash_algorithm) != (
                pedido.issuer_name_hash, pedido.issuer_key_hash):
            return _sem_resposta(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        resposta = situacao(pedido.serial_number)
        agora = _agora()
        periodo = {"this_update": agora, "next_update": agora + timedelta(hours=1)}
        if resposta is None:
            builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
                issuer_name_hash=pedido.issuer_name_hash, issuer_key_hash=pedido.issuer_key_hash,
                serial_number=pedido.serial_number, algorithm=pedido.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.UNKNOWN, revocation_time=None,
                revocation_reason=None, **periodo)
        else:
            revogado_em, motivo, pem = resposta
            builder = ocsp.OCSPResponseBuilder().add_response(
                cert=x509.load_pem_x509_certificate(pem.encode()), issuer=self.emissora,
                algorithm=pedido.hash_algorithm,
                cert_status=(ocsp.OCSPCertStatus.REVOKED if revogado_em
                             else ocsp.OCSPCertStatus.GOOD),
                revocation_time=revogado_em.replace(tzinfo=timezone.utc) if revogado_em else None,
                revocation_reason=(MOTIVOS.get(motivo, MOTIVOS["unspecified"])[0]
                                   if revogado_em else None), **periodo)
        # The signer's certificate goes along, so clients find it without being told.
        builder = (builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.emissora)
                   .certificates([self.emissora]))
        for extensao in pedido.extensions:  # echo the nonce (RFC 6960 §4.4.1)
            if isinstance(extensao.value, x509.OCSPNonce):
                builder = builder.add_extension(extensao.value, critical=False)
        return builder.sign(self._chave, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER)


def _sem_resposta(situacao):
    return ocsp.OCSPResponseBuilder.build_unsuccessful(situacao).public_bytes(
        serialization.Encoding.DER)


def _ids_emissora(cert, algoritmo):
    """The CertID's issuer name and key hashes for certificates `cert` issued; the key hash
    exactly as a client computes it (from a request for `cert` itself)."""
    nome = hashes.Hash(algoritmo)
    nome.update(cert.subject.public_bytes())
    pedido = ocsp.OCSPRequestBuilder().add_certificate(cert, cert, algoritmo).build()
    return nome.finalize(), pedido.issuer_key_hash


def emissor(config):
    """The configured Emissor (AC_EMISSOR, "module:Class"; default the demo AC)."""
    modulo, _, classe = config.get("AC_EMISSOR", "services.certificacao.ac:AcDemonstracao").partition(":")
    return getattr(importlib.import_module(modulo), classe)(config)


def demonstracao(config):
    """The demo AC, or None when a real AC is plugged (then it publishes CRL and OCSP)."""
    atual = emissor(config)
    return atual if isinstance(atual, AcDemonstracao) else None


def publicar_lcr(ac):
    """Sign a new CRL from the database's revocations and keep it (numbers only grow)."""
    from peewee import IntegrityError, fn

    from models import CertificadoX509, Lcr, db

    revogados = [(int(c.serial, 16), c.revogado_em, c.motivo_revogacao)
                 for c in CertificadoX509.select().where(CertificadoX509.revogado_em.is_null(False))
                 .order_by(CertificadoX509.revogado_em)]
    for _ in range(3):  # two publishers at once: the loser takes the next number
        numero = (Lcr.select(fn.MAX(Lcr.numero)).scalar() or 0) + 1
        try:
            with db.atomic():
                return Lcr.create(numero=numero, der=ac.lcr(revogados, numero))
        except IntegrityError:
            continue
    raise RuntimeError("não foi possível numerar a LCR")


def lcr_atual(ac):
    """The latest CRL; the first one is published now when there is none yet (`ac` None:
    a real AC publishes its own, so there may be none)."""
    from models import Lcr, db

    atual = Lcr.select().order_by(Lcr.numero.desc()).first()
    if atual is None and ac is not None:
        with db.atomic():
            atual = publicar_lcr(ac)
    return atual
