"""Sessions that end (conta.sessao_geracao, see web.current_account) and link tokens derived
from SECRET_KEY (a nonce on token_conta and link_titular, see services/segredos.py). E-mails
already delivered lose the links their bodies kept: the person has the message."""
import re

from peewee import CharField, IntegerField, Model, TextField

_LINK = re.compile(r"(/t/|/definir-senha/)[A-Za-z0-9_\-]{20,}")


class _Email(Model):  # frozen: only the columns this step reads and writes
    texto = TextField()
    html = TextField()
    situacao = CharField(max_length=20)

    class Meta:
        table_name = "email"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("conta", "sessao_geracao", IntegerField(default=1)),
        migrator.add_column("token_conta", "nonce", CharField(max_length=64, default="")),
        migrator.add_column("link_titular", "nonce", CharField(max_length=64, default="")),
    )
    with db.bind_ctx([_Email]):
        for email in _Email.select().where(_Email.situacao != "pendente"):
            (_Email.update(texto=_LINK.sub(r"\1***", email.texto),
                           html=_LINK.sub(r"\1***", email.html))
             .where(_Email.id == email.id).execute())
