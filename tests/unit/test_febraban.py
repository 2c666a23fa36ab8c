"""Boleto numbers, checked against the worked examples of docs/dominio.md §8."""

from datetime import date

import pytest

from services.pagamento.febraban import (
    BoletoNumbers,
    barcode,
    barcode_from_digitable_line,
    bb_free_field,
    digitable_line,
    due_date_factor,
    format_digitable_line,
    make_boleto_numbers,
    mod10_dv,
    mod11_general_dv,
    nosso_numero,
    parse_digitable_line,
)

BB_BARCODE = "00196490000002952950000007777777000008765418"
BB_LINE = "00190.00009 07777.777009 00087.654182 6 49000000295295"
ITAU_BARCODE = "34199439500000029801090000015710293013280000"
ITAU_LINE = "34191.09008 00015.710296 30132.800001 9 43950000002980"
AFTER_RESET_BARCODE = "00192101600000150000000001234567000000000117"
AFTER_RESET_LINE = "00190.00009 01234.567004 00000.001172 2 10160000015000"


def digits(text: str) -> str:
    return text.replace(".", "").replace(" ", "")


# Due-date factor

@pytest.mark.parametrize(
    ("due", "factor"),
    [
        (date(2014, 1, 18), 5947),
        (date(2017, 1, 21), 7046),
        (date(2025, 2, 21), 9999),
        (date(2025, 2, 22), 1000),
        (date(2025, 2, 23), 1001),
        (date(2025, 3, 10), 1016),
    ],
)
def test_factor_matches_febraban_vectors(due, factor):
    assert due_date_factor(due) == factor


def test_factor_range_starts_at_1000_on_3_july_2000():
    assert due_date_factor(date(2000, 7, 3)) == 1000


def test_factor_range_ends_at_9999_on_13_october_2049():
    assert due_date_factor(date(2049, 10, 13)) == 9999


@pytest.mark.parametrize("due", [date(2000, 7, 2), date(2049, 10, 14)])
def test_due_dates_outside_the_factor_range_are_refused(due):
    with pytest.raises(ValueError, match="vencimento"):
        due_date_factor(due)


# Check digits

def test_general_dv_of_the_bb_example_is_6():
    assert mod11_general_dv(BB_BARCODE[:4] + BB_BARCODE[5:]) == 6


def test_general_dv_is_1_when_mod11_gives_10():
    code = "00191999900000150000000001234567000000000117"
    assert mod11_general_dv(code[:4] + code[5:]) == 1


def test_general_dv_needs_43_digits():
    with pytest.raises(ValueError):
        mod11_general_dv("123")


@pytest.mark.parametrize(
    ("field", "dv"),
    [("001900000", 9), ("0777777700", 9), ("0008765418", 2), ("341910900", 8)],
)
def test_field_dv_mod10_matches_printed_lines(field, dv):
    assert mod10_dv(field) == dv


def test_field_dv_refuses_non_digits():
    with pytest.raises(ValueError):
        mod10_dv("12a4")


# Banco do Brasil free field and nosso número

def test_bb_free_field_is_zeros_agreement_sequence_carteira():
    assert bb_free_field("1234567", 1) == "0000001234567000000000117"


def test_bb_free_field_takes_another_carteira():
    assert bb_free_field("7777777", 87654, carteira="18") == "0000007777777000008765418"


def test_nosso_numero_is_agreement_and_ten_digit_sequence():
    assert nosso_numero("1234567", 1) == "12345670000000001"


@pytest.mark.parametrize(("convenio", "sequencia"), [("123456", 1), ("1234567", -1), ("1234567", 10**10)])
def test_nosso_numero_refuses_bad_agreement_or_sequence(convenio, sequencia):
    with pytest.raises(ValueError):
        nosso_numero(convenio, sequencia)


# Barcode

def test_barcode_of_the_bb_example():
    free = bb_free_field("7777777", 87654, carteira="18")
    assert barcode("001", date(2011, 3, 8), 295295, free) == BB_BARCODE


def test_barcode_of_the_itau_example():
    assert barcode("341", date(2009, 10, 19), 2980, ITAU_BARCODE[19:]) == ITAU_BARCODE


def test_barcode_after_the_factor_reset():
    assert barcode("001", date(2025, 3, 10), 15000, bb_free_field("1234567", 1)) == AFTER_RESET_BARCODE


def test_barcode_on_the_last_day_before_the_reset_has_dv_1():
    code = barcode("001", date(2025, 2, 21), 15000, bb_free_field("1234567", 1))
    assert code == "00191999900000150000000001234567000000000117"


def test_new_due_date_gives_new_barcode():
    free = bb_free_field("1234567", 1)
    assert barcode("001", date(2025, 3, 11), 15000, free) != barcode("001", date(2025, 3, 10), 15000, free)


def test_largest_amount_fills_ten_digits():
    code = barcode("001", date(2025, 3, 10), 9_999_999_999, bb_free_field("1234567", 1))
    assert code[9:19] == "9999999999"


@pytest.mark.parametrize("amount_cents", [-1, 10**10])
def test_amounts_that_do_not_fit_are_refused(amount_cents):
    with pytest.raises(ValueError, match="valor"):
        barcode("001", date(2025, 3, 10), amount_cents, bb_free_field("1234567", 1))


def test_free_field_must_have_25_digits():
    with pytest.raises(ValueError, match="campo livre"):
        barcode("001", date(2025, 3, 10), 15000, "123")


# Digitable line

@pytest.mark.parametrize(
    ("code", "line"),
    [(BB_BARCODE, BB_LINE), (ITAU_BARCODE, ITAU_LINE), (AFTER_RESET_BARCODE, AFTER_RESET_LINE)],
)
def test_digitable_line_matches_the_printed_examples(code, line):
    assert format_digitable_line(digitable_line(code)) == line


def test_digitable_line_has_47_digits():
    assert len(digitable_line(BB_BARCODE)) == 47


def test_digitable_line_refuses_a_barcode_with_a_wrong_dv():
    wrong = BB_BARCODE[:4] + "7" + BB_BARCODE[5:]
    with pytest.raises(ValueError, match="dígito verificador"):
        digitable_line(wrong)


@pytest.mark.parametrize("code", [BB_BARCODE, ITAU_BARCODE, AFTER_RESET_BARCODE])
def test_barcode_comes_back_from_its_digitable_line(code):
    assert barcode_from_digitable_line(digitable_line(code)) == code


# What people paste

@pytest.mark.parametrize(
    "pasted",
    [
        BB_LINE,
        digits(BB_LINE),
        f"  {BB_LINE}\n",
        BB_LINE.replace(" ", "\n"),
    ],
)
def test_pasted_line_is_read_with_or_without_dots_and_spaces(pasted):
    assert parse_digitable_line(pasted) == digits(BB_LINE)


def test_pasted_line_with_letters_is_refused():
    with pytest.raises(ValueError, match="apenas números"):
        parse_digitable_line(BB_LINE.replace("7", "x", 1))


def test_pasted_line_too_short_says_how_many_digits_came():
    with pytest.raises(ValueError, match="foram informados 46"):
        parse_digitable_line(digits(BB_LINE)[:-1])


def test_typo_in_a_field_is_caught_by_its_dv():
    typo = "00190.00009 07777.777009 00078.654182 6 49000000295295"
    with pytest.raises(ValueError, match="campo 3"):
        parse_digitable_line(typo)


def test_typo_in_the_amount_is_caught_by_the_general_dv():
    typo = "00190.00009 07777.777009 00087.654182 6 49000000295296"
    with pytest.raises(ValueError, match="campo 4"):
        parse_digitable_line(typo)


# Everything a boleto prints

def test_make_boleto_numbers_gives_every_printed_number():
    assert make_boleto_numbers("001", "1234567", 1, date(2025, 3, 10), 15000) == BoletoNumbers(
        barcode=AFTER_RESET_BARCODE,
        linha_digitavel=digits(AFTER_RESET_LINE),
        linha_digitavel_formatada=AFTER_RESET_LINE,
        nosso_numero="12345670000000001",
        fator_vencimento=1016,
    )
