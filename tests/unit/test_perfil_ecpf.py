"""The e-CPF profile (docs/certificado.md): what a relying party reads from the certificate."""
from datetime import date, datetime, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from services.certificacao import perfil_ecpf
from services.certificacao.perfil_ecpf import DadosTitular

CARLA = DadosTitular(nome="Carla Mendes Rocha", cpf="39053344705", email="carla@example.com",
                     nascimento=date(1988, 4, 17), nis="12345678901", rg="12.345.678-X",
                     rg_emissor="SSP", rg_uf="DF", titulo="123456789012", titulo_zona="1",
                     titulo_secao="23", municipio="Brasília", municipio_uf="DF")


@pytest.fixture(scope="module")
def chave():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def certificado(chave):
    emissora = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AC Teste")]))
                .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AC Teste")]))
                .public_key(chave.public_key()).serial_number(1)
                .not_valid_before(datetime(2026, 1, 1)).not_valid_after(datetime(2030, 1, 1))
                .sign(chave, hashes.SHA256()))
    inicio = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
    return perfil_ecpf.construir(chave.public_key(), CARLA, emissora, 99, inicio,
                                 perfil_ecpf.fim_da_validade(inicio), "https://portal.exemplo",
                                 "33.683.111/0001-07").sign(chave, hashes.SHA256())


def _other_names(cert):
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {n.type_id.dotted_string: perfil_ecpf.valor_other_name(n)
            for n in san.get_values_for_type(x509.OtherName)}


def test_person_block_has_birth_date_and_cpf_at_their_positions(certificado):
    valor = _other_names(certificado)["2.16.76.1.3.1"]
    assert len(valor) == 8 + 11 + 11 + 15 + 6
    assert valor[0:8] == "17041988"
    assert valor[8:19] == "39053344705"
    assert perfil_ecpf.ler_pessoa_fisica(valor) == {
        "nascimento": "17041988", "cpf": "39053344705", "nis": "12345678901",
        "rg": "00000012345678X", "emissor_uf": "SSPDF "}


def test_absent_data_is_zero_filled():
    sem = DadosTitular(nome="Ana", cpf="52998224725", email="")
    assert perfil_ecpf.campo_pessoa_fisica(sem) == "0" * 8 + "52998224725" + "0" * 32
    assert perfil_ecpf.campo_titulo_eleitor(sem) == "0" * 41
    assert perfil_ecpf.campo_cei(sem) == "0" * 12


def test_voter_and_cei_blocks(certificado):
    nomes = _other_names(certificado)
    assert nomes["2.16.76.1.3.5"] == "123456789012" + "001" + "0023" + "BRASILIA DF".ljust(22)
    assert nomes["2.16.76.1.3.6"] == "0" * 12


def test_subject_names_the_holder_with_cpf_and_says_demonstration(certificado):
    subject = certificado.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        "CARLA MENDES ROCHA:39053344705"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "39053344705"
    ous = [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
    assert ous == ["AC Teste", "33683111000107", "videoconferencia", "RFB e-CPF A1"]
    assert "nao e ICP-Brasil" in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert perfil_ecpf.cpf_do_certificado(certificado) == "39053344705"
    assert perfil_ecpf.nome_do_certificado(certificado) == "CARLA MENDES ROCHA"


def test_usages_policy_and_where_to_check_status(certificado):
    ext = certificado.extensions
    ku = ext.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment and ku.key_encipherment
    assert not ku.key_cert_sign
    assert list(ext.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]
    [politica] = ext.get_extension_for_class(x509.CertificatePolicies).value
    assert politica.policy_identifier.dotted_string == perfil_ecpf.OID_POLITICA_DEMO
    assert "DEMONSTRACAO" in politica.policy_qualifiers[1].explicit_text
    pontos = ext.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [p.full_name[0].value for p in pontos] == ["https://portal.exemplo/ac/lcr.crl",
                                                       "https://portal.exemplo/ac/lcr2.crl"]
    aia = {d.access_method._name: d.access_location.value
           for d in ext.get_extension_for_class(x509.AuthorityInformationAccess).value}
    assert aia == {"caIssuers": "https://portal.exemplo/ac/emissora.crt",
                   "OCSP": "https://portal.exemplo/ac/ocsp"}
    san = ext.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["carla@example.com"]


def test_valid_for_one_year_from_emission(certificado):
    assert certificado.not_valid_before_utc == datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
    assert certificado.not_valid_after_utc == datetime(2027, 11, 30, 12, tzinfo=timezone.utc)
    assert perfil_ecpf.fim_da_validade(datetime(2028, 2, 29)) == datetime(2029, 2, 28)


def test_the_year_never_passes_the_limit_given():
    limite = datetime(2029, 3, 2, 3)
    assert perfil_ecpf.fim_da_validade(datetime(2028, 6, 1), limite) == limite
    assert perfil_ecpf.fim_da_validade(datetime(2027, 6, 1), limite) == datetime(2028, 6, 1)


def test_a_number_too_long_for_its_field_is_refused():
    with pytest.raises(ValueError):
        perfil_ecpf.campo_pessoa_fisica(DadosTitular(nome="A", cpf="1" * 12, email=""))
