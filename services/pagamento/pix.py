"""PIX "copia e cola" (BR Code, EMV QR): the payload text, its CRC and its QR as inline SVG.

Each field is ID (2 digits) + length (2 digits) + value; the last field, 63, is a CRC-16 of
everything before it including its own "6304" (docs/dominio.md §9).
"""

import re
import unicodedata

import segno

_PIX_GUI = "BR.GOV.BCB.PIX"
_NAME_MAX = 25
_CITY_MAX = 15
_NO_TXID = "***"  # what the manual prescribes when there is no transaction id


def crc16_ccitt_false(data: bytes | str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), 4 hex digits."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def emv_field(field_id: str, value: str) -> str:
    """ID + two-digit length + value."""
    if not re.fullmatch(r"[0-9]{2}", field_id):
        raise ValueError("O identificador do campo PIX deve ter 2 dígitos.")
    if not 0 < len(value) <= 99:
        raise ValueError(f"O campo PIX {field_id} deve ter de 1 a 99 caracteres.")
    return f"{field_id}{len(value):02d}{value}"


def with_crc(payload: str) -> str:
    """Close a payload with field 63: the CRC covers the payload and the '6304' itself."""
    head = payload + "6304"
    return head + crc16_ccitt_false(head)


def brcode(key: str, amount_cents: int, receiver_name: str, city: str, txid: str = _NO_TXID) -> str:
    """Static PIX BR Code for a fixed amount, ready for "copia e cola" or a QR code.

    It names the receiver only: a static BR Code has no payer field (the payer, "devedor",
    exists only in a dynamic charge's payload, read from the PSP), and 26-02 "infoAdicional"
    is a free message, not the payer. Whose it is (the boleto's pagador) is printed beside it."""
    if amount_cents <= 0:
        raise ValueError("O valor do PIX deve ser maior que zero.")
    if not key.strip():
        raise ValueError("Informe a chave PIX.")
    if txid != _NO_TXID and not re.fullmatch(r"[A-Za-z0-9]{1,25}", txid):
        raise ValueError("O identificador da transação deve ter até 25 letras ou números.")
    reais, cents = divmod(amount_cents, 100)
    merchant_account = emv_field("00", _PIX_GUI) + emv_field("01", key.strip())
    return with_crc(
        emv_field("00", "01")
        + emv_field("26", merchant_account)
        + emv_field("52", "0000")
        + emv_field("53", "986")  # BRL
        + emv_field("54", f"{reais}.{cents:02d}")
        + emv_field("58", "BR")
        + emv_field("59", _plain_upper(receiver_name, _NAME_MAX))
        + emv_field("60", _plain_upper(city, _CITY_MAX))
        + emv_field("62", emv_field("05", txid))
    )


def qr_svg(payload: str, scale: int = 4) -> str:
    """The QR code as an <svg> to put straight into HTML, with a title for screen readers."""
    svg = segno.make_qr(payload, error="m").svg_inline(scale=scale, title="QR Code PIX")
    return svg.replace("<svg ", '<svg role="img" ', 1)


# Words a cut name must not end on ("AUTORIDADE DE REGISTRO DE").
_LIGACOES = {"DE", "DA", "DO", "DAS", "DOS", "E"}


def _plain_upper(text: str, limit: int) -> str:
    """'São Paulo' -> 'SAO PAULO': name and city are plain ASCII, upper case is the canonical
    form. Too long, it is cut after the last whole word that fits (a bank app shows it)."""
    decomposed = unicodedata.normalize("NFKD", text)
    words = decomposed.encode("ascii", "ignore").decode("ascii").upper().split()
    kept = []
    for word in words:
        if len(" ".join(kept + [word])) > limit:
            break
        kept.append(word)
    if not kept:  # a single word longer than the limit
        return words[0][:limit] if words else ""
    while len(kept) > 1 and kept[-1] in _LIGACOES:
        kept.pop()
    return " ".join(kept)
