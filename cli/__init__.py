"""Every `flask --app app …` command, declared here and nowhere else.

`init-db`, `demo-data`, `ac criar`, `conta papel`, `pagamentos confirmar`,
`pagamentos cancelar-vencidos`. The benchmark's `bench-data` lives with the benchmark
(bench/gerador.py), outside the production app.
"""
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

import migrations
import relogio
from cli import dados_demo
from filas import tarefas
from models import db
from services.certificacao import ac
from services.contratantes import contas
from services.nucleo import entrada
from services.nucleo.ciclo_de_vida import Ator
from services.nucleo.recusas import Recusa
from services.pagamento import compras, pagamentos
from services.titular.pessoa import clean_cpf


@click.command("init-db")
def init_db():
    """Create the tables, or migrate an existing database (idempotent)."""
    with db.connection_context():
        migrations.migrate()
        compras.garantir_produto(current_app.config["PRECO_CENTAVOS"])
        versao = migrations.aplicadas()[-1]
    print(f"Banco de dados pronto (versão do esquema {versao}).")


@click.command("demo-data")
def demo_data():
    """Create the demo accounts and purchases (idempotent)."""
    with db.connection_context():
        created = dados_demo.criar()
    print("Dados de demonstração criados." if created
          else "Dados de demonstração já existiam; nada mudou.")


ac_cli = AppGroup("ac", help="A autoridade certificadora de demonstração.")


@ac_cli.command("criar")
def criar():
    """Create the demo root and issuing AC in AC_DIR (never overwrites)."""
    config = current_app.config
    try:
        criada = ac.criar(config["AC_DIR"], config["AC_CHAVE_SENHA"])
    except ac.AcIndisponivel as erro:
        raise click.ClickException(str(erro)) from None
    click.echo(f"AC de demonstração criada em {config['AC_DIR']}." if criada
               else "A AC de demonstração já existia; nada mudou.")


conta = AppGroup("conta", help="Contas do portal.")


@conta.command("papel")
@click.argument("cpf")
@click.argument("papel", type=click.Choice(contas.PAPEIS))
def papel_cli(cpf, papel):
    """Torna a conta do CPF compradora ou agente; as sessões abertas dela terminam."""
    with db.connection_context():
        try:
            conta = contas.mudar_papel(clean_cpf(cpf), papel)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{conta.nome}: agora {papel}; as sessões abertas desta conta terminaram.")


pagamentos_cli = AppGroup("pagamentos", help="Pagamentos de boletos.")


@pagamentos_cli.command("confirmar")
@click.argument("nosso_numero")
@click.option("--valor", help="Valor pago, ex.: 150,00 (padrão: o valor do boleto).")
@click.option("--data", "data_texto", help="Data do pagamento, AAAA-MM-DD ou dd/mm/aaaa "
                                           "(padrão: hoje).")
def confirmar_cli(nosso_numero, valor, data_texto):
    """Reconhece o pagamento de um boleto (nosso número ou linha digitável)."""
    with db.connection_context():
        try:
            boleto = pagamentos.localizar_boleto(nosso_numero)
        except Recusa as recusa:
            raise click.ClickException(recusa.mensagem) from None
        try:
            valor_centavos = entrada.ler_valor(valor) if valor else boleto.valor_centavos
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--valor") from None
        try:
            data_pagamento = entrada.ler_data(data_texto) if data_texto else relogio.hoje()
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--data") from None
        try:
            pagamento, novo = pagamentos.confirmar_manual(
                boleto, valor_centavos, data_pagamento, "cli", Ator("Linha de comando"))
        except pagamentos.PagamentoRecusado as recusa:
            opcao = {"valor": "--valor", "data_pagamento": "--data"}[recusa.campo]
            raise click.BadParameter(recusa.mensagem, param_hint=opcao) from None
        numero = pagamentos.numero_da_compra(boleto)
    tarefas.despachar()
    if not novo:
        click.echo(f"Pagamento do boleto {boleto.nosso_numero} já estava registrado; nada mudou.")
    elif pagamento.sinalizado:
        click.echo(f"Pagamento registrado e sinalizado (não creditado): {pagamento.motivo}")
    else:
        click.echo(f"Pagamento reconhecido: compra {numero} paga.")


@pagamentos_cli.command("cancelar-vencidos")
@click.option("--hoje", "hoje_texto", help="Data de referência AAAA-MM-DD (padrão: hoje).")
def cancelar_vencidos_cli(hoje_texto):
    """Cancela compras não pagas no prazo após o vencimento original (a tarefa diária)."""
    try:
        dia = date.fromisoformat(hoje_texto) if hoje_texto else relogio.hoje()
    except ValueError:
        raise click.BadParameter("use AAAA-MM-DD", param_hint="--hoje") from None
    with db.connection_context():
        cancelados = compras.cancelar_vencidos(dia)
    tarefas.despachar()
    click.echo(f"{len(cancelados)} compra(s) cancelada(s)"
               + (": " + ", ".join(p.numero for p in cancelados) if cancelados else "."))


def init_app(app):
    for comando in (init_db, demo_data, ac_cli, conta, pagamentos_cli):
        app.cli.add_command(comando)
