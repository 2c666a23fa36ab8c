"""The holder's identity document, sent before the videoconference: sending it, who may open
it (the holder of the assignment that sent it, and the agents: each view is in the andamento),
the agent's "Aprovado" / "Recusado" with a reason, the gate on approval, and the purge
DOCUMENTOS_RETENCAO_ANOS years after the certificate ends (ICP-Brasil keeps them 10).
No Flask request here; the files' rules are services.titular.arquivos_documento."""
from peewee import fn

from models import ArquivoDocumento, CertificadoX509, EnvioDocumento, db
from relogio import utcnow
from services.agendamento import avisos
from services.nucleo.ciclo_de_vida import (DOCUMENTO_APROVADO, DOCUMENTO_ENVIADO,
                                           DOCUMENTO_RECUSADO, SISTEMA, documento_aprovado,
                                           documento_recusado, registrar_evento)
from services.nucleo.recusas import Recusa
from services.titular.arquivos_documento import (LIMITE_BYTES, ArquivoRecusado, cifrar,
                                                  decifrar, preparar, tipo_pelos_bytes)

# What the step lists as accepted (docs/dominio.md §6): an official document with photo.
ACEITOS = ("RG (carteira de identidade) ou CIN (carteira de identidade nacional)",
           "CNH (carteira de motorista), física ou digital",
           "Passaporte brasileiro",
           "Carteira de conselho profissional (OAB, CRM, CREA e outros)",
           "Carteira de trabalho com foto (CTPS física)",
           "Estrangeiros residentes: CNE ou CRNM")
PARTES = {"frente": "Frente", "verso": "Verso", "pdf": "PDF do documento"}
MOTIVO_MAX = 500


class DocumentoRecusado(Recusa):
    """A decision on the document that cannot be taken (none sent, already decided...)."""


def _contexto(envio_id, parte):
    return f"documento:{envio_id}:{parte}"


def enviar(certificado, atribuicao, arquivos, ator, config):
    """Store one sending: `arquivos` is [(parte, bytes)] of "frente" (+ "verso") or "pdf".
    Every file is checked before anything is written, so a refused one loses nothing."""
    preparados = [(parte, preparar(dados, parte)) for parte, dados in arquivos]
    with db.atomic():
        envio = EnvioDocumento.create(certificado=certificado.id, atribuicao=atribuicao.id)
        for parte, arquivo in preparados:
            ArquivoDocumento.create(envio=envio, parte=parte, tipo=arquivo.tipo,
                                    tamanho=len(arquivo.dados),
                                    cifrado=cifrar(arquivo.dados, _contexto(envio.id, parte),
                                                   config))
        registrar_evento(certificado.processo_id, "documento.enviado", ator, certificado.id,
                         detalhes=", ".join(parte for parte, _ in preparados))
    return envio


def _ler(arquivo):
    return arquivo.read(LIMITE_BYTES + 1) if arquivo else None  # one byte past: "too big"


def separar(frente, verso):
    """[(parte, bytes)] of the form's two uploads (file objects or None): one PDF alone, or
    photos front (+ back)."""
    frente, verso = _ler(frente), _ler(verso)
    if frente is None:
        raise ArquivoRecusado("Escolha a foto da frente do documento ou o PDF.", "frente")
    if tipo_pelos_bytes(frente) == "PDF":
        if verso is not None:
            raise ArquivoRecusado("Com um PDF, não envie o verso: o PDF já deve ter as duas "
                                  "faces.", "verso")
        return [("pdf", frente)]
    return [("frente", frente)] + ([("verso", verso)] if verso is not None else [])


def ultimo(atribuicao_id):
    """The latest sending of this assignment, with its files (no contents), or None."""
    return (EnvioDocumento.select().where(EnvioDocumento.atribuicao == atribuicao_id)
            .order_by(EnvioDocumento.id.desc()).first())


def falta_enviar(envio):
    """Whether the holder still has to send: nothing yet (None), or the latest was refused."""
    return envio is None or documento_recusado(envio.situacao)


def do_certificado(certificado_id):
    """Every sending of a certificate, newest first (the agent's view)."""
    return list(EnvioDocumento.select().where(EnvioDocumento.certificado == certificado_id)
                .order_by(EnvioDocumento.id.desc()))


def para_agente(certificado_id):
    """[(envio, its files)] of a certificate, newest first (the agent's view)."""
    return [(envio, arquivos(envio)) for envio in do_certificado(certificado_id)]


def arquivos(envio):
    return list(ArquivoDocumento.select(ArquivoDocumento.id, ArquivoDocumento.parte,
                                        ArquivoDocumento.tipo, ArquivoDocumento.tamanho)
                .where(ArquivoDocumento.envio == envio.id).order_by(ArquivoDocumento.id))


def abrir(arquivo_id, certificado, ator, config, atribuicao_id=None):
    """(bytes, tipo, parte) of a file of `certificado` (of `atribuicao_id` when the holder
    asks), or None; the view is written to the andamento."""
    consulta = (ArquivoDocumento.select(ArquivoDocumento, EnvioDocumento).join(EnvioDocumento)
                .where((ArquivoDocumento.id == arquivo_id)
                       & (EnvioDocumento.certificado == certificado.id)))
    if atribuicao_id is not None:
        consulta = consulta.where(EnvioDocumento.atribuicao == atribuicao_id)
    arquivo = consulta.first()
    if arquivo is None:
        return None
    dados = decifrar(arquivo.cifrado, _contexto(arquivo.envio_id, arquivo.parte), config)
    registrar_evento(certificado.processo_id, "documento.aberto", ator, certificado.id,
                     detalhes=f"Arquivo: {arquivo.parte}")
    return dados, arquivo.tipo, arquivo.parte


def _decidir(certificado, envio_id, para, ator, motivo=""):
    envio = EnvioDocumento.get_or_none((EnvioDocumento.id == envio_id)
                                       & (EnvioDocumento.certificado == certificado.id))
    if envio is None:
        raise DocumentoRecusado("Este documento não pertence a este certificado.")
    alterados = (EnvioDocumento.update(situacao=para, motivo=motivo, decidido_em=utcnow())
                 .where((EnvioDocumento.id == envio.id)
                        & (EnvioDocumento.situacao == DOCUMENTO_ENVIADO)).execute())
    if alterados != 1:
        raise DocumentoRecusado("Este documento já foi conferido. Recarregue a página.")
    registrar_evento(certificado.processo_id, f"documento.{para}", ator, certificado.id,
                     detalhes=f"Motivo: {motivo}" if motivo else "")


def aprovar(certificado, envio_id, ator):
    with db.atomic():
        _decidir(certificado, envio_id, DOCUMENTO_APROVADO, ator)


def recusar(certificado, envio_id, motivo, ator, config):
    """Refuse with a reason; the holder gets it by e-mail with a link to send again."""
    motivo = " ".join((motivo or "").split())
    if not motivo:
        raise DocumentoRecusado("Informe o motivo da recusa do documento.", "motivo")
    if len(motivo) > MOTIVO_MAX:
        raise DocumentoRecusado(f"Escreva o motivo em até {MOTIVO_MAX} caracteres.", "motivo")
    with db.atomic():
        _decidir(certificado, envio_id, DOCUMENTO_RECUSADO, ator, motivo)
        avisos.enviar(certificado, "Certificado Digital: envie o documento de novo",
                      "documento_recusado",
                      {"motivo": motivo,
                       "link": avisos.link_direto(certificado, "documentos", config)}, config)


def exigir_aprovado(certificado, atribuicao_id):
    """"Aprovar e emitir" needs the holder's latest document approved."""
    envio = ultimo(atribuicao_id) if atribuicao_id else None
    if envio is None or not documento_aprovado(envio.situacao):
        raise DocumentoRecusado("Confira e aprove o documento de identificação do titular "
                                "antes de aprovar e emitir.")


# --- retention ---------------------------------------------------------------------------

def _anos_antes(momento, anos):
    try:
        return momento.replace(year=momento.year - anos)
    except ValueError:  # 29 February
        return momento.replace(year=momento.year - anos, day=28)


def expurgar(config, agora=None, lote=500):
    """Delete the documents whose certificate ended over DOCUMENTOS_RETENCAO_ANOS years ago
    (never issued: counted from the sending). Returns how many sendings went."""
    limite = _anos_antes(agora or utcnow(), int(config.get("DOCUMENTOS_RETENCAO_ANOS", 10)))
    fim = (CertificadoX509.select(fn.MAX(CertificadoX509.valido_ate))
           .where(CertificadoX509.certificado == EnvioDocumento.certificado))
    vencidos = list(EnvioDocumento.select(EnvioDocumento.id, EnvioDocumento.certificado)
                    .where((EnvioDocumento.enviado_em < limite)
                           & (fn.COALESCE(fim, EnvioDocumento.enviado_em) < limite))
                    .limit(lote))
    with db.atomic():
        for envio in vencidos:
            ArquivoDocumento.delete().where(ArquivoDocumento.envio == envio.id).execute()
            EnvioDocumento.delete().where(EnvioDocumento.id == envio.id).execute()
            certificado = envio.certificado
            registrar_evento(certificado.processo_id, "documento.expurgado", SISTEMA,
                             certificado.id, detalhes="Prazo de guarda encerrado.")
    return len(vencidos)

