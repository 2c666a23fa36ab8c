"""The one-time form key (ChaveIdempotencia): a double click or a resent form acts once.

A page puts `nova_chave()` in a hidden field; the action it posts runs through `uma_vez`.
"""
import secrets

from peewee import IntegrityError

from models import ChaveIdempotencia, db

CHAVE_MAX = 64  # ChaveIdempotencia.chave


def nova_chave():
    return secrets.token_urlsafe(32)


def uma_vez(chave, acao):
    """Run `acao` (returns the message to show) once per form key, in one transaction.

    A repeated key (double click, resubmitted form) returns the first answer, doing nothing.
    The key row is written first: a concurrent twin waits on the unique index, then sees it.
    An exception from `acao` rolls the key back with the rest, so the form can be sent again.
    """
    chave = (chave or "")[:CHAVE_MAX] or nova_chave()
    with db.atomic():
        try:
            with db.atomic():
                ChaveIdempotencia.create(chave=chave)
        except IntegrityError:
            return ChaveIdempotencia.get(ChaveIdempotencia.chave == chave).resultado
        mensagem = acao()
        (ChaveIdempotencia.update(resultado=mensagem[:200])
         .where(ChaveIdempotencia.chave == chave).execute())
    return mensagem
