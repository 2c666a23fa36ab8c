"""Accounts without a session: "Primeiro acesso" (sign-up) and the "Definir minha senha"
link, which also serves "Esqueci minha senha" (docs/dominio.md §2).

The link carries a random token; only its SHA-256 is stored. It expires, works once, and
setting a password consumes every other open link of the account.
"""
import hashlib
import secrets
from datetime import timedelta

from peewee import IntegrityError
from werkzeug.security import generate_password_hash

from models import Conta, TokenConta, db
from services.relogio import utcnow

PRIMEIRO_ACESSO = "primeiro_acesso"
RECUPERAR_SENHA = "recuperar_senha"
SENHA_MINIMO = 8


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def com_senha(cpf):
    """The account of `cpf` that already has a password (a finished sign-up), or None."""
    return Conta.get_or_none((Conta.cpf == cpf) & (Conta.senha_hash != ""))


def registrar(cpf, email, nome, telefone):
    """Primeiro acesso: an account without a password yet. None if the CPF already has one.

    A sign-up left unfinished (no password set) is replaced by the new data, and its
    earlier links stop working: only the person who reads the latest e-mail can finish it.
    """
    with db.atomic():
        conta = Conta.get_or_none(Conta.cpf == cpf)
        if conta is not None:
            if conta.senha_hash:
                return None
            Conta.update(email=email, nome=nome, telefone=telefone).where(
                Conta.id == conta.id).execute()
            _consumir(conta.id)
            return Conta.get_by_id(conta.id)
        try:
            with db.atomic():
                return Conta.create(cpf=cpf, email=email, nome=nome, telefone=telefone)
        except IntegrityError:  # the same CPF signed up at this very moment
            return None


def emitir_token(conta, finalidade, horas):
    """A new "Definir minha senha" link for `conta`. Returns the token: e-mail it, never
    store it."""
    token = secrets.token_urlsafe(32)
    TokenConta.create(conta=conta, token_hash=_hash(token), finalidade=finalidade,
                      expira_em=utcnow() + timedelta(hours=horas))
    return token


def verificar(token):
    """The open link for `token`, with its account, or None (unknown, used or expired alike)."""
    if not token or len(token) > 100:
        return None
    return (TokenConta.select(TokenConta, Conta).join(Conta)
            .where((TokenConta.token_hash == _hash(token)) & TokenConta.usado_em.is_null()
                   & (TokenConta.expira_em > utcnow()))
            .first())


def _consumir(conta_id):
    TokenConta.update(usado_em=utcnow()).where(
        (TokenConta.conta == conta_id) & TokenConta.usado_em.is_null()).execute()


def definir_senha(token_conta, senha):
    """Set the password through an open link, once. Returns the account, or None if the
    link was used meanwhile (a second tab, a double click)."""
    with db.atomic():
        usado = (TokenConta.update(usado_em=utcnow())
                 .where((TokenConta.id == token_conta.id) & TokenConta.usado_em.is_null())
                 .execute())
        if usado != 1:
            return None
        _consumir(token_conta.conta_id)
        Conta.update(senha_hash=generate_password_hash(senha)).where(
            Conta.id == token_conta.conta_id).execute()
    return Conta.get_by_id(token_conta.conta_id)
