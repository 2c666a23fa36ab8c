""""Testar meu certificado": the page signs the portal's challenge with the key of the .pfx it
opened and sends only the certificate and the signature; the portal says whether it works or
exactly why not. Here the holder's side is done in Python, as static/js/testar.js does it."""
import base64
import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID

from models import Certificado, db
from relogio import segundos_reais
from services.certificacao import ac, perfil_ecpf
from services.titular import atribuicoes, links
from tests.support.http import text
from tests.support.requisicao import certificados, emitir, nova_chave

CARLA_CPF = "39053344705"  # demo: Maria's purchase A, certificate issued to Carla


@pytest.fixture
def carla(app, demo, ac_demo, client):
    """A browser on Carla's personal link, her certificate issued over a key of her own:
    returns (number, key, certificate PEM)."""
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.titular_cpf == CARLA_CPF)
        token = links.emitir(atribuicoes.ativa(certificado), 30)
    assert client.get(f"/t/{token}").status_code == 303
    chave = nova_chave()
    response = emitir(client, certificado.numero, chave)
    assert response.status_code == 201, response.get_json()
    cert, _ = certificados(response)
    return certificado.numero, chave, cert.public_bytes(serialization.Encoding.PEM).decode()


def desafio(client, numero):
    page = client.get(f"/titular/{numero}/testar").get_data(as_text=True)
    return unescape(re.search(r'data-desafio="([^"]+)"', page).group(1))


def assinar(chave, texto):
    return base64.b64encode(chave.sign(texto.encode(), padding.PKCS1v15(),
                                       hashes.SHA256())).decode()


def enviar(client, numero, chave, pem, texto=None):
    texto = texto or desafio(client, numero)
    return client.post(f"/titular/{numero}/testar",
                       data={"certificado": pem, "assinatura": assinar(chave, texto)})


def test_the_page_opens_the_file_here_and_needs_no_upload(client, carla):
    numero, _, _ = carla
    html = client.get(f"/titular/{numero}/testar").get_data(as_text=True)
    assert "vendor/forge.min.js" in html and "js/testar.js" in html
    assert 'id="arquivo"' in html and 'id="senha"' in html
    assert 'name="arquivo"' not in html and 'name="senha"' not in html
    assert 'enctype="multipart/form-data"' not in html
    assert "precisa de JavaScript" in text(client.get(f"/titular/{numero}/testar"))
    assert "/validar/" in html


def test_a_signature_of_the_challenge_with_the_holders_key_works(client, carla):
    numero, chave, pem = carla
    response = enviar(client, numero, chave, pem)
    assert response.status_code == 200
    page = text(response)
    assert "Seu certificado funciona" in page and "CARLA MENDES ROCHA" in page
    assert "390.533.447-05" in page and "OK até a “AC Raiz de Demonstração”" in page


def test_another_key_does_not_match_the_certificate(client, carla):
    numero, _, pem = carla
    response = enviar(client, numero, nova_chave(), pem)
    assert response.status_code == 422
    assert "A assinatura não confere com o certificado" in text(response)
    assert text(response).startswith("Erro: ")


def test_a_revoked_certificate_is_refused(client, carla):
    numero, chave, pem = carla
    client.post(f"/titular/{numero}/revogar", data={"motivo": "key_compromise", "confirmo": "y"})
    response = enviar(client, numero, chave, pem)
    assert response.status_code == 422 and "foi revogado em" in text(response)


def test_another_holders_certificate_is_refused(app, client, carla):
    numero, _, _ = carla
    chave = nova_chave()
    with app.app_context():
        maria = ac.demonstracao(app.config).emitir(chave.public_key(), perfil_ecpf.DadosTitular(
            nome="Maria da Silva", cpf="12345678909", email="maria@example.com",
            nascimento=date(1980, 1, 1)))
    response = enviar(client, numero, chave, maria.public_bytes(serialization.Encoding.PEM)
                      .decode())
    assert response.status_code == 422 and "certificado de outro titular" in text(response)


def test_a_certificate_from_another_ca_is_refused(client, carla):
    numero, chave, _ = carla
    nome = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CARLA MENDES ROCHA:39053344705")])
    agora = datetime.fromtimestamp(segundos_reais())
    proprio = (x509.CertificateBuilder().subject_name(nome).issuer_name(nome)
               .public_key(chave.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(agora - timedelta(days=1))
               .not_valid_after(agora + timedelta(days=30)).sign(chave, hashes.SHA256()))
    response = enviar(client, numero, chave, proprio.public_bytes(serialization.Encoding.PEM)
                      .decode())
    assert response.status_code == 422
    assert "não foi emitido pela AC de demonstração" in text(response)


def test_a_challenge_is_used_once(client, carla):
    numero, chave, pem = carla
    texto = desafio(client, numero)
    sessao = client.get_cookie("session").value
    assert enviar(client, numero, chave, pem, texto).status_code == 200
    client.set_cookie("session", sessao)  # the cookie that still holds the used challenge
    response = enviar(client, numero, chave, pem, texto)
    assert response.status_code == 422 and "já foi usado" in text(response)


def test_a_challenge_expires(client, carla, relogio):
    numero, chave, pem = carla
    texto = desafio(client, numero)
    relogio.agora = relogio.agora + timedelta(minutes=11)
    response = enviar(client, numero, chave, pem, texto)
    assert response.status_code == 422 and "O teste expirou (10 minutos)" in text(response)


def test_without_a_certificate_the_page_says_what_to_do(client, carla):
    numero, _, _ = carla
    desafio(client, numero)
    response = client.post(f"/titular/{numero}/testar", data={})
    assert response.status_code == 422 and "não enviou o certificado" in text(response)
