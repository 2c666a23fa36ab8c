"""Invitations to become a responsável ("Convidar responsável").

The e-mail carries a single-use link that expires in 7 days; only its SHA-256 and a nonce are
stored (services.nucleo.segredos), as for every other link. The invitation is bound to the
invited CPF: whoever accepts must be signed in with that CPF. A new person creates their
account through Primeiro acesso, which brings them back to the link.
"""
from datetime import timedelta

from peewee import IntegrityError

from models import Conta, Contratante, Convite, Responsavel, db
from services.contratantes import papeis, vinculos
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import registrar_evento
from services.nucleo.recusas import NaoEncontrado, Recusa
from services.nucleo.segredos import hash_token, novo_token
from relogio import utcnow

VALIDADE_DIAS = 7
FINALIDADE = "convite"
TOKEN_MAX = 100


def _aberto(contratante_id, cpf):
    return f"{contratante_id}:{cpf}"


def pendentes(contratante_id):
    """The open invitations of a contratante, newest first (an expired one still shows, so it
    can be resent or cancelled)."""
    return list(Convite.select().where((Convite.contratante == contratante_id)
                                       & Convite.aberto.is_null(False))
                .order_by(Convite.id.desc()))


def expirado(convite):
    return convite.expira_em <= utcnow()


def convidar(conta, cpf, email, papel, ator, avisar=True):
    """The Gestor `conta` invites CPF `cpf` (e-mail `email`) as `papel` of the active
    contratante; the e-mail goes in the same transaction (unless not `avisar`: the demo data,
    whose invitation is resent from the page)."""
    papeis.exigir(conta.vinculo, "gerir")
    papel = papeis.ler_papel(papel)
    contratante = conta.vinculo.contratante
    with db.atomic():
        ja_membro = (Responsavel.select().join(Conta)
                     .where((Responsavel.contratante == contratante.id) & (Conta.cpf == cpf))
                     .exists())
        if ja_membro:
            raise Recusa("Esta pessoa já é responsável por esta organização. Para mudar o que "
                         "ela pode fazer, mude o papel dela na lista.", "cpf")
        token, nonce = novo_token(FINALIDADE)
        try:
            with db.atomic():
                convite = Convite.create(
                    contratante=contratante.id, cpf=cpf, email=email, papel=papel,
                    token_hash=hash_token(token), nonce=nonce, convidado_por=conta.id,
                    expira_em=utcnow() + timedelta(days=VALIDADE_DIAS),
                    aberto=_aberto(contratante.id, cpf))
        except IntegrityError:
            raise Recusa("Já existe um convite em aberto para este CPF. Reenvie ou cancele o "
                         "convite na lista abaixo.", "cpf") from None
        if avisar:
            _enviar(convite, contratante, conta, token)
        registrar_evento(None, "convite.enviado", ator, contratante_id=contratante.id,
                         detalhes=f"{email} como {papeis.nome(papel)}")
    return convite


def _enviar(convite, contratante, conta, token):
    link = correio.url_externa("organizacao.convite", token=token)
    correio.enfileirar(
        convite.email, f"Convite: responsável pela contratação de {contratante.nome}",
        "convite_responsavel",
        {"organizacao": contratante.nome, "quem": conta.nome, "papel": papeis.nome(convite.papel),
         "descricao": papeis.DESCRICOES[convite.papel], "link": link, "dias": VALIDADE_DIAS})


def _do_contratante(conta, convite_id):
    convite = Convite.get_or_none((Convite.id == convite_id)
                                  & (Convite.contratante == conta.vinculo.contratante_id)
                                  & Convite.aberto.is_null(False))
    if convite is None:
        raise NaoEncontrado()
    return convite


def reenviar(conta, convite_id, ator):
    """A new link (7 more days) for an open invitation; the earlier link stops working."""
    papeis.exigir(conta.vinculo, "gerir")
    with db.atomic():
        convite = _do_contratante(conta, convite_id)
        token, nonce = novo_token(FINALIDADE)
        Convite.update(token_hash=hash_token(token), nonce=nonce,
                       expira_em=utcnow() + timedelta(days=VALIDADE_DIAS)).where(
            Convite.id == convite.id).execute()
        _enviar(convite, conta.vinculo.contratante, conta, token)
        registrar_evento(None, "convite.reenviado", ator,
                         contratante_id=convite.contratante_id, detalhes=convite.email)
    return convite


def cancelar(conta, convite_id, ator):
    papeis.exigir(conta.vinculo, "gerir")
    with db.atomic():
        convite = _do_contratante(conta, convite_id)
        Convite.update(cancelado_em=utcnow(), aberto=None).where(
            Convite.id == convite.id).execute()
        registrar_evento(None, "convite.cancelado", ator,
                         contratante_id=convite.contratante_id, detalhes=convite.email)
    return convite


def abrir(token):
    """The open, unexpired invitation of `token`, with its contratante, or None (unknown,
    used, cancelled or expired alike)."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        return None
    return (Convite.select(Convite, Contratante).join(Contratante)
            .where((Convite.token_hash == hash_token(token)) & Convite.aberto.is_null(False)
                   & (Convite.expira_em > utcnow())).first())


def conferir(convite, conta):
    """Only the invited CPF may accept: the page says so before anyone presses the button."""
    if convite.cpf != conta.cpf:
        raise Recusa("Este convite foi feito para outro CPF. Entre com a conta do CPF "
                     "convidado, ou peça a um Gestor um convite para o seu CPF.")


def aceitar(conta, token, ator):
    """`conta` accepts the invitation of `token`: a responsável from now, that contratante
    active. Refused for another CPF, and for a link used, cancelled or expired."""
    convite = abrir(token)
    if convite is None:
        raise Recusa("Este convite não vale mais: ele já foi usado, foi cancelado ou passou "
                     f"dos {VALIDADE_DIAS} dias. Peça um novo convite a um Gestor da "
                     "organização.")
    conferir(convite, conta)
    with db.atomic():
        usado = (Convite.update(aceito_em=utcnow(), aberto=None)
                 .where((Convite.id == convite.id) & Convite.aberto.is_null(False)).execute())
        if usado != 1:  # accepted in another tab meanwhile
            raise Recusa("Este convite já foi usado.")
        try:
            with db.atomic():
                Responsavel.create(contratante=convite.contratante_id, conta=conta.id,
                                   papel=convite.papel)
        except IntegrityError:
            pass  # already a member (added meanwhile): the papel they have stays
        vinculos.ativar(conta, convite.contratante_id)
        registrar_evento(None, "convite.aceito", ator, contratante_id=convite.contratante_id,
                         detalhes=f"{conta.nome} como {papeis.nome(convite.papel)}")
    return convite

