"""Buying as a public body: "Gerar proposta" in Solicite agora (a PDF addressed to the CNPJ,
valid 30 days), the Propostas page, "Contratar esta proposta" (once, at its price, while
valid) with the nota de empenho (number and PDF), and the Gestor's correction until paid."""
import io
import re
import threading
from datetime import timedelta

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart
from werkzeug.security import generate_password_hash

from models import (Boleto, Conta, Contratante, EmpenhoPdf, Evento, ProcessoCompra, Produto,
                    Proposta)
from services.contratantes import papeis, vinculos
from services.nucleo.ciclo_de_vida import SISTEMA
from services.pagamento import pagamentos
from relogio import hoje
from tests.support.ambiente import AGORA
from tests.support.http import login, text

PREFEITURA = "11222333000181"


def gerar(client, quantidade="3"):
    return client.post("/solicite-agora/", data={"quantidade": quantidade, "acao": "proposta"})


def proposta_gerada(client, quantidade="3"):
    resposta = gerar(client, quantidade)
    assert resposta.status_code == 303, text(resposta)
    return Proposta.get_by_id(int(resposta.headers["Location"].rsplit("/", 1)[1]))


def contratar(client, proposta, empenho="", arquivo=None):
    campos = MultiDict([("empenho", empenho)])
    if arquivo is not None:
        campos.add("arquivo", FileStorage(io.BytesIO(arquivo[1]), arquivo[0]))
    # Encoded in memory: the test client would spool a large body to a file left open.
    limite, corpo = encode_multipart(campos)
    return client.post(f"/propostas/{proposta.id}/contratar", data=corpo,
                       content_type=f"multipart/form-data; boundary={limite}")


def texto_pdf(dados):
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(dados)).pages)
                    .split())


def compras_da(proposta):
    return ProcessoCompra.select().where(
        ProcessoCompra.id.in_(Proposta.select(Proposta.processo)
                              .where(Proposta.id == proposta.id))).count()


def membro(papel, cpf="52998224725"):
    """A new person with `papel` in the Prefeitura (active), who signs in with demo12345."""
    conta = Conta.create(cpf=cpf, nome="Paula Nunes", email="paula@example.com",
                         senha_hash=generate_password_hash("demo12345"))
    vinculos.entrar(conta, Contratante.get(Contratante.documento == PREFEITURA), papel)
    return conta


# --- Gerar proposta -----------------------------------------------------------------------

def test_an_organisation_may_choose_gerar_proposta_instead_of_buying(maria, dbconn):
    pagina = text(maria.get("/solicite-agora/"))
    assert "Continuar" in pagina and "Gerar proposta" in pagina


def test_jose_buying_for_himself_keeps_todays_flow_without_gerar_proposta(client, dbconn, demo):
    login(client, "111.444.777-35", "demo12345")
    assert "Gerar proposta" not in text(client.get("/solicite-agora/"))
    resposta = gerar(client)
    assert resposta.status_code == 422
    assert "A proposta comercial é para organizações" in text(resposta)
    assert Proposta.select().count() == 0


def test_a_proposta_is_addressed_to_the_cnpj_for_30_days(maria, dbconn):
    proposta = proposta_gerada(maria)
    pagina = text(maria.get(f"/propostas/{proposta.id}"))
    assert proposta.valida_ate == hoje() + timedelta(days=30)
    validade = proposta.valida_ate.strftime("%d/%m/%Y")
    assert re.fullmatch(r"P2026\d{6}", proposta.numero)
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", proposta.codigo_verificacao)
    assert f"Proposta {proposta.numero}" in pagina and "Aberta" in pagina
    assert "Prefeitura Municipal de Exemplo (CNPJ 11.222.333/0001-81)" in pagina
    assert "R$ 150,00" in pagina and "R$ 450,00" in pagina and f"Válida até {validade}" in pagina
    assert Evento.get(Evento.tipo == "proposta.gerada").contratante.documento == PREFEITURA


def test_the_proposta_pdf_shows_cnpj_address_quantity_prices_validity_seller_and_conditions(
        maria, dbconn):
    proposta = proposta_gerada(maria)
    resposta = maria.get(f"/propostas/{proposta.id}/proposta.pdf")
    assert resposta.status_code == 200 and resposta.mimetype == "application/pdf"
    pdf = texto_pdf(resposta.data)
    for esperado in (f"Proposta comercial nº {proposta.numero}", "11.222.333/0001-81",
                     "Prefeitura Municipal de Exemplo", proposta.destinatario_endereco,
                     "Certificado Digital e-CPF A1 (1 ano)", " 3 ", "R$ 150,00", "R$ 450,00",
                     f"válida até {proposta.valida_ate:%d/%m/%Y} (30 dias)",
                     "Autoridade de Registro Demonstração", "33.683.111/0001-07",
                     "vencimento em 3 dias úteis após a contratação",
                     "após o reconhecimento do pagamento", proposta.codigo_verificacao):
        assert esperado in pdf, esperado


def test_the_proposta_pdf_downloads_again_the_same(maria, dbconn):
    proposta = proposta_gerada(maria)
    primeiro = maria.get(f"/propostas/{proposta.id}/proposta.pdf").data
    assert maria.get(f"/propostas/{proposta.id}/proposta.pdf").data == primeiro


@pytest.mark.parametrize("quantidade", ["0", "101"])
def test_a_proposta_for_0_or_above_the_maximum_is_refused_at_the_field(maria, dbconn,
                                                                        quantidade):
    resposta = gerar(maria, quantidade)
    assert resposta.status_code == 422
    assert 'id="quantidade-erro"' in resposta.get_data(as_text=True)
    assert "de 1 a 100 certificados" in text(resposta)
    assert Proposta.select().count() == 0


def test_propostas_page_lists_number_date_quantity_total_validity_and_situacao(maria, dbconn):
    proposta = proposta_gerada(maria, "2")
    pagina = maria.get("/propostas/")
    html, visivel = pagina.get_data(as_text=True), text(pagina)
    for esperado in (proposta.numero, hoje().strftime("%d/%m/%Y"), "R$ 300,00",
                     proposta.valida_ate.strftime("%d/%m/%Y"), "Aberta", "Baixar PDF"):
        assert esperado in visivel, esperado
    assert f"/propostas/{proposta.id}/proposta.pdf?acesso=" in html


def test_the_menu_has_propostas_after_financeiro(maria, dbconn):
    html = maria.get("/").get_data(as_text=True)
    assert html.index('href="/financeiro/"') < html.index('href="/propostas/"')


def test_another_contratantes_proposta_is_not_found(client, maria, dbconn):
    proposta = proposta_gerada(maria)
    maria.post("/sair")
    login(client, "111.444.777-35", "demo12345")
    assert client.get(f"/propostas/{proposta.id}").status_code == 404
    assert client.get(f"/propostas/{proposta.id}/proposta.pdf").status_code == 404
    assert contratar(client, proposta).status_code == 404


# --- Contratar esta proposta ------------------------------------------------------------

def test_contratar_makes_the_purchase_at_the_proposta_price(maria, dbconn, outbox):
    proposta = proposta_gerada(maria)
    Produto.update(preco_centavos=20000).execute()  # the price changed since
    resposta = contratar(maria, proposta)
    assert resposta.status_code == 303 and "/financeiro/boletos/" in resposta.headers["Location"]
    processo = ProcessoCompra.get_by_id(Proposta.get_by_id(proposta.id).processo_id)
    assert (processo.quantidade, processo.valor_unitario_centavos, processo.total_centavos) == (
        3, 15000, 45000)
    assert processo.contratante.documento == PREFEITURA
    assert Boleto.get(Boleto.processo == processo.id).valor_centavos == 45000
    pagina = text(maria.get(f"/propostas/{proposta.id}"))
    assert "Contratada" in pagina and processo.numero in pagina
    assert "Contratar esta proposta" not in pagina


def test_the_same_proposta_contracted_twice_makes_one_purchase(maria, dbconn):
    proposta = proposta_gerada(maria)
    antes = ProcessoCompra.select().count()
    primeira = contratar(maria, proposta)
    segunda = contratar(maria, proposta)
    assert segunda.status_code == 303
    assert segunda.headers["Location"] == primeira.headers["Location"]
    assert "já tinha sido contratada" in text(maria.get(segunda.headers["Location"]))
    assert ProcessoCompra.select().count() == antes + 1


def test_two_contracting_at_the_same_instant_make_one_purchase(app, demo):
    from models import db

    clientes = []
    for cpf in ("123.456.789-09", "258.369.147-37"):  # Maria (Gestor), Carlos (Compras)
        client = app.test_client()
        assert login(client, cpf, "demo12345").status_code == 303
        clientes.append(client)
    with app.app_context(), db.connection_context():
        proposta = proposta_gerada(clientes[0])
        antes = ProcessoCompra.select().count()
    largada = threading.Barrier(len(clientes))
    respostas = [None] * len(clientes)

    def contratar_junto(i, client):
        largada.wait()
        respostas[i] = contratar(client, proposta, empenho=f"2026NE00000{i}")

    threads = [threading.Thread(target=contratar_junto, args=(i, c))
               for i, c in enumerate(clientes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [r.status_code for r in respostas] == [303, 303]
    assert respostas[0].headers["Location"] == respostas[1].headers["Location"]
    with app.app_context(), db.connection_context():
        assert compras_da(proposta) == 1 and ProcessoCompra.select().count() == antes + 1


def test_an_expired_proposta_says_so_and_offers_a_new_one(maria, dbconn, relogio):
    proposta = proposta_gerada(maria)
    relogio.agora = AGORA + timedelta(days=60)
    pagina = text(maria.get(f"/propostas/{proposta.id}"))
    assert "Vencida" in pagina and "venceu em" in pagina and "Gerar nova proposta" in pagina
    assert "Contratar esta proposta" not in pagina
    resposta = contratar(maria, proposta)
    assert resposta.status_code == 409 and "não pode mais ser contratada" in text(resposta)
    assert compras_da(proposta) == 0
    nova = maria.post(f"/propostas/{proposta.id}/nova")
    assert nova.status_code == 303
    ultima = Proposta.select().order_by(Proposta.id.desc()).get()
    assert ultima.id != proposta.id and ultima.quantidade == 3
    assert ultima.valida_ate == (AGORA + timedelta(days=90)).date()


# --- nota de empenho ------------------------------------------------------------------

def test_the_empenho_number_goes_to_the_andamento_the_boleto_and_the_purchase(maria, dbconn):
    proposta = proposta_gerada(maria)
    resposta = contratar(maria, proposta, empenho=" 2026NE000123 ")
    processo = ProcessoCompra.get_by_id(Proposta.get_by_id(proposta.id).processo_id)
    assert processo.empenho == "2026NE000123"  # what the nota fiscal reads
    andamento = text(maria.get(f"/pedidos/processos/{processo.numero}"))
    assert "Nota de empenho informada" in andamento and "2026NE000123" in andamento
    boleto_id = resposta.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    pdf = texto_pdf(maria.get(f"/financeiro/boletos/{boleto_id}/boleto.pdf").data)
    assert "Nota de empenho 2026NE000123" in pdf


@pytest.mark.parametrize("empenho, mensagem", [
    ("2026NE" + "0" * 25, "no máximo 30 caracteres"),
    ("2026NE\x07123", "caracteres invisíveis ou de controle"),
    ("<script>", "só letras, números"),
])
def test_a_bad_empenho_number_is_refused_and_nothing_is_bought(maria, dbconn, empenho,
                                                                mensagem):
    proposta = proposta_gerada(maria)
    resposta = contratar(maria, proposta, empenho=empenho)
    assert resposta.status_code == 422
    assert mensagem in text(resposta) and 'id="empenho-erro"' in resposta.get_data(as_text=True)
    assert compras_da(proposta) == 0 and Proposta.get_by_id(proposta.id).situacao == "aberta"


def test_the_empenho_pdf_is_kept_and_served_to_the_organisations_members(client, maria,
                                                                          dbconn):
    proposta = proposta_gerada(maria)
    um_pdf = maria.get(f"/propostas/{proposta.id}/proposta.pdf").data
    contratar(maria, proposta, empenho="2026NE000123", arquivo=("NE 123.pdf", um_pdf))
    assert EmpenhoPdf.select().count() == 1
    resposta = maria.get(f"/propostas/{proposta.id}/empenho.pdf")
    assert resposta.data == um_pdf and "attachment" in resposta.headers["Content-Disposition"]
    assert "baixar o PDF" in text(maria.get(f"/propostas/{proposta.id}"))
    maria.post("/sair")
    login(client, "111.444.777-35", "demo12345")
    assert client.get(f"/propostas/{proposta.id}/empenho.pdf").status_code == 404


@pytest.mark.parametrize("arquivo, mensagem", [
    (b"<html><body>nota</body></html>", "não é um PDF"),
    (b"%PDF-1.7\nnada aqui", "parece danificado"),
    (b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024), "passa de 2 MB"),
])
def test_an_empenho_file_that_is_not_a_pdf_is_refused_and_nothing_is_bought(
        maria, dbconn, arquivo, mensagem):
    proposta = proposta_gerada(maria)
    resposta = contratar(maria, proposta, empenho="2026NE1", arquivo=("nota.pdf", arquivo))
    assert resposta.status_code in (413, 422)
    assert mensagem in text(resposta)
    assert compras_da(proposta) == 0 and EmpenhoPdf.select().count() == 0


def test_a_gestor_corrects_the_empenho_until_payment_each_change_an_event(maria, dbconn):
    proposta = proposta_gerada(maria)
    resposta = contratar(maria, proposta, empenho="2026NE000123")
    boleto_id = resposta.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    corrigida = maria.post(f"/propostas/{proposta.id}/empenho", data={"empenho": "2026NE000999"})
    assert corrigida.status_code == 303
    processo = ProcessoCompra.get_by_id(Proposta.get_by_id(proposta.id).processo_id)
    assert processo.empenho == "2026NE000999"
    evento = Evento.get(Evento.tipo == "empenho.corrigido")
    assert (evento.de, evento.para) == ("2026NE000123", "2026NE000999")
    pdf = texto_pdf(maria.get(f"/financeiro/boletos/{boleto_id}/boleto.pdf").data)
    assert "Nota de empenho 2026NE000999" in pdf
    assert "Nota de empenho corrigida" in text(maria.get(f"/pedidos/processos/{processo.numero}"))


def test_the_empenho_cannot_be_corrected_after_payment(maria, dbconn):
    proposta = proposta_gerada(maria)
    contratar(maria, proposta, empenho="2026NE000123")
    processo = ProcessoCompra.get_by_id(Proposta.get_by_id(proposta.id).processo_id)
    boleto = Boleto.get(Boleto.processo == processo.id)
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje(), "agente",
                                    "teste-empenho", SISTEMA, avisar=False)
    assert "Corrigir a nota de empenho" not in text(maria.get(f"/propostas/{proposta.id}"))
    resposta = maria.post(f"/propostas/{proposta.id}/empenho", data={"empenho": "2026NE9"})
    assert resposta.status_code == 409 and "já foi reconhecido" in text(resposta)
    assert ProcessoCompra.get_by_id(processo.id).empenho == "2026NE000123"
    assert Evento.select().where(Evento.tipo == "empenho.corrigido").count() == 0


def test_compras_e_financeiro_contracts_but_only_a_gestor_corrects(client, maria, dbconn):
    proposta = proposta_gerada(maria)
    maria.post("/sair")
    login(client, "258.369.147-37", "demo12345")  # Carlos
    assert contratar(client, proposta, empenho="2026NE1").status_code == 303
    assert "Corrigir a nota de empenho" not in text(client.get(f"/propostas/{proposta.id}"))
    resposta = client.post(f"/propostas/{proposta.id}/empenho", data={"empenho": "2026NE2"})
    assert resposta.status_code == 403


def test_a_consulta_member_sees_propostas_but_no_action(client, maria, dbconn):
    proposta = proposta_gerada(maria)
    maria.post("/sair")
    membro(papeis.CONSULTA)
    login(client, "529.982.247-25", "demo12345")
    assert proposta.numero in text(client.get("/propostas/"))
    pagina = text(client.get(f"/propostas/{proposta.id}"))
    assert "Baixar a proposta (PDF)" in pagina and "Contratar esta proposta" not in pagina
    assert client.get(f"/propostas/{proposta.id}/proposta.pdf").status_code == 200
    assert contratar(client, proposta).status_code == 403
    assert gerar(client).status_code == 403
    assert client.post(f"/propostas/{proposta.id}/nova").status_code == 403
    assert compras_da(proposta) == 0
