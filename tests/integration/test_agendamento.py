"""The holder books the validation videoconference: eligibility, day, time, confirmation,
reschedule, cancel; every bad input is refused with fresh choices and nothing booked."""
import re

import pytest
from icalendar import Calendar

from models import Agendamento, Certificado, Horario, db
from services.agendamento.calendario import inicios_do_dia
from services.agendamento import horarios
from services.agendamento import reservas
from services.nucleo.ciclo_de_vida import Ator, mover_certificado
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.ambiente import AGORA
from tests.support.http import htmx_headers, text

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def titular(app, client, demo, relogio):
    """A client holding the personal link of a certificate in "Emissão solicitada", the clock
    stopped at AGORA."""
    with app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado()
    assert client.get(f"/t/{token}").status_code == 303
    client.numero = certificado.numero
    client.certificado_id = certificado.id
    return client


def url(client, rota=""):
    return f"/titular/{client.numero}/agendamento{rota}"


def situacao(client):
    with db.connection_context():
        return Certificado.get_by_id(client.certificado_id).situacao


def ativos(client):
    with db.connection_context():
        return list(Agendamento.select().where(Agendamento.certificado == client.certificado_id)
                    .where(Agendamento.situacao == "ativo"))


def ocupados(inicio):
    with db.connection_context():
        horario = Horario.get_or_none(Horario.inicio == horarios.para_banco(inicio))
        return horario.ocupados if horario else 0


def confirmar(client, valor, acao="agendar"):
    return client.post(url(client, "/confirmar"), data={"inicio": valor, "acao": acao})


def emails(app, assunto):
    return [m for m in app.extensions["mailman"].outbox if assunto in m.subject]


# --- eligibility -------------------------------------------------------------------------

def test_the_first_question_is_who_may_use_videoconference(titular):
    with db.connection_context():
        from models import Solicitacao
        Solicitacao.update(elegivel_video=None).execute()
    response = titular.get(url(titular))
    assert response.status_code == 303
    page = titular.get(response.headers["Location"])
    assert "Você pode fazer a validação por videoconferência?" in text(page)
    assert "CNH (carteira de motorista) emitida ou renovada a partir de 2017" in text(page)


def test_eligibility_without_an_answer_says_so_at_the_field(titular):
    response = titular.post(url(titular, "/elegibilidade"), data={})
    assert response.status_code == 422
    assert "Responda se você tem CNH" in text(response)
    assert 'class="erro" id="elegivel-erro"' in response.get_data(as_text=True)


def test_without_cnh_or_biometric_certificate_validation_is_in_person_and_no_slots(titular):
    response = titular.post(url(titular, "/elegibilidade"), data={"elegivel": "nao"})
    assert response.status_code == 303
    page = titular.get(url(titular))
    assert "Sua validação precisa ser presencial" in text(page)
    assert "Escolha o dia" not in text(page)
    assert titular.get(url(titular, "/dias")).status_code == 303
    assert confirmar(titular, "2026-12-22T10:00").status_code == 303
    assert situacao(titular) == "solicitado"


def test_with_cnh_the_days_are_offered(titular):
    titular.post(url(titular, "/elegibilidade"), data={"elegivel": "cnh"})
    page = text(titular.get(url(titular)))
    assert "Agendar videoconferência" in page and "Escolha o dia" in page


# --- day, time, confirmation -------------------------------------------------------------

def test_only_business_days_with_free_times_appear_never_weekends_or_holidays(titular):
    page = text(titular.get(url(titular)))
    assert "segunda-feira, 21/12" in page  # today still has times after 11:00
    assert "terça-feira, 22/12" in page
    assert "25/12" not in page  # Christmas
    assert "26/12" not in page and "27/12" not in page  # weekend
    assert "01/01" not in page  # New Year


def test_a_day_whose_times_are_all_taken_is_not_offered(titular, app):
    with db.connection_context():
        inicios = inicios_do_dia(sp(2026, 12, 22, 0).date(),
                              horarios.config_agenda(app.config))
        horarios.garantir_horarios(inicios, 2)
        Horario.update(ocupados=2).execute()
    assert "terça-feira, 22/12" not in text(titular.get(url(titular)))


def test_without_js_choosing_a_day_opens_its_times_page(titular):
    response = titular.get(url(titular, "/horarios?dia=2026-12-22"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html and "Escolha o horário" in text(response)
    assert 'value="2026-12-22T08:00"' in html and 'value="2026-12-22T17:30"' in html
    assert 'value="2026-12-22T18:00"' not in html



class TestOutrosHorarios:
    """The page states the hours and slot length the agenda is configured with."""

    @pytest.fixture
    def config_overrides(self, relogio):
        return {"RELOGIO": relogio, "AGENDA_SLOT_MINUTOS": 60, "AGENDA_INICIO": "09:00"}

    def test_the_times_page_states_the_configured_length_and_hours(self, titular):
        page = text(titular.get(url(titular, "/horarios?dia=2026-12-22")))
        assert "Cada videoconferência dura até 1 hora." in page
        assert "Atendimento em dias úteis, das 9h às 18h" in page


def test_with_htmx_choosing_a_day_swaps_in_only_its_times(titular):
    response = titular.get(url(titular, "/horarios?dia=2026-12-21"), headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "Horários de segunda-feira, 21/12" in html
    # Now is 09:00 and the notice is 2 hours: the first time left is 11:00.
    assert 'value="2026-12-21T10:30"' not in html and 'value="2026-12-21T11:00"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_the_confirmation_page_shows_the_choice_before_booking(titular):
    response = titular.get(url(titular, "/confirmar?inicio=2026-12-22T10:00"))
    assert response.status_code == 200
    page = text(response)
    assert "terça-feira, 22/12/2026" in page and "10:00 (horário de Brasília)" in page
    assert "Documento de identidade original com foto" in page
    assert situacao(titular) == "solicitado"


def test_booking_confirms_on_screen_and_by_email_with_an_ics_invitation(titular, app):
    response = confirmar(titular, "2026-12-22T10:00")
    assert response.status_code == 303
    assert situacao(titular) == "agendado"
    assert ocupados(sp(2026, 12, 22, 10)) == 1
    [agendamento] = ativos(titular)
    assert agendamento.link_reuniao.startswith("http://portal.test/videoconferencia/")

    page = text(titular.get(url(titular)))
    assert "Videoconferência agendada" in page
    assert "terça-feira, 22/12/2026" in page and "10:00 (horário de Brasília)" in page
    assert agendamento.link_reuniao in page
    assert "Reagendar" in page and "Cancelar videoconferência" in page

    [mensagem] = emails(app, "Videoconferência agendada")
    assert mensagem.subject == "Videoconferência agendada: 22/12/2026 às 10:00"
    assert mensagem.to == ["titular@example.com"]
    assert "terça-feira, 22/12/2026" in mensagem.body and "10:00" in mensagem.body
    assert agendamento.link_reuniao in mensagem.body
    assert "câmera e microfone" in mensagem.body and "Para reagendar ou cancelar" in mensagem.body
    [(nome, conteudo, tipo)] = mensagem.attachments
    assert nome == "videoconferencia.ics" and tipo == "text/calendar"
    evento = Calendar.from_ical(conteudo).walk("VEVENT")[0]
    assert evento.decoded("dtstart") == sp(2026, 12, 22, 10)
    assert str(evento["dtstart"].params["TZID"]) == "America/Sao_Paulo"
    assert str(evento["location"]) == agendamento.link_reuniao


def test_the_holder_page_links_to_scheduling_once_the_request_is_sent(titular):
    page = titular.get(f"/titular/{titular.numero}")
    assert f'href="/titular/{titular.numero}/agendamento"' in page.get_data(as_text=True)
    assert "Agendar videoconferência" in text(page)


def test_before_the_request_is_sent_there_is_nothing_to_schedule(app, client, demo):
    from services.titular import atribuicoes
    from models import Conta
    with app.app_context(), db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        certificado = (Certificado.select().where(Certificado.situacao == "atribuido").get())
        token = atribuicoes.reenviar_link(certificado, maria, Ator("teste"), 30)
    client.get(f"/t/{token}")
    assert "Agendar videoconferência" not in text(client.get(f"/titular/{certificado.numero}"))
    page = client.get(f"/titular/{certificado.numero}/agendamento")
    assert "Ainda não é possível agendar" in text(page)
    assert client.post(f"/titular/{certificado.numero}/agendamento/confirmar",
                       data={"inicio": "2026-12-22T10:00", "acao": "agendar"}).status_code == 303
    with db.connection_context():
        assert Certificado.get_by_id(certificado.id).situacao == "atribuido"


def test_someone_without_the_link_gets_404(client, titular, app):
    other = app.test_client()
    assert other.get(url(titular)).status_code == 404
    assert other.post(url(titular, "/confirmar"),
                      data={"inicio": "2026-12-22T10:00", "acao": "agendar"}).status_code == 404


# --- bad input: refused with fresh choices, nothing booked --------------------------------

@pytest.mark.parametrize("valor, mensagem", [
    ("2026-12-21T08:00", "Este horário já passou"),
    ("2026-12-21T10:00", "pelo menos 2 horas de antecedência"),
    ("2026-12-25T10:00", "feriados nacionais (25/12: Natal)"),
    ("2026-12-26T10:00", "sábados e domingos"),
    ("2026-12-22T10:15", "Horário inválido"),
    ("2026-12-22T07:30", "Horário inválido"),
    ("2027-02-22T10:00", "até 15 dias úteis à frente"),
    ("amanhã às 10", "Escolha um dos horários disponíveis"),
    ("", "Escolha um dos horários disponíveis"),
])
def test_a_bad_time_is_refused_with_fresh_choices_and_nothing_booked(titular, valor, mensagem):
    for resposta in (titular.get(url(titular, f"/confirmar?inicio={valor}")),
                     confirmar(titular, valor)):
        assert resposta.status_code == 422
        page = text(resposta)
        assert mensagem in page
        assert page.startswith("Erro: ")
        assert "Escolha o dia" in page and "terça-feira, 22/12" in page
    assert situacao(titular) == "solicitado"
    assert ativos(titular) == []


def test_a_full_time_is_refused_as_esgotado_with_the_days_other_times(titular, app):
    inicio = sp(2026, 12, 22, 10)
    with db.connection_context():
        horarios.garantir_horarios([inicio], 2)
        Horario.update(ocupados=2).where(
            Horario.inicio == horarios.para_banco(inicio)).execute()
    response = confirmar(titular, "2026-12-22T10:00")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "horário esgotado" in text(response).lower()
    assert 'value="2026-12-22T10:00"' not in html and 'value="2026-12-22T10:30"' in html
    assert situacao(titular) == "solicitado" and ativos(titular) == []
    assert ocupados(inicio) == 2
    # The full time is not offered in the first place either.
    assert 'value="2026-12-22T10:00"' not in titular.get(
        url(titular, "/horarios?dia=2026-12-22")).get_data(as_text=True)


def test_a_day_not_offered_is_refused(titular):
    response = titular.get(url(titular, "/horarios?dia=2026-12-25"))
    assert response.status_code == 422
    assert "Este dia não tem horários livres" in text(response)


def test_a_second_booking_is_refused_reschedule_instead(titular):
    assert confirmar(titular, "2026-12-22T10:00").status_code == 303
    response = confirmar(titular, "2026-12-23T10:00")  # a stale "agendar" form
    assert response.status_code == 409
    assert "Já existe uma videoconferência agendada" in text(response)
    assert "Reagendar" in text(response)
    assert len(ativos(titular)) == 1
    assert ocupados(sp(2026, 12, 23, 10)) == 0


def test_the_service_refuses_a_second_active_booking_too(titular, app):
    assert confirmar(titular, "2026-12-22T10:00").status_code == 303
    with app.app_context(), db.connection_context():
        certificado = Certificado.get_by_id(titular.certificado_id)
        with pytest.raises(reservas.AgendamentoRecusado, match="Já existe"):
            reservas.agendar(certificado, sp(2026, 12, 23, 10), AGORA, Ator("x"),
                                 app.config)
    assert ocupados(sp(2026, 12, 23, 10)) == 0


# --- reschedule, cancel, correction ------------------------------------------------------

def test_rescheduling_frees_the_old_time_and_sends_the_new_one(titular, app):
    confirmar(titular, "2026-12-22T10:00")
    page = titular.get(url(titular, "/dias"))
    assert "Reagendar videoconferência" in text(page)
    confirmacao = titular.get(url(titular, "/confirmar?inicio=2026-12-23T14:30"))
    assert 'name="acao" type="hidden" value="reagendar"' in confirmacao.get_data(as_text=True)
    response = confirmar(titular, "2026-12-23T14:30", acao="reagendar")
    assert response.status_code == 303
    assert ocupados(sp(2026, 12, 22, 10)) == 0 and ocupados(sp(2026, 12, 23, 14, 30)) == 1
    [ativo] = ativos(titular)
    with db.connection_context():
        antigo = Agendamento.get((Agendamento.certificado == titular.certificado_id)
                                 & (Agendamento.situacao == "reagendado"))
        assert antigo.ativo_certificado is None and ativo.link_reuniao == antigo.link_reuniao
    assert situacao(titular) == "agendado"
    [mensagem] = emails(app, "Videoconferência reagendada")
    evento = Calendar.from_ical(mensagem.attachments[0][1]).walk("VEVENT")[0]
    assert evento.decoded("dtstart") == sp(2026, 12, 23, 14, 30)
    assert int(evento["sequence"]) == 1


def test_rescheduling_to_a_full_time_keeps_the_current_booking(titular):
    confirmar(titular, "2026-12-22T10:00")
    with db.connection_context():
        horarios.garantir_horarios([sp(2026, 12, 23, 9)], 2)
        Horario.update(ocupados=2).where(
            Horario.inicio == horarios.para_banco(sp(2026, 12, 23, 9))).execute()
    response = confirmar(titular, "2026-12-23T09:00", acao="reagendar")
    assert response.status_code == 409 and "horário esgotado" in text(response).lower()
    [ativo] = ativos(titular)
    assert ocupados(sp(2026, 12, 22, 10)) == 1


def test_cancelling_frees_the_time_and_the_request_waits_for_a_new_booking(titular, app):
    confirmar(titular, "2026-12-22T10:00")
    page = titular.get(url(titular, "/cancelar"))
    assert "Cancelar a videoconferência?" in text(page)
    response = titular.post(url(titular, "/cancelar"))
    assert response.status_code == 303
    assert situacao(titular) == "solicitado" and ativos(titular) == []
    assert ocupados(sp(2026, 12, 22, 10)) == 0
    assert emails(app, "Videoconferência cancelada")
    assert "Escolha o dia" in text(titular.get(url(titular)))


def calendario(mensagem):
    [(nome, conteudo, tipo)] = [a for a in mensagem.attachments if a[0].endswith(".ics")]
    cal = Calendar.from_ical(conteudo)
    return str(cal["METHOD"]), cal.walk("VEVENT")[0]


def test_the_cancellation_email_removes_the_event_from_the_holders_calendar(titular, app):
    confirmar(titular, "2026-12-22T10:00")
    titular.post(url(titular, "/cancelar"))
    metodo, convite = calendario(emails(app, "Videoconferência agendada")[0])
    [cancelamento] = emails(app, "Videoconferência cancelada")
    assert "cancelamento.ics" in cancelamento.body
    metodo_cancelamento, evento = calendario(cancelamento)
    assert (metodo, metodo_cancelamento) == ("REQUEST", "CANCEL")
    assert str(evento["UID"]) == str(convite["UID"])
    assert int(evento["SEQUENCE"]) > int(convite["SEQUENCE"])
    assert str(evento["STATUS"]) == "CANCELLED"
    assert evento.decoded("dtstart") == sp(2026, 12, 22, 10)


def test_every_calendar_message_of_a_certificate_has_a_higher_sequence(titular, app):
    confirmar(titular, "2026-12-22T10:00")
    confirmar(titular, "2026-12-23T14:30", acao="reagendar")
    titular.post(url(titular, "/cancelar"))
    confirmar(titular, "2026-12-28T09:00")
    mensagens = [m for m in app.extensions["mailman"].outbox
                 if any(a[0].endswith(".ics") for a in m.attachments)]
    eventos = [calendario(m) for m in mensagens]
    assert [metodo for metodo, _ in eventos] == ["REQUEST", "REQUEST", "CANCEL", "REQUEST"]
    assert len({str(e["UID"]) for _, e in eventos}) == 1
    sequencias = [int(e["SEQUENCE"]) for _, e in eventos]
    assert sequencias == sorted(set(sequencias))


def test_inside_the_change_notice_reschedule_and_cancel_are_refused(titular, relogio):
    confirmar(titular, "2026-12-22T10:00")
    relogio.agora = sp(2026, 12, 22, 9, 15)
    page = text(titular.get(url(titular)))
    assert "não é mais possível reagendar nem cancelar" in page
    assert "Cancelar videoconferência" not in page
    response = titular.post(url(titular, "/cancelar"))
    assert response.status_code == 409
    assert "Não é mais possível cancelar" in text(response)
    response = confirmar(titular, "2026-12-23T10:00", acao="reagendar")
    assert response.status_code == 303  # back to the summary: nothing to choose any more
    assert ativos(titular)[0].horario_id is not None
    assert ocupados(sp(2026, 12, 22, 10)) == 1 and ocupados(sp(2026, 12, 23, 10)) == 0


def test_correcting_the_data_keeps_the_booking(titular):
    confirmar(titular, "2026-12-22T10:00")
    with db.connection_context():
        certificado = Certificado.get_by_id(titular.certificado_id)
        mover_certificado(certificado, "corrigir", Ator("titular"))
    assert situacao(titular) == "agendado"
    assert len(ativos(titular)) == 1
    assert "Videoconferência agendada" in text(titular.get(url(titular)))


def test_the_meeting_address_opens_a_room_page(titular, client):
    confirmar(titular, "2026-12-22T10:00")
    [agendamento] = ativos(titular)
    caminho = re.sub(r"^http://portal\.test", "", agendamento.link_reuniao)
    page = client.get(caminho)
    assert page.status_code == 200 and "22/12/2026, às 10:00" in text(page)
    assert client.get("/videoconferencia/nao-existe").status_code == 404


def test_a_configured_meeting_url_template_is_used(app, titular):
    app.config["VIDEOCONFERENCIA_URL"] = "https://meet.example.gov.br/{codigo}?sala=1"
    confirmar(titular, "2026-12-22T10:00")
    [agendamento] = ativos(titular)
    assert re.fullmatch(r"https://meet\.example\.gov\.br/[\w-]+\?sala=1", agendamento.link_reuniao)


def test_capacity_is_the_number_of_agents_per_time(app, titular, demo):
    assert confirmar(titular, "2026-12-22T10:00").status_code == 303
    with app.app_context(), db.connection_context():
        outro, token = certificado_solicitado(cpf="39053344705", email="b@example.com")
        terceiro, token3 = certificado_solicitado(cpf="11144477735", email="c@example.com")
    segundo = app.test_client()
    segundo.get(f"/t/{token}")
    segundo.numero = outro.numero
    assert confirmar(segundo, "2026-12-22T10:00").status_code == 303
    terceiro_cliente = app.test_client()
    terceiro_cliente.get(f"/t/{token3}")
    terceiro_cliente.numero = terceiro.numero
    assert confirmar(terceiro_cliente, "2026-12-22T10:00").status_code == 409
    assert ocupados(sp(2026, 12, 22, 10)) == 2
