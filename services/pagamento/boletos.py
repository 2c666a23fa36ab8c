"""Boletos: issuing one, "Gerar novo Boleto" (replacing an overdue one), its PDF and the
buyer's list ("Financeiro"). The FEBRABAN numbers come from `services/febraban.py`."""
from dataclasses import dataclass
from datetime import timedelta, timezone

from peewee import IntegrityError, fn

from models import Boleto, Conta, Contratante, ProcessoCompra, db
from services.contratantes import posse
from services.pagamento import febraban
from services.nucleo import formatacao
from services.nucleo import ciclo_de_vida
from services.nucleo import correio
from services.pagamento import pagador, pix
import relogio
from services.pagamento.boleto_pdf import BoletoPdfData, render_boleto_pdf_em_cache
from services.nucleo.ciclo_de_vida import EstadoAlterado, registrar_evento
from services.nucleo.paginacao import Lista, anexar
from services.nucleo.recusas import NaoEncontrado, Recusa

JANELA_DIAS = 10  # a new boleto may be due until the original due date + 10 calendar days


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
    pix_nome: str = ""  # the name the payer's bank app shows (25 letters); empty: `nome`

    @classmethod
    def from_config(cls, config):
        return cls(config["BENEFICIARIO_NOME"], config["BENEFICIARIO_CNPJ"],
                   config["BOLETO_BANCO"], config["BOLETO_CONVENIO"], config["BOLETO_CARTEIRA"],
                   config["PIX_CHAVE"], config["PIX_CIDADE"], config.get("PIX_NOME", ""))


def _proxima_sequencia():
    return (Boleto.select(fn.MAX(Boleto.sequencia)).scalar() or 0) + 1


def _numero_na_compra(processo):
    """The next boleto number within the purchase; two at once collide on the unique
    document number and the loser tries again below."""
    return Boleto.select().where(Boleto.processo == processo.id).count() + 1


def emitir_boleto(processo, vencimento, beneficiario, ator, substitui=None):
    """A new boleto for the purchase's total; `substitui` is the overdue one it replaces."""
    original = substitui.vencimento_original if substitui else vencimento
    for _ in range(5):  # another worker may take the same sequence: try the next one
        try:
            with db.atomic():
                sequencia = _proxima_sequencia()
                numeros = febraban.make_boleto_numbers(
                    beneficiario.banco, beneficiario.convenio, sequencia, vencimento,
                    processo.total_centavos, beneficiario.carteira)
                copia_e_cola = ""
                if beneficiario.pix_chave:
                    copia_e_cola = pix.brcode(beneficiario.pix_chave, processo.total_centavos,
                                              beneficiario.pix_nome or beneficiario.nome,
                                              beneficiario.pix_cidade,
                                              f"CP{processo.numero}S{sequencia}")
                boleto = Boleto.create(
                    processo=processo, contratante=processo.contratante_id, sequencia=sequencia,
                    nosso_numero=numeros.nosso_numero,
                    numero_documento=f"{processo.numero}-{_numero_na_compra(processo)}",
                    valor_centavos=processo.total_centavos, vencimento=vencimento,
                    vencimento_original=original, codigo_barras=numeros.barcode,
                    linha_digitavel=numeros.linha_digitavel, pix_copia_e_cola=copia_e_cola,
                    situacao="em_aberto", substitui=substitui,
                )
                registrar_evento(processo.id, "boleto.emitido", ator,
                                 detalhes=f"Vencimento {formatacao.format_date(vencimento)}")
                return boleto
        except IntegrityError:
            if substitui is not None and Boleto.get_or_none(Boleto.substitui == substitui):
                raise
            continue
    raise RuntimeError("Não foi possível numerar o boleto; tente novamente.")


# --- the boleto as a person sees it ------------------------------------------------------

BANCOS = {"001": ("Banco do Brasil", "001-9")}


def vencido(boleto, dia):
    return ciclo_de_vida.boleto_em_aberto(boleto.situacao) and boleto.vencimento < dia


def situacao_exibida(boleto, dia):
    """Key of BOLETO_SITUACOES, or "vencido" for an open boleto past its due date."""
    return ciclo_de_vida.BOLETO_VENCIDO if vencido(boleto, dia) else boleto.situacao


def limite_novo_boleto(boleto):
    """The last due date a new boleto may have: the ORIGINAL due date + 10 days."""
    return boleto.vencimento_original + timedelta(days=JANELA_DIAS)


def pode_gerar_novo(boleto, dia):
    """An overdue open boleto, while the window after its original due date lasts."""
    return vencido(boleto, dia) and dia <= limite_novo_boleto(boleto)


class NovoBoletoRecusado(Recusa):
    """No new boleto for this one: `motivo` says why ("fora_da_janela", "no_prazo" or the
    boleto's state) for the page to explain; or not with that due date (`campo` "vencimento")."""

    def __init__(self, mensagem, motivo=None, campo=None):
        super().__init__(mensagem, campo)
        self.motivo = motivo


def motivo_sem_novo(boleto, dia):
    """Why no new boleto can be generated for `boleto` on `dia` (None: it can)."""
    if pode_gerar_novo(boleto, dia):
        return None
    return ("fora_da_janela" if vencido(boleto, dia) else
            "no_prazo" if ciclo_de_vida.boleto_em_aberto(boleto.situacao) else boleto.situacao)


def validar_novo_vencimento(boleto, vencimento, dia):
    """`vencimento`, unless it is outside [today, original + 10] (NovoBoletoRecusado)."""
    limite = limite_novo_boleto(boleto)
    if vencimento < dia:
        raise NovoBoletoRecusado(
            f"A data já passou. Escolha uma data entre {formatacao.format_date(dia)}"
            f" e {formatacao.format_date(limite)}.", campo="vencimento")
    if vencimento > limite:
        raise NovoBoletoRecusado(
            f"A data deve ser até {formatacao.format_date(limite)} ({JANELA_DIAS} dias após o "
            f"vencimento original, {formatacao.format_date(boleto.vencimento_original)}).",
            campo="vencimento")
    return vencimento


def boleto(boleto_id):
    """The boleto a signed PDF address names (whoever holds the address may read it)."""
    encontrado = Boleto.get_or_none(Boleto.id == boleto_id)
    if encontrado is None:
        raise NaoEncontrado()
    return encontrado


def nome_pdf(boleto):
    return f"boleto-{boleto.numero_documento}.pdf"


def pagador_do(boleto):
    """The boleto's Pagador, from the contratante and purchase it carries (Financeiro's list
    attaches them; a single boleto reads them here)."""
    return pagador.da_compra(boleto.contratante, boleto.processo)


def pagadores(boletos):
    """The Pagador of each boleto of a list: an organisation's is written once for all of its
    boletos, a person's purchase's for each (the buyer may differ)."""
    das_organizacoes = {}

    def de(boleto):
        if not boleto.contratante.e_organizacao:
            return pagador_do(boleto)
        if boleto.contratante_id not in das_organizacoes:
            das_organizacoes[boleto.contratante_id] = pagador_do(boleto)
        return das_organizacoes[boleto.contratante_id]
    return [de(b) for b in boletos]


def pdf_do_boleto(boleto, beneficiario):
    processo = (ProcessoCompra.select(ProcessoCompra, Conta, Contratante)
                .join(Conta, on=(ProcessoCompra.comprador == Conta.id), attr="comprador")
                .switch(ProcessoCompra).join(Contratante)
                .where(ProcessoCompra.id == boleto.processo_id).get())
    quem = pagador.da_compra(processo.contratante, processo)
    numeros = febraban.BoletoNumbers(
        barcode=boleto.codigo_barras, linha_digitavel=boleto.linha_digitavel,
        linha_digitavel_formatada=febraban.format_digitable_line(boleto.linha_digitavel),
        nosso_numero=boleto.nosso_numero,
        fator_vencimento=febraban.due_date_factor(boleto.vencimento),
    )
    banco, codigo = BANCOS.get(beneficiario.banco, (f"Banco {beneficiario.banco}",
                                                    beneficiario.banco))
    criado = boleto.criado_em.replace(tzinfo=timezone.utc).astimezone(relogio.TZ).date()
    return render_boleto_pdf_em_cache(BoletoPdfData(
        numbers=numeros, beneficiario_nome=beneficiario.nome,
        beneficiario_cnpj=beneficiario.cnpj, pagador_nome=quem.nome,
        pagador_documento=quem.documento, pagador_endereco=quem.endereco,
        vencimento=boleto.vencimento, valor_cents=boleto.valor_centavos,
        numero_documento=boleto.numero_documento, data_documento=criado,
        instrucoes=[
            f"Compra {processo.numero}: {processo.quantidade} × Certificado Digital e-CPF A1 "
            "(1 ano).",
            *([f"Nota de empenho {processo.empenho}."] if processo.empenho else []),
            "Não receber após o vencimento. Vencido, gere um novo boleto na Área do Cliente, "
            "menu Financeiro.",
        ],
        pix_payload=boleto.pix_copia_e_cola or None, bank_name=banco, bank_code=codigo,
    ))


_DO_CONTRATANTE = Lista(
    lambda contratante: Boleto.select().where(posse.na_faixa_do_contratante(Boleto, contratante)),
    Boleto.id, anexos=[("processo", ProcessoCompra), ("contratante", Contratante)],
    prefixo=[Boleto.contratante])


def boletos_do_comprador(conta, por_pagina=10, depois=None, antes=None):
    """One page of the buyer's boletos ("Financeiro"), newest first, read in order from the
    index (contratante, id) however many boletos there are (see services.paginacao), with
    what `pagador_do` reads: the contratante, and the buyer of a person's purchase."""
    pagina = _DO_CONTRATANTE.pagina([posse.contratante_das_listas(conta)], por_pagina, depois,
                                    antes)
    anexar([b.processo for b in pagina.itens if not b.contratante.e_organizacao],
           "comprador", Conta)
    return pagina


# --- "Gerar novo Boleto" -----------------------------------------------------------------

def substituto(boleto):
    return Boleto.get_or_none(Boleto.substitui == boleto.id)


def gerar_novo_boleto(boleto, vencimento, beneficiario, ator, dia=None):
    """Replace an overdue boleto: (new boleto, created?).

    One transaction moves the old one to "substituido" (conditional UPDATE) and issues the
    new one (`Boleto.substitui` is unique). A second submit, even concurrent, loses one of
    the two and gets the boleto the first one made. Raises NovoBoletoRecusado when the
    boleto cannot be replaced or not with that due date.
    """
    dia = dia or relogio.hoje()
    motivo = motivo_sem_novo(boleto, dia)
    if motivo:
        novo = substituto(boleto)
        if novo is not None:
            return novo, False
        raise NovoBoletoRecusado("Não é possível gerar um novo boleto para este boleto.", motivo)
    validar_novo_vencimento(boleto, vencimento, dia)
    processo = ProcessoCompra.get_by_id(boleto.processo_id)
    try:
        with db.atomic():
            ciclo_de_vida.mover_boleto(boleto, "substituido", ator,
                                   f"Novo vencimento {formatacao.format_date(vencimento)}")
            novo = emitir_boleto(processo, vencimento, beneficiario, ator, substitui=boleto)
            comprador = Conta.get_by_id(processo.comprador_id)
            correio.enfileirar(
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
