"""Videoconference slot calendar (docs/dominio.md §6).

Plain functions with "now" passed in, so they are testable and independent of
the server's time zone: every datetime must be aware and is read in Brasília time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from relogio import TZ
from services.nucleo.formatacao import format_date, format_day_month, format_time
from services.nucleo.recusas import Recusa


@dataclass(frozen=True)
class ConfigAgenda:
    inicio: time = time(8, 0)
    fim: time = time(18, 0)  # the last slot ends here
    minutos_por_horario: int = 30
    capacidade: int = 2  # simultaneous calls per slot (= agents); enforced by the caller
    horizonte_dias_uteis: int = 15
    antecedencia_minima: timedelta = timedelta(hours=2)
    antecedencia_alteracao: timedelta = timedelta(hours=1)
    # A ponto de atendimento's own holidays, besides the national ones: ((date, name), …).
    feriados_locais: tuple = ()


CONFIG_PADRAO = ConfigAgenda()


class HorarioIndisponivel(Recusa):
    """The chosen start cannot be booked; the message is fit for the holder."""


@lru_cache(maxsize=16)
def _feriados_nacionais(year: int) -> holidays.HolidayBase:
    # No subdivision given: national holidays only (state/city ones vary per agent).
    return holidays.country_holidays("BR", years=year, language="pt_BR")


def nome_do_feriado(d: date) -> str | None:
    return _feriados_nacionais(d.year).get(d)


def dia_util(d: date, cfg: ConfigAgenda = CONFIG_PADRAO) -> bool:
    return (d.weekday() < 5 and nome_do_feriado(d) is None
            and _feriado_local(d, cfg) is None)


def _feriado_local(d: date, cfg: ConfigAgenda) -> str | None:
    return next((nome for dia, nome in cfg.feriados_locais if dia == d), None)


def dias_uteis_adiante(today: date, n: int, cfg: ConfigAgenda = CONFIG_PADRAO) -> list[date]:
    """The next n business days, today included when it is one."""
    days: list[date] = []
    d = today
    while len(days) < n:
        if dia_util(d, cfg):
            days.append(d)
        d += timedelta(days=1)
    return days


def inicios_do_dia(d: date, cfg: ConfigAgenda = CONFIG_PADRAO) -> list[datetime]:
    if not dia_util(d, cfg):
        return []
    step = timedelta(minutes=cfg.minutos_por_horario)
    # Step on wall-clock time, then attach the zone: slots stay on the hour even
    # if Brazil ever brings daylight saving back.
    wall = datetime.combine(d, cfg.inicio)
    last_end = datetime.combine(d, cfg.fim)
    starts = []
    while wall + step <= last_end:
        starts.append(wall.replace(tzinfo=TZ))
        wall += step
    return starts


def _exigir_fuso(dt: datetime, name: str) -> None:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _horizonte(now: datetime, cfg: ConfigAgenda) -> list[date]:
    return dias_uteis_adiante(now.astimezone(TZ).date(), cfg.horizonte_dias_uteis, cfg)


def inicios_agendaveis(now: datetime, d: date, cfg: ConfigAgenda = CONFIG_PADRAO) -> list[datetime]:
    """Slots of day d that can still be booked at ``now`` (capacity is not checked here)."""
    _exigir_fuso(now, "now")
    if d not in _horizonte(now, cfg):
        return []
    return [s for s in inicios_do_dia(d, cfg) if s - now >= cfg.antecedencia_minima]


def dias_agendaveis(now: datetime, cfg: ConfigAgenda = CONFIG_PADRAO) -> list[date]:
    _exigir_fuso(now, "now")
    return [d for d in _horizonte(now, cfg) if inicios_agendaveis(now, d, cfg)]


def _texto_do_horario(cfg: ConfigAgenda) -> str:
    last = datetime.combine(date.min, cfg.fim) - timedelta(minutes=cfg.minutos_por_horario)
    return f"das {format_time(cfg.inicio)} às {format_time(last)}"


def texto_da_duracao(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutos"
    hours = minutes // 60
    return "1 hora" if hours == 1 else f"{hours} horas"


def conferir_agendavel(now: datetime, start: datetime, cfg: ConfigAgenda = CONFIG_PADRAO) -> None:
    """Raise ``HorarioIndisponivel`` with the reason why ``start`` cannot be booked at ``now``."""
    _exigir_fuso(now, "now")
    _exigir_fuso(start, "start")
    local = start.astimezone(TZ)
    day = local.date()
    if start < now:
        raise HorarioIndisponivel("Este horário já passou. Escolha outro horário.")
    if day.weekday() >= 5:
        raise HorarioIndisponivel("Não há atendimento aos sábados e domingos.")
    if (name := nome_do_feriado(day)) is not None:
        raise HorarioIndisponivel("Não há atendimento em feriados nacionais "
                              f"({format_day_month(day)}: {name}).")
    if (name := _feriado_local(day, cfg)) is not None:
        raise HorarioIndisponivel("Não há atendimento neste ponto em "
                                  f"{format_day_month(day)} ({name}). Escolha outro dia.")
    if local not in inicios_do_dia(day, cfg):
        raise HorarioIndisponivel(
            f"Horário inválido: os atendimentos começam a cada {cfg.minutos_por_horario} minutos, "
            f"{_texto_do_horario(cfg)} (horário de Brasília)."
        )
    if start - now < cfg.antecedencia_minima:
        raise HorarioIndisponivel(
            f"Agende com pelo menos {texto_da_duracao(cfg.antecedencia_minima)} de antecedência."
        )
    horizon = _horizonte(now, cfg)
    if day > horizon[-1]:
        raise HorarioIndisponivel(
            f"É possível agendar até {cfg.horizonte_dias_uteis} dias úteis à frente, "
            f"ou seja, até {format_date(horizon[-1])}."
        )


def pode_alterar(now: datetime, start: datetime, cfg: ConfigAgenda = CONFIG_PADRAO) -> bool:
    """Whether a booking can still be rescheduled or cancelled."""
    _exigir_fuso(now, "now")
    _exigir_fuso(start, "start")
    return start - now >= cfg.antecedencia_alteracao
