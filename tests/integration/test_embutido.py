"""Inside a host site's frame: PDFs open in a new tab without the frame's session (signed,
short-lived addresses), and a frame that cannot keep a session is told so."""
import re
import time

import pytest

from web import pdf_assinado
from models import Boleto, Conta, ProcessoCompra, db
from tests.support.solicitacao import gerar_termo, novo_link, preencher


def link_pdf(html, rotulo):
    """The href of the link labelled `rotulo` (HTML-escaped ampersands undone)."""
    href = re.search(r'href="([^"]+)"[^>]*>' + re.escape(rotulo), html).group(1)
    return href.replace("&amp;", "&")


def boletos_de_maria():
    with db.connection_context():
        return list(Boleto.select().join(ProcessoCompra)
                    .where(ProcessoCompra.comprador == Conta.get(Conta.cpf == "12345678909"))
                    .order_by(Boleto.id))


@pytest.fixture
def boleto_pdf(maria):
    boleto = boletos_de_maria()[0]
    html = maria.get(f"/financeiro/boletos/{boleto.id}").get_data(as_text=True)
    return boleto, link_pdf(html, "Visualizar boleto (PDF)")


def test_the_boleto_pdf_opens_in_a_tab_without_the_session(app, boleto_pdf):
    boleto, url = boleto_pdf
    nova_aba = app.test_client()  # no cookie, as a top-level tab opened from the frame
    response = nova_aba.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    # Without the signature the session is required, as before.
    response = nova_aba.get(url.split("?")[0])
    assert response.status_code == 303 and "/entrar" in response.location


def test_a_signature_opens_only_its_own_pdf(app, boleto_pdf):
    boleto, url = boleto_pdf
    outro = boletos_de_maria()[1]
    assinatura = url.split("?", 1)[1]
    response = app.test_client().get(f"/financeiro/boletos/{outro.id}/boleto.pdf?{assinatura}")
    assert response.status_code == 303 and "/entrar" in response.location
    adulterada = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    assert app.test_client().get(adulterada).status_code == 303


def test_a_signed_pdf_address_expires(app, boleto_pdf, monkeypatch):
    _, url = boleto_pdf
    monkeypatch.setattr(pdf_assinado, "PDF_MINUTOS", 0)
    time.sleep(1.1)
    assert app.test_client().get(url).status_code == 303


def test_the_termo_pdf_opens_in_a_tab_without_the_holders_session(app, client, demo):
    numero, token = novo_link(app)
    client.get(f"/t/{token}")
    preencher(client, numero)
    gerar_termo(client, numero)
    html = client.get(f"/solicitacao/{numero}/termo").get_data(as_text=True)
    url = link_pdf(html, "Abrir o termo em PDF")
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert app.test_client().get(url.split("?")[0]).status_code == 404


QUADRO = {"Sec-Fetch-Dest": "iframe"}


def test_a_frame_that_keeps_the_cookie_passes_the_probe(client, demo):
    page = client.get("/entrar", headers=QUADRO).get_data(as_text=True)
    assert re.search(r'id="quadro-sem-sessao"[^>]*hidden', page)  # shown only if refused
    assert client.get("/quadro/sessao").get_json() == {"sessao": True}


def test_a_frame_that_keeps_no_cookie_fails_the_probe(app, client, demo):
    client.get("/entrar", headers=QUADRO)
    assert app.test_client().get("/quadro/sessao").get_json() == {"sessao": False}


class TestSemCookie:
    @pytest.fixture
    def config_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_without_javascript_the_refused_form_offers_a_new_tab(self, app, demo):
        quadro = app.test_client(use_cookies=False)
        html = quadro.get("/entrar", headers=QUADRO).get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        response = quadro.post("/entrar", headers=QUADRO, data={
            "csrf_token": csrf, "cpf": "123.456.789-09", "senha": "demo12345"})
        assert response.status_code == 400
        pagina = response.get_data(as_text=True)
        assert "não guarda os cookies" in pagina and "Recarregue" not in pagina
        assert re.search(r'id="quadro-sem-sessao"[^>]*>', pagina).group(0).count("hidden") == 0
        assert 'href="/entrar" target="_blank"' in pagina and "Abrir em nova aba" in pagina

    def test_top_level_the_expired_form_still_says_reload(self, app, demo):
        response = app.test_client(use_cookies=False).post("/entrar", data={
            "cpf": "123.456.789-09", "senha": "demo12345"})
        assert response.status_code == 400 and "Recarregue" in response.get_data(as_text=True)


def test_the_icon_and_a_description_are_there_for_every_page(client, demo):
    icone = client.get("/favicon.ico")
    assert icone.status_code == 200 and icone.mimetype == "image/svg+xml"
    pagina = client.get("/entrar").get_data(as_text=True)
    assert re.search(r'<meta name="description" content="[^"]{50,}">', pagina)
    assert 'rel="icon"' in pagina


def test_the_agents_termo_pdf_opens_in_a_tab_without_the_session(app, agente):
    from models import Agendamento

    with db.connection_context():
        agendamento = Agendamento.get(Agendamento.situacao == "ativo")
    html = agente.get(f"/agenda/{agendamento.id}").get_data(as_text=True)
    url = link_pdf(html, "Termo de titularidade (PDF)")
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert app.test_client().get(url.split("?")[0]).status_code == 303
    assert agente.get(url.split("?")[0]).status_code == 200
