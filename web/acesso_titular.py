"""Who may act on a certificate as its holder ("titular").

Either the holder, who opened the personal link from the e-mail (the session remembers
which link, and every request checks it still works), or the buyer signed in, when the
certificate is assigned to the buyer's own CPF.
"""
from dataclasses import dataclass

from flask import abort, make_response, render_template, session

from services.contratantes import posse
from services.titular import atribuicoes
from services.titular import certificados
from services.titular import links
from services.nucleo.ciclo_de_vida import Ator
from web.sessao import SESSAO_TITULAR as SESSION_KEY
from web.sessao import current_account


@dataclass
class AcessoTitular:
    certificado: object  # models.Certificado, with its purchase
    atribuicao: object  # models.Atribuicao, the active one
    ator: Ator
    pelo_link: bool  # False: the buyer acting on a certificate of their own CPF


def entrar_com_link(link):
    """Remember in the session that this browser opened `link` (resume on any device)."""
    certificado_id = str(link.atribuicao.certificado_id)
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), certificado_id: link.id}
    session.permanent = True


def acesso_titular(numero):
    """The holder's access to certificate `numero`, or an error page (404 / link inativo)."""
    certificado = certificados.por_numero(numero)
    if certificado is None:
        abort(404)
    link_id = session.get(SESSION_KEY, {}).get(str(certificado.id))
    if link_id is not None:
        link = links.ativo(link_id)
        if link is not None and link.atribuicao.certificado_id == certificado.id:
            return AcessoTitular(certificado, link.atribuicao,
                                 Ator("Titular (link pessoal)"), True)
    conta = current_account()
    if posse.e_dele(conta, certificado.processo) and certificado.titular_cpf == conta.cpf:
        atribuicao = atribuicoes.ativa(certificado)
        if atribuicao is not None:
            return AcessoTitular(certificado, atribuicao, Ator(f"{conta.nome} (titular)", conta.id),
                                 False)
    if link_id is not None:
        abort(_link_inativo())
    abort(404)


def _link_inativo():
    return make_response(render_template("titular/link_inativo.html", motivo="revogado"), 410)
