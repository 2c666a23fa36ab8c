"""The e-mails to the holder about the videoconference: the invitation to book, the
confirmation with its .ics, the cancellation, and the direct links they carry."""
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from models import Agendamento
from services.agendamento import ics
from services.agendamento.horarios import config_agenda, descrever
from services.agendamento import calendario
from services.agendamento import pontos
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import AGENDAMENTO_CANCELADO
from services.titular import atribuicoes
from services.titular import links

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

# In person the holder brings the original document; no camera, no connection.
TENHA_EM_MAOS_PRESENCIAL = (
    TENHA_EM_MAOS[0], TENHA_EM_MAOS[1],
    "Chegue alguns minutos antes do horário. Não é aceita procuração: o atendimento é feito "
    "com o próprio titular.",
)

RESUMO_CONVITE = "Validação por videoconferência — Certificado Digital e-CPF A1"
RESUMO_PRESENCIAL = "Validação presencial — Certificado Digital e-CPF A1"


@dataclass
class _Destino:
    email: str
    nome: str


def _titular(certificado):
    solicitacao = atribuicoes.solicitacao_de(certificado.id)
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


def link_novo(certificado, config):
    """A fresh personal link for the holder (the e-mail must carry one that works)."""
    atribuicao = atribuicoes.ativa(certificado)
    if atribuicao is None:
        return None
    token = links.emitir(atribuicao, int(config.get("LINK_TITULAR_DIAS", 30)))
    return correio.url_externa("titular.link", token=token)


def _contexto_base(certificado, config):
    cfg = config_agenda(config)
    return {
        "certificado": certificado,
        "tenha_em_maos": TENHA_EM_MAOS,
        "pagina": link_direto(certificado, "agendamento", config),
        "prazo_alteracao": calendario.texto_da_duracao(cfg.antecedencia_alteracao),
    }


def enviar(certificado, assunto, modelo, contexto, config, anexos=()):
    """Queue one of these e-mails to the holder (in the caller's transaction)."""
    destino_ = _titular(certificado)
    correio.enfileirar(destino_.email, assunto, modelo,
                       {**_contexto_base(certificado, config), "nome": destino_.nome,
                        **contexto},
                       processo=certificado.processo_id, certificado=certificado.id,
                       anexos=anexos)


def convidar(certificado, config):
    """The e-mail the request's confirmation promises: how to book, with the direct link."""
    enviar(certificado, "Agende a videoconferência do seu Certificado Digital",
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
               + linhas.where(Agendamento.situacao == AGENDAMENTO_CANCELADO).count())


def avisar_cancelamento(certificado, inicio, config, ponto=None):
    """"Videoconferência cancelada" (or the in-person one at `ponto`), with the .ics that
    removes the event."""
    cancelamento = ics.cancellation_ics(
        uid=_convite_uid(certificado, config), start=inicio,
        minutes=config_agenda(config).minutos_por_horario,
        summary=RESUMO_PRESENCIAL if ponto else RESUMO_CONVITE,
        organizer_email=_remetente(config), attendee_email=_titular(certificado).email,
        sequence=_sequencia(certificado))
    enviar(certificado, "Atendimento presencial cancelado" if ponto else
           "Videoconferência cancelada", "agendamento_cancelado",
           {"quando": descrever(inicio), "ponto": ponto}, config,
           anexos=[("cancelamento.ics", "text/calendar", cancelamento)])


def avisar_presencial(certificado, inicio, config, tipo, ponto):
    """The confirmation of an in-person booking or reschedule at `ponto`: the address, a map
    link and the .ics whose location is the address."""
    quando = descrever(inicio)
    endereco = pontos.endereco_completo(ponto)
    mapa = pontos.mapa_url(ponto)
    convite = ics.invitation_ics(
        uid=_convite_uid(certificado, config), start=inicio,
        minutes=config_agenda(config).minutos_por_horario, summary=RESUMO_PRESENCIAL,
        description="Tenha em mãos:\n" + "\n".join(f"- {t}" for t in TENHA_EM_MAOS_PRESENCIAL)
                    + f"\n\n{ponto.nome}\n{endereco}\nMapa: {mapa}",
        location_url=mapa, location=f"{ponto.nome}, {endereco}", organizer_email=_remetente(config),
        attendee_email=_titular(certificado).email, sequence=_sequencia(certificado))
    assunto = (f"Atendimento presencial {'reagendado' if tipo == 'reagendado' else 'agendado'}: "
               f"{quando['data']} às {quando['hora']}")
    enviar(certificado, assunto, "agendamento_presencial",
           {"quando": quando, "ponto": ponto, "endereco": endereco, "mapa": mapa, "tipo": tipo,
            "tenha_em_maos": TENHA_EM_MAOS_PRESENCIAL},
           config, anexos=[("atendimento-presencial.ics", "text/calendar", convite)])


def avisar_agendamento(certificado, agendamento, inicio, config, tipo, ponto=None):
    """The confirmation of a booking or a reschedule (`tipo`), with the invitation .ics."""
    if ponto is not None:
        return avisar_presencial(certificado, inicio, config, tipo, ponto)
    cfg = config_agenda(config)
    destino_ = _titular(certificado)
    quando = descrever(inicio)
    convite = ics.invitation_ics(
        uid=_convite_uid(certificado, config),
        start=inicio, minutes=cfg.minutos_por_horario,
        summary=RESUMO_CONVITE,
        description="Tenha em mãos:\n" + "\n".join(f"- {t}" for t in TENHA_EM_MAOS)
                    + f"\n\nSala: {agendamento.link_reuniao}",
        location_url=agendamento.link_reuniao, organizer_email=_remetente(config),
        attendee_email=destino_.email, sequence=_sequencia(certificado),
    )
    assunto = (f"Videoconferência {'reagendada' if tipo == 'reagendado' else 'agendada'}: "
               f"{quando['data']} às {quando['hora']}")
    enviar(certificado, assunto, "agendamento_confirmado",
           {"quando": quando, "link_reuniao": agendamento.link_reuniao, "tipo": tipo},
           config, anexos=[("videoconferencia.ics", "text/calendar", convite)])
