"""A database from before 0002 migrates: accounts get their session generation, link tables
their nonce, and e-mails already delivered lose the links they kept."""
import migrations
from models import Conta, Email
from tests.integration.test_migracoes import banco_vazio


def test_delivered_e_mails_lose_their_links_and_accounts_get_a_generation(tmp_path):
    with banco_vazio(tmp_path) as db:
        migrations.migrate(db, ate=migrations.NOMES[0])
        p = db.param
        db.execute_sql(f"INSERT INTO conta (cpf, nome, email, telefone, senha_hash, papel, "
                       f"criado_em) VALUES ({p}, 'Maria', 'm@example.com', '', '', 'comprador',"
                       f" '2026-11-01 00:00:00')", ("12345678909",))
        enviado = "Abra http://portal.test/t/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc"
        db.execute_sql(f"INSERT INTO email (destinatario, assunto, texto, html, anexos, situacao,"
                       f" tentativas, erro, criado_em) VALUES ('a@example.com', 'x', {p}, {p},"
                       f" '[]', 'enviado', 1, '', '2026-11-01 00:00:00')", (enviado, enviado))

        assert migrations.migrate(db) == migrations.NOMES[1:]
        with db.bind_ctx([Conta, Email]):
            assert Conta.get(Conta.cpf == "12345678909").sessao_geracao == 1
            email = Email.get(Email.assunto == "x")
        assert email.texto == "Abra http://portal.test/t/***" == email.html
