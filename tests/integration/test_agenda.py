"""The registration agent's "Agenda": appointments by day, the holder's request, the termo,
the andamento, and the decisions; the buyer follows each one in Meus Pedidos."""
import re
from datetime import timedelta

import pytest

from models import Agendamento, Certificado, Horario, ProcessoCompra, db
from services.agendamento import horarios
from services.agendamento import reservas
from services.titular import links
from services.nucleo.ciclo_de_vida import Ator
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.ambiente import AGORA
from tests.support.http import login, text


@pytest.fixture
def agendado(app, demo, relogio):
    """A certificate booked for Tuesday 22/12/2026 at 10:00, the clock stopped at AGORA;
    returns the Agendamento."""
    with app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(nome="Beatriz Costa")
        agendamento = reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA,
                                           Ator("Beatriz Costa (titular)"), app.config)
    agendamento.token = token
    return agendamento


def no_horario(relogio, agendamento, minutos_antes):
    relogio.agora = sp(2026, 12, 22, 10) - timedelta(minutes=minutos_antes)


def estado(agendamento):
    with db.connection_context():
        return (Certificado.get_by_id(agendamento.certificado_id).situacao,
                Agendamento.get_by_id(agendamento.id).situacao)


def emails(app, assunto):
    return [m for m in app.extensions["mailman"].outbox if assunto in m.subject]


# --- who may see it ----------------------------------------------------------------------

def test_the_agenda_is_404_for_a_buyer(maria, agendado):
    assert maria.get("/agenda/").status_code == 404
    assert maria.get(f"/agenda/{agendado.id}").status_code == 404
    assert maria.post(f"/agenda/{agendado.id}/aprovar").status_code == 404
    assert "Agenda" not in [m for m in re.findall(r">([^<>]+)</a>", maria.get("/pedidos/")
                                                  .get_data(as_text=True))]


def test_the_agenda_asks_an_anonymous_visitor_to_sign_in(client, agendado):
    response = client.get("/agenda/")
    assert response.status_code == 303 and "/entrar" in response.headers["Location"]


def test_the_agent_sees_the_agenda_in_the_menu(agente):
    assert 'aria-current="page">Agenda</a>' in agente.get("/agenda/").get_data(as_text=True)


# --- by day ------------------------------------------------------------------------------

def test_appointments_of_a_day_with_holder_name_time_and_state(agente, agendado):
    page = text(agente.get("/agenda/?dia=2026-12-22"))
    assert "Terça-feira, 22/12/2026" in page
    assert "10:00" in page and "Beatriz Costa" in page
    assert "Videoconferência agendada" in page and "Aguardando videoconferência" in page
    assert "Nenhuma videoconferência neste dia" in text(agente.get("/agenda/?dia=2026-12-23"))


def test_today_opens_by_default_with_day_navigation_and_upcoming_days(agente, agendado):
    response = agente.get("/agenda/")
    page = text(response)
    assert "Segunda-feira, 21/12/2026 (hoje)" in page
    html = response.get_data(as_text=True)
    assert 'href="/agenda/?dia=2026-12-22"' in html  # next business day
    assert 'href="/agenda/?dia=2026-12-18"' in html  # previous: Friday, over the weekend
    assert "Próximos dias com videoconferências" in page and "1 videoconferência" in page


def test_a_nonsense_day_falls_back_to_today(agente, agendado):
    assert "(hoje)" in text(agente.get("/agenda/?dia=ontem"))


def test_the_demo_booking_fills_the_agenda(app, client, demo):
    login(client, "987.654.321-00", "agente12345")
    with db.connection_context():
        [agendamento] = Agendamento.select().join(Horario).where(Agendamento.situacao == "ativo")
        dia = horarios.do_banco(agendamento.horario.inicio).date()
    assert "Roberto Alves Lima" in text(client.get(f"/agenda/?dia={dia.isoformat()}"))


# --- detail ------------------------------------------------------------------------------

def test_the_detail_shows_the_request_the_termo_and_the_andamento(agente, agendado):
    response = agente.get(f"/agenda/{agendado.id}")
    page = text(response)
    assert "Videoconferência de Beatriz Costa" in page
    assert "529.982.247-25" in page and "Praça da Sé" in page and "RG 123456789" in page
    assert "Termo de titularidade (PDF), versão 1" in page
    assert "Emissão solicitada pelo titular" in page and "Videoconferência agendada" in page
    pdf = agente.get(f"/agenda/{agendado.id}/termo.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_an_unknown_appointment_is_404(agente, agendado):
    assert agente.get(f"/agenda/{agendado.id + 999}").status_code == 404


def test_before_the_configured_time_the_actions_are_not_offered_nor_accepted(agente, agendado,
                                                                             relogio):
    no_horario(relogio, agendado, 11)
    page = text(agente.get(f"/agenda/{agendado.id}"))
    assert "Aprovar e emitir" not in page
    assert "As ações ficam disponíveis a partir das 09:50" in page
    response = agente.post(f"/agenda/{agendado.id}/aprovar")
    assert response.status_code == 409
    assert "Ainda não é possível registrar o resultado" in text(response)
    assert estado(agendado) == ("agendado", "ativo")


# --- decisions ---------------------------------------------------------------------------

def test_approve_issues_the_certificate_and_the_buyer_sees_it(app, agente, agendado, relogio):
    no_horario(relogio, agendado, 10)
    assert "Aprovar e emitir" in text(agente.get(f"/agenda/{agendado.id}"))
    response = agente.post(f"/agenda/{agendado.id}/aprovar")
    assert response.status_code == 303
    assert "Certificado aprovado e emitido" in text(agente.get(response.headers["Location"]))
    assert estado(agendado) == ("emitido", "realizado")
    with db.connection_context():
        certificado = Certificado.get_by_id(agendado.certificado_id)
        processo = ProcessoCompra.get_by_id(certificado.processo_id)
        assert processo.situacao == "concluido"
        assert Agendamento.get_by_id(agendado.id).ativo_certificado is None
    [mensagem] = emails(app, "Seu certificado está pronto")
    assert mensagem.to == ["titular@example.com"] and "Baixar meu certificado" in mensagem.body
    assert "/t/" in mensagem.body and "não é ICP-Brasil" in mensagem.body

    agente.post("/sair")
    login(agente, "123.456.789-09", "demo12345")
    page = text(agente.get(f"/pedidos/processos/{processo.numero}"))
    assert "Emitido" in page and "Certificado aprovado e emitido" in page


def test_refusing_needs_a_reason_at_the_field(agente, agendado, relogio):
    no_horario(relogio, agendado, 0)
    response = agente.post(f"/agenda/{agendado.id}/recusar", data={"motivo": "   "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="motivo-erro"' in html and "Informe o motivo da recusa." in text(response)
    assert text(response).startswith("Erro: ")
    assert estado(agendado) == ("agendado", "ativo")


def test_refusing_asks_for_correction_and_emails_the_reason_with_a_working_link(
        app, agente, agendado, relogio):
    no_horario(relogio, agendado, -20)
    response = agente.post(f"/agenda/{agendado.id}/recusar",
                           data={"motivo": "Documento ilegível na câmera."})
    assert response.status_code == 303
    assert estado(agendado) == ("pendente_correcao", "realizado")
    [mensagem] = emails(app, "correção necessária")
    assert "Documento ilegível na câmera." in mensagem.body
    link = re.search(r"http://portal\.test(/t/[\w-]+)", mensagem.body).group(1)
    holder = app.test_client()
    destino = holder.get(link)
    assert destino.status_code == 303
    assert "Correção necessária" in text(holder.get(destino.headers["Location"]))
    # The link from before the refusal no longer works: only the newest e-mail's does.
    with db.connection_context():
        assert links.verificar(agendado.token) is None
    assert "Motivo: Documento ilegível na câmera." in text(agente.get(f"/agenda/{agendado.id}"))


def test_no_show_sends_the_request_back_and_invites_to_reschedule(app, agente, agendado,
                                                                  relogio):
    no_horario(relogio, agendado, -30)
    response = agente.post(f"/agenda/{agendado.id}/nao-compareceu")
    assert response.status_code == 303
    assert estado(agendado) == ("solicitado", "nao_compareceu")
    [mensagem] = emails(app, "não compareceu")
    assert "agendar uma nova data" in mensagem.body and "/t/" in mensagem.body
    page = text(agente.get("/agenda/?dia=2026-12-22"))
    assert "Titular não compareceu" in page and "Emissão solicitada" in page


def test_an_action_in_the_wrong_state_is_refused_with_the_reason(agente, agendado, relogio):
    no_horario(relogio, agendado, 0)
    assert agente.post(f"/agenda/{agendado.id}/aprovar").status_code == 303
    for acao, data in (("aprovar", {}), ("recusar", {"motivo": "x"}), ("nao-compareceu", {})):
        response = agente.post(f"/agenda/{agendado.id}/{acao}", data=data)
        assert response.status_code == 409
        assert "Só é possível" in text(response) or "Não há videoconferência" in text(response)
    assert estado(agendado) == ("emitido", "realizado")


def test_a_cancelled_booking_cannot_be_decided(app, agente, agendado, relogio):
    with app.app_context(), db.connection_context():
        reservas.cancelar(Certificado.get_by_id(agendado.certificado_id), AGORA,
                              Ator("titular"), app.config)
        # Booked again at another time: the old row must not be approvable.
        novo = reservas.agendar(Certificado.get_by_id(agendado.certificado_id),
                                    sp(2026, 12, 22, 10), AGORA, Ator("titular"), app.config)
    no_horario(relogio, agendado, 0)
    response = agente.post(f"/agenda/{agendado.id}/aprovar")
    assert response.status_code == 409
    assert "não está mais ativa" in text(response)
    assert agente.post(f"/agenda/{novo.id}/aprovar").status_code == 303
