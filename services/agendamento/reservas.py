"""The holder's booking of the validation videoconference: booking, rescheduling, cancelling,
and what the booking pages may offer right now.

A seat is taken by one conditional UPDATE (`ocupados = ocupados + 1 WHERE ocupados <
capacidade`) in the same transaction as the booking row and the certificate's state move:
two workers can never overbook a slot. "Now" is always passed in (aware), so every rule is
testable. The slots themselves are services.agendamento.horarios.
"""
import secrets
from dataclasses import dataclass

from peewee import IntegrityError

from models import (Agendamento, Certificado, Horario, PontoAtendimento, ProcessoCompra,
                    Solicitacao, db)
from services.agendamento import avisos
from services.agendamento import calendario
from services.agendamento import pontos
from services.agendamento.calendario import HorarioIndisponivel
from services.agendamento.horarios import (config_agenda, do_banco, do_ponto, garantir_horarios,
                                           horarios_livres, para_banco, quando_texto)
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import EstadoAlterado, agendado, destino, mover_certificado, pode
from services.nucleo.recusas import Recusa
from relogio import TZ
from services.titular import atribuicoes


class AgendamentoRecusado(Recusa):
    """The booking or the decision cannot be done; `mensagem` is Portuguese, for the user."""


class HorarioEsgotado(AgendamentoRecusado):
    """Every seat of the chosen time was taken (possibly a moment ago by someone else)."""


MSG_ESGOTADO = ("Horário esgotado: outra pessoa acabou de reservar a última vaga deste "
                "horário. Escolha outro horário.")
MSG_JA_AGENDADO = ("Já existe uma videoconferência agendada para este certificado. Para "
                   "mudar o horário, use “Reagendar”.")


# --- reading -----------------------------------------------------------------------------

def ativo(certificado_id):
    """The certificate's active booking (with its slot), or None."""
    return (Agendamento.select(Agendamento, Horario).join(Horario)
            .where(Agendamento.ativo_certificado == certificado_id).first())


def na_sala(codigo):
    """The active booking whose default meeting address is `codigo`'s, or None."""
    return (Agendamento.select(Agendamento, Horario).join(Horario)
            .where((Agendamento.link_reuniao == sala(codigo))
                   & (Agendamento.situacao == Agendamento.ATIVO)).first())


def ponto_de(agendamento):
    """The booking's PontoAtendimento (removed ones too), or None for a videoconference."""
    ponto_id = agendamento.horario.ponto_id
    return None if ponto_id is None else PontoAtendimento.get_by_id(ponto_id)


def oferecido(certificado):
    """Booking is offered once the request is sent; an active booking can be seen and
    changed."""
    return pode(certificado.situacao, "agendar") or pode(certificado.situacao, "reagendar")


def pode_alterar(agendamento, momento, cfg):
    return calendario.pode_alterar(momento, do_banco(agendamento.horario.inicio), cfg)


@dataclass
class Situacao:
    """What the holder's booking pages may offer for a certificate at a moment."""

    solicitacao: Solicitacao | None
    agendamento: Agendamento | None  # the active booking, when rescheduling is the question
    pode_agendar: bool  # a sent request waits for its first booking
    pode_escolher: bool  # booking (eligible) or rescheduling (active booking, in time)

    @property
    def reagendando(self):
        return self.agendamento is not None

    @property
    def proximo_passo(self):
        """The start page: "resumo", "indisponivel", "elegibilidade", "presencial" or "dias"."""
        if self.reagendando:
            return "resumo"
        if not self.pode_agendar:
            return "indisponivel"
        return {None: "elegibilidade", False: "presencial"}.get(
            self.solicitacao.elegivel_video, "dias")


def conferir_acao(acao, situacao_):
    """The confirmation page's `acao` ("agendar" | "reagendar") as it was shown: a stale
    "agendar" tab finds the booking another tab made, and never books twice."""
    if acao == "agendar" and situacao_.reagendando:
        raise AgendamentoRecusado(MSG_JA_AGENDADO)


def situacao(certificado, momento, cfg, presencial=False):
    """`presencial`: the holder chose the in-person validation, open to anyone (the
    videoconference needs the eligibility answered "sim")."""
    solicitacao = atribuicoes.solicitacao_de(certificado.id)
    agendamento = ativo(certificado.id) if agendado(certificado.situacao) else None
    pode_agendar = pode(certificado.situacao, "agendar") and solicitacao is not None
    if agendamento is not None:
        pode_escolher = pode_alterar(agendamento, momento, cfg)
    else:
        pode_escolher = pode_agendar and (presencial or solicitacao.elegivel_video is True)
    return Situacao(solicitacao, agendamento, pode_agendar, pode_escolher)


def registrar_elegibilidade(certificado, solicitacao, elegivel):
    """The holder's answer to "Você tem algum deles?" (CNH from 2017 or an earlier certificate
    issued with biometrics): True books a videoconference, False means in person."""
    destino(certificado.situacao, "agendar")  # answered before booking, never after
    (Solicitacao.update(elegivel_video=elegivel)
     .where(Solicitacao.id == solicitacao.id).execute())
    solicitacao.elegivel_video = elegivel


def config_de(cfg, ponto):
    """The calendar rules of the videoconference (`ponto` None) or of the ponto."""
    return cfg if ponto is None else pontos.config(cfg, ponto)


def conferir_horario(momento, inicio, cfg, ponto=None):
    """Raise AgendamentoRecusado (why) unless `inicio` can be booked at `momento`."""
    cfg = config_de(cfg, ponto)
    _validar_inicio(momento, inicio, cfg)
    if inicio not in horarios_livres(momento, inicio.astimezone(TZ).date(), cfg,
                                     ponto and ponto.id):
        raise HorarioEsgotado(MSG_ESGOTADO)


# --- seats -------------------------------------------------------------------------------

def _ocupar(inicio, cfg, ponto=None):
    """Take one seat of `inicio` (call inside a transaction) or raise HorarioEsgotado; at a
    ponto, only while it is not removed (pontos.remover)."""
    ponto_id = ponto and ponto.id
    garantir_horarios([inicio], cfg.capacidade, ponto_id)
    horario = Horario.get((Horario.inicio == para_banco(inicio)) & do_ponto(ponto_id))
    livre = (Horario.id == horario.id) & (Horario.ocupados < Horario.capacidade)
    if ponto_id is not None:
        livre &= Horario.ponto.in_(PontoAtendimento.select(PontoAtendimento.id).where(
            (PontoAtendimento.id == ponto_id) & PontoAtendimento.removido_em.is_null()))
    tomados = Horario.update(ocupados=Horario.ocupados + 1).where(livre).execute()
    if tomados != 1:
        raise HorarioEsgotado(MSG_ESGOTADO)
    return horario


def _liberar(horario_id):
    (Horario.update(ocupados=Horario.ocupados - 1)
     .where((Horario.id == horario_id) & (Horario.ocupados > 0)).execute())


def encerrar(agendamento, situacao_):
    """Mark the booking no longer active (conditional: a concurrent change loses)."""
    alterados = (Agendamento.update(situacao=situacao_, ativo_certificado=None)
                 .where((Agendamento.id == agendamento.id)
                        & (Agendamento.situacao == Agendamento.ATIVO)).execute())
    if alterados != 1:
        raise EstadoAlterado("Esta videoconferência foi alterada por outra pessoa. Confira a "
                             "situação atual.")


def sala(codigo):
    """The portal's own meeting page for `codigo` (used when VIDEOCONFERENCIA_URL is unset)."""
    return correio.url_externa("agendamento.sala", codigo=codigo)


def _link_reuniao(config, ponto):
    if ponto is not None:
        return ""  # in person: no meeting room
    codigo = secrets.token_urlsafe(12)
    modelo = config.get("VIDEOCONFERENCIA_URL")
    return modelo.replace("{codigo}", codigo) if modelo else sala(codigo)


def _validar_inicio(momento, inicio, cfg):
    try:
        calendario.conferir_agendavel(momento, inicio, cfg)
    except HorarioIndisponivel as erro:
        raise AgendamentoRecusado(erro.mensagem) from None


def certificado_de(certificado_id):
    """The certificate, fresh, with its purchase."""
    return (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
            .where(Certificado.id == certificado_id).get())


# --- booking, rescheduling, cancelling ---------------------------------------------------

def _onde(ponto):
    return "" if ponto is None else f" em {ponto.nome}"


def agendar(certificado, inicio, momento, ator, config, notificar=True, ponto=None):
    """Book `inicio` (aware) for the certificate, by videoconference or at `ponto` (a
    PontoAtendimento). Returns the Agendamento."""
    cfg = config_de(config_agenda(config), ponto)
    certificado = certificado_de(certificado.id)
    if agendado(certificado.situacao):
        raise AgendamentoRecusado(MSG_JA_AGENDADO)
    destino(certificado.situacao, "agendar")  # TransicaoInvalida with the reason
    _validar_inicio(momento, inicio, cfg)
    try:
        with db.atomic():
            horario = _ocupar(inicio, cfg, ponto)
            agendamento = Agendamento.create(
                certificado=certificado, horario=horario,
                link_reuniao=_link_reuniao(config, ponto), ativo_certificado=certificado.id)
            mover_certificado(certificado, "agendar", ator,
                              detalhes=quando_texto(inicio) + _onde(ponto))
            if notificar:
                avisos.avisar_agendamento(certificado, agendamento, inicio, config, "agendado",
                                          ponto)
    except IntegrityError:
        # The unique "one active booking per certificate" caught a concurrent double booking.
        raise AgendamentoRecusado(MSG_JA_AGENDADO) from None
    return agendamento


def reagendar(certificado, novo_inicio, momento, ator, config, ponto=None):
    """Move the active booking to `novo_inicio` (at `ponto`, or by videoconference); the old
    seat is freed in the same transaction."""
    cfg = config_agenda(config)
    certificado, atual = _agendamento_alteravel(certificado, "reagendar", momento, cfg,
                                                "reagendar")
    cfg = config_de(cfg, ponto)
    if (atual.horario.inicio == para_banco(novo_inicio)
            and atual.horario.ponto_id == (ponto and ponto.id)):
        raise AgendamentoRecusado(("O atendimento já está marcado" if ponto else
                                   "A videoconferência já está marcada")
                                  + " neste horário. Escolha outro horário.")
    _validar_inicio(momento, novo_inicio, cfg)
    with db.atomic():
        horario = _ocupar(novo_inicio, cfg, ponto)
        encerrar(atual, "reagendado")
        _liberar(atual.horario_id)
        link = "" if ponto else (atual.link_reuniao or _link_reuniao(config, None))
        agendamento = Agendamento.create(certificado=certificado, horario=horario,
                                         link_reuniao=link, ativo_certificado=certificado.id)
        mover_certificado(certificado, "reagendar", ator,
                          detalhes=f"De {quando_texto(do_banco(atual.horario.inicio))} para "
                                   f"{quando_texto(novo_inicio)}{_onde(ponto)}")
        avisos.avisar_agendamento(certificado, agendamento, novo_inicio, config, "reagendado",
                                  ponto)
    return agendamento


def cancelar(certificado, momento, ator, config):
    """Cancel the active booking (the seat is freed); the request waits for a new booking."""
    cfg = config_agenda(config)
    certificado, atual = _agendamento_alteravel(certificado, "cancelar_agendamento", momento,
                                                cfg, "cancelar")
    inicio = do_banco(atual.horario.inicio)
    with db.atomic():
        encerrar(atual, "cancelado")
        _liberar(atual.horario_id)
        mover_certificado(certificado, "cancelar_agendamento", ator,
                          detalhes=quando_texto(inicio))
        avisos.avisar_cancelamento(certificado, inicio, config, ponto_de(atual))
    return atual


def _agendamento_alteravel(certificado, acao, momento, cfg, verbo):
    """The fresh certificate and its active booking, if `acao` may still change it now."""
    certificado = certificado_de(certificado.id)
    destino(certificado.situacao, acao)
    atual = ativo(certificado.id)
    if atual is None:
        raise AgendamentoRecusado("Não há videoconferência agendada para este certificado.")
    if not pode_alterar(atual, momento, cfg):
        raise AgendamentoRecusado(_msg_prazo_alteracao(cfg, verbo))
    return certificado, atual


def _msg_prazo_alteracao(cfg, verbo):
    return (f"Não é mais possível {verbo}: faltam menos de "
            f"{calendario.texto_da_duracao(cfg.antecedencia_alteracao)} para o início da videoconferência.")
