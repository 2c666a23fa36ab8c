"""Ajuda: the frequent questions with a search, and "Ajuda Interativa", the guided journey.

Ajuda Interativa only adds its first step (assign the certificate to a CPF) and the choice of
certificate; the request, the termo and the scheduling are the same views as everywhere
else, opened with `guia=1` (see blueprints/solicitacao.py).
"""
from flask import Blueprint, abort, current_app, g, redirect, request, url_for
from stdnum.br import cpf as stdnum_cpf
from blueprints.forms import AtribuirForm
from blueprints.solicitacao import EXPLICACOES, passo
from models import Certificado, ProcessoCompra
from services.titular import ajuda
from services.titular import atribuicoes
from services.nucleo import formatacao
from services.nucleo.ciclo_de_vida import CERTIFICADO_ACOES, PREENCHIVEIS, Ator, TransicaoInvalida, pode
from web.paginas import render
from web.sessao import current_account, login_required

bp = Blueprint("ajuda", __name__, url_prefix="/ajuda")


@bp.get("/")
def index():
    busca = request.args.get("q", "").strip()
    perguntas = [(p, [(rotulo, url_for(endpoint)) for rotulo, endpoint in p.links])
                 for p in ajuda.buscar(busca)]
    return render("ajuda/index.html", "ajuda/_perguntas.html", busca=busca, perguntas=perguntas)


# --- Ajuda Interativa ---------------------------------------------------------------------

def _candidatos(conta):
    """The buyer's certificates the guided journey can carry on: free, or on their own CPF."""
    return list(
        Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
        .where((ProcessoCompra.comprador == conta.id)
               & (Certificado.situacao.in_(tuple(CERTIFICADO_ACOES["atribuir"][0]))
                  | ((Certificado.titular_cpf == conta.cpf)
                     & Certificado.situacao.in_(PREENCHIVEIS))))
        .order_by(Certificado.numero))


def _seguir(certificado):
    """Where the journey continues for this certificate."""
    if pode(certificado.situacao, "atribuir"):
        return redirect(url_for(".atribuir", numero=certificado.numero), code=303)
    if pode(certificado.situacao, "agendar") or pode(certificado.situacao, "reagendar"):
        destino = "solicitacao.enviada"
    else:
        destino = "solicitacao.inicio"
    return redirect(url_for(destino, numero=certificado.numero, guia=1), code=303)


def _meu_certificado(numero):
    """The buyer's own certificate, or 404 (someone else's looks like a missing one)."""
    certificado = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                   .where((Certificado.numero == numero)
                          & (ProcessoCompra.comprador == current_account().id)).first())
    if certificado is None:
        abort(404)
    return certificado


@bp.get("/interativa")
@login_required
def interativa():
    g.guia = True
    candidatos = _candidatos(current_account())
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
    voltar = url_for(".interativa") if len(_candidatos(current_account())) > 1 \
        else url_for(".index")
    fragmento = "ajuda/_atribuir.html"
    response = render("solicitacao/pagina.html", fragmento, status, fragmento=fragmento,
                      certificado=certificado, form=form, aviso=aviso,
                      titulo="Atribuir o certificado", passo=passo("atribuir"),
                      explicacao=EXPLICACOES["atribuir"],
                      voltar=voltar, voltar_fora=True)
    if status >= 400:
        response.headers["HX-Push-Url"] = "false"
    return response


@bp.route("/interativa/<numero>/atribuir", methods=["GET", "POST"])
@login_required
def atribuir(numero):
    """Step 1: assign to the CPF of the person responsible (the buyer's own, prefilled)."""
    g.guia = True
    conta = current_account()
    certificado = _meu_certificado(numero)
    if not pode(certificado.situacao, "atribuir"):
        return redirect(url_for(".interativa", numero=numero), code=303)
    if request.method == "GET":
        form = _atribuir_form(formdata=None, data={"cpf": stdnum_cpf.format(conta.cpf),
                                                   "email": conta.email})
        return _pagina_atribuir(certificado, form)
    form = _atribuir_form()
    if not form.validate_on_submit():
        return _pagina_atribuir(certificado, form, 422)
    cpf = form.cpf.limpo
    try:
        atribuicoes.atribuir(certificado, cpf, form.email.limpo, conta,
                             Ator(conta.nome, conta.id),
                             current_app.config["LINK_TITULAR_DIAS"])
    except atribuicoes.AtribuicaoRecusada as recusa:
        form[recusa.campo].errors = [recusa.mensagem]
        return _pagina_atribuir(certificado, form, 422)
    except TransicaoInvalida as erro:
        return _pagina_atribuir(certificado, form, 409, aviso=str(erro))
    if cpf == conta.cpf:
        return redirect(url_for("solicitacao.inicio", numero=numero, guia=1), code=303)
    return redirect(url_for(".atribuido", numero=numero), code=303)


@bp.get("/interativa/<numero>/atribuido")
@login_required
def atribuido(numero):
    """The journey ends here when the certificate went to someone else: they carry on."""
    g.guia = True
    certificado = _meu_certificado(numero)
    if pode(certificado.situacao, "atribuir") or not certificado.titular_email:
        return redirect(url_for(".interativa", numero=numero), code=303)
    fragmento = "ajuda/_atribuido.html"
    return render("solicitacao/pagina.html", fragmento, fragmento=fragmento,
                  certificado=certificado, titulo="Certificado atribuído", passo=None,
                  email=formatacao.mask_email(certificado.titular_email))
