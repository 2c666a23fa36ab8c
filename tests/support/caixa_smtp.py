"""A real SMTP server (aiosmtpd) on a free port for browser journeys that read e-mails.

Import `smtp` and `e2e_config` into a test module to point its served app at it.
"""
import email
import re
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller

from tests.support.ambiente import TEST_CONFIG


class Caixa:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.mensagens = []

    async def handle_DATA(self, server, session, envelope):
        self.mensagens.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def link_para(self, destinatario, caminho=r"/t/[A-Za-z0-9_-]+", depois_de=0, espera=10):
        """The path of the link matching `caminho` in the newest plain-text message to
        `destinatario` after the first `depois_de` messages (waits a little for delivery)."""
        limite = time.monotonic() + espera
        while time.monotonic() < limite:
            for mensagem in reversed(self.mensagens[depois_de:]):
                if mensagem["To"] == destinatario:
                    texto = mensagem.get_body(preferencelist=("plain",)).get_content()
                    return re.search(rf"https?://[^/\s]+({caminho})", texto).group(1)
            time.sleep(0.05)
        raise AssertionError(f"nenhum e-mail para {destinatario}")


def porta_livre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    caixa = Caixa()
    controller = Controller(caixa, hostname="127.0.0.1", port=porta_livre())
    controller.start()
    caixa.porta = controller.port
    yield caixa
    controller.stop()


@pytest.fixture
def e2e_config(smtp):
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.porta}
