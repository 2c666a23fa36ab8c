"""The certificate lifecycle: every state × every action, and the rules the manual states."""
import pytest

from services.nucleo import ciclo_de_vida
from services.nucleo.ciclo_de_vida import (CERTIFICADO_ACOES, CERTIFICADO_SITUACOES, CERTIFICADO_TRANSICOES,
                                TransicaoInvalida, destino, pode)

# The expected result of each (state, action): the target state, or None when refused.
ESPERADO = {
    ("aguardando_pagamento", "reconhecer_pagamento"): "disponivel",
    ("aguardando_pagamento", "cancelar"): "cancelado",
    ("disponivel", "atribuir"): "atribuido",
    ("atribuido", "reatribuir"): "atribuido",
    ("atribuido", "solicitar"): "solicitado",
    ("pendente_correcao", "solicitar"): "solicitado",
    ("solicitado", "corrigir"): "solicitado",
    ("agendado", "corrigir"): "agendado",
    ("pendente_correcao", "corrigir"): "solicitado",
    ("solicitado", "agendar"): "agendado",
    ("agendado", "reagendar"): "agendado",
    ("agendado", "cancelar_agendamento"): "solicitado",
    ("agendado", "nao_compareceu"): "solicitado",
    ("agendado", "aprovar"): "emitido",
    ("agendado", "recusar"): "pendente_correcao",
    ("emitido", "revogar"): "revogado",
    ("emitido", "reemitir"): "emitido",
}


@pytest.mark.parametrize("situacao", list(CERTIFICADO_SITUACOES))
@pytest.mark.parametrize("acao", list(CERTIFICADO_ACOES))
def test_every_state_and_action(situacao, acao):
    esperado = ESPERADO.get((situacao, acao))
    assert pode(situacao, acao) is (esperado is not None)
    if esperado is None:
        with pytest.raises(TransicaoInvalida) as erro:
            destino(situacao, acao)
        assert str(erro.value)  # a message a person can read
    else:
        assert destino(situacao, acao) == esperado


def test_every_allowed_move_is_in_the_design_table():
    moves = {(origem, para) for (origem, _), para in ESPERADO.items()}
    table = {(origem, para) for origem, destinos in CERTIFICADO_TRANSICOES.items()
             for para in destinos}
    assert moves == table


def test_reassignment_only_before_emission_is_requested():
    assert pode("atribuido", "reatribuir")
    for situacao in ("solicitado", "agendado", "pendente_correcao", "emitido"):
        assert not pode(situacao, "reatribuir")


def test_data_can_be_corrected_until_approval_and_never_after():
    for situacao in ("solicitado", "agendado", "pendente_correcao"):
        assert pode(situacao, "corrigir")
    assert not pode("emitido", "corrigir")


def test_issued_can_only_be_revoked_or_reissued_and_revoked_and_cancelled_are_final():
    for acao in CERTIFICADO_ACOES:
        assert pode("emitido", acao) is (acao in {"revogar", "reemitir"})
        assert not pode("revogado", acao)
        assert not pode("cancelado", acao)


def test_purchase_and_boleto_tables():
    assert ciclo_de_vida.PROCESSO_TRANSICOES["aguardando_pagamento"] == {"pago", "cancelado"}
    assert ciclo_de_vida.PROCESSO_TRANSICOES["pago"] == {"concluido"}
    assert ciclo_de_vida.BOLETO_TRANSICOES["em_aberto"] == {"pago", "substituido", "cancelado"}
    assert ciclo_de_vida.BOLETO_TRANSICOES["pago"] == set()


def test_the_request_can_be_filled_from_assignment_until_approval():
    assert set(ciclo_de_vida.PREENCHIVEIS) == {"atribuido", "solicitado", "agendado",
                                          "pendente_correcao"}


# --- the predicates and named states the rest of the code asks ---------------------------

@pytest.mark.parametrize("predicado, estados", [
    (ciclo_de_vida.atribuido, {"atribuido"}),
    (ciclo_de_vida.agendado, {"agendado"}),
    (ciclo_de_vida.pendente_correcao, {"pendente_correcao"}),
    (ciclo_de_vida.emitido, {"emitido"}),
    (ciclo_de_vida.revogado, {"revogado"}),
    (ciclo_de_vida.cancelado, {"cancelado"}),
    (ciclo_de_vida.preenchivel, {"atribuido", "solicitado", "agendado", "pendente_correcao"}),
    (ciclo_de_vida.ja_solicitado, {"solicitado", "agendado", "pendente_correcao", "emitido"}),
    (ciclo_de_vida.ja_emitido, {"emitido", "revogado"}),
])
def test_certificate_predicates_over_every_state(predicado, estados):
    assert estados <= set(CERTIFICADO_SITUACOES)
    for situacao in CERTIFICADO_SITUACOES:
        assert predicado(situacao) is (situacao in estados), situacao


def test_a_sent_request_can_no_longer_be_reassigned():
    for situacao in ciclo_de_vida.JA_SOLICITADOS:
        assert not pode(situacao, "reatribuir") and not pode(situacao, "atribuir")


@pytest.mark.parametrize("acao", list(CERTIFICADO_ACOES))
def test_origens_are_the_states_the_action_is_allowed_from(acao):
    origens = ciclo_de_vida.origens(acao)
    assert set(origens) == {s for s in CERTIFICADO_SITUACOES if pode(s, acao)}
    assert len(origens) == len(set(origens))


def test_named_states_are_states_of_their_record():
    assert {ciclo_de_vida.AGUARDANDO_PAGAMENTO, ciclo_de_vida.DISPONIVEL, ciclo_de_vida.EMITIDO,
            ciclo_de_vida.CANCELADO} <= set(CERTIFICADO_SITUACOES)
    assert set(ciclo_de_vida.EM_ANDAMENTO) <= set(CERTIFICADO_SITUACOES)
    assert ciclo_de_vida.PROCESSO_AGUARDANDO_PAGAMENTO in ciclo_de_vida.PROCESSO_SITUACOES
    assert ciclo_de_vida.BOLETO_EM_ABERTO in ciclo_de_vida.BOLETO_SITUACOES
    # "vencido" is only shown: an open boleto past its due date.
    assert ciclo_de_vida.BOLETO_VENCIDO not in ciclo_de_vida.BOLETO_SITUACOES


def test_purchase_predicates_over_every_state():
    for situacao in ciclo_de_vida.PROCESSO_SITUACOES:
        assert ciclo_de_vida.processo_aguardando_pagamento(situacao) is (
            situacao == "aguardando_pagamento")
        assert ciclo_de_vida.processo_cancelado(situacao) is (situacao == "cancelado")


@pytest.mark.parametrize("predicado, estados", [
    (ciclo_de_vida.boleto_em_aberto, {"em_aberto"}),
    (ciclo_de_vida.boleto_vencido, {"vencido"}),
    (ciclo_de_vida.boleto_substituido, {"substituido"}),
    (ciclo_de_vida.boleto_cancelado, {"cancelado"}),
    # A replaced boleto is honoured if someone still pays the old slip.
    (ciclo_de_vida.boleto_pagavel, {"em_aberto", "substituido"}),
])
def test_boleto_predicates_over_every_state_stored_or_shown(predicado, estados):
    for situacao in [*ciclo_de_vida.BOLETO_SITUACOES, ciclo_de_vida.BOLETO_VENCIDO]:
        assert predicado(situacao) is (situacao in estados), situacao


def test_booking_email_and_batch_predicates_over_every_state():
    agendamento = ("ativo", "cancelado", "reagendado", "realizado", "nao_compareceu")
    casos = [
        (agendamento, ciclo_de_vida.agendamento_ativo, {"ativo"}),
        (agendamento, ciclo_de_vida.agendamento_realizado, {"realizado"}),
        (agendamento, ciclo_de_vida.agendamento_nao_compareceu, {"nao_compareceu"}),
        (("pendente", "enviado", "falhou"), ciclo_de_vida.email_enviado, {"enviado"}),
        (("previa", "aplicando", "concluido"), ciclo_de_vida.lote_em_previa, {"previa"}),
        (("previa", "aplicando", "concluido"), ciclo_de_vida.lote_aplicando, {"aplicando"}),
        (("previa", "aplicando", "concluido"), ciclo_de_vida.lote_concluido, {"concluido"}),
    ]
    linha = ("valida", "erro", "aplicada", "falhou")
    casos += [(linha, ciclo_de_vida.linha_valida, {"valida"}),
              (linha, ciclo_de_vida.linha_aplicada, {"aplicada"}),
              (linha, ciclo_de_vida.linha_falhou, {"falhou"})]
    for estados, predicado, verdadeiros in casos:
        for situacao in estados:
            assert predicado(situacao) is (situacao in verdadeiros), (predicado, situacao)
    assert ciclo_de_vida.AGENDAMENTO_ATIVO == "ativo"
    assert set(ciclo_de_vida.AGENDAMENTOS_DESMARCADOS) == {"cancelado", "reagendado"}
    assert ciclo_de_vida.AGENDAMENTO_CANCELADO in ciclo_de_vida.AGENDAMENTOS_DESMARCADOS
    assert ciclo_de_vida.EMAIL_PENDENTE == "pendente"
