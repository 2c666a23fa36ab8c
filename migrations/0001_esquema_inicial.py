"""The first schema: the tables as they were when migrations began, frozen here on purpose
(never edit this file; change the schema with a new migration). Only what reaches the DDL is
written: types, lengths, NULL, unique, indexes and foreign keys; Python defaults are not."""
from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, TextField)


class _Tabela(Model):
    class Meta:
        legacy_table_names = False


class Conta(_Tabela):
    cpf = CharField(max_length=11, unique=True)
    nome = CharField(max_length=120)
    email = CharField(max_length=254)
    telefone = CharField(max_length=20)
    senha_hash = CharField(max_length=255)
    papel = CharField(max_length=20)
    criado_em = DateTimeField()


class TokenConta(_Tabela):
    conta = ForeignKeyField(Conta, on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    finalidade = CharField(max_length=20)
    criado_em = DateTimeField()
    expira_em = DateTimeField()
    usado_em = DateTimeField(null=True)


class Produto(_Tabela):
    codigo = CharField(max_length=40, unique=True)
    nome = CharField(max_length=120)
    descricao = TextField()
    preco_centavos = IntegerField()
    validade_meses = IntegerField()


class ProcessoCompra(_Tabela):
    numero = CharField(max_length=20, unique=True)
    comprador = ForeignKeyField(Conta, index=True)
    produto = ForeignKeyField(Produto)
    quantidade = IntegerField()
    valor_unitario_centavos = IntegerField()
    total_centavos = IntegerField()
    situacao = CharField(max_length=30, index=True)
    criado_em = DateTimeField(index=True)
    pago_em = DateTimeField(null=True)
    chave_idempotencia = CharField(max_length=64, null=True, unique=True)


class Boleto(_Tabela):
    processo = ForeignKeyField(ProcessoCompra, index=True)
    sequencia = IntegerField(unique=True)
    nosso_numero = CharField(max_length=20, unique=True)
    numero_documento = CharField(max_length=20)
    valor_centavos = IntegerField()
    vencimento = DateField()
    vencimento_original = DateField()
    codigo_barras = CharField(max_length=44)
    linha_digitavel = CharField(max_length=47)
    pix_copia_e_cola = TextField()
    situacao = CharField(max_length=20, index=True)
    substitui = ForeignKeyField("self", null=True, unique=True)
    criado_em = DateTimeField()
    pago_em = DateTimeField(null=True)


class Pagamento(_Tabela):
    boleto = ForeignKeyField(Boleto)
    processo = ForeignKeyField(ProcessoCompra)
    valor_centavos = IntegerField()
    data_pagamento = DateField()
    origem = CharField(max_length=20)
    referencia = CharField(max_length=80, unique=True)
    creditado = BooleanField()
    sinalizado = BooleanField()
    motivo = CharField(max_length=200)
    criado_em = DateTimeField()


class Certificado(_Tabela):
    processo = ForeignKeyField(ProcessoCompra, index=True)
    numero = CharField(max_length=30, unique=True)
    situacao = CharField(max_length=30, index=True)
    titular_cpf = CharField(max_length=11, null=True, index=True)
    titular_email = CharField(max_length=254, null=True)
    versao = IntegerField()
    atualizado_em = DateTimeField()


class Atribuicao(_Tabela):
    certificado = ForeignKeyField(Certificado, index=True)
    cpf = CharField(max_length=11)
    email = CharField(max_length=254)
    atribuido_por = ForeignKeyField(Conta, null=True)
    criado_em = DateTimeField()
    encerrada_em = DateTimeField(null=True)


class LinkTitular(_Tabela):
    atribuicao = ForeignKeyField(Atribuicao, on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    criado_em = DateTimeField()
    expira_em = DateTimeField()
    revogado_em = DateTimeField(null=True)


class Solicitacao(_Tabela):
    atribuicao = ForeignKeyField(Atribuicao, unique=True, on_delete="CASCADE")
    certificado = ForeignKeyField(Certificado, index=True)
    nome = CharField(max_length=120)
    data_nascimento = DateField(null=True)
    email = CharField(max_length=254)
    celular = CharField(max_length=11)
    cep = CharField(max_length=8)
    logradouro = CharField(max_length=120)
    numero = CharField(max_length=20)
    complemento = CharField(max_length=60)
    bairro = CharField(max_length=60)
    cidade = CharField(max_length=60)
    uf = CharField(max_length=2)
    doc_tipo = CharField(max_length=40)
    doc_numero = CharField(max_length=30)
    doc_emissor = CharField(max_length=30)
    doc_uf = CharField(max_length=2)
    doc_data_emissao = DateField(null=True)
    elegivel_video = BooleanField(null=True)
    versao = IntegerField()
    atualizado_em = DateTimeField()
    enviada_em = DateTimeField(null=True)


class Termo(_Tabela):
    certificado = ForeignKeyField(Certificado, index=True)
    solicitacao = ForeignKeyField(Solicitacao, on_delete="CASCADE")
    versao = IntegerField()
    codigo_verificacao = CharField(max_length=40)
    sha256 = CharField(max_length=64)
    pdf = BlobField()
    gerado_em = DateTimeField()
    aceito_em = DateTimeField(null=True)
    aceito_ip = CharField(max_length=45)
    aceito_user_agent = CharField(max_length=300)

    class Meta:
        indexes = ((("certificado", "versao"), True),)


class Horario(_Tabela):
    inicio = DateTimeField(unique=True)
    capacidade = IntegerField()
    ocupados = IntegerField()


class Agendamento(_Tabela):
    certificado = ForeignKeyField(Certificado, index=True)
    horario = ForeignKeyField(Horario, index=True)
    situacao = CharField(max_length=20)
    link_reuniao = CharField(max_length=200)
    criado_em = DateTimeField()
    lembrete_enviado_em = DateTimeField(null=True)
    ativo_certificado = IntegerField(null=True, unique=True)


class Evento(_Tabela):
    processo = ForeignKeyField(ProcessoCompra, index=True)
    certificado = ForeignKeyField(Certificado, null=True, index=True)
    ator = CharField(max_length=160)
    conta = ForeignKeyField(Conta, null=True)
    tipo = CharField(max_length=40)
    de = CharField(max_length=30)
    para = CharField(max_length=30)
    detalhes = TextField()
    criado_em = DateTimeField(index=True)


class Email(_Tabela):
    destinatario = CharField(max_length=254)
    assunto = CharField(max_length=200)
    texto = TextField()
    html = TextField()
    anexos = TextField()
    situacao = CharField(max_length=20, index=True)
    tentativas = IntegerField()
    erro = TextField()
    processo = ForeignKeyField(ProcessoCompra, null=True)
    certificado = ForeignKeyField(Certificado, null=True)
    criado_em = DateTimeField()
    enviado_em = DateTimeField(null=True)


class ChaveIdempotencia(_Tabela):
    chave = CharField(max_length=64, unique=True)
    resultado = CharField(max_length=200)
    criado_em = DateTimeField()


class SchemaVersion(_Tabela):
    versao = IntegerField()
    aplicada_em = DateTimeField()


TABELAS = [Conta, TokenConta, Produto, ProcessoCompra, Boleto, Pagamento, Certificado,
           Atribuicao, LinkTitular, Solicitacao, Termo, Horario, Agendamento, Evento, Email,
           ChaveIdempotencia, SchemaVersion]


def up(migrator, db):
    with db.bind_ctx(TABELAS):
        db.create_tables(TABELAS)
