""""Solicite agora": product page, quantity, login, confirm once, boleto on screen and by e-mail."""
import re

import pytest

from models import Boleto, Email, ProcessoCompra, db
from tests.support.http import login, text


def chave_da_pagina(response):
    return re.search(r'name="chave" type="hidden" value="([0-9a-f]{32})"',
                     response.get_data(as_text=True)).group(1)


def test_product_page_shows_price_what_it_is_and_next_steps(client, demo):
    page = text(client.get("/solicite-agora/"))
    assert "Solicite agora" in page
    assert "Certificado Digital e-CPF A1" in page and "R$ 150,00" in page
    assert "Próximos passos" in page and "videoconferência" in page
    assert "Quantidade de certificados" in page


def test_menu_offers_solicite_agora_to_everyone(client, demo):
    assert 'href="/solicite-agora/"' in client.get("/entrar").get_data(as_text=True)


def test_anonymous_visitor_goes_to_login_and_comes_back_to_confirm(client, demo):
    response = client.post("/solicite-agora/", data={"quantidade": "3"})
    assert response.status_code == 303
    response = client.get(response.headers["Location"])
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/entrar?next=")
    assert "quantidade%3D3" in response.headers["Location"]
    response = client.post(response.headers["Location"],
                           data={"cpf": "123.456.789-09", "senha": "demo12345"})
    assert response.headers["Location"] == "/solicite-agora/confirmar?quantidade=3"
    page = text(client.get(response.headers["Location"]))
    assert "Confirme a compra" in page and "R$ 450,00" in page


@pytest.mark.parametrize("typed, message", [
    ("0", "de 1 a 100"),
    ("101", "de 1 a 100"),
    ("abc", "em números"),
    ("", "Informe a quantidade"),
    ("-1", "em números"),
])
def test_bad_quantity_is_refused_at_the_field_and_kept(maria, typed, message):
    response = maria.post("/solicite-agora/", data={"quantidade": typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in text(response)
    assert f'value="{typed}"' in html or (typed == "" and 'id="quantidade"' in html)
    assert 'aria-invalid="true"' in html
    assert text(response).startswith("Erro: ")


def test_quantity_forged_in_the_confirm_address_is_refused(maria):
    response = maria.get("/solicite-agora/confirmar?quantidade=500")
    assert response.status_code == 422
    assert "de 1 a 100" in text(response)


def test_quantity_forged_in_the_confirm_form_is_refused(maria):
    chave = chave_da_pagina(maria.get("/solicite-agora/confirmar?quantidade=1"))
    response = maria.post("/solicite-agora/confirmar", data={"quantidade": "0", "chave": chave})
    assert response.status_code == 422
    with db.connection_context():
        assert not ProcessoCompra.select().where(ProcessoCompra.chave_idempotencia == chave).exists()


def test_missing_idempotency_key_buys_nothing(maria):
    with db.connection_context():
        antes = ProcessoCompra.select().count()
    response = maria.post("/solicite-agora/confirmar", data={"quantidade": "1", "chave": "x"})
    assert response.status_code == 422
    assert "confirme de novo" in text(response)
    with db.connection_context():
        assert ProcessoCompra.select().count() == antes


def test_confirm_creates_the_purchase_and_shows_its_boleto(maria, app):
    page = maria.get("/solicite-agora/confirmar?quantidade=2")
    chave = chave_da_pagina(page)
    response = maria.post("/solicite-agora/confirmar", data={"quantidade": "2", "chave": chave})
    assert response.status_code == 303
    assert re.fullmatch(r"/financeiro/boletos/\d+", response.headers["Location"])
    boleto_page = maria.get(response.headers["Location"])
    page_text = text(boleto_page)
    assert "R$ 300,00" in page_text and "Linha digitável" in page_text
    assert "registrada" in page_text
    with db.connection_context():
        processo = ProcessoCompra.get(ProcessoCompra.chave_idempotencia == chave)
        assert processo.quantidade == 2 and processo.situacao == "aguardando_pagamento"
        boleto = Boleto.get(Boleto.processo == processo.id)
        assert boleto.linha_digitavel[:5] in page_text.replace(".", "")
    [message] = [m for m in app.extensions["mailman"].outbox if processo.numero in m.subject]
    assert message.to == ["maria@example.com"]
    [(nome, conteudo, tipo)] = message.attachments
    assert tipo == "application/pdf" and conteudo.startswith(b"%PDF")


def test_double_submit_buys_once(maria):
    chave = chave_da_pagina(maria.get("/solicite-agora/confirmar?quantidade=1"))
    primeiro = maria.post("/solicite-agora/confirmar", data={"quantidade": "1", "chave": chave})
    segundo = maria.post("/solicite-agora/confirmar", data={"quantidade": "1", "chave": chave})
    assert primeiro.headers["Location"] == segundo.headers["Location"]
    assert "nada foi comprado de novo" in text(maria.get(segundo.headers["Location"]))
    with db.connection_context():
        assert ProcessoCompra.select().where(ProcessoCompra.chave_idempotencia == chave).count() == 1
        assert Email.select().where(Email.assunto.contains("seu boleto")).count() == 1


def test_each_confirm_page_gets_its_own_key(maria):
    a = chave_da_pagina(maria.get("/solicite-agora/confirmar?quantidade=1"))
    b = chave_da_pagina(maria.get("/solicite-agora/confirmar?quantidade=1"))
    assert a != b


def test_another_buyers_key_does_not_show_their_purchase(client, demo):
    login(client, "123.456.789-09", "demo12345")
    chave = chave_da_pagina(client.get("/solicite-agora/confirmar?quantidade=1"))
    client.post("/solicite-agora/confirmar", data={"quantidade": "1", "chave": chave})
    client.post("/sair")
    login(client, "111.444.777-35", "demo12345")
    response = client.post("/solicite-agora/confirmar", data={"quantidade": "1", "chave": chave})
    assert response.status_code == 422
    assert "não é seu" in text(response)
