"""The booking service on its own: slot rows, seats, rescheduling, the reminder job."""
from datetime import datetime, timedelta

import pytest

from filas import tarefas
from models import Agendamento, Certificado, Email, Horario, db
from services.titular import atribuicoes
from services.agendamento import calendario
from services.agendamento import horarios
from services.agendamento import lembretes
from services.agendamento import reservas
from services.agendamento.calendario import ConfigAgenda
from services.nucleo.ciclo_de_vida import Ator, TransicaoInvalida
from relogio import utcnow
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.ambiente import AGORA

TITULAR = Ator("Titular (teste)")


@pytest.fixture
def ctx(app, demo):
    with app.app_context(), db.connection_context():
        yield app


def ocupados(inicio):
    horario = Horario.get_or_none(Horario.inicio == horarios.para_banco(inicio))
    return horario.ocupados if horario else 0


# --- settings and slot rows --------------------------------------------------------------

def test_the_agenda_follows_the_settings(app):
    cfg = horarios.config_agenda({
        "AGENDA_INICIO": "09:00", "AGENDA_FIM": "12:00", "AGENDA_SLOT_MINUTOS": 45,
        "AGENDA_CAPACIDADE": 3, "AGENDA_HORIZONTE_DIAS_UTEIS": 5,
        "AGENDA_ANTECEDENCIA_MINIMA_HORAS": 4, "AGENDA_ALTERACAO_HORAS": 24})
    assert cfg.inicio.hour == 9 and cfg.fim.hour == 12 and cfg.minutos_por_horario == 45
    assert cfg.capacidade == 3 and cfg.horizonte_dias_uteis == 5
    assert cfg.antecedencia_minima == timedelta(hours=4) and cfg.antecedencia_alteracao == timedelta(hours=24)
    assert horarios.config_agenda(app.config) == ConfigAgenda()  # defaults = docs/dominio.md §6


def test_slot_rows_are_created_once_however_often_asked(ctx):
    antes = {h.inicio for h in Horario.select()}  # the demo's booked slot
    inicios = [sp(2026, 12, 22, 10), sp(2026, 12, 22, 10, 30)]
    horarios.garantir_horarios(inicios, 2)
    horarios.garantir_horarios(inicios + [sp(2026, 12, 22, 11)], 2)
    esperados = {horarios.para_banco(i) for i in inicios + [sp(2026, 12, 22, 11)]}
    assert Horario.select().count() == len(antes | esperados)
    assert {h.inicio for h in Horario.select()} == antes | esperados


def test_slot_rows_are_stored_in_utc(ctx):
    horarios.garantir_horarios([sp(2026, 12, 22, 10)], 2)
    # Brasília is UTC−3.
    assert Horario.select().where(Horario.inicio == datetime(2026, 12, 22, 13, 0)).exists()


def test_the_horizon_job_creates_every_bookable_slot_idempotently(ctx):
    cfg = horarios.config_agenda(ctx.config)
    antes = {h.inicio for h in Horario.select()}  # the demo's booked slot
    total = horarios.preparar_horizonte(AGORA, cfg)
    # 15 business days ahead of Monday 21/12/2026 (25/12 and 01/01 are holidays), 20 slots each.
    assert total == 15 * 20
    horarios.preparar_horizonte(AGORA, cfg)
    esperados = {horarios.para_banco(i) for d in calendario.dias_agendaveis(AGORA, cfg)
                 for i in calendario.inicios_do_dia(d, cfg)}
    assert len(esperados) == 300
    assert Horario.select().count() == len(antes | esperados)
    assert not Horario.select().where(Horario.inicio == horarios.para_banco(
        sp(2026, 12, 25, 10))).exists()


def test_free_times_leave_out_full_slots_and_days(ctx):
    cfg = horarios.config_agenda(ctx.config)
    antes = horarios.horarios_livres(AGORA, sp(2026, 12, 22, 0).date(), cfg)
    horarios.garantir_horarios([sp(2026, 12, 22, 10)], 2)
    Horario.update(ocupados=2).execute()
    depois = horarios.horarios_livres(AGORA, sp(2026, 12, 22, 0).date(), cfg)
    assert sp(2026, 12, 22, 10) in antes and sp(2026, 12, 22, 10) not in depois
    assert len(depois) == len(antes) - 1
    assert sp(2026, 12, 21, 0).date() in horarios.dias_livres(AGORA, cfg)


def capacidade(inicio):
    return Horario.get(Horario.inicio == horarios.para_banco(inicio)).capacidade


def test_a_new_capacity_reaches_slots_created_earlier_never_below_the_seats_taken(ctx):
    cheio, meio, vazio = sp(2026, 12, 22, 10), sp(2026, 12, 22, 10, 30), sp(2026, 12, 22, 11)
    passado = sp(2026, 12, 18, 10)
    horarios.garantir_horarios([passado, cheio, meio, vazio], 3)
    for inicio, n in ((passado, 3), (cheio, 3), (meio, 1)):
        Horario.update(ocupados=n).where(
            Horario.inicio == horarios.para_banco(inicio)).execute()

    cfg = horarios.config_agenda({**ctx.config, "AGENDA_CAPACIDADE": 1})
    horarios.preparar_horizonte(AGORA, cfg)
    assert [capacidade(i) for i in (cheio, meio, vazio)] == [3, 1, 1]
    assert capacidade(passado) == 3  # the past is not rewritten

    cfg = horarios.config_agenda({**ctx.config, "AGENDA_CAPACIDADE": 4})
    horarios.preparar_horizonte(AGORA, cfg)
    assert [capacidade(i) for i in (cheio, meio, vazio)] == [4, 4, 4]
    assert capacidade(passado) == 3


def test_a_lower_capacity_applies_to_booking_before_the_horizon_job_runs(ctx):
    ctx.config["AGENDA_CAPACIDADE"] = 2
    primeiro, _ = certificado_solicitado()
    segundo, _ = certificado_solicitado(cpf="39053344705")
    reservas.agendar(primeiro, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    ctx.config["AGENDA_CAPACIDADE"] = 1
    cfg = horarios.config_agenda(ctx.config)
    dia = sp(2026, 12, 22, 0).date()
    assert sp(2026, 12, 22, 10) not in horarios.horarios_livres(AGORA, dia, cfg)
    with pytest.raises(reservas.HorarioEsgotado):
        reservas.agendar(segundo, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    assert ocupados(sp(2026, 12, 22, 10)) == 1


def test_a_higher_capacity_reopens_a_full_slot(ctx):
    ctx.config["AGENDA_CAPACIDADE"] = 1
    primeiro, _ = certificado_solicitado()
    segundo, _ = certificado_solicitado(cpf="39053344705")
    reservas.agendar(primeiro, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    dia = sp(2026, 12, 22, 0).date()
    cfg = horarios.config_agenda(ctx.config)
    assert sp(2026, 12, 22, 10) not in horarios.horarios_livres(AGORA, dia, cfg)
    ctx.config["AGENDA_CAPACIDADE"] = 2
    cfg = horarios.config_agenda(ctx.config)
    assert sp(2026, 12, 22, 10) in horarios.horarios_livres(AGORA, dia, cfg)
    reservas.agendar(segundo, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    assert ocupados(sp(2026, 12, 22, 10)) == 2 and capacidade(sp(2026, 12, 22, 10)) == 2


# --- seats -------------------------------------------------------------------------------

def test_booking_takes_one_seat_and_moves_the_certificate(ctx):
    certificado, _ = certificado_solicitado()
    agendamento = reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA, TITULAR,
                                       ctx.config)
    assert ocupados(sp(2026, 12, 22, 10)) == 1
    assert agendamento.ativo_certificado == certificado.id
    assert Certificado.get_by_id(certificado.id).situacao == "agendado"


def test_a_slot_never_takes_more_than_its_capacity(ctx):
    ctx.config["AGENDA_CAPACIDADE"] = 1
    primeiro, _ = certificado_solicitado()
    segundo, _ = certificado_solicitado(cpf="39053344705")
    reservas.agendar(primeiro, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    with pytest.raises(reservas.HorarioEsgotado, match="Horário esgotado"):
        reservas.agendar(segundo, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    assert ocupados(sp(2026, 12, 22, 10)) == 1
    # Nothing of the refused booking stayed behind.
    assert Certificado.get_by_id(segundo.id).situacao == "solicitado"
    assert not Agendamento.select().where(Agendamento.certificado == segundo.id).exists()


def test_rescheduling_moves_the_seat_in_one_transaction(ctx):
    certificado, _ = certificado_solicitado()
    reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    reservas.reagendar(certificado, sp(2026, 12, 23, 9), AGORA, TITULAR, ctx.config)
    assert ocupados(sp(2026, 12, 22, 10)) == 0 and ocupados(sp(2026, 12, 23, 9)) == 1
    assert reservas.ativo(certificado.id).horario.inicio == horarios.para_banco(
        sp(2026, 12, 23, 9))


def test_rescheduling_to_the_same_time_is_refused(ctx):
    certificado, _ = certificado_solicitado()
    reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    with pytest.raises(reservas.AgendamentoRecusado, match="já está marcada"):
        reservas.reagendar(certificado, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    assert ocupados(sp(2026, 12, 22, 10)) == 1


def test_the_eligibility_answer_is_kept_until_the_booking(ctx):
    certificado, _ = certificado_solicitado(elegivel=None)
    solicitacao = atribuicoes.solicitacao_de(certificado.id)
    reservas.registrar_elegibilidade(certificado, solicitacao, False)
    assert atribuicoes.solicitacao_de(certificado.id).elegivel_video is False
    reservas.registrar_elegibilidade(certificado, solicitacao, True)
    reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    with pytest.raises(TransicaoInvalida, match="Só é possível agendar"):
        reservas.registrar_elegibilidade(Certificado.get_by_id(certificado.id), solicitacao,
                                             False)
    assert atribuicoes.solicitacao_de(certificado.id).elegivel_video is True


def test_a_time_is_checked_with_its_reason_before_confirming(ctx):
    cfg = horarios.config_agenda(ctx.config)
    reservas.conferir_horario(AGORA, sp(2026, 12, 22, 10), cfg)
    with pytest.raises(reservas.AgendamentoRecusado) as recusa:
        reservas.conferir_horario(AGORA, sp(2026, 12, 22, 10, 10), cfg)
    assert recusa.value.mensagem and not isinstance(recusa.value, reservas.HorarioEsgotado)
    ctx.config["AGENDA_CAPACIDADE"] = 1
    certificado, _ = certificado_solicitado()
    reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA, TITULAR, ctx.config)
    with pytest.raises(reservas.HorarioEsgotado, match="Horário esgotado"):
        reservas.conferir_horario(AGORA, sp(2026, 12, 22, 10),
                                      horarios.config_agenda(ctx.config))


# --- reminder ----------------------------------------------------------------------------

def test_the_reminder_goes_24_hours_before_once(ctx):
    certificado, _ = certificado_solicitado()
    agendamento = reservas.agendar(certificado, sp(2026, 12, 23, 10), AGORA, TITULAR,
                                       ctx.config)
    assert lembretes.enviar_lembretes(sp(2026, 12, 22, 9, 50), ctx.config) == 0  # 24h10 before
    assert lembretes.enviar_lembretes(sp(2026, 12, 22, 10, 5), ctx.config) == 1
    assert lembretes.enviar_lembretes(sp(2026, 12, 22, 10, 15), ctx.config) == 0  # idempotent
    assert Agendamento.get_by_id(agendamento.id).lembrete_enviado_em == datetime(2026, 12, 22,
                                                                                 13, 5)
    [lembrete] = Email.select().where(Email.assunto.startswith("Lembrete"))
    assert lembrete.assunto == "Lembrete: videoconferência 23/12/2026 às 10:00"
    assert lembrete.destinatario == "titular@example.com"
    assert agendamento.link_reuniao in lembrete.texto and "câmera e microfone" in lembrete.texto


def test_no_reminder_for_a_cancelled_booking(ctx):
    certificado, _ = certificado_solicitado()
    reservas.agendar(certificado, sp(2026, 12, 23, 10), AGORA, TITULAR, ctx.config)
    reservas.cancelar(certificado, AGORA, TITULAR, ctx.config)
    assert lembretes.enviar_lembretes(sp(2026, 12, 22, 10, 5), ctx.config) == 0


def test_the_periodic_job_sends_due_reminders(app, demo):
    with app.app_context(), db.connection_context():
        certificado, _ = certificado_solicitado()
        # A booking starting in three hours from the real clock (the job uses real time).
        horario = Horario.create(inicio=utcnow() + timedelta(hours=3), capacidade=2, ocupados=1)
        Agendamento.create(certificado=certificado, horario=horario,
                           link_reuniao="http://portal.test/videoconferencia/abc",
                           ativo_certificado=certificado.id)
    assert tarefas.lembretes_videoconferencia.call_local() >= 1
    with db.connection_context():
        assert Agendamento.get(Agendamento.certificado == certificado.id).lembrete_enviado_em
        [lembrete] = Email.select().where(Email.assunto.startswith("Lembrete")
                                          & (Email.certificado == certificado.id))
        assert lembrete.situacao == "enviado"  # handed to the queue and delivered
        assert Horario.select().count() > 1  # and the horizon's slots were created ahead
    assert tarefas.lembretes_videoconferencia.call_local() == 0
