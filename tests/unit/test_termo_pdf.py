import dataclasses
import hashlib
import io
import re
from datetime import date, datetime, timedelta, timezone

import pypdf
import pytest

from services.titular.termo_pdf import DECLARACOES, TITULO, TermoData, render_termo_pdf, verification_code

DATA = TermoData(
    nome="Maria José da Silva D'Ávila",
    cpf="12345678909",
    data_nascimento=date(1985, 3, 7),
    email="maria.jose@exemplo.com.br",
    documento_tipo="RG",
    documento_numero="123456789",
    documento_emissor="SSP",
    documento_uf="SP",
    processo_id="PC-2026-000123",
    versao=2,
    gerado_em=datetime(2026, 12, 14, 13, 5, tzinfo=timezone.utc),
)


def pdf_text(data: TermoData = DATA) -> str:
    reader = pypdf.PdfReader(io.BytesIO(render_termo_pdf(data)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())  # clauses wrap over lines


def test_termo_shows_title_and_certificate_type():
    text = pdf_text()
    assert TITULO in text
    assert "e-CPF A1, validade de 12 meses" in text


def test_termo_identifies_the_holder():
    text = pdf_text()
    assert "Maria José da Silva D'Ávila" in text
    assert "123.456.789-09" in text
    assert "07/03/1985" in text
    assert "maria.jose@exemplo.com.br" in text
    assert "RG" in text and "123456789" in text and "SSP / SP" in text


def test_termo_shows_purchase_id():
    assert "ID Processo Compra (Contrato): PC-2026-000123" in pdf_text()


@pytest.mark.parametrize("number, clause", list(enumerate(DECLARACOES, start=1)))
def test_termo_lists_each_declaration_numbered(number, clause):
    assert f"{number}. {clause}" in pdf_text()


def test_declarations_cover_lgpd():
    assert any("Lei nº 13.709/2018" in clause for clause in DECLARACOES)


def test_termo_shows_generation_time_in_brasilia():
    # 13:05 UTC is 10:05 in São Paulo.
    assert "14/12/2026 às 10:05" in pdf_text()


def test_termo_shows_version_and_verification_code():
    text = pdf_text()
    assert "Versão: 2" in text
    assert f"Código de verificação: {verification_code(DATA)}" in text


def test_verification_code_format():
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", verification_code(DATA))


def test_same_content_gives_same_bytes():
    first = hashlib.sha256(render_termo_pdf(DATA)).hexdigest()
    again = hashlib.sha256(render_termo_pdf(dataclasses.replace(DATA))).hexdigest()
    assert first == again


def test_same_content_gives_same_code():
    assert verification_code(DATA) == verification_code(dataclasses.replace(DATA))


def test_same_instant_in_another_zone_gives_same_code():
    brt = timezone(timedelta(hours=-3))
    other = dataclasses.replace(DATA, gerado_em=DATA.gerado_em.astimezone(brt))
    assert verification_code(other) == verification_code(DATA)


@pytest.mark.parametrize(
    "change",
    [
        {"nome": "Maria José da Silva"},
        {"cpf": "11144477735"},
        {"data_nascimento": date(1985, 3, 8)},
        {"email": "outra@exemplo.com.br"},
        {"documento_numero": "123456780"},
        {"processo_id": "PC-2026-000124"},
        {"versao": 3},
        {"gerado_em": DATA.gerado_em + timedelta(minutes=1)},
    ],
)
def test_code_and_bytes_change_when_content_changes(change):
    changed = dataclasses.replace(DATA, **change)
    assert verification_code(changed) != verification_code(DATA)
    assert render_termo_pdf(changed) != render_termo_pdf(DATA)


def test_naive_generation_time_is_rejected():
    with pytest.raises(ValueError):
        dataclasses.replace(DATA, gerado_em=datetime(2026, 12, 14, 10, 5))


def test_name_outside_pdf_charset_still_renders():
    # ț is not in windows-1252: it is printed as its base letter.
    text = pdf_text(dataclasses.replace(DATA, nome="Ionuț Popescu"))
    assert "Nome: Ionut Popescu" in text
