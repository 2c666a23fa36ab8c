"""Manual, last answer and the purchase around it, on a phone with JavaScript on and off:
Solicite agora → boleto; Financeiro → Ações → Gerar novo Boleto → terms → date → new boleto;
the agent recognises the payment → the certificates are "Pendente de atribuição"."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from models import Boleto, Conta, ProcessoCompra, db
from services.pagamento import febraban
from relogio import hoje
from tests.support.navegador import entrar, no_horizontal_scroll


def boleto_de_maria(vencido):
    with db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        dia = hoje()
        cond = Boleto.vencimento < dia if vencido else Boleto.vencimento >= dia
        return (Boleto.select().join(ProcessoCompra)
                .where((ProcessoCompra.comprador == maria.id) & (Boleto.situacao == "em_aberto")
                       & cond).get())


def test_solicite_agora_to_the_boleto(phone, server):
    phone.goto("/")
    phone.get_by_role("link", name="Solicite agora").first.click()
    expect(phone.get_by_role("heading", name="Solicite agora", exact=True)).to_be_visible()
    expect(phone.get_by_text("R$ 150,00").first).to_be_visible()

    phone.get_by_label("Quantidade de certificados").fill("abc")
    phone.get_by_role("button", name="Continuar").click()
    expect(phone.locator(".erro-resumo")).to_contain_text("em números")
    expect(phone.get_by_label("Quantidade de certificados")).to_have_value("abc")

    phone.get_by_label("Quantidade de certificados").fill("2")
    phone.get_by_role("button", name="Continuar").click()
    # Not signed in: the login brings the buyer back to the purchase.
    expect(phone.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()
    phone.get_by_label("CPF").fill("123.456.789-09")
    phone.get_by_label("Senha").fill("demo12345")
    phone.get_by_role("button", name="Entrar").click()

    expect(phone.get_by_role("heading", name="Confirme a compra")).to_be_visible()
    expect(phone.locator("dl.dados")).to_contain_text("R$ 300,00")
    with phone.expect_response(lambda r: r.request.method == "POST") as posted:
        phone.get_by_role("button", name="Confirmar compra").click()
    assert posted.value.status == 303

    expect(phone.get_by_role("heading", name=re.compile(r"^Boleto "))).to_be_visible()
    expect(phone.get_by_text(re.compile(r"Compra \d+ registrada"))).to_be_visible()
    expect(phone.locator("#linha-digitavel")).to_have_text(
        re.compile(r"^\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$"))
    expect(phone.get_by_role("img", name="QR Code PIX")).to_be_visible()
    pdf = phone.get_by_role("link", name="Visualizar boleto (PDF)")
    expect(pdf).to_have_attribute("target", "_blank")
    copiar = phone.get_by_role("button", name="Copiar linha digitável")
    if phone.js:
        expect(copiar).to_be_visible()
    else:
        expect(copiar).to_have_count(0)  # a button that cannot work is not shown
    assert no_horizontal_scroll(phone)


def test_financeiro_acoes_gerar_novo_boleto(phone, server):
    antigo = boleto_de_maria(vencido=True)
    if phone.js:
        phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    entrar(phone)
    phone.get_by_role("link", name="Financeiro").first.click()
    expect(phone.get_by_role("heading", name="Financeiro")).to_be_visible()
    linha = phone.locator(f"#boleto-{antigo.id}")
    expect(linha).to_contain_text("Vencido")

    linha.locator("summary", has_text="Ações").click()
    acoes = linha.locator("details.acoes")
    expect(acoes.get_by_role("link", name="Visualizar boleto")).to_be_visible()
    if phone.js:
        acoes.get_by_role("button", name="Copiar linha digitável").click()
        copiado = phone.evaluate("navigator.clipboard.readText()")
        assert re.sub(r"\D", "", copiado) == antigo.linha_digitavel
    else:
        acoes.get_by_role("link", name="Copiar linha digitável").click()
        expect(phone.locator("#linha-digitavel")).to_contain_text(antigo.linha_digitavel[:5])
        phone.get_by_role("link", name="Financeiro").first.click()
        linha.locator("summary", has_text="Ações").click()
    acoes.get_by_role("link", name="Gerar novo Boleto").click()

    expect(phone.get_by_role("heading", name="Gerar novo Boleto")).to_be_visible()
    expect(phone.locator(".termos")).to_contain_text("não deve mais ser pago")
    if phone.js:
        phone.evaluate("window.mesmaPagina = true")  # survives only in-place swaps
    # Submitting without accepting: the message is at the field, the date kept.
    nova = hoje() + timedelta(days=2)
    phone.get_by_label("Nova data de vencimento").fill(nova.isoformat())
    with phone.expect_response(lambda r: r.request.method == "POST") as resposta:
        phone.get_by_role("button", name="Gerar novo Boleto").click()
    assert resposta.value.status == 422
    expect(phone.locator(".erro-resumo")).to_contain_text("Aceite os termos")
    expect(phone.locator("#aceite-erro")).to_contain_text("Aceite os termos")
    expect(phone).to_have_title(re.compile(r"^Erro: Gerar novo Boleto"))
    expect(phone.get_by_label("Nova data de vencimento")).to_have_value(nova.isoformat())
    if phone.js:
        expect(phone.locator(".erro-resumo")).to_be_focused()
        assert phone.evaluate("window.mesmaPagina === true")

    phone.get_by_label("Li e aceito os termos").check()
    with phone.expect_response(lambda r: r.request.method == "POST") as resposta:
        phone.get_by_role("button", name="Gerar novo Boleto").click()
    assert resposta.value.status == 303
    expect(phone.get_by_text("Novo boleto gerado")).to_be_visible()
    with db.connection_context():
        novo = Boleto.get(Boleto.substitui == antigo.id)
    expect(phone).to_have_url(re.compile(rf"/financeiro/boletos/{novo.id}$"))
    expect(phone).to_have_title(re.compile(rf"^Boleto {novo.numero_documento}"))
    expect(phone.locator("header.topo")).to_have_count(1)  # no page nested in the page
    if phone.js:
        assert phone.evaluate("window.mesmaPagina === true")
    expect(phone.locator("dl.dados")).to_contain_text(nova.strftime("%d/%m/%Y"))
    expect(phone.locator("#linha-digitavel")).not_to_contain_text(
        febraban.format_digitable_line(antigo.linha_digitavel))

    phone.get_by_role("link", name="Financeiro").first.click()
    expect(phone.locator(f"#boleto-{antigo.id}")).to_contain_text("Substituído")
    assert no_horizontal_scroll(phone)


def test_agent_recognises_payment_and_certificates_become_assignable(phone, server):
    boleto = boleto_de_maria(vencido=False)
    with db.connection_context():
        numero = ProcessoCompra.get_by_id(boleto.processo_id).numero
    entrar(phone, "987.654.321-00", "agente12345")
    phone.get_by_role("link", name="Pagamentos").first.click()
    expect(phone.get_by_role("heading", name="Pagamentos", exact=True)).to_be_visible()
    phone.get_by_label("Nosso número ou linha digitável").fill(
        febraban.format_digitable_line(boleto.linha_digitavel))
    phone.get_by_role("button", name="Buscar").click()
    expect(phone.get_by_role("heading", name=f"Boleto {boleto.numero_documento}")).to_be_visible()
    expect(phone.get_by_label("Valor pago")).to_have_value("300,00")
    with phone.expect_response(lambda r: r.request.method == "POST") as posted:
        phone.get_by_role("button", name="Confirmar pagamento").click()
    assert posted.value.status == 303
    expect(phone.get_by_text("Pagamento reconhecido.")).to_be_visible()
    assert no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Sair").click()

    entrar(phone)
    phone.get_by_role("link", name="Meus Pedidos").first.click()
    phone.get_by_role("link", name="Consulta Processos de Compra").click()
    phone.get_by_role("link", name=numero, exact=True).click()
    expect(phone.locator(".cartoes .selo", has_text="Pendente de atribuição")).to_have_count(2)
    expect(phone.locator(".linha-do-tempo")).to_contain_text("Pagamento reconhecido")

