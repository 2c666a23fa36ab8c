"""`make bench`: the production stack under load, measured from outside with wrk.

For each database (SQLite in a temporary directory; PostgreSQL when DATABASE_URL points at
it): init-db, bench-data (the demo buyer with 100 000 certificates, bench buyers with about
1 000), gunicorn with gunicorn.conf.py, the Huey consumer when REDIS_URL is set, and a
hello-world Flask app under the same configuration (the ceiling). Then wrk at 1, 16 and 64
connections on every main page, for the buyer with 100 000 and a buyer with 1 000
certificates, and the PDFs one request at a time. Writes bench/RESULTS.md (the text after
"## Notas" is kept).

Environment: DATABASE_URL, REDIS_URL, BENCH_SEGUNDOS (5), BENCH_CONEXOES ("1 16 64"),
BENCH_COMPRADORES (250), BENCH_COMPRADORES_SQLITE (50), BENCH_CERTIFICADOS (100000),
BENCH_BANCOS ("sqlite postgres").
"""
import http.cookiejar
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

RAIZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(RAIZ, ".venv", "bin")
SEGUNDOS = int(os.environ.get("BENCH_SEGUNDOS", 5))
CONEXOES = [int(c) for c in os.environ.get("BENCH_CONEXOES", "1 16 64").split()]
RESULTADOS = os.path.join(RAIZ, "bench", "RESULTS.md")
sys.path.insert(0, RAIZ)
import relogio  # noqa: E402  (the repository root is on the path only now)
MARIA = "12345678909"
AGENTE = ("98765432100", "agente12345")


def porta_livre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def esperar(url, processo, segundos=60):
    fim = time.monotonic() + segundos
    while time.monotonic() < fim:
        if processo.poll() is not None:
            raise SystemExit(f"o servidor parou ao iniciar ({url})")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} não respondeu em {segundos} s")


class Sessao:
    """A browser of one person: cookies, and the login form with its CSRF token."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.abrir = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, caminho):
        with self.abrir.open(self.base + caminho, timeout=30) as r:
            return r.read().decode("utf-8", "replace")

    def entrar(self, cpf, senha):
        html = self.get("/entrar")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        dados = urllib.parse.urlencode({"csrf_token": token, "cpf": cpf, "senha": senha})
        self.abrir.open(self.base + "/entrar", dados.encode(), timeout=30).read()
        assert "Sair" in self.get("/"), f"login de {cpf} falhou"
        return self

    @property
    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def wrk(url, conexoes, cookie=None):
    comando = ["wrk", f"-t{min(conexoes, 2)}", f"-c{conexoes}", f"-d{SEGUNDOS}s",
               "-s", os.path.join(RAIZ, "bench", "report.lua"), url]
    if cookie:
        comando[1:1] = ["-H", f"Cookie: {cookie}"]
    saida = subprocess.run(comando, capture_output=True, text=True, check=True).stdout
    linha = saida.strip().splitlines()[-1]
    valores = dict(par.split("=") for par in linha.split())
    return {"rps": float(valores["requests/s"]), "p50": float(valores["p50"].rstrip("ms")),
            "p95": float(valores["p95"].rstrip("ms")), "p99": float(valores["p99"].rstrip("ms")),
            "erros": int(valores["errors"])}


def tempo_de(sessao, caminho, vezes=20):
    """Median milliseconds of one request at a time (the PDFs)."""
    tempos = []
    for _ in range(vezes):
        inicio = time.perf_counter()
        sessao.get(caminho)
        tempos.append((time.perf_counter() - inicio) * 1000)
    return statistics.median(tempos)


def amostras(env):
    """What the pages need (bench/amostras.py), read in a process on the bench's database."""
    saida = subprocess.run([os.path.join(BIN, "python"), "-m", "bench.amostras"], cwd=RAIZ,
                           env=env, capture_output=True, text=True, check=True).stdout
    return eval(saida.strip().splitlines()[-1])  # our own repr() of plain values


# The table (PostgreSQL, 100 000 certificates, 16 connections): page -> (share of
# the hello-world ceiling, p95 ms). The 100 000 rows are the demo organisation's (Maria).
ALVOS = {
    "/saude": (60, 20),
    "/entrar (anônimo)": (50, 25),
    "Minha conta": (40, 30),
    "Gerenciar (um certificado)": (30, 40),
    "Consulta Processos de Compra": (25, 50),
    "Gerenciar Certificados": (25, 50),
    "Gerenciar Certificados, Todos": (25, 50),
    "Financeiro": (25, 50),
    "etapa do assistente (titular)": (25, 50),
    "Agenda (agente)": (25, 50),
    "Organização": (25, 50),
    "Atividades": (25, 50),
    "Vencimentos": (25, 50),
}
# Worker memory: requests per worker at the two readings, and the ceiling of RSS.
MEMORIA_LEITURAS = (10_000, 20_000)
MEMORIA_MAX_MB = 150


def paginas_de(sessao, amostra, todas):
    processo, certificado, _ = amostra
    paginas = [("Gerenciar Certificados", "/certificados/lista"),
               ("Consulta Processos de Compra", "/pedidos/processos"),
               ("compra de 100 certificados", f"/pedidos/processos/{processo}"),
               ("Gerenciar (um certificado)", f"/certificados/{certificado}"),
               ("Financeiro", "/financeiro/")]
    if todas:  # the fixed cost of a session, the "Todos" filter and the organisation's pages
        paginas += [("Minha conta", "/conta/"),
                    ("Gerenciar Certificados, Todos", "/certificados/lista?situacao=todos"),
                    ("Organização", "/organizacao/"),
                    ("Atividades", "/organizacao/atividades/"),
                    ("Vencimentos", "/vencimentos/")]
    return paginas


def pids_dos_workers(mestre):
    filhos = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == mestre:
                        filhos.append(int(pid))
            except (OSError, IndexError, ValueError):
                pass
    return sorted(filhos)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def medir_memoria(env, alvos):
    """A gunicorn that never recycles its workers serves the signed-in pages in turn (wrk in
    rounds of a few seconds, each person's pages with their cookie); each worker's RSS is
    read once the workers have served MEMORIA_LEITURAS requests each, on average."""
    porta = porta_livre()
    gunicorn = [os.path.join(BIN, "gunicorn"), "-c", os.path.join(RAIZ, "gunicorn.conf.py")]
    processo = subprocess.Popen(gunicorn + ["app:create_app()"], cwd=RAIZ, env={
        **env, "GUNICORN_BIND": f"127.0.0.1:{porta}", "GUNICORN_MAX_REQUESTS": "0"})
    try:
        base = f"http://127.0.0.1:{porta}"
        esperar(base + "/saude", processo)
        # The first worker may answer before the master forked the others.
        fim = time.monotonic() + 30
        while (len(workers := pids_dos_workers(processo.pid)) < int(env["WEB_CONCURRENCY"])
               and time.monotonic() < fim):
            time.sleep(0.1)
        leituras, feitas, rodada = [], 0, 0
        for alvo in MEMORIA_LEITURAS:
            while feitas < alvo * len(workers):
                cookie, caminhos = alvos[rodada % len(alvos)]
                rodada += 1
                saida = subprocess.run(
                    ["wrk", "-t1", f"-c{len(workers)}", "-d3s", "-H", f"Cookie: {cookie}",
                     "-s", os.path.join(RAIZ, "bench", "rodizio.lua"), base, "--", *caminhos],
                    capture_output=True, text=True, check=True).stdout
                feitas += int(re.search(r"(\d+) requests in", saida).group(1))
                if "Non-2xx" in saida or "Socket errors" in saida:
                    raise SystemExit(f"memória: respostas com erro\n{saida}")
            if pids_dos_workers(processo.pid) != workers:
                raise SystemExit("memória: um worker foi reiniciado durante a medida")
            leituras.append([rss_mb(pid) for pid in workers])
        return {"workers": len(workers), "leituras": leituras}
    finally:
        processo.terminate()
        processo.wait(timeout=30)


def medir_banco(nome, database_url, compradores):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench",
           "SESSION_COOKIE_SECURE": "0", "LOGIN_RATE_LIMIT": "1000000 per minute",
           "GUNICORN_LOGLEVEL": "warning"}
    env.setdefault("WEB_CONCURRENCY", str(os.cpu_count()))
    if env.get("REDIS_URL"):
        env["JOBS_EMBUTIDOS"] = "0"
    flask = [os.path.join(BIN, "flask"), "--app", "app"]
    flask_bench = [os.path.join(BIN, "flask"), "--app", "bench.gerador:criar_app"]
    if os.environ.get("BENCH_CARREGAR", "1") == "1":
        subprocess.run(flask + ["init-db"], cwd=RAIZ, env=env, check=True)
        carga = subprocess.run(
            flask_bench + ["bench-data", "--compradores", str(compradores), "--certificados",
                           os.environ.get("BENCH_CERTIFICADOS", "100000")],
            cwd=RAIZ, env=env, check=True, capture_output=True, text=True).stdout.strip()
    else:
        carga = "o banco já carregado (BENCH_CARREGAR=0)"
    print(f"[{nome}] bench-data: {carga}", flush=True)
    dados = amostras(env)

    processos = []
    try:
        porta, porta_hello = porta_livre(), porta_livre()
        gunicorn = [os.path.join(BIN, "gunicorn"), "-c", os.path.join(RAIZ, "gunicorn.conf.py")]
        processos.append(subprocess.Popen(gunicorn + ["app:create_app()"], cwd=RAIZ,
                                          env={**env, "GUNICORN_BIND": f"127.0.0.1:{porta}"}))
        processos.append(subprocess.Popen(gunicorn + ["bench.hello:app"], cwd=RAIZ,
                                          env={**env, "GUNICORN_BIND": f"127.0.0.1:{porta_hello}"}))
        if env.get("REDIS_URL"):
            processos.append(subprocess.Popen(
                [os.path.join(BIN, "huey_consumer"), "filas.consumidor.huey", "-w", "2", "-k", "thread",
                 "-q"], cwd=RAIZ, env=env))
        base = f"http://127.0.0.1:{porta}"
        esperar(base + "/saude", processos[0])
        esperar(f"http://127.0.0.1:{porta_hello}/", processos[1])

        maria = Sessao(base).entrar(MARIA, "demo12345")
        mil = Sessao(base).entrar(dados["mil_cpf"], "demo12345")
        agente = Sessao(base).entrar(*AGENTE)
        titular = Sessao(base)
        titular.get(f"/t/bench-{dados['titular'][0]}")
        numero_titular = dados["titular"][1]
        assert "Etapa" in titular.get(f"/solicitacao/{numero_titular}/dados")

        alvos = [("100 000", rotulo, url, maria.cookie)
                 for rotulo, url in paginas_de(maria, dados["maria"], todas=True)]
        alvos += [("1 000", rotulo, url, mil.cookie)
                  for rotulo, url in paginas_de(mil, dados["mil"], todas=False)]
        alvos += [("—", "etapa do assistente (titular)", f"/solicitacao/{numero_titular}/dados",
                   titular.cookie),
                  ("—", "horários (titular)", f"/titular/{numero_titular}/agendamento/dias",
                   titular.cookie),
                  ("—", "Agenda (agente)", "/agenda/", agente.cookie),
                  ("—", "Pagamentos (agente)", "/pagamentos/", agente.cookie),
                  ("—", "/entrar (anônimo)", "/entrar", None),
                  ("—", "/saude", "/saude", None)]
        linhas = []
        teto = {c: wrk(f"http://127.0.0.1:{porta_hello}/", c) for c in CONEXOES}
        for c in CONEXOES:
            linhas.append(("—", "hello world (teto)", c, teto[c]))
        for volume, rotulo, url, cookie in alvos:
            for c in CONEXOES:
                r = wrk(base + url, c, cookie)
                linhas.append((volume, rotulo, c, r))
                print(f"[{nome}] {volume:>7} {rotulo:<32} c={c:<3} {r['rps']:8.1f} req/s "
                      f"p95 {r['p95']:7.1f} ms erros {r['erros']}", flush=True)
        pdfs = {
            "boleto (100 000)": tempo_de(maria, f"/financeiro/boletos/{dados['maria'][2]}/boleto.pdf"),
            "termo (titular)": tempo_de(titular, f"/solicitacao/{numero_titular}/termo-v1.pdf"),
        }
    finally:
        for p in processos:
            p.terminate()
        for p in processos:
            p.wait(timeout=30)
    memoria = None
    if os.environ.get("BENCH_MEMORIA", "1") == "1":
        por_pessoa = {}
        for volume, rotulo, url, cookie in alvos:
            if cookie and volume != "1 000":
                por_pessoa.setdefault(cookie, []).append(url)
        memoria = medir_memoria(env, list(por_pessoa.items()))
    return {"nome": nome, "carga": carga, "linhas": linhas, "teto": teto, "pdfs": pdfs,
            "memoria": memoria, "workers": env["WEB_CONCURRENCY"],
            "threads": env.get("GUNICORN_THREADS", "1")}


def veredito(resultado):
    """The issue's targets against this run: one line per page, and the memory."""
    por = {(v, rotulo, c): r for v, rotulo, c, r in resultado["linhas"]}
    linhas = ["| página | % do teto (alvo) | p95 ms a 16 (alvo) | p99 a 64 ÷ p95 a 16 (≤ 4) "
              "| erros | |", "|---|---|---|---|---|---|"]
    faltam = 0
    for rotulo, (parcela, p95) in ALVOS.items():
        volume = next((v for v in ("100 000", "—") if (v, rotulo, 16) in por), None)
        if volume is None:
            continue
        r16, r64 = por[(volume, rotulo, 16)], por.get((volume, rotulo, 64))
        fatia = 100 * r16["rps"] / resultado["teto"][16]["rps"]
        razao = r64["p99"] / r16["p95"] if r64 and r16["p95"] else None
        erros = r16["erros"] + (r64["erros"] if r64 else 0)
        ok = fatia >= parcela and r16["p95"] <= p95 and erros == 0 and (
            razao is None or razao <= 4)
        faltam += not ok
        linhas.append(f"| {rotulo} | {fatia:.0f} % (≥ {parcela} %) | {r16['p95']:.1f} "
                      f"(≤ {p95}) | {'—' if razao is None else f'{razao:.1f}'} | {erros} | "
                      f"{'atingido' if ok else '**não atingido**'} |")
    memoria = resultado.get("memoria")
    if memoria:
        primeira, segunda = memoria["leituras"]
        cresceu = max(b - a for a, b in zip(primeira, segunda))
        ok = max(segunda) <= MEMORIA_MAX_MB and cresceu <= 1
        faltam += not ok
        def mb(valores):
            return ", ".join(f"{m:.1f}".replace(".", ",") for m in valores)
        linhas += ["", f"Memória ({memoria['workers']} workers sem reciclagem): RSS de cada "
                   f"worker após {MEMORIA_LEITURAS[0] // 1000} mil requisições por worker: "
                   f"{mb(primeira)} MB; após {MEMORIA_LEITURAS[1] // 1000} mil: {mb(segunda)} MB "
                   f"(≤ {MEMORIA_MAX_MB} MB, sem crescer): "
                   f"{'atingido' if ok else '**não atingido**'}."]
    return "\n".join([f"Alvos ({resultado['nome']}, 16 e 64 conexões): "
                      f"{'todos atingidos' if not faltam else f'{faltam} não atingido(s)'}.",
                      ""] + linhas)


def tabela(resultado):
    linhas = [f"### {resultado['nome']}", "",
              f"Carga: {resultado['carga']}  ",
              f"gunicorn: {resultado['workers']} workers × {resultado['threads']} thread(s), "
              f"wrk {SEGUNDOS} s por URL e número de conexões.", "",
              veredito(resultado), "",
              "| certificados | página | conexões | req/s | p50 ms | p95 ms | p99 ms | erros | "
              "% do teto |", "|---|---|---|---|---|---|---|---|---|"]
    for volume, rotulo, c, r in resultado["linhas"]:
        teto = resultado["teto"][c]["rps"]
        linhas.append(f"| {volume} | {rotulo} | {c} | {r['rps']:.0f} | {r['p50']:.1f} | "
                      f"{r['p95']:.1f} | {r['p99']:.1f} | {r['erros']} | "
                      f"{100 * r['rps'] / teto:.0f} % |")
    linhas += ["", "PDFs, uma requisição por vez (mediana de 20): " + "; ".join(
        f"{k} {v:.1f} ms" for k, v in resultado["pdfs"].items()), ""]
    return "\n".join(linhas)


def maquina():
    modelo = ""
    try:
        with open("/proc/cpuinfo") as f:
            modelo = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    carga = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.node()}, {os.cpu_count()} núcleos {modelo}, carga média no início {carga}"


def main():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=RAIZ, text=True,
                            capture_output=True).stdout.strip()
    cabecalho = (f"# Medidas (`make bench`)\n\n{relogio.agora():%Y-%m-%d %H:%M} UTC, "
                 f"commit {commit}, {maquina()}.\n")
    bancos = os.environ.get("BENCH_BANCOS", "sqlite postgres").split()
    partes = []
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in bancos:
            partes.append(medir_banco("SQLite", f"sqlite:///{tmp}/bench.db",
                                      os.environ.get("BENCH_COMPRADORES_SQLITE", "50")))
        url = os.environ.get("DATABASE_URL", "")
        if "postgres" in bancos and url.startswith("postgres"):
            partes.append(medir_banco("PostgreSQL", url,
                                      os.environ.get("BENCH_COMPRADORES", "250")))
        elif "postgres" in bancos:
            print("DATABASE_URL não aponta para PostgreSQL: só SQLite medido.", file=sys.stderr)
    notas = ""
    if os.path.exists(RESULTADOS):
        with open(RESULTADOS) as f:
            texto = f.read()
        if "## Notas" in texto:
            notas = texto[texto.index("## Notas"):]
    with open(RESULTADOS, "w") as f:
        f.write(cabecalho + "\n" + "\n".join(tabela(p) for p in partes) + "\n" + notas)
    print(f"escrito {RESULTADOS}")


if __name__ == "__main__":
    main()
