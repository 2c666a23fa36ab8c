"""`flask --app bench.gerador:criar_app bench-data`: the volume `make bench` measures
(separate from demo-data, and outside the production factory).

The demo organisation (Prefeitura Municipal de Exemplo, Maria its Gestor) gets `--certificados`
certificates bought by Maria and `RESPONSAVEIS` bench responsáveis of every papel; each of the
`--compradores` bench buyers, buying for themself (a personal contratante, Gestor of it), gets
about a thousand. Purchases of 1–100: every certificate, purchase and boleto state,
assignments, requests with a termo (one small shared PDF), payments (a few flagged),
videoconference slots with bookings, audit events. Rows are written in bulk (COPY on
PostgreSQL, executemany on SQLite) with explicit ids (so related rows need no read-back);
PostgreSQL's sequences are moved past them at the end, then ANALYZE.

Idempotent: only the missing accounts and memberships are added, and each contratante only
gets the certificates it lacks, so a second run adds nothing.
"""
import hashlib
import io
import random
import time as cronometro
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import click
from flask import current_app
from peewee import fn
from werkzeug.security import generate_password_hash

from cli import dados_demo
from models import (
    Agendamento,
    Atribuicao,
    Boleto,
    Certificado,
    Conta,
    Contratante,
    Evento,
    Horario,
    LinkTitular,
    Pagamento,
    ProcessoCompra,
    Responsavel,
    Solicitacao,
    Termo,
    db,
    utcnow,
)
from services.agendamento import horarios
from services.contratantes import papeis
from services.pagamento import boletos
from services.pagamento import compras
from services.pagamento import febraban
from services.pagamento import pix
import relogio

DOMINIO = "bench.example"  # bench accounts' e-mails: how they are told from real ones
SENHA = "demo12345"
POR_COMPRADOR = 1000
RESPONSAVEIS = 50  # bench members of the demo organisation, the papéis in turn
ATOR = "Dados de volume (bench-data)"

# A tiny valid PDF shared by every bench termo: the volume is in rows, not in blobs.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

# A paid purchase's certificates, by weight ("agendado" only while slots have seats).
PAGOS = [("disponivel", 30), ("atribuido", 22), ("solicitado", 14), ("pendente_correcao", 4),
         ("agendado", 2), ("emitido", 28)]

# A paid certificate's latest move (the one audit event bench-data writes for it): action, from.
ULTIMA_ACAO = {"disponivel": ("reconhecer_pagamento", "aguardando_pagamento"),
               "atribuido": ("atribuir", "disponivel"), "solicitado": ("solicitar", "atribuido"),
               "agendado": ("agendar", "solicitado"), "pendente_correcao": ("recusar", "agendado"),
               "emitido": ("aprovar", "agendado")}


def cpf(base):
    """A valid CPF from a 9-digit number."""
    digitos = [int(d) for d in f"{base % 10 ** 9:09d}"]
    for tamanho in (9, 10):
        soma = sum(d * (tamanho + 1 - i) for i, d in enumerate(digitos))
        digitos.append(soma * 10 % 11 % 10)
    return "".join(map(str, digitos))


def contas_alheias():
    """Accounts that are neither demo nor bench ones (a real database: refuse)."""
    demo = [d["cpf"] for d in (dados_demo.COMPRADORA, dados_demo.AGENTE,
                               dados_demo.OUTRO_COMPRADOR, dados_demo.COMPRAS)]
    return (Conta.select().where(Conta.cpf.not_in(demo) & ~Conta.email.endswith("@" + DOMINIO))
            .count())


class _Lotes:
    """Rows buffered per model and written in bulk: COPY on PostgreSQL, executemany on
    SQLite. Peewee's own insert_many renders every value as a query node, which alone took
    most of the load; multi-row INSERTs (execute_values) still spent a third of it quoting
    values (mogrify) and the server parsing them. On PostgreSQL one thread runs the COPYs
    while the main one builds the next rows (psycopg2 lets go of the GIL while the server
    works): the two cores then share the load."""

    def __init__(self):
        self.linhas = {}
        self._copias = None
        self._pendentes = []

    def _copiar(self, comando, dados):
        if self._copias is None:
            self._copias = ThreadPoolExecutor(max_workers=1)  # one at a time, in order
        while len(self._pendentes) >= 2:  # at most two chunks of rows waiting in memory
            self._pendentes.pop(0).result()
        self._pendentes.append(self._copias.submit(db.cursor().copy_expert, comando, dados))

    def esperar(self):
        """Every COPY handed over is done (before a commit, and at the end)."""
        while self._pendentes:
            self._pendentes.pop(0).result()
        if self._copias is not None:
            self._copias.shutdown()
            self._copias = None

    def add(self, model, linha):
        self.linhas.setdefault(model, []).append(linha)

    def gravar(self):
        total = 0
        for model, linhas in self.linhas.items():
            campos = [model._meta.fields[nome] for nome in linhas[0]]
            # Columns left out take the model's default (the database has none of its own).
            padroes = [f for f in model._meta.sorted_fields
                       if f.name not in linhas[0] and f.default is not None]
            extras = tuple(f.db_value(f.default() if callable(f.default) else f.default)
                           for f in padroes)
            campos += padroes
            colunas = ", ".join(f'"{c.column_name}"' for c in campos)
            valores = [tuple(c.db_value(v) for c, v in zip(campos, linha.values())) + extras
                       for linha in linhas]
            tabela = model._meta.table_name
            if _postgres():
                self._copiar(f'COPY "{tabela}" ({colunas}) FROM STDIN WITH (FORMAT csv)',
                             _csv(valores))
            else:
                marcas = ", ".join("?" * len(campos))
                db.cursor().executemany(f'INSERT INTO "{tabela}" ({colunas}) VALUES ({marcas})',
                                   valores)
            total += len(linhas)
        self.linhas = {}
        return total


def _csv(valores):
    """Rows as CSV for COPY: None an unquoted empty field (NULL), every other non-number
    quoted (so an empty string stays one), bytes as bytea's hex text."""
    return io.StringIO("".join(",".join(map(_campo_csv, linha)) + "\n" for linha in valores))


def _campo_csv(valor):
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "t" if valor else "f"
    if isinstance(valor, (int, float)):
        return str(valor)
    valor = getattr(valor, "adapted", valor)  # psycopg2.Binary, from BlobField.db_value
    if isinstance(valor, (bytes, bytearray, memoryview)):
        valor = "\\x" + bytes(valor).hex()
    return '"' + str(valor).replace('"', '""') + '"'


class _Ids:
    """The next free id of each table (rows are inserted with explicit ids)."""

    def __init__(self, *models):
        self.proximo = {m: (m.select(fn.MAX(m.id)).scalar() or 0) + 1 for m in models}

    def __call__(self, model):
        valor = self.proximo[model]
        self.proximo[model] = valor + 1
        return valor


def carregar(compradores=250, certificados=100_000, por_comprador=POR_COMPRADOR,
             analisar=True, semente=10, maior_compra=100, saida=print):
    """Bring the database to the bench volume (purchases of 1 to `maior_compra`
    certificates); returns the number of rows written."""
    inicio = cronometro.monotonic()
    rnd = random.Random(semente)
    config = current_app.config
    produto = compras.garantir_produto(config["PRECO_CENTAVOS"])
    if Conta.get_or_none(Conta.cpf == dados_demo.COMPRADORA["cpf"]) is None:
        dados_demo.criar()
    maria = Conta.get(Conta.cpf == dados_demo.COMPRADORA["cpf"])
    prefeitura = Contratante.get(Contratante.documento == dados_demo.ORGANIZACAO["cnpj"])
    ids = _Ids(Contratante, Conta, Responsavel, ProcessoCompra, Certificado, Boleto, Pagamento,
               Atribuicao, LinkTitular, Solicitacao, Termo, Agendamento, Evento)
    lotes = _Lotes()
    with db.atomic():
        try:
            _pessoas(lotes, ids, compradores, prefeitura.id)
            escritos = _gravar_em_ordem(lotes)
        finally:
            lotes.esperar()
    # (contratante, the person who buys for it, certificates it should hold)
    alvos = [(prefeitura.id, maria.id, certificados)] + [
        (contratante_id, conta_id, por_comprador) for contratante_id, conta_id in
        Conta.select(Contratante.id, Conta.id)
        .join(Contratante, on=(Contratante.documento == Conta.cpf))
        .where(Conta.cpf.in_([cpf(800_000_000 + i) for i in range(1, compradores + 1)]))
        .order_by(Conta.id).tuples()]

    agora = utcnow()
    cfg = horarios.config_agenda(config)
    horarios.preparar_horizonte(relogio.agora(), cfg)
    # Bookings fill at most every other slot, so the booking pages still offer times.
    vagas = [[h.id, h.inicio, h.capacidade - h.ocupados] for h in
             Horario.select().where((Horario.inicio > agora) & (Horario.ocupados == 0))
             .order_by(Horario.inicio)][::2]
    beneficiario = boletos.Beneficiario.from_config(config)
    sequencia = (Boleto.select(fn.MAX(Boleto.sequencia)).scalar() or 0) + 1
    # Bookings per slot, written once the COPYs are done: the connection runs one command at
    # a time, and a COPY is in flight while the next rows are built.
    ocupados = {}

    def evento(processo, tipo, quando, certificado_id=None, de="", para=""):
        lotes.add(Evento, {"id": ids(Evento), "processo": processo["id"],
                           "contratante": processo["contratante"],
                           "certificado": certificado_id, "ator": ATOR, "tipo": tipo,
                           "de": de, "para": para, "criado_em": quando})

    def boleto(processo, situacao, vencimento, quando, substitui=None):
        nonlocal sequencia
        numeros = febraban.make_boleto_numbers(
            beneficiario.banco, beneficiario.convenio, sequencia, vencimento,
            processo["total_centavos"], beneficiario.carteira)
        copia = (pix.brcode(beneficiario.pix_chave, processo["total_centavos"], beneficiario.nome,
                            beneficiario.pix_cidade, f"CP{processo['numero']}S{sequencia}")
                 if beneficiario.pix_chave else "")
        linha = {"id": ids(Boleto), "processo": processo["id"],
                 "contratante": processo["contratante"], "sequencia": sequencia,
                 "nosso_numero": numeros.nosso_numero,
                 "numero_documento": f"{processo['numero']}-{sequencia}",
                 "valor_centavos": processo["total_centavos"], "vencimento": vencimento,
                 "vencimento_original": substitui["vencimento_original"] if substitui else vencimento,
                 "codigo_barras": numeros.barcode, "linha_digitavel": numeros.linha_digitavel,
                 "pix_copia_e_cola": copia, "situacao": situacao,
                 "substitui": substitui["id"] if substitui else None, "criado_em": quando,
                 "pago_em": quando + timedelta(days=1) if situacao == "pago" else None}
        sequencia += 1
        lotes.add(Boleto, linha)
        evento(processo, "boleto.emitido", quando)
        return linha

    def certificado_pago(processo, numero, situacao, quando):
        cert_id = ids(Certificado)
        titular = cpf(300_000_000 + cert_id) if situacao != "disponivel" else None
        email = f"titular{cert_id}@{DOMINIO}" if titular else None
        lotes.add(Certificado, {"id": cert_id, "processo": processo["id"],
                                "contratante": processo["contratante"], "numero": numero,
                                "situacao": situacao, "titular_cpf": titular,
                                "titular_email": email, "atualizado_em": quando})
        # One event per certificate, its latest move: the andamento's shape at a third of
        # the rows (events are the biggest table).
        acao, origem = ULTIMA_ACAO[situacao]
        evento(processo, f"certificado.{acao}", quando, cert_id, origem, situacao)
        if titular is None:
            return
        atribuicao = ids(Atribuicao)
        lotes.add(Atribuicao, {"id": atribuicao, "certificado": cert_id, "cpf": titular,
                               "email": email, "atribuido_por": processo["comprador"],
                               "criado_em": quando})
        if situacao != "emitido":  # the holder's link, until the certificate is issued
            # Token "bench-<certificate id>": `make bench` opens the holder's pages with it.
            lotes.add(LinkTitular, {
                "id": ids(LinkTitular), "atribuicao": atribuicao,
                "token_hash": hashlib.sha256(f"bench-{cert_id}".encode()).hexdigest(),
                "criado_em": quando, "expira_em": agora + timedelta(days=30)})
        if situacao == "atribuido":
            return
        solicitacao = ids(Solicitacao)
        lotes.add(Solicitacao, {
            "id": solicitacao, "atribuicao": atribuicao, "certificado": cert_id,
            "nome": f"Titular {cert_id}", "data_nascimento": datetime(1980, 1, 1).date(),
            "email": email, "celular": "11987654321", "cep": "70040010",
            "logradouro": "Setor Bancário Sul", "numero": "10", "bairro": "Asa Sul",
            "cidade": "Brasília", "uf": "DF", "doc_tipo": "CNH", "doc_numero": "01234567890",
            "doc_emissor": "DETRAN", "doc_uf": "DF",
            "doc_data_emissao": datetime(2020, 1, 1).date(), "elegivel_video": True,
            "atualizado_em": quando, "enviada_em": quando})
        lotes.add(Termo, {"id": ids(Termo), "certificado": cert_id, "solicitacao": solicitacao,
                          "versao": 1, "codigo_verificacao": f"BENCH-{cert_id}",
                          "sha256": hashlib.sha256(PDF).hexdigest(), "pdf": PDF,
                          "gerado_em": quando, "aceito_em": quando})
        if situacao == "agendado":
            vaga = vagas[0]
            vaga[2] -= 1
            if vaga[2] == 0:
                vagas.pop(0)
            ocupados[vaga[0]] = ocupados.get(vaga[0], 0) + 1
            lotes.add(Agendamento, {"id": ids(Agendamento), "certificado": cert_id,
                                    "horario": vaga[0], "situacao": Agendamento.ATIVO,
                                    "link_reuniao": f"https://video.{DOMINIO}/{cert_id}",
                                    "criado_em": quando, "ativo_certificado": cert_id})

    def compra(contratante_id, conta_id, quantidade, quando, ordem):
        processo_id = ids(ProcessoCompra)
        sorteio = rnd.random()
        # Each buyer's first three purchases: one of each purchase state, then at random.
        situacao = (("aguardando_pagamento", "cancelado", "pago")[ordem] if ordem < 3 else
                    "aguardando_pagamento" if sorteio < 0.08 else
                    "cancelado" if sorteio < 0.12 else "pago")
        processo = {"id": processo_id, "numero": f"{quando:%Y}{processo_id:06d}",
                    "contratante": contratante_id, "comprador": conta_id,
                    "produto": produto.id, "quantidade": quantidade,
                    "valor_unitario_centavos": produto.preco_centavos,
                    "total_centavos": produto.preco_centavos * quantidade,
                    "situacao": situacao, "criado_em": quando,
                    "pago_em": quando + timedelta(days=1) if situacao == "pago" else None}
        evento(processo, "processo.criado", quando)
        vencimento = (quando + timedelta(days=3)).date()
        if situacao == "pago":
            pago = boleto(processo, "pago", vencimento, quando)
            lotes.add(Pagamento, {"id": ids(Pagamento), "boleto": pago["id"],
                                  "processo": processo_id, "valor_centavos": pago["valor_centavos"],
                                  "data_pagamento": vencimento, "origem": "notificacao",
                                  "referencia": f"bench-{pago['id']}", "creditado": True,
                                  "sinalizado": False, "motivo": "",
                                  "criado_em": quando + timedelta(days=1)})
            if rnd.random() < 0.01:  # paid twice: flagged for refund in "Pagamentos"
                lotes.add(Pagamento, {"id": ids(Pagamento), "boleto": pago["id"],
                                      "processo": processo_id,
                                      "valor_centavos": pago["valor_centavos"],
                                      "data_pagamento": vencimento, "origem": "notificacao",
                                      "referencia": f"bench-{pago['id']}-2", "creditado": False,
                                      "sinalizado": True,
                                      "motivo": "Compra já paga: devolver.",
                                      "criado_em": quando + timedelta(days=2)})
            evento(processo, "processo_compra.pago", quando, de="aguardando_pagamento",
                   para="pago")
            pesos = [(s, p) for s, p in PAGOS if s != "agendado" or vagas]
            estados = rnd.choices([s for s, _ in pesos], [p for _, p in pesos], k=quantidade)
            if ordem == 2:  # one certificate in each state a paid purchase can hold
                estados[:len(PAGOS)] = [s for s, _ in PAGOS][:quantidade]
            elif rnd.random() < 0.15:
                estados = ["emitido"] * quantidade
                processo["situacao"] = "concluido"
            for i, estado in enumerate(estados, 1):
                if estado == "agendado" and not vagas:
                    estado = "solicitado"
                certificado_pago(processo, f"{processo['numero']}-{i:02d}", estado, quando)
        else:
            estado = "aguardando_pagamento" if situacao != "cancelado" else "cancelado"
            if situacao == "cancelado":
                boleto(processo, "cancelado", vencimento, quando)
            elif rnd.random() < 0.3:  # overdue and replaced by a new one
                velho = boleto(processo, "substituido", vencimento, quando)
                boleto(processo, "em_aberto", (agora + timedelta(days=5)).date(), quando,
                       substitui=velho)
            else:
                boleto(processo, "em_aberto", vencimento, quando)
            for i in range(1, quantidade + 1):
                cert_id = ids(Certificado)
                lotes.add(Certificado, {"id": cert_id, "processo": processo_id,
                                        "contratante": contratante_id,
                                        "numero": f"{processo['numero']}-{i:02d}",
                                        "situacao": estado, "titular_cpf": None,
                                        "titular_email": None, "atualizado_em": quando})
        lotes.add(ProcessoCompra, processo)

    for contratante_id, conta_id, alvo in alvos:
        faltam = alvo - (Certificado.select()
                         .where(Certificado.contratante == contratante_id).count())
        if faltam <= 0:
            continue
        tamanhos = [1, 1, len(PAGOS)] if faltam >= 2 + len(PAGOS) else []
        while sum(tamanhos) < faltam:
            tamanhos.append(min(rnd.randint(1, maior_compra), faltam - sum(tamanhos)))
        # Oldest first, a year back to yesterday: ids grow with time, as in real use.
        passo = timedelta(days=365) / len(tamanhos)
        with db.atomic():
            try:
                for k, quantidade in enumerate(tamanhos):
                    compra(contratante_id, conta_id, quantidade,
                           agora - timedelta(days=366) + passo * k, k)
                    if sum(len(v) for v in lotes.linhas.values()) > 50_000:
                        escritos += _gravar_em_ordem(lotes)
                escritos += _gravar_em_ordem(lotes)
            finally:  # no COPY left running when the transaction ends, even on an error
                lotes.esperar()
            for horario_id, n in ocupados.items():
                Horario.update(ocupados=Horario.ocupados + n).where(Horario.id == horario_id).execute()
            ocupados.clear()

    if _postgres():
        for model in ids.proximo:
            tabela = model._meta.table_name
            db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{tabela}\"', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM \"{tabela}\"))")
        if analisar:
            db.execute_sql("ANALYZE")
    saida(f"{escritos} linhas gravadas em {cronometro.monotonic() - inicio:.1f} s.")
    return escritos


def _postgres():
    return "postgres" in db.obj.__class__.__name__.lower()


def _pessoas(lotes, ids, compradores, organizacao_id):
    """The bench accounts missing: `compradores` buyers, each Gestor of their own personal
    contratante (their CPF), and `RESPONSAVEIS` members of the demo organisation, which is
    their active contratante. A member removed since is added back."""
    hash_senha = generate_password_hash(SENHA)
    contas = dict(Conta.select(Conta.cpf, Conta.id).where(Conta.email.endswith("@" + DOMINIO))
                  .tuples())
    membros = {c for (c,) in Responsavel.select(Responsavel.conta)
               .where(Responsavel.contratante == organizacao_id).tuples()}

    def conta(numero, nome, email, contratante_id):
        if numero not in contas:
            contas[numero] = ids(Conta)
            lotes.add(Conta, {"id": contas[numero], "cpf": numero, "nome": nome, "email": email,
                              "senha_hash": hash_senha, "contratante_ativo": contratante_id})
        return contas[numero]

    def membro(contratante_id, conta_id, papel):
        lotes.add(Responsavel, {"id": ids(Responsavel), "contratante": contratante_id,
                                "conta": conta_id, "papel": papel})

    for i in range(1, compradores + 1):
        numero = cpf(800_000_000 + i)
        if numero in contas:
            continue
        nome = f"Empresa Volume {i:04d}"
        pessoal = ids(Contratante)
        lotes.add(Contratante, {"id": pessoal, "tipo": Contratante.PESSOA, "documento": numero,
                                "nome": nome})
        membro(pessoal, conta(numero, nome, f"compras{i:04d}@{DOMINIO}", pessoal), papeis.GESTOR)
    for i in range(1, RESPONSAVEIS + 1):
        papel = papeis.PAPEIS[i % len(papeis.PAPEIS)]
        conta_id = conta(cpf(700_000_000 + i), f"Responsável Volume {i:02d}",
                         f"responsavel{i:02d}@{DOMINIO}", organizacao_id)
        if conta_id not in membros:
            membro(organizacao_id, conta_id, papel)


# Parents before children, so foreign keys hold at every chunk.
_ORDEM = [Contratante, Conta, Responsavel, ProcessoCompra, Boleto, Certificado, Pagamento,
          Atribuicao, LinkTitular, Solicitacao, Termo, Agendamento, Evento]


def _gravar_em_ordem(lotes):
    lotes.linhas = {m: lotes.linhas[m] for m in _ORDEM if lotes.linhas.get(m)}
    return lotes.gravar()


@click.command("bench-data")
@click.option("--compradores", default=250, show_default=True, type=click.IntRange(0, 10_000),
              help="Compradores de volume, cada um com cerca de 1.000 certificados.")
@click.option("--certificados", default=100_000, show_default=True,
              type=click.IntRange(0, 5_000_000),
              help="Certificados da organização de demonstração (Prefeitura Municipal de "
                   "Exemplo, compras de Maria).")
@click.option("--confirmar", is_flag=True,
              help="Grava mesmo num banco com contas que não são de demonstração nem de volume.")
def bench_data_command(compradores, certificados, confirmar):
    """Cria o volume de dados para medir (idempotente; separado de demo-data)."""
    with db.connection_context():
        alheias = contas_alheias()
        if alheias and not confirmar:
            raise click.ClickException(
                f"Este banco tem {alheias} conta(s) que não são de demonstração nem de "
                "volume. Use --confirmar para gravar o volume nele mesmo assim.")
        carregar(compradores, certificados, saida=click.echo)


def criar_app():
    """The portal's app with `bench-data` (`flask --app bench.gerador:criar_app bench-data`):
    the production factory never registers it."""
    from app import create_app

    app = create_app()
    app.cli.add_command(bench_data_command)
    return app

