"""pt-BR presentation: dates and times in Brasília, money, CPF; the template filters."""
from datetime import date, datetime

from flask import current_app

from services.nucleo import formatacao
from relogio import em_brasilia


def local_datetime(value):
    return None if value is None else em_brasilia(value)


def format_datetime(value):
    local = local_datetime(value)
    return formatacao.format_datetime(local) if local else ""


def format_date(value):
    if isinstance(value, datetime):
        value = local_datetime(value).date()
    return formatacao.format_date(value) if isinstance(value, date) else ""


def horario_atendimento():
    """'das 8h às 18h': the service hours, which are the agenda's (AGENDA_INICIO, AGENDA_FIM)."""
    def hora(texto):
        h, m = texto.split(":")
        return f"{int(h)}h{m if m != '00' else ''}"

    config = current_app.config
    return f"das {hora(config['AGENDA_INICIO'])} às {hora(config['AGENDA_FIM'])}"
