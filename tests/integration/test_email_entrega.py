"""How e-mails leave: without MAIL_SERVER each message is an .eml file in the outbox folder;
with a failing SMTP server the action stands and the andamento says the e-mail failed."""
import email
import email.header
import email.policy
import re
import socket

import pytest

from configuracao import ambiente
from models import Certificado, Conta, Email, ProcessoCompra, db
from tests.support.http import login, text


def certificado_disponivel():
    with db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        return (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                .where((ProcessoCompra.comprador == maria)
                       & (Certificado.situacao == "disponivel")).get())


def atribuir(client, numero):
    url = f"/certificados/{numero}/atribuir"
    html = client.get(url).get_data(as_text=True)
    ocultos = dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', html))
    return client.post(url, data={**ocultos, "cpf": "222.333.666-38", "email": "ana@example.com",
                                  "email_confirmacao": "ana@example.com"})


def test_without_mail_server_messages_are_saved_as_eml_in_the_instance_outbox(monkeypatch,
                                                                               tmp_path):
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    config = ambiente.from_environment(str(tmp_path))
    assert config["MAIL_BACKEND"] == "services.nucleo.correio_eml.EmailBackend"
    assert config["MAIL_FILE_PATH"] == str(tmp_path / "outbox")


class TestEml:
    @pytest.fixture
    def config_overrides(self, tmp_path):
        return {"MAIL_BACKEND": "services.nucleo.correio_eml.EmailBackend",
                "MAIL_FILE_PATH": str(tmp_path / "outbox")}

    def test_an_assignment_leaves_a_readable_eml_file(self, client, demo, tmp_path):
        login(client, "123.456.789-09", "demo12345")
        certificado = certificado_disponivel()
        assert atribuir(client, certificado.numero).status_code == 303
        arquivos = list((tmp_path / "outbox").glob("*.eml"))
        assert len(arquivos) == 1
        mensagem = email.message_from_bytes(arquivos[0].read_bytes())
        assert mensagem["To"] == "ana@example.com"
        corpo = next(p for p in mensagem.walk() if p.get_content_type() == "text/plain")
        assert "http://portal.test/t/" in corpo.get_payload(decode=True).decode()

    def test_subjects_decode_exactly_as_written(self, client, demo, tmp_path):
        """No leading space, however the reader decodes the encoded header."""
        login(client, "123.456.789-09", "demo12345")
        atribuir(client, certificado_disponivel().numero)
        bruto = next((tmp_path / "outbox").glob("*.eml")).read_bytes()
        esperado = "Seu Certificado Digital e-CPF A1: preencha a solicitação"
        assert email.message_from_bytes(bruto, policy=email.policy.default)["Subject"] == esperado
        cabecalho = email.message_from_bytes(bruto)["Subject"]
        assert str(email.header.make_header(email.header.decode_header(cabecalho))) == esperado


def porta_fechada():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again at once: nothing listens there


class TestSmtpFora:
    @pytest.fixture
    def config_overrides(self):
        return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": porta_fechada(),
                "MAIL_TIMEOUT": 2}

    def test_a_failed_send_keeps_the_assignment_and_shows_in_the_andamento(self, client, demo):
        login(client, "123.456.789-09", "demo12345")
        certificado = certificado_disponivel()
        assert atribuir(client, certificado.numero).status_code == 303
        with db.connection_context():
            assert Certificado.get_by_id(certificado.id).situacao == "atribuido"
            falho = Email.get(Email.certificado == certificado.id)
            assert (falho.situacao, falho.tentativas) == ("pendente", 1)  # retried later
            assert falho.erro
        andamento = text(client.get(f"/pedidos/processos/{certificado.processo.numero}"))
        andamento = andamento[andamento.index("Andamento"):]
        assert "Certificado atribuído ao titular" in andamento
        assert "Falha ao enviar e-mail" in andamento
        assert "nova tentativa em instantes" in andamento
