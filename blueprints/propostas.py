""""Propostas": an organisation's propostas comerciais, each one's PDF, "Contratar esta
proposta" (with the nota de empenho) and the Gestor's correction of the empenho number."""
from flask import Blueprint, abort, current_app, flash, request
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import StringField

from blueprints.forms import AcaoForm, Formulario, limpo
from services.contratantes import vinculos
from services.nucleo.formatacao import format_date
from services.nucleo.recusas import Recusa
from services.pagamento import boletos, compras, empenho, propostas
import relogio
from web.extensoes import csrf
from web.paginas import cursores, pdf_response, redirecionar, render
from web.papeis import requer
from web.pdf_assinado import pdf_liberado
from web.sessao import current_account, para_o_login

bp = Blueprint("propostas", __name__, url_prefix="/propostas")

_EMPENHO_RENDER = {"maxlength": str(empenho.NUMERO_MAX), "autocomplete": "off",
                   "spellcheck": "false"}


class ContratarForm(Formulario):
    empenho = StringField("Número da nota de empenho", validators=[limpo(empenho.limpar_numero)],
                          render_kw=_EMPENHO_RENDER)
    arquivo = FileField("PDF da nota de empenho")


class EmpenhoForm(Formulario):
    empenho = StringField("Número da nota de empenho", validators=[limpo(empenho.limpar_numero)],
                          render_kw=_EMPENHO_RENDER)


def _beneficiario():
    return boletos.Beneficiario.from_config(current_app.config)


@bp.get("/")
@requer("ver_financeiro")
def index():
    resultado = propostas.da_contratante(current_account(), current_app.config["PAGE_SIZE"],
                                         *cursores())
    hoje = relogio.hoje()
    linhas = [(p, propostas.situacao_exibida(p, hoje)) for p in resultado.itens]
    return render("propostas/index.html", resultado=resultado, linhas=linhas,
                  validade=propostas.VALIDADE_DIAS)


def _pagina(proposta, contratar=None, corrigir=None, erro=None, status=200):
    compra = propostas.compra_da(proposta)
    processo = compra[0] if compra else None
    if processo is not None and corrigir is None:
        corrigir = EmpenhoForm(formdata=None, data={"empenho": processo.empenho})
    return render("propostas/proposta.html", proposta=proposta,
                  situacao=propostas.situacao_exibida(proposta, relogio.hoje()),
                  processo=processo, boleto=compra[1] if compra else None,
                  tem_pdf=processo is not None and empenho.tem_pdf(processo),
                  contratar=contratar or ContratarForm(formdata=None), corrigir=corrigir,
                  renovar=AcaoForm(formdata=None), prazo=compras.PRAZO_DIAS_UTEIS, erro=erro,
                  status=status)


@bp.get("/<id:proposta_id>")
@requer("ver_financeiro")
def proposta(proposta_id):
    return _pagina(propostas.da_conta(current_account(), proposta_id))


@bp.get("/<id:proposta_id>/proposta.pdf")
def pdf(proposta_id):
    if pdf_liberado() == proposta_id:
        # A signed address from the Propostas page (a new tab outside the frame).
        encontrada = propostas.por_id(proposta_id)
    elif current_account() is None:
        return para_o_login()
    else:
        vinculos.exigir(current_account(), "ver_financeiro")
        encontrada = propostas.da_conta(current_account(), proposta_id)
    return pdf_response(propostas.pdf(encontrada, _beneficiario()), propostas.nome_pdf(encontrada))


@bp.post("/<id:proposta_id>/nova")
@requer("comprar")
def nova(proposta_id):
    """An expired proposta offers a new one for the same quantity, at today's price."""
    conta = current_account()
    anterior = propostas.da_conta(conta, proposta_id)
    if not AcaoForm().validate_on_submit():
        return _pagina(anterior, erro="O formulário expirou. Tente de novo.", status=400)
    nova = propostas.gerar(conta, anterior.quantidade, vinculos.ator(conta))
    flash(f"Proposta {nova.numero} gerada, válida até {format_date(nova.valida_ate)}.", "sucesso")
    return redirecionar("propostas.proposta", proposta_id=nova.id)


@bp.post("/<id:proposta_id>/contratar")
@csrf.exempt  # checked by ContratarForm itself, after the size limit below is in place
@requer("comprar")
def contratar(proposta_id):
    conta = current_account()
    proposta = propostas.da_conta(conta, proposta_id)
    # A little over the PDF's limit, for the other fields; beyond it, a message at the field.
    request.max_content_length = empenho.PDF_MAX_BYTES + 64 * 1024
    try:
        if (request.content_length or 0) > request.max_content_length:
            raise RequestEntityTooLarge()  # said before reading the body
        form = ContratarForm()
    except RequestEntityTooLarge:
        form = ContratarForm(formdata=None)
        form.arquivo.errors = ["O PDF da nota de empenho passa de 2 MB, o limite."]
        return _pagina(proposta, contratar=form, status=413)
    if not form.validate_on_submit():
        return _pagina(proposta, contratar=form, status=422)
    arquivo = form.arquivo.data
    try:
        pdf_empenho = empenho.ler_pdf(getattr(arquivo, "filename", ""),
                                      arquivo.read(empenho.PDF_MAX_BYTES + 1) if arquivo else b"")
        processo, boleto, criada = propostas.contratar(
            conta, proposta, form.empenho.limpo, pdf_empenho, _beneficiario(),
            vinculos.ator(conta))
    except Recusa as recusa:
        if recusa.campo in form:
            form[recusa.campo].errors = [recusa.mensagem]
            return _pagina(proposta, contratar=form, status=422)
        return _pagina(proposta, erro=recusa.mensagem, status=409)
    if criada:
        flash(f"Proposta contratada: compra {processo.numero} registrada. Pague o boleto até "
              f"{format_date(boleto.vencimento)}; ele também foi enviado para o seu e-mail.",
              "sucesso")
    else:
        flash(f"Esta proposta já tinha sido contratada (compra {processo.numero}); nada foi "
              "comprado de novo.", "info")
    return redirecionar("financeiro.boleto", boleto_id=boleto.id)


@bp.post("/<id:proposta_id>/empenho")
@requer("gerir")
def corrigir_empenho(proposta_id):
    conta = current_account()
    proposta = propostas.da_conta(conta, proposta_id)
    compra = propostas.compra_da(proposta)
    if compra is None:
        return _pagina(proposta, erro="Esta proposta ainda não foi contratada.", status=409)
    form = EmpenhoForm()
    if not form.validate_on_submit():
        return _pagina(proposta, corrigir=form, status=422)
    try:
        empenho.corrigir(compra[0], form.empenho.limpo, vinculos.ator(conta))
    except Recusa as recusa:  # paid meanwhile: the page says so, without the form
        return _pagina(proposta, erro=recusa.mensagem, status=409)
    flash("Nota de empenho corrigida. O boleto já mostra o número novo.", "sucesso")
    return redirecionar("propostas.proposta", proposta_id=proposta.id)


@bp.get("/<id:proposta_id>/empenho.pdf")
@requer("ver_financeiro")
def empenho_pdf(proposta_id):
    compra = propostas.compra_da(propostas.da_conta(current_account(), proposta_id))
    if compra is None:
        abort(404)
    documento = empenho.pdf_da_compra(compra[0])
    response = pdf_response(documento.pdf, documento.nome)
    # What a buyer uploaded is downloaded, never shown inside the portal's origin.
    response.headers["Content-Disposition"] = f'attachment; filename="{documento.nome}"'
    return response
