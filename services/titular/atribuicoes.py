"""Assigning a certificate to its holder (CPF + e-mail), reassigning, resending the link.

Each is one transaction: the state move, the assignment row, the new link and the e-mails.
The buyer's forms (Gerenciar Certificados, Ajuda Interativa) come through `pelo_formulario`
and `reenviar_pelo_formulario`: once per one-time key, against the version the page showed.
"""
from flask import current_app

from models import Atribuicao, Certificado, Contratante, Solicitacao, db
from services.certificacao import emissao, validade
from services.nucleo import formatacao
from services.titular import links
from services.nucleo import correio
from services.nucleo import ciclo_de_vida
from services.nucleo.uma_vez import uma_vez
from services.nucleo.ciclo_de_vida import (EstadoAlterado, TransicaoInvalida,
                                mover_certificado, registrar_evento)
from relogio import utcnow


class AtribuicaoRecusada(TransicaoInvalida):
    """The assignment breaks a rule the buyer can fix (message in Portuguese)."""


def ativa(certificado):
    return (Atribuicao.select().where((Atribuicao.certificado == certificado.id)
                                      & Atribuicao.encerrada_em.is_null())
            .order_by(Atribuicao.id.desc()).first())


def solicitacao_de(certificado_id):
    """The holder's current request (the one of the active assignment), or None."""
    return (Solicitacao.select().join(Atribuicao)
            .where((Solicitacao.certificado == certificado_id)
                   & Atribuicao.encerrada_em.is_null())
            .order_by(Solicitacao.id.desc()).first())


def _cpf_ja_usado(certificado, cpf):
    """Another certificate of the same purchase, still in use, already belongs to `cpf`."""
    return (Certificado.select().where(
        (Certificado.processo == certificado.processo_id) & (Certificado.id != certificado.id)
        & (Certificado.titular_cpf == cpf)
        & (Certificado.situacao != ciclo_de_vida.CANCELADO)).exists())


def _quem_atribui(certificado, conta):
    """Who the holder's e-mails say assigned the certificate: the responsável's name and the
    organisation's (None for a person's purchase). A signed-in buyer carries the contratante;
    otherwise it is read once."""
    vinculo = getattr(conta, "vinculo", None)
    if vinculo is not None and vinculo.contratante_id == certificado.contratante_id:
        contratante = vinculo.contratante
    else:
        contratante = Contratante.get_by_id(certificado.contratante_id)
    return {"nome_responsavel": conta.nome,
            "organizacao": contratante.nome if contratante.e_organizacao else None}


def _avisar_titular(certificado, atribuicao, token, conta, validade_dias):
    correio.enfileirar(
        atribuicao.email, "Seu Certificado Digital e-CPF A1: preencha a solicitação",
        "titular_link",
        {**_quem_atribui(certificado, conta), "certificado": certificado,
         "link": correio.url_externa("titular.link", token=token), "validade_dias": validade_dias},
        processo=certificado.processo_id, certificado=certificado.id,
    )


ALTERADO = ("Este certificado foi alterado (por você em outra aba ou por outra pessoa) "
            "enquanto a página estava aberta. Confira a situação atual antes de continuar.")


def atribuir(certificado, cpf, email, conta, ator, validade_dias, acao="atribuir",
             versao=None):
    """Assign ("atribuir") or reassign ("reatribuir", while emission was not requested) to a
    clean CPF and e-mail. Returns the new token.

    `versao` is the certificate version the person saw: a page left open while the
    certificate changed is refused (EstadoAlterado) instead of overwriting. The lifecycle
    refuses an action the state does not allow; AtribuicaoRecusada (`campo` "cpf") a CPF
    that cannot hold this certificate.
    """
    email = email.lower()  # one holder, one address: compared and stored in lower case
    if versao is not None and versao != certificado.versao:
        raise EstadoAlterado(ALTERADO)
    if acao == "reatribuir" and cpf == certificado.titular_cpf:
        raise AtribuicaoRecusada("O certificado já está atribuído a este CPF. Para mandar um "
                                 "novo link ao titular, use “Reenviar link”.", "cpf")
    with db.atomic():
        if _cpf_ja_usado(certificado, cpf):
            raise AtribuicaoRecusada(
                "Este CPF já é titular de outro certificado desta compra. Cada pessoa usa "
                "um certificado: informe o CPF de outra pessoa.", "cpf")
        anterior = ativa(certificado) if acao == "reatribuir" else None
        mover_certificado(certificado, acao, ator,
                          detalhes=f"Titular {formatacao.mask_cpf(cpf)}",
                          titular_cpf=cpf, titular_email=email)
        if anterior is not None:
            Atribuicao.update(encerrada_em=utcnow()).where(Atribuicao.id == anterior.id).execute()
            # The old holder's draft is discarded with their assignment.
            Solicitacao.delete().where(Solicitacao.atribuicao == anterior.id).execute()
            correio.enfileirar(
                anterior.email, "Certificado Digital atribuído a outra pessoa",
                "titular_reatribuido",
                {**_quem_atribui(certificado, conta), "certificado": certificado},
                processo=certificado.processo_id, certificado=certificado.id,
            )
        atribuicao = Atribuicao.create(certificado=certificado, cpf=cpf, email=email,
                                       atribuido_por=conta.id)
        token = links.emitir(atribuicao, validade_dias)
        _avisar_titular(certificado, atribuicao, token, conta, validade_dias)
    return token


def reenviar_link(certificado, conta, ator, validade_dias):
    """A fresh link by e-mail; the previous one dies at once. Also after emission: the
    holder needs the link to download, reissue or revoke the certificate."""
    emitido = ciclo_de_vida.emitido(certificado.situacao)
    if not ciclo_de_vida.preenchivel(certificado.situacao) and not emitido:
        raise AtribuicaoRecusada("Não há link para reenviar neste certificado.")
    with db.atomic():
        atribuicao = ativa(certificado)
        if atribuicao is None:
            raise AtribuicaoRecusada("Não há titular atribuído a este certificado.")
        token = links.emitir(atribuicao, validade_dias)
        registrar_evento(certificado.processo_id, "link.reenviado", ator, certificado.id,
                         detalhes=f"Para {formatacao.mask_email(atribuicao.email)}")
        if emitido:
            correio.enfileirar(atribuicao.email, "Seu certificado está pronto", "certificado_emitido",
                            {"certificado": certificado,
                             "link": correio.url_externa("titular.link", token=token),
                             "fim_a1": validade.fim_encurtado(
                                 current_app.config, emissao.fim_fixo(certificado.id))},
                            processo=certificado.processo_id, certificado=certificado.id)
        else:
            _avisar_titular(certificado, atribuicao, token, conta, validade_dias)
    return token



# --- the buyer's forms --------------------------------------------------------------------

def _versao(texto):
    """The hidden `versao` as sent; a missing or forged one matches no version."""
    texto = str(texto or "")
    return int(texto) if texto.isascii() and texto.isdigit() else 0


def pelo_formulario(chave, versao, certificado, cpf, email, conta, ator, validade_dias,
                    acao="atribuir"):
    """The assignment form: `atribuir` once per one-time key `chave`, refused (EstadoAlterado)
    when `versao`, the version the page showed, is no longer the certificate's. Returns the
    message to show. A refusal keeps nothing, its e-mails included."""
    def atribuir_agora():
        atribuir(certificado, cpf, email, conta, ator, validade_dias, acao, _versao(versao))
        return (f"Certificado {certificado.numero} atribuído ao CPF "
                f"{formatacao.mask_cpf(cpf)}. Enviamos o link para "
                f"{formatacao.mask_email(certificado.titular_email)}.")

    try:
        return uma_vez(chave, atribuir_agora)
    except TransicaoInvalida:  # AtribuicaoRecusada and EstadoAlterado included
        correio.descartar()
        raise


def reenviar_pelo_formulario(chave, certificado, conta, ator, validade_dias):
    """"Reenviar link" once per one-time key. Returns the message to show."""
    def reenviar_agora():
        reenviar_link(certificado, conta, ator, validade_dias)
        return (f"Enviamos um novo link para {formatacao.mask_email(certificado.titular_email)}. "
                "O link anterior deixou de funcionar.")

    try:
        return uma_vez(chave, reenviar_agora)
    except TransicaoInvalida:
        correio.descartar()
        raise
