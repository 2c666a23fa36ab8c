"""PIX BR Code, checked against the verified examples of docs/dominio.md §9."""

import re

import pytest

from services.pagamento.pix import brcode, crc16_ccitt_false, emv_field, qr_svg, with_crc

BCB_MANUAL_SAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
ORDER_SAMPLE = (
    "00020126330014BR.GOV.BCB.PIX011112345678909520400005303986540615"
    "0.005802BR5913FULANO DE TAL6008BRASILIA62160512PEDIDO0001236304A36A"
)


def field(payload: str, field_id: str) -> str:
    """Value of a top-level field, walking ID + length + value."""
    position = 0
    while position < len(payload):
        current, length = payload[position:position + 2], int(payload[position + 2:position + 4])
        value = payload[position + 4:position + 4 + length]
        if current == field_id:
            return value
        position += 4 + length
    raise KeyError(field_id)


def order(**changes) -> str:
    args = {"key": "12345678909", "amount_cents": 15000, "receiver_name": "Fulano de Tal",
            "city": "Brasilia", "txid": "PEDIDO000123"} | changes
    return brcode(**args)


# CRC and fields

def test_crc_check_value_of_123456789_is_29B1():
    assert crc16_ccitt_false("123456789") == "29B1"


def test_crc_of_bytes_equals_crc_of_text():
    assert crc16_ccitt_false(b"123456789") == "29B1"


def test_crc_is_four_upper_case_hex_digits():
    assert crc16_ccitt_false("") == "FFFF"


def test_field_is_id_length_value():
    assert emv_field("59", "FULANO DE TAL") == "5913FULANO DE TAL"


@pytest.mark.parametrize(("field_id", "value"), [("5", "x"), ("59", ""), ("59", "x" * 100)])
def test_field_refuses_bad_id_or_length(field_id, value):
    with pytest.raises(ValueError):
        emv_field(field_id, value)


def test_bcb_manual_sample_is_reproduced_from_its_fields():
    account = emv_field("00", "br.gov.bcb.pix") + emv_field("01", "123e4567-e12b-12d1-a456-426655440000")
    payload = (
        emv_field("00", "01") + emv_field("26", account) + emv_field("52", "0000")
        + emv_field("53", "986") + emv_field("58", "BR") + emv_field("59", "Fulano de Tal")
        + emv_field("60", "BRASILIA") + emv_field("62", emv_field("05", "***"))
    )
    assert with_crc(payload) == BCB_MANUAL_SAMPLE


# The BR Code we issue

def test_order_sample_is_reproduced_exactly():
    assert order() == ORDER_SAMPLE


def test_amount_is_written_with_a_dot_and_two_decimals():
    assert field(order(amount_cents=123405), "54") == "1234.05"


def test_small_amount_keeps_leading_zero():
    assert field(order(amount_cents=5), "54") == "0.05"


def test_receiver_name_loses_accents_and_is_upper_case():
    assert field(order(receiver_name="Certificação Digital"), "59") == "CERTIFICACAO DIGITAL"


def test_receiver_name_is_cut_to_25_characters_after_a_whole_word():
    assert field(order(receiver_name="Autoridade de Registro Certificadora Digital"), "59") == (
        "AUTORIDADE DE REGISTRO"
    )


def test_a_cut_name_does_not_end_on_de():
    assert field(order(receiver_name="Autoridade de Registro Demonstração"), "59") == (
        "AUTORIDADE DE REGISTRO"
    )


def test_a_single_word_too_long_is_cut_inside_it():
    assert field(order(receiver_name="Certificadoradigitalnacional"), "59") == (
        "CERTIFICADORADIGITALNACIO"
    )


def test_city_loses_accents_and_is_cut_to_15_characters_after_a_whole_word():
    assert field(order(city="São José dos Campos"), "60") == "SAO JOSE"


def test_without_txid_the_code_carries_three_asterisks():
    payload = brcode("12345678909", 15000, "Fulano de Tal", "Brasilia")
    assert field(payload, "62") == "0503***"


@pytest.mark.parametrize("txid", ["PEDIDO-123", "A" * 26, ""])
def test_txid_must_be_up_to_25_letters_or_digits(txid):
    with pytest.raises(ValueError, match="identificador"):
        order(txid=txid)


@pytest.mark.parametrize("amount_cents", [0, -100])
def test_amount_must_be_positive(amount_cents):
    with pytest.raises(ValueError, match="valor"):
        order(amount_cents=amount_cents)


def test_empty_key_is_refused():
    with pytest.raises(ValueError, match="chave"):
        order(key=" ")


def test_crc_at_the_end_covers_the_whole_payload():
    payload = order()
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == crc16_ccitt_false(payload[:-4])


# QR for the web page

def test_qr_svg_is_inline_without_xml_declaration():
    svg = qr_svg(ORDER_SAMPLE)
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg


def test_qr_svg_is_announced_as_an_image_with_a_title():
    svg = qr_svg(ORDER_SAMPLE)
    assert 'role="img"' in svg
    assert "<title>QR Code PIX</title>" in svg


def test_qr_svg_scale_sets_its_size():
    def width(svg: str) -> int:
        return int(re.search(r'width="(\d+)"', svg).group(1))

    assert width(qr_svg(ORDER_SAMPLE, scale=8)) == 2 * width(qr_svg(ORDER_SAMPLE, scale=4))
