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
