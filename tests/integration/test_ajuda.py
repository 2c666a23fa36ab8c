"""Ajuda (frequent questions with search) and Ajuda Interativa (the guided journey)."""
import re

from models import Boleto, Certificado, Conta, Email, ProcessoCompra, Termo, db
from services.pagamento import pagamentos
from services.nucleo.ciclo_de_vida import Ator
from relogio import hoje
from tests.support.http import htmx_headers, login, text
from tests.support.solicitacao import VALIDOS, enviar_documento, versao


# --- Ajuda -------------------------------------------------------------------------------


def termos_de(numero):
    """The termos of one certificate (the demo data has others)."""
    return Termo.select().join(Certificado).where(Certificado.numero == numero)

def test_help_lists_the_questions_with_links_to_their_screens(client, demo):
    page = client.get("/ajuda/")
    assert page.status_code == 200
    body, html = text(page), page.get_data(as_text=True)
    assert "Como tiro a segunda via?" in body and "Gerar novo Boleto" in body
    assert "Preenchi informações erradas" in body and "Solicitar Certificado" in body
    assert '<a href="/pedidos/processos">Consulta Processos de Compra</a>' in html
    assert 'href="/ajuda/interativa"' in html


def test_help_is_in_the_menu_and_the_home_page_offers_ajuda_interativa(maria):
    assert '<a href="/ajuda/">Ajuda</a>' in maria.get("/").get_data(as_text=True)
    assert '<a class="atalho" href="/ajuda/interativa">Ajuda Interativa</a>' in \
        maria.get("/").get_data(as_text=True)


def test_help_search_without_javascript_filters_the_list(client, demo):
    body = text(client.get("/ajuda/?q=boleto"))
    assert "1 resposta encontrada" in body and "segunda via" in body
    assert "Posso corrigir?" not in body


def test_help_search_with_htmx_swaps_only_the_list(client, demo):
    response = client.get("/ajuda/?q=corrigir", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Posso corrigir?" in html
    assert "HX-Request" in response.headers["Vary"]


def test_help_search_without_results_says_so(client, demo):
    assert "Nenhuma resposta para “xyzzy”" in text(client.get("/ajuda/?q=xyzzy"))


# --- Ajuda Interativa ---------------------------------------------------------------------

def test_ajuda_interativa_needs_sign_in(client, demo):
    response = client.get("/ajuda/interativa")
    assert response.status_code == 303 and "/entrar" in response.location


def livre(app):
    with db.connection_context():
        return Certificado.get(Certificado.situacao == "disponivel").numero


def test_one_free_certificate_goes_straight_to_step_1_prefilled(app, maria):
    response = maria.get("/ajuda/interativa")
    numero = livre(app)
    assert response.location.endswith(f"/ajuda/interativa/{numero}/atribuir")
    page = maria.get(response.location)
    body, html = text(page), page.get_data(as_text=True)
    assert "Etapa 1 de 9" in body and "Atribuir o certificado" in body
    assert 'value="123.456.789-09"' in html and 'value="maria@example.com"' in html
    assert "Cada certificado pertence a uma pessoa" in body  # the explanation beside it


def test_several_certificates_ask_which_one_first(app, maria):
    with app.app_context(), db.connection_context():
        processo = ProcessoCompra.get((ProcessoCompra.quantidade == 2)
                                      & (ProcessoCompra.comprador == Conta.get(
                                          Conta.cpf == "12345678909")))
        boleto = Boleto.get(Boleto.processo == processo.id)
        pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje(), "agente",
                                     "teste-ajuda", Ator("Agente"))
    page = maria.get("/ajuda/interativa")
    assert page.status_code == 200
    body = text(page)
    assert "Com qual certificado vamos continuar?" in body
    assert body.count("Pendente de atribuição") == 3
    escolhido = livre(app)
    response = maria.get(f"/ajuda/interativa?numero={escolhido}")
    assert response.location.endswith(f"/ajuda/interativa/{escolhido}/atribuir")


def test_someone_elses_certificate_is_404(app, client, demo):
    numero = livre(app)
    login(client, "111.444.777-35", "demo12345")
    assert client.get(f"/ajuda/interativa?numero={numero}").status_code == 404
    assert client.get(f"/ajuda/interativa/{numero}/atribuir").status_code == 404


def ocultos(client, numero):
    """The one-time key and the version step 1's form carries."""
    html = client.get(f"/ajuda/interativa/{numero}/atribuir").get_data(as_text=True)
    return dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', html))


def atribuir(client, numero, **dados):
    """Step 1 posted as the browser would."""
    return client.post(f"/ajuda/interativa/{numero}/atribuir",
                       data={**ocultos(client, numero), **dados})


def test_bad_cpf_at_step_1_is_shown_at_the_field(app, maria):
    numero = livre(app)
    response = atribuir(maria, numero, cpf="111.111.111-11", email="maria@example.com")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<a href="#cpf">CPF inválido.</a>' in html and 'value="maria@example.com"' in html
    with db.connection_context():
        assert Certificado.get(Certificado.numero == numero).situacao == "disponivel"


def test_a_cpf_already_holding_a_certificate_of_the_purchase_is_refused(app, maria):
    numero = livre(app)
    response = atribuir(maria, numero, cpf="529.982.247-25", email="x@example.com")
    assert response.status_code == 422
    assert "já é titular de outro certificado" in text(response)


def test_assigning_to_someone_else_ends_the_journey_saying_they_got_an_email(app, maria):
    numero = livre(app)
    response = atribuir(maria, numero, cpf="222.333.666-38", email="pedro@example.com")
    assert response.location.endswith(f"/ajuda/interativa/{numero}/atribuido")
    body = text(maria.get(response.location))
    assert "pe***@example.com" in body and "link pessoal" in body
    with db.connection_context():
        assert Email.get(Email.destinatario == "pedro@example.com")
        assert Certificado.get(Certificado.numero == numero).situacao == "atribuido"


def test_a_double_submit_of_step_1_assigns_once(app, maria):
    numero = livre(app)
    dados = {**ocultos(maria, numero), "cpf": "222.333.666-38", "email": "pedro@example.com"}
    primeiro = maria.post(f"/ajuda/interativa/{numero}/atribuir", data=dados)
    segundo = maria.post(f"/ajuda/interativa/{numero}/atribuir", data=dados)
    assert primeiro.status_code == segundo.status_code == 303
    assert primeiro.location == segundo.location
    with db.connection_context():
        assert Email.select().where(Email.destinatario == "pedro@example.com").count() == 1


def test_step_1_left_open_while_the_certificate_changed_is_refused(app, maria):
    numero = livre(app)
    velho = ocultos(maria, numero)
    assert atribuir(maria, numero, cpf="222.333.666-38",
                    email="pedro@example.com").status_code == 303
    response = maria.post(f"/ajuda/interativa/{numero}/atribuir",
                          data={**velho, "cpf": "123.456.789-09", "email": "maria@example.com"})
    assert response.status_code == 409
    assert "foi alterado" in text(response)
    with db.connection_context():
        assert Certificado.get(Certificado.numero == numero).titular_cpf == "22233366638"


def test_the_whole_guided_journey_for_the_buyer_who_is_the_holder(app, maria):
    numero = livre(app)
    response = atribuir(maria, numero, cpf="123.456.789-09", email="maria@example.com")
    assert response.location.endswith(f"/solicitacao/{numero}/?guia=1")
    response = maria.get(response.location)
    assert response.location.endswith(f"/solicitacao/{numero}/dados?guia=1")
    for n, etapa in enumerate(VALIDOS, start=2):
        url = f"/solicitacao/{numero}/{etapa}?guia=1"
        page = maria.get(url)
        body = text(page)
        assert f"Etapa {n} de 9" in body and "Ajuda Interativa" in body
        assert 'class="explicacao"' in page.get_data(as_text=True)
        dados = {**VALIDOS[etapa], "nome": "Maria da Silva"} if etapa == "dados" else VALIDOS[etapa]
        response = maria.post(url, data={**dados, "versao": versao(maria, url)})
        assert response.status_code == 303 and "guia=1" in response.location
    # "Confira seus dados" sends the holder to the photo of the document first.
    response = maria.get(response.location)
    assert response.location.endswith(f"/solicitacao/{numero}/documentos?guia=1")
    assert "Etapa 6 de 9" in text(maria.get(response.location))
    response = enviar_documento(maria, numero, query_string={"guia": "1"})
    assert response.location.endswith(f"/solicitacao/{numero}/confira?guia=1")
    assert "Etapa 7 de 9" in text(maria.get(response.location))
    response = maria.post(response.location,
                          data={"versao": versao(maria, response.location)})
    assert response.location.endswith("/termo?guia=1")
    assert "Etapa 8 de 9" in text(maria.get(response.location))
    response = maria.post(response.location, data={"termo_versao": "1", "concordo": "y"})
    assert response.location.endswith("/enviada?guia=1")
    body = text(maria.get(response.location))
    assert "Emissão solicitada" in body and "Agendar videoconferência" in body
    with db.connection_context():
        assert Certificado.get(Certificado.numero == numero).situacao == "solicitado"
        assert termos_de(numero).get().aceito_em is not None


def test_guided_journey_resumes_where_it_stopped(app, maria):
    numero = livre(app)
    atribuir(maria, numero, cpf="123.456.789-09", email="maria@example.com")
    url = f"/solicitacao/{numero}/dados?guia=1"
    maria.post(url, data={**VALIDOS["dados"], "versao": versao(maria, url)})
    response = maria.get("/ajuda/interativa")
    assert response.location.endswith(f"/solicitacao/{numero}/?guia=1")
    assert maria.get(response.location).location.endswith("/contato?guia=1")
