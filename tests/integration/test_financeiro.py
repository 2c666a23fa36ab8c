""""Financeiro": boletos, "Ações", the boleto page and PDF, "Gerar novo Boleto"."""
import re
from datetime import timedelta

import pytest

from models import Boleto, Email, db
from services.pagamento import boletos
from services.pagamento import febraban
from relogio import hoje
from tests.support.http import htmx_headers, text
from tests.support import financeiro as helpers


@pytest.fixture
def vencido(maria):
    with db.connection_context():
        return helpers.boleto_vencido()


def fmt(d):
    return d.strftime("%d/%m/%Y")


# --- the list ----------------------------------------------------------------------------

def test_financeiro_lists_the_buyers_boletos_with_their_situation(maria):
    response = maria.get("/financeiro/")
    assert response.status_code == 200
    page = text(response)
    for column in ("ID Processo Compra (Contrato)", "Nº do documento", "Valor", "Vencimento",
                   "Situação"):
        assert column in page
    assert "Pago" in page and "Vencido" in page and "Em aberto" in page
    assert response.headers["Cache-Control"] == "no-store"


def test_financeiro_never_shows_another_buyers_boleto(maria):
    with db.connection_context():
        alheio = helpers.boleto_em_dia(helpers.JOSE_CPF)
    assert alheio.numero_documento not in text(maria.get("/financeiro/"))


def test_each_row_has_acoes_with_pdf_copy_and_new_boleto_only_when_overdue(maria, vencido):
    html = maria.get("/financeiro/").get_data(as_text=True)
    assert html.count('<details class="acoes">') == 4  # A and D (paid), B (overdue), C (open)
    assert "Visualizar boleto" in html and "Copiar linha digitável" in html
    assert html.count("Gerar novo Boleto</a>") == 1
    assert f'/financeiro/boletos/{vencido.id}/novo"' in html
    pdf = rf'/financeiro/boletos/{vencido.id}/boleto.pdf\?acesso=[^"]+" target="_blank"'
    assert re.search(pdf, html)  # signed: it opens in a tab outside a frame too
    # With JavaScript a button copies; without, a link leads to the line on the boleto page.
    assert f'data-copiar="linha-{vencido.id}"' in html
    assert f'href="/financeiro/boletos/{vencido.id}#linha-digitavel"' in html


def test_financeiro_needs_login(client, demo):
    response = client.get("/financeiro/")
    assert response.status_code == 303 and "/entrar?next=/financeiro/" in response.headers["Location"]


def test_agent_does_not_see_financeiro_in_the_menu(agente):
    assert 'href="/financeiro/"' not in agente.get("/pagamentos/").get_data(as_text=True)


# --- the boleto page and PDF -------------------------------------------------------------

def test_boleto_page_shows_line_amount_due_date_pix_and_pdf(maria):
    with db.connection_context():
        boleto = helpers.boleto_em_dia()
    response = maria.get(f"/financeiro/boletos/{boleto.id}")
    page = text(response)
    assert febraban.format_digitable_line(boleto.linha_digitavel) in page
    assert fmt(boleto.vencimento) in page and "R$ 300,00" in page
    html = response.get_data(as_text=True)
    assert boleto.pix_copia_e_cola in html and "<svg" in html and "QR Code PIX" in html
    assert f"/financeiro/boletos/{boleto.id}/boleto.pdf" in html


@pytest.mark.parametrize("config_overrides", [{"PIX_CHAVE": ""}])
def test_without_a_pix_key_there_is_no_pix(maria):
    chave = maria.get("/solicite-agora/confirmar?quantidade=1").get_data(as_text=True)
    chave = re.search(r'name="chave" type="hidden" value="(\w+)"', chave).group(1)
    location = maria.post("/solicite-agora/confirmar",
                          data={"quantidade": "1", "chave": chave}).headers["Location"]
    page = text(maria.get(location))
    assert "Linha digitável" in page and "PIX" not in page


def test_pdf_is_served_inline(maria, vencido):
    response = maria.get(f"/financeiro/boletos/{vencido.id}/boleto.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.data.startswith(b"%PDF")


@pytest.mark.parametrize("suffix", ["", "/boleto.pdf", "/novo"])
def test_another_buyers_boleto_is_404(maria, suffix):
    with db.connection_context():
        alheio = helpers.boleto_em_dia(helpers.JOSE_CPF)
    assert maria.get(f"/financeiro/boletos/{alheio.id}{suffix}").status_code == 404


def test_unknown_boleto_is_404(maria):
    assert maria.get("/financeiro/boletos/999999").status_code == 404
    assert maria.post("/financeiro/boletos/999999/novo", data={}).status_code == 404


def test_posting_a_new_boleto_for_someone_elses_boleto_is_404_and_changes_nothing(maria):
    with db.connection_context():
        alheio = helpers.boleto_em_dia(helpers.JOSE_CPF)
    response = maria.post(f"/financeiro/boletos/{alheio.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()})
    assert response.status_code == 404
    with db.connection_context():
        assert Boleto.get_by_id(alheio.id).situacao == "em_aberto"


# --- "Gerar novo Boleto" -----------------------------------------------------------------

def test_new_boleto_page_shows_the_terms_a_checkbox_and_a_date_field(maria, vencido):
    response = maria.get(f"/financeiro/boletos/{vencido.id}/novo")
    assert response.status_code == 200
    page = text(response)
    limite = vencido.vencimento_original + timedelta(days=10)
    assert "mesmo valor" in page and "sem multa nem juros" in page
    assert "não deve mais ser pago" in page
    assert fmt(limite) in page and "cancelados" in page and "Solicite agora" in page
    html = response.get_data(as_text=True)
    assert 'type="checkbox"' in html and 'name="aceite"' in html
    assert 'type="date"' in html
    assert f'min="{hoje().isoformat()}"' in html and f'max="{limite.isoformat()}"' in html


@pytest.mark.parametrize("typed", ["iso", "br"])
def test_accepting_and_choosing_a_date_gives_a_new_boleto(maria, vencido, typed, app):
    nova = hoje() + timedelta(days=2)
    valor = nova.isoformat() if typed == "iso" else fmt(nova)
    response = maria.post(f"/financeiro/boletos/{vencido.id}/novo",
                          data={"aceite": "y", "vencimento": valor})
    assert response.status_code == 303
    with db.connection_context():
        novo = Boleto.get(Boleto.substitui == vencido.id)
        assert Boleto.get_by_id(vencido.id).situacao == "substituido"
    assert response.headers["Location"] == f"/financeiro/boletos/{novo.id}"
    page = text(maria.get(response.headers["Location"]))
    assert "Novo boleto gerado" in page and fmt(nova) in page
    assert febraban.format_digitable_line(novo.linha_digitavel) in page
    assert novo.linha_digitavel != vencido.linha_digitavel
    lista = text(maria.get("/financeiro/"))
    assert "Substituído" in lista and novo.numero_documento in lista
    old_page = text(maria.get(f"/financeiro/boletos/{vencido.id}"))
    assert "Substituído" in old_page and "não deve mais ser pago" in old_page


def test_double_submit_gives_one_new_boleto(maria, vencido):
    data = {"aceite": "y", "vencimento": (hoje() + timedelta(days=2)).isoformat()}
    primeiro = maria.post(f"/financeiro/boletos/{vencido.id}/novo", data=data)
    segundo = maria.post(f"/financeiro/boletos/{vencido.id}/novo", data=data)
    assert primeiro.headers["Location"] == segundo.headers["Location"]
    assert "já foi substituído" in text(maria.get(segundo.headers["Location"]))
    with db.connection_context():
        assert Boleto.select().where(Boleto.substitui == vencido.id).count() == 1
        assert Email.select().where(Email.assunto.contains("novo boleto")).count() == 1


@pytest.mark.parametrize("aceite, vencimento, campo, message", [
    ("", "+2", "aceite", "Aceite os termos"),
    ("y", "", "vencimento", "Informe a data"),
    ("y", "amanhã", "vencimento", "formato dd/mm/aaaa"),
    ("y", "31/02/2027", "vencimento", "não existe"),
    ("y", "2026-99-99", "vencimento", "não existe"),
    ("y", "-1", "vencimento", "já passou"),
    ("y", "+30", "vencimento", "10 dias após o vencimento original"),
])
def test_bad_input_is_refused_at_the_field_and_kept(maria, vencido, aceite, vencimento, campo,
                                                    message):
    if vencimento[:1] in "+-" and vencimento[1:].isdigit():
        vencimento = (hoje() + timedelta(days=int(vencimento))).isoformat()
    data = {"vencimento": vencimento, **({"aceite": aceite} if aceite else {})}
    response = maria.post(f"/financeiro/boletos/{vencido.id}/novo", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in text(response)
    assert text(response).startswith("Erro: Gerar novo Boleto")
    assert f'id="{campo}-erro"' in html
    if vencimento:
        assert f'value="{vencimento}"' in html
    if aceite:
        assert 'checked' in html
    with db.connection_context():
        assert Boleto.get_by_id(vencido.id).situacao == "em_aberto"
        assert not Boleto.select().where(Boleto.substitui == vencido.id).exists()


def test_the_new_boleto_form_posts_in_place_with_htmx_and_as_a_plain_form_without(maria,
                                                                                 vencido):
    html = maria.get(f"/financeiro/boletos/{vencido.id}/novo").get_data(as_text=True)
    acao = f"/financeiro/boletos/{vencido.id}/novo"
    assert f'<form method="post" action="{acao}"' in html
    assert f'hx-post="{acao}" hx-target="#financeiro"' in html
    assert '<div id="financeiro">' in html


def test_htmx_submit_with_errors_swaps_the_form_in_place_with_422(maria, vencido):
    nova = (hoje() + timedelta(days=2)).isoformat()
    response = maria.post(f"/financeiro/boletos/{vencido.id}/novo", data={"vencimento": nova},
                          headers=htmx_headers())
    assert response.status_code == 422
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == "false"  # same address: no history entry
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<header" not in html  # only the fragment
    assert 'data-titulo="Erro: Gerar novo Boleto' in html
    assert 'class="erro-resumo"' in html and 'href="#aceite"' in html
    assert 'id="aceite-erro"' in html and "Aceite os termos" in html
    assert f'value="{nova}"' in html
    with db.connection_context():
        assert Boleto.get_by_id(vencido.id).situacao == "em_aberto"


def test_htmx_submit_that_succeeds_redirects_to_the_new_boleto_fragment(maria, vencido):
    nova = hoje() + timedelta(days=2)
    response = maria.post(f"/financeiro/boletos/{vencido.id}/novo",
                          data={"aceite": "y", "vencimento": nova.isoformat()},
                          headers=htmx_headers())
    assert response.status_code == 303
    with db.connection_context():
        novo = Boleto.get(Boleto.substitui == vencido.id)
    assert response.headers["Location"] == f"/financeiro/boletos/{novo.id}"
    # htmx follows the redirect with its headers and swaps what comes back.
    seguido = maria.get(response.headers["Location"], headers=htmx_headers())
    html = seguido.get_data(as_text=True)
    assert seguido.status_code == 200 and "HX-Request" in seguido.headers["Vary"]
    assert "<html" not in html and f'data-titulo="Boleto {novo.numero_documento}' in html
    assert "Novo boleto gerado" in html and fmt(nova) in html


def test_without_js_the_success_message_shows_once_on_the_full_page(maria, vencido):
    response = maria.post(f"/financeiro/boletos/{vencido.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()})
    html = maria.get(response.headers["Location"]).get_data(as_text=True)
    assert "<html" in html and html.count("Novo boleto gerado") == 1


def test_htmx_submit_for_a_boleto_that_cannot_be_replaced_explains_in_place(maria):
    with db.connection_context():
        em_dia = helpers.boleto_em_dia()
    response = maria.post(f"/financeiro/boletos/{em_dia.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()},
                          headers=htmx_headers())
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "<html" not in html and "ainda não venceu" in html


def test_a_boleto_paid_while_the_form_was_open_is_explained_not_replaced(maria, vencido,
                                                                         monkeypatch):
    from services.nucleo.ciclo_de_vida import EstadoAlterado

    def alterado(*args, **kwargs):
        with db.connection_context():
            Boleto.update(situacao="pago").where(Boleto.id == vencido.id).execute()
        raise EstadoAlterado("Este boleto foi alterado enquanto você o via.")

    monkeypatch.setattr(boletos, "gerar_novo_boleto", alterado)
    response = maria.post(f"/financeiro/boletos/{vencido.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()},
                          headers=htmx_headers())
    assert response.status_code == 409
    page = text(response)
    assert "alterado enquanto você o via" in page and "está pago" in page
    assert 'name="aceite"' not in response.get_data(as_text=True)


# --- pages of boletos --------------------------------------------------------------------

def cartoes(response):
    return response.get_data(as_text=True).count('<li class="cartao" id="boleto-')


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 3}])
def test_financeiro_shows_page_size_boletos_a_page_with_previous_and_next(maria):
    primeira = maria.get("/financeiro/")
    assert cartoes(primeira) == 3
    assert "4 boletos" in text(primeira)
    html = primeira.get_data(as_text=True)
    ultimo = re.findall(r'id="boleto-(\d+)"', html)[-1]
    assert f'href="/financeiro/?depois={ultimo}"' in html and "Anterior</a>" not in html
    segunda = maria.get(f"/financeiro/?depois={ultimo}")
    html2 = segunda.get_data(as_text=True)
    assert cartoes(segunda) == 1 and "Próxima</a>" not in html2
    antes = re.findall(r'id="boleto-(\d+)"', html2)[0]
    assert f'href="/financeiro/?antes={antes}"' in html2
    ids = {m for r in (primeira, segunda)
           for m in re.findall(r'id="boleto-(\d+)"', r.get_data(as_text=True))}
    assert len(ids) == 4  # every boleto once
    fim = maria.get("/financeiro/?depois=1")  # past the end: the last page (the oldest 3)
    assert cartoes(fim) == 3 and "Próxima</a>" not in fim.get_data(as_text=True)


@pytest.mark.parametrize("config_overrides", [{"PAGE_SIZE": 3}])
def test_htmx_page_change_returns_only_the_list(maria):
    primeira = re.findall(r'id="boleto-(\d+)"', maria.get("/financeiro/").get_data(as_text=True))
    response = maria.get(f"/financeiro/?depois={primeira[-1]}", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in html and "<h1" not in html and cartoes(response) == 1
    antes = re.findall(r'id="boleto-(\d+)"', html)[0]
    assert f'hx-get="/financeiro/?antes={antes}" hx-target="#resultados"' in html


def test_boleto_not_yet_due_cannot_be_replaced(maria):
    with db.connection_context():
        em_dia = helpers.boleto_em_dia()
    response = maria.get(f"/financeiro/boletos/{em_dia.id}/novo")
    assert response.status_code == 200
    assert "ainda não venceu" in text(response) and 'name="aceite"' not in response.get_data(as_text=True)
    response = maria.post(f"/financeiro/boletos/{em_dia.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()})
    assert response.status_code == 409
    with db.connection_context():
        assert Boleto.get_by_id(em_dia.id).situacao == "em_aberto"


def test_paid_boleto_cannot_be_replaced(maria):
    with db.connection_context():
        pago = helpers.boleto_pago()
    response = maria.post(f"/financeiro/boletos/{pago.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()})
    assert response.status_code == 409
    assert "pago" in text(response)


def test_after_the_window_the_page_explains_cancellation_and_how_to_buy_again(maria, app):
    with db.connection_context():
        processo = helpers.nova_compra(app, hoje() - timedelta(days=11))
        boleto = processo.boletos.get()
    response = maria.get(f"/financeiro/boletos/{boleto.id}/novo")
    page = text(response)
    assert "prazo para gerar um novo boleto terminou" in page
    assert "será cancelada" in page and "Solicite agora" in page
    assert 'name="aceite"' not in response.get_data(as_text=True)
    lista = maria.get("/financeiro/").get_data(as_text=True)
    assert f'id="boleto-{boleto.id}"' in lista
    assert f'/financeiro/boletos/{boleto.id}/novo"' not in lista
    response = maria.post(f"/financeiro/boletos/{boleto.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()})
    assert response.status_code == 409


def test_last_day_of_the_window_is_still_accepted(maria, app):
    with db.connection_context():
        boleto = helpers.nova_compra(app, hoje() - timedelta(days=10)).boletos.get()
    response = maria.post(f"/financeiro/boletos/{boleto.id}/novo",
                          data={"aceite": "y", "vencimento": hoje().isoformat()})
    assert response.status_code == 303


def test_the_replacement_can_itself_be_replaced_within_the_same_window(maria, app):
    with db.connection_context():
        primeiro = helpers.nova_compra(app, hoje() - timedelta(days=8)).boletos.get()
    maria.post(f"/financeiro/boletos/{primeiro.id}/novo",
               data={"aceite": "y", "vencimento": hoje().isoformat()})
    with db.connection_context():
        segundo = Boleto.get(Boleto.substitui == primeiro.id)
        Boleto.update(vencimento=hoje() - timedelta(days=1)).where(Boleto.id == segundo.id).execute()
    response = maria.get(f"/financeiro/boletos/{segundo.id}/novo")
    assert fmt(primeiro.vencimento_original + timedelta(days=10)) in text(response)
    response = maria.post(f"/financeiro/boletos/{segundo.id}/novo",
                          data={"aceite": "y", "vencimento": (hoje() + timedelta(days=3)).isoformat()})
    assert response.status_code == 422  # beyond original + 10, though within new + 10


def test_boleto_pdf_served_by_the_app_scans_as_its_barcode_and_pix(maria, vencido, tmp_path):
    from tests.support.pdf import scanned

    pdf = maria.get(f"/financeiro/boletos/{vencido.id}/boleto.pdf").data
    assert scanned(pdf, tmp_path, "-Si25.enable", "-Sqrcode.disable") == vencido.codigo_barras
    assert scanned(pdf, tmp_path, "-Sdisable", "-Sqrcode.enable") == vencido.pix_copia_e_cola


def test_boleto_pdf_shows_payer_amount_and_line(maria, vencido):
    import io

    from pypdf import PdfReader

    pdf = maria.get(f"/financeiro/boletos/{vencido.id}/boleto.pdf").data
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # Maria buys for the Prefeitura: the boleto is the organisation's (test_pagador_organizacao).
    assert "Prefeitura Municipal de Exemplo - CNPJ 11.222.333/0001-81" in page
    assert "R$ 150,00" in page and fmt(vencido.vencimento) in page
    assert febraban.format_digitable_line(vencido.linha_digitavel) in page
