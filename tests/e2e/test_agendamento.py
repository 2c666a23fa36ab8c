"""The holder books the videoconference on a phone (JS on and off) and gets the e-mail with
the invitation; the agent approves it from the Agenda and the buyer sees "Emitido"."""
import re
import time
import uuid
from datetime import datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from models import Agendamento, Certificado, Horario, ProcessoCompra, Solicitacao, db
from services.agendamento import horarios
from relogio import TZ
from tests.support.agendamento import certificado_solicitado
from tests.support.ambiente import TEST_CONFIG
from tests.support.navegador import entrar, no_horizontal_scroll


@pytest.fixture
def e2e_config():
    # The agent may act long before the start, so the demo booking (on the next business
    # day, real clock) can be decided now.
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True,
            "AGENDA_ACAO_AGENTE_MINUTOS": 60 * 24 * 30}


def mensagens(server, destinatario, assunto, esperar=5):
    """Messages delivered to `destinatario` (delivery ends just after the response)."""
    fim = time.monotonic() + esperar
    while True:
        achadas = [m for m in server.app.extensions["mailman"].outbox
                   if m.to == [destinatario] and m.subject.startswith(assunto)]
        if achadas or time.monotonic() > fim:
            return achadas
        time.sleep(0.1)


def test_holder_answers_picks_a_day_and_a_time_and_gets_the_invitation(phone, server):
    email = f"titular-{uuid.uuid4().hex[:8]}@example.com"
    with server.app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(email=email, elegivel=None)

    phone.goto(f"/t/{token}")
    expect(phone.get_by_role("heading", name="Seu Certificado Digital e-CPF A1")).to_be_visible()
    phone.get_by_role("link", name="Agendar videoconferência").click()

    expect(phone.get_by_role("heading",
                             name="Você pode fazer a validação por videoconferência?")).to_be_visible()
    phone.get_by_role("button", name="Continuar").click()
    expect(phone.locator(".erro-resumo")).to_contain_text("Responda se você tem CNH")
    phone.get_by_label("Sim, tenho CNH emitida ou renovada a partir de 2017").check()
    phone.get_by_role("button", name="Continuar").click()

    expect(phone.get_by_role("heading", name="Agendar videoconferência")).to_be_visible()
    dia = phone.locator(".escolhas a").first
    rotulo = dia.inner_text()
    assert "sábado" not in rotulo and "domingo" not in rotulo
    dia.click()
    expect(phone.get_by_role("heading", name=f"Horários de {rotulo}")).to_be_visible()
    if phone.js:
        # The times came into the same page: the day list is still there.
        expect(phone.get_by_role("heading", name="Escolha o dia")).to_be_visible()
        expect(phone).to_have_url(re.compile(r"/horarios\?dia="))
    else:
        expect(phone.get_by_role("heading", name="Escolha o horário")).to_be_visible()
    assert no_horizontal_scroll(phone)

    primeiro = phone.locator(".horarios input[type=radio]").first
    valor = primeiro.get_attribute("value")
    hora = valor[-5:]
    phone.get_by_label(hora, exact=True).check()
    phone.get_by_role("button", name="Continuar").click()

    expect(phone.get_by_role("heading", name="Confirme o agendamento")).to_be_visible()
    expect(phone.locator(".dados")).to_contain_text(f"{hora} (horário de Brasília)")
    phone.get_by_role("button", name="Confirmar agendamento").click()

    expect(phone.get_by_role("heading", name="Videoconferência agendada")).to_be_visible()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Videoconferência agendada")
    expect(phone.locator(".dados")).to_contain_text(f"{hora} (horário de Brasília)")
    link = phone.locator("#link-reuniao").inner_text()
    assert "/videoconferencia/" in link
    expect(phone.get_by_role("link", name="Reagendar")).to_be_visible()
    assert no_horizontal_scroll(phone)

    [mensagem] = mensagens(server, email, "Videoconferência agendada")
    inicio = datetime.fromisoformat(valor).replace(tzinfo=TZ)
    assert f"{inicio:%d/%m/%Y}" in mensagem.body and hora in mensagem.body
    assert link in mensagem.body and "Documento de identidade original" in mensagem.body
    [(nome, conteudo, tipo)] = mensagem.attachments
    assert nome.endswith(".ics") and tipo == "text/calendar"
    evento = Calendar.from_ical(conteudo).walk("VEVENT")[0]
    assert evento.decoded("dtstart") == inicio
    assert str(evento["dtstart"].params["TZID"]) == "America/Sao_Paulo"

    with db.connection_context():
        assert Certificado.get_by_id(certificado.id).situacao == "agendado"


def demo_agendada():
    with db.connection_context():
        agendamento = (Agendamento.select(Agendamento, Horario).join(Horario)
                       .where(Agendamento.situacao == "ativo").get())
        certificado = Certificado.get_by_id(agendamento.certificado_id)
        processo = ProcessoCompra.get_by_id(certificado.processo_id)
        nome = Solicitacao.get(Solicitacao.certificado == certificado.id).nome
    return horarios.do_banco(agendamento.horario.inicio), processo.numero, nome


def test_agent_approves_from_the_agenda_and_the_buyer_sees_emitido(phone, server):
    inicio, processo, nome = demo_agendada()
    entrar(phone, "987.654.321-00", "agente12345")
    expect(phone.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    phone.get_by_role("link", name=f"{horarios.DIAS_SEMANA[inicio.weekday()]}, "
                                   f"{inicio:%d/%m/%Y}").click()
    cartao = phone.locator(".cartao", has_text=nome)
    expect(cartao).to_contain_text(f"{inicio:%H:%M}")
    expect(cartao).to_contain_text("Videoconferência agendada")
    cartao.get_by_role("link", name=re.compile("^Abrir")).click()

    expect(phone.get_by_role("heading", name=f"Videoconferência de {nome}")).to_be_visible()
    expect(phone.get_by_role("link", name="Termo de titularidade (PDF), versão 1")).to_be_visible()
    expect(phone.locator(".linha-do-tempo")).to_contain_text("Videoconferência agendada")
    assert no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Aprovar e emitir").click()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Certificado aprovado e emitido")

    phone.get_by_role("button", name="Sair").click()
    entrar(phone)
    phone.get_by_role("link", name="Meus Pedidos").first.click()
    phone.get_by_role("link", name="Consulta Processos de Compra").click()
    phone.get_by_label("ID Processo Compra (Contrato)").fill(processo)
    if not phone.js:
        phone.get_by_role("button", name="Buscar").click()
    expect(phone.locator("#resultados tbody tr")).to_have_count(1)
    phone.get_by_role("link", name=processo, exact=True).click()
    expect(phone.locator(".cartoes")).to_contain_text("Emitido")
    expect(phone.locator(".linha-do-tempo")).to_contain_text("Certificado aprovado e emitido")


def test_holder_not_eligible_books_in_person_at_a_demo_ponto_and_gets_the_address(phone, server):
    email = f"titular-{uuid.uuid4().hex[:8]}@example.com"
    with server.app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(email=email, elegivel=None)

    phone.goto(f"/t/{token}")
    phone.get_by_role("link", name="Agendar videoconferência").click()
    phone.get_by_label("Não tenho nenhum dos dois").check()
    phone.get_by_role("button", name="Continuar").click()

    expect(phone.get_by_role("heading", name="Sua validação precisa ser presencial")).to_be_visible()
    phone.get_by_role("link", name="Distrito Federal (DF)").click()
    phone.get_by_role("link", name="Brasília", exact=True).click()
    expect(phone.locator(".cartao")).to_contain_text("SCS Quadra 2")
    assert no_horizontal_scroll(phone)
    phone.get_by_role("link", name=re.compile("^Escolher este ponto")).click()

    expect(phone.get_by_role("heading", name="Agendar atendimento presencial")).to_be_visible()
    dia = phone.locator(".escolhas a").first
    rotulo = dia.inner_text()
    dia.click()
    expect(phone.get_by_role("heading", name=f"Horários de {rotulo}")).to_be_visible()
    primeiro = phone.locator(".horarios input[type=radio]").first
    valor = primeiro.get_attribute("value")
    phone.get_by_label(valor[-5:], exact=True).check()
    phone.get_by_role("button", name="Continuar").click()

    expect(phone.get_by_role("heading", name="Confirme o agendamento")).to_be_visible()
    expect(phone.locator(".dados")).to_contain_text("AR Demonstração — Brasília")
    phone.get_by_role("button", name="Confirmar agendamento").click()

    expect(phone.get_by_role("heading", name="Atendimento presencial agendado")).to_be_visible()
    expect(phone.locator(".dados")).to_contain_text("SCS Quadra 2, Bloco C, 22 - Asa Sul")
    expect(phone.get_by_role("link", name="Ver no mapa (OpenStreetMap)")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/search\?query="))
    assert no_horizontal_scroll(phone)

    [mensagem] = mensagens(server, email, "Atendimento presencial agendado")
    assert "SCS Quadra 2, Bloco C, 22 - Asa Sul, Brasília - DF" in mensagem.body
    assert "https://www.openstreetmap.org/search?query=" in mensagem.body
    [(nome, conteudo, tipo)] = mensagem.attachments
    assert nome.endswith(".ics") and tipo == "text/calendar"
    evento = Calendar.from_ical(conteudo).walk("VEVENT")[0]
    assert evento.decoded("dtstart") == datetime.fromisoformat(valor).replace(tzinfo=TZ)
    assert "SCS Quadra 2" in str(evento["LOCATION"])
    with db.connection_context():
        assert Certificado.get_by_id(certificado.id).situacao == "agendado"
