"""Emission (issue 14): optional NIS and título de eleitor on the request, the certificate a
purchase renews, the X.509s the AC issued and the demo AC's CRLs. Tables frozen here."""
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model
from peewee import TextField


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Certificado(_Tabela):
    """Only to point the foreign key at the existing table (never created here)."""


class CertificadoX509(_Tabela):
    certificado = ForeignKeyField(Certificado, index=True)
    serial = CharField(max_length=40, unique=True)
    pem = TextField()
    origem = CharField(max_length=10)
    emitido_em = DateTimeField()
    valido_ate = DateTimeField(index=True)
    revogado_em = DateTimeField(null=True)
    motivo_revogacao = CharField(max_length=30)
    ativo_certificado = IntegerField(null=True, unique=True)
    avisos_renovacao = CharField(max_length=20)


class Lcr(_Tabela):
    numero = IntegerField(unique=True)
    der = BlobField()
    emitida_em = DateTimeField()


def up(migrator, db):
    migrator.migrate(
        *(migrator.add_column("solicitacao", nome, CharField(max_length=tamanho, default=""))
          for nome, tamanho in (("nis", 11), ("titulo_eleitor", 12), ("titulo_zona", 3),
                                ("titulo_secao", 4))),
        migrator.add_column("processo_compra", "renova_id", IntegerField(null=True)),
    )
    with db.bind_ctx([Certificado, CertificadoX509, Lcr]):
        db.create_tables([CertificadoX509, Lcr])
