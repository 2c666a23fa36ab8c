"""The one clock. "Now" is aware UTC; "today" is the calendar day in Brasília, where every due
date, payment window and videoconference slot is counted, whatever the server's zone.

Every module reads time here and nowhere else, so tests can move it for the whole app at once
(the `relogio` fixture in tests/conftest.py stops it at a chosen instant). A package of its
own, importing nothing of the app, so models.py (below services) reads it too.
"""
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("America/Sao_Paulo")

_parado_em = None  # set only through parar(), by tests
_adiantado = timedelta(0)  # set only through correr_desde(), by tests


def agora():
    """Now, aware, in UTC."""
    return _parado_em or datetime.now(timezone.utc) + _adiantado


def hoje():
    """Today in Brasília."""
    return agora().astimezone(TZ).date()


def utcnow():
    """Now as the database keeps it: naive UTC."""
    return agora().replace(tzinfo=None)


def em_brasilia(momento):
    """`momento` (aware, or naive UTC as the database keeps it) on Brasília's clock: the day
    and hour a person is shown."""
    if momento.tzinfo is None:
        momento = momento.replace(tzinfo=timezone.utc)
    return momento.astimezone(TZ)


def segundos_reais():
    """Wall-clock seconds, never stopped: session timeouts measure the time that really
    passed, whatever instant a test stops the business clock at."""
    return int(time.time())


def parar(instante):
    """Stop the clock at `instante` (aware), or let it run again with None. For tests."""
    global _parado_em
    _parado_em = instante.astimezone(timezone.utc) if instante is not None else None


def correr_desde(instante):
    """Let the clock run on from `instante` (aware), or from the real now with None. For tests:
    the whole suite at a chosen hour (TEST_RELOGIO, tests/conftest.py)."""
    global _adiantado
    _adiantado = (instante - datetime.now(timezone.utc)) if instante is not None else timedelta(0)
