"""The lifecycle of certificates, purchases and boletos: the only place their states change.

Each move is a conditional UPDATE (`WHERE situacao = <from>`), so two workers racing on the
same row cannot both move it or skip a state; the loser gets `EstadoAlterado`. Every move
writes an audit `Evento` in the same transaction. Views ask `pode(...)` before offering an
action and call `mover_*`; they never compare states themselves.

It is also the only place any state is compared, bookings', e-mails' and batches' too: the
rest of the code and the templates (as Jinja tests, see web) ask the predicates here, which
take the state string (`emitido(certificado.situacao)`), and filter queries with the named
states and sets (`Certificado.situacao.in_(EM_ANDAMENTO)`).
"""
from dataclasses import dataclass

from models import Agendamento, Boleto, Certificado, Evento, ProcessoCompra, Proposta, db
from services.nucleo.recusas import Recusa
from relogio import utcnow


class TransicaoInvalida(Recusa):
    """The action is not allowed from the current state (message in Portuguese)."""


class EstadoAlterado(TransicaoInvalida):
    """Someone else changed the record first; reload and show the current state."""


# --- certificate -------------------------------------------------------------------------

CERTIFICADO_SITUACOES = {
    "aguardando_pagamento": "Aguardando pagamento",
    "disponivel": "Pendente de atribuição",
    "atribuido": "Aguardando solicitação do titular",
    "solicitado": "Emissão solicitada",
    "agendado": "Videoconferência agendada",
    "pendente_correcao": "Correção necessária",
    "emitido": "Emitido",
    "revogado": "Revogado",
    "cancelado": "Cancelado",
}

# Action -> ({from states}, to state); a state absent from the set refuses the action.
CERTIFICADO_ACOES = {
    "reconhecer_pagamento": ({"aguardando_pagamento"}, None),  # to: disponivel
    "cancelar": ({"aguardando_pagamento"}, "cancelado"),
    "atribuir": ({"disponivel"}, "atribuido"),
    "reatribuir": ({"atribuido"}, "atribuido"),
    "solicitar": ({"atribuido", "pendente_correcao"}, "solicitado"),
    "corrigir": ({"solicitado", "agendado", "pendente_correcao"}, None),  # see _destino
    "agendar": ({"solicitado"}, "agendado"),
    "reagendar": ({"agendado"}, "agendado"),
    "cancelar_agendamento": ({"agendado"}, "solicitado"),
    "nao_compareceu": ({"agendado"}, "solicitado"),
    "aprovar": ({"agendado"}, "emitido"),
    "recusar": ({"agendado"}, "pendente_correcao"),
    # The X.509 is revoked for good, or revoked to issue a new one (lost file), same end date.
    "revogar": ({"emitido"}, "revogado"),
    "reemitir": ({"emitido"}, "emitido"),
}

CERTIFICADO_TRANSICOES = {
    "aguardando_pagamento": {"disponivel", "cancelado"},
    "disponivel": {"atribuido"},
    "atribuido": {"atribuido", "solicitado"},
    "solicitado": {"agendado", "solicitado"},
    "agendado": {"agendado", "solicitado", "emitido", "pendente_correcao"},
    "pendente_correcao": {"solicitado"},
    "emitido": {"emitido", "revogado"},
    "revogado": set(),
    "cancelado": set(),
}

# States in which the buyer still has something to follow (the default "Situação" filter).
EM_ANDAMENTO = Certificado.EM_ANDAMENTO  # defined with the index that serves the filter

# States in which the holder's request can be filled or corrected (until approval).
PREENCHIVEIS = tuple(s for s in CERTIFICADO_SITUACOES
                     if s in CERTIFICADO_ACOES["solicitar"][0] | CERTIFICADO_ACOES["corrigir"][0])

# The holder's request was sent and the certificate not revoked since.
JA_SOLICITADOS = ("solicitado", "agendado", "pendente_correcao", "emitido")

# Issued at some point: the X.509 exists or existed (renewal, download history).
JA_EMITIDOS = ("emitido", "revogado")

AGUARDANDO_PAGAMENTO = "aguardando_pagamento"
DISPONIVEL = "disponivel"
EMITIDO = "emitido"
CANCELADO = "cancelado"


def origens(acao):
    """The states `acao` is allowed from, to filter a query (`situacao.in_(origens(...))`)."""
    return tuple(s for s in CERTIFICADO_SITUACOES if s in CERTIFICADO_ACOES[acao][0])


def _em(*estados):
    """A question about a state (the string), for code and templates alike: is it one of
    `estados`?"""
    return frozenset(estados).__contains__


# Questions about a certificate's state.
atribuido = _em("atribuido")
agendado = _em("agendado")
pendente_correcao = _em("pendente_correcao")
emitido = _em(EMITIDO)
revogado = _em("revogado")
cancelado = _em(CANCELADO)
preenchivel = _em(*PREENCHIVEIS)
ja_solicitado = _em(*JA_SOLICITADOS)
ja_emitido = _em(*JA_EMITIDOS)


_RECUSAS = {
    "reconhecer_pagamento": "O pagamento deste certificado já foi reconhecido.",
    "atribuir": "Este certificado não está disponível para atribuição.",
    "reatribuir": "A emissão deste certificado já foi solicitada; ele não pode mais ser "
                  "atribuído a outra pessoa.",
    "solicitar": "Este certificado não aceita uma nova solicitação no momento.",
    "corrigir": "Os dados só podem ser corrigidos antes da aprovação do certificado.",
    "agendar": "Só é possível agendar depois de enviar a solicitação e aceitar o termo.",
    "reagendar": "Não há videoconferência agendada para este certificado.",
    "cancelar_agendamento": "Não há videoconferência agendada para este certificado.",
    "nao_compareceu": "Não há videoconferência agendada para este certificado.",
    "aprovar": "Só é possível aprovar um certificado com videoconferência agendada.",
    "recusar": "Só é possível recusar um certificado com videoconferência agendada.",
    "cancelar": "Só é possível cancelar um certificado que aguarda pagamento.",
    "revogar": "Só um certificado emitido e ainda não revogado pode ser revogado.",
    "reemitir": "Só um certificado emitido e ainda não revogado pode ser emitido novamente.",
}


def _destino(acao, origem):
    if acao == "reconhecer_pagamento":
        return "disponivel"
    if acao == "corrigir":
        # A correction keeps a booking; after a refusal it sends the request back.
        return "solicitado" if origem == "pendente_correcao" else origem
    return CERTIFICADO_ACOES[acao][1]


def pode(situacao, acao):
    """Whether `acao` is allowed for a certificate in `situacao`."""
    origens, _ = CERTIFICADO_ACOES[acao]
    return situacao in origens


def destino(situacao, acao):
    """The state `acao` leads to from `situacao` (raises TransicaoInvalida if refused)."""
    if not pode(situacao, acao):
        raise TransicaoInvalida(_RECUSAS[acao])
    para = _destino(acao, situacao)
    assert para in CERTIFICADO_TRANSICOES[situacao], (situacao, para)
    return para


@dataclass(frozen=True)
class Ator:
    """Who did something, as the audit trail shows it."""

    nome: str
    conta_id: int | None = None


SISTEMA = Ator("Sistema")


def registrar_evento(processo_id, tipo, ator, certificado_id=None, de="", para="", detalhes="",
                     contratante_id=None):
    """One line of the audit trail; a purchase's names its contratante (read in the INSERT)."""
    if contratante_id is None and processo_id is not None:
        contratante_id = (ProcessoCompra.select(ProcessoCompra.contratante)
                          .where(ProcessoCompra.id == processo_id))
    Evento.insert(
        processo=processo_id, certificado=certificado_id, contratante=contratante_id,
        ator=ator.nome, conta=ator.conta_id, tipo=tipo, de=de, para=para, detalhes=detalhes,
    ).execute()


def mover_certificado(certificado, acao, ator, detalhes="", **campos):
    """Apply `acao` to `certificado` (a Certificado instance, refreshed in place).

    Extra `campos` (e.g. titular_cpf) are written in the same conditional UPDATE.
    """
    origem = certificado.situacao
    para = destino(origem, acao)
    with db.atomic():
        agora = utcnow()
        updated = (
            Certificado.update(situacao=para, versao=Certificado.versao + 1, atualizado_em=agora,
                               **campos)
            .where((Certificado.id == certificado.id) & (Certificado.situacao == origem)
                   & (Certificado.versao == certificado.versao))
            .execute()
        )
        if updated != 1:
            raise EstadoAlterado(
                "Este certificado foi alterado por outra pessoa enquanto você o via. "
                "Confira a situação atual antes de continuar."
            )
        registrar_evento(certificado.processo_id, f"certificado.{acao}", ator, certificado.id,
                         origem, para, detalhes)
    certificado.situacao = para
    certificado.versao += 1
    certificado.atualizado_em = agora
    for name, value in campos.items():
        setattr(certificado, name, value)
    return certificado


# --- purchase ----------------------------------------------------------------------------

PROCESSO_SITUACOES = {
    "aguardando_pagamento": "Aguardando pagamento",
    "pago": "Pago",
    "concluido": "Concluído",
    "cancelado": "Cancelado",
}

PROCESSO_TRANSICOES = {
    "aguardando_pagamento": {"pago", "cancelado"},
    "pago": {"concluido"},
    "concluido": set(),
    "cancelado": set(),
}

PROCESSO_AGUARDANDO_PAGAMENTO = "aguardando_pagamento"
processo_aguardando_pagamento = _em(PROCESSO_AGUARDANDO_PAGAMENTO)
processo_cancelado = _em("cancelado")
# Paid, whether or not every certificate is issued yet: a nota fiscal may be attached.
processo_pago = _em("pago", "concluido")


# --- boleto ------------------------------------------------------------------------------

BOLETO_SITUACOES = {"em_aberto": "Em aberto", "pago": "Pago", "substituido": "Substituído",
                    "cancelado": "Cancelado"}

BOLETO_TRANSICOES = {
    "em_aberto": {"pago", "substituido", "cancelado"},
    # A replaced boleto can still be paid by someone holding the old slip: it is honoured.
    "substituido": {"pago"},
    "pago": set(),
    "cancelado": set(),
}

BOLETO_EM_ABERTO, BOLETO_PAGO = "em_aberto", "pago"
# Shown, never stored: an open boleto past its due date (services.pagamento.boletos).
BOLETO_VENCIDO = "vencido"

# States in which a payment of the boleto is honoured.
BOLETO_PAGAVEIS = tuple(s for s in BOLETO_SITUACOES if "pago" in BOLETO_TRANSICOES[s])

boleto_em_aberto = _em(BOLETO_EM_ABERTO)
boleto_vencido = _em(BOLETO_VENCIDO)  # of the state shown (`boletos.situacao_exibida`)
boleto_pago = _em(BOLETO_PAGO)
boleto_substituido = _em("substituido")
boleto_cancelado = _em("cancelado")
boleto_pagavel = _em(*BOLETO_PAGAVEIS)


def _mover(model, transicoes, nome, registro, para, ator, processo_id, detalhes, campos):
    origem = registro.situacao
    if para not in transicoes[origem]:
        raise TransicaoInvalida(
            f"Não é possível passar {nome} de “{origem}” para “{para}”."
        )
    with db.atomic():
        updated = (
            model.update(situacao=para, **campos)
            .where((model.id == registro.id) & (model.situacao == origem))
            .execute()
        )
        if updated != 1:
            raise EstadoAlterado(f"{nome.capitalize()} foi alterado por outra pessoa. "
                                 "Confira a situação atual.")
        registrar_evento(processo_id, f"{model._meta.table_name}.{para}", ator, de=origem,
                         para=para, detalhes=detalhes, contratante_id=registro.contratante_id)
    registro.situacao = para
    for name, value in campos.items():
        setattr(registro, name, value)
    return registro


def mover_processo(processo, para, ator, detalhes="", **campos):
    return _mover(ProcessoCompra, PROCESSO_TRANSICOES, "o processo de compra", processo, para,
                  ator, processo.id, detalhes, campos)


def mover_boleto(boleto, para, ator, detalhes="", **campos):
    return _mover(Boleto, BOLETO_TRANSICOES, "o boleto", boleto, para, ator,
                  boleto.processo_id, detalhes, campos)


def concluir_processo_se_emitido(processo, ator=SISTEMA):
    """A paid purchase whose certificates are all issued is complete."""
    pendentes = (Certificado.select()
                 .where((Certificado.processo == processo.id)
                        & (Certificado.situacao != EMITIDO)).count())
    if processo.situacao == "pago" and pendentes == 0:
        mover_processo(processo, "concluido", ator, "Todos os certificados foram emitidos.")


# --- proposta comercial: "vencida" is shown, never stored (services.pagamento.propostas) ----
PROPOSTA_SITUACOES = {"aberta": "Aberta", "contratada": "Contratada", "vencida": "Vencida"}
PROPOSTA_TRANSICOES = {"aberta": {"contratada"}, "contratada": set()}
PROPOSTA_ABERTA, PROPOSTA_VENCIDA = "aberta", "vencida"
proposta_aberta, proposta_vencida = _em(PROPOSTA_ABERTA), _em(PROPOSTA_VENCIDA)


def mover_proposta(proposta, para, ator, detalhes=""):
    return _mover(Proposta, PROPOSTA_TRANSICOES, "a proposta", proposta, para, ator, None,
                  detalhes, {})


# --- videoconference booking (moved by services.agendamento.reservas) --------------------

AGENDAMENTO_ATIVO = Agendamento.ATIVO  # the model's default
AGENDAMENTO_CANCELADO = "cancelado"
# Undone by the holder (cancelled or moved to another slot): no longer on the agents' day.
AGENDAMENTOS_DESMARCADOS = (AGENDAMENTO_CANCELADO, "reagendado")

agendamento_ativo = _em(AGENDAMENTO_ATIVO)
agendamento_realizado, agendamento_nao_compareceu = _em("realizado"), _em("nao_compareceu")


# --- outgoing e-mail (filas.tarefas) -----------------------------------------------------

EMAIL_PENDENTE = "pendente"
email_enviado = _em("enviado")


# --- "Atribuir em lote" (services.titular.lotes) -----------------------------------------

LOTE_PREVIA, LOTE_APLICANDO, LOTE_CONCLUIDO = "previa", "aplicando", "concluido"
LINHA_VALIDA, LINHA_ERRO, LINHA_APLICADA, LINHA_FALHOU = "valida", "erro", "aplicada", "falhou"
lote_em_previa, lote_aplicando, lote_concluido = map(_em, (LOTE_PREVIA, LOTE_APLICANDO,
                                                           LOTE_CONCLUIDO))
linha_valida, linha_aplicada, linha_falhou = map(_em, (LINHA_VALIDA, LINHA_APLICADA,
                                                       LINHA_FALHOU))


# --- the holder's identity document (services.titular.documentos) ------------------------

DOCUMENTO_ENVIADO, DOCUMENTO_APROVADO, DOCUMENTO_RECUSADO = "enviado", "aprovado", "recusado"
DOCUMENTO_SITUACOES = {DOCUMENTO_ENVIADO: "Aguardando conferência",
                       DOCUMENTO_APROVADO: "Aprovado", DOCUMENTO_RECUSADO: "Recusado"}
documento_aprovado, documento_recusado = _em(DOCUMENTO_APROVADO), _em(DOCUMENTO_RECUSADO)
