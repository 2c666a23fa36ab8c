from datetime import date

import pytest

from services.titular.pessoa import (
    DOCUMENTO_TIPOS,
    UFS,
    clean_celular,
    clean_cep,
    clean_cpf,
    clean_data_emissao,
    clean_data_nascimento,
    clean_documento_numero,
    clean_email,
    clean_nome,
    clean_uf,
    format_celular,
    format_cep,
)

TODAY = date(2026, 12, 21)


@pytest.mark.parametrize(
    "text, digits",
    [
        ("123.456.789-09", "12345678909"),
        ("111.444.777-35", "11144477735"),
        ("529.982.247-25", "52998224725"),
        ("52998224725", "52998224725"),
        (" 529 982 247 25 ", "52998224725"),
    ],
)
def test_valid_cpf_is_accepted_with_or_without_punctuation(text, digits):
    assert clean_cpf(text) == digits


@pytest.mark.parametrize(
    "text",
    ["111.111.111-11", "000.000.000-00", "123.456.789-00", "123.abc.789-09", "1234567890", "", "   "],
)
def test_invalid_cpf_is_refused(text):
    with pytest.raises(ValueError):
        clean_cpf(text)


def test_cpf_with_letters_gets_a_clear_message():
    with pytest.raises(ValueError, match="apenas números"):
        clean_cpf("123.abc.789-09")


@pytest.mark.parametrize(
    "text, nome",
    [
        ("Maria da Silva", "Maria da Silva"),
        ("  João   Conceição  ", "João Conceição"),
        ("Ana D'Ávila", "Ana D'Ávila"),
        ("Ana-Clara Müller", "Ana-Clara Müller"),
    ],
)
def test_valid_name_is_cleaned(text, nome):
    assert clean_nome(text) == nome


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Informe"),
        ("Maria", "sobrenome"),
        ("Maria 2 Silva", "apenas letras"),
        ("Maria_Silva Souza", "apenas letras"),
        ("Maria - Silva", "apenas letras"),
        ("Maria " + "a" * 120, "120"),
    ],
)
def test_invalid_name_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        clean_nome(text)


@pytest.mark.parametrize("birth", [date(1985, 3, 7), date(2008, 12, 21), date(1900, 1, 1)])
def test_adult_birth_date_is_accepted(birth):
    assert clean_data_nascimento(birth, TODAY) == birth


def test_minor_is_told_about_guardian_and_in_person_service():
    with pytest.raises(ValueError) as exc:
        clean_data_nascimento(date(2008, 12, 22), TODAY)
    assert "responsável legal" in str(exc.value)
    assert "presencial" in str(exc.value)


@pytest.mark.parametrize("birth", [date(2026, 12, 22), date(1899, 12, 31)])
def test_impossible_birth_date_is_refused(birth):
    with pytest.raises(ValueError):
        clean_data_nascimento(birth, TODAY)


def test_leap_day_birthday_counts_from_first_of_march():
    birth = date(2008, 2, 29)
    with pytest.raises(ValueError):
        clean_data_nascimento(birth, date(2026, 2, 28))
    assert clean_data_nascimento(birth, date(2026, 3, 1)) == birth


@pytest.mark.parametrize(
    "text",
    ["(11) 98765-4321", "+55 11 987654321", "+55 (11) 98765-4321", "11987654321", "11 98765 4321"],
)
def test_mobile_number_is_accepted_in_usual_formats(text):
    assert clean_celular(text) == "11987654321"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Informe"),
        ("(11) 8765-4321", "11 dígitos"),
        ("(11) 88765-4321", "começa com 9"),
        ("(20) 98765-4321", "DDD"),
        ("(10) 98765-4321", "DDD"),
        ("11 9876a-4321", "apenas números"),
    ],
)
def test_invalid_mobile_number_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        clean_celular(text)


def test_mobile_number_is_formatted():
    assert format_celular("11987654321") == "(11) 98765-4321"


@pytest.mark.parametrize("text", ["01310-100", "01310100", "01.310-100"])
def test_cep_is_accepted_with_or_without_dash(text):
    assert clean_cep(text) == "01310100"


@pytest.mark.parametrize("text", ["", "0131-100", "013101000", "01310-10a", "00000-000"])
def test_invalid_cep_is_refused(text):
    with pytest.raises(ValueError):
        clean_cep(text)


def test_cep_is_formatted():
    assert format_cep("01310100") == "01310-100"


def test_all_27_ufs_are_listed_in_order():
    assert len(UFS) == 27
    assert list(UFS) == sorted(UFS)
    assert UFS["SP"] == "São Paulo"
    assert UFS["DF"] == "Distrito Federal"


@pytest.mark.parametrize("text, uf", [("SP", "SP"), (" rj ", "RJ")])
def test_uf_is_accepted_in_any_case(text, uf):
    assert clean_uf(text) == uf


@pytest.mark.parametrize("text", ["", "XX", "São Paulo"])
def test_invalid_uf_is_refused(text):
    with pytest.raises(ValueError):
        clean_uf(text)


@pytest.mark.parametrize(
    "text, numero",
    [("12.345.678-x", "12345678X"), ("MG-12.345.678", "MG12345678"), ("FZ123456", "FZ123456")],
)
def test_document_number_is_cleaned(text, numero):
    assert clean_documento_numero(text) == numero


@pytest.mark.parametrize("text", ["", "ABC-DEF", "12#345", "1234567890123456"])
def test_invalid_document_number_is_refused(text):
    with pytest.raises(ValueError):
        clean_documento_numero(text)


def test_document_issue_date_between_birth_and_today_is_accepted():
    assert clean_data_emissao(date(2010, 5, 4), date(1985, 3, 7), TODAY) == date(2010, 5, 4)


@pytest.mark.parametrize("issue", [date(2026, 12, 22), date(1985, 3, 6)])
def test_document_issue_date_in_future_or_before_birth_is_refused(issue):
    with pytest.raises(ValueError):
        clean_data_emissao(issue, date(1985, 3, 7), TODAY)


@pytest.mark.parametrize(
    "text, email",
    [("maria@exemplo.com.br", "maria@exemplo.com.br"), (" Maria@Exemplo.COM.br ", "Maria@exemplo.com.br")],
)
def test_valid_email_is_accepted(text, email):
    assert clean_email(text) == email


@pytest.mark.parametrize("text", ["", "maria", "maria@", "maria@exemplo", "ma ria@exemplo.com.br"])
def test_invalid_email_is_refused(text):
    with pytest.raises(ValueError):
        clean_email(text)


def test_document_types_offered():
    assert DOCUMENTO_TIPOS == ["RG", "CNH", "Passaporte", "Carteira de conselho profissional", "CNE/CRNM"]
