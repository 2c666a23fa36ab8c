"""Validação presencial: the agent manages the pontos de atendimento; a holder books one
(UF → city → ponto → day → time, without JavaScript) under the videoconference's calendar
rules and the ponto's own hours, capacity and holidays; the e-mail carries the .ics, the
address and a map link; the agent filters the Agenda by ponto, marks "Compareceu" and
approves, which issues as a videoconference does."""
import os
import re
import threading
from urllib.parse import quote_plus

import pytest
from icalendar import Calendar

from models import Agendamento, Certificado, Email, Horario, PontoAtendimento, db
from services.agendamento import horarios
from services.agendamento import lembretes
from services.agendamento import pontos
from services.agendamento import reservas
from services.nucleo.ciclo_de_vida import Ator
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.ambiente import AGORA
from tests.support.http import login, text

pytestmark = pytest.mark.usefixtures("demo")

BRASILIA = "AR Demonstração — Brasília"


def ponto(nome=BRASILIA):
    with db.connection_context():
        return PontoAtendimento.get(PontoAtendimento.nome == nome)


def definir(nome=BRASILIA, **campos):
    with db.connection_context():
        PontoAtendimento.update(**campos).where(PontoAtendimento.nome == nome).execute()


@pytest.fixture
def titular(app, client, demo, relogio):
    """A client holding the personal link of a certificate in "Emissão solicitada" whose
    holder answered "no" to the videoconference's eligibility, the clock at AGORA (Monday
    21/12/2026 09:00)."""
    with app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(elegivel=False)
    assert client.get(f"/t/{token}").status_code == 303
    client.numero = certificado.numero
    client.certificado_id = certificado.id
    return client


def url(client, rota=""):
    return f"/titular/{client.numero}/agendamento{rota}"


def situacao(client):
    with db.connection_context():
        return Certificado.get_by_id(client.certificado_id).situacao


def reservar(client, valor="2026-12-22T10:00", ponto_id=None, acao="agendar"):
    ponto_id = ponto_id or ponto().id
    return client.post(url(client, "/confirmar"),
                       data={"inicio": valor, "ponto": ponto_id, "acao": acao})


def ocupados(ponto_id, inicio):
    with db.connection_context():
        horario = Horario.get_or_none((Horario.inicio == horarios.para_banco(inicio))
                                      & (Horario.ponto == ponto_id))
        return horario.ocupados if horario else 0


# --- the holder: UF → city → ponto → day → time, links and GET forms only ----------------

def test_a_holder_not_eligible_for_video_is_offered_the_pontos_by_state(titular):
    page = titular.get(url(titular))
    assert page.status_code == 200
    assert "Sua validação precisa ser presencial" in text(page)
    html = page.get_data(as_text=True)
    assert "Distrito Federal (DF)" in text(page) and "São Paulo (SP)" in text(page)
    assert f'href="{url(titular, "/presencial")}?uf=DF"' in html


def test_without_javascript_the_holder_walks_state_city_ponto_day_time_and_books(titular):
    p = ponto()
    cidades = titular.get(url(titular, "/presencial?uf=DF"))
    assert "Escolha a cidade (DF)" in text(cidades)
    pontos_ = titular.get(url(titular, "/presencial?uf=DF&cidade=Brasília"))
    assert BRASILIA in text(pontos_) and "SCS Quadra 2" in text(pontos_)
    dias_url = url(titular, f"/dias?ponto={p.id}")
    assert f'href="{dias_url}"' in pontos_.get_data(as_text=True)

    dias = titular.get(dias_url)
    assert "Agendar atendimento presencial" in text(dias)
    assert "terça-feira, 22/12" in text(dias)
    tempos = titular.get(url(titular, f"/horarios?dia=2026-12-22&ponto={p.id}"))
    html = tempos.get_data(as_text=True)
    # The ponto's hours (09:00 to 17:00), not the videoconference's.
    assert 'value="2026-12-22T09:00"' in html and 'value="2026-12-22T16:30"' in html
    assert 'value="2026-12-22T08:00"' not in html and 'value="2026-12-22T17:00"' not in html
    assert f'name="ponto" value="{p.id}"' in html

    confirmar = titular.get(url(titular, f"/confirmar?inicio=2026-12-22T10:00&ponto={p.id}"))
    assert confirmar.status_code == 200
    assert BRASILIA in text(confirmar) and "Etapa 3 de 3" in text(confirmar)
    resposta = reservar(titular, ponto_id=p.id)
    assert resposta.status_code == 303
    resumo = text(titular.get(url(titular)))
    assert "Atendimento presencial agendado" in resumo and "SCS Quadra 2" in resumo
    assert situacao(titular) == "agendado"
    assert ocupados(p.id, sp(2026, 12, 22, 10)) == 1


def test_a_holder_eligible_for_video_may_prefer_in_person(app, client, relogio):
    with app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(cpf="39053344705", elegivel=True)
    client.get(f"/t/{token}")
    client.numero = certificado.numero
    dias = client.get(url(client))
    assert "Agende um atendimento presencial" in text(dias)
    assert client.get(url(client, "/presencial")).status_code == 200
    assert reservar(client).status_code == 303


def test_the_ponto_s_own_holiday_is_not_offered_and_is_refused_with_its_name(titular):
    p = ponto()
    definir(feriados="2026-12-22 Aniversário da AR")
    assert "terça-feira, 22/12" not in text(titular.get(url(titular, f"/dias?ponto={p.id}")))
    resposta = titular.get(url(titular, f"/confirmar?inicio=2026-12-22T10:00&ponto={p.id}"))
    assert resposta.status_code == 422
    assert "Não há atendimento neste ponto em 22/12 (Aniversário da AR)" in text(resposta)


def test_national_holidays_and_weekends_are_closed_at_pontos_too(titular):
    page = text(titular.get(url(titular, f"/dias?ponto={ponto().id}")))
    assert "25/12" not in page and "26/12" not in page and "01/01" not in page


def test_a_time_outside_the_ponto_s_hours_is_refused(titular):
    resposta = reservar(titular, "2026-12-22T08:00")
    assert resposta.status_code == 422
    assert "Horário inválido" in text(resposta)
    assert situacao(titular) == "solicitado"


def test_an_unknown_or_removed_ponto_is_not_found(titular):
    assert titular.get(url(titular, "/dias?ponto=999999")).status_code == 404
    definir(removido_em=sp(2026, 12, 1, 0).replace(tzinfo=None))
    assert titular.get(url(titular, f"/dias?ponto={ponto().id}")).status_code == 404


def test_the_last_place_of_a_time_goes_to_one_holder_the_other_is_told_it_is_full(
        titular, app, client):
    p = ponto()
    definir(capacidade=1)
    assert reservar(titular, ponto_id=p.id).status_code == 303
    outro = app.test_client()
    with app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(cpf="39053344705", elegivel=False)
    outro.get(f"/t/{token}")
    outro.numero = certificado.numero
    resposta = reservar(outro, ponto_id=p.id)
    assert resposta.status_code == 409
    assert "Horário esgotado" in text(resposta)
    html = resposta.get_data(as_text=True)
    assert 'value="2026-12-22T10:30"' in html and 'value="2026-12-22T10:00"' not in html
    assert ocupados(p.id, sp(2026, 12, 22, 10)) == 1


def test_video_and_each_ponto_have_their_own_seats_at_the_same_time(titular, app):
    definir(capacidade=1)
    assert reservar(titular).status_code == 303
    with db.connection_context():
        assert Horario.select().where(Horario.inicio == horarios.para_banco(
            sp(2026, 12, 22, 10))).count() == 1  # the video slot has no row yet
    assert ocupados(ponto("AR Demonstração — São Paulo").id, sp(2026, 12, 22, 10)) == 0


# --- the e-mail ----------------------------------------------------------------------------

def test_the_confirmation_e_mail_has_the_ics_the_address_and_an_openstreetmap_link(
        titular, outbox):
    assert reservar(titular).status_code == 303
    [mensagem] = [m for m in outbox if "Atendimento presencial agendado" in m.subject]
    corpo = mensagem.body
    endereco = "SCS Quadra 2, Bloco C, 22 - Asa Sul, Brasília - DF"
    assert endereco in corpo
    mapa = "https://www.openstreetmap.org/search?query=" + quote_plus(endereco)
    [(html, _)] = mensagem.alternatives
    assert mapa in corpo and f'href="{mapa}"' in html
    [(nome, dados, _)] = mensagem.attachments
    assert nome == "atendimento-presencial.ics"
    evento = Calendar.from_ical(dados).walk("VEVENT")[0]
    assert endereco in str(evento["LOCATION"]) and str(evento["URL"]) == mapa
    assert evento.decoded("DTSTART") == sp(2026, 12, 22, 10)


# --- reschedule and cancel -----------------------------------------------------------------

def test_rescheduling_moves_the_seat_and_may_change_the_ponto(titular, outbox):
    bsb, spo = ponto(), ponto("AR Demonstração — São Paulo")
    reservar(titular, ponto_id=bsb.id)
    resumo = titular.get(url(titular)).get_data(as_text=True)
    assert f'href="{url(titular, "/dias")}?ponto={bsb.id}"' in resumo
    resposta = reservar(titular, "2026-12-23T08:00", ponto_id=spo.id, acao="reagendar")
    assert resposta.status_code == 303
    assert ocupados(bsb.id, sp(2026, 12, 22, 10)) == 0
    assert ocupados(spo.id, sp(2026, 12, 23, 8)) == 1
    assert "Avenida Paulista" in text(titular.get(url(titular)))
    assert any("Atendimento presencial reagendado" in m.subject for m in outbox)


def test_cancelling_frees_the_seat_and_e_mails_the_cancellation(titular, outbox):
    p = ponto()
    reservar(titular, ponto_id=p.id)
    assert titular.post(url(titular, "/cancelar")).status_code == 303
    assert ocupados(p.id, sp(2026, 12, 22, 10)) == 0
    assert situacao(titular) == "solicitado"
    [mensagem] = [m for m in outbox if m.subject == "Atendimento presencial cancelado"]
    assert BRASILIA in mensagem.body


def test_within_an_hour_of_the_start_it_can_no_longer_be_changed(titular, relogio):
    reservar(titular)
    relogio.agora = sp(2026, 12, 22, 9, 30)
    resposta = titular.post(url(titular, "/cancelar"))
    assert resposta.status_code == 409
    assert "Não é mais possível cancelar" in text(resposta)
    assert situacao(titular) == "agendado"


# --- the agent's Agenda ----------------------------------------------------------------------

@pytest.fixture
def reservado(titular, app):
    """The holder booked Brasília at 22/12/2026 10:00; returns the booking's id."""
    assert reservar(titular).status_code == 303
    with db.connection_context():
        return Agendamento.get(Agendamento.certificado == titular.certificado_id).id


def como_agente(app):
    agente = app.test_client()
    assert login(agente, "987.654.321-00", "agente12345").status_code == 303
    return agente


def test_the_agenda_filters_by_ponto(reservado, app):
    with app.app_context(), db.connection_context():
        certificado, _ = certificado_solicitado(cpf="39053344705", nome="Vera Lúcia Campos")
        reservas.agendar(certificado, sp(2026, 12, 22, 11), AGORA, Ator("Vera"), app.config)
    agente = como_agente(app)
    bsb, spo = ponto(), ponto("AR Demonstração — São Paulo")
    todos = text(agente.get("/agenda/?dia=2026-12-22"))
    assert "João Batista" in todos and BRASILIA in todos and "Vera Lúcia Campos" in todos
    so_bsb = text(agente.get(f"/agenda/?dia=2026-12-22&ponto={bsb.id}"))
    assert "João Batista" in so_bsb and "Vera Lúcia Campos" not in so_bsb
    so_spo = text(agente.get(f"/agenda/?dia=2026-12-22&ponto={spo.id}"))
    assert "João Batista" not in so_spo and "Nenhum atendimento neste local" in so_spo
    video = text(agente.get("/agenda/?dia=2026-12-22&ponto=video"))
    assert "João Batista" not in video and "Vera Lúcia Campos" in video


def test_in_person_compareceu_then_approve_issues_the_certificate(reservado, app, relogio,
                                                                 outbox):
    agente = como_agente(app)
    relogio.agora = sp(2026, 12, 22, 9, 55)
    pagina = agente.get(f"/agenda/{reservado}")
    assert "Atendimento presencial de João Batista" in text(pagina)
    assert "Compareceu" in text(pagina) and "Aprovar e emitir" not in text(pagina)
    recusado = agente.post(f"/agenda/{reservado}/aprovar")
    assert recusado.status_code == 409
    assert "Registre primeiro que o titular compareceu" in text(recusado)

    assert agente.post(f"/agenda/{reservado}/compareceu").status_code == 303
    pagina = text(agente.get(f"/agenda/{reservado}"))
    assert "Titular compareceu ao atendimento presencial" in pagina  # in the andamento
    assert "Aprovar e emitir" in pagina
    assert agente.post(f"/agenda/{reservado}/aprovar").status_code == 303
    with db.connection_context():
        certificado = Certificado.select().join(Agendamento).where(
            Agendamento.id == reservado).get()
        assert certificado.situacao == "emitido"
    assert any(m.subject == "Seu certificado está pronto" for m in outbox)


def test_in_person_nao_compareceu_lets_the_holder_book_again(reservado, app, relogio, titular):
    agente = como_agente(app)
    relogio.agora = sp(2026, 12, 22, 10, 15)
    assert agente.post(f"/agenda/{reservado}/nao-compareceu").status_code == 303
    assert situacao(titular) == "solicitado"
    assert ocupados(ponto().id, sp(2026, 12, 22, 10)) == 1  # the seat's time is past anyway


def test_compareceu_is_not_offered_before_the_booking_s_time(reservado, app):
    agente = como_agente(app)
    resposta = agente.post(f"/agenda/{reservado}/compareceu")
    assert resposta.status_code == 409
    assert "Ainda não é possível registrar o resultado" in text(resposta)


# --- the agent manages the pontos ------------------------------------------------------------

NOVO = {"nome": "AR Demonstração — Curitiba", "endereco": "Rua XV de Novembro, 100 - Centro",
        "cidade": "Curitiba", "uf": "PR", "abre": "08:30", "fecha": "12:30", "capacidade": "1",
        "feriados": "08/09/2027 Nossa Senhora da Luz"}


def test_the_agent_lists_the_pontos(agente):
    pagina = text(agente.get("/agenda/pontos/"))
    assert BRASILIA in pagina and "AR Demonstração — São Paulo" in pagina
    assert "dias úteis, das 09:00 às 17:00" in pagina


def test_the_pontos_pages_are_the_back_office_s_only(maria):
    assert maria.get("/agenda/pontos/").status_code == 404
    assert maria.get("/agenda/pontos/novo").status_code == 404


def test_the_agent_creates_a_ponto_and_holders_find_it_by_state_and_city(agente):
    resposta = agente.post("/agenda/pontos/novo", data=NOVO)
    assert resposta.status_code == 303
    with db.connection_context():
        criado = PontoAtendimento.get(PontoAtendimento.nome == NOVO["nome"])
    assert (criado.uf, criado.abre, criado.fecha, criado.capacidade) == ("PR", "08:30", "12:30", 1)
    assert criado.feriados == "2027-09-08 Nossa Senhora da Luz"
    with db.connection_context():
        assert ("PR", "Paraná") in pontos.ufs() and pontos.cidades("PR") == ["Curitiba"]


@pytest.mark.parametrize("campo, valor, mensagem", [
    ("nome", "", "Informe o nome do ponto."),
    ("endereco", " ", "Informe o endereço (rua, número e bairro)."),
    ("uf", "XX", "Escolha a UF."),
    ("abre", "8h", "Informe a hora no formato hh:mm, por exemplo 08:00."),
    ("fecha", "08:00", "O horário de fechamento deve ser depois do de abertura."),
    ("capacidade", "0", "Informe de 1 a 50 atendimentos por horário."),
    ("capacidade", "dez", "Informe de 1 a 50 atendimentos por horário."),
    ("feriados", "31/02/2027 Inventado", "Linha 1: Esta data não existe no calendário."),
])
def test_bad_input_is_refused_next_to_the_field_in_portuguese(agente, campo, valor, mensagem):
    resposta = agente.post("/agenda/pontos/novo", data={**NOVO, campo: valor})
    assert resposta.status_code == 422
    html = resposta.get_data(as_text=True)
    assert re.search(rf'id="{campo}-erro">.*?{re.escape(mensagem)}', html, re.S)
    with db.connection_context():
        assert not PontoAtendimento.select().where(
            PontoAtendimento.nome == NOVO["nome"]).exists()


def test_editing_a_ponto_keeps_its_slots_at_the_new_capacity(agente, app):
    p = ponto()
    with db.connection_context():
        horarios.garantir_horarios([sp(2026, 12, 22, 10)], 2, p.id)
    dados = {**NOVO, "nome": BRASILIA, "cidade": "Brasília", "uf": "DF", "capacidade": "4"}
    assert agente.post(f"/agenda/pontos/{p.id}", data=dados).status_code == 303
    with db.connection_context():
        assert Horario.get((Horario.ponto == p.id)).capacidade == 4
    assert ponto().capacidade == 4


def test_a_ponto_with_bookings_cannot_be_removed(reservado, app):
    agente = como_agente(app)
    p = ponto()
    resposta = agente.post(f"/agenda/pontos/{p.id}/remover")
    assert resposta.status_code == 409
    assert "Este ponto tem 1 agendamento ativo" in text(resposta)
    assert ponto().removido_em is None


def test_a_ponto_without_bookings_is_removed_and_no_longer_offered(agente, titular):
    p = ponto("AR Demonstração — São Paulo")
    assert agente.post(f"/agenda/pontos/{p.id}/remover").status_code == 303
    assert f'id="ponto-{p.id}"' not in agente.get("/agenda/pontos/").get_data(as_text=True)
    assert "São Paulo (SP)" not in text(titular.get(url(titular, "/presencial")))


# --- the last place, two holders at the same instant (PostgreSQL: real concurrent writers) --

@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs DATABASE_URL pointing at PostgreSQL (SQLite serialises "
                           "every writer, so there is no race to test)")
def test_two_holders_confirming_a_ponto_s_last_place_at_once_one_wins(app, relogio):
    definir(capacidade=1)
    p = ponto()
    sessoes = []
    for i, cpf in enumerate(("52998224725", "39053344705")):
        with app.app_context(), db.connection_context():
            certificado, token = certificado_solicitado(cpf=cpf, email=f"t{i}@example.com",
                                                        elegivel=False)
        client = app.test_client()
        assert client.get(f"/t/{token}").status_code == 303
        client.numero = certificado.numero
        sessoes.append(client)
    largada = threading.Barrier(len(sessoes))
    respostas = [None] * len(sessoes)

    def confirmar(i, client):
        largada.wait()
        respostas[i] = reservar(client, ponto_id=p.id)

    threads = [threading.Thread(target=confirmar, args=(i, c)) for i, c in enumerate(sessoes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r.status_code for r in respostas) == [303, 409]
    perdedor = next(r for r in respostas if r.status_code == 409)
    assert "Horário esgotado" in text(perdedor)
    assert ocupados(p.id, sp(2026, 12, 22, 10)) == 1


def test_the_reminder_of_an_in_person_booking_names_the_place(titular, app):
    reservar(titular)
    with app.app_context(), db.connection_context():
        assert lembretes.enviar_lembretes(sp(2026, 12, 21, 12), app.config) == 1
        [lembrete] = Email.select().where(Email.assunto.startswith("Lembrete"))
    assert lembrete.assunto == "Lembrete: atendimento presencial 22/12/2026 às 10:00"
    assert "SCS Quadra 2" in lembrete.texto and "Link da videoconferência" not in lembrete.texto
    assert "na hora do atendimento" in lembrete.texto


def test_the_edit_page_shows_the_ponto_s_holidays_as_they_are_typed(agente):
    p = ponto("AR Demonstração — São Paulo")
    html = agente.get(f"/agenda/pontos/{p.id}").get_data(as_text=True)
    assert "25/01/2027 Aniversário de São Paulo</textarea>" in html
