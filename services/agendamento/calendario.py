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


@dataclass(frozen=True)
class AgendaConfig:
    start: time = time(8, 0)
    end: time = time(18, 0)  # the last slot ends here
    slot_minutes: int = 30
    capacity: int = 2  # simultaneous calls per slot (= agents); enforced by the caller
    horizon_business_days: int = 15
    min_notice: timedelta = timedelta(hours=2)
    change_notice: timedelta = timedelta(hours=1)


DEFAULT_CONFIG = AgendaConfig()


class SlotNotBookable(Exception):
    """The chosen start cannot be booked; ``reason`` is Portuguese, fit for the holder."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=16)
def _national_holidays(year: int) -> holidays.HolidayBase:
    # No subdivision given: national holidays only (state/city ones vary per agent).
    return holidays.country_holidays("BR", years=year, language="pt_BR")


def holiday_name(d: date) -> str | None:
    return _national_holidays(d.year).get(d)


def is_business_day(d: date) -> bool:
    return d.weekday() < 5 and holiday_name(d) is None


def business_days_ahead(today: date, n: int) -> list[date]:
    """The next n business days, today included when it is one."""
    days: list[date] = []
    d = today
    while len(days) < n:
        if is_business_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def slot_starts(d: date, cfg: AgendaConfig = DEFAULT_CONFIG) -> list[datetime]:
    if not is_business_day(d):
        return []
    step = timedelta(minutes=cfg.slot_minutes)
    # Step on wall-clock time, then attach the zone: slots stay on the hour even
    # if Brazil ever brings daylight saving back.
    wall = datetime.combine(d, cfg.start)
    last_end = datetime.combine(d, cfg.end)
    starts = []
    while wall + step <= last_end:
        starts.append(wall.replace(tzinfo=TZ))
        wall += step
    return starts


def _require_aware(dt: datetime, name: str) -> None:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _horizon(now: datetime, cfg: AgendaConfig) -> list[date]:
    return business_days_ahead(now.astimezone(TZ).date(), cfg.horizon_business_days)


def bookable_starts(now: datetime, d: date, cfg: AgendaConfig = DEFAULT_CONFIG) -> list[datetime]:
    """Slots of day d that can still be booked at ``now`` (capacity is not checked here)."""
    _require_aware(now, "now")
    if d not in _horizon(now, cfg):
        return []
    return [s for s in slot_starts(d, cfg) if s - now >= cfg.min_notice]


def bookable_days(now: datetime, cfg: AgendaConfig = DEFAULT_CONFIG) -> list[date]:
    _require_aware(now, "now")
    return [d for d in _horizon(now, cfg) if bookable_starts(now, d, cfg)]


def _hours_text(cfg: AgendaConfig) -> str:
    last = datetime.combine(date.min, cfg.end) - timedelta(minutes=cfg.slot_minutes)
    return f"das {format_time(cfg.start)} às {format_time(last)}"


def duration_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutos"
    hours = minutes // 60
    return "1 hora" if hours == 1 else f"{hours} horas"


def check_bookable(now: datetime, start: datetime, cfg: AgendaConfig = DEFAULT_CONFIG) -> None:
    """Raise ``SlotNotBookable`` with the reason why ``start`` cannot be booked at ``now``."""
    _require_aware(now, "now")
    _require_aware(start, "start")
    local = start.astimezone(TZ)
    day = local.date()
    if start < now:
        raise SlotNotBookable("Este horário já passou. Escolha outro horário.")
    if day.weekday() >= 5:
        raise SlotNotBookable("Não há atendimento aos sábados e domingos.")
    if (name := holiday_name(day)) is not None:
        raise SlotNotBookable("Não há atendimento em feriados nacionais "
                              f"({format_day_month(day)}: {name}).")
    if local not in slot_starts(day, cfg):
        raise SlotNotBookable(
            f"Horário inválido: os atendimentos começam a cada {cfg.slot_minutes} minutos, "
            f"{_hours_text(cfg)} (horário de Brasília)."
        )
    if start - now < cfg.min_notice:
        raise SlotNotBookable(
            f"Agende com pelo menos {duration_text(cfg.min_notice)} de antecedência."
        )
    horizon = _horizon(now, cfg)
    if day > horizon[-1]:
        raise SlotNotBookable(
            f"É possível agendar até {cfg.horizon_business_days} dias úteis à frente, "
            f"ou seja, até {format_date(horizon[-1])}."
        )


def can_change(now: datetime, start: datetime, cfg: AgendaConfig = DEFAULT_CONFIG) -> bool:
    """Whether a booking can still be rescheduled or cancelled."""
    _require_aware(now, "now")
    _require_aware(start, "start")
    return start - now >= cfg.change_notice
