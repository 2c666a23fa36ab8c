"""Accounts without a session: signing in, "Primeiro acesso" (sign-up) and the "Definir
minha senha" link, which also serves "Esqueci minha senha" (docs/dominio.md §2).

The link carries a token derived from SECRET_KEY and a stored nonce; only the nonce and
the token's SHA-256 are stored (services.segredos). It expires, works once, a new link
revokes the previous ones, and setting a password consumes every open link of the account
and ends every session of it.
"""
import functools
from datetime import timedelta

from peewee import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from models import Conta, TokenConta, db
from services.contratantes import vinculos
from services.nucleo import correio
from relogio import utcnow
from services.nucleo.segredos import hash_token as _hash
from services.nucleo.segredos import novo_token

PRIMEIRO_ACESSO = "primeiro_acesso"
RECUPERAR_SENHA = "recuperar_senha"
SENHA_MINIMO = 8


@functools.cache
def _hash_ficticio():
    """Checked when the CPF is unknown, so both answers take the same time."""
    return generate_password_hash("senha-que-nunca-confere")


def autenticar(cpf, senha):
    """The account of `cpf` if `senha` is its password, else None."""
    conta = Conta.get_or_none(Conta.cpf == cpf)
    senha_ok = check_password_hash(conta.senha_hash if conta and conta.senha_hash
                                   else _hash_ficticio(), senha)
    return conta if conta is not None and senha_ok else None


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
                conta = Conta.create(cpf=cpf, email=email, nome=nome, telefone=telefone)
                # Everyone may buy for themself; an invitation adds an organisation.
                vinculos.contratante_pessoal(conta)
                return conta
        except IntegrityError:  # the same CPF signed up at this very moment
            return None


def cadastrar(cpf, email, nome, telefone, next_url, config):
    """Primeiro acesso's last step: the account (see `registrar`) and its "Definir minha
    senha" e-mail, in one transaction. None if the CPF already has an account."""
    with db.atomic():
        conta = registrar(cpf, email, nome, telefone)
        if conta is not None:
            _enviar_link(conta, PRIMEIRO_ACESSO, email, next_url, config)
    return conta


def pedir_nova_senha(cpf, next_url, config):
    """Esqueci minha senha: the link goes to the account's e-mail, if `cpf` has an account.
    The caller answers the same either way."""
    with db.atomic():
        conta = Conta.get_or_none(Conta.cpf == cpf)
        if conta is not None:
            _enviar_link(conta, RECUPERAR_SENHA, conta.email, next_url, config)


def _enviar_link(conta, finalidade, destinatario, next_url, config):
    """Queue the "Definir minha senha" e-mail (in the caller's transaction). Past the hourly
    allowance no e-mail goes out, and nobody is told."""
    if links_recentes(conta) >= config["LINKS_SENHA_POR_HORA"]:
        return
    horas = config["TOKEN_SENHA_HORAS"]
    token = emitir_token(conta, finalidade, horas)
    link = correio.url_externa("auth.definir_senha_link", token=token, next=next_url)
    assunto = ("Área do Cliente: defina sua senha" if finalidade == PRIMEIRO_ACESSO
               else "Área do Cliente: definir uma nova senha")
    correio.enfileirar(destinatario, assunto, "definir_senha",
                       {"nome": conta.nome, "link": link, "horas": horas,
                        "primeiro_acesso": finalidade == PRIMEIRO_ACESSO})


def links_recentes(conta, horas=1):
    """How many "Definir minha senha" links `conta` was sent in the last `horas`."""
    desde = utcnow() - timedelta(hours=horas)
    return (TokenConta.select().where((TokenConta.conta == conta.id)
                                      & (TokenConta.criado_em > desde)).count())


def emitir_token(conta, finalidade, horas):
    """A new "Definir minha senha" link for `conta`; the earlier ones stop working.
    Returns the token: e-mail it, never store it."""
    _consumir(conta.id)
    token, nonce = novo_token("senha")
    TokenConta.create(conta=conta, token_hash=_hash(token), nonce=nonce, finalidade=finalidade,
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
        Conta.update(senha_hash=generate_password_hash(senha),
                     sessao_geracao=Conta.sessao_geracao + 1).where(
            Conta.id == token_conta.conta_id).execute()
    return Conta.get_by_id(token_conta.conta_id)


def encerrar_sessoes(conta_id):
    """Every session of the account ends at once (logout, "Sair de todos os aparelhos")."""
    Conta.update(sessao_geracao=Conta.sessao_geracao + 1).where(Conta.id == conta_id).execute()


PAPEIS = (Conta.COMPRADOR, Conta.AGENTE)


def mudar_papel(cpf, papel):
    """Make the account of `cpf` a buyer or an agent; its open sessions end. Returns it."""
    if papel not in PAPEIS:
        raise ValueError(f"Papel deve ser {' ou '.join(PAPEIS)}.")
    with db.atomic():
        alteradas = (Conta.update(papel=papel, sessao_geracao=Conta.sessao_geracao + 1)
                     .where(Conta.cpf == cpf).execute())
        if not alteradas:
            raise ValueError("Nenhuma conta com este CPF.")
    return Conta.get(Conta.cpf == cpf)
