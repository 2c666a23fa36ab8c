"""Atribuir em lote and Exportar at volume: prints times (and the export's memory peak).

    .venv/bin/python bench/lote.py [--linhas 10000] [--exportar 100000]

A buyer with enough paid purchases (100 certificates each) gets a CSV of `--linhas` lines:
reading, preview (checking every line) and applying (each line its own transaction, its
e-mail rendered and delivered to memory) are timed. Then `--exportar` certificates are
exported as CSV and XLSX through the same generators the pages stream, with the peak of
Python memory. SQLite in a temporary folder, or DATABASE_URL (emptied first!) if set.
"""
import argparse
import os
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def cpf(n):
    digitos = [int(d) for d in f"{n:09d}"]
    for tamanho in (9, 10):
        digitos.append(sum(d * (tamanho + 1 - i) for i, d in enumerate(digitos)) * 10 % 11 % 10)
    return "".join(map(str, digitos))


def exportar(conta, formato):
    """The bytes the export of all the buyer's certificates would send (its size)."""
    from services.titular import exportacao
    from services.titular import planilhas

    linhas = exportacao.certificados(conta, "todos", str)
    if formato == "csv":
        return sum(len(p.encode()) for p in planilhas.csv_linhas(
            exportacao.CABECALHO_CERTIFICADOS, linhas))
    with tempfile.TemporaryFile() as arquivo:
        planilhas.xlsx_escrever(arquivo, exportacao.CABECALHO_CERTIFICADOS, linhas)
        return arquivo.tell()


def main():
    argumentos = argparse.ArgumentParser()
    argumentos.add_argument("--linhas", type=int, default=10_000)
    argumentos.add_argument("--exportar", type=int, default=100_000)
    opcoes = argumentos.parse_args()

    pasta = tempfile.mkdtemp()
    from filas import tarefas
    from app import create_app
    from models import Certificado, Conta, ProcessoCompra, db
    from services.contratantes import vinculos
    from services.pagamento import compras
    from services.titular import lotes
    from services.titular import planilhas
    from relogio import utcnow
    from tests.support.ambiente import empty_database
    import migrations

    app = create_app({"TESTING": True, "HUEY_IMMEDIATE": True, "SECRET_KEY": "bench",
                      "MAIL_BACKEND": "locmem",
                      "MAIL_MAX_POR_MINUTO": 1_000_000, "DATABASE_URL": os.environ.get(
                          "DATABASE_URL", f"sqlite:///{pasta}/bench.db")})
    with app.app_context(), db.connection_context():
        migrations.migrate()
        empty_database()
        produto = compras.garantir_produto(app.config["PRECO_CENTAVOS"])
        conta = Conta.create(cpf="12345678909", nome="Compradora Bench", email="b@x.gov.br")
        contratante = vinculos.contratante_pessoal(conta)
        conta = vinculos.conta_com_vinculo(conta.id)  # as signed in: Gestor of her own
        total = max(opcoes.linhas, opcoes.exportar)
        t = time.perf_counter()
        with db.atomic():
            for inicio in range(0, total, 100):
                processo = ProcessoCompra.create(
                    numero=f"B{inicio // 100:08d}", contratante=contratante, comprador=conta,
                    produto=produto,
                    quantidade=100, valor_unitario_centavos=produto.preco_centavos,
                    total_centavos=100 * produto.preco_centavos, situacao="pago")
                Certificado.insert_many([
                    {"processo": processo.id, "contratante": contratante.id,
                     "numero": f"{processo.numero}-{i:02d}",
                     "situacao": "disponivel", "atualizado_em": utcnow()}
                    for i in range(1, 101)]).execute()
        print(f"dados: {total} certificados pendentes em {time.perf_counter() - t:.1f} s")

        numeros = [n for (n,) in Certificado.select(Certificado.numero)
                   .order_by(Certificado.id).limit(opcoes.linhas).tuples()]
        texto = "ID Processo Compra;Certificado;CPF;E-mail;Confirme o e-mail\n" + "".join(
            f"{n.split('-')[0]};{n};{cpf(i + 1)};p{i}@x.gov.br;p{i}@x.gov.br\n"
            for i, n in enumerate(numeros))
        dados = texto.encode("cp1252")

        t = time.perf_counter()
        tabela = planilhas.ler(dados)
        leitura = time.perf_counter() - t
        t = time.perf_counter()
        lote = lotes.criar(conta, tabela, "bench.csv")
        previa = time.perf_counter() - t
        print(f"lote {opcoes.linhas} linhas ({len(dados) / 1024:.0f} KB): leitura "
              f"{leitura:.2f} s, prévia {previa:.2f} s ({lote.validas} válidas, "
              f"{lote.erros} com erro)")
        lotes.confirmar(lote)
        outbox = app.extensions["mailman"].outbox = []
        t = time.perf_counter()
        contagem = lotes.aplicar(lote.id, 30, tarefas.despachar)
        aplicar = time.perf_counter() - t
        print(f"aplicar: {aplicar:.1f} s ({opcoes.linhas / aplicar:.0f} linhas/s), "
              f"{contagem.get('aplicada', 0)} aplicadas, {len(outbox)} e-mails entregues")

        for formato in ("csv", "xlsx"):
            t = time.perf_counter()
            tamanho = exportar(conta, formato)
            duracao = time.perf_counter() - t
            tracemalloc.start()  # a second pass: tracing slows Python down several times
            exportar(conta, formato)
            _, pico = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"exportar {total} certificados em {formato.upper()}: {duracao:.1f} s, "
                  f"{tamanho / 1024 / 1024:.1f} MB, pico de memória {pico / 1024 / 1024:.1f} MB")
        empty_database()


if __name__ == "__main__":
    main()
