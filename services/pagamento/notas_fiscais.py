"""The nota fiscal of a paid purchase: the back office attaches it (PDF and/or XML, checked
by services.pagamento.nfse), the purchase's Gestores and "Compras e financeiro" are told by
e-mail, and Financeiro lists and serves it. Attaching again replaces the current one; the
old one stays, marked replaced, as history. Lists never read the files themselves."""
from peewee import IntegrityError

from banco.consulta_pronta import ConsultaPronta
from models import Boleto, Conta, Contratante, NotaFiscal, ProcessoCompra, Responsavel, db
from relogio import utcnow
from services.contratantes import papeis
from services.nucleo import ciclo_de_vida, correio
from services.nucleo.recusas import NaoEncontrado
from services.pagamento import nfse
from services.pagamento.nfse import NotaRecusada

# Who is told of a new nota: those who settle the payment.
AVISADOS = (papeis.GESTOR, papeis.COMPRAS)
# The columns a list reads: everything but the files, and whether each file is there.
_SEM_ARQUIVOS = (NotaFiscal.id, NotaFiscal.processo, NotaFiscal.numero, NotaFiscal.enviada_em,
                 NotaFiscal.enviada_por, NotaFiscal.substituida_em,
                 NotaFiscal.pdf.is_null(False).alias("tem_pdf"),
                 NotaFiscal.xml.is_null(False).alias("tem_xml"))
TIPOS = {"pdf": "application/pdf", "xml": "application/xml"}


def _numero(dados_xml, numero_digitado):
    """The nota's number: the XML's; typed only for a PDF alone (and, if typed with an XML,
    it must be the XML's)."""
    if dados_xml is None:
        return nfse.ler_numero(numero_digitado)
    if (numero_digitado or "").strip() and nfse.ler_numero(numero_digitado) != dados_xml.numero:
        raise NotaRecusada(f"O número informado ({numero_digitado.strip()}) não é o da nota no "
                           f"XML ({dados_xml.numero}). Deixe o campo em branco ou corrija.",
                           "numero")
    return dados_xml.numero


def conferir(processo, pdf, xml, numero_digitado):
    """The number of the nota these files make for `processo` (with its contratante), or
    NotaRecusada naming the field at fault. Nothing is stored."""
    if not ciclo_de_vida.processo_pago(processo.situacao):
        raise NotaRecusada(f"A compra {processo.numero} ainda não está paga. A nota fiscal é "
                           "anexada depois que o pagamento é reconhecido.", None)
    if not pdf and not xml:
        raise NotaRecusada("Escolha o PDF ou o XML da nota (ou os dois).", "pdf")
    if pdf:
        nfse.conferir_pdf(pdf)
    dados = None
    if xml:
        dados = nfse.ler_xml(xml)
        nfse.conferir_com_a_compra(dados, processo.contratante.documento,
                                   processo.total_centavos)
    return _numero(dados, numero_digitado)


def anexar(processo_id, pdf, xml, numero_digitado, agente, ator):
    """Attach the nota (`pdf`, `xml`: bytes or None) to paid purchase `processo_id`; the
    current one, if any, becomes history. Returns the new NotaFiscal."""
    processo = (ProcessoCompra.select(ProcessoCompra, Contratante).join(Contratante)
                .where(ProcessoCompra.id == processo_id).get())
    numero = conferir(processo, pdf, xml, numero_digitado)
    try:
        with db.atomic():
            anterior = vigente(processo.id)
            if anterior is not None:
                NotaFiscal.update(substituida_em=utcnow(), vigente_processo=None).where(
                    NotaFiscal.id == anterior.id).execute()
            nota = NotaFiscal.create(processo=processo.id, numero=numero, pdf=pdf or None,
                                     xml=xml or None, enviada_por=agente.id,
                                     vigente_processo=processo.id)
            arquivos = " e ".join(n for n, d in (("PDF", pdf), ("XML", xml)) if d)
            detalhes = f"NFS-e nº {numero} ({arquivos})"
            if anterior is not None:
                detalhes += f", no lugar da nº {anterior.numero}"
            ciclo_de_vida.registrar_evento(
                processo.id, "nota_fiscal.substituida" if anterior else "nota_fiscal.anexada",
                ator, detalhes=detalhes)
            _avisar(processo, nota)
    except IntegrityError:  # another agent attached one to the same purchase at that moment
        raise NotaRecusada("Outra nota acabou de ser anexada a esta compra. Confira a nota "
                           "atual antes de enviar de novo.", None) from None
    return nota


def _avisar(processo, nota):
    boleto = boleto_pago(processo.id)
    for responsavel in (Responsavel.select(Responsavel, Conta).join(Conta)
                        .where((Responsavel.contratante == processo.contratante_id)
                               & Responsavel.papel.in_(AVISADOS))
                        .order_by(Responsavel.id)):
        correio.enfileirar(
            responsavel.conta.email, f"Nota fiscal da compra {processo.numero}", "nota_fiscal",
            {"conta": responsavel.conta, "processo": processo, "nota": nota, "boleto": boleto},
            processo=processo.id)


def boleto_pago(processo_id):
    """The boleto that paid the purchase (its page shows the nota)."""
    return Boleto.get_or_none((Boleto.processo == processo_id)
                              & (Boleto.situacao == ciclo_de_vida.BOLETO_PAGO))


def vigente(processo_id):
    """The purchase's current nota (without its files), or None."""
    return (NotaFiscal.select(*_SEM_ARQUIVOS)
            .where(NotaFiscal.vigente_processo == processo_id).first())


# Read on every page of Financeiro: its SQL is written once (banco.consulta_pronta).
_VIGENTES = ConsultaPronta(lambda *processo_ids: NotaFiscal.select(*_SEM_ARQUIVOS).where(
    NotaFiscal.vigente_processo.in_(processo_ids)))


def vigentes(processo_ids):
    """{purchase id: current nota (without its files)} for a page of purchases (one query)."""
    if not processo_ids:
        return {}
    return {n.processo_id: n for n in _VIGENTES(*sorted(set(processo_ids)))}


def historico(processo_id):
    """Every nota the purchase had, newest first, with who attached it (without the files)."""
    return list(NotaFiscal.select(*_SEM_ARQUIVOS, Conta.nome.alias("enviada_por_nome"))
                .join(Conta, on=(NotaFiscal.enviada_por == Conta.id))
                .where(NotaFiscal.processo == processo_id).order_by(NotaFiscal.id.desc()))


def arquivo(nota, formato):
    """(bytes, MIME type, file name) of the nota's `formato` ("pdf" or "xml"); a file the
    nota lacks is NaoEncontrado."""
    dados = getattr(nota, formato, None) if formato in TIPOS else None
    if not dados:
        raise NaoEncontrado()
    return bytes(dados), TIPOS[formato], f"nfse-{nota.numero}.{formato}"
