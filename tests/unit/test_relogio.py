"""The one clock: "today" is the day in Brasília even when UTC already turned the page, and
nothing but relogio/ reads the wall clock, so the `relogio` fixture moves all time."""
import pathlib
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from relogio import TZ, agora, correr_desde, hoje, parar, utcnow
from tests.support.ambiente import AGORA, HORA

RAIZ = pathlib.Path(__file__).resolve().parents[2]
LEITURAS_DO_RELOGIO = re.compile(
    r"\b(date\.today|datetime\.(now|utcnow|today)|time\.(time|localtime)|timezone\.now)\(")


def test_late_evening_in_brasilia_is_still_today_although_utc_is_tomorrow():
    try:
        parar(datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc))  # 22:30 of 30/11 in Brasília
        assert hoje() == date(2026, 11, 30)
        assert agora() == datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)
        assert utcnow() == datetime(2026, 12, 1, 1, 30)
    finally:
        parar(None)


def test_the_clock_runs_on_from_another_instant_for_tests_at_another_hour():
    desde = datetime(2026, 12, 1, 2, 30, tzinfo=timezone.utc)
    try:
        correr_desde(desde)
        assert timedelta(0) <= agora() - desde < timedelta(seconds=5)
    finally:
        correr_desde(None)
    assert agora() - datetime.now(timezone.utc) < timedelta(seconds=1)  # the real now again


@pytest.mark.skipif(HORA is None, reason="TEST_RELOGIO not set: the clock runs at the real hour")
def test_under_test_relogio_a_test_with_a_running_clock_starts_at_that_hour():
    local = agora().astimezone(TZ)
    assert timedelta(0) <= local - datetime.combine(local.date(), HORA, TZ) < timedelta(minutes=5)


def test_the_fixture_stops_the_clock_at_agora_and_moves_it(relogio):
    assert agora() == AGORA and hoje() == date(2026, 12, 21)
    relogio.agora = datetime(2027, 1, 4, 12, 0, tzinfo=timezone.utc)
    assert hoje() == date(2027, 1, 4)


def test_only_the_clock_module_reads_the_wall_clock():
    ignorar = {".venv", "node_modules", ".git"}
    leitores = [
        f"{caminho.relative_to(RAIZ)}:{n}"
        for caminho in RAIZ.rglob("*.py")
        if not ignorar & set(caminho.relative_to(RAIZ).parts)
        and caminho.relative_to(RAIZ).as_posix() not in {"relogio/__init__.py",
                                                        "tests/unit/test_relogio.py"}
        for n, linha in enumerate(caminho.read_text().splitlines(), 1)
        if LEITURAS_DO_RELOGIO.search(linha)
    ]
    assert leitores == [], "leia a hora por relogio (agora, hoje, utcnow) ou pela " \
                           "fixture relogio"


def test_models_reads_the_clock_without_importing_services():
    """models.py sits below services (they import it), so its timestamp defaults read the
    clock from relogio/, which imports nothing of the app."""
    importacoes = re.findall(r"^(?:from|import) (\S+)", (RAIZ / "models.py").read_text(), re.M)
    assert "relogio" in importacoes
    assert not [m for m in importacoes if m.split(".")[0] == "services"]
    assert not re.findall(r"^(?:from|import) (?!datetime|time|zoneinfo)",
                          (RAIZ / "relogio" / "__init__.py").read_text(), re.M)
