"""Migrations on Peewee's runner: its history (`schema_migration`, one row per script) replaces
the version number the earlier runner kept in `schema_version`, which goes."""


def up(migrator, db):
    db.execute_sql('DROP TABLE "schema_version"')
