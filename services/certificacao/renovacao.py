"""Renewal: reminders 30 and 7 days before a certificate expires (holder and buyer), and the
buyer's "Renovar", a new purchase whose certificate goes to the same holder once paid, with
the request prefilled from the last one. The holder is identified again (videoconference or
in person): under Res. CG ICP-Brasil 211/2024 an A1 cannot sign its own renewal."""
from datetime import timedelta

from flask import current_app

from models import Certificado, CertificadoX509, Conta, ProcessoCompra, Solicitacao, db
from services.agendamento import avisos
from services.contratantes import posse
from services.certificacao import emissao
from services.titular import atribuicoes, solicitacoes
from services.nucleo import correio
from services.nucleo import ciclo_de_vida
from services.nucleo.ciclo_de_vida import SISTEMA, registrar_evento
from relogio import em_brasilia, utcnow
from services.nucleo.formatacao import format_date

AVISOS_DIAS = (30, 7)


def _marcar(registro, dias):
    """Conditional: two job runs at once still send one reminder per threshold."""
    marcas = registro.avisos_renovacao
    novo = ",".join(filter(None, [marcas, str(dias)]))
    return (CertificadoX509.update(avisos_renovacao=novo)
            .where((CertificadoX509.id == registro.id)
                   & (CertificadoX509.avisos_renovacao == marcas)).execute()) == 1


def validos_entre(desde, ate):
    """The X.509s not revoked whose validity ends in (desde, ate]: the reminders' candidates,
    and what "Vencimentos" counts and lists (services.contratantes.vencimentos)."""
    return (CertificadoX509.select()
            .where(CertificadoX509.ativo_certificado.is_null(False)
                   & (CertificadoX509.valido_ate > desde) & (CertificadoX509.valido_ate <= ate)))


def avisar(config, agora=None):
    """E-mail holder and buyer of each valid certificate entering 30 or 7 days of its end.
    Returns how many certificates were reminded."""
    agora = agora or utcnow()
    avisados = 0
    for registro in validos_entre(agora, agora + timedelta(days=max(AVISOS_DIAS))):
        restantes = (registro.valido_ate - agora).days + 1
        # The tightest threshold reached and not yet reminded (a late job sends one e-mail).
        limiares = [d for d in sorted(AVISOS_DIAS) if restantes <= d
                    and str(d) not in registro.avisos_renovacao.split(",")]
        if not limiares:
            continue
        with db.atomic():
            if not _marcar(registro, limiares[0]):
                continue
            _enviar_avisos(registro, restantes, config)
        avisados += 1
    return avisados


def _enviar_avisos(registro, restantes, config):
    certificado = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                   .where(Certificado.id == registro.certificado_id).get())
    comprador = Conta.get_by_id(certificado.processo.comprador_id)
    solicitacao = (Solicitacao.select().where(Solicitacao.certificado == certificado.id)
                   .order_by(Solicitacao.id.desc()).first())
    contexto = {"certificado": certificado, "valido_ate": registro.valido_ate,
                "dias": restantes}
    assunto = f"Seu certificado digital vence em {restantes} dia{'s' if restantes > 1 else ''}"
    destinos = [(comprador.email, comprador.nome,
                 correio.url_externa("certificados.gerenciar", numero=certificado.numero), True)]
    if solicitacao and solicitacao.email and solicitacao.email != comprador.email:
        # The holder's own page shows the date; renewing is the buyer's to do.
        destinos.append((solicitacao.email, solicitacao.nome,
                         avisos.link_direto(certificado, "certificado", config), False))
    for email, nome, link, e_comprador in destinos:
        correio.enfileirar(email, assunto, "renovacao_aviso",
                        {**contexto, "nome": nome, "link": link, "comprador": e_comprador},
                        processo=certificado.processo_id, certificado=certificado.id)
    registrar_evento(certificado.processo_id, "certificado.renovacao_avisada", SISTEMA,
                     certificado.id, detalhes=f"Vence em {format_date(em_brasilia(registro.valido_ate))}")


# --- "Renovar" -------------------------------------------------------------------------------

def renovado(conta, numero):
    """`conta`'s certificate `numero` when it can be renewed (issued, with a holder), else
    None. Someone else's, or none, is NaoEncontrado (services.contratantes.posse)."""
    certificado = posse.certificado_do(conta, numero)
    if not ciclo_de_vida.ja_emitido(certificado.situacao):
        return None
    return certificado if atribuicoes.ativa(certificado) else None


def vincular(processo, anterior):
    """Remember that `processo` renews `anterior` (the holder comes from it once paid)."""
    with db.atomic():
        vinculado = (ProcessoCompra.update(renova_id=anterior.id)
                     .where((ProcessoCompra.id == processo.id)
                            & ProcessoCompra.renova_id.is_null()
                            & (ProcessoCompra.situacao
                               == ciclo_de_vida.PROCESSO_AGUARDANDO_PAGAMENTO)).execute())
        if vinculado:  # a resent "Confirmar" finds it linked already
            registrar_evento(processo.id, "processo.renovacao", SISTEMA,
                             detalhes=f"Renovação do certificado {anterior.numero}")


def apos_pagamento(processo, ator):
    """After payment (in its transaction): the new certificate goes to the holder of the
    renewed one, who gets the personal link by e-mail as with any assignment."""
    if not processo.renova_id:
        return None
    anterior = Certificado.get_by_id(processo.renova_id)
    antiga = atribuicoes.ativa(anterior)
    novo = (Certificado.select().where((Certificado.processo == processo.id)
                                       & (Certificado.situacao == ciclo_de_vida.DISPONIVEL))
            .order_by(Certificado.id).first())
    if antiga is None or novo is None:
        return None
    atribuicoes.atribuir(novo, antiga.cpf, antiga.email, Conta.get_by_id(processo.comprador_id),
                         ator, int(current_app.config.get("LINK_TITULAR_DIAS", 30)))
    ultima = emissao.solicitacao_enviada(anterior)
    if ultima is not None:
        solicitacoes.rascunho_da_renovacao(atribuicoes.ativa(novo), novo, ultima)
    return novo
