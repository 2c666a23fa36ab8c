"""Manual, answer 5, literally: Solicitação de Certificado Digital → Situação "Todos" →
"Gerenciar" → "Solicitar Certificado" → fill again; the correction needs a new termo."""
from playwright.sync_api import expect

from models import Termo, db
from tests.support.agendamento import certificado_solicitado
from tests.support.navegador import entrar, no_horizontal_scroll


def test_buyer_corrects_the_request_by_the_manuals_path(phone, server):
    with server.app.app_context(), db.connection_context():
        certificado, _ = certificado_solicitado(cpf="12345678909", email="maria@example.com",
                                                nome="Maria da Silva")
    numero = certificado.numero

    entrar(phone)
    phone.get_by_role("link", name="Solicitação de Certificado Digital").first.click()
    phone.get_by_role("link", name="Gerenciar Certificados").click()
    phone.get_by_label("Situação").select_option(label="Todos")
    if not phone.js:
        phone.get_by_role("button", name="Filtrar").click()
    gerenciar = phone.get_by_role("link", name=f"Gerenciar certificado {numero}")
    gerenciar.click()
    expect(phone.get_by_role("heading", name="Atribuir/Gerenciar Certificado Digital")).to_be_visible()
    phone.get_by_role("link", name="Solicitar Certificado").click()

    expect(phone.get_by_role("heading", name="Confira seus dados")).to_be_visible()
    phone.get_by_role("link", name="Alterar contato").click()
    phone.get_by_label("Celular").fill("(61) 98888-7777")
    phone.get_by_role("button", name="Continuar").click()
    expect(phone.get_by_role("heading", name="Confira seus dados")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("(61) 98888-7777")
    phone.get_by_role("button", name="Gerar termo de titularidade").click()
    phone.get_by_label("Li e concordo").check()
    phone.get_by_role("button", name="Enviar solicitação").click()
    expect(phone.get_by_role("heading", name="Emissão solicitada")).to_be_visible()
    assert no_horizontal_scroll(phone)
    with db.connection_context():
        versoes = [t.versao for t in Termo.select().where(
            (Termo.certificado == certificado.id) & Termo.aceito_em.is_null(False))
            .order_by(Termo.versao)]
    assert versoes == [1, 2]
