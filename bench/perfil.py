"""`python bench/perfil.py [PÁGINA…]`: the CPU cost of each page `make bench` measures, in
this process, with no server, network or wrk in the way.

It reads the database DATABASE_URL names, already loaded by `bench-data` (the way `make
bench` leaves it), signs in as Maria (the organisation with 100 000 certificates), the agent
and a holder through the real login form, and asks each page VEZES times through the whole
WSGI stack (hooks, session, CSRF, templates). It prints the median milliseconds per page
and the process's CPU milliseconds per request (steadier on a busy machine) and, with
`--perfil` (or PERFIL=1), writes the pyinstrument profile of each to
PERFIS/<rótulo>.txt, for RESULTS.md.

Environment: DATABASE_URL (required), VEZES (200), PERFIL (0), PERFIS (bench/perfis).
"""
import os
import re
import statistics
import sys
import time
import unicodedata

RAIZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RAIZ)

from app import create_app  # noqa: E402  (the repository root is on the path only now)
from bench import amostras  # noqa: E402

MARIA = ("12345678909", "demo12345")
AGENTE = ("98765432100", "agente12345")


def entrar(app, cpf, senha):
    cliente = app.test_client()
    html = cliente.get("/entrar").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    cliente.post("/entrar", data={"csrf_token": token, "cpf": cpf, "senha": senha})
    pagina = cliente.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Sair" in pagina, f"login de {cpf} falhou"
    return cliente


def paginas(app):
    """(rótulo, cliente, endereço) of every page the issue's table names."""
    dados = amostras.ler()
    maria = entrar(app, *MARIA)
    agente = entrar(app, *AGENTE)
    anonimo = app.test_client()
    titular = app.test_client()
    certificado_titular, numero_titular = dados["titular"]
    titular.get(f"/t/bench-{certificado_titular}")
    processo, certificado, _ = dados["maria"]
    return [("/saude", anonimo, "/saude"),
            ("/entrar", anonimo, "/entrar"),
            ("Minha conta", maria, "/conta/"),
            ("Gerenciar (um certificado)", maria, f"/certificados/{certificado}"),
            ("Consulta Processos de Compra", maria, "/pedidos/processos"),
            ("Gerenciar Certificados", maria, "/certificados/lista"),
            ("Gerenciar Certificados, Todos", maria, "/certificados/lista?situacao=todos"),
            ("compra de 100 certificados", maria, f"/pedidos/processos/{processo}"),
            ("Financeiro", maria, "/financeiro/"),
            ("Organização", maria, "/organizacao/"),
            ("Atividades", maria, "/organizacao/atividades/"),
            ("Vencimentos", maria, "/vencimentos/"),
            ("etapa do assistente", titular, f"/solicitacao/{numero_titular}/dados"),
            ("Agenda", agente, "/agenda/")]


def medir(cliente, endereco, vezes):
    """(median wall-clock ms, this process's CPU ms per request): the CPU time leaves out the
    database's own work and the waits of a busy machine."""
    tempos = []
    cpu = time.process_time()
    for _ in range(vezes):
        inicio = time.perf_counter()
        resposta = cliente.get(endereco)
        tempos.append((time.perf_counter() - inicio) * 1000)
        assert resposta.status_code == 200, (endereco, resposta.status_code)
    return statistics.median(tempos), (time.process_time() - cpu) * 1000 / vezes


def main(escolhidas):
    vezes = int(os.environ.get("VEZES", 200))
    app = create_app()
    perfil = os.environ.get("PERFIL") == "1" or "--perfil" in escolhidas
    escolhidas = [e for e in escolhidas if not e.startswith("--")]
    for rotulo, cliente, endereco in paginas(app):
        if escolhidas and not any(e.lower() in rotulo.lower() for e in escolhidas):
            continue
        medir(cliente, endereco, 20)  # warm: templates compiled, pool filled
        mediana, cpu = medir(cliente, endereco, vezes)
        print(f"{rotulo:<32} {mediana:7.2f} ms  CPU {cpu:6.2f} ms", flush=True)
        if perfil:
            from pyinstrument import Profiler
            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(vezes):
                    cliente.get(endereco)
            texto = profiler.output_text(unicode=True, color=False,
                                         show_all=os.environ.get("PERFIL_TUDO") == "1")
            pasta = os.environ.get("PERFIS") or os.path.join(RAIZ, "bench", "perfis")
            os.makedirs(pasta, exist_ok=True)
            sem_acento = unicodedata.normalize("NFKD", rotulo.lower()).encode("ascii", "ignore")
            nome = re.sub(r"[^a-z0-9]+", "-", sem_acento.decode()).strip("-")
            with open(os.path.join(pasta, f"{nome}.txt"), "w") as arquivo:
                arquivo.write(texto)


if __name__ == "__main__":
    main(sys.argv[1:])
