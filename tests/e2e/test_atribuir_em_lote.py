"""Atribuir em lote on a phone, JavaScript on (XLSX) and off (CSV from Excel in pt-BR):
upload 300 lines with 7 kinds of errors, see the counts, confirm, read the final report,
293 holders receive their e-mail (real SMTP server), download the lines with errors, fix
them and send them again."""
import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from models import Certificado, ProcessoCompra, db
from tests.integration.test_lotes import cpf_valido
from tests.support import financeiro as helpers
from tests.support.ambiente import TEST_CONFIG
from tests.support.caixa_smtp import smtp  # noqa: F401  (fixture: a real SMTP server)
from tests.support.navegador import PHONE, entrar, no_horizontal_scroll

CABECALHO = ["ID Processo Compra", "Certificado", "CPF", "E-mail", "Confirme o e-mail"]


@pytest.fixture
def e2e_config(smtp):  # noqa: F811
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.porta, "MAIL_MAX_POR_MINUTO": 1000}


def planilha_com_erros(app):
    """300 lines: 293 valid and one of each of the 7 kinds of error."""
    with app.app_context(), db.connection_context():
        compras = [helpers.compra_paga(app, 100) for _ in range(3)]
        novos = [c for p in compras for c in Certificado.select(Certificado, ProcessoCompra)
                 .join(ProcessoCompra).where(Certificado.processo == p.id)
                 .order_by(Certificado.numero)]
        demo_a = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                  .where(Certificado.titular_cpf == "52998224725").get().processo)
        livre_a = Certificado.get((Certificado.processo == demo_a.id)
                                  & (Certificado.situacao == "disponivel"))
        emitido = Certificado.get(Certificado.situacao == "emitido")
        de_jose = (Certificado.select().join(ProcessoCompra)
                   .where(ProcessoCompra.comprador == helpers.conta(helpers.JOSE_CPF).id).get())
    linhas = [[c.processo.numero if i % 2 else "", c.numero, cpf_valido(1000 + i),
               f"titular{i}@orgao.gov.br", f"titular{i}@orgao.gov.br"]
              for i, c in enumerate(novos[:293])]
    linhas += [
        ["", novos[293].numero, "111.222.333-44", "a@orgao.gov.br", "a@orgao.gov.br"],
        ["", novos[294].numero, cpf_valido(5001), "b@orgao.gov.br", "c@orgao.gov.br"],
        # The CPF of line 252, whose certificate is of the same purchase: still refused
        # ("já é titular") when the errors file comes back.
        ["", novos[295].numero, cpf_valido(1250), "d@orgao.gov.br", "d@orgao.gov.br"],
        ["", livre_a.numero, "529.982.247-25", "e@orgao.gov.br", "e@orgao.gov.br"],
        ["", emitido.numero, cpf_valido(5002), "f@orgao.gov.br", "f@orgao.gov.br"],
        ["", de_jose.numero, cpf_valido(5003), "g@orgao.gov.br", "g@orgao.gov.br"],
        ["", "2026999999-01", cpf_valido(5004), "h@orgao.gov.br", "h@orgao.gov.br"],
    ]
    return linhas


def como_xlsx(linhas):
    livro = Workbook()
    for linha in [CABECALHO, *linhas]:
        livro.active.append(linha)
    saida = io.BytesIO()
    livro.save(saida)
    return {"name": "equipe.xlsx", "buffer": saida.getvalue(), "mimeType":
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def como_csv(linhas):
    texto = "\r\n".join(";".join(l) for l in [CABECALHO, *linhas]) + "\r\n"
    return {"name": "equipe.csv", "buffer": texto.encode("cp1252"), "mimeType": "text/csv"}


def enviar_planilha(page, arquivo):
    page.get_by_role("link", name="Gerenciar Certificados").first.click()
    page.get_by_role("link", name="Atribuir em lote", exact=True).click()
    expect(page.get_by_role("heading", name="Atribuir em lote", exact=True)).to_be_visible()
    page.get_by_label("Planilha preenchida (.xlsx ou .csv)").set_input_files(arquivo)
    page.get_by_role("button", name="Conferir a planilha").click()


def test_300_lines_with_7_kinds_of_errors_preview_confirm_report_emails_and_fix(
        phone, server, smtp):  # noqa: F811
    linhas = planilha_com_erros(server.app)
    entrar(phone)
    phone.goto("/certificados/")
    enviar_planilha(phone, como_xlsx(linhas) if phone.js else como_csv(linhas))

    expect(phone.get_by_role("status").first).to_contain_text("293 válidas · 7 com erro")
    expect(phone.get_by_text("Atribuir ", exact=False).first).to_be_visible()
    phone.get_by_role("link", name="Só as com erro").click()
    erros = phone.locator("table.linhas-lote tbody tr")
    expect(erros).to_have_count(7)
    for motivo in ("CPF inválido", "Os e-mails não são iguais", "CPF repetido no arquivo",
                   "já é titular do certificado", "não está pendente de atribuição",
                   "não é de uma compra sua", "não encontrado"):
        expect(erros.filter(has_text=motivo)).to_have_count(1)
    assert no_horizontal_scroll(phone)

    phone.get_by_role("button", name="Confirmar 293 atribuições").click(timeout=180_000)
    relatorio = phone.locator("#progresso")
    expect(relatorio).to_contain_text("Relatório final", timeout=180_000)
    expect(relatorio).to_contain_text("293 aplicadas")
    expect(relatorio.locator("progress")).to_have_attribute("value", "293")
    assert len(smtp.mensagens) == 293
    assert {m["To"] for m in smtp.mensagens} == {f"titular{i}@orgao.gov.br" for i in range(293)}

    with phone.expect_download() as baixado:
        relatorio.get_by_role("link", name="Linhas com erro (CSV)").click()
    texto = Path(baixado.value.path()).read_text(encoding="utf-8-sig")
    devolvidas = list(csv.reader(io.StringIO(texto), delimiter=";"))
    assert devolvidas[0][-1] == "Erro" and len(devolvidas) == 8

    # Fix the invalid CPF and the mistyped confirmation, send the same file back.
    devolvidas[1][2] = cpf_valido(6001)
    devolvidas[2][4] = devolvidas[2][3]
    corrigido = "\r\n".join(";".join(l) for l in devolvidas) + "\r\n"
    phone.goto("/certificados/")
    enviar_planilha(phone, {"name": "corrigido.csv", "buffer": corrigido.encode("utf-8"),
                            "mimeType": "text/csv"})
    expect(phone.get_by_role("status").first).to_contain_text("2 válidas · 5 com erro")
    phone.get_by_role("button", name="Confirmar 2 atribuições").click()
    expect(phone.locator("#progresso")).to_contain_text("2 aplicadas")
    assert len(smtp.mensagens) == 295


def test_batch_pages_pass_axe_and_fit_the_phone(browser, server):
    from axe_playwright_python.sync_playwright import Axe

    def conferir(page, nome):
        violacoes = [v["id"] for v in Axe().run(page).response["violations"]]
        assert violacoes == [] and no_horizontal_scroll(page), (nome, violacoes)

    linhas = planilha_com_erros(server.app)[-10:]  # a few valid lines and the errors
    contexto = browser.new_context(base_url=server.url, **PHONE)
    page = contexto.new_page()
    page.js = True
    try:
        entrar(page)
        for url in ("/certificados/lista", "/certificados/lote/", "/certificados/lote/reenviar"):
            page.goto(url)
            conferir(page, url)
        page.goto("/certificados/lote/")
        page.get_by_role("button", name="Conferir a planilha").click()  # no file: the error
        expect(page.locator(".erro-resumo")).to_contain_text("Escolha o arquivo")
        conferir(page, "envio com erro")
        page.goto("/certificados/")
        enviar_planilha(page, como_csv(linhas))
        conferir(page, "prévia")
        page.get_by_role("button", name=re.compile(r"^Confirmar \d+ atribuições$")).click()
        expect(page.locator("#progresso")).to_contain_text("Relatório final")
        conferir(page, "relatório")
    finally:
        contexto.close()


def test_the_progress_updates_by_itself_with_js_and_by_atualizar_without(
        phone, server, smtp):  # noqa: F811
    from filas import tarefas
    from models import Lote
    from services.titular import lotes

    linhas = planilha_com_erros(server.app)[:5]
    entrar(phone)
    phone.goto("/certificados/")
    enviar_planilha(phone, como_csv(linhas))
    expect(phone.get_by_role("status").first).to_contain_text("5 válidas · 0 com erro")
    with db.connection_context():
        lote = Lote.select().order_by(Lote.id.desc()).get()
        lotes.confirmar(lote)  # confirmed; the queue has not started it yet
    phone.reload()
    progresso = phone.locator("#progresso")
    expect(progresso).to_contain_text("Aplicando…")
    expect(progresso).to_contain_text("0 de 5 linhas")
    if phone.js:
        phone.evaluate("window.semRecarregar = true")
    with server.app.app_context(), db.connection_context():
        lotes.aplicar(lote.id, 30, tarefas.despachar)  # the queue worker
    if phone.js:
        expect(progresso).to_contain_text("Relatório final", timeout=10_000)
        assert phone.evaluate("window.semRecarregar") is True  # swapped in place, no reload
    else:
        progresso.get_by_role("link", name="Atualizar").click()
        expect(phone.locator("#progresso")).to_contain_text("Relatório final")
    expect(phone.locator("#progresso")).to_contain_text("5 aplicadas")
    assert len(smtp.mensagens) == 5
