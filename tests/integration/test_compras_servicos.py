"""Purchase, new boleto and cancellation rules, with "today" injected."""
from datetime import date, timedelta

import pytest

from models import Boleto, Certificado, Email, Evento, Pagamento, ProcessoCompra
from services.pagamento import boletos
from services.pagamento import compras
from services.pagamento import pagamentos
import relogio
from services.nucleo.ciclo_de_vida import Ator
from tests.support.financeiro import conta, nova_compra

ATOR = Ator("Teste")


@pytest.fixture
def ctx(app, demo):
    with app.app_context(), app.test_request_context():
        from models import db

        with db.connection_context():
            yield app


def beneficiario(app):
    return boletos.Beneficiario.from_config(app.config)


# --- first due date ----------------------------------------------------------------------

@pytest.mark.parametrize("dia, vencimento", [
    (date(2026, 3, 2), date(2026, 3, 5)),    # Monday -> Thursday
    (date(2026, 3, 5), date(2026, 3, 10)),   # Thursday -> Tuesday (weekend skipped)
    (date(2026, 3, 7), date(2026, 3, 11)),   # Saturday -> Wednesday
    (date(2026, 4, 1), date(2026, 4, 7)),    # Good Friday 03/04 is not a business day
    (date(2026, 12, 23), date(2026, 12, 29)),  # Christmas skipped
])
def test_first_boleto_is_due_on_the_third_business_day(dia, vencimento):
    assert compras.vencimento_inicial(dia) == vencimento


# --- the new-boleto window ---------------------------------------------------------------

def _boleto(vencimento, original=None, situacao="em_aberto"):
    return Boleto(vencimento=vencimento, vencimento_original=original or vencimento,
                  situacao=situacao)


def test_window_ends_ten_days_after_the_original_due_date():
    boleto = _boleto(date(2026, 3, 12), original=date(2026, 3, 5))
    assert boletos.limite_novo_boleto(boleto) == date(2026, 3, 15)


@pytest.mark.parametrize("dia, pode", [
    (date(2026, 3, 5), False),   # the due date itself: not overdue yet
    (date(2026, 3, 6), True),    # overdue
    (date(2026, 3, 15), True),   # last day of the window
    (date(2026, 3, 16), False),  # after the window
])
def test_new_boleto_only_for_overdue_boletos_within_the_window(dia, pode):
    assert boletos.pode_gerar_novo(_boleto(date(2026, 3, 5)), dia) is pode


@pytest.mark.parametrize("situacao", ["pago", "substituido", "cancelado"])
def test_no_new_boleto_for_a_boleto_that_is_not_open(situacao):
    assert not boletos.pode_gerar_novo(_boleto(date(2026, 3, 5), situacao=situacao),
                                       date(2026, 3, 8))


def test_overdue_open_boleto_is_shown_as_vencido():
    boleto = _boleto(date(2026, 3, 5))
    assert boletos.situacao_exibida(boleto, date(2026, 3, 5)) == "em_aberto"
    assert boletos.situacao_exibida(boleto, date(2026, 3, 6)) == "vencido"


@pytest.mark.parametrize("nova", [date(2026, 3, 8), date(2026, 3, 12), date(2026, 3, 15)])
def test_new_date_from_today_to_original_plus_ten_is_accepted(nova):
    boletos.validar_novo_vencimento(_boleto(date(2026, 3, 5)), nova, date(2026, 3, 8))


@pytest.mark.parametrize("nova, message", [
    (date(2026, 3, 7), "já passou"),
    (date(2026, 3, 16), "até 15/03/2026"),
])
def test_new_date_outside_the_window_is_refused(nova, message):
    with pytest.raises(boletos.NovoBoletoRecusado, match=message):
        boletos.validar_novo_vencimento(_boleto(date(2026, 3, 5)), nova, date(2026, 3, 8))


def test_window_counts_from_the_original_date_even_for_a_replacement():
    replacement = _boleto(date(2026, 3, 12), original=date(2026, 3, 5))
    with pytest.raises(boletos.NovoBoletoRecusado, match="até 15/03/2026"):
        boletos.validar_novo_vencimento(replacement, date(2026, 3, 22), date(2026, 3, 13))


# --- buying ------------------------------------------------------------------------------

def test_purchase_creates_certificates_boleto_and_email_with_the_pdf(ctx):
    maria = conta()
    processo, boleto, criada = compras.comprar(maria, 2, "a" * 32, beneficiario(ctx), ATOR,
                                               dia=date(2026, 3, 2))
    assert criada
    assert processo.total_centavos == 2 * ctx.config["PRECO_CENTAVOS"]
    assert boleto.vencimento == date(2026, 3, 5)
    assert boleto.pix_copia_e_cola  # a PIX key is configured in the tests
    assert [c.situacao for c in processo.certificados] == ["aguardando_pagamento"] * 2
    email = Email.get(Email.processo == processo.id)
    assert email.destinatario == maria.email
    from services.nucleo import correio
    [(nome, tipo, dados)] = correio.anexos(email)
    assert tipo == "application/pdf" and dados.startswith(b"%PDF")


def test_same_idempotency_key_buys_once(ctx):
    maria = conta()
    primeiro = compras.comprar(maria, 1, "b" * 32, beneficiario(ctx), ATOR)
    segundo = compras.comprar(maria, 1, "b" * 32, beneficiario(ctx), ATOR)
    assert segundo[0].id == primeiro[0].id and segundo[2] is False
    assert ProcessoCompra.select().where(ProcessoCompra.chave_idempotencia == "b" * 32).count() == 1


def test_someone_elses_key_is_refused(ctx):
    compras.comprar(conta(), 1, "c" * 32, beneficiario(ctx), ATOR)
    with pytest.raises(compras.CompraRecusada):
        compras.comprar(conta("11144477735"), 1, "c" * 32, beneficiario(ctx), ATOR)


@pytest.mark.parametrize("quantidade", [0, 101])
def test_quantity_outside_one_to_a_hundred_is_refused(ctx, quantidade):
    with pytest.raises(compras.CompraRecusada):
        compras.comprar(conta(), quantidade, "d" * 32, beneficiario(ctx), ATOR)


# --- "Gerar novo Boleto" -----------------------------------------------------------------

def test_new_boleto_replaces_the_old_one_with_new_numbers(ctx):
    hoje = relogio.hoje()
    antigo = nova_compra(ctx, hoje - timedelta(days=2)).boletos.get()
    novo, criado = boletos.gerar_novo_boleto(antigo, hoje + timedelta(days=3),
                                             beneficiario(ctx), ATOR, hoje)
    assert criado
    assert Boleto.get_by_id(antigo.id).situacao == "substituido"
    assert novo.substitui_id == antigo.id and novo.situacao == "em_aberto"
    assert novo.valor_centavos == antigo.valor_centavos
    assert novo.vencimento_original == antigo.vencimento_original
    assert novo.linha_digitavel != antigo.linha_digitavel
    assert novo.nosso_numero != antigo.nosso_numero
    assert Email.select().where(Email.assunto.contains("novo boleto")).count() == 1


def test_each_purchase_numbers_its_own_boletos_1_2_3(ctx):
    hoje = relogio.hoje()
    processo = nova_compra(ctx, hoje - timedelta(days=4))
    outra = nova_compra(ctx, hoje + timedelta(days=3))  # issued in between: no gap below
    primeiro = processo.boletos.get()
    segundo, _ = boletos.gerar_novo_boleto(primeiro, hoje - timedelta(days=0), beneficiario(ctx),
                                           ATOR, hoje - timedelta(days=2))
    terceiro, _ = boletos.gerar_novo_boleto(Boleto.get_by_id(segundo.id), hoje + timedelta(days=2),
                                            beneficiario(ctx), ATOR, hoje + timedelta(days=1))
    assert [b.numero_documento for b in (primeiro, segundo, terceiro)] == [
        f"{processo.numero}-1", f"{processo.numero}-2", f"{processo.numero}-3"]
    assert outra.boletos.get().numero_documento == f"{outra.numero}-1"
    # The bank's "nosso número" stays unique across all purchases.
    assert len({b.nosso_numero for b in Boleto.select()}) == Boleto.select().count()


def test_second_request_for_the_same_boleto_gets_the_same_replacement(ctx):
    hoje = relogio.hoje()
    antigo = nova_compra(ctx, hoje - timedelta(days=2)).boletos.get()
    primeiro, _ = boletos.gerar_novo_boleto(antigo, hoje + timedelta(days=3), beneficiario(ctx),
                                            ATOR, hoje)
    stale = Boleto.get_by_id(antigo.id)
    stale.situacao = "em_aberto"  # what a second worker read before the first committed
    segundo, criado = boletos.gerar_novo_boleto(stale, hoje + timedelta(days=4),
                                                beneficiario(ctx), ATOR, hoje)
    assert (segundo.id, criado) == (primeiro.id, False)
    assert Boleto.select().where(Boleto.substitui == antigo.id).count() == 1


def test_a_paid_boleto_cannot_be_replaced(ctx):
    hoje = relogio.hoje()
    boleto = nova_compra(ctx, hoje - timedelta(days=2)).boletos.get()
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje, "agente", "x", ATOR)
    with pytest.raises(boletos.NovoBoletoRecusado):
        boletos.gerar_novo_boleto(Boleto.get_by_id(boleto.id), hoje + timedelta(days=2),
                                  beneficiario(ctx), ATOR, hoje)


def test_paying_the_replaced_boleto_still_credits_once(ctx):
    hoje = relogio.hoje()
    processo = nova_compra(ctx, hoje - timedelta(days=2))
    antigo = processo.boletos.get()
    novo, _ = boletos.gerar_novo_boleto(antigo, hoje + timedelta(days=3), beneficiario(ctx),
                                        ATOR, hoje)
    pagamentos.reconhecer_pagamento(Boleto.get_by_id(antigo.id), antigo.valor_centavos, hoje,
                                 "agente", "pagou-o-antigo", ATOR)
    assert ProcessoCompra.get_by_id(processo.id).situacao == "pago"
    assert Boleto.get_by_id(novo.id).situacao == "cancelado"
    segundo = pagamentos.reconhecer_pagamento(Boleto.get_by_id(novo.id), novo.valor_centavos, hoje,
                                           "agente", "pagou-o-novo-tambem", ATOR)
    assert segundo.sinalizado and not segundo.creditado


# --- payment recognised ------------------------------------------------------------------

def test_recognised_payment_e_mails_the_buyer(ctx):
    processo = nova_compra(ctx, relogio.hoje() + timedelta(days=2))
    boleto = processo.boletos.get()
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, relogio.hoje(), "agente", "r1",
                                 ATOR)
    email = Email.get(Email.assunto.contains("Pagamento reconhecido"))
    assert email.destinatario == conta().email
    assert "Pendente de atribuição" in email.texto and "Gerenciar Certificados" in email.texto


def test_wrong_amount_sends_no_payment_e_mail(ctx):
    boleto = nova_compra(ctx, relogio.hoje() + timedelta(days=2)).boletos.get()
    pagamentos.reconhecer_pagamento(boleto, 100, relogio.hoje(), "agente", "r2", ATOR)
    assert not Email.select().where(Email.assunto.contains("Pagamento reconhecido")).exists()


def aviso_de_devolucao(processo):
    return list(Email.select().where((Email.processo == processo.id)
                                     & Email.assunto.contains("será devolvido")))


def test_wrong_amount_tells_the_buyer_it_will_be_refunded_and_what_to_pay(ctx):
    processo = nova_compra(ctx, relogio.hoje() + timedelta(days=2))
    boleto = processo.boletos.get()
    pagamentos.reconhecer_pagamento(boleto, 100, relogio.hoje(), "agente", "r3", ATOR)
    [email] = aviso_de_devolucao(processo)
    assert email.destinatario == conta().email
    assert processo.numero in email.assunto
    assert "R$ 1,00" in email.texto and "não foi creditado" in email.texto
    assert "diferente do valor do boleto, R$ 150,00" in email.texto
    assert "será devolvido" in email.texto and "Financeiro" in email.texto
    assert "será devolvido" in email.html


def test_second_payment_of_a_paid_purchase_tells_the_buyer_it_will_be_refunded(ctx):
    processo = nova_compra(ctx, relogio.hoje() + timedelta(days=2))
    boleto = processo.boletos.get()
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, relogio.hoje(), "agente", "p1",
                                 ATOR)
    assert aviso_de_devolucao(processo) == []
    pagamentos.reconhecer_pagamento(Boleto.get_by_id(boleto.id), boleto.valor_centavos,
                                 relogio.hoje(), "notificacao", "p2", ATOR)
    [email] = aviso_de_devolucao(processo)
    assert "já estava paga" in email.texto and "R$ 150,00, será devolvido" in email.texto
    # A replayed notification of the same payment is not a new payment: no second e-mail.
    pagamentos.reconhecer_pagamento(Boleto.get_by_id(boleto.id), boleto.valor_centavos,
                                 relogio.hoje(), "notificacao", "p2", ATOR)
    assert len(aviso_de_devolucao(processo)) == 1


def test_payment_of_a_cancelled_purchase_tells_the_buyer_it_will_be_refunded(ctx):
    processo = nova_compra(ctx, date(2026, 3, 5))
    compras.cancelar_vencidos(date(2026, 3, 16))
    boleto = Boleto.get(Boleto.processo == processo.id)
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, date(2026, 3, 17),
                                 "notificacao", "tarde2", ATOR)
    [email] = aviso_de_devolucao(processo)
    assert "já estava cancelada" in email.texto and "Solicite agora" in email.texto
    assert "será devolvido" in email.texto


def test_a_flagged_payment_recorded_without_notice_sends_nothing(ctx):
    processo = nova_compra(ctx, relogio.hoje() + timedelta(days=2))
    boleto = processo.boletos.get()
    pagamento = pagamentos.reconhecer_pagamento(boleto, 100, relogio.hoje(), "agente", "r4", ATOR,
                                             avisar=False)
    assert pagamento.sinalizado and aviso_de_devolucao(processo) == []


# --- cancelling unpaid purchases ---------------------------------------------------------

def test_unpaid_purchase_is_cancelled_the_day_after_the_window(ctx):
    original = date(2026, 3, 5)
    processo = nova_compra(ctx, original, quantidade=2)
    assert compras.cancelar_vencidos(date(2026, 3, 15)) == []  # last day of the window
    [cancelado] = compras.cancelar_vencidos(date(2026, 3, 16))
    assert cancelado.id == processo.id
    assert ProcessoCompra.get_by_id(processo.id).situacao == "cancelado"
    assert [b.situacao for b in Boleto.select().where(Boleto.processo == processo.id)] == ["cancelado"]
    assert {c.situacao for c in Certificado.select().where(Certificado.processo == processo.id)} == {"cancelado"}
    email = Email.get((Email.processo == processo.id) & Email.assunto.contains("cancelada"))
    assert "Solicite agora" in email.texto
    assert Evento.select().where((Evento.processo == processo.id)
                                 & (Evento.tipo == "certificado.cancelar")).count() == 2


def test_window_counts_from_the_original_due_date_not_the_new_one(ctx):
    processo = nova_compra(ctx, date(2026, 3, 5))
    antigo = processo.boletos.get()
    boletos.gerar_novo_boleto(antigo, date(2026, 3, 15), beneficiario(ctx), ATOR,
                              date(2026, 3, 9))
    [cancelado] = compras.cancelar_vencidos(date(2026, 3, 16))
    assert cancelado.id == processo.id
    situacoes = {b.situacao for b in Boleto.select().where(Boleto.processo == processo.id)}
    assert situacoes == {"substituido", "cancelado"}


def test_paid_and_recent_purchases_are_not_cancelled(ctx):
    pago = nova_compra(ctx, date(2026, 3, 5))
    boleto = pago.boletos.get()
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, date(2026, 3, 6), "agente",
                                 "p", ATOR)
    recente = nova_compra(ctx, date(2026, 3, 10))
    compras.cancelar_vencidos(date(2026, 3, 16))
    assert ProcessoCompra.get_by_id(pago.id).situacao == "pago"
    assert ProcessoCompra.get_by_id(recente.id).situacao == "aguardando_pagamento"


def test_cancelling_twice_changes_nothing_more(ctx):
    nova_compra(ctx, date(2026, 3, 5))
    assert len(compras.cancelar_vencidos(date(2026, 3, 20))) >= 1
    assert compras.cancelar_vencidos(date(2026, 3, 20)) == []


def test_payment_after_cancellation_is_flagged_for_refund(ctx):
    processo = nova_compra(ctx, date(2026, 3, 5))
    compras.cancelar_vencidos(date(2026, 3, 16))
    boleto = Boleto.get(Boleto.processo == processo.id)
    pagamento = pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, date(2026, 3, 17),
                                             "notificacao", "tarde", ATOR)
    assert pagamento.sinalizado and not pagamento.creditado
    assert Pagamento.select().where(Pagamento.processo == processo.id).count() == 1


def test_two_workers_replacing_the_same_boleto_at_once_make_one(app, demo):
    import threading

    from models import db

    with app.app_context(), db.connection_context():
        antigo = nova_compra(app, relogio.hoje() - timedelta(days=2)).boletos.get()
    barreira = threading.Barrier(2)
    resultados, erros = [], []

    def trabalhador(dias):
        try:
            with app.app_context(), db.connection_context():
                boleto = Boleto.get_by_id(antigo.id)
                barreira.wait(timeout=5)
                resultados.append(boletos.gerar_novo_boleto(
                    boleto, relogio.hoje() + timedelta(days=dias), beneficiario(app), ATOR,
                    relogio.hoje()))
        except Exception as error:  # reported below, with the test's assertion
            erros.append(error)

    threads = [threading.Thread(target=trabalhador, args=(d,)) for d in (2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert erros == []
    assert sorted(criado for _, criado in resultados) == [False, True]
    assert len({novo.id for novo, _ in resultados}) == 1
    with db.connection_context():
        assert Boleto.select().where(Boleto.substitui == antigo.id).count() == 1
