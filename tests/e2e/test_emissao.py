"""From "Aprovar e emitir" to the downloaded .pfx, on a phone with JavaScript on and off:
the agent approves, the holder opens the e-mail's link, creates the password and downloads."""
import re

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from playwright.sync_api import expect

from tests.support.ambiente import AC_SENHA, TEST_CONFIG
from tests.support.navegador import entrar, no_horizontal_scroll
from tests.e2e.test_agendamento import demo_agendada, mensagens

SENHA = "Correto-Cavalo-9"


@pytest.fixture
def e2e_config(ac_demo):
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "AGENDA_ACAO_AGENTE_MINUTOS": 60 * 24 * 30,
            "AC_DIR": ac_demo, "AC_CHAVE_SENHA": AC_SENHA}


def test_from_approval_to_the_downloaded_certificate(phone, server, tmp_path):
    inicio, processo, nome = demo_agendada()
    entrar(phone, "987.654.321-00", "agente12345")
    with server.app.app_context():
        from models import Agendamento, db

        with db.connection_context():
            agendamento = Agendamento.select().where(Agendamento.situacao == "ativo").get()
    phone.goto(f"/agenda/{agendamento.id}")
    phone.get_by_role("button", name="Aprovar e emitir").click()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Certificado aprovado e emitido")
    phone.get_by_role("button", name="Sair").click()

    [mensagem] = mensagens(server, "roberto@example.com", "Seu certificado está pronto")
    link = re.search(r"http://\S+/t/\S+", mensagem.body).group(0).replace(
        "http://portal.test", server.url)
    phone.goto(link)
    expect(phone.get_by_text("não é ICP-Brasil").first).to_be_visible()
    phone.get_by_role("link", name="Baixar meu certificado").click()
    expect(phone.get_by_role("heading", name="Baixar meu certificado")).to_be_visible()
    assert no_horizontal_scroll(phone)

    phone.get_by_label("Crie a senha do certificado").fill("abcdefgh")
    if phone.js:
        expect(phone.locator("#senha-forca")).to_have_text("Força da senha: fraca.")
    phone.get_by_label("Digite a senha de novo").fill("abcdefgh")
    phone.get_by_role("button", name="Baixar meu certificado").click()
    expect(phone.locator("#senha-erro")).to_contain_text("Senha fraca")

    phone.get_by_label("Crie a senha do certificado").fill(SENHA)
    if phone.js:
        expect(phone.locator("#senha-forca")).to_have_text("Força da senha: forte.")
    phone.get_by_label("Digite a senha de novo").fill(SENHA)
    with phone.expect_download() as baixando:
        phone.get_by_role("button", name="Baixar meu certificado").click()
    download = baixando.value
    assert download.suggested_filename == "roberto-alves-lima.pfx"
    destino = tmp_path / download.suggested_filename
    download.save_as(destino)
    _, cert, cadeia = pkcs12.load_key_and_certificates(destino.read_bytes(), SENHA.encode())
    assert cert.subject.rfc4514_string().startswith("CN=ROBERTO ALVES LIMA:22233366638")
    assert len(cadeia) == 2

    phone.goto(phone.url)  # back on the page: the one download is spent
    expect(phone.get_by_text("já foi baixado")).to_be_visible()
    expect(phone.get_by_role("link", name="Revogar e emitir novamente")).to_be_visible()
