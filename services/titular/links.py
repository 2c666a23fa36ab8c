"""The holder's personal link: a token e-mailed once; the database keeps only its SHA-256
and the nonce it derives from with SECRET_KEY (services.segredos).

One active link per certificate: issuing a new one (resend, reassignment) revokes the rest.
"""
from datetime import timedelta


from banco.consulta_pronta import ConsultaPronta
from models import Atribuicao, LinkTitular
from relogio import utcnow
from services.nucleo.segredos import hash_token as _hash
from services.nucleo.segredos import novo_token, token_de

# Where a direct link from an e-mail may lead once it opened the holder's session.
DESTINOS = ("certificado", "agendamento", "documentos")


def emitir(atribuicao, validade_dias):
    """A new link for `atribuicao` (the previous ones stop working). Returns the token."""
    revogar(atribuicao.certificado_id)
    token, nonce = novo_token("titular")
    LinkTitular.create(atribuicao=atribuicao, token_hash=_hash(token), nonce=nonce,
                       expira_em=utcnow() + timedelta(days=validade_dias))
    return token


def revogar(certificado_id):
    agora = utcnow()
    atribuicoes = Atribuicao.select(Atribuicao.id).where(Atribuicao.certificado == certificado_id)
    (LinkTitular.update(revogado_em=agora)
     .where(LinkTitular.atribuicao.in_(atribuicoes) & LinkTitular.revogado_em.is_null())
     .execute())


def _ativo(query):
    agora = utcnow()
    return (query.join(Atribuicao)
            .where(LinkTitular.revogado_em.is_null() & (LinkTitular.expira_em > agora)
                   & Atribuicao.encerrada_em.is_null())
            .first())


def verificar(token):
    """The active link for `token`, or None (unknown, mangled, expired or revoked alike)."""
    if not token or len(token) > 100:
        return None
    return _ativo(LinkTitular.select(LinkTitular, Atribuicao)
                  .where(LinkTitular.token_hash == _hash(token)))


def _consulta_ativo(link_id, agora):
    return (LinkTitular.select(LinkTitular, Atribuicao).join(Atribuicao)
            .where((LinkTitular.id == link_id) & LinkTitular.revogado_em.is_null()
                   & (LinkTitular.expira_em > agora) & Atribuicao.encerrada_em.is_null())
            .limit(1))


# Checked on every request of the holder's session: its SQL is written once.
_ATIVO = ConsultaPronta(_consulta_ativo)


def ativo(link_id):
    """The link by id if it still works (checked on every request of the holder's session)."""
    if not isinstance(link_id, int):
        return None
    return _ATIVO.primeira(link_id, utcnow())


def situacao(token):
    """Why a token does not work, for the page that explains it: 'expirado' or 'invalido'."""
    link = LinkTitular.get_or_none(LinkTitular.token_hash == _hash(token or ""))
    if link is not None and link.revogado_em is None and link.expira_em <= utcnow():
        return "expirado"
    return "invalido"


def token(link):
    """The token of an active link, rebuilt from its nonce for a later e-mail (the e-mail row
    keeps its placeholder, never the token). None for a link from before nonces existed."""
    return token_de("titular", link.nonce) if link.nonce else None


def ultimo_ativo(atribuicao_id):
    """The assignment's active link (the one the holder's e-mail carries), or None."""
    return _ativo(LinkTitular.select(LinkTitular, Atribuicao)
                  .where(LinkTitular.atribuicao == atribuicao_id)
                  .order_by(LinkTitular.id.desc()))
