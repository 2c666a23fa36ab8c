"""Schema versions. A new database gets the current models and the latest version at once;
an existing one runs, in order and each in a transaction, the steps it has not seen yet.

To change the schema: change models.py, then append a step here (playhouse.migrate's
SchemaMigrator adds/renames columns), so no database ever needs a wipe.
"""
from peewee import CharField, IntegerField
from playhouse.migrate import SchemaMigrator, migrate as aplicar

from models import ALL_MODELS, CertificadoX509, Lcr, SchemaVersion, db


def _emissao(migrator):
    """2: optional NIS and título de eleitor on the request; issued X.509s and CRLs; the
    certificate a purchase renews."""
    aplicar(*(migrator.add_column("solicitacao", nome, CharField(max_length=tamanho, default=""))
              for nome, tamanho in (("nis", 11), ("titulo_eleitor", 12), ("titulo_zona", 3),
                                    ("titulo_secao", 4))),
            migrator.add_column("processo_compra", "renova_id", IntegerField(null=True)))
    db.create_tables([CertificadoX509, Lcr], safe=True)


# Each step: function(migrator) -> None. Index + 1 is the version it brings the schema to.
STEPS = [
    lambda migrator: None,  # 1: the initial schema (created from the models)
    _emissao,
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
