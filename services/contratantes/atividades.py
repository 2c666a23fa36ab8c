"""'Atividades': the audit trail of the active contratante, newest first — who did what, when,
on which purchase or certificate. Filtered by person (a responsável) and by period (days in
Brasília), paged by cursor on the indexes (contratante, id) and (contratante, conta, id).

The filter is read here, once, for the page and its exports alike: what a person typed comes
back as a `Filtro` or as a `Recusa` naming the field at fault.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import relogio
from models import Certificado, Evento, ProcessoCompra
from services.contratantes import responsaveis
from services.nucleo import entrada
from services.nucleo.paginacao import Lista
from services.nucleo.recusas import Recusa
from services.titular import andamento

ANEXOS = (("processo", ProcessoCompra), ("certificado", Certificado))


@dataclass(frozen=True)
class Filtro:
    pessoa: int | None = None  # a Conta id; None: every person
    de: date | None = None  # first day, inclusive (Brasília)
    ate: date | None = None  # last day, inclusive (Brasília)

    @property
    def do_periodo(self):
        return self.de is not None or self.ate is not None


def pessoas(contratante_id):
    """[(conta id, nome)] the "Pessoa" filter offers: the responsáveis of the contratante."""
    return responsaveis.pessoas(contratante_id)


def _data(texto, campo):
    texto = (texto or "").strip()
    if not texto:
        return None
    try:
        return entrada.ler_data(texto)
    except ValueError as erro:
        raise Recusa(str(erro), campo) from None


def ler_filtro(opcoes, pessoa="", de="", ate=""):
    """The filter from the query string; `opcoes` are `pessoas(...)`. An empty field filters
    nothing; a person outside the list or a date that is no date is refused at its field."""
    conta_id = None
    if (pessoa or "").strip():
        conta_id = entrada.ler_id(pessoa.strip())
        if conta_id not in {i for i, _ in opcoes}:
            raise Recusa("Escolha uma pessoa da lista.", "pessoa")
    inicio = _data(de, "de")
    fim = _data(ate, "ate")
    if inicio and fim and fim < inicio:
        raise Recusa("A data final (até) não pode ser antes da data inicial (de). Confira o "
                     "período.", "ate")
    return Filtro(conta_id, inicio, fim)


def _meia_noite_utc(dia):
    """00:00 of `dia` in Brasília as the database keeps time (naive UTC)."""
    return (datetime.combine(dia, time(0), relogio.TZ).astimezone(timezone.utc)
            .replace(tzinfo=None))


def _onde(com_pessoa, com_de, com_ate, contratante_id, *resto):
    """The WHERE for a filter of this shape, its values in order (person, from, until)."""
    resto = list(resto)
    onde = Evento.contratante == contratante_id
    if com_pessoa:
        onde &= Evento.conta == resto.pop(0)
    if com_de:
        onde &= Evento.criado_em >= resto.pop(0)
    if com_ate:
        onde &= Evento.criado_em < resto.pop(0)
    return onde


def _forma_e_valores(contratante_id, filtro):
    forma = (filtro.pessoa is not None, filtro.de is not None, filtro.ate is not None)
    valores = [contratante_id, *([filtro.pessoa] if filtro.pessoa is not None else []),
               *([_meia_noite_utc(filtro.de)] if filtro.de is not None else []),
               *([_meia_noite_utc(filtro.ate + timedelta(days=1))]
                 if filtro.ate is not None else [])]
    return forma, valores


def condicao(contratante_id, filtro):
    """The WHERE of the list and of its exports. Without a person it reads the index
    (contratante, id); with one, (contratante, conta, id)."""
    forma, valores = _forma_e_valores(contratante_id, filtro)
    return _onde(*forma, *valores)


_LISTAS = {}  # one per shape of the filter


def listar(contratante_id, filtro, por_pagina=20, depois=None, antes=None):
    """One page, newest first, each event with its purchase and certificate (or None). A
    period may narrow the rows by their date: the planner may then read that index and sort
    the few rows it finds."""
    forma, valores = _forma_e_valores(contratante_id, filtro)
    if forma not in _LISTAS:
        _LISTAS[forma] = Lista(
            lambda *valores: Evento.select().where(_onde(*forma, *valores)), Evento.id,
            anexos=ANEXOS, em_ordem=not filtro.do_periodo)
    return _LISTAS[forma].pagina(valores, por_pagina, depois, antes)


def o_que(evento):
    """What happened, as the list and the exports say it: the title, then the details."""
    titulo = andamento.titulo(evento)
    return f"{titulo} — {evento.detalhes}" if evento.detalhes else titulo
