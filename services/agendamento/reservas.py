"""Booking the validation videoconference, and the agent's decisions on it.

Slots (`Horario`) are created lazily, one row per start, with INSERT … ON CONFLICT DO NOTHING,
so any worker may create the same row. A seat is taken by one conditional UPDATE
(`ocupados = ocupados + 1 WHERE ocupados < capacidade`) in the same transaction as the
booking row and the certificate's state move: two workers can never overbook a slot.
A start with no row yet is free. "Now" is always passed in (aware), so every rule is testable.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from email.utils import parseaddr
from urllib.parse import urlsplit

from peewee import Case, IntegrityError

from models import (Agendamento, Atribuicao, Certificado, Horario, ProcessoCompra, Solicitacao,
                    Termo, db)
from services.agendamento import calendario
from services.titular import atribuicoes
from services.agendamento import ics
from services.titular import links
from services.nucleo import correio
from services.agendamento.calendario import AgendaConfig, SlotNotBookable
from services.nucleo.ciclo_de_vida import (SISTEMA, EstadoAlterado, concluir_processo_se_emitido, destino,
                                mover_certificado)
from relogio import TZ
from services.nucleo.formatacao import format_date, format_time
from services.nucleo.recusas import Recusa

DIAS_SEMANA = ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
               "sábado", "domingo")

# What the holder must have at hand (docs/dominio.md §6); shown on screen and in every e-mail.
TENHA_EM_MAOS = (
    "Documento de identidade original com foto (RG, CNH, passaporte ou carteira de conselho "
    "profissional; estrangeiros residentes: CNE/CRNM).",
    "O número do CPF, se não estiver no documento.",
    "Celular ou computador com câmera e microfone funcionando.",
    "Um lugar silencioso e bem iluminado, e uma conexão de internet estável.",
    "Não é aceita procuração: a videoconferência é feita pelo próprio titular. A chamada pode "
    "ser gravada.",
)


class AgendamentoRecusado(Recusa):
    """The booking or the decision cannot be done; `mensagem` is Portuguese, for the user."""


class HorarioEsgotado(AgendamentoRecusado):
    """Every seat of the chosen time was taken (possibly a moment ago by someone else)."""


MSG_ESGOTADO = ("Horário esgotado: outra pessoa acabou de reservar a última vaga deste "
                "horário. Escolha outro horário.")
MSG_JA_AGENDADO = ("Já existe uma videoconferência agendada para este certificado. Para "
                   "mudar o horário, use “Reagendar”.")


# --- configuration and time --------------------------------------------------------------

def config_agenda(config):
    """AgendaConfig from the app's settings (AGENDA_*)."""
    return AgendaConfig(
        start=time.fromisoformat(config.get("AGENDA_INICIO", "08:00")),
        end=time.fromisoformat(config.get("AGENDA_FIM", "18:00")),
        slot_minutes=int(config.get("AGENDA_SLOT_MINUTOS", 30)),
        capacity=int(config.get("AGENDA_CAPACIDADE", 2)),
        horizon_business_days=int(config.get("AGENDA_HORIZONTE_DIAS_UTEIS", 15)),
        min_notice=timedelta(hours=int(config.get("AGENDA_ANTECEDENCIA_MINIMA_HORAS", 2))),
        change_notice=timedelta(hours=int(config.get("AGENDA_ALTERACAO_HORAS", 1))),
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


# --- free slots --------------------------------------------------------------------------

def garantir_horarios(inicios, capacidade):
    """Create the slot rows that do not exist yet (idempotent, safe between workers), and
    bring the rows already there to `capacidade` (AGENDA_CAPACIDADE may have changed)."""
    linhas = [{"inicio": para_banco(i), "capacidade": capacidade, "ocupados": 0}
              for i in inicios]
    for lote in range(0, len(linhas), 100):
        Horario.insert_many(linhas[lote:lote + 100]).on_conflict_ignore().execute()
    if linhas:
        ajustar_capacidade(min(inicios), max(inicios), capacidade)


def ajustar_capacidade(de, ate, capacidade):
    """Set the capacity of the slots between `de` and `ate` (future ones: the callers' starts
    are bookable) to `capacidade`, never below the seats already taken. One conditional
    UPDATE: the row is re-read under its lock, so a seat taken meanwhile is counted."""
    nova = Case(None, [(Horario.ocupados > capacidade, Horario.ocupados)], capacidade)
    return (Horario.update(capacidade=nova)
            .where((Horario.inicio >= para_banco(de)) & (Horario.inicio <= para_banco(ate))
                   & (Horario.capacidade != nova))
            .execute())


def _cheios(de, ate, capacidade):
    """Starts (naive UTC) between `de` and `ate` with no seat left under `capacidade` (the
    current setting, which rows created earlier follow once `ajustar_capacidade` runs)."""
    return {h.inicio for h in Horario.select(Horario.inicio).where(
        (Horario.inicio >= para_banco(de)) & (Horario.inicio <= para_banco(ate))
        & (Horario.ocupados >= capacidade))}


def horarios_livres(momento, dia, cfg):
    """The starts of `dia` that can be booked at `momento` and still have a seat."""
    inicios = calendario.bookable_starts(momento, dia, cfg)
    if not inicios:
        return []
    cheios = _cheios(inicios[0], inicios[-1], cfg.capacity)
    return [i for i in inicios if para_banco(i) not in cheios]


def dias_livres(momento, cfg):
    """The business days in the horizon that still have at least one free time."""
    dias = calendario.bookable_days(momento, cfg)
    if not dias:
        return []
    de = datetime.combine(dias[0], time.min, TZ)
    ate = datetime.combine(dias[-1], time.max, TZ)
    cheios = _cheios(de, ate, cfg.capacity)
    return [d for d in dias
            if any(para_banco(i) not in cheios for i in calendario.bookable_starts(momento, d, cfg))]


def preparar_horizonte(momento, cfg):
    """Create the rows of every slot in the horizon ahead of time (periodic job)."""
    inicios = [i for d in calendario.bookable_days(momento, cfg) for i in calendario.slot_starts(d, cfg)]
    garantir_horarios(inicios, cfg.capacity)
    return len(inicios)


# --- reading -----------------------------------------------------------------------------

def ativo(certificado_id):
    """The certificate's active booking (with its slot), or None."""
    return (Agendamento.select(Agendamento, Horario).join(Horario)
            .where(Agendamento.ativo_certificado == certificado_id).first())


def solicitacao_de(certificado_id):
    """The holder's current request (the one of the active assignment)."""
    return (Solicitacao.select().join(Atribuicao)
            .where((Solicitacao.certificado == certificado_id)
                   & Atribuicao.encerrada_em.is_null())
            .order_by(Solicitacao.id.desc()).first())


def termo_aceito(certificado_id):
    """The latest accepted termo of the certificate, or None."""
    return (Termo.select().where((Termo.certificado == certificado_id)
                                 & Termo.aceito_em.is_null(False))
            .order_by(Termo.versao.desc()).first())


def registrar_elegibilidade(certificado, solicitacao, elegivel):
    """The holder's answer to "Você tem algum deles?" (CNH from 2017 or an earlier certificate
    issued with biometrics): True books a videoconference, False means in person."""
    destino(certificado.situacao, "agendar")  # answered before booking, never after
    (Solicitacao.update(elegivel_video=elegivel)
     .where(Solicitacao.id == solicitacao.id).execute())
    solicitacao.elegivel_video = elegivel


def conferir_horario(momento, inicio, cfg):
    """Raise AgendamentoRecusado (why) unless `inicio` can be booked at `momento`."""
    _validar_inicio(momento, inicio, cfg)
    if inicio not in horarios_livres(momento, inicio.astimezone(TZ).date(), cfg):
        raise HorarioEsgotado(MSG_ESGOTADO)


def pode_alterar(agendamento, momento, cfg):
    return calendario.can_change(momento, do_banco(agendamento.horario.inicio), cfg)


def agente_pode_agir(agendamento, momento, minutos_antes):
    return momento >= do_banco(agendamento.horario.inicio) - timedelta(minutes=minutos_antes)


# --- seats -------------------------------------------------------------------------------

def _ocupar(inicio, cfg):
    """Take one seat of `inicio` (call inside a transaction) or raise HorarioEsgotado."""
    garantir_horarios([inicio], cfg.capacity)
    horario = Horario.get(Horario.inicio == para_banco(inicio))
    tomados = (Horario.update(ocupados=Horario.ocupados + 1)
               .where((Horario.id == horario.id) & (Horario.ocupados < Horario.capacidade))
               .execute())
    if tomados != 1:
        raise HorarioEsgotado(MSG_ESGOTADO)
    return horario


def _liberar(horario_id):
    (Horario.update(ocupados=Horario.ocupados - 1)
     .where((Horario.id == horario_id) & (Horario.ocupados > 0)).execute())


def _encerrar(agendamento, situacao):
    """Mark the booking no longer active (conditional: a concurrent change loses)."""
    alterados = (Agendamento.update(situacao=situacao, ativo_certificado=None)
                 .where((Agendamento.id == agendamento.id)
                        & (Agendamento.situacao == Agendamento.ATIVO)).execute())
    if alterados != 1:
        raise EstadoAlterado("Esta videoconferência foi alterada por outra pessoa. Confira a "
                             "situação atual.")


def sala(codigo):
    """The portal's own meeting page for `codigo` (used when VIDEOCONFERENCIA_URL is unset)."""
    return correio.url_externa("agendamento.sala", codigo=codigo)


def _link_reuniao(config):
    codigo = secrets.token_urlsafe(12)
    modelo = config.get("VIDEOCONFERENCIA_URL")
    return modelo.replace("{codigo}", codigo) if modelo else sala(codigo)


def _validar_inicio(momento, inicio, cfg):
    try:
        calendario.check_bookable(momento, inicio, cfg)
    except SlotNotBookable as erro:
        raise AgendamentoRecusado(erro.reason) from None


def _certificado(certificado_id):
    return (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
            .where(Certificado.id == certificado_id).get())


def agendar(certificado, inicio, momento, ator, config, notificar=True):
    """Book `inicio` (aware) for the certificate. Returns the Agendamento."""
    cfg = config_agenda(config)
    certificado = _certificado(certificado.id)
    if certificado.situacao == "agendado":
        raise AgendamentoRecusado(MSG_JA_AGENDADO)
    destino(certificado.situacao, "agendar")  # TransicaoInvalida with the reason
    _validar_inicio(momento, inicio, cfg)
    try:
        with db.atomic():
            horario = _ocupar(inicio, cfg)
            agendamento = Agendamento.create(
                certificado=certificado, horario=horario, link_reuniao=_link_reuniao(config),
                ativo_certificado=certificado.id)
            mover_certificado(certificado, "agendar", ator,
                              detalhes=_quando_texto(inicio))
            if notificar:
                _avisar_agendamento(certificado, agendamento, inicio, config, "agendado")
    except IntegrityError:
        # The unique "one active booking per certificate" caught a concurrent double booking.
        raise AgendamentoRecusado(MSG_JA_AGENDADO) from None
    return agendamento


def reagendar(certificado, novo_inicio, momento, ator, config):
    """Move the active booking to `novo_inicio`; the old seat is freed in the same transaction."""
    cfg = config_agenda(config)
    certificado, atual = _agendamento_alteravel(certificado, "reagendar", momento, cfg,
                                                "reagendar")
    if atual.horario.inicio == para_banco(novo_inicio):
        raise AgendamentoRecusado("A videoconferência já está marcada neste horário. "
                                  "Escolha outro horário.")
    _validar_inicio(momento, novo_inicio, cfg)
    with db.atomic():
        horario = _ocupar(novo_inicio, cfg)
        _encerrar(atual, "reagendado")
        _liberar(atual.horario_id)
        agendamento = Agendamento.create(
            certificado=certificado, horario=horario, link_reuniao=atual.link_reuniao,
            ativo_certificado=certificado.id)
        mover_certificado(certificado, "reagendar", ator,
                          detalhes=f"De {_quando_texto(do_banco(atual.horario.inicio))} para "
                                   f"{_quando_texto(novo_inicio)}")
        _avisar_agendamento(certificado, agendamento, novo_inicio, config, "reagendado")
    return agendamento


def cancelar(certificado, momento, ator, config):
    """Cancel the active booking (the seat is freed); the request waits for a new booking."""
    cfg = config_agenda(config)
    certificado, atual = _agendamento_alteravel(certificado, "cancelar_agendamento", momento,
                                                cfg, "cancelar")
    inicio = do_banco(atual.horario.inicio)
    with db.atomic():
        _encerrar(atual, "cancelado")
        _liberar(atual.horario_id)
        mover_certificado(certificado, "cancelar_agendamento", ator,
                          detalhes=_quando_texto(inicio))
        _enviar(certificado, "Videoconferência cancelada", "agendamento_cancelado",
                {"quando": descrever(inicio)}, config,
                anexos=[("cancelamento.ics", "text/calendar",
                         _cancelamento_ics(certificado, inicio, config))])
    return atual


def _agendamento_alteravel(certificado, acao, momento, cfg, verbo):
    """The fresh certificate and its active booking, if `acao` may still change it now."""
    certificado = _certificado(certificado.id)
    destino(certificado.situacao, acao)
    atual = ativo(certificado.id)
    if atual is None:
        raise AgendamentoRecusado("Não há videoconferência agendada para este certificado.")
    if not pode_alterar(atual, momento, cfg):
        raise AgendamentoRecusado(_msg_prazo_alteracao(cfg, verbo))
    return certificado, atual


def _msg_prazo_alteracao(cfg, verbo):
    return (f"Não é mais possível {verbo}: faltam menos de "
            f"{calendario.duration_text(cfg.change_notice)} para o início da videoconferência.")


def _quando_texto(inicio):
    d = descrever(inicio)
    return f"{d['data']} às {d['hora']}"


# --- the agent's decisions ---------------------------------------------------------------

def _decisao(agendamento_id, acao, momento, config):
    """Load and check a booking for an agent action; returns (agendamento, certificado)."""
    agendamento = (Agendamento.select(Agendamento, Horario).join(Horario)
                   .where(Agendamento.id == agendamento_id).get())
    certificado = _certificado(agendamento.certificado_id)
    destino(certificado.situacao, acao)
    if agendamento.situacao != Agendamento.ATIVO:
        raise AgendamentoRecusado("Esta videoconferência não está mais ativa: foi cancelada, "
                                  "reagendada ou já teve um resultado.")
    minutos = int(config.get("AGENDA_ACAO_AGENTE_MINUTOS", 10))
    if not agente_pode_agir(agendamento, momento, minutos):
        liberado = do_banco(agendamento.horario.inicio) - timedelta(minutes=minutos)
        raise AgendamentoRecusado(
            f"Ainda não é possível registrar o resultado: as ações ficam disponíveis a partir "
            f"de {_quando_texto(liberado)}, {minutos} minutos antes do início.")
    return agendamento, certificado


def _link_novo(certificado, config):
    """A fresh personal link for the holder (the e-mail must carry one that works)."""
    atribuicao = atribuicoes.ativa(certificado)
    if atribuicao is None:
        return None
    token = links.emitir(atribuicao, int(config.get("LINK_TITULAR_DIAS", 30)))
    return correio.url_externa("titular.link", token=token)


def aprovar(agendamento_id, momento, ator, config):
    agendamento, certificado = _decisao(agendamento_id, "aprovar", momento, config)
    with db.atomic():
        _encerrar(agendamento, "realizado")
        mover_certificado(certificado, "aprovar", ator, detalhes="Validação por videoconferência "
                                                                  "aprovada.")
        concluir_processo_se_emitido(certificado.processo, SISTEMA)
        _enviar(certificado, "Seu certificado está pronto", "certificado_emitido",
                {"link": _link_novo(certificado, config),
                 "pagina": f"{config['BASE_URL']}/titular/{certificado.numero}"}, config)
    return certificado


def recusar(agendamento_id, motivo, momento, ator, config):
    motivo = (motivo or "").strip()
    if not motivo:
        raise AgendamentoRecusado("Informe o motivo da recusa.")
    agendamento, certificado = _decisao(agendamento_id, "recusar", momento, config)
    with db.atomic():
        _encerrar(agendamento, "realizado")
        mover_certificado(certificado, "recusar", ator, detalhes=f"Motivo: {motivo}")
        _enviar(certificado, "Certificado Digital: correção necessária", "validacao_recusada",
                {"motivo": motivo, "link": _link_novo(certificado, config)}, config)
    return certificado


def registrar_ausencia(agendamento_id, momento, ator, config):
    """No-show: the request goes back to "Emissão solicitada" to be booked again."""
    agendamento, certificado = _decisao(agendamento_id, "nao_compareceu", momento, config)
    inicio = do_banco(agendamento.horario.inicio)
    with db.atomic():
        _encerrar(agendamento, "nao_compareceu")
        mover_certificado(certificado, "nao_compareceu", ator, detalhes=_quando_texto(inicio))
        _enviar(certificado, "Você não compareceu à videoconferência: agende outra data",
                "agendamento_ausencia",
                {"quando": descrever(inicio), "link": _link_novo(certificado, config)}, config)
    return certificado


# --- reminder ----------------------------------------------------------------------------

def enviar_lembretes(momento, config):
    """E-mail each active booking that starts within 24 h, once. Returns how many."""
    limite = momento + timedelta(hours=24)
    candidatos = list(
        Agendamento.select(Agendamento, Horario).join(Horario)
        .where((Agendamento.situacao == Agendamento.ATIVO)
               & Agendamento.lembrete_enviado_em.is_null()
               & (Horario.inicio > para_banco(momento)) & (Horario.inicio <= para_banco(limite))))
    enviados = 0
    for agendamento in candidatos:
        with db.atomic():
            # Conditional: two job runs at once still send one reminder.
            marcado = (Agendamento.update(lembrete_enviado_em=para_banco(momento))
                       .where((Agendamento.id == agendamento.id)
                              & Agendamento.lembrete_enviado_em.is_null()
                              & (Agendamento.situacao == Agendamento.ATIVO)).execute())
            if marcado != 1:
                continue
            certificado = _certificado(agendamento.certificado_id)
            inicio = do_banco(agendamento.horario.inicio)
            _enviar(certificado, f"Lembrete: videoconferência {_quando_texto(inicio)}",
                    "agendamento_lembrete",
                    {"quando": descrever(inicio), "link_reuniao": agendamento.link_reuniao},
                    config)
            enviados += 1
    return enviados


# --- e-mails -----------------------------------------------------------------------------

@dataclass
class _Destino:
    email: str
    nome: str


def _titular(certificado):
    solicitacao = solicitacao_de(certificado.id)
    email = (solicitacao.email if solicitacao and solicitacao.email
             else certificado.titular_email)
    return _Destino(email, solicitacao.nome if solicitacao else "")


def link_direto(certificado, destino, config):
    """The holder's direct link to `destino` ("agendamento" or "certificado"): it opens their
    session from any inbox, as the personal link does. An assignment whose link expired gets
    a new one (there is none to revoke). The e-mail row keeps the token's placeholder only
    (services.segredos)."""
    atribuicao = atribuicoes.ativa(certificado)
    if atribuicao is None:
        return None
    link = links.ultimo_ativo(atribuicao.id)
    token = links.token(link) if link else None
    if token is None:
        token = links.emitir(atribuicao, int(config.get("LINK_TITULAR_DIAS", 30)))
    return correio.url_externa("titular.direto", token=token, destino=destino)


def _contexto_base(certificado, config):
    cfg = config_agenda(config)
    return {
        "certificado": certificado,
        "tenha_em_maos": TENHA_EM_MAOS,
        "pagina": link_direto(certificado, "agendamento", config),
        "prazo_alteracao": calendario.duration_text(cfg.change_notice),
    }


def _enviar(certificado, assunto, modelo, contexto, config, anexos=()):
    destino_ = _titular(certificado)
    correio.enfileirar(destino_.email, assunto, modelo,
                    {**_contexto_base(certificado, config), "nome": destino_.nome, **contexto},
                    processo=certificado.processo_id, certificado=certificado.id, anexos=anexos)


def convidar(certificado, config):
    """The e-mail the request's confirmation promises: how to book, with the direct link."""
    _enviar(certificado, "Agende a videoconferência do seu Certificado Digital",
            "agendar_videoconferencia", {}, config)


def _convite_uid(certificado, config):
    """One calendar event per certificate: every invitation and cancellation updates it."""
    host = urlsplit(config["BASE_URL"]).hostname or "localhost"
    return f"videoconferencia-{certificado.numero}@{host}"


def _remetente(config):
    return parseaddr(config.get("MAIL_DEFAULT_SENDER") or "")[1] or "nao-responda@localhost"


def _sequencia(certificado):
    """SEQUENCE of the next calendar message: it grows with every booking, reschedule and
    cancellation (call after the change is written), so calendar apps apply each in order."""
    linhas = Agendamento.select().where(Agendamento.certificado == certificado.id)
    return max(0, linhas.count() - 1
               + linhas.where(Agendamento.situacao == "cancelado").count())


RESUMO_CONVITE = "Validação por videoconferência — Certificado Digital e-CPF A1"


def _cancelamento_ics(certificado, inicio, config):
    return ics.cancellation_ics(
        uid=_convite_uid(certificado, config), start=inicio,
        minutes=config_agenda(config).slot_minutes, summary=RESUMO_CONVITE,
        organizer_email=_remetente(config), attendee_email=_titular(certificado).email,
        sequence=_sequencia(certificado))


def _avisar_agendamento(certificado, agendamento, inicio, config, tipo):
    cfg = config_agenda(config)
    destino_ = _titular(certificado)
    quando = descrever(inicio)
    convite = ics.invitation_ics(
        uid=_convite_uid(certificado, config),
        start=inicio, minutes=cfg.slot_minutes,
        summary=RESUMO_CONVITE,
        description="Tenha em mãos:\n" + "\n".join(f"- {t}" for t in TENHA_EM_MAOS)
                    + f"\n\nSala: {agendamento.link_reuniao}",
        location_url=agendamento.link_reuniao, organizer_email=_remetente(config),
        attendee_email=destino_.email, sequence=_sequencia(certificado),
    )
    assunto = (f"Videoconferência {'reagendada' if tipo == 'reagendado' else 'agendada'}: "
               f"{quando['data']} às {quando['hora']}")
    _enviar(certificado, assunto, "agendamento_confirmado",
            {"quando": quando, "link_reuniao": agendamento.link_reuniao, "tipo": tipo},
            config, anexos=[("videoconferencia.ics", "text/calendar", convite)])
