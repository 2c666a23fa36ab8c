import time as systime
from datetime import date, datetime, time, timedelta, timezone

import pytest

from services.agendamento.calendario import (
    TZ,
    ConfigAgenda,
    HorarioIndisponivel,
    dias_agendaveis,
    inicios_agendaveis,
    dias_uteis_adiante,
    pode_alterar,
    conferir_agendavel,
    dia_util,
    inicios_do_dia,
)

UTC = timezone.utc
# Monday 21/12/2026, 09:00 in São Paulo; Christmas and New Year fall in the horizon.
NOW = datetime(2026, 12, 21, 9, 0, tzinfo=TZ)


def sp(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def reason(now, start, cfg=ConfigAgenda()):
    with pytest.raises(HorarioIndisponivel) as exc:
        conferir_agendavel(now, start, cfg)
    return exc.value.mensagem


@pytest.mark.parametrize("day", [date(2026, 12, 19), date(2026, 12, 20)])
def test_weekends_are_not_business_days(day):
    assert not dia_util(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 25),  # Natal
        date(2027, 1, 1),  # Confraternização Universal
        date(2027, 11, 15),  # Proclamação da República (a Monday in 2027)
        date(2026, 11, 20),  # Consciência Negra, national since 2024
        date(2026, 9, 7),  # Independência
        date(2026, 4, 3),  # Sexta-feira Santa
    ],
)
def test_national_holidays_are_not_business_days(day):
    assert not dia_util(day)
    assert inicios_do_dia(day) == []


def test_ordinary_weekday_is_a_business_day():
    assert dia_util(date(2026, 12, 21))


def test_business_days_ahead_starts_today_when_it_is_one():
    assert dias_uteis_adiante(date(2026, 12, 21), 2) == [date(2026, 12, 21), date(2026, 12, 22)]


def test_business_days_ahead_skips_weekend_and_holidays():
    assert dias_uteis_adiante(date(2026, 12, 24), 3) == [
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2026, 12, 29),
    ]


def test_slots_run_every_30_minutes_from_8_to_1730_brasilia():
    starts = inicios_do_dia(date(2026, 12, 21))
    assert len(starts) == 20
    assert starts[0] == sp(2026, 12, 21, 8)
    assert starts[-1] == sp(2026, 12, 21, 17, 30)
    assert all(s.tzinfo == TZ for s in starts)


def test_bookable_days_never_include_weekends_or_holidays():
    days = dias_agendaveis(NOW)
    assert days
    assert all(d.weekday() < 5 for d in days)
    assert date(2026, 12, 25) not in days
    assert date(2027, 1, 1) not in days


def test_horizon_is_15_business_days_counting_today():
    days = dias_agendaveis(NOW)
    assert len(days) == 15
    assert days[0] == date(2026, 12, 21)
    assert days[-1] == date(2027, 1, 12)


def test_now_in_utc_gives_sao_paulo_slots():
    now_utc = NOW.astimezone(UTC)  # 12:00 UTC
    starts = inicios_agendaveis(now_utc, date(2026, 12, 21))
    assert starts[0] == sp(2026, 12, 21, 11)  # 09:00 local + 2 h notice
    assert starts[0].tzinfo == TZ
    assert starts[0].hour == 11


def test_late_evening_utc_date_does_not_shift_the_calendar():
    # 01:00 UTC on the 22nd is still 22:00 of the 21st in São Paulo.
    now_utc = datetime(2026, 12, 22, 1, 0, tzinfo=UTC)
    days = dias_agendaveis(now_utc)
    assert days[0] == date(2026, 12, 22)
    assert days[-1] == date(2027, 1, 12)


def test_result_does_not_depend_on_server_timezone(monkeypatch):
    expected = dias_agendaveis(NOW.astimezone(UTC))
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    systime.tzset()
    try:
        assert dias_agendaveis(NOW.astimezone(UTC)) == expected
    finally:
        monkeypatch.undo()
        systime.tzset()


def test_slots_inside_min_notice_are_not_offered():
    starts = inicios_agendaveis(NOW, date(2026, 12, 21))
    assert sp(2026, 12, 21, 10, 30) not in starts
    assert sp(2026, 12, 21, 11) in starts


def test_today_is_not_offered_once_its_slots_are_too_close():
    assert date(2026, 12, 21) not in dias_agendaveis(sp(2026, 12, 21, 16))


def test_booking_exactly_two_hours_ahead_is_accepted():
    conferir_agendavel(NOW, sp(2026, 12, 21, 11))


def test_booking_less_than_two_hours_ahead_is_refused():
    assert "2 horas de antecedência" in reason(NOW, sp(2026, 12, 21, 10, 30))


def test_past_slot_is_refused():
    assert "já passou" in reason(NOW, sp(2026, 12, 21, 8, 30))


def test_weekend_slot_is_refused():
    assert "sábados e domingos" in reason(NOW, sp(2026, 12, 26, 10))


def test_holiday_slot_is_refused_with_its_name():
    text = reason(NOW, sp(2026, 12, 25, 10))
    assert "feriado" in text and "Natal" in text


@pytest.mark.parametrize(
    "start",
    [
        sp(2026, 12, 22, 10, 15),
        sp(2026, 12, 22, 10).replace(second=30),
        sp(2026, 12, 22, 7, 30),
        sp(2026, 12, 22, 18),
    ],
)
def test_time_off_the_slot_grid_is_refused(start):
    assert "Horário inválido" in reason(NOW, start)


def test_last_day_of_horizon_is_bookable():
    conferir_agendavel(NOW, sp(2027, 1, 12, 17, 30))


def test_day_after_horizon_is_refused():
    assert "até 12/01/2027" in reason(NOW, sp(2027, 1, 13, 8))


def test_slot_given_in_utc_is_checked_in_brasilia_time():
    conferir_agendavel(NOW, sp(2026, 12, 22, 8).astimezone(UTC))


def test_change_allowed_up_to_one_hour_before():
    start = sp(2026, 12, 22, 10)
    assert pode_alterar(start - timedelta(hours=1), start)
    assert not pode_alterar(start - timedelta(minutes=59), start)


def test_change_after_start_is_refused():
    start = sp(2026, 12, 22, 10)
    assert not pode_alterar(start + timedelta(minutes=1), start)


def test_config_changes_hours_and_notice():
    cfg = ConfigAgenda(inicio=time(9, 0), fim=time(12, 0), minutos_por_horario=60,
                       antecedencia_minima=timedelta(0))
    assert [s.hour for s in inicios_agendaveis(NOW, date(2026, 12, 21), cfg)] == [9, 10, 11]


@pytest.mark.parametrize(
    "call",
    [
        lambda: dias_agendaveis(datetime(2026, 12, 21, 9)),
        lambda: inicios_agendaveis(datetime(2026, 12, 21, 9), date(2026, 12, 21)),
        lambda: conferir_agendavel(NOW, datetime(2026, 12, 22, 10)),
        lambda: conferir_agendavel(datetime(2026, 12, 21, 9), sp(2026, 12, 22, 10)),
        lambda: pode_alterar(NOW, datetime(2026, 12, 22, 10)),
    ],
)
def test_naive_datetimes_are_rejected(call):
    with pytest.raises(ValueError):
        call()


def test_refusal_is_not_a_value_error():
    # Callers can tell a holder's wrong choice from a programming error.
    assert not issubclass(HorarioIndisponivel, ValueError)
