""""Financeiro": the buyer's boletos, each boleto's page and PDF, "Gerar novo Boleto", and the
nota fiscal of each paid purchase."""
from flask import Blueprint, current_app, flash, make_response, request
from markupsafe import Markup
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired

from blueprints.forms import Formulario, limpo
from services.contratantes import posse, vinculos
from services.pagamento import boletos
from services.pagamento import notas_fiscais
from services.nucleo import entrada
from services.pagamento import pix
import relogio
from services.nucleo.ciclo_de_vida import TransicaoInvalida
from web.paginas import cursores, pdf_response, redirecionar, render
from web.pdf_assinado import pdf_liberado
from web.papeis import requer
from web.sessao import current_account, para_o_login

bp = Blueprint("financeiro", __name__, url_prefix="/financeiro")

SITUACOES = {"vencido": "Vencido"}  # shown on top of BOLETO_SITUACOES


class NovoBoletoForm(Formulario):
    aceite = BooleanField(
        "Li e aceito os termos para gerar o novo boleto",
        validators=[DataRequired("Aceite os termos para gerar o novo boleto.")],
    )
    # Read here; whether the date is allowed is the service's rule (gerar_novo_boleto).
    vencimento = StringField("Nova data de vencimento", validators=[limpo(entrada.ler_data)],
                             render_kw={"type": "date", "autocomplete": "off"})


def _boleto_do_comprador(boleto_id):
    return posse.boleto_do(current_account(), boleto_id)


def _situacao(boleto, hoje):
    chave = boletos.situacao_exibida(boleto, hoje)
    return chave, SITUACOES.get(chave) or current_app.jinja_env.globals["BOLETO_SITUACOES"][chave]


@bp.get("/")
@requer('ver_financeiro')
def index():
    hoje = relogio.hoje()
    resultado = boletos.boletos_do_comprador(current_account(),
                                             current_app.config["PAGE_SIZE"], *cursores())
    linhas = [(b, *_situacao(b, hoje), boletos.pode_gerar_novo(b, hoje), pagador)
              for b, pagador in zip(resultado.itens, boletos.pagadores(resultado.itens))]
    notas = notas_fiscais.vigentes([b.processo_id for b in resultado.itens])
    return render("financeiro/index.html", "financeiro/_boletos.html",
                  resultado=resultado, linhas=linhas, notas=notas)


@bp.get("/boletos/<id:boleto_id>")
@requer('ver_financeiro')
def boleto(boleto_id):
    boleto = _boleto_do_comprador(boleto_id)
    hoje = relogio.hoje()
    chave, rotulo = _situacao(boleto, hoje)
    qr = Markup(pix.qr_svg(boleto.pix_copia_e_cola)) if boleto.pix_copia_e_cola else None
    # The fragment is what "Gerar novo Boleto" with htmx lands on after its redirect.
    return render("financeiro/boleto.html", "financeiro/_boleto.html",
                  boleto=boleto, situacao=chave, rotulo=rotulo, pagador=boletos.pagador_do(boleto),
                  qr=qr, substituto=boletos.substituto(boleto),
                  pode_gerar_novo=boletos.pode_gerar_novo(boleto, hoje),
                  notas=notas_fiscais.historico(boleto.processo_id))


@bp.get("/notas/<id:nota_id>/nfse.<formato>")
@requer('ver_financeiro')
def nota_fiscal(nota_id, formato):
    dados, tipo, nome = notas_fiscais.arquivo(posse.nota_fiscal_do(current_account(), nota_id),
                                              formato)
    response = make_response(dados)
    response.headers["Content-Type"] = tipo
    response.headers["Content-Disposition"] = f'attachment; filename="{nome}"'
    return response


@bp.get("/boletos/<id:boleto_id>/boleto.pdf")
def pdf(boleto_id):
    if pdf_liberado() == boleto_id:
        # A signed address from the buyer's page (a new tab outside the frame has no session).
        boleto = boletos.boleto(boleto_id)
    elif current_account() is None:
        return para_o_login()
    else:
        vinculos.exigir(current_account(), "ver_financeiro")  # as the boleto's page
        boleto = _boleto_do_comprador(boleto_id)
    beneficiario = boletos.Beneficiario.from_config(current_app.config)
    return pdf_response(boletos.pdf_do_boleto(boleto, beneficiario), boletos.nome_pdf(boleto))


def _pagina_novo(boleto, hoje, form=None, motivo=None, erro=None, status=200):
    response = render("financeiro/novo_boleto.html", "financeiro/_novo_boleto.html", status,
                      boleto=boleto, motivo=motivo, limite=boletos.limite_novo_boleto(boleto),
                      hoje=hoje, form=form, erro=erro)
    if status >= 400:
        # The same address with errors: no new history entry.
        response.headers["HX-Push-Url"] = "false"
    return response


def _ja_substituido(substituto):
    # Already replaced (a double submit, or Back and resend): show the one that exists.
    flash("Este boleto já foi substituído. Este é o boleto novo; pague somente ele.", "info")
    return redirecionar("financeiro.boleto", boleto_id=substituto.id)


def _mudou(boleto_id, hoje, error):
    """Changed meanwhile (paid, cancelled...): say so on this page, as it is now."""
    boleto = _boleto_do_comprador(boleto_id)
    substituto = boletos.substituto(boleto)
    if substituto is not None:
        return _ja_substituido(substituto)
    return _pagina_novo(boleto, hoje, motivo=boletos.motivo_sem_novo(boleto, hoje) or "alterado",
                        erro=str(error), status=409)


@bp.route("/boletos/<id:boleto_id>/novo", methods=["GET", "POST"])
@requer('pagar')
def novo_boleto(boleto_id):
    boleto = _boleto_do_comprador(boleto_id)
    hoje = relogio.hoje()
    substituto = boletos.substituto(boleto)
    if substituto is not None:
        return _ja_substituido(substituto)
    motivo = boletos.motivo_sem_novo(boleto, hoje)
    if motivo:
        return _pagina_novo(boleto, hoje, motivo=motivo,
                            status=409 if request.method == "POST" else 200)
    form = NovoBoletoForm()
    form.vencimento.render_kw = {**form.vencimento.render_kw, "min": hoje.isoformat(),
                                 "max": boletos.limite_novo_boleto(boleto).isoformat()}
    if form.validate_on_submit():
        conta = current_account()
        try:
            novo, criado = boletos.gerar_novo_boleto(
                boleto, form.vencimento.limpo, boletos.Beneficiario.from_config(current_app.config),
                vinculos.ator(conta), hoje)
        except boletos.NovoBoletoRecusado as recusa:
            if recusa.campo is None:
                return _mudou(boleto_id, hoje, recusa)
            form[recusa.campo].errors.append(recusa.mensagem)
        except TransicaoInvalida as error:
            return _mudou(boleto_id, hoje, error)
        else:
            if not criado:
                return _ja_substituido(novo)
            flash("Novo boleto gerado; ele também foi enviado para o seu e-mail. O boleto "
                  "anterior foi substituído: não o pague mais.", "sucesso")
            return redirecionar("financeiro.boleto", boleto_id=novo.id)
    return _pagina_novo(boleto, hoje, form=form, status=422 if form.errors else 200)
