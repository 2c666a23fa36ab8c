"""Ajuda: the frequent questions with a search, and "Ajuda Interativa", the guided journey.

Ajuda Interativa only adds its first step (assign the certificate to a CPF) and the choice of
certificate; the request, the termo and the scheduling are the same views as everywhere
else, opened with `guia=1` (see blueprints/solicitacao.py).
"""
from flask import Blueprint, current_app, g, request, url_for
from stdnum.br import cpf as stdnum_cpf

from blueprints.forms import AtribuirForm
from services.contratantes import posse, vinculos
from services.titular import ajuda
from services.titular import atribuicoes
from services.nucleo import formatacao
from services.nucleo.ciclo_de_vida import TransicaoInvalida, pode
from services.nucleo.uma_vez import nova_chave
from services.titular.jornada import EXPLICACOES, passo
from web.paginas import redirecionar, render
from web.papeis import requer
from web.sessao import current_account

bp = Blueprint("ajuda", __name__, url_prefix="/ajuda")


@bp.get("/")
def index():
    busca = request.args.get("q", "").strip()
    perguntas = [(p, [(rotulo, url_for(endpoint)) for rotulo, endpoint in p.links])
                 for p in ajuda.buscar(busca)]
    return render("ajuda/index.html", "ajuda/_perguntas.html", busca=busca, perguntas=perguntas)


# --- Ajuda Interativa ---------------------------------------------------------------------

def _seguir(certificado):
    """Where the journey continues for this certificate."""
    if pode(certificado.situacao, "atribuir"):
        return redirecionar(".atribuir", numero=certificado.numero)
    if pode(certificado.situacao, "agendar") or pode(certificado.situacao, "reagendar"):
        destino = "solicitacao.enviada"
    else:
        destino = "solicitacao.inicio"
    return redirecionar(destino, numero=certificado.numero, guia=1)


def _meu_certificado(numero):
    return posse.certificado_do(current_account(), numero)


@bp.get("/interativa")
@requer('ver_certificados')
def interativa():
    g.guia = True
    candidatos = ajuda.candidatos(current_account())
    numero = request.args.get("numero")
    if numero:
        escolhido = next((c for c in candidatos if c.numero == numero), None)
        if escolhido is None:
            _meu_certificado(numero)  # 404 when it is not the buyer's
        else:
            return _seguir(escolhido)
    elif len(candidatos) == 1:
        return _seguir(candidatos[0])
    return render("ajuda/interativa.html", candidatos=candidatos, numero=numero,
                  titulo="Ajuda Interativa", nao_serve=bool(numero))


def _atribuir_form(**kwargs):
    form = AtribuirForm(**kwargs)
    # The buyer's own e-mail comes prefilled: no second typing to compare with.
    del form.email_confirmacao
    return form


def _pagina_atribuir(certificado, form, status=200, aviso=None):
    # Back to the choice of certificate when there was one; else to Ajuda.
    voltar = url_for(".interativa") if len(ajuda.candidatos(current_account())) > 1 \
        else url_for(".index")
    fragmento = "ajuda/_atribuir.html"
    response = render("solicitacao/pagina.html", fragmento, status, fragmento=fragmento,
                      certificado=certificado, form=form, aviso=aviso,
                      titulo="Atribuir o certificado", passo=passo("atribuir", guia=True),
                      explicacao=EXPLICACOES["atribuir"],
                      voltar=voltar, voltar_fora=True)
    if status >= 400:
        response.headers["HX-Push-Url"] = "false"
    return response


@bp.route("/interativa/<numero>/atribuir", methods=["GET", "POST"])
@requer('atribuir')
def atribuir(numero):
    """Step 1: assign to the CPF of the person responsible (the buyer's own, prefilled)."""
    g.guia = True
    conta = current_account()
    certificado = _meu_certificado(numero)
    if request.method == "GET":
        if not pode(certificado.situacao, "atribuir"):
            return redirecionar(".interativa", numero=numero)
        form = _atribuir_form(formdata=None, data={"cpf": stdnum_cpf.format(conta.cpf),
                                                   "email": conta.email,
                                                   "versao": certificado.versao,
                                                   "chave": nova_chave()})
        return _pagina_atribuir(certificado, form)
    form = _atribuir_form()
    if not form.validate_on_submit():
        return _pagina_atribuir(certificado, form, 422)
    cpf = form.cpf.limpo
    try:
        atribuicoes.pelo_formulario(form.chave.data, form.versao.data, certificado, cpf,
                                    form.email.limpo, conta, vinculos.ator(conta),
                                    current_app.config["LINK_TITULAR_DIAS"])
    except atribuicoes.AtribuicaoRecusada as recusa:
        form[recusa.campo].errors = [recusa.mensagem]
        return _pagina_atribuir(certificado, form, 422)
    except TransicaoInvalida as erro:
        return _pagina_atribuir(certificado, form, 409, aviso=str(erro))
    if cpf == conta.cpf:
        return redirecionar("solicitacao.inicio", numero=numero, guia=1)
    return redirecionar(".atribuido", numero=numero)


@bp.get("/interativa/<numero>/atribuido")
@requer('ver_certificados')
def atribuido(numero):
    """The journey ends here when the certificate went to someone else: they carry on."""
    g.guia = True
    certificado = _meu_certificado(numero)
    if pode(certificado.situacao, "atribuir") or not certificado.titular_email:
        return redirecionar(".interativa", numero=numero)
    fragmento = "ajuda/_atribuido.html"
    return render("solicitacao/pagina.html", fragmento, fragmento=fragmento,
                  certificado=certificado, titulo="Certificado atribuído", passo=None,
                  email=formatacao.mask_email(certificado.titular_email))
