"""Schema versions. A new database gets the current models and the latest version at once;
an existing one runs, in order and each in a transaction, the steps it has not seen yet.

To change the schema: change models.py, then append a step here (playhouse.migrate's
SchemaMigrator adds/renames columns), so no database ever needs a wipe.
"""
import re

from peewee import CharField, IntegerField
from playhouse.migrate import SchemaMigrator, migrate as run_migrations

from models import ALL_MODELS, Email, SchemaVersion, db


def _2_session_generation_and_token_nonces(migrator):
    """Sessions that end on logout; tokens re-derivable only with SECRET_KEY. E-mails
    already delivered lose the links their bodies kept (the person has the message)."""
    run_migrations(
        migrator.add_column("conta", "sessao_geracao", IntegerField(default=1)),
        migrator.add_column("token_conta", "nonce", CharField(max_length=64, default="")),
        migrator.add_column("link_titular", "nonce", CharField(max_length=64, default="")),
    )
    link = re.compile(r"(/t/|/definir-senha/)[A-Za-z0-9_\-]{20,}")
    for email in Email.select().where(Email.situacao != "pendente"):
        Email.update(texto=link.sub(r"\1***", email.texto), html=link.sub(r"\1***", email.html)
                     ).where(Email.id == email.id).execute()


# Each step: function(migrator) -> None. Index + 1 is the version it brings the schema to.
STEPS = [
    lambda migrator: None,  # 1: the initial schema (created from the models)
    _2_session_generation_and_token_nonces,
]

LATEST = len(STEPS)


def current_version():
    if not SchemaVersion.table_exists():
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.versao.desc()).first()
    return row.versao if row else 0


def migrate():
    """Bring the schema to LATEST; returns the version reached."""
    with db.atomic():
        version = current_version()
        if version == 0:
            db.create_tables(ALL_MODELS, safe=True)
            SchemaVersion.create(versao=LATEST)
            return LATEST
    migrator = SchemaMigrator.from_database(db.obj)
    for number in range(version + 1, LATEST + 1):
        with db.atomic():
            STEPS[number - 1](migrator)
            SchemaVersion.create(versao=number)
    return LATEST
