"""The videoconference slots: the AGENDA_* settings, Brasília time and the database's UTC,
which days and times still have a seat, and the rows of the horizon created ahead.

Slots (`Horario`) are created lazily, one row per start (per ponto de atendimento, for the
in-person validation: `ponto`, None for the videoconference), with INSERT … ON CONFLICT DO NOTHING,
so any worker may create the same row. A start with no row yet is free. "Now" is always
passed in (aware), so every rule is testable.
"""
from datetime import datetime, time, timedelta, timezone

from peewee import Case

from models import Horario
from services.agendamento import calendario
from services.agendamento.calendario import ConfigAgenda
from services.nucleo.formatacao import format_date, format_time
from relogio import TZ

DIAS_SEMANA = ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
               "sábado", "domingo")


# --- configuration and time --------------------------------------------------------------

def config_agenda(config):
    """ConfigAgenda from the app's settings (AGENDA_*)."""
    return ConfigAgenda(
        inicio=time.fromisoformat(config.get("AGENDA_INICIO", "08:00")),
        fim=time.fromisoformat(config.get("AGENDA_FIM", "18:00")),
        minutos_por_horario=int(config.get("AGENDA_SLOT_MINUTOS", 30)),
        capacidade=int(config.get("AGENDA_CAPACIDADE", 2)),
        horizonte_dias_uteis=int(config.get("AGENDA_HORIZONTE_DIAS_UTEIS", 15)),
        antecedencia_minima=timedelta(hours=int(config.get("AGENDA_ANTECEDENCIA_MINIMA_HORAS", 2))),
        antecedencia_alteracao=timedelta(hours=int(config.get("AGENDA_ALTERACAO_HORAS", 1))),
    )


def para_banco(momento):
    """Aware datetime -> the naive UTC the database keeps."""
    return momento.astimezone(timezone.utc).replace(tzinfo=None)


def do_banco(valor):
    """Naive UTC from the database -> aware, in Brasília time."""
    return valor.replace(tzinfo=timezone.utc).astimezone(TZ)


def descrever(momento):
    """{'data': '22/12/2026', 'dia_semana': 'terça-feira', 'hora': '10:00'} in Brasília."""
    local = momento.astimezone(TZ)
    return {"data": format_date(local), "dia_semana": DIAS_SEMANA[local.weekday()],
            "hora": format_time(local)}


def quando_texto(inicio):
    """'22/12/2026 às 10:00': how the history and the e-mail subjects name a time."""
    d = descrever(inicio)
    return f"{d['data']} às {d['hora']}"


# --- free slots --------------------------------------------------------------------------

def do_ponto(ponto=None):
    """The slots of the ponto (id), or of the videoconference."""
    return Horario.ponto.is_null() if ponto is None else (Horario.ponto == ponto)


def garantir_horarios(inicios, capacidade, ponto=None):
    """Create the slot rows that do not exist yet (idempotent, safe between workers), and
    bring the rows already there to `capacidade` (AGENDA_CAPACIDADE may have changed)."""
    linhas = [{"inicio": para_banco(i), "ponto": ponto, "capacidade": capacidade,
               "ocupados": 0} for i in inicios]
    for lote in range(0, len(linhas), 100):
        Horario.insert_many(linhas[lote:lote + 100]).on_conflict_ignore().execute()
    if linhas:
        ajustar_capacidade(min(inicios), max(inicios), capacidade, ponto)


def ajustar_capacidade(de, ate, capacidade, ponto=None):
    """Set the capacity of the slots between `de` and `ate` (future ones: the callers' starts
    are bookable) to `capacidade`, never below the seats already taken. One conditional
    UPDATE: the row is re-read under its lock, so a seat taken meanwhile is counted."""
    nova = Case(None, [(Horario.ocupados > capacidade, Horario.ocupados)], capacidade)
    return (Horario.update(capacidade=nova)
            .where((Horario.inicio >= para_banco(de)) & (Horario.inicio <= para_banco(ate))
                   & do_ponto(ponto) & (Horario.capacidade != nova))
            .execute())


def _cheios(de, ate, capacidade, ponto):
    """Starts (naive UTC) between `de` and `ate` with no seat left under `capacidade` (the
    current setting, which rows created earlier follow once `ajustar_capacidade` runs)."""
    return {h.inicio for h in Horario.select(Horario.inicio).where(
        (Horario.inicio >= para_banco(de)) & (Horario.inicio <= para_banco(ate))
        & do_ponto(ponto) & (Horario.ocupados >= capacidade))}


def horarios_livres(momento, dia, cfg, ponto=None):
    """The starts of `dia` that can be booked at `momento` and still have a seat (`cfg` is
    the ponto's own, services.agendamento.pontos.config, when `ponto` is given)."""
    inicios = calendario.inicios_agendaveis(momento, dia, cfg)
    if not inicios:
        return []
    cheios = _cheios(inicios[0], inicios[-1], cfg.capacidade, ponto)
    return [i for i in inicios if para_banco(i) not in cheios]


def dias_livres(momento, cfg, ponto=None):
    """The business days in the horizon that still have at least one free time."""
    dias = calendario.dias_agendaveis(momento, cfg)
    if not dias:
        return []
    de = datetime.combine(dias[0], time.min, TZ)
    ate = datetime.combine(dias[-1], time.max, TZ)
    cheios = _cheios(de, ate, cfg.capacidade, ponto)
    return [d for d in dias if any(para_banco(i) not in cheios
                                   for i in calendario.inicios_agendaveis(momento, d, cfg))]


def preparar_horizonte(momento, cfg):
    """Create the rows of every slot in the horizon ahead of time (periodic job)."""
    inicios = [i for d in calendario.dias_agendaveis(momento, cfg)
               for i in calendario.inicios_do_dia(d, cfg)]
    garantir_horarios(inicios, cfg.capacidade)
    return len(inicios)
