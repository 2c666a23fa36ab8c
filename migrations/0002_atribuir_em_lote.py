"""Atribuir em lote: the uploaded batches and their lines; e-mails held back by a sending rate
(MAIL_MAX_POR_MINUTO) know when they are due, so the safety net does not send them early."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Conta(_Tabela):
    pass


class Certificado(_Tabela):
    pass


class Lote(_Tabela):
    conta = ForeignKeyField(Conta, index=True)
    acao = CharField(max_length=20)
    formato = CharField(max_length=10)
    nome_arquivo = CharField(max_length=200)
    situacao = CharField(max_length=20)
    total = IntegerField()
    validas = IntegerField()
    erros = IntegerField()
    criado_em = DateTimeField()
    confirmado_em = DateTimeField(null=True)
    concluido_em = DateTimeField(null=True)


class LoteLinha(_Tabela):
    lote = ForeignKeyField(Lote, on_delete="CASCADE")
    linha = IntegerField()
    processo_numero = CharField(max_length=300)
    certificado_numero = CharField(max_length=300)
    cpf = CharField(max_length=300)
    email = CharField(max_length=300)
    email_confirmacao = CharField(max_length=300)
    nome = CharField(max_length=300)
    certificado = ForeignKeyField(Certificado, null=True)
    situacao = CharField(max_length=20)
    erro = CharField(max_length=300)
    aplicada_em = DateTimeField(null=True)

    class Meta:
        indexes = ((("lote", "situacao", "linha"), False), (("lote", "linha"), False))


def up(migrator, db):
    migrator.migrate(migrator.add_column("email", "enviar_apos", DateTimeField(null=True)))
    with db.bind_ctx([Lote, LoteLinha]):
        db.create_tables([Lote, LoteLinha])
