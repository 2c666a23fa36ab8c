"""The request's step rules (services/solicitacoes.py), without a database."""
from datetime import date, datetime

import pytest

from services.titular import solicitacoes

from services.titular import termo_pdf
from services.titular import termos
from services.titular.solicitacoes import acao_envio, completa, entrada_de, limpar, primeira_incompleta
from models import Solicitacao, Certificado

HOJE = date(2026, 12, 21)
BONS = {
    "dados": {"nome": " Ana   Maria Souza ", "nascimento_dia": "7", "nascimento_mes": "4",
              "nascimento_ano": "1988"},
    "contato": {"email": "Ana@Example.com", "celular": "+55 (11) 98765-4321"},
    "endereco": {"cep": "01310-100", "logradouro": "Av. Paulista", "numero": "S/N",
                 "complemento": "", "bairro": "Bela Vista", "cidade": "São Paulo", "uf": "sp"},
    "documento": {"doc_tipo": "CNH", "doc_numero": "0123 4567-890", "doc_emissor": "detran",
                  "doc_uf": "SP", "emissao_dia": "02", "emissao_mes": "05",
                  "emissao_ano": "2019"},
}


def test_valid_steps_are_cleaned_to_what_is_stored():
    assert limpar("dados", BONS["dados"], HOJE) == (
        {"nome": "Ana Maria Souza", "data_nascimento": date(1988, 4, 7)}, {})
    assert limpar("contato", BONS["contato"], HOJE) == (
        {"email": "Ana@example.com", "celular": "11987654321"}, {})
    valores, erros = limpar("endereco", BONS["endereco"], HOJE)
    assert not erros and valores["cep"] == "01310100" and valores["uf"] == "SP"
    valores, erros = limpar("documento", BONS["documento"], HOJE, date(1988, 4, 7))
    assert not erros
    assert (valores["doc_numero"], valores["doc_emissor"], valores["doc_data_emissao"]) == (
        "01234567890", "DETRAN", date(2019, 5, 2))


@pytest.mark.parametrize("partes, mensagem", [
    (("", "4", "1988"), "completa"),
    (("31", "04", "1988"), "não existe"),
    (("29", "02", "1987"), "não existe"),
    (("7", "4", "88"), "só números"),
    (("7", "abr", "1988"), "só números"),
    (("7", "4", "2027"), "futuro"),
    (("7", "4", "1850"), "Confira"),
    (("22", "12", "2008"), "responsável legal"),
])
def test_bad_birth_dates_get_one_message_on_the_group(partes, mensagem):
    dia, mes, ano = partes
    _, erros = limpar("dados", {**BONS["dados"], "nascimento_dia": dia, "nascimento_mes": mes,
                                "nascimento_ano": ano}, HOJE)
    assert list(erros) == ["nascimento_dia"] and mensagem in erros["nascimento_dia"]


def test_leap_day_birth_is_a_real_date():
    valores, erros = limpar("dados", {**BONS["dados"], "nascimento_dia": "29",
                                      "nascimento_mes": "02", "nascimento_ano": "1988"}, HOJE)
    assert not erros and valores["data_nascimento"] == date(1988, 2, 29)


def test_every_bad_field_of_a_step_is_reported_at_once():
    _, erros = limpar("endereco", {"cep": "123", "logradouro": "", "numero": "",
                                   "bairro": "", "cidade": "x" * 61, "uf": "ZZ"}, HOJE)
    assert set(erros) == {"cep", "logradouro", "numero", "bairro", "cidade", "uf"}
    assert "S/N" in erros["numero"] and "60" in erros["cidade"]


def test_complement_is_optional_but_limited():
    _, erros = limpar("endereco", {**BONS["endereco"], "complemento": "c" * 61}, HOJE)
    assert list(erros) == ["complemento"]


def test_issue_date_before_birth_is_refused():
    _, erros = limpar("documento", {**BONS["documento"], "emissao_ano": "1980"}, HOJE,
                      date(1988, 4, 7))
    assert "anterior ao nascimento" in erros["emissao_dia"]


def test_unknown_document_type_is_refused():
    _, erros = limpar("documento", {**BONS["documento"], "doc_tipo": "Certidão"}, HOJE,
                      date(1988, 4, 7))
    assert list(erros) == ["doc_tipo"]


def _solicitacao(**campos):
    return Solicitacao(**campos)


def test_stored_values_round_trip_through_the_form_and_the_rules():
    s = _solicitacao()
    for etapa in solicitacoes.ETAPAS:
        valores, erros = limpar(etapa, BONS[etapa], HOJE, s.data_nascimento)
        assert not erros
        for nome, valor in valores.items():
            setattr(s, nome, valor)
    for etapa in solicitacoes.ETAPAS:
        assert completa(s, etapa, HOJE), etapa
        assert limpar(etapa, entrada_de(s, etapa), HOJE, s.data_nascimento)[0] == \
            limpar(etapa, BONS[etapa], HOJE, s.data_nascimento)[0]
    assert primeira_incompleta(s, HOJE) is None


def test_first_incomplete_step_follows_the_order():
    s = _solicitacao(email="ana@example.com")
    assert primeira_incompleta(s, HOJE) == "dados"
    s.nome, s.data_nascimento = "Ana Souza", date(1988, 4, 7)
    assert primeira_incompleta(s, HOJE) == "contato"
    s.celular = "11987654321"
    assert primeira_incompleta(s, HOJE) == "endereco"


def test_a_new_birth_date_can_make_the_document_step_incomplete_again():
    s = _solicitacao(nome="Ana Souza", data_nascimento=date(1988, 4, 7))
    documento = {**BONS["documento"], "emissao_ano": "2006"}
    for etapa, entrada in (("contato", BONS["contato"]), ("endereco", BONS["endereco"]),
                           ("documento", documento)):
        for nome, valor in limpar(etapa, entrada, HOJE, s.data_nascimento)[0].items():
            setattr(s, nome, valor)
    assert primeira_incompleta(s, HOJE) is None
    s.data_nascimento = date(2007, 1, 1)  # now born after the document was issued
    assert primeira_incompleta(s, HOJE) == "documento"


@pytest.mark.parametrize("situacao, acao", [
    ("atribuido", "solicitar"), ("solicitado", "corrigir"), ("agendado", "corrigir"),
    ("pendente_correcao", "corrigir"),
])
def test_sending_requests_emission_once_then_corrects(situacao, acao):
    assert acao_envio(situacao) == acao


def test_the_termo_data_come_from_the_request():
    s = _solicitacao(nome="Ana Souza", data_nascimento=date(1988, 4, 7), email="a@b.com",
                     doc_tipo="CNH", doc_numero="123", doc_emissor="DETRAN", doc_uf="SP")
    certificado = Certificado(titular_cpf="12345678909")
    dados = termos.dados_termo(s, certificado, "2026000001", 2, datetime(2026, 1, 2, 3, 4))
    assert dados.cpf == "12345678909" and dados.versao == 2 and dados.processo_id == "2026000001"
    assert dados.gerado_em.utcoffset().total_seconds() == 0
    # The same data and instant always give the same code: a stored termo can be re-checked.
    assert termo_pdf.verification_code(dados) == termo_pdf.verification_code(
        termos.dados_termo(s, certificado, "2026000001", 2, datetime(2026, 1, 2, 3, 4)))
