"""Recognising payments: finding the boleto a person or the bank names, the bank's signed
notification, and the manual doors (agent page, CLI). All credit through
`reconhecer_pagamento`, which is idempotent by `referencia`."""
import hashlib
import hmac
import json
import re

from peewee import IntegrityError, PostgresqlDatabase

from models import Boleto, Certificado, Conta, Pagamento, ProcessoCompra, db
from services.nucleo import entrada
from services.pagamento import febraban
from services.nucleo import ciclo_de_vida
from services.nucleo import correio
import relogio
from services.certificacao import renovacao
from services.nucleo.ciclo_de_vida import registrar_evento
from services.nucleo.recusas import Recusa
from relogio import utcnow


class BoletoNaoEncontrado(Recusa):
    """No boleto has the number searched for (the search field "q")."""

    def __init__(self, mensagem):
        super().__init__(mensagem, "q")


def localizar_boleto(texto):
    """A boleto by nosso número (17 digits), digitable line (47) or barcode (44).

    Refuses (Recusa on the search field "q") a text that is not one of those, and
    BoletoNaoEncontrado when no boleto has it.
    """
    digitos = re.sub(r"[\s.\-]", "", texto or "")
    if not digitos:
        raise Recusa("Informe o nosso número ou a linha digitável.", "q")
    if not digitos.isascii() or not digitos.isdigit():
        raise Recusa("Use somente números: o nosso número (17 números) ou a linha "
                     "digitável (47 números).", "q")
    if len(digitos) == 47:
        try:
            linha = febraban.parse_digitable_line(digitos)
        except ValueError as erro:  # a check digit does not match: say which field
            raise Recusa(str(erro), "q") from None
        boleto = Boleto.get_or_none(Boleto.linha_digitavel == linha)
    elif len(digitos) == 44:
        boleto = Boleto.get_or_none(Boleto.codigo_barras == digitos)
    elif len(digitos) == 17:
        boleto = Boleto.get_or_none(Boleto.nosso_numero == digitos)
    else:
        raise Recusa(f"Foram informados {len(digitos)} números. O nosso número tem 17 "
                     "e a linha digitável, 47.", "q")
    if boleto is None:
        raise BoletoNaoEncontrado("Nenhum boleto com este número. Confira a digitação.")
    return boleto


class PagamentoRecusado(Recusa):
    """The payment cannot be recorded as stated; `campo` is "valor" or "data_pagamento"."""


def conferir_pagamento(valor_centavos, data_pagamento):
    """The rules every door (agent page, CLI, bank notification) is held to."""
    if valor_centavos <= 0:
        raise PagamentoRecusado("O valor deve ser maior que zero.", "valor")
    if data_pagamento > relogio.hoje():
        raise PagamentoRecusado("A data do pagamento não pode ser futura.", "data_pagamento")


def reconhecer_pagamento(boleto, valor_centavos, data_pagamento, origem, referencia, ator,
                         avisar=True):
    """Record a payment once (by `referencia`) and credit the purchase at most once.

    Returns the Pagamento. A wrong amount, or a purchase already paid or cancelled, is
    recorded and flagged for the back office instead of credited; the buyer is told (if
    `avisar`) what happened and that the amount will be refunded. Raises PagamentoRecusado
    for a payment no door may record (see `conferir_pagamento`).
    """
    conferir_pagamento(valor_centavos, data_pagamento)
    with db.atomic():
        existente = Pagamento.get_or_none(Pagamento.referencia == referencia)
        if existente is not None:
            return existente
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
        motivo = ""
        if valor_centavos != boleto.valor_centavos:
            motivo = "Valor pago diferente do valor do boleto."
        elif not ciclo_de_vida.processo_aguardando_pagamento(processo.situacao):
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
                correio.enfileirar(
                    comprador.email,
                    f"Pagamento não creditado — compra {processo.numero}: valor será devolvido",
                    "pagamento_sinalizado",
                    {"conta": comprador, "processo": processo, "boleto": boleto,
                     "pagamento": pagamento,
                     # What the buyer must know first: a closed purchase needs nothing more.
                     "caso": ("valor"
                              if ciclo_de_vida.processo_aguardando_pagamento(processo.situacao)
                              else processo.situacao)},
                    processo=processo.id)
            return pagamento
        if ciclo_de_vida.boleto_pagavel(boleto.situacao):
            ciclo_de_vida.mover_boleto(boleto, "pago", ator, pago_em=utcnow())
        for outro in Boleto.select().where((Boleto.processo == processo.id)
                                           & (Boleto.situacao == ciclo_de_vida.BOLETO_EM_ABERTO)):
            ciclo_de_vida.mover_boleto(outro, "cancelado", ator, "Compra paga por outro boleto.")
        ciclo_de_vida.mover_processo(processo, "pago", ator, pago_em=utcnow())
        for certificado in Certificado.select().where(
                (Certificado.processo == processo.id)
                & (Certificado.situacao == ciclo_de_vida.AGUARDANDO_PAGAMENTO)):
            ciclo_de_vida.mover_certificado(certificado, "reconhecer_pagamento", ator)
        renovacao.apos_pagamento(processo, ator)
        if avisar:
            comprador = Conta.get_by_id(processo.comprador_id)
            correio.enfileirar(comprador.email, f"Pagamento reconhecido — compra {processo.numero}",
                            "pagamento_reconhecido",
                            {"conta": comprador, "processo": processo, "pagamento": pagamento},
                            processo=processo.id)
    return pagamento


def referencia_manual(boleto):
    """Agent and CLI declare "this boleto was paid": once per boleto, however often said."""
    return f"manual:{boleto.nosso_numero}"


def registrado(referencia):
    return Pagamento.get_or_none(Pagamento.referencia == referencia)


def confirmar_manual(boleto, valor_centavos, data_pagamento, origem, ator):
    """(Pagamento, new?) for a payment an agent or the CLI confirms."""
    referencia = referencia_manual(boleto)
    anterior = registrado(referencia)
    if anterior is not None:
        return anterior, False
    try:
        return reconhecer_pagamento(boleto, valor_centavos, data_pagamento, origem,
                                            referencia, ator), True
    except IntegrityError:  # the same confirmation, at the same moment, from elsewhere
        return registrado(referencia), False


# --- the bank's notification (webhook) ---------------------------------------------------

def assinatura(segredo, corpo):
    """The header value the bank sends: 'sha256=' + HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(segredo.encode(), corpo, hashlib.sha256).hexdigest()


def assinatura_valida(segredo, corpo, cabecalho):
    """Constant-time check; with no secret configured nothing is ever accepted. The header
    is compared as bytes: a non-ASCII one is simply wrong."""
    if not segredo or not cabecalho:
        return False
    return hmac.compare_digest(assinatura(segredo, corpo).encode(),
                               cabecalho.strip().encode("utf-8", "replace"))


class NotificacaoInvalida(Recusa):
    """The bank's notification cannot be read (answered 400)."""


# A notification is a few hundred bytes of flat JSON; anything much bigger or nested is not.
MAX_CORPO = 4096
MAX_ANINHAMENTO = 4


def _aninhamento(corpo):
    """How deeply brackets nest in `corpo` (before parsing, so no recursion blows up)."""
    nivel = maximo = 0
    for byte in corpo:
        if byte in b"[{":
            nivel += 1
            maximo = max(maximo, nivel)
        elif byte in b"]}":
            nivel -= 1
    return maximo


def ler_notificacao(corpo):
    """The bank's JSON: {"id", "nosso_numero", "valor_centavos", "data_pagamento"}."""
    if len(corpo) > MAX_CORPO or _aninhamento(corpo) > MAX_ANINHAMENTO:
        raise NotificacaoInvalida("corpo grande ou aninhado demais")
    try:
        dados = json.loads(corpo)
    except (ValueError, UnicodeDecodeError):
        raise NotificacaoInvalida("corpo não é JSON") from None
    if not isinstance(dados, dict):
        raise NotificacaoInvalida("corpo deve ser um objeto JSON")
    evento = dados.get("id")
    if not isinstance(evento, str) or not re.fullmatch(r"[\x21-\x7e]{1,60}", evento):
        raise NotificacaoInvalida("id do evento ausente ou inválido")
    nosso_numero = dados.get("nosso_numero")
    if not isinstance(nosso_numero, str) or not re.fullmatch(r"[0-9]{17}", nosso_numero):
        raise NotificacaoInvalida("nosso_numero deve ter 17 números")
    valor = dados.get("valor_centavos")
    if (not isinstance(valor, int) or isinstance(valor, bool)
            or not 0 < valor <= entrada.MAX_CENTAVOS):
        raise NotificacaoInvalida("valor_centavos deve ser um inteiro positivo")
    data_pagamento = dados.get("data_pagamento")
    if not isinstance(data_pagamento, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}",
                                                                data_pagamento):
        raise NotificacaoInvalida("data_pagamento deve ser AAAA-MM-DD")
    data_pagamento = entrada.data_iso(data_pagamento)
    if data_pagamento is None:
        raise NotificacaoInvalida("data_pagamento deve ser AAAA-MM-DD")
    return evento, nosso_numero, valor, data_pagamento


def processar_notificacao(corpo, ator):
    """(result, Pagamento|None): 'creditado', 'sinalizado' or 'ja_registrado'.

    Raises NotificacaoInvalida / BoletoNaoEncontrado. A replayed event (same id) and the
    bank confirming a payment an agent already entered by hand credit nothing new.
    """
    evento, nosso_numero, valor, data_pagamento = ler_notificacao(corpo)
    referencia = f"banco:{evento}"
    with db.atomic():
        boleto = _travar(Boleto.select().where(Boleto.nosso_numero == nosso_numero)).first()
        if boleto is None:
            raise BoletoNaoEncontrado("boleto não encontrado")
        anterior = registrado(referencia)
        if anterior is not None:
            return "ja_registrado", anterior
        manual = registrado(referencia_manual(boleto))
        if manual is not None and manual.valor_centavos == valor:
            return "ja_registrado", manual
        try:
            pagamento = reconhecer_pagamento(boleto, valor, data_pagamento, "notificacao",
                                             referencia, ator)
        except IntegrityError:  # the same event delivered twice at once
            return "ja_registrado", registrado(referencia)
    return ("sinalizado" if pagamento.sinalizado else "creditado"), pagamento


def _travar(consulta):
    """Notifications for one boleto take turns (row lock on PostgreSQL; SQLite already
    serialises writers), so each sees the purchase as the previous one left it."""
    return consulta.for_update() if isinstance(db.obj, PostgresqlDatabase) else consulta


def numero_da_compra(boleto):
    """The "ID Processo Compra (Contrato)" a boleto belongs to."""
    return ProcessoCompra.get_by_id(boleto.processo_id).numero
