"""Validação presencial (issue 24): the back office's pontos de atendimento; a slot
(`horario`) belongs to the videoconference (`ponto_id` NULL) or to one ponto, so the unique
start becomes unique per ponto (two partial indexes: NULLs are distinct in a unique one);
a booking remembers when the holder showed up in person. Tables frozen here."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class PontoAtendimento(_Tabela):
    nome = CharField(max_length=80)
    endereco = CharField(max_length=160)
    cidade = CharField(max_length=60)
    uf = CharField(max_length=2)
    abre = CharField(max_length=5)
    fecha = CharField(max_length=5)
    capacidade = IntegerField()
    feriados = TextField(default="")
    removido_em = DateTimeField(null=True)


class _Coluna(Model):
    """Owns the frozen column added below."""

    ponto = ForeignKeyField(PontoAtendimento, null=True, index=False)


def up(migrator, db):
    with db.bind_ctx([PontoAtendimento]):
        db.create_tables([PontoAtendimento])
    migrator.migrate(
        migrator.drop_index("horario", "horario_inicio"),
        migrator.add_column("horario", "ponto_id", _Coluna.ponto),
        migrator.add_column("agendamento", "compareceu_em", DateTimeField(null=True)),
    )
    db.execute_sql('CREATE UNIQUE INDEX "horario_inicio" ON "horario" ("inicio") '
                   'WHERE "ponto_id" IS NULL')
    db.execute_sql('CREATE UNIQUE INDEX "horario_ponto_id_inicio" ON "horario" '
                   '("ponto_id", "inicio") WHERE "ponto_id" IS NOT NULL')
