"""After "Aprovar e emitir": the holder's page posts a CSR of a key made on the device and packs
the .pfx itself; the holder can reissue or revoke it, and the demo AC publishes the status
(CRL, OCSP)."""
import base64
import logging
import re
import subprocess
from datetime import date, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID

import relogio
from models import ALL_MODELS, Certificado, CertificadoX509, Evento, Lcr, db
from web.filtros import format_date
from services.certificacao import ac
from services.titular import links
from services.certificacao import perfil_ecpf
from tests.support.http import login, text
from tests.support.requisicao import certificados, emitir, nova_chave, pfx, requisicao

CARLA_CPF = "39053344705"  # demo: Maria's purchase A, certificate issued to Carla
SENHA = "Correto-Cavalo-9"


@pytest.fixture(scope="module")
def chave_rsa():
    """One key for the tests that are not about key generation (keeps the suite fast)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def carla(app, demo, ac_demo, client):
    """A browser that opened Carla's personal link; returns the certificate's number."""
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.titular_cpf == CARLA_CPF)
        from services.titular import atribuicoes

        token = links.emitir(atribuicoes.ativa(certificado), 30)
    assert client.get(f"/t/{token}").status_code == 303
    return certificado.numero


def baixar(client, numero, chave=None):
    """The page's download: a CSR posted to /emitir; returns the response."""
    return emitir(client, numero, chave or nova_chave())


def baixado(client, numero, chave):
    """Issue over `chave` and pack the .pfx as the page does; returns (pfx, cert, chain)."""
    response = baixar(client, numero, chave)
    assert response.status_code == 201, response.get_json()
    cert, cadeia = certificados(response)
    return pfx(chave, cert, cadeia, SENHA), cert, cadeia


def x509s(app, numero):
    with db.connection_context():
        return list(CertificadoX509.select().join(Certificado)
                    .where(Certificado.numero == numero).order_by(CertificadoX509.id))


# --- download ---------------------------------------------------------------------------------

def test_the_page_makes_the_key_here_and_says_a_lost_key_means_reissue(client, carla):
    response = client.get(f"/titular/{carla}/baixar")
    page, html = text(response), response.get_data(as_text=True)
    assert "Baixar meu certificado" in page and "Digite a senha de novo" in page
    assert "gerada neste aparelho" in page and "nunca é enviada" in page
    assert "Antes de começar" in page and "Revogar e emitir novamente" in page
    assert "Pelo menos 8 caracteres" in page and "não é ICP-Brasil" in page
    # Only this page loads node-forge; the password fields have no name: never in a request.
    assert "vendor/forge.min.js" in html and "js/emissao.js" in html
    assert 'id="senha"' in html and 'name="senha' not in html
    for formato in ("Moderno", "Compatível", "macOS (Acesso às Chaves)", "Windows 10 e 11"):
        assert formato in page
    assert "cópia de segurança" in page and "Android" in page
    assert "vendor/forge.min.js" not in client.get(f"/titular/{carla}").get_data(as_text=True)


def test_without_javascript_the_page_gives_openssl_commands_for_each_system(client, carla):
    page = text(client.get(f"/titular/{carla}/baixar"))
    for sistema in ("Linux e macOS (Terminal)", "Windows (Prompt de Comando)"):
        assert sistema in page
    assert "openssl genrsa -out minha-chave.pem 2048" in page
    assert 'openssl req -new -key minha-chave.pem -out requisicao.csr -subj "/CN=titular"' in page
    assert ("openssl pkcs12 -export -inkey minha-chave.pem -in carla-mendes-rocha.pem "
            "-out carla-mendes-rocha.pfx") in page
    assert "Tenho minha própria requisição (CSR)" in page and "avançada" not in page


def test_the_server_makes_no_key_any_more(client, carla):
    response = client.post(f"/titular/{carla}/baixar",
                           data={"senha": SENHA, "senha_confirmacao": SENHA})
    assert response.status_code == 405


def test_the_request_gets_the_certificate_and_chain_for_the_page(app, client, carla, chave_rsa,
                                                                 tmp_path):
    response = baixar(client, carla, chave_rsa)
    assert response.status_code == 201
    assert response.get_json()["nome"] == "carla-mendes-rocha.pfx"
    assert response.headers["Cache-Control"] == "no-store"
    assert "PRIVATE KEY" not in response.get_data(as_text=True)
    cert, cadeia = certificados(response)
    assert cert.public_key().public_numbers() == chave_rsa.public_key().public_numbers()
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        f"CARLA MENDES ROCHA:{CARLA_CPF}"
    assert [c.subject.rfc4514_string() for c in cadeia] == [
        "CN=AC Emissora de Demonstração,O=DEMONSTRACAO - nao e ICP-Brasil,C=BR",
        "CN=AC Raiz de Demonstração,O=DEMONSTRACAO - nao e ICP-Brasil,C=BR"]
    # 1 year from emission, CRL and AIA at this portal.
    assert cert.not_valid_after_utc - cert.not_valid_before_utc in (timedelta(days=365),
                                                                    timedelta(days=366))
    texto = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert texto[0].full_name[0].value == "http://portal.test/ac/lcr.crl"
    # The otherName 2.16.76.1.3.1 carries Carla's birth date and CPF at their positions.
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    bloco = next(perfil_ecpf.valor_other_name(n) for n in san.get_values_for_type(x509.OtherName)
                 if n.type_id.dotted_string == "2.16.76.1.3.1")
    assert bloco[0:8] == "17041988" and bloco[8:19] == CARLA_CPF
    assert san.get_values_for_type(x509.RFC822Name) == ["carla@example.com"]
    assert [x.origem for x in x509s(app, carla)] == ["navegador"]

    (tmp_path / "raiz.pem").write_bytes(cadeia[1].public_bytes(serialization.Encoding.PEM))
    (tmp_path / "emissora.pem").write_bytes(cadeia[0].public_bytes(serialization.Encoding.PEM))
    (tmp_path / "carla.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    verificado = subprocess.run(
        ["openssl", "verify", "-CAfile", str(tmp_path / "raiz.pem"), "-untrusted",
         str(tmp_path / "emissora.pem"), "-purpose", "smimesign", "-attime",
         str(int(relogio.agora().timestamp())), str(tmp_path / "carla.pem")],
        capture_output=True, text=True)
    assert verificado.returncode == 0 and ": OK" in verificado.stdout, verificado.stderr


def test_the_subject_of_the_request_is_ignored(app, client, carla, chave_rsa):
    response = emitir(client, carla, chave_rsa, cn="Maria da Silva:12345678909")
    cert, _ = certificados(response)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        f"CARLA MENDES ROCHA:{CARLA_CPF}"


def _assinada_por_outra(chave):
    """A CSR whose public key is `chave`'s but whose signature is another key's."""
    outra = nova_chave()
    der = x509.load_pem_x509_csr(requisicao(outra).encode()).public_bytes(
        serialization.Encoding.DER)
    spki = {k: k.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
            for k in (outra, chave)}
    assert len(spki[outra]) == len(spki[chave])  # same length: the DER stays well formed
    trocado = der.replace(spki[outra], spki[chave])
    return ("-----BEGIN CERTIFICATE REQUEST-----\n" + base64.encodebytes(trocado).decode()
            + "-----END CERTIFICATE REQUEST-----\n")


@pytest.mark.parametrize("caso, mensagem", [
    ("chave_1024", "RSA de 2048 bits ou mais"),
    ("outra_chave", "não foi assinada pela chave que contém"),
    ("lixo", "não é uma requisição (CSR) em formato PEM"),
    ("corrompido", "está corrompida ou incompleta"),
    ("sem_json", "não é uma requisição (CSR) em formato PEM"),
])
def test_a_bad_request_is_refused_with_the_reason(app, client, carla, chave_rsa, caso,
                                                  mensagem):
    corpo = {
        "chave_1024": lambda: {"csr": requisicao(nova_chave(1024))},
        "outra_chave": lambda: {"csr": _assinada_por_outra(chave_rsa)},
        "lixo": lambda: {"csr": "isto não é uma requisição"},
        "corrompido": lambda: {"csr": re.sub(r"(BEGIN CERTIFICATE REQUEST-----\n)....",
                                             r"\1AAAA", requisicao(chave_rsa))},
        "sem_json": lambda: ["não", "é", "um", "objeto"],
    }[caso]()
    response = client.post(f"/titular/{carla}/emitir", json=corpo)
    assert response.status_code == 422
    assert mensagem in response.get_json()["erro"]
    assert x509s(app, carla) == []


def test_a_key_already_certified_is_refused_on_reissue(app, client, carla, chave_rsa):
    baixado(client, carla, chave_rsa)
    assert client.post(f"/titular/{carla}/reemitir", data={"confirmo": "y"}).status_code == 303
    response = baixar(client, carla, chave_rsa)
    assert response.status_code == 422
    assert "Esta chave já foi certificada antes" in response.get_json()["erro"]
    assert baixar(client, carla).status_code == 201  # a new key is fine
    assert len(x509s(app, carla)) == 2


def test_a_second_issue_from_another_tab_is_refused(app, client, carla):
    assert baixar(client, carla).status_code == 201
    page = text(client.get(f"/titular/{carla}/baixar"))
    assert "já foi baixado" in page and "Revogar e emitir novamente" in page
    again = baixar(client, carla)
    assert again.status_code == 422 and "já foi baixado" in again.get_json()["erro"]
    assert len(x509s(app, carla)) == 1


def test_two_issues_at_once_give_one_certificate(app, client, carla, monkeypatch):
    """Both tabs pass the check before either records its X.509: the database keeps one."""
    from services.certificacao import emissao

    verdadeiro = emissao.pode_baixar
    antes_de_gravar = iter([(True, None), (True, None)])  # each tab's check, then the real one
    monkeypatch.setattr(emissao, "pode_baixar",
                        lambda c, agora=None: next(antes_de_gravar, None) or verdadeiro(c))
    assert baixar(client, carla).status_code == 201
    second = baixar(client, carla)
    assert second.status_code == 422 and "já foi baixado" in second.get_json()["erro"]
    assert len(x509s(app, carla)) == 1


def test_the_page_can_fetch_the_issued_certificate_again(app, client, carla, chave_rsa):
    nada = client.get(f"/titular/{carla}/emitido")
    assert nada.status_code == 404 and "Não há certificado válido" in nada.get_json()["erro"]
    primeiro = baixar(client, carla, chave_rsa).get_json()
    de_novo = client.get(f"/titular/{carla}/emitido")
    assert de_novo.status_code == 200 and de_novo.get_json() == primeiro
    assert len(x509s(app, carla)) == 1


def test_no_private_key_nor_password_in_the_database_or_the_logs(app, client, carla, caplog):
    caplog.set_level(logging.DEBUG)
    assert baixar(client, carla).status_code == 201
    with db.connection_context():
        linhas = " ".join(str(row.__data__) for model in ALL_MODELS for row in model.select())
    assert "PRIVATE KEY" not in linhas
    assert "BEGIN CERTIFICATE" in linhas  # the public certificate is what is kept
    assert "PRIVATE KEY" not in caplog.text


def test_the_download_is_in_the_andamento_and_the_holder_sees_validity(app, client, carla):
    baixar(client, carla)
    [emitido] = x509s(app, carla)
    page = text(client.get(f"/titular/{carla}"))
    assert f"Válido até {format_date(emitido.valido_ate)}" in page  # Brasília's date, not UTC's
    with db.connection_context():
        [evento] = Evento.select().where(Evento.tipo == "certificado.baixado")
    assert "chave gerada no navegador do titular" in evento.detalhes


# --- reissue and revocation ------------------------------------------------------------------

def test_reissue_revokes_the_old_one_and_the_new_one_ends_on_the_same_date(app, client, carla):
    primeiro = baixado(client, carla, nova_chave())[1]
    refused = client.post(f"/titular/{carla}/reemitir", data={})
    assert refused.status_code == 422 and "Marque a confirmação" in text(refused)
    response = client.post(f"/titular/{carla}/reemitir", data={"confirmo": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/baixar")
    segundo = baixado(client, carla, nova_chave())[1]
    assert segundo.serial_number != primeiro.serial_number
    assert segundo.not_valid_after_utc == primeiro.not_valid_after_utc
    antigo, novo = x509s(app, carla)
    assert antigo.motivo_revogacao == "superseded" and antigo.revogado_em is not None
    assert novo.revogado_em is None
    crl = x509.load_der_x509_crl(client.get("/ac/lcr.crl").data)
    assert crl.get_revoked_certificate_by_serial_number(primeiro.serial_number) is not None
    assert crl.get_revoked_certificate_by_serial_number(segundo.serial_number) is None


def _ocsp(client, cert, emissora, metodo="post"):
    pedido = (ocsp.OCSPRequestBuilder().add_certificate(cert, emissora, hashes.SHA1())
              .build().public_bytes(serialization.Encoding.DER))
    if metodo == "post":
        response = client.post("/ac/ocsp", data=pedido,
                               headers={"Content-Type": "application/ocsp-request"})
    else:
        response = client.get("/ac/ocsp/" + base64.b64encode(pedido).decode())
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ocsp-response"
    resposta = ocsp.load_der_ocsp_response(response.data)
    assert resposta.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    emissora.public_key().verify(resposta.signature, resposta.tbs_response_bytes,
                                 padding.PKCS1v15(), hashes.SHA256())
    return resposta


def test_revocation_by_the_holder_reaches_the_crl_and_ocsp(app, client, carla):
    _, cert, (emissora, raiz) = baixado(client, carla, nova_chave())
    assert _ocsp(client, cert, emissora, "get").certificate_status == ocsp.OCSPCertStatus.GOOD
    page = text(client.get(f"/titular/{carla}/revogar"))
    assert "Motivo da revogação" in page and "Comprometimento da chave" in page
    refused = client.post(f"/titular/{carla}/revogar", data={"motivo": "", "confirmo": "y"})
    assert refused.status_code == 422 and "Escolha o motivo" in text(refused)
    response = client.post(f"/titular/{carla}/revogar",
                           data={"motivo": "key_compromise", "confirmo": "y"})
    assert response.status_code == 303
    page = text(client.get(f"/titular/{carla}"))
    assert "Revogado em" in page and "Revogado" in page

    crl = x509.load_der_x509_crl(client.get("/ac/lcr.crl").data)
    assert crl.is_signature_valid(emissora.public_key())
    entrada = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    assert entrada.extensions.get_extension_for_class(x509.CRLReason).value.reason == \
        x509.ReasonFlags.key_compromise
    resposta = _ocsp(client, cert, emissora)
    assert resposta.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert resposta.revocation_reason == x509.ReasonFlags.key_compromise
    assert baixar(client, carla).status_code == 422  # nothing more to download
    assert client.get(f"/titular/{carla}/emitido").status_code == 404
    with db.connection_context():
        assert Certificado.get(Certificado.numero == carla).situacao == "revogado"
        assert Lcr.select().count() >= 1


def test_ocsp_for_a_certificate_of_another_ac_is_unauthorized(app, client, carla, chave_rsa):
    alheio = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "X")]))
              .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "X")]))
              .public_key(chave_rsa.public_key()).serial_number(5)
              .not_valid_before(datetime(2026, 1, 1)).not_valid_after(datetime(2027, 1, 1))
              .sign(chave_rsa, hashes.SHA256()))
    pedido = (ocsp.OCSPRequestBuilder().add_certificate(alheio, alheio, hashes.SHA1()).build()
              .public_bytes(serialization.Encoding.DER))
    resposta = ocsp.load_der_ocsp_response(client.post("/ac/ocsp", data=pedido).data)
    assert resposta.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED
    lixo = ocsp.load_der_ocsp_response(client.post("/ac/ocsp", data=b"lixo").data)
    assert lixo.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_the_buyer_follows_download_and_revocation_in_the_andamento(app, client, carla):
    baixar(client, carla)
    client.post(f"/titular/{carla}/revogar", data={"motivo": "cessation_of_operation",
                                                    "confirmo": "y"})
    login(client, "123.456.789-09", "demo12345")
    with db.connection_context():
        processo = Certificado.get(Certificado.numero == carla).processo.numero
    page = text(client.get(f"/pedidos/processos/{processo}"))
    assert "Certificado baixado pelo titular" in page and "Certificado revogado" in page
    gerenciar = text(client.get(f"/certificados/{carla}"))
    assert "Emitido em" in gerenciar and "Válido até" in gerenciar and "Revogado em" in gerenciar


# --- the holder's own CSR --------------------------------------------------------------------

def test_a_csr_of_the_holder_gets_a_certificate_and_no_key(app, client, carla, chave_rsa):
    response = client.post(f"/titular/{carla}/csr", data={"csr": requisicao(chave_rsa)})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="carla-mendes-rocha.pem"'
    cert, emissora, raiz = x509.load_pem_x509_certificates(response.data)
    assert cert.public_key().public_numbers() == chave_rsa.public_key().public_numbers()
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        f"CARLA MENDES ROCHA:{CARLA_CPF}"
    assert b"PRIVATE KEY" not in response.data
    assert [x.origem for x in x509s(app, carla)] == ["csr"]


def test_the_csr_page_gives_the_commands_and_refuses_a_bad_csr(app, client, carla):
    page = text(client.get(f"/titular/{carla}/csr"))
    assert "CARLA MENDES ROCHA:39053344705" in page and "openssl genrsa" in page
    response = client.post(f"/titular/{carla}/csr",
                           data={"csr": requisicao(nova_chave(1024))})
    assert response.status_code == 422 and "RSA de 2048 bits ou mais" in text(response)
    assert x509s(app, carla) == []


# --- who may do it -----------------------------------------------------------------------------

def test_a_certificate_not_yet_approved_cannot_be_downloaded(app, demo, ac_demo, client):
    from tests.support.solicitacao import novo_link

    numero, token = novo_link(app)
    client.get(f"/t/{token}")
    page = text(client.get(f"/titular/{numero}/baixar"))
    assert "depois de aprovado" in page and "vendor/forge.min.js" not in page
    response = baixar(client, numero)
    assert response.status_code == 422 and "depois de aprovado" in response.get_json()["erro"]


def test_without_the_holders_link_the_pages_are_not_found(client, demo, ac_demo, app):
    with db.connection_context():
        numero = Certificado.get(Certificado.titular_cpf == CARLA_CPF).numero
    assert client.get(f"/titular/{numero}/baixar").status_code == 404
    assert baixar(client, numero).status_code == 404
    assert client.get(f"/titular/{numero}/emitido").status_code == 404


def test_ac_criar_command_creates_encrypted_keys_once(app, tmp_path):
    pasta = tmp_path / "nova-ac"
    app.config.update(AC_DIR=str(pasta), AC_CHAVE_SENHA="")
    runner = app.test_cli_runner()
    sem_senha = runner.invoke(args=["ac", "criar"])
    assert sem_senha.exit_code != 0 and "AC_CHAVE_SENHA" in sem_senha.output
    app.config["AC_CHAVE_SENHA"] = "segredo"
    assert "criada" in runner.invoke(args=["ac", "criar"]).output
    for nome in ("raiz", "emissora"):
        assert b"ENCRYPTED PRIVATE KEY" in (pasta / f"{nome}.key.pem").read_bytes()
    assert "já existia" in runner.invoke(args=["ac", "criar"]).output
    raiz = x509.load_pem_x509_certificate((pasta / "raiz.pem").read_bytes())
    assert raiz.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        "AC Raiz de Demonstração"
    app.config["AC_CHAVE_SENHA"] = "errada"
    with pytest.raises(ac.AcIndisponivel):
        ac.AcDemonstracao(app.config)


def test_the_agent_can_revoke_from_the_agenda(app, client, carla):
    from models import Agendamento, Horario

    _, cert, (emissora, _) = baixado(client, carla, nova_chave())
    with db.connection_context():
        certificado = Certificado.get(Certificado.numero == carla)
        horario = Horario.create(inicio=datetime(2026, 11, 2, 13), capacidade=2, ocupados=1)
        agendamento = Agendamento.create(certificado=certificado, horario=horario,
                                         situacao="realizado")
    client.post("/sair")
    login(client, "987.654.321-00", "agente12345")
    page = text(client.get(f"/agenda/{agendamento.id}"))
    assert "Revogar certificado" in page
    sem_motivo = client.post(f"/agenda/{agendamento.id}/revogar", data={"confirmo": "y"})
    assert sem_motivo.status_code == 422 and "Escolha o motivo" in text(sem_motivo)
    response = client.post(f"/agenda/{agendamento.id}/revogar",
                           data={"motivo": "affiliation_changed", "confirmo": "y"})
    assert response.status_code == 303
    assert _ocsp(client, cert, emissora).certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert "Revogar certificado" not in text(client.get(f"/agenda/{agendamento.id}"))


def test_the_demo_ac_publishes_its_certificates_crl_and_policy(app, client, ac_demo):
    raiz = x509.load_der_x509_certificate(client.get("/ac/raiz.crt").data)
    emissora = x509.load_der_x509_certificate(client.get("/ac/emissora.crt").data)
    emissora.verify_directly_issued_by(raiz)
    crl = client.get("/ac/lcr.crl")
    assert crl.headers["Content-Type"] == "application/pkix-crl"
    lista = x509.load_der_x509_crl(crl.data)
    assert lista.is_signature_valid(emissora.public_key()) and len(lista) == 0
    assert lista.next_update_utc - lista.last_update_utc == timedelta(hours=36)
    assert "não são ICP-Brasil" in text(client.get("/ac/politica"))


def test_without_the_ac_the_pages_explain_instead_of_failing(app, client, carla, tmp_path):
    app.config["AC_DIR"] = str(tmp_path / "sem-ac")
    response = baixar(client, carla)
    assert response.status_code == 422 and "ainda não foi criada" in response.get_json()["erro"]
    assert client.get("/ac/lcr.crl").status_code == 404


def test_the_database_keeps_one_valid_x509_per_certificate(app, client, carla):
    """Two issues racing: the second insert of a valid X.509 is refused by the database."""
    from peewee import IntegrityError

    baixar(client, carla)
    [atual] = x509s(app, carla)
    with db.connection_context(), pytest.raises(IntegrityError), db.atomic():
        CertificadoX509.create(certificado=atual.certificado_id,
                               contratante=atual.contratante_id, serial="abc", pem="",
                               origem="navegador", emitido_em=atual.emitido_em,
                               valido_ate=atual.valido_ate,
                               ativo_certificado=atual.certificado_id)


def test_after_emission_the_buyer_can_resend_the_holders_link(app, client, demo, ac_demo,
                                                              outbox):
    login(client, "123.456.789-09", "demo12345")
    with db.connection_context():
        numero = Certificado.get(Certificado.titular_cpf == CARLA_CPF).numero
    page = client.get(f"/certificados/{numero}")
    assert "Reenviar link" in text(page)
    chave = re.search(r'name="chave" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    assert client.post(f"/certificados/{numero}/reenviar",
                       data={"chave": chave}).status_code == 303
    [mensagem] = outbox
    assert mensagem.to == ["carla@example.com"]
    assert mensagem.subject == "Seu certificado está pronto" and "/t/" in mensagem.body
