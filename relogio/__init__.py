"""The one clock. "Now" is aware UTC; "today" is the calendar day in Brasília, where every due
date, payment window and videoconference slot is counted, whatever the server's zone.

Every module reads time here and nowhere else, so tests can move it for the whole app at once
(the `relogio` fixture in tests/conftest.py stops it at a chosen instant). A package of its
own, importing nothing of the app, so models.py (below services) reads it too.
"""
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("America/Sao_Paulo")

_parado_em = None  # set only through parar(), by tests


def agora():
    """Now, aware, in UTC."""
    return _parado_em or datetime.now(timezone.utc)


def hoje():
    """Today in Brasília."""
    return agora().astimezone(TZ).date()


def utcnow():
    """Now as the database keeps it: naive UTC."""
    return agora().replace(tzinfo=None)


def segundos_reais():
    """Wall-clock seconds, never stopped: session timeouts measure the time that really
    passed, whatever instant a test stops the business clock at."""
    return int(time.time())


def parar(instante):
    """Stop the clock at `instante` (aware), or let it run again with None. For tests."""
    global _parado_em
    _parado_em = instante.astimezone(timezone.utc) if instante is not None else None
