"""The holder's side: the personal link from the e-mail and the certificate's home page."""
from flask import Blueprint, current_app, make_response, render_template, url_for

from services.agendamento import reservas
from services.certificacao import emissao, validade
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES
from services.titular import certificados
from services.titular import links
from web.acesso_titular import acesso_titular, entrar_com_link
from web.extensoes import limiter
from web.paginas import redirecionar

bp = Blueprint("titular", __name__)


@bp.get("/t/<token>")
@limiter.limit("30 per minute")
def link(token):
    link = links.verificar(token)
    if link is None:
        # Never say whose link it was: only that it does not work and what to do.
        page = render_template("titular/link_inativo.html", motivo=links.situacao(token))
        return make_response(page, 404)
    entrar_com_link(link)
    # The token leaves the address bar (and any later Referer) at once.
    return redirecionar("titular.certificado", numero=link.atribuicao.certificado.numero)


@bp.get("/t/<token>/<destino>")
@limiter.limit("30 per minute")
def direto(token, destino):
    """A later e-mail's direct link: the same session as the personal link, then straight to
    the page the e-mail asks for (e.g. "Agendar videoconferência")."""
    link = links.verificar(token) if destino in links.DESTINOS else None
    if link is None:
        page = render_template("titular/link_inativo.html", motivo=links.situacao(token))
        return make_response(page, 404)
    entrar_com_link(link)
    numero = link.atribuicao.certificado.numero
    if destino == "agendamento":
        return redirecionar("agendamento.inicio", numero=numero)
    if destino == "documentos":
        return redirecionar("solicitacao.documentos", numero=numero)
    return redirecionar("titular.certificado", numero=numero)


@bp.get("/titular/<numero>")
def certificado(numero):
    acesso = acesso_titular(numero)
    certificado = acesso.certificado
    responsavel = certificados.responsavel(certificado)
    agendamento_url = (url_for("agendamento.inicio", numero=certificado.numero)
                       if reservas.oferecido(certificado) else None)
    return render_template("titular/certificado.html", acesso=acesso, certificado=certificado,
                           emissoes=emissao.emissoes(certificado.id),
                           pode_baixar=emissao.pode_baixar(certificado)[0],
                           responsavel=responsavel,
                           organizacao=certificados.organizacao(certificado),
                           situacao=CERTIFICADO_SITUACOES[certificado.situacao],
                           agendamento_url=agendamento_url,
                           fim_a1=validade.fim_encurtado(current_app.config,
                                                         emissao.fim_fixo(certificado.id)))
