"""The reminder e-mail, sent once to each booking that starts within the next 24 hours."""
from datetime import timedelta

from models import Agendamento, Horario, db
from services.agendamento import avisos
from services.agendamento import pontos
from services.agendamento.horarios import descrever, do_banco, para_banco, quando_texto
from services.agendamento.reservas import certificado_de, ponto_de


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
            certificado = certificado_de(agendamento.certificado_id)
            inicio = do_banco(agendamento.horario.inicio)
            ponto = ponto_de(agendamento)
            contexto = {"quando": descrever(inicio), "link_reuniao": agendamento.link_reuniao}
            if ponto is not None:  # in person: where, and what to bring
                contexto.update(ponto=ponto, endereco=pontos.endereco_completo(ponto),
                                mapa=pontos.mapa_url(ponto),
                                tenha_em_maos=avisos.TENHA_EM_MAOS_PRESENCIAL)
            avisos.enviar(certificado, f"Lembrete: {'atendimento presencial' if ponto else 'videoconferência'} "
                                       f"{quando_texto(inicio)}",
                          "agendamento_lembrete", contexto, config)
            enviados += 1
    return enviados
