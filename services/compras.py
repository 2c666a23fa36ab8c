"""Creating purchases and their boletos, and crediting payments: one transaction each."""
import secrets
from dataclasses import dataclass
from peewee import IntegrityError, fn

from models import Boleto, Certificado, Pagamento, ProcessoCompra, Produto, db, utcnow
from services import boleto as boleto_numbers
from services import lifecycle, pix
from services.lifecycle import registrar_evento

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
            # Placeholder until the id is known; fits the 20-character column (PostgreSQL checks).
            numero=f"tmp{secrets.token_hex(8)}",
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


def reconhecer_pagamento(boleto, valor_centavos, data_pagamento, origem, referencia, ator):
    """Record a payment once (by `referencia`) and credit the purchase at most once.

    Returns the Pagamento. A wrong amount, or a purchase already paid or cancelled, is
    recorded and flagged for the back office instead of credited.
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
    return pagamento
