"""The e-CPF A1 certificate profile (docs/certificado.md): subject, ICP-Brasil otherNames and
extensions, as pure functions over the holder's data. No database, no Flask, no keys."""
import unicodedata
from dataclasses import dataclass
from datetime import date

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

OID_PESSOA_FISICA = "2.16.76.1.3.1"  # birth date + CPF + NIS + RG + issuing body/UF
OID_TITULO_ELEITOR = "2.16.76.1.3.5"  # título + zona + seção + município/UF
OID_CEI = "2.16.76.1.3.6"  # CEI/INSS of a natural person
# A private-use arc for the demonstration policy; a real AC puts its ICP-Brasil policy OID.
OID_POLITICA_DEMO = "1.3.6.1.4.1.55555.1.1"
AVISO_DEMO = "Certificado de DEMONSTRACAO, sem valor juridico: nao e ICP-Brasil."

LARGURAS_PESSOA_FISICA = (("nascimento", 8), ("cpf", 11), ("nis", 11), ("rg", 15),
                          ("emissor_uf", 6))


@dataclass(frozen=True)
class DadosTitular:
    """What the certificate says about its holder (from the approved request)."""

    nome: str
    cpf: str
    email: str
    nascimento: date | None = None
    nis: str = ""
    rg: str = ""
    rg_emissor: str = ""
    rg_uf: str = ""
    cei: str = ""
    titulo: str = ""
    titulo_zona: str = ""
    titulo_secao: str = ""
    municipio: str = ""
    municipio_uf: str = ""


def _ascii(texto):
    """Upper-case ASCII (the profile's fields are PrintableString-safe)."""
    sem_acento = unicodedata.normalize("NFKD", texto or "").encode("ascii", "ignore").decode()
    return " ".join(sem_acento.upper().split())


def _numero(valor, largura):
    """Right-aligned, zero-filled; absent -> all zeros."""
    limpo = "".join(c for c in _ascii(valor) if c.isalnum())
    if len(limpo) > largura:
        raise ValueError(f"“{valor}” não cabe em {largura} posições.")
    return limpo.rjust(largura, "0")


def _texto(valor, largura):
    """Left-aligned, space-padded (cut to the width); absent -> all zeros."""
    limpo = _ascii(valor)
    return limpo[:largura].ljust(largura) if limpo else "0" * largura


def nome_certificado(nome):
    return _ascii(nome)


def campo_pessoa_fisica(d):
    """2.16.76.1.3.1: ddmmaaaa (8) + CPF (11) + NIS (11) + RG (15) + issuing body and UF (6)."""
    nascimento = f"{d.nascimento:%d%m%Y}" if d.nascimento else "0" * 8
    emissor = (_ascii(d.rg_emissor).replace(" ", "") + _ascii(d.rg_uf)) if d.rg else ""
    return (nascimento + _numero(d.cpf, 11) + _numero(d.nis, 11) + _numero(d.rg, 15)
            + _texto(emissor, 6))


def ler_pessoa_fisica(valor):
    """The fields of a 2.16.76.1.3.1 value, by position (how relying parties read it)."""
    campos, inicio = {}, 0
    for nome, largura in LARGURAS_PESSOA_FISICA:
        campos[nome] = valor[inicio:inicio + largura]
        inicio += largura
    return campos


def campo_titulo_eleitor(d):
    """2.16.76.1.3.5: título (12) + zona (3) + seção (4) + município and UF (22)."""
    municipio = f"{_ascii(d.municipio)} {_ascii(d.municipio_uf)}".strip() if d.titulo else ""
    return (_numero(d.titulo, 12) + _numero(d.titulo_zona, 3) + _numero(d.titulo_secao, 4)
            + _texto(municipio, 22))


def campo_cei(d):
    """2.16.76.1.3.6: CEI/INSS (12)."""
    return _numero(d.cei, 12)


def _octet_string(texto):
    dados = texto.encode("ascii")
    assert len(dados) < 128  # every field of the profile is short: one length byte
    return bytes([0x04, len(dados)]) + dados


def valor_other_name(other_name):
    """The text inside an otherName's OCTET STRING / PrintableString (DER, short form)."""
    dados = other_name.value
    if len(dados) < 2 or dados[0] not in (0x04, 0x13) or dados[1] != len(dados) - 2:
        raise ValueError("otherName em formato inesperado")
    return dados[2:].decode("ascii")


def subject(d, ac_nome, ar_cnpj):
    """C=BR, O, OU=<issuing AC>, OU=<AR CNPJ>, OU=<how identity was checked>, OU=<type>,
    serialNumber=<CPF>, CN=<NOME DO TITULAR>:<CPF>. O says "demonstration", not ICP-Brasil."""
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DEMONSTRACAO - nao e ICP-Brasil"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ac_nome),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "".join(filter(str.isdigit, ar_cnpj))),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "videoconferencia"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "RFB e-CPF A1"),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, _numero(d.cpf, 11)),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{nome_certificado(d.nome)}:{_numero(d.cpf, 11)}"),
    ])


def fim_da_validade(inicio, limite=None):
    """One year from emission (29 Feb -> 28 Feb), never past `limite` (the A1 end date,
    services/certificacao/validade.py)."""
    try:
        um_ano = inicio.replace(year=inicio.year + 1)
    except ValueError:
        um_ano = inicio.replace(year=inicio.year + 1, day=28)
    return min(um_ano, limite) if limite is not None else um_ano


def urls_lcr(base_url, secundaria=""):
    """The two CRL distribution points the ICP-Brasil profile asks for: this portal's
    /ac/lcr.crl and a second copy (LCR_URL_SECUNDARIA, default /ac/lcr2.crl here)."""
    return (f"{base_url}/ac/lcr.crl", secundaria or f"{base_url}/ac/lcr2.crl")


def construir(chave_publica, d, emissora, serial, inicio, fim, base_url, ar_cnpj,
              lcr_secundaria=""):
    """The e-CPF CertificateBuilder (unsigned): the issuing AC signs it."""
    ac_nome = emissora.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    nomes = [
        x509.OtherName(x509.ObjectIdentifier(OID_PESSOA_FISICA),
                       _octet_string(campo_pessoa_fisica(d))),
        x509.OtherName(x509.ObjectIdentifier(OID_CEI), _octet_string(campo_cei(d))),
        x509.OtherName(x509.ObjectIdentifier(OID_TITULO_ELEITOR),
                       _octet_string(campo_titulo_eleitor(d))),
    ]
    if d.email:
        nomes.append(x509.RFC822Name(d.email))
    return (
        x509.CertificateBuilder()
        .subject_name(subject(d, ac_nome, ar_cnpj))
        .issuer_name(emissora.subject)
        .public_key(chave_publica)
        .serial_number(serial)
        .not_valid_before(inicio)
        .not_valid_after(fim)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=True,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                              ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                       critical=False)
        .add_extension(x509.SubjectAlternativeName(nomes), critical=False)
        .add_extension(x509.CertificatePolicies([x509.PolicyInformation(
            x509.ObjectIdentifier(OID_POLITICA_DEMO),
            [f"{base_url}/ac/politica", x509.UserNotice(None, AVISO_DEMO)])]), critical=False)
        .add_extension(x509.CRLDistributionPoints([
            x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)
            for url in urls_lcr(base_url, lcr_secundaria)]), critical=False)
        .add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier(f"{base_url}/ac/emissora.crt")),
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                   x509.UniformResourceIdentifier(f"{base_url}/ac/ocsp")),
        ]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(chave_publica), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(emissora.public_key()),
                       critical=False)
    )


def cpf_do_certificado(certificado):
    """The holder's CPF: subject serialNumber first, else the otherName block (positions 8–19)."""
    serial = certificado.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    if serial:
        return serial[0].value
    for nome in _other_names(certificado):
        if nome.type_id.dotted_string == OID_PESSOA_FISICA:
            return ler_pessoa_fisica(valor_other_name(nome))["cpf"]
    return ""


def nome_do_certificado(certificado):
    cn = certificado.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return cn[0].value.rsplit(":", 1)[0] if cn else ""


def _other_names(certificado):
    try:
        san = certificado.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return san.get_values_for_type(x509.OtherName)

