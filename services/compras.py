"""Creating purchases and their boletos, and crediting payments: one transaction each."""
import secrets
from dataclasses import dataclass
from datetime import date, timedelta, timezone

from peewee import IntegrityError, fn

from models import Boleto, Certificado, Conta, Pagamento, ProcessoCompra, Produto, db, utcnow
from services import agenda, formatting, mail
from services import boleto as boleto_numbers
from services import lifecycle, pix, renovacao
from services.boleto_pdf import BoletoPdfData, render_boleto_pdf
from services.lifecycle import SISTEMA, EstadoAlterado, TransicaoInvalida, registrar_evento
from services.processos import Pagina

PRODUTO_CODIGO = "ecpf-a1-1ano"


@dataclass(frozen=True)
class Beneficiario:
    """Who receives the money, and the bank agreement its boletos are issued under."""

    nome: str
    cnpj: str
    banco: str
    convenio: str
    carteira: str
    pix_chave: str = ""
    pix_cidade: str = "BRASILIA"

    @classmethod
    def from_config(cls, config):
        return cls(config["BENEFICIARIO_NOME"], config["BENEFICIARIO_CNPJ"],
                   config["BOLETO_BANCO"], config["BOLETO_CONVENIO"], config["BOLETO_CARTEIRA"],
                   config["PIX_CHAVE"], config["PIX_CIDADE"])


def garantir_produto(preco_centavos):
    """The one product sold here (created once; the price follows configuration)."""
    produto, created = Produto.get_or_create(
        codigo=PRODUTO_CODIGO,
        defaults={
            "nome": "Certificado Digital e-CPF A1 — 1 ano",
            "descricao": "Certificado de pessoa física, arquivo instalado no computador, "
                         "válido por 12 meses.",
            "preco_centavos": preco_centavos,
            "validade_meses": 12,
        },
    )
    if not created and produto.preco_centavos != preco_centavos:
        produto.preco_centavos = preco_centavos
        produto.save()
    return produto


def criar_processo(conta, produto, quantidade, vencimento, beneficiario, ator,
                   chave_idempotencia=None):
    """A purchase with its certificates waiting for payment and its first boleto."""
    with db.atomic():
        processo = ProcessoCompra.create(
            numero=f"t{secrets.token_hex(8)}",  # replaced below, once the id exists
            comprador=conta, produto=produto, quantidade=quantidade,
            valor_unitario_centavos=produto.preco_centavos,
            total_centavos=produto.preco_centavos * quantidade,
            situacao="aguardando_pagamento", chave_idempotencia=chave_idempotencia,
        )
        # The contract number is the year plus the row id: short, unique, easy to read out.
        processo.numero = f"{processo.criado_em:%Y}{processo.id:06d}"
        processo.save()
        Certificado.insert_many([
            {"processo": processo.id, "numero": f"{processo.numero}-{i:02d}",
             "situacao": "aguardando_pagamento", "atualizado_em": utcnow()}
            for i in range(1, quantidade + 1)
        ]).execute()
        registrar_evento(processo.id, "processo.criado", ator,
                         detalhes=f"{quantidade} × {produto.nome}")
        emitir_boleto(processo, vencimento, beneficiario, ator)
    return processo


def _proxima_sequencia():
    return (Boleto.select(fn.MAX(Boleto.sequencia)).scalar() or 0) + 1


def emitir_boleto(processo, vencimento, beneficiario, ator, substitui=None):
    """A new boleto for the purchase's total; `substitui` is the overdue one it replaces."""
    original = substitui.vencimento_original if substitui else vencimento
    for _ in range(5):  # another worker may take the same sequence: try the next one
        try:
            with db.atomic():
                sequencia = _proxima_sequencia()
                numeros = boleto_numbers.make_boleto_numbers(
                    beneficiario.banco, beneficiario.convenio, sequencia, vencimento,
                    processo.total_centavos, beneficiario.carteira)
                copia_e_cola = ""
                if beneficiario.pix_chave:
                    copia_e_cola = pix.brcode(beneficiario.pix_chave, processo.total_centavos,
                                              beneficiario.nome, beneficiario.pix_cidade,
                                              f"CP{processo.numero}S{sequencia}")
                boleto = Boleto.create(
                    processo=processo, sequencia=sequencia, nosso_numero=numeros.nosso_numero,
                    numero_documento=f"{processo.numero}-{sequencia}",
                    valor_centavos=processo.total_centavos, vencimento=vencimento,
                    vencimento_original=original, codigo_barras=numeros.barcode,
                    linha_digitavel=numeros.linha_digitavel, pix_copia_e_cola=copia_e_cola,
                    situacao="em_aberto", substitui=substitui,
                )
                registrar_evento(processo.id, "boleto.emitido", ator,
                                 detalhes=f"Vencimento {vencimento:%d/%m/%Y}")
                return boleto
        except IntegrityError:
            if substitui is not None and Boleto.get_or_none(Boleto.substitui == substitui):
                raise
            continue
    raise RuntimeError("Não foi possível numerar o boleto; tente novamente.")


def reconhecer_pagamento(boleto, valor_centavos, data_pagamento, origem, referencia, ator,
                         avisar=True):
    """Record a payment once (by `referencia`) and credit the purchase at most once.

    Returns the Pagamento. A wrong amount, or a purchase already paid or cancelled, is
    recorded and flagged for the back office instead of credited; the buyer is told (if
    `avisar`) what happened and that the amount will be refunded.
    """
    with db.atomic():
        existente = Pagamento.get_or_none(Pagamento.referencia == referencia)
        if existente is not None:
            return existente
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
        motivo = ""
        if valor_centavos != boleto.valor_centavos:
            motivo = "Valor pago diferente do valor do boleto."
        elif processo.situacao != "aguardando_pagamento":
            motivo = "Compra já paga ou cancelada: pagamento em duplicidade, devolver."
        pagamento = Pagamento.create(
            boleto=boleto, processo=processo, valor_centavos=valor_centavos,
            data_pagamento=data_pagamento, origem=origem, referencia=referencia,
            creditado=not motivo, sinalizado=bool(motivo), motivo=motivo,
        )
        if motivo:
            registrar_evento(processo.id, "pagamento.sinalizado", ator, detalhes=motivo)
            if avisar:
                comprador = Conta.get_by_id(processo.comprador_id)
                mail.enfileirar(
                    comprador.email,
                    f"Pagamento não creditado — compra {processo.numero}: valor será devolvido",
                    "pagamento_sinalizado",
                    {"conta": comprador, "processo": processo, "boleto": boleto,
                     "pagamento": pagamento,
                     # What the buyer must know first: a closed purchase needs nothing more.
                     "caso": ("valor" if processo.situacao == "aguardando_pagamento"
                              else processo.situacao)},
                    processo=processo.id)
            return pagamento
        if boleto.situacao in ("em_aberto", "substituido"):
            lifecycle.mover_boleto(boleto, "pago", ator, pago_em=utcnow())
        for outro in Boleto.select().where((Boleto.processo == processo.id)
                                           & (Boleto.situacao == "em_aberto")):
            lifecycle.mover_boleto(outro, "cancelado", ator, "Compra paga por outro boleto.")
        lifecycle.mover_processo(processo, "pago", ator, pago_em=utcnow())
        for certificado in Certificado.select().where(
                (Certificado.processo == processo.id)
                & (Certificado.situacao == "aguardando_pagamento")):
            lifecycle.mover_certificado(certificado, "reconhecer_pagamento", ator)
        renovacao.apos_pagamento(processo, ator)
        if avisar:
            comprador = Conta.get_by_id(processo.comprador_id)
            mail.enfileirar(comprador.email, f"Pagamento reconhecido — compra {processo.numero}",
                            "pagamento_reconhecido",
                            {"conta": comprador, "processo": processo, "pagamento": pagamento},
                            processo=processo.id)
    return pagamento


# --- buying ("Solicite agora") -----------------------------------------------------------

PRAZO_DIAS_UTEIS = 3  # the first boleto is due on the 3rd business day after the purchase
JANELA_DIAS = 10  # a new boleto may be due until the original due date + 10 calendar days
QUANTIDADE_MAXIMA = 100


hoje = agenda.hoje  # purchases count calendar days in Brasília


def vencimento_inicial(dia):
    """The 3rd business day after `dia` (national holidays and weekends skipped)."""
    return agenda.business_days_ahead(dia + timedelta(days=1), PRAZO_DIAS_UTEIS)[-1]


class CompraRecusada(Exception):
    """The purchase cannot be made as submitted (message in Portuguese)."""


def comprar(conta, quantidade, chave, beneficiario, ator, dia=None):
    """Create the purchase once per idempotency `chave`: (processo, its boleto, created?).

    A second submit of the same form (double click, Back + resend, two workers) finds the
    purchase the first one made instead of buying again.
    """
    if not 1 <= quantidade <= QUANTIDADE_MAXIMA:
        raise CompraRecusada(f"A quantidade deve ser de 1 a {QUANTIDADE_MAXIMA}.")
    existente = _compra_da_chave(conta, chave)
    if existente:
        return (*existente, False)
    produto = Produto.get(Produto.codigo == PRODUTO_CODIGO)
    vencimento = vencimento_inicial(dia or hoje())
    try:
        with db.atomic():
            processo = criar_processo(conta, produto, quantidade, vencimento, beneficiario, ator,
                                      chave_idempotencia=chave)
            boleto = Boleto.get(Boleto.processo == processo.id)
            mail.enfileirar(
                conta.email, f"Compra {processo.numero}: seu boleto", "compra_boleto",
                {"conta": conta, "processo": processo, "produto": produto, "boleto": boleto},
                processo=processo.id,
                anexos=[(nome_pdf(boleto), "application/pdf", pdf_do_boleto(boleto, beneficiario))],
            )
    except IntegrityError:
        existente = _compra_da_chave(conta, chave)
        if existente is None:
            raise
        return (*existente, False)
    return processo, boleto, True


def _compra_da_chave(conta, chave):
    processo = ProcessoCompra.get_or_none(ProcessoCompra.chave_idempotencia == chave)
    if processo is None:
        return None
    if processo.comprador_id != conta.id:
        raise CompraRecusada("Este formulário não é seu. Recarregue a página e confirme de novo.")
    primeiro = (Boleto.select().where(Boleto.processo == processo.id)
                .order_by(Boleto.id).first())
    return processo, primeiro


# --- the boleto as a person sees it ------------------------------------------------------

BANCOS = {"001": ("Banco do Brasil", "001-9")}


def vencido(boleto, dia):
    return boleto.situacao == "em_aberto" and boleto.vencimento < dia


def situacao_exibida(boleto, dia):
    """Key of BOLETO_SITUACOES, or "vencido" for an open boleto past its due date."""
    return "vencido" if vencido(boleto, dia) else boleto.situacao


def limite_novo_boleto(boleto):
    """The last due date a new boleto may have: the ORIGINAL due date + 10 days."""
    return boleto.vencimento_original + timedelta(days=JANELA_DIAS)


def pode_gerar_novo(boleto, dia):
    """An overdue open boleto, while the window after its original due date lasts."""
    return vencido(boleto, dia) and dia <= limite_novo_boleto(boleto)


def validar_novo_vencimento(boleto, vencimento, dia):
    """Raise ValueError (Portuguese) unless `vencimento` is within [today, original + 10]."""
    limite = limite_novo_boleto(boleto)
    if vencimento < dia:
        raise ValueError(f"A data já passou. Escolha uma data entre {formatting.format_date(dia)}"
                         f" e {formatting.format_date(limite)}.")
    if vencimento > limite:
        raise ValueError(f"A data deve ser até {formatting.format_date(limite)} (10 dias após o "
                         f"vencimento original, {formatting.format_date(boleto.vencimento_original)}).")


def nome_pdf(boleto):
    return f"boleto-{boleto.numero_documento}.pdf"


def pdf_do_boleto(boleto, beneficiario):
    processo = ProcessoCompra.get_by_id(boleto.processo_id)
    comprador = Conta.get_by_id(processo.comprador_id)
    numeros = boleto_numbers.BoletoNumbers(
        barcode=boleto.codigo_barras, linha_digitavel=boleto.linha_digitavel,
        linha_digitavel_formatada=boleto_numbers.format_digitable_line(boleto.linha_digitavel),
        nosso_numero=boleto.nosso_numero,
        fator_vencimento=boleto_numbers.due_date_factor(boleto.vencimento),
    )
    banco, codigo = BANCOS.get(beneficiario.banco, (f"Banco {beneficiario.banco}",
                                                    beneficiario.banco))
    criado = boleto.criado_em.replace(tzinfo=timezone.utc).astimezone(agenda.TZ).date()
    return render_boleto_pdf(BoletoPdfData(
        numbers=numeros, beneficiario_nome=beneficiario.nome,
        beneficiario_cnpj=beneficiario.cnpj, pagador_nome=comprador.nome,
        pagador_cpf_mascarado=formatting.mask_cpf(comprador.cpf),
        vencimento=boleto.vencimento, valor_cents=boleto.valor_centavos,
        numero_documento=boleto.numero_documento, data_documento=criado,
        instrucoes=[
            f"Compra {processo.numero}: {processo.quantidade} × Certificado Digital e-CPF A1 "
            "(1 ano).",
            "Não receber após o vencimento. Vencido, gere um novo boleto na Área do Cliente, "
            "menu Financeiro.",
        ],
        pix_payload=boleto.pix_copia_e_cola or None, bank_name=banco, bank_code=codigo,
    ))


def boletos_do_comprador(conta_id, pagina=1, por_pagina=10):
    """One page of the buyer's boletos ("Financeiro"), newest purchase first: two queries
    (count + page, the purchase joined), however many boletos there are."""
    query = (Boleto.select(Boleto, ProcessoCompra).join(ProcessoCompra)
             .where(ProcessoCompra.comprador == conta_id))
    total = query.count()
    pagina = min(max(1, pagina), max(1, -(-total // por_pagina)))
    itens = list(query.order_by(ProcessoCompra.criado_em.desc(), ProcessoCompra.id.desc(),
                                Boleto.id.desc()).paginate(pagina, por_pagina))
    return Pagina(itens, pagina, total, por_pagina)


# --- "Gerar novo Boleto" -----------------------------------------------------------------

def substituto(boleto):
    return Boleto.get_or_none(Boleto.substitui == boleto.id)


def gerar_novo_boleto(boleto, vencimento, beneficiario, ator, dia=None):
    """Replace an overdue boleto: (new boleto, created?).

    One transaction moves the old one to "substituido" (conditional UPDATE) and issues the
    new one (`Boleto.substitui` is unique). A second submit, even concurrent, loses one of
    the two and gets the boleto the first one made.
    """
    dia = dia or hoje()
    if not pode_gerar_novo(boleto, dia):
        novo = substituto(boleto)
        if novo is not None:
            return novo, False
        raise TransicaoInvalida("Não é possível gerar um novo boleto para este boleto.")
    validar_novo_vencimento(boleto, vencimento, dia)
    processo = ProcessoCompra.get_by_id(boleto.processo_id)
    try:
        with db.atomic():
            lifecycle.mover_boleto(boleto, "substituido", ator,
                                   f"Novo vencimento {formatting.format_date(vencimento)}")
            novo = emitir_boleto(processo, vencimento, beneficiario, ator, substitui=boleto)
            comprador = Conta.get_by_id(processo.comprador_id)
            mail.enfileirar(
                comprador.email, f"Compra {processo.numero}: seu novo boleto", "novo_boleto",
                {"conta": comprador, "processo": processo, "boleto": novo, "anterior": boleto},
                processo=processo.id,
                anexos=[(nome_pdf(novo), "application/pdf", pdf_do_boleto(novo, beneficiario))],
            )
    except (IntegrityError, EstadoAlterado):
        boleto.situacao = Boleto.get_by_id(boleto.id).situacao
        novo = substituto(boleto)
        if novo is None:
            raise EstadoAlterado("Este boleto foi alterado enquanto você o via. Confira a "
                                 "situação atual no Financeiro.") from None
        return novo, False
    return novo, True


# --- cancelling what was not paid in time ------------------------------------------------

def cancelar_vencidos(dia=None, ator=SISTEMA):
    """Cancel purchases still unpaid after the window (original due date + 10 days).

    Runs daily (tasks.cancelar_compras_vencidas) and by `flask pagamentos cancelar-vencidos`.
    Returns the cancelled purchases; one that got paid meanwhile is left alone.
    """
    dia = dia or hoje()
    limite = dia - timedelta(days=JANELA_DIAS)
    candidatos = (ProcessoCompra.select().join(Boleto)
                  .where((ProcessoCompra.situacao == "aguardando_pagamento")
                         & (Boleto.vencimento_original < limite))
                  .distinct().order_by(ProcessoCompra.id))
    cancelados = []
    for processo in candidatos:
        try:
            with db.atomic():
                original = (Boleto.select(fn.MIN(Boleto.vencimento_original))
                            .where(Boleto.processo == processo.id).scalar())
                if isinstance(original, str):  # SQLite hands an aggregate back as text
                    original = date.fromisoformat(original)
                motivo = (f"Boleto não pago até {formatting.format_date(original + timedelta(days=JANELA_DIAS))}"
                          " (10 dias após o vencimento original).")
                lifecycle.mover_processo(processo, "cancelado", ator, motivo)
                for boleto in Boleto.select().where((Boleto.processo == processo.id)
                                                    & (Boleto.situacao == "em_aberto")):
                    lifecycle.mover_boleto(boleto, "cancelado", ator, motivo)
                for certificado in Certificado.select().where(
                        (Certificado.processo == processo.id)
                        & (Certificado.situacao == "aguardando_pagamento")):
                    lifecycle.mover_certificado(certificado, "cancelar", ator, motivo)
                comprador = Conta.get_by_id(processo.comprador_id)
                mail.enfileirar(comprador.email, f"Compra {processo.numero} cancelada",
                                "compra_cancelada",
                                {"conta": comprador, "processo": processo, "original": original},
                                processo=processo.id)
        except EstadoAlterado:
            continue  # paid (or cancelled) by someone else in the meantime
        cancelados.append(processo)
    return cancelados
