"""How the audit trail reads to a person: the "andamento" of a purchase."""
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES

TITULOS = {
    "processo.criado": "Compra registrada",
    "processo.renovacao": "Compra de renovação: o certificado vai para o mesmo titular",
    "processo_compra.pago": "Pagamento reconhecido",
    "processo_compra.concluido": "Compra concluída: todos os certificados emitidos",
    "processo_compra.cancelado": "Compra cancelada",
    "boleto.emitido": "Boleto emitido",
    "boleto.pago": "Boleto pago",
    "boleto.substituido": "Boleto substituído por um novo",
    "boleto.cancelado": "Boleto cancelado",
    "certificado.reconhecer_pagamento": "Certificado liberado para atribuição",
    "certificado.cancelar": "Certificado cancelado",
    "certificado.atribuir": "Certificado atribuído ao titular",
    "certificado.reatribuir": "Certificado atribuído a outra pessoa",
    "certificado.solicitar": "Emissão solicitada pelo titular",
    "certificado.corrigir": "Dados da solicitação corrigidos",
    "certificado.agendar": "Videoconferência agendada",
    "certificado.reagendar": "Videoconferência reagendada",
    "certificado.cancelar_agendamento": "Videoconferência cancelada",
    "certificado.nao_compareceu": "Titular não compareceu à videoconferência",
    "certificado.aprovar": "Certificado aprovado e emitido",
    "agendamento.compareceu": "Titular compareceu ao atendimento presencial",
    "certificado.recusar": "Validação recusada: correção necessária",
    "certificado.baixado": "Certificado baixado pelo titular",
    "certificado.revogar": "Certificado revogado",
    "certificado.reemitir": "Certificado revogado para emitir um novo",
    "certificado.renovacao_avisada": "Aviso de renovação enviado",
    "email.enviado": "E-mail enviado",
    "email.falhou": "Falha ao enviar e-mail",
    "link.reenviado": "Link reenviado ao titular",
    "termo.gerado": "Termo de titularidade gerado",
    "termo.aceito": "Termo de titularidade aceito pelo titular",
    "pagamento.sinalizado": "Pagamento recebido com divergência: será devolvido",
    "nota_fiscal.anexada": "Nota fiscal anexada",
    "nota_fiscal.substituida": "Nota fiscal substituída por uma nova",
    "processo.proposta": "Compra contratada a partir de proposta comercial",
    "empenho.informado": "Nota de empenho informada",
    "empenho.corrigido": "Nota de empenho corrigida",
    "empenho.pdf": "PDF da nota de empenho anexado",
    "documento.enviado": "Documento de identificação enviado pelo titular",
    "documento.aberto": "Documento de identificação aberto",
    "documento.aprovado": "Documento de identificação aprovado",
    "documento.recusado": "Documento de identificação recusado: enviar de novo",
    "documento.expurgado": "Documento de identificação apagado: fim do prazo de guarda",
    # The organisation's own events (no purchase): read on its "Atividades" page.
    "organizacao.cadastrada": "Organização cadastrada",
    "responsavel.papel": "Papel de responsável alterado",
    "responsavel.removido": "Responsável removido",
    "convite.enviado": "Convite enviado",
    "convite.reenviado": "Convite reenviado",
    "convite.cancelado": "Convite cancelado",
    "convite.aceito": "Convite aceito",
    "proposta.gerada": "Proposta comercial gerada",
    "proposta.contratada": "Proposta comercial contratada",
}


# Who did it, as the line says: "Atribuído por Carla Dias (Prefeitura Municipal de Exemplo)".
POR = {"certificado.atribuir": "Atribuído por", "certificado.reatribuir": "Reatribuído por"}


def por(evento):
    return f"{POR.get(evento.tipo, 'Por')} {evento.ator}"


def titulo(evento):
    return TITULOS.get(evento.tipo, evento.tipo)


def situacao(evento):
    """The certificate state the event led to, as shown to people (or "")."""
    if evento.certificado_id and evento.para in CERTIFICADO_SITUACOES:
        return CERTIFICADO_SITUACOES[evento.para]
    return ""
