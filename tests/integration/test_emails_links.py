"""Every link in every e-mail leads to a page of the portal: the addresses come from the URL
map at BASE_URL, so renaming a route can never leave an e-mail pointing nowhere."""
import os
import re
from datetime import date
from types import SimpleNamespace as Amostra
from urllib.parse import urlsplit

import pytest
from flask import render_template
from werkzeug.exceptions import HTTPException

from services.agendamento import avisos
from services.agendamento import reservas
from services.nucleo.correio import url_externa

PASTA = os.path.join(os.path.dirname(__file__), "..", "..", "templates", "emails")
MODELOS = sorted(f for f in os.listdir(PASTA) if not f.startswith("_"))


def contexto(modelo=""):
    """What the senders pass, with the links the services build themselves (in person: the
    ponto, its address and map, only for the in-person confirmation, so the other e-mails are
    checked as by videoconference)."""
    processo = Amostra(numero="2026000001", quantidade=2, total_centavos=30000)
    boleto = Amostra(id=1, numero_documento="2026000001-1", valor_centavos=30000,
                     vencimento=date(2026, 12, 10), linha_digitavel="0" * 47,
                     pix_copia_e_cola="000201")
    return {
        "assunto": "Assunto", "nome": "Ana", "nome_responsavel": "Maria", "motivo": "Foto",
        "conta": Amostra(nome="Maria"), "produto": Amostra(nome="e-CPF A1"),
        "processo": processo, "boleto": boleto, "anterior": boleto,
        "pagamento": Amostra(valor_centavos=30000, data_pagamento=date(2026, 12, 1)),
        "certificado": Amostra(numero="2026000001-01"), "original": date(2026, 12, 1),
        "termo": Amostra(versao=1, codigo_verificacao="ABCD"), "correcao": False,
        "nota": Amostra(numero="123"),
        "quando": Amostra(dia_semana="segunda-feira", data="07/12/2026", hora="10:00"),
        "tipo": "agendado", "caso": "valor", "horas": 24, "validade_dias": 30,
        "primeiro_acesso": True, "prazo_alteracao": "1 hora",
        "dias": 30, "valido_ate": date(2027, 12, 1), "comprador": True,
        "tenha_em_maos": avisos.TENHA_EM_MAOS,
        "link": url_externa("titular.link", token="token"),
        "pagina": url_externa("agendamento.inicio", numero="2026000001-01"),
        "link_reuniao": reservas.sala("codigo"),
        **({"ponto": Amostra(nome="AR Centro"), "endereco": "Rua A, 1 - Centro, Brasília - DF",
            "mapa": MAPA + "Rua+A"} if modelo.startswith("agendamento_presencial") else {}),
    }


# In person, the address's map: the one address outside the portal, on purpose.
MAPA = "https://www.openstreetmap.org/search?query="


def enderecos(corpo):
    return re.findall(r"https?://[^\s\"<>]+", corpo)


@pytest.mark.parametrize("modelo", MODELOS)
def test_every_link_in_an_email_opens_a_page_of_the_portal(app, modelo):
    with app.app_context():  # jobs render e-mails outside any request
        corpo = render_template(f"emails/{modelo}", **contexto(modelo))
    adaptador = app.url_map.bind("portal.test")
    for endereco in enderecos(corpo):
        if endereco.startswith(MAPA):
            continue
        partes = urlsplit(endereco.rstrip("."))
        assert f"{partes.scheme}://{partes.netloc}" == app.config["BASE_URL"], endereco
        try:
            adaptador.match(partes.path, method="GET")
        except HTTPException as erro:
            pytest.fail(f"{modelo}: {endereco} não abre nenhuma página ({erro.code})")


def test_links_follow_base_url_even_outside_a_request(app):
    app.config["BASE_URL"] = "https://cliente.exemplo.gov.br/portal"
    with app.app_context():
        assert (url_externa("pedidos.processo", numero="2026000001")
                == "https://cliente.exemplo.gov.br/portal/pedidos/processos/2026000001")
        assert (url_externa("auth.definir_senha_link", token="abc", next="/solicite-agora/")
                == "https://cliente.exemplo.gov.br/portal/definir-senha/abc"
                   "?next=/solicite-agora/")
