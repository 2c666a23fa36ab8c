"""An existing database (schema 1) migrates: accounts get their session generation, link
tables their nonce, and e-mails already delivered lose the links they kept."""
from playhouse.migrate import SchemaMigrator, migrate

import migrations
from models import Conta, Email, SchemaVersion, db


def test_schema_1_migrates_and_delivered_e_mails_lose_their_links(app):
    with db.connection_context():
        migrator = SchemaMigrator.from_database(db.obj)
        migrate(migrator.drop_column("conta", "sessao_geracao"),
                migrator.drop_column("token_conta", "nonce"),
                migrator.drop_column("link_titular", "nonce"))
        SchemaVersion.delete().execute()
        SchemaVersion.create(versao=1)
        p = db.obj.param
        db.execute_sql(f"INSERT INTO conta (cpf, nome, email, telefone, senha_hash, papel, "
                       f"criado_em) VALUES ({p}, 'Maria', 'm@example.com', '', '', 'comprador',"
                       f" '2026-11-01 00:00:00')", ("12345678909",))
        enviado = "Abra http://portal.test/t/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc"
        db.execute_sql(f"INSERT INTO email (destinatario, assunto, texto, html, anexos, situacao,"
                       f" tentativas, erro, criado_em) VALUES ('a@example.com', 'x', {p}, {p},"
                       f" '[]', 'enviado', 1, '', '2026-11-01 00:00:00')", (enviado, enviado))

        assert migrations.migrate() == migrations.LATEST
        assert [c.name for c in db.get_columns("conta") if c.name == "sessao_geracao"]
        assert Conta.get(Conta.cpf == "12345678909").sessao_geracao == 1
        email = Email.get(Email.situacao == "enviado", Email.assunto == "x")
        assert email.texto == "Abra http://portal.test/t/***" == email.html
