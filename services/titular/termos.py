"""The termo de titularidade: generated from the request's current data as a new version,
checked against those data, found again (pending, accepted, a version's PDF), and accepted,
which sends the request (or its correction) for emission.
"""
import hashlib
from dataclasses import dataclass
from datetime import timezone

from peewee import IntegrityError

from models import Solicitacao, Termo, db
from services.agendamento import avisos
from services.agendamento import reservas
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import mover_certificado, pode, registrar_evento
from services.nucleo.recusas import Recusa
from relogio import utcnow
from services.titular import termo_pdf
from services.titular.solicitacoes import VersaoDesatualizada, acao_envio


def _aware(naive_utc):
    return naive_utc.replace(tzinfo=timezone.utc)


def dados_termo(solicitacao, certificado, processo_numero, versao, gerado_em):
    return termo_pdf.TermoData(
        nome=solicitacao.nome, cpf=certificado.titular_cpf,
        data_nascimento=solicitacao.data_nascimento, email=solicitacao.email,
        documento_tipo=solicitacao.doc_tipo, documento_numero=solicitacao.doc_numero,
        documento_emissor=solicitacao.doc_emissor, documento_uf=solicitacao.doc_uf,
        processo_id=processo_numero, versao=versao, gerado_em=_aware(gerado_em),
    )


def ultimo_termo(solicitacao):
    return (Termo.select().where(Termo.solicitacao == solicitacao.id)
            .order_by(Termo.versao.desc()).first())


def termo_aceito(certificado_id):
    """The latest accepted termo of the certificate, or None."""
    return (Termo.select().where((Termo.certificado == certificado_id)
                                 & Termo.aceito_em.is_null(False))
            .order_by(Termo.versao.desc()).first())


def aceito_sem_mudancas(solicitacao):
    """The accepted termo when the request did not change since: a new one would say the
    same thing. None otherwise."""
    ultimo = ultimo_termo(solicitacao)
    if (ultimo is not None and ultimo.aceito_em is not None
            and solicitacao.atualizado_em <= ultimo.aceito_em):
        return ultimo
    return None


def da_solicitacao(solicitacao, versao):
    """Version `versao` of the request's termo, or None."""
    return Termo.get_or_none((Termo.solicitacao == solicitacao.id) & (Termo.versao == versao))


def do_certificado(termo_id, versao, numero):
    """The termo a signed address names, if it is version `versao` of certificate `numero`."""
    termo = Termo.get_or_none((Termo.id == termo_id) & (Termo.versao == versao))
    return termo if termo is not None and termo.certificado.numero == numero else None


def emissao_solicitada(solicitacao, certificado):
    """The request was sent and waits for (or has) its videoconference."""
    return solicitacao.enviada_em is not None and reservas.oferecido(certificado)


def confere(termo, solicitacao, certificado, processo_numero):
    """Whether `termo` was generated from the request's current data."""
    dados = dados_termo(solicitacao, certificado, processo_numero, termo.versao, termo.gerado_em)
    return termo_pdf.verification_code(dados) == termo.codigo_verificacao


def termo_pendente(solicitacao, certificado, processo_numero):
    """The termo awaiting acceptance for the current data, or None."""
    termo = ultimo_termo(solicitacao)
    if termo is None or termo.aceito_em is not None:
        return None
    return termo if confere(termo, solicitacao, certificado, processo_numero) else None


def gerar_termo(solicitacao, certificado, processo_numero, ator, versao_vista, agora=None):
    """A new termo version from the current data (or the pending one if it still matches).

    `versao_vista`: the request version "Confira seus dados" showed (None if unreadable);
    data changed since (another tab or device) is refused, so nobody signs what they did
    not check.
    """
    if versao_vista != solicitacao.versao:
        raise VersaoDesatualizada(
            "Estes dados foram alterados em outra aba ou aparelho depois que você abriu esta "
            "página. Confira os dados atuais abaixo antes de gerar o termo.")
    existente = termo_pendente(solicitacao, certificado, processo_numero)
    if existente is not None:
        return existente
    # Whole seconds: the stored time must rebuild the same verification code on any database.
    gerado_em = (agora or utcnow()).replace(microsecond=0)
    ultima = (Termo.select(Termo.versao).where(Termo.certificado == certificado.id)
              .order_by(Termo.versao.desc()).first())
    versao = (ultima.versao if ultima else 0) + 1
    dados = dados_termo(solicitacao, certificado, processo_numero, versao, gerado_em)
    pdf = termo_pdf.render_termo_pdf(dados)
    try:
        with db.atomic():
            termo = Termo.create(
                certificado=certificado.id, solicitacao=solicitacao.id, versao=versao,
                codigo_verificacao=termo_pdf.verification_code(dados),
                sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf, gerado_em=gerado_em)
            registrar_evento(certificado.processo_id, "termo.gerado", ator, certificado.id,
                             detalhes=f"Versão {versao}, código {termo.codigo_verificacao}")
    except IntegrityError:  # a double click generated this version already
        termo = ultimo_termo(solicitacao)
    return termo


class TermoRegerado(Recusa):
    """The page showed another version of the termo than the one awaiting acceptance."""


def conferir_aceite(termo, versao_vista, concordo):
    """Refuse an acceptance of another version than `termo` (None: unreadable), or one
    without "Li e concordo"."""
    if versao_vista != termo.versao:
        raise TermoRegerado("O termo foi gerado de novo em outra aba ou aparelho. Leia a "
                            "versão atual abaixo e aceite-a para enviar.")
    if not concordo:
        raise Recusa("Marque “Li e concordo” para enviar a solicitação.", "concordo")


@dataclass
class Envio:
    termo: Termo
    acao: str
    repetido: bool = False  # the same acceptance arrived twice (double click)


def enviar(termo, solicitacao, certificado, processo_numero, ator, ip, user_agent, config,
           agora=None):
    """Accept `termo` and request emission (or register the correction), in one transaction.

    Records time, IP, user agent and the document's SHA-256; moves the certificate; queues
    the confirmation e-mail with the termo attached and, when the request now waits for a
    booking, the e-mail with the direct "Agendar videoconferência" link.
    """
    agora = agora or utcnow()
    if termo.aceito_em is not None:
        return Envio(termo, "", repetido=True)
    if not confere(termo, solicitacao, certificado, processo_numero):
        raise VersaoDesatualizada(
            "Os dados da solicitação mudaram depois que este termo foi gerado. Confira os "
            "dados e gere o termo de novo.")
    acao = acao_envio(certificado.situacao)
    with db.atomic():
        # Headers are the client's to write: no control characters reach the database.
        aceitos = (Termo.update(aceito_em=agora, aceito_ip=(ip or "")[:45],
                                aceito_user_agent="".join(
                                    c for c in (user_agent or "")[:300] if c.isprintable()))
                   .where((Termo.id == termo.id) & Termo.aceito_em.is_null()).execute())
        if aceitos != 1:
            return Envio(termo, "", repetido=True)
        Solicitacao.update(enviada_em=agora).where(Solicitacao.id == solicitacao.id).execute()
        registrar_evento(certificado.processo_id, "termo.aceito", ator, certificado.id,
                         detalhes=f"Versão {termo.versao}, SHA-256 {termo.sha256}")
        origem = certificado.situacao
        mover_certificado(certificado, acao, ator, detalhes=f"Termo versão {termo.versao}")
        correio.enfileirar(
            solicitacao.email,
            "Solicitação do Certificado Digital recebida" if acao == "solicitar"
            else "Correção da solicitação do Certificado Digital recebida",
            "solicitacao_enviada",
            {"nome": solicitacao.nome, "certificado": certificado, "termo": termo,
             "correcao": acao == "corrigir",
             "link": avisos.link_direto(certificado, "certificado", config)},
            processo=certificado.processo_id, certificado=certificado.id,
            anexos=[(f"termo-titularidade-{certificado.numero}-v{termo.versao}.pdf",
                     "application/pdf", bytes(termo.pdf))],
        )
        if origem != certificado.situacao and pode(certificado.situacao, "agendar"):
            avisos.convidar(certificado, config)
    termo.aceito_em = agora
    solicitacao.enviada_em = agora
    return Envio(termo, acao)

