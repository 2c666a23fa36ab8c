"""The certificate the rules allow (issue 23): two CRL distribution points, both served; OCSP
that answers good, revoked and unknown, checked by `openssl ocsp` against the issuer; one
year of validity capped at the A1 end date (Res. CG ICP-Brasil 211/2024), said before
purchase and emission; and "Renovar", which needs a new identification."""
import base64
import re
import subprocess
from datetime import date, datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID

from models import Certificado, CertificadoX509, ProcessoCompra, Solicitacao, db
from relogio import TZ, hoje, segundos_reais
from services.agendamento import reservas
from services.nucleo.ciclo_de_vida import Ator
from services.pagamento import pagamentos
from services.titular import atribuicoes, links
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.ambiente import AGORA
from tests.support.http import login, text
from tests.support.navegador import LiveServer

CARLA_CPF = "39053344705"  # demo: Maria's purchase A, approved, not downloaded yet
EM_2028 = datetime(2028, 6, 1, 9, 0, tzinfo=TZ)  # a year from here passes 02/03/2029
FIM_A1 = datetime(2029, 3, 2, 3, 0, tzinfo=timezone.utc)  # 00:00 of 02/03/2029 in Brasília


@pytest.fixture(scope="module")
def chave():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def carla(app, client):
    """Open Carla's personal link in `client` (at the clock's time); her certificate number."""
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.titular_cpf == CARLA_CPF)
        token = links.emitir(atribuicoes.ativa(certificado), 30)
    assert client.get(f"/t/{token}").status_code == 303
    return certificado.numero


def emitir(client, numero, chave):
    """Issue over the holder's own key (the CSR path); returns (cert, emissora, raiz)."""
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                       f"CARLA MENDES ROCHA:{CARLA_CPF}")]))
           .sign(chave, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode())
    response = client.post(f"/titular/{numero}/csr", data={"csr": csr})
    assert response.status_code == 200, text(response)
    return x509.load_pem_x509_certificates(response.data)


def revogar(client, numero):
    response = client.post(f"/titular/{numero}/revogar",
                           data={"motivo": "key_compromise", "confirmo": "y"})
    assert response.status_code == 303


def gravar(pasta, **certificados):
    for nome, cert in certificados.items():
        (pasta / f"{nome}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def openssl_ocsp(pasta, *argumentos, quando):
    """`openssl ocsp` verifying against the demo root at `quando` (the chain's time, which
    the test clock may have moved); returns (stdout, stderr)."""
    feito = subprocess.run(
        ["openssl", "ocsp", "-issuer", str(pasta / "emissora.pem"), "-CAfile",
         str(pasta / "raiz.pem"), "-attime", str(int(quando.timestamp())), *argumentos],
        capture_output=True, text=True, timeout=30)
    assert feito.returncode == 0, feito.stderr
    return feito.stdout, feito.stderr


def instante_da_cadeia(*certs):
    return max(c.not_valid_before_utc for c in certs) + timedelta(minutes=1)


# --- two CRL distribution points ------------------------------------------------------------

def test_the_certificate_names_two_crl_urls_and_both_serve_the_current_crl(
        app, demo, ac_demo, client, chave):
    cert, emissora, _ = emitir(client, carla(app, client), chave)
    pontos = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    urls = [p.full_name[0].value for p in pontos]
    assert urls == ["http://portal.test/ac/lcr.crl", "http://portal.test/ac/lcr2.crl"]
    primeira, segunda = (client.get(url.removeprefix("http://portal.test")) for url in urls)
    assert primeira.status_code == segunda.status_code == 200
    assert segunda.headers["Content-Type"] == "application/pkix-crl"
    assert primeira.data == segunda.data
    assert x509.load_der_x509_crl(segunda.data).is_signature_valid(emissora.public_key())


def test_the_second_crl_url_can_be_another_host(app, demo, ac_demo, client, chave):
    app.config["LCR_URL_SECUNDARIA"] = "http://espelho.test/lcr/emissora.crl"
    cert, _, _ = emitir(client, carla(app, client), chave)
    pontos = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [p.full_name[0].value for p in pontos] == [
        "http://portal.test/ac/lcr.crl", "http://espelho.test/lcr/emissora.crl"]


# --- OCSP ----------------------------------------------------------------------------------

def test_openssl_ocsp_says_good_then_revoked_and_verifies_the_answer_against_the_issuer(
        app, demo, ac_demo, client, chave, relogio, tmp_path):
    relogio.agora = datetime.fromtimestamp(segundos_reais(), timezone.utc)  # openssl checks the answer's time for real
    numero = carla(app, client)
    cert, emissora, raiz = emitir(client, numero, chave)
    gravar(tmp_path, carla=cert, emissora=emissora, raiz=raiz)
    quando = instante_da_cadeia(cert, emissora, raiz)
    servidor = LiveServer(app).start()
    try:
        pedido = ["-cert", str(tmp_path / "carla.pem"), "-url", f"{servidor.url}/ac/ocsp"]
        saida, erros = openssl_ocsp(tmp_path, *pedido, quando=quando)
        assert "Response verify OK" in erros
        assert f"{tmp_path / 'carla.pem'}: good" in saida
        revogar(client, numero)
        saida, erros = openssl_ocsp(tmp_path, *pedido, "-resp_text", quando=quando)
    finally:
        servidor.stop()
    assert "Response verify OK" in erros
    assert f"{tmp_path / 'carla.pem'}: revoked" in saida
    assert "Reason: keyCompromise" in saida and "Revocation Time:" in saida
    assert "OCSP Nonce" in saida  # echoed: the answer is for this request


def test_ocsp_says_unknown_for_a_serial_this_ac_never_issued(app, demo, ac_demo, client, chave,
                                                             relogio, tmp_path):
    relogio.agora = datetime.fromtimestamp(segundos_reais(), timezone.utc)
    cert, emissora, raiz = emitir(client, carla(app, client), chave)
    gravar(tmp_path, emissora=emissora, raiz=raiz)
    requisicao, resposta = tmp_path / "pedido.der", tmp_path / "resposta.der"
    subprocess.run(["openssl", "ocsp", "-issuer", str(tmp_path / "emissora.pem"), "-serial",
                    f"0x{cert.serial_number + 1:x}", "-reqout", str(requisicao)],
                   check=True, capture_output=True, timeout=30)
    # GET with the request in base64 in the path (RFC 6960, appendix A.1).
    response = client.get("/ac/ocsp/" + base64.b64encode(requisicao.read_bytes()).decode())
    assert response.headers["Content-Type"] == "application/ocsp-response"
    resposta.write_bytes(response.data)
    saida, erros = openssl_ocsp(tmp_path, "-reqin", str(requisicao), "-respin", str(resposta),
                                "-resp_text", quando=instante_da_cadeia(cert, emissora, raiz))
    assert "Response verify OK" in erros and "Cert Status: unknown" in saida
    lida = ocsp.load_der_ocsp_response(response.data)
    assert lida.certificate_status == ocsp.OCSPCertStatus.UNKNOWN
    assert lida.serial_number == cert.serial_number + 1


def test_an_oversized_or_garbled_ocsp_request_is_malformed(app, demo, ac_demo, client):
    grande = client.post("/ac/ocsp", data=b"0" * 10_001,
                         headers={"Content-Type": "application/ocsp-request"})
    nao_base64 = client.get("/ac/ocsp/isto-nao-e-base64!")
    for response in (grande, nao_base64):
        assert response.status_code == 200
        assert ocsp.load_der_ocsp_response(response.data).response_status == \
            ocsp.OCSPResponseStatus.MALFORMED_REQUEST


# --- validity: one year, never past the A1 end date ------------------------------------------

def test_today_a_year_fits_and_the_pages_say_one_year(app, demo, ac_demo, client, chave, relogio):
    assert "válido por 12 meses" in text(client.get("/solicite-agora/"))
    numero = carla(app, client)
    assert "e-CPF A1, validade de 1 ano" in text(client.get(f"/titular/{numero}"))
    cert, _, _ = emitir(client, numero, chave)
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == timedelta(days=365)


def test_in_2028_the_a1_end_date_caps_the_validity_and_is_said_before_purchase_and_emission(
        app, demo, ac_demo, client, chave, relogio, outbox):
    relogio.agora = EM_2028
    produto = text(client.get("/solicite-agora/"))
    assert "válido até 02/03/2029" in produto and "Resolução CG ICP-Brasil 211/2024" in produto
    login(client, "123.456.789-09", "demo12345")
    confirmar = text(client.get("/solicite-agora/confirmar?quantidade=1"))
    assert "Validade Até 02/03/2029" in confirmar

    numero = carla(app, client)
    assert "e-CPF A1, válido até 02/03/2029" in text(client.get(f"/titular/{numero}"))
    cert, _, _ = emitir(client, numero, chave)
    assert cert.not_valid_before_utc == EM_2028.astimezone(timezone.utc)
    assert cert.not_valid_after_utc == FIM_A1
    pagina = text(client.get(f"/titular/{numero}"))
    assert "Válido até 02/03/2029" in pagina and "válido até 02/03/2029" in pagina

    login(client, "123.456.789-09", "demo12345")
    gerenciar = client.get(f"/certificados/{numero}").get_data(as_text=True)
    ocultos = dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', gerenciar))
    assert client.post(f"/certificados/{numero}/reenviar", data=ocultos).status_code == 303
    [pronto] = [m for m in outbox if m.subject == "Seu certificado está pronto"]
    assert "O certificado vale até 02/03/2029, não 1 ano" in pronto.body


def test_the_end_date_is_one_setting_and_the_approval_email_says_it(app, demo, ac_demo, agente,
                                                                    relogio, outbox):
    app.config["A1_FIM"] = date(2027, 6, 1)  # before a year from AGORA
    with app.app_context(), db.connection_context():
        certificado, _ = certificado_solicitado(nome="Beatriz Costa")
        agendamento = reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA,
                                       Ator("Beatriz Costa (titular)"), app.config)
    relogio.agora = sp(2026, 12, 22, 10)
    assert agente.post(f"/agenda/{agendamento.id}/aprovar").status_code == 303
    [pronto] = [m for m in outbox if m.subject == "Seu certificado está pronto"]
    assert "O certificado vale até 01/06/2027, não 1 ano" in pronto.body


def test_after_the_a1_end_date_nothing_is_issued(app, demo, ac_demo, client, chave, relogio):
    relogio.agora = datetime(2029, 3, 2, 9, 0, tzinfo=TZ)
    numero = carla(app, client)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                       f"CARLA MENDES ROCHA:{CARLA_CPF}")]))
           .sign(chave, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode())
    response = client.post(f"/titular/{numero}/csr", data={"csr": csr})
    assert response.status_code == 422
    assert "O e-CPF A1 não pode mais ser emitido" in text(response)
    with db.connection_context():
        assert not CertificadoX509.select().join(Certificado).where(
            Certificado.numero == numero).exists()


# --- renewal by the rules ---------------------------------------------------------------------

def test_renovar_says_before_purchase_that_a_new_identification_is_needed(app, demo, ac_demo,
                                                                          client, chave):
    numero = carla(app, client)
    emitir(client, numero, chave)
    login(client, "123.456.789-09", "demo12345")
    assert "nova identificação (videoconferência ou presencial)" in \
        text(client.get(f"/certificados/{numero}"))
    for pagina in (f"/solicite-agora/?renovar={numero}",
                   f"/solicite-agora/confirmar?quantidade=1&renovar={numero}"):
        aviso = text(client.get(pagina))
        assert "uma nova identificação do titular , por videoconferência ou presencial" in aviso
        assert "um certificado A1 não pode assinar a própria renovação" in aviso


def test_the_renewal_request_opens_prefilled_from_the_last_one(app, demo, ac_demo, client, chave):
    numero = carla(app, client)
    emitir(client, numero, chave)
    login(client, "123.456.789-09", "demo12345")
    pagina = client.get(f"/solicite-agora/confirmar?quantidade=1&renovar={numero}")
    chave_form = re.search(r'name="chave" type="hidden" value="([0-9a-f]{32})"',
                           pagina.get_data(as_text=True)).group(1)
    assert client.post("/solicite-agora/confirmar", data={
        "quantidade": "1", "renovar": numero, "chave": chave_form}).status_code == 303
    with app.app_context(), db.connection_context():
        anterior = Certificado.get(Certificado.numero == numero)
        processo = ProcessoCompra.get(ProcessoCompra.renova_id == anterior.id)
        boleto = processo.boletos.get()
        pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje(), "agente",
                                        "renovacao-1", Ator("Agente"))
        novo = processo.certificados.get()
        velha = Solicitacao.get((Solicitacao.certificado == anterior.id)
                                & Solicitacao.enviada_em.is_null(False))
        rascunho = Solicitacao.get(Solicitacao.certificado == novo.id)
    assert rascunho.enviada_em is None and rascunho.elegivel_video is None
    assert (rascunho.nome, rascunho.data_nascimento, rascunho.cep, rascunho.doc_numero) == \
        (velha.nome, velha.data_nascimento, velha.cep, velha.doc_numero)
    assert rascunho.email == "carla@example.com"
