"""What the agents' "Pagamentos" page reads: the payments flagged for the back office, and
one boleto with its purchase, its buyer, every payment recorded for that purchase and its
notas fiscais (the current one first, then those it replaced)."""
from models import Boleto, Conta, Pagamento, ProcessoCompra
from services.nucleo.paginacao import Lista
from services.pagamento import notas_fiscais


_SINALIZADOS = Lista(
    lambda: Pagamento.select().where(Pagamento.sinalizado == True),  # noqa: E712
    Pagamento.id, anexos=[("boleto", Boleto), ("processo", ProcessoCompra)])


def sinalizados(por_pagina, depois=None, antes=None):
    """Newest first, a page at a time, on the partial index of flagged payments."""
    return _SINALIZADOS.pagina([], por_pagina, depois, antes)


def boleto(boleto_id):
    return Boleto.get_or_none(Boleto.id == boleto_id)


def compra_do_boleto(boleto):
    """{"processo", "comprador", "pagamentos_da_compra", "notas"} of the boleto's purchase."""
    processo = ProcessoCompra.get_by_id(boleto.processo_id)
    return {"processo": processo, "comprador": Conta.get_by_id(processo.comprador_id),
            "pagamentos_da_compra": list(Pagamento.select()
                                         .where(Pagamento.processo == processo.id)
                                         .order_by(Pagamento.id)),
            "notas": notas_fiscais.historico(processo.id)}
