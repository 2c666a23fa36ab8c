""""Solicite agora": the product page, the quantity, and the purchase (once per form)."""
import re
import uuid

from flask import Blueprint, current_app, flash, request
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

from blueprints.forms import Formulario, limpo
from services.pagamento import boletos
from services.pagamento import compras
from services.nucleo import formatacao
from services.nucleo.recusas import Recusa
import relogio
from services.certificacao import renovacao, validade
from services.contratantes import organizacoes, vinculos
from services.pagamento import propostas
from web.paginas import redirecionar, render
from web.papeis import requer
from web.sessao import current_account, para_o_login

bp = Blueprint("loja", __name__, url_prefix="/solicite-agora")


class QuantidadeForm(Formulario):
    # "Renovar" (Gerenciar): the certificate renewed; the new one goes to the same holder.
    renovar = HiddenField()
    quantidade = StringField(
        "Quantidade de certificados",
        validators=[limpo(compras.ler_quantidade)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": "3",
                   "class": "curto"},
    )


class ConfirmarForm(Formulario):
    renovar = HiddenField()
    quantidade = HiddenField(validators=[limpo(compras.ler_quantidade)])
    # Idempotency key: made when the page is shown, so a resent form buys once.
    chave = HiddenField()

    def validate_chave(self, field):
        if not re.fullmatch(r"[0-9a-f]{32}", field.data or ""):
            raise ValidationError("O formulário expirou. Confira a compra e confirme de novo.")


def _produto():
    return compras.garantir_produto(current_app.config["PRECO_CENTAVOS"])


def _renovado(numero):
    """The signed-in buyer's certificate being renewed, or None; someone else's is a 404.
    A visitor not signed in yet is asked at the confirmation, after the login."""
    conta = current_account()
    if not numero or conta is None:
        return None
    return renovacao.renovado(conta, numero)


def _pagina_produto(form, status=200):
    conta = current_account()
    # "Gerar proposta" is an organisation's (a person buying for themself just buys).
    oferece = (conta is not None and not form.renovar.data
               and conta.vinculo is not None and conta.vinculo.contratante.e_organizacao)
    return render("loja/index.html", form=form, produto=_produto(),
                  prazo=compras.PRAZO_DIAS_UTEIS, renovado=_renovado(form.renovar.data),
                  fim_a1=validade.fim_encurtado(current_app.config),
                  oferece_proposta=oferece, validade_proposta=propostas.VALIDADE_DIAS,
                  status=status)


def _gerar_proposta(form):
    conta = current_account()
    if conta is None:
        return para_o_login()
    vinculos.exigir(conta, "comprar")
    try:
        proposta = propostas.gerar(conta, form.quantidade.limpo, vinculos.ator(conta))
    except Recusa as recusa:
        form.quantidade.errors = [recusa.mensagem]
        return _pagina_produto(form, 422)
    flash(f"Proposta {proposta.numero} gerada, válida até "
          f"{formatacao.format_date(proposta.valida_ate)}. Baixe o PDF para abrir o processo; "
          "contrate-a aqui quando tiver a nota de empenho.", "sucesso")
    return redirecionar("propostas.proposta", proposta_id=proposta.id)


def _erro_de_quantidade(texto, erros):
    """A forged or stale quantity goes back to the product page, with what was sent."""
    pagina = QuantidadeForm(data={"quantidade": texto})
    pagina.quantidade.errors = list(erros)
    return _pagina_produto(pagina, 422)


@bp.route("/", methods=["GET", "POST"])
def index():
    form = QuantidadeForm(data={"quantidade": request.args.get("quantidade", "1"),
                                "renovar": request.args.get("renovar", "")}
                          if request.method == "GET" else None)
    if form.validate_on_submit():
        if request.form.get("acao") == "proposta" and not form.renovar.data:
            return _gerar_proposta(form)
        _renovado(form.renovar.data)
        # Anonymous visitors pass through the login, which brings them back to confirm.
        extra = {"renovar": form.renovar.data} if form.renovar.data else {}
        return redirecionar("loja.confirmar", quantidade=form.quantidade.limpo, **extra)
    return _pagina_produto(form, 422 if form.errors else 200)


@bp.route("/confirmar", methods=["GET", "POST"])
@requer(lambda: "atribuir" if request.values.get("renovar") else "comprar")
def confirmar():
    conta = current_account()
    if request.method == "GET":
        if not request.args.get("quantidade"):
            return redirecionar("loja.index")
        form = ConfirmarForm(data={"quantidade": request.args["quantidade"],
                                   "renovar": request.args.get("renovar", ""),
                                   "chave": uuid.uuid4().hex})
        try:
            form.quantidade.limpo = compras.ler_quantidade(form.quantidade.data)
        except (ValueError, compras.CompraRecusada) as error:
            return _erro_de_quantidade(form.quantidade.data, [str(error)])
    else:
        form = ConfirmarForm()
        if form.validate_on_submit():
            renovado = _renovado(form.renovar.data)  # before buying: someone else's is a 404
            try:
                processo, boleto, criada = compras.comprar(
                    conta, form.quantidade.limpo, form.chave.data,
                    boletos.Beneficiario.from_config(current_app.config),
                    vinculos.ator(conta))
            except compras.CompraRecusada as recusa:
                form[recusa.campo].errors.append(recusa.mensagem)
            else:
                if renovado is not None:
                    renovacao.vincular(processo, renovado)
                if criada:
                    flash(f"Compra {processo.numero} registrada. Pague o boleto até "
                          f"{formatacao.format_date(boleto.vencimento)}; ele também foi "
                          "enviado para o seu e-mail.", "sucesso")
                else:
                    flash(f"Esta compra já tinha sido registrada ({processo.numero}); "
                          "nada foi comprado de novo.", "info")
                return redirecionar("financeiro.boleto", boleto_id=boleto.id)
        if form.quantidade.errors:
            return _erro_de_quantidade(form.quantidade.data, form.quantidade.errors)
        form.chave.data = uuid.uuid4().hex
    produto = _produto()
    quantidade = form.quantidade.limpo
    return render("loja/confirmar.html", form=form, produto=produto, quantidade=quantidade,
                  total=produto.preco_centavos * quantidade,
                  vencimento=compras.vencimento_inicial(relogio.hoje()), conta=conta,
                  contratante=conta.vinculo.contratante,
                  documento=organizacoes.documento_formatado(conta.vinculo.contratante),
                  renovado=_renovado(form.renovar.data),
                  fim_a1=validade.fim_encurtado(current_app.config),
                  status=422 if form.errors else 200)
