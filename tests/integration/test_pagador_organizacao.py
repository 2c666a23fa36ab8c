"""Buying as the organisation: the boleto's pagador is the Prefeitura (razão social, CNPJ and
address) on the PDF, in Financeiro and beside the PIX; the confirmation says for whom the
purchase is; the holder's e-mails and page name the organisation. A person buying for
themself still pays in their own name."""
import io
import re

from pypdf import PdfReader

from models import Certificado, db
from tests.support import financeiro as helpers
from tests.support.http import login, text

PREFEITURA = "Prefeitura Municipal de Exemplo"
CNPJ = "CNPJ 11.222.333/0001-81"
ENDERECO = "Praça da Sé, 100 - Sé - São Paulo/SP - CEP 01001-000"


def pdf_text(client, boleto):
    pdf = client.get(f"/financeiro/boletos/{boleto.id}/boleto.pdf").data
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def boleto(cpf=helpers.MARIA_CPF):
    with db.connection_context():
        return helpers.boleto_em_dia(cpf)


def jose(client):
    assert login(client, "111.444.777-35", "demo12345").status_code == 303
    return client


# --- the boleto --------------------------------------------------------------------------

def test_the_organisations_boleto_names_its_razao_social_cnpj_and_address(maria):
    pagina = pdf_text(maria, boleto())
    assert f"{PREFEITURA} - {CNPJ}" in pagina
    assert ENDERECO in pagina
    assert "Maria da Silva" not in pagina and "***.456.789-**" not in pagina


def test_the_pix_section_of_the_pdf_says_who_the_pagador_is(maria):
    assert f"Pagador: {PREFEITURA} - {CNPJ}" in pdf_text(maria, boleto())


def test_a_person_buying_for_themself_is_still_the_pagador(client, demo):
    pagina = pdf_text(jose(client), boleto(helpers.JOSE_CPF))
    assert "José Pereira - CPF ***.444.777-**" in pagina
    assert "CNPJ 11.222" not in pagina and "CEP" not in pagina


# --- Financeiro ----------------------------------------------------------------------------

def test_financeiro_shows_the_pagador_of_each_boleto(maria):
    pagina = text(maria.get("/financeiro/"))
    assert pagina.count(f"Pagador {PREFEITURA} — {CNPJ}") == 4


def test_financeiro_of_a_person_shows_their_name_and_masked_cpf(client, demo):
    assert "Pagador José Pereira — CPF ***.444.777-**" in text(jose(client).get("/financeiro/"))


def test_the_boleto_page_shows_the_pagador_with_the_address_and_beside_the_pix(maria):
    pagina = text(maria.get(f"/financeiro/boletos/{boleto().id}"))
    assert f"Pagador {PREFEITURA} — {CNPJ} {ENDERECO}" in pagina
    # The BR Code has no payer field: the page says whose it is next to "copia e cola".
    assert f"Pagador: {PREFEITURA} — {CNPJ}" in pagina


# --- Solicite agora ------------------------------------------------------------------------

def test_the_confirmation_says_for_whom_the_purchase_is(maria):
    pagina = text(maria.get("/solicite-agora/confirmar?quantidade=1"))
    assert f"Compra para {PREFEITURA} ({CNPJ})" in pagina
    assert f"o boleto, em nome de {PREFEITURA} com o CNPJ e o endereço cadastrados" in pagina


def test_a_persons_confirmation_has_no_organisation(client, demo):
    pagina = text(jose(client).get("/solicite-agora/confirmar?quantidade=1"))
    assert "Compra para" not in pagina and "José Pereira" in pagina


# --- the holder ----------------------------------------------------------------------------

def atribuir(client, numero, cpf="222.333.666-38", email="nova@example.com"):
    url = f"/certificados/{numero}/atribuir"
    html = client.get(url).get_data(as_text=True)
    ocultos = dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', html))
    return client.post(url, data={**ocultos, "cpf": cpf, "email": email,
                                  "email_confirmacao": email})


def disponivel():
    with db.connection_context():
        return Certificado.get(Certificado.situacao == "disponivel")


def link_do_email(message):
    return re.search(r"http://portal\.test(/t/[A-Za-z0-9_-]+)", message.body).group(1)


def test_the_holders_link_email_names_the_organisation(maria, outbox):
    assert atribuir(maria, disponivel().numero).status_code == 303
    [mensagem] = outbox
    assert f"Maria da Silva, de {PREFEITURA}, atribuiu a você" in mensagem.body
    [(html, _)] = mensagem.alternatives
    assert f"Maria da Silva, de {PREFEITURA}, atribuiu a você" in html


def test_the_old_holder_is_told_who_reassigned(maria, outbox):
    numero = disponivel().numero
    atribuir(maria, numero)
    url = f"/certificados/{numero}/reatribuir"
    html = maria.get(url).get_data(as_text=True)
    ocultos = dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', html))
    maria.post(url, data={**ocultos, "cpf": "987.654.321-00", "email": "outra@example.com",
                          "email_confirmacao": "outra@example.com"})
    aviso = next(m for m in outbox if m.to == ["nova@example.com"] and "outra pessoa" in m.body)
    assert f"Maria da Silva, de {PREFEITURA}, atribuiu o certificado" in aviso.body
    assert f"fale com Maria da Silva, de {PREFEITURA}." in aviso.body


def test_the_holders_page_says_the_organisation_bought_the_certificate(maria, outbox, client):
    atribuir(maria, disponivel().numero)
    maria.post("/sair")
    pagina = text(client.get(link_do_email(outbox[0]), follow_redirects=True))
    assert f"Certificado comprado por {PREFEITURA}" in pagina
    assert f"Atribuído por Maria da Silva ({PREFEITURA})" in pagina


def test_a_persons_holder_email_and_page_name_only_the_person(app, client, demo, outbox):
    with app.app_context(), db.connection_context():
        numero = helpers.compra_paga(app, 1, helpers.JOSE_CPF).certificados.get().numero
    assert atribuir(jose(client), numero).status_code == 303
    [mensagem] = outbox
    assert "José Pereira atribuiu a você" in mensagem.body
    client.post("/sair")
    pagina = text(client.get(link_do_email(mensagem), follow_redirects=True))
    assert "comprado por" not in pagina
    assert "Atribuído por José Pereira (responsável pela contratação)" in pagina
