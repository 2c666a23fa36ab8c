"""Schema versions. A new database gets the current models and the latest version at once;
an existing one runs, in order and each in a transaction, the steps it has not seen yet.

To change the schema: change models.py, then append a step here (playhouse.migrate's
SchemaMigrator adds/renames columns), so no database ever needs a wipe.
"""
from playhouse.migrate import SchemaMigrator  # noqa: F401  (used by the steps below)

from models import ALL_MODELS, Boleto, Certificado, SchemaVersion, db


def _comprador_e_indices(migrator):
    """2: the buyer copied onto certificates and boletos, and the indexes every list pages on."""
    from playhouse.migrate import migrate as aplicar

    for model in (Certificado, Boleto):
        tabela = model._meta.table_name
        aplicar(migrator.add_column(tabela, "comprador_id", model.comprador))
        db.execute_sql(f'UPDATE "{tabela}" SET comprador_id = (SELECT p.comprador_id FROM '
                       f'processo_compra p WHERE p.id = "{tabela}".processo_id)')
    for model in ALL_MODELS:
        model._schema.create_indexes(safe=True)


# Each step: function(migrator) -> None. Index + 1 is the version it brings the schema to.
STEPS = [
    lambda migrator: None,  # 1: the initial schema (created from the models)
    _comprador_e_indices,  # 2
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
