"""Atribuir em lote: model sheet, upload, preview with every error a line can have, confirm,
the job that applies each line once, the e-mails at a limited rate, the errors file."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from filas import tarefas
from models import Certificado, Email, Lote, LoteLinha, db
from services.titular import atribuicoes
from services.titular import lotes
from services.titular import planilhas
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import Ator
from relogio import utcnow
from tests.support import financeiro as helpers
from tests.support.http import htmx_headers, text


def cpf_valido(n):
    """The n-th CPF with valid check digits (a different person for each n)."""
    digitos = [int(d) for d in f"{n:09d}"]
    for tamanho in (9, 10):
        soma = sum(d * (tamanho + 1 - i) for i, d in enumerate(digitos))
        digitos.append(soma * 10 % 11 % 10)
    return "".join(map(str, digitos))


def csv_de(*linhas, cabecalho="ID Processo Compra;Certificado;CPF;E-mail;Confirme o e-mail"):
    return ("\n".join([cabecalho, *linhas]) + "\n").encode("cp1252")


def enviar(client, dados, nome="lote.csv", processos=(), acao="atribuir"):
    # Encoded in memory: the test client would spool a large body to a file left open.
    campos = MultiDict([("arquivo", FileStorage(io.BytesIO(dados), nome))]
                       + [("processo", str(p)) for p in processos])
    limite, corpo = encode_multipart(campos)
    return client.post(f"/certificados/lote/?acao={acao}", data=corpo,
                       content_type=f"multipart/form-data; boundary={limite}")


def lote_de(response):
    assert response.status_code == 303, text(response)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def compra(app, maria):
    with db.connection_context():
        return helpers.compra_paga(app, 5)


def certificados(processo):
    with db.connection_context():
        return list(Certificado.select().where(Certificado.processo == processo.id)
                    .order_by(Certificado.numero))


# --- model sheet ---------------------------------------------------------------------------

def test_model_sheet_lists_the_buyers_pending_certificates_in_xlsx_and_csv(maria, compra):
    folha = load_workbook(io.BytesIO(maria.get("/certificados/lote/modelo.xlsx").data)).active
    linhas = [list(r) for r in folha.iter_rows(values_only=True)]
    assert linhas[0] == ["ID Processo Compra", "Certificado", "CPF", "E-mail",
                         "Confirme o e-mail", "Nome"]
    numeros = [l[1] for l in linhas[1:]]
    # Demo purchase A's free certificate, then the five of the new purchase; nobody else's.
    assert len(numeros) == 6 and numeros[1:] == [c.numero for c in certificados(compra)]
    response = maria.get("/certificados/lote/modelo.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).count(certificados(compra)[0].numero) == 1


def test_gerenciar_certificados_offers_atribuir_em_lote(maria):
    response = maria.get("/certificados/lista")
    assert 'href="/certificados/lote/"' in response.get_data(as_text=True)
    assert "Atribuir em lote" in text(response)


def test_atribuir_em_lote_opened_from_consulta_processos_has_the_marked_purchases_chosen(
        app, maria, compra):
    with db.connection_context():
        outra = helpers.compra_paga(app, 2)
    html = maria.get(f"/certificados/lote/?processo={compra.id}").get_data(as_text=True)
    assert f'name="processo" value="{compra.id}" checked>' in html
    assert f'name="processo" value="{outra.id}">' in html


# --- preview -------------------------------------------------------------------------------

def test_preview_says_what_each_line_will_do_and_changes_nothing(maria, compra):
    c1, c2 = certificados(compra)[:2]
    response = enviar(maria, csv_de(
        f"{compra.numero};{c1.numero};529.982.247-25;Joao@Empresa.gov.br;joao@empresa.gov.br",
        f";{c2.numero};39053344705;ana@empresa.gov.br;ana@empresa.gov.br"))
    pagina = text(maria.get(f"/certificados/lote/{lote_de(response)}"))
    assert f"Atribuir {c1.numero} a ***.982.247-** / jo***@empresa.gov.br" in pagina
    assert f"Atribuir {c2.numero} a ***.533.447-** / an***@empresa.gov.br" in pagina
    assert "2 válidas · 0 com erro" in pagina
    assert "Confirmar 2 atribuições" in pagina
    assert [c.situacao for c in certificados(compra)][:2] == ["disponivel", "disponivel"]


def test_every_kind_of_error_is_explained_in_portuguese_on_its_line(app, maria, compra):
    with db.connection_context():
        de_jose = helpers.compra_paga(app, 1, helpers.JOSE_CPF)
        c = certificados(compra)
        atribuicoes.atribuir(c[4], "52998224725", "ja@x.gov.br", helpers.conta(), Ator("t"), 30)
        correio.descartar()
    jose = certificados(de_jose)[0]
    linhas = [
        f"{compra.numero};{c[0].numero};123.456.789-00;a@x.gov.br;a@x.gov.br",
        f"{compra.numero};{c[1].numero};{cpf_valido(11)};b@x.gov.br;outro@x.gov.br",
        f"{compra.numero};{c[2].numero};{cpf_valido(12)};c@x.gov.br;c@x.gov.br",
        f"{compra.numero};{c[3].numero};{cpf_valido(12)};d@x.gov.br;d@x.gov.br",
        f"{compra.numero};{c[3].numero};52998224725;e@x.gov.br;e@x.gov.br",
        f"{compra.numero};{c[4].numero};{cpf_valido(13)};f@x.gov.br;f@x.gov.br",
        f"{de_jose.numero};{jose.numero};{cpf_valido(14)};g@x.gov.br;g@x.gov.br",
        f";2026999999-01;{cpf_valido(15)};h@x.gov.br;h@x.gov.br",
        f";;{cpf_valido(16)};i@x.gov.br;i@x.gov.br",
        f"2026000000;{c[3].numero};{cpf_valido(17)};j@x.gov.br;j@x.gov.br",
        f";{c[3].numero};{cpf_valido(18)};e-mail-sem-arroba;e-mail-sem-arroba",
    ]
    lote = lote_de(enviar(maria, csv_de(*linhas)))
    pagina = text(maria.get(f"/certificados/lote/{lote}?filtro=erros"))
    esperados = [
        "Linha 2", "CPF: CPF inválido: confira os dígitos.",
        "Os e-mails não são iguais",
        "CPF repetido no arquivo (já está na linha 4)",
        f"Este CPF já é titular do certificado {c[4].numero} desta compra",
        f"O certificado {c[4].numero} não está pendente de atribuição "
        "(situação: Aguardando solicitação do titular).",
        f"O certificado {jose.numero} não é de uma compra sua.",
        "Certificado 2026999999-01 não encontrado: confira o número.",
        "Preencha o número do certificado",
        f"O certificado {c[3].numero} não é da compra 2026000000",
        "E-mail: E-mail inválido.",
    ]
    for esperado in esperados[1:]:
        assert esperado in pagina
    assert "1 válidas" not in pagina
    assert "1 válida · 10 com erro" in text(maria.get(f"/certificados/lote/{lote}"))


def test_a_cpf_list_takes_the_oldest_pending_certificates_of_the_chosen_purchases(app, maria,
                                                                                   compra):
    with db.connection_context():
        segunda = helpers.compra_paga(app, 2)
    dados = csv_de(*[f"{cpf_valido(20 + i)};p{i}@x.gov.br" for i in range(8)],
                   cabecalho="CPF,E-mail".replace(",", ";"))
    lote = lote_de(enviar(maria, dados, processos=[compra.id, segunda.id]))
    pagina = text(maria.get(f"/certificados/lote/{lote}"))
    numeros = [c.numero for c in certificados(compra) + certificados(segunda)]
    for numero in numeros:
        assert f"Atribuir {numero} a" in pagina
    assert "7 válidas · 1 com erro" in pagina
    assert "Não há mais certificados pendentes" in pagina


def test_a_cpf_list_without_a_chosen_purchase_is_refused_at_the_field(maria, compra):
    response = enviar(maria, b"CPF;E-mail\n52998224725;a@b.gov.br\n")
    assert response.status_code == 422
    assert "Escolha ao menos uma compra" in text(response)


@pytest.mark.parametrize("dados, nome, motivo", [
    (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj", "planilha.csv", "não é uma planilha CSV nem XLSX"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "planilha.xlsx", "não é uma planilha CSV nem XLSX"),
    (b"CPF;E-mail\n" + b"52998224725;a@b.gov.br\n" * 10_001, "grande.csv", "mais de 10.000 linhas"),
    (b"x" * (5 * 1024 * 1024 + 1), "enorme.csv", "o limite é 5 MB"),
    (b"x" * (6 * 1024 * 1024), "maior.csv", "passa de 5 MB"),
], ids=["pdf-renomeado", "png-renomeado", "10001-linhas", "5mb", "6mb"])
def test_files_beyond_the_limits_or_of_another_type_are_refused_with_the_reason(
        maria, dados, nome, motivo):
    response = enviar(maria, dados, nome)
    assert response.status_code in (413, 422)
    pagina = text(response)
    assert motivo in pagina and "Erro:" in pagina
    with db.connection_context():
        assert Lote.select().count() == 0


def test_someone_elses_batch_is_not_found(client, app, maria, compra):
    c = certificados(compra)[0]
    lote = lote_de(enviar(maria, csv_de(f";{c.numero};52998224725;a@b.gov.br;a@b.gov.br")))
    client.post("/sair")
    helpers_login = client.post("/entrar", data={"cpf": "111.444.777-35", "senha": "demo12345"})
    assert helpers_login.status_code == 303
    assert client.get(f"/certificados/lote/{lote}").status_code == 404
    assert client.post(f"/certificados/lote/{lote}/confirmar").status_code == 404


# --- confirm and apply ---------------------------------------------------------------------

def linhas_validas(compra, n):
    return [f";{c.numero};{cpf_valido(100 + i)};t{i}@x.gov.br;t{i}@x.gov.br"
            for i, c in enumerate(certificados(compra)[:n])]


def test_confirm_assigns_every_valid_line_and_emails_each_holder(maria, compra, outbox):
    lote = lote_de(enviar(maria, csv_de(*linhas_validas(compra, 3), ";;;;")))
    response = maria.post(f"/certificados/lote/{lote}/confirmar")
    assert response.status_code == 303
    pagina = text(maria.get(response.headers["Location"]))
    assert "Relatório final" in pagina and "3 aplicadas" in pagina
    assert sorted(m.to[0] for m in outbox) == ["t0@x.gov.br", "t1@x.gov.br", "t2@x.gov.br"]
    assert [c.situacao for c in certificados(compra)] == ["atribuido"] * 3 + ["disponivel"] * 2
    assert f"Feito: Atribuir {certificados(compra)[0].numero}" in pagina


def test_confirming_twice_or_sending_the_same_file_again_assigns_nothing_twice(maria, compra,
                                                                               outbox):
    dados = csv_de(*linhas_validas(compra, 2))
    lote = lote_de(enviar(maria, dados))
    maria.post(f"/certificados/lote/{lote}/confirmar")
    maria.post(f"/certificados/lote/{lote}/confirmar")
    with db.connection_context():
        lotes.aplicar(lote, 30, tarefas.despachar)  # the queue retried it
    assert len(outbox) == 2
    de_novo = lote_de(enviar(maria, dados))
    assert "0 válidas · 2 com erro" in text(maria.get(f"/certificados/lote/{de_novo}"))
    with db.connection_context():
        assert Email.select().count() == 2


def test_a_certificate_changed_after_the_preview_is_reported_not_applied(maria, compra,
                                                                         outbox):
    c = certificados(compra)
    lote = lote_de(enviar(maria, csv_de(*linhas_validas(compra, 2))))
    maria.post(f"/certificados/{c[1].numero}/atribuir", data={
        "cpf": "529.982.247-25", "email": "x@x.gov.br", "email_confirmacao": "x@x.gov.br",
        "versao": str(c[1].versao), "chave": "k1"})
    maria.post(f"/certificados/lote/{lote}/confirmar")
    pagina = text(maria.get(f"/certificados/lote/{lote}"))
    assert "1 aplicada" in pagina and "1 não aplicada" in pagina
    assert f"Não aplicada: O certificado {c[1].numero} não está pendente" in pagina
    folha = load_workbook(io.BytesIO(maria.get(f"/certificados/lote/{lote}/erros.xlsx").data))
    linhas = list(folha.active.iter_rows(values_only=True))
    assert linhas[1][1] == c[1].numero and "não está pendente" in linhas[1][-1]


def test_a_failure_midway_leaves_each_line_applied_with_its_email_or_not(maria, compra,
                                                                          outbox, monkeypatch):
    lote = lote_de(enviar(maria, csv_de(*linhas_validas(compra, 4))))
    enfileirar = correio.enfileirar
    chamadas = []

    def cai_na_terceira(*args, **kwargs):
        chamadas.append(1)
        if len(chamadas) == 3:
            raise ConnectionError("banco fora do ar")
        return enfileirar(*args, **kwargs)

    monkeypatch.setattr(correio, "enfileirar", cai_na_terceira)
    maria.post(f"/certificados/lote/{lote}/confirmar")
    with db.connection_context():
        situacoes = [l.situacao for l in LoteLinha.select().order_by(LoteLinha.linha)]
        assert situacoes == ["aplicada", "aplicada", "valida", "valida"]
        assert Email.select().count() == 2
    assert [c.situacao for c in certificados(compra)][:4] == ["atribuido"] * 2 + ["disponivel"] * 2
    assert "2 aplicadas" in text(maria.get(f"/certificados/lote/{lote}"))
    monkeypatch.setattr(correio, "enfileirar", enfileirar)
    with db.connection_context():
        lotes.aplicar(lote, 30, tarefas.despachar)  # the queue's retry resumes
    assert len(outbox) == 4
    assert [c.situacao for c in certificados(compra)][:4] == ["atribuido"] * 4


def test_emails_leave_at_most_mail_max_por_minuto_a_minute(app, maria, compra, outbox):
    app.config["MAIL_MAX_POR_MINUTO"] = 2
    tarefas.huey.storage.flush_schedule()
    lote = lote_de(enviar(maria, csv_de(*linhas_validas(compra, 5))))
    antes = utcnow()
    maria.post(f"/certificados/lote/{lote}/confirmar")
    assert len(outbox) == 2  # the first minute's share; the rest wait in the queue
    agendados = sorted(t.eta for t in tarefas.huey.scheduled())
    assert len(agendados) == 3
    assert [round((eta - antes).total_seconds() / 60) for eta in agendados] == [1, 1, 2]
    with db.connection_context():
        # The five-minute safety net leaves the held-back messages to their turn.
        Email.update(criado_em=utcnow() - timedelta(minutes=6)).execute()
        tarefas.reenviar_pendentes.call_local()
    assert len(outbox) == 2
    tarefas.huey.storage.flush_schedule()


def test_progress_polls_every_2s_while_applying_and_stops_at_the_report(app, maria, compra):
    lote = lote_de(enviar(maria, csv_de(*linhas_validas(compra, 1))))
    with db.connection_context():
        Lote.update(situacao="aplicando").where(Lote.id == lote).execute()
    parcial = maria.get(f"/certificados/lote/{lote}/progresso", headers=htmx_headers())
    corpo = parcial.get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in corpo and "<html" not in corpo
    sem_js = maria.get(f"/certificados/lote/{lote}")
    assert f'href="/certificados/lote/{lote}">Atualizar' in sem_js.get_data(as_text=True)
    with db.connection_context():
        lotes.aplicar(lote, 30, tarefas.despachar)
    final = maria.get(f"/certificados/lote/{lote}/progresso", headers=htmx_headers())
    assert "every 2s" not in final.get_data(as_text=True) and "Relatório final" in text(final)


# --- errors file ---------------------------------------------------------------------------

def test_errors_file_gives_back_the_lines_as_typed_with_erro_and_can_be_sent_again(maria,
                                                                                   compra):
    c = certificados(compra)
    lote = lote_de(enviar(maria, csv_de(
        f";{c[0].numero};{cpf_valido(1)};a@x.gov.br;a@x.gov.br",
        f";{c[1].numero};123;b@x.gov.br;b@x.gov.br")))
    texto = maria.get(f"/certificados/lote/{lote}/erros.csv").get_data(as_text=True)
    linhas = texto.lstrip("\ufeff").splitlines()
    assert linhas[0] == "ID Processo Compra;Certificado;CPF;E-mail;Confirme o e-mail;Nome;Erro"
    assert linhas[1].startswith(f";{c[1].numero};123;b@x.gov.br;b@x.gov.br;;CPF:")
    corrigido = texto.replace(";123;", f";{cpf_valido(2)};").encode("utf-8")
    novo = lote_de(enviar(maria, corrigido, "corrigido.csv"))
    assert "1 válida · 0 com erro" in text(maria.get(f"/certificados/lote/{novo}"))


# --- reatribuir em lote --------------------------------------------------------------------

def test_reatribuir_em_lote_only_for_certificates_whose_emission_was_not_requested(maria,
                                                                                   outbox):
    modelo = maria.get("/certificados/lote/modelo.csv?acao=reatribuir").get_data(as_text=True)
    with db.connection_context():
        atribuido = Certificado.get(Certificado.titular_cpf == "52998224725")
        emitido = Certificado.get(Certificado.titular_cpf == "39053344705")
    assert atribuido.numero in modelo and emitido.numero not in modelo
    lote = lote_de(enviar(maria, csv_de(
        f";{atribuido.numero};{cpf_valido(7)};novo@x.gov.br;novo@x.gov.br",
        f";{emitido.numero};{cpf_valido(8)};outro@x.gov.br;outro@x.gov.br"), acao="reatribuir"))
    pagina = text(maria.get(f"/certificados/lote/{lote}"))
    assert f"Reatribuir {atribuido.numero} a" in pagina
    assert "a emissão já foi solicitada" in pagina
    maria.post(f"/certificados/lote/{lote}/confirmar")
    # The new holder gets the link, the previous one is told.
    assert sorted(m.to[0] for m in outbox) == ["joao@example.com", "novo@x.gov.br"]


def test_reatribuir_em_lote_needs_the_model_sheet(app, maria):
    lista = csv_de(f"{cpf_valido(7)};novo@x.gov.br", cabecalho="CPF;E-mail")
    response = enviar(maria, lista, acao="reatribuir")
    assert response.status_code == 422
    assert "Para reatribuir, use a planilha modelo" in text(response)
    # The rule is the service's: any door that creates a batch meets it.
    with app.app_context(), db.connection_context():
        with pytest.raises(lotes.LoteRecusado) as recusa:
            lotes.criar(helpers.conta(), planilhas.ler(lista), "lista.csv", "reatribuir")
        assert recusa.value.campo == "arquivo"
        assert not Lote.select().exists()


# --- reenviar links ------------------------------------------------------------------------

def test_reenviar_links_to_a_selection_of_holders_waiting(maria, compra, outbox):
    lote = lote_de(enviar(maria, csv_de(*linhas_validas(compra, 3))))
    maria.post(f"/certificados/lote/{lote}/confirmar")
    outbox.clear()
    c = certificados(compra)
    pagina = maria.get("/certificados/lote/reenviar")
    assert f'value="{c[0].numero}">' in pagina.get_data(as_text=True)
    todos = maria.get("/certificados/lote/reenviar?pagina=1&todos=1").get_data(as_text=True)
    assert todos.count(" checked>") == 4  # demo João's certificate and the three new ones
    response = maria.post("/certificados/lote/reenviar", data={
        "certificado": [c[0].numero, c[2].numero, "2026999999-01"]})
    assert response.status_code == 303
    final = text(maria.get(response.headers["Location"]))
    assert "Enviamos 2 links novos" in final
    assert "Certificado 2026999999-01: Certificado não encontrado." in final
    assert sorted(m.to[0] for m in outbox) == ["t0@x.gov.br", "t2@x.gov.br"]


def test_reenviar_links_without_a_selection_says_what_to_do(maria):
    response = maria.post("/certificados/lote/reenviar", data={})
    assert "Marque ao menos um certificado" in text(maria.get(response.headers["Location"]))
