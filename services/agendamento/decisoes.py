"""The registration agent's decisions on a videoconference or an in-person booking:
"Aprovar e emitir", "Recusar" (with a reason) and "Não compareceu", each allowed from a few
minutes before the start; in person, "Compareceu" comes first (the holder is at the desk),
then the same decisions, so approval issues exactly as by video."""
from datetime import timedelta

from models import Agendamento, Horario, db
from services.agendamento import avisos
from services.agendamento.horarios import descrever, do_banco, quando_texto
from services.agendamento.reservas import AgendamentoRecusado, certificado_de, encerrar
from services.certificacao import validade
from services.titular import atribuicoes, documentos
from services.nucleo.ciclo_de_vida import (SISTEMA, concluir_processo_se_emitido, destino,
                                           mover_certificado, registrar_evento)
import relogio


def agente_pode_agir(agendamento, momento, minutos_antes):
    return momento >= do_banco(agendamento.horario.inicio) - timedelta(minutes=minutos_antes)


def _decisao(agendamento_id, acao, momento, config):
    """Load and check a booking for an agent action; returns (agendamento, certificado)."""
    agendamento = (Agendamento.select(Agendamento, Horario).join(Horario)
                   .where(Agendamento.id == agendamento_id).get())
    certificado = certificado_de(agendamento.certificado_id)
    destino(certificado.situacao, acao)
    if agendamento.situacao != Agendamento.ATIVO:
        raise AgendamentoRecusado("Esta videoconferência não está mais ativa: foi cancelada, "
                                  "reagendada ou já teve um resultado.")
    minutos = int(config.get("AGENDA_ACAO_AGENTE_MINUTOS", 10))
    if not agente_pode_agir(agendamento, momento, minutos):
        liberado = do_banco(agendamento.horario.inicio) - timedelta(minutes=minutos)
        raise AgendamentoRecusado(
            f"Ainda não é possível registrar o resultado: as ações ficam disponíveis a partir "
            f"de {quando_texto(liberado)}, {minutos} minutos antes do início.")
    return agendamento, certificado


def presencial(agendamento):
    return agendamento.horario.ponto_id is not None


def aguarda_comparecimento(agendamento):
    """In person, the decisions wait for "Compareceu"."""
    return presencial(agendamento) and agendamento.compareceu_em is None


def registrar_comparecimento(agendamento_id, momento, ator, config):
    """"Compareceu": the holder is at the ponto; "Aprovar" and "Recusar" open."""
    agendamento, certificado = _decisao(agendamento_id, "aprovar", momento, config)
    if not presencial(agendamento):
        raise AgendamentoRecusado("Só o atendimento presencial registra o comparecimento.")
    with db.atomic():
        marcados = (Agendamento.update(compareceu_em=relogio.utcnow())
                    .where((Agendamento.id == agendamento.id)
                           & Agendamento.compareceu_em.is_null()).execute())
        if marcados != 1:
            raise AgendamentoRecusado("O comparecimento já foi registrado.")
        registrar_evento(certificado.processo_id, "agendamento.compareceu", ator,
                         certificado_id=certificado.id,
                         detalhes=quando_texto(do_banco(agendamento.horario.inicio)))
    return certificado


def _exigir_comparecimento(agendamento):
    if aguarda_comparecimento(agendamento):
        raise AgendamentoRecusado("Registre primeiro que o titular compareceu ao atendimento "
                                  "presencial.")


def aprovar(agendamento_id, momento, ator, config):
    """Approve and issue; the holder's identity document must have been approved first."""
    agendamento, certificado = _decisao(agendamento_id, "aprovar", momento, config)
    _exigir_comparecimento(agendamento)
    atribuicao = atribuicoes.ativa(certificado)
    documentos.exigir_aprovado(certificado, atribuicao.id if atribuicao else None)
    with db.atomic():
        encerrar(agendamento, "realizado")
        mover_certificado(certificado, "aprovar", ator,
                          detalhes="Validação presencial aprovada." if presencial(agendamento)
                          else "Validação por videoconferência aprovada.")
        concluir_processo_se_emitido(certificado.processo, SISTEMA)
        avisos.enviar(certificado, "Seu certificado está pronto", "certificado_emitido",
                      {"link": avisos.link_novo(certificado, config),
                       "pagina": f"{config['BASE_URL']}/titular/{certificado.numero}",
                       "fim_a1": validade.fim_encurtado(config)}, config)
    return certificado


def recusar(agendamento_id, motivo, momento, ator, config):
    motivo = (motivo or "").strip()
    if not motivo:
        raise AgendamentoRecusado("Informe o motivo da recusa.")
    agendamento, certificado = _decisao(agendamento_id, "recusar", momento, config)
    _exigir_comparecimento(agendamento)
    with db.atomic():
        encerrar(agendamento, "realizado")
        mover_certificado(certificado, "recusar", ator, detalhes=f"Motivo: {motivo}")
        avisos.enviar(certificado, "Certificado Digital: correção necessária",
                      "validacao_recusada",
                      {"motivo": motivo, "link": avisos.link_novo(certificado, config)}, config)
    return certificado


def registrar_ausencia(agendamento_id, momento, ator, config):
    """No-show: the request goes back to "Emissão solicitada" to be booked again."""
    agendamento, certificado = _decisao(agendamento_id, "nao_compareceu", momento, config)
    if presencial(agendamento) and agendamento.compareceu_em is not None:
        raise AgendamentoRecusado("O comparecimento do titular já foi registrado.")
    inicio = do_banco(agendamento.horario.inicio)
    with db.atomic():
        encerrar(agendamento, "nao_compareceu")
        mover_certificado(certificado, "nao_compareceu", ator, detalhes=quando_texto(inicio))
        avisos.enviar(certificado, "Você não compareceu "
                      + ("ao atendimento presencial" if presencial(agendamento)
                         else "à videoconferência") + ": agende outra data",
                      "agendamento_ausencia",
                      {"quando": descrever(inicio), "presencial": presencial(agendamento), "link": avisos.link_novo(certificado, config)},
                      config)
    return certificado
