"""Sign in with CPF and password, sign out; "Primeiro acesso" and "Esqueci minha senha"."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from wtforms import EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length
from stdnum.br import cpf as stdnum_cpf

from blueprints.forms import Formulario, limpo
from web.extensoes import limiter
from services.contratantes import contas
from services.nucleo import formatacao
from services.titular.pessoa import clean_celular, clean_cpf, clean_email, clean_nome
from web.paginas import redirecionar, render
from web.sessao import current_account, sign_in

bp = Blueprint("auth", __name__)


def cpf_field(label="CPF"):
    return StringField(
        label,
        validators=[InputRequired("Informe o CPF."), limpo(clean_cpf)],
        render_kw={"autocomplete": "username", "inputmode": "numeric", "spellcheck": "false",
                   "maxlength": "18"},
    )


class LoginForm(Formulario):
    cpf = cpf_field()
    senha = PasswordField(
        "Senha",
        validators=[InputRequired("Informe a senha.")],
        render_kw={"autocomplete": "current-password"},
    )


def _safe_next(target):
    """Only a path on this site, printable and short: never an open redirect."""
    if not target or len(target) > 500 or not target.isprintable() or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _ip_e_cpf():
    """Rate-limit key: the client's IP and the CPF tried (digits only)."""
    cpf = "".join(c for c in request.form.get("cpf", "")[:30] if c.isascii() and c.isdigit())
    return f"{get_remote_address()}:{cpf}"


@bp.route("/entrar", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
               key_func=_ip_e_cpf, deduct_when=lambda response: response.status_code != 303)
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def login():
    if current_account() is not None and request.method == "GET":
        return redirecionar(_safe_next(request.args.get("next")) or url_for("inicio.index"))
    form = LoginForm()
    if form.validate_on_submit():
        conta = contas.autenticar(form.cpf.limpo, form.senha.data)
        if conta is not None:
            sign_in(conta)
            destino = _safe_next(request.args.get("next")) or url_for("inicio.index")
            return redirecionar(destino)
        form.senha.errors.append("CPF ou senha inválidos.")
    status = 422 if form.errors else 200
    return render("auth/login.html", form=form, status=status,
                  next=_safe_next(request.args.get("next")))


@bp.post("/sair")
def logout():
    # Every session of the account ends, so a copied cookie dies with this one.
    conta = current_account()
    if conta is not None:
        contas.encerrar_sessoes(conta.id)
    session.clear()
    return redirecionar("auth.login")


# --- "Primeiro acesso" and "Esqueci minha senha" -------------------------------------------
# The CPF travels in the session between steps, never in a URL (LGPD). `next` (a path on
# this site, e.g. the purchase a new buyer was making) follows the whole flow, the e-mail
# link included, so setting the password brings the person back there.

PRIMEIRO_ACESSO = "primeiro_acesso"
CPF_RECUPERACAO = "cpf_recuperacao"
TOKEN_CONTA = "token_conta"
NEXT_CONTA = "next_conta"


def _limite():
    return current_app.config["LOGIN_RATE_LIMIT"]


class PrimeiroAcessoForm(Formulario):
    cpf = StringField("CPF", validators=[limpo(clean_cpf)],
                      render_kw={"autocomplete": "username", "inputmode": "numeric",
                                 "spellcheck": "false", "maxlength": "18"})
    email = EmailField("E-mail", validators=[limpo(clean_email)],
                       render_kw={"autocomplete": "email", "spellcheck": "false",
                                  "maxlength": "254"})


class DadosForm(Formulario):
    nome = StringField("Nome completo", validators=[limpo(clean_nome)],
                       render_kw={"autocomplete": "name", "maxlength": "120"})
    # "tel", not "tel-national" (the Nu Html Checker rejects it); +55 is accepted anyway.
    celular = TelField("Celular com DDD", validators=[limpo(clean_celular)],
                       render_kw={"autocomplete": "tel", "inputmode": "tel", "maxlength": "20"})


class EsqueciForm(Formulario):
    cpf = PrimeiroAcessoForm.cpf


class SenhaForm(Formulario):
    senha = PasswordField("Nova senha", render_kw={"autocomplete": "new-password"}, validators=[
        Length(min=contas.SENHA_MINIMO,
               message=f"A senha deve ter pelo menos {contas.SENHA_MINIMO} caracteres.")])
    confirmacao = PasswordField(
        "Confirme a nova senha", render_kw={"autocomplete": "new-password"},
        validators=[DataRequired("Digite a nova senha mais uma vez, para conferir."),
                    EqualTo("senha", "As senhas não são iguais. Digite a mesma senha nos dois "
                                     "campos.")])


@bp.route("/primeiro-acesso", methods=["GET", "POST"])
@limiter.limit(_limite, methods=["POST"])
def primeiro_acesso():
    next_url = _safe_next(request.args.get("next"))
    form = PrimeiroAcessoForm()
    if form.validate_on_submit():
        cpf = form.cpf.limpo
        if contas.com_senha(cpf) is not None:
            # As SERPRO does: an existing account goes to password recovery.
            session[CPF_RECUPERACAO] = cpf
            flash("Este CPF já tem cadastro na Área do Cliente. Para entrar, defina uma nova "
                  "senha: enviaremos o link para o e-mail cadastrado.", "info")
            return redirecionar("auth.esqueci_senha", next=next_url)
        session[PRIMEIRO_ACESSO] = {"cpf": cpf, "email": form.email.limpo, "next": next_url}
        return redirecionar("auth.primeiro_acesso_dados")
    status = 422 if form.errors else 200
    return render("auth/primeiro_acesso.html", form=form, next=next_url, status=status)


@bp.route("/primeiro-acesso/dados", methods=["GET", "POST"])
@limiter.limit(_limite, methods=["POST"])
def primeiro_acesso_dados():
    inicio = session.get(PRIMEIRO_ACESSO)
    if not inicio:
        return redirecionar("auth.primeiro_acesso")
    form = DadosForm()
    if form.validate_on_submit():
        conta = contas.cadastrar(inicio["cpf"], inicio["email"], form.nome.limpo,
                                 form.celular.limpo, inicio["next"], current_app.config)
        session.pop(PRIMEIRO_ACESSO, None)
        if conta is None:
            session[CPF_RECUPERACAO] = inicio["cpf"]
            flash("Este CPF já tem cadastro na Área do Cliente. Para entrar, defina uma nova "
                  "senha.", "info")
            return redirecionar("auth.esqueci_senha", next=inicio["next"])
        return render_template("auth/link_enviado.html", primeiro_acesso=True,
                               email=formatacao.mask_email(inicio["email"]),
                               horas=current_app.config["TOKEN_SENHA_HORAS"])
    status = 422 if form.errors else 200
    return render("auth/primeiro_acesso_dados.html", form=form,
                  email=formatacao.mask_email(inicio["email"]),
                  cpf=stdnum_cpf.format(inicio["cpf"]), status=status)


@bp.route("/esqueci-minha-senha", methods=["GET", "POST"])
@limiter.limit(_limite, methods=["POST"])
def esqueci_senha():
    next_url = _safe_next(request.args.get("next"))
    form = EsqueciForm()
    if request.method == "GET" and session.get(CPF_RECUPERACAO):
        form.cpf.data = stdnum_cpf.format(session.pop(CPF_RECUPERACAO))
    if form.validate_on_submit():
        contas.pedir_nova_senha(form.cpf.limpo, next_url, current_app.config)
        # The same answer whether or not the CPF has an account.
        return render_template("auth/link_enviado.html", primeiro_acesso=False, email=None,
                               horas=current_app.config["TOKEN_SENHA_HORAS"])
    status = 422 if form.errors else 200
    return render("auth/esqueci_senha.html", form=form, next=next_url, status=status)


def _link_senha_inativo():
    return make_response(render_template("auth/link_senha_inativo.html"), 404)


@bp.get("/definir-senha/<token>")
@limiter.limit("30 per minute")
def definir_senha_link(token):
    if contas.verificar(token) is None:
        return _link_senha_inativo()
    session[TOKEN_CONTA] = token
    session[NEXT_CONTA] = _safe_next(request.args.get("next"))
    # The token leaves the address bar (and any later Referer) at once.
    return redirecionar("auth.definir_senha")


@bp.route("/definir-senha", methods=["GET", "POST"])
@limiter.limit(_limite, methods=["POST"])
def definir_senha():
    token_conta = contas.verificar(session.get(TOKEN_CONTA))
    if token_conta is None:
        return _link_senha_inativo()
    form = SenhaForm()
    if form.validate_on_submit():
        conta = contas.definir_senha(token_conta, form.senha.data)
        if conta is None:
            return _link_senha_inativo()
        destino = _safe_next(session.get(NEXT_CONTA)) or url_for("inicio.index")
        sign_in(conta)
        flash("Senha definida com sucesso. Você já está conectado à Área do Cliente.", "sucesso")
        return redirecionar(destino)
    status = 422 if form.errors else 200
    return render("auth/definir_senha.html", form=form, dono=token_conta.conta, status=status)
