"""Vencimentos: each X.509 carries its certificate's contratante (copied, as certificates and
boletos do), so the page counts and lists a contratante's valid X.509s by end of validity on
one partial index; each contratante remembers the week of its Gestores' last weekly digest."""
from peewee import CharField, ForeignKeyField, Model


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Contratante(_Tabela):
    """Only to point the foreign key at the existing table (never created here)."""


class _Coluna(Model):
    """Owns the frozen column added below."""

    contratante = ForeignKeyField(Contratante, null=True, index=False)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("contratante", "resumo_vencimentos",
                            CharField(max_length=8, default="")),
        migrator.add_column("certificado_x509", "contratante_id", _Coluna.contratante),
    )
    db.execute_sql("UPDATE certificado_x509 SET contratante_id = (SELECT c.contratante_id FROM "
                   "certificado c WHERE c.id = certificado_x509.certificado_id)")
    migrator.migrate(migrator.add_not_null("certificado_x509", "contratante_id"))
    db.execute_sql('CREATE INDEX "certificado_x509_vencimento" ON "certificado_x509" '
                   '("contratante_id", "valido_ate", "id") WHERE "ativo_certificado" IS NOT NULL')
