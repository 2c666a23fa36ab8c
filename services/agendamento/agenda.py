"""What the registration agent's "Agenda" shows: the videoconferences and in-person bookings
of a day (all, by videoconference only, or of one ponto: the `filtro`), the days ahead that
still have some, and one booking with its request, termo and andamento."""
from datetime import datetime, time, timedelta

from peewee import JOIN

from banco.consulta_pronta import ConsultaPronta
from models import (Agendamento, Certificado, Evento, Horario, PontoAtendimento, ProcessoCompra,
                    Solicitacao)
from services.agendamento import calendario
from services.agendamento import pontos
from services.agendamento.decisoes import agente_pode_agir, aguarda_comparecimento, presencial
from services.agendamento.horarios import DIAS_SEMANA, descrever, do_banco, para_banco
from services.nucleo.ciclo_de_vida import (AGENDAMENTOS_DESMARCADOS, CERTIFICADO_SITUACOES, agendado,
                                           agendamento_ativo, agendamento_nao_compareceu,
                                           agendamento_realizado, emitido, pode)
from relogio import TZ
from services.nucleo import entrada
from services.titular import andamento
from services.titular import atribuicoes
from services.titular import termos
from services.nucleo.formatacao import format_time


VIDEO = "video"


def ler_filtro(valor):
    """`?ponto=`: "" (everything), VIDEO, or a ponto's id (an unknown one: everything)."""
    if valor == VIDEO:
        return VIDEO
    ponto_id = entrada.ler_id(valor)
    return ponto_id if ponto_id and PontoAtendimento.get_or_none(id=ponto_id) else ""


def filtros():
    """[(value, label)] of the Agenda's filter."""
    return ([("", "Todos os atendimentos"), (VIDEO, "Videoconferência")]
            + [(str(p.id), f"{p.nome} ({p.cidade}-{p.uf})") for p in pontos.todos()])


def _do_filtro(filtro):
    if filtro == VIDEO:
        return Horario.ponto.is_null()
    if filtro:
        return Horario.ponto == filtro
    return Horario.id.is_null(False)


def _por_filtro(montar, preparada=True):
    """One query of the Agenda written once per kind of filter (banco.consulta_pronta):
    everything, videoconferences, or one ponto (its id a value of the query)."""
    prontas = {filtro: ConsultaPronta(lambda *valores, f=filtro: montar(f, *valores), preparada)
               for filtro in ("", VIDEO)}
    por_ponto = ConsultaPronta(lambda ponto, *valores: montar(ponto, *valores), preparada)

    def ler(filtro, *valores):
        if filtro in prontas:
            return prontas[filtro](*valores)
        return por_ponto(filtro, *valores)
    return ler


def _consulta_do_dia(filtro, desde, ate):
    return (Agendamento.select(Agendamento, Horario, Certificado, PontoAtendimento).join(Horario)
            .join(PontoAtendimento, JOIN.LEFT_OUTER).switch(Agendamento).join(Certificado)
            .where((Horario.inicio >= desde) & (Horario.inicio < ate)
                   & Agendamento.situacao.not_in(AGENDAMENTOS_DESMARCADOS) & _do_filtro(filtro))
            .order_by(Horario.inicio, Agendamento.id))


def _consulta_futuros(filtro, desde):
    return (Agendamento.select(Horario.inicio).join(Horario)
            .where((Agendamento.situacao == Agendamento.ATIVO)
                   & (Horario.inicio >= desde) & _do_filtro(filtro))
            .order_by(Horario.inicio).tuples())


# A day is a time range: a plan kept for any range read the whole agenda (6 ms, not 0.05).
_DO_DIA = _por_filtro(_consulta_do_dia, preparada=False)
_FUTUROS = _por_filtro(_consulta_futuros)
_NOMES = ConsultaPronta(lambda *ids: Solicitacao.select(Solicitacao.certificado, Solicitacao.nome)
                        .where(Solicitacao.certificado.in_(ids)).order_by(Solicitacao.id))


def resultado(agendamento, certificado):
    """How a booking ended, in the agent's words."""
    if agendamento.situacao == Agendamento.ATIVO:
        if presencial(agendamento):
            return ("Aguardando o titular" if agendamento.compareceu_em is None
                    else "Titular compareceu")
        return "Aguardando videoconferência"
    if agendamento_nao_compareceu(agendamento.situacao):
        return "Titular não compareceu"
    if agendamento_realizado(agendamento.situacao):
        return "Aprovado e emitido" if emitido(certificado.situacao) else "Recusado"
    return {"cancelado": "Cancelada pelo titular",
            "reagendado": "Reagendada pelo titular"}.get(agendamento.situacao, "")


def dia_util_vizinho(dia, passo):
    d = dia + timedelta(days=passo)
    while not calendario.dia_util(d):
        d += timedelta(days=passo)
    return d


def _inicio_do_dia(dia):
    return para_banco(datetime.combine(dia, time.min, TZ))


def _nomes(certificado_ids):
    nomes = {}
    for s in _NOMES(*sorted(certificado_ids)) if certificado_ids else ():
        nomes[s.certificado_id] = s.nome
    return nomes


def do_dia(dia, filtro=""):
    """The day's bookings (cancelled and rescheduled ones left out), by time."""
    itens = _DO_DIA(filtro, _inicio_do_dia(dia), _inicio_do_dia(dia + timedelta(days=1)))
    nomes = _nomes({a.certificado_id for a in itens})
    return [{"agendamento": a, "hora": format_time(do_banco(a.horario.inicio)),
             "nome": nomes.get(a.certificado_id) or "Titular",
             "local": a.horario.ponto.nome if a.horario.ponto_id else "Videoconferência",
             "certificado": a.certificado, "resultado": resultado(a, a.certificado)}
            for a in itens]


def proximos(hoje, quantos=10, filtro=""):
    """Days from `hoje` with bookings still to do, to jump straight to them:
    [(day, weekday name, how many)]."""
    contagem = {}
    for (inicio,) in _FUTUROS(filtro, _inicio_do_dia(hoje)):
        local = do_banco(inicio).date()
        contagem[local] = contagem.get(local, 0) + 1
    return [(d, DIAS_SEMANA[d.weekday()], n) for d, n in list(contagem.items())[:quantos]]


def carregar(agendamento_id):
    """(booking with its slot, certificate with its purchase), or None."""
    agendamento = (Agendamento.select(Agendamento, Horario).join(Horario)
                   .where(Agendamento.id == agendamento_id).first())
    if agendamento is None:
        return None
    certificado = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                   .where(Certificado.id == agendamento.certificado_id).get())
    return agendamento, certificado


def detalhe(agendamento, certificado, momento, minutos):
    """Everything the booking's page shows; the decisions open `minutos` before the start."""
    solicitacao = (atribuicoes.solicitacao_de(certificado.id)
                   or Solicitacao.select().where(Solicitacao.certificado == certificado.id)
                   .order_by(Solicitacao.id.desc()).first())
    inicio = do_banco(agendamento.horario.inicio)
    eventos = (Evento.select().where(Evento.certificado == certificado.id)
               .order_by(Evento.criado_em, Evento.id))
    ativo = agendamento_ativo(agendamento.situacao) and agendado(certificado.situacao)
    ponto = (PontoAtendimento.get_by_id(agendamento.horario.ponto_id)
             if presencial(agendamento) else None)
    return {
        "ponto": ponto, "endereco": ponto and pontos.endereco_completo(ponto),
        "aguarda_comparecimento": aguarda_comparecimento(agendamento),
        "solicitacao": solicitacao, "situacao": CERTIFICADO_SITUACOES[certificado.situacao],
        "resultado": resultado(agendamento, certificado),
        "quando": descrever(inicio), "dia_iso": inicio.date().isoformat(),
        "termo": termos.termo_aceito(certificado.id),
        "eventos": [(e, andamento.titulo(e), andamento.situacao(e)) for e in eventos],
        "ativo": ativo,
        "liberado": ativo and agente_pode_agir(agendamento, momento, minutos),
        "libera_em": format_time(inicio - timedelta(minutes=minutos)), "minutos": minutos,
        "pode_revogar": pode(certificado.situacao, "revogar"),
    }
