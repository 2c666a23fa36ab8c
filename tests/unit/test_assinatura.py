"""The bank's notification is trusted only with the right HMAC-SHA256 of the exact body."""
import hashlib
import hmac

from services.pagamento.pagamentos import assinatura, assinatura_valida

BODY = b'{"id":"evt-1","nosso_numero":"12345670000000001","valor_centavos":15000}'


def test_signature_is_hmac_sha256_hex_of_the_raw_body():
    expected = hmac.new(b"segredo", BODY, hashlib.sha256).hexdigest()
    assert assinatura("segredo", BODY) == f"sha256={expected}"


def test_right_signature_is_accepted():
    assert assinatura_valida("segredo", BODY, assinatura("segredo", BODY))


def test_signature_with_another_secret_is_refused():
    assert not assinatura_valida("segredo", BODY, assinatura("outro", BODY))


def test_a_changed_body_is_refused():
    assert not assinatura_valida("segredo", BODY.replace(b"15000", b"1"),
                                 assinatura("segredo", BODY))


def test_missing_header_or_secret_is_refused():
    assert not assinatura_valida("segredo", BODY, None)
    assert not assinatura_valida("segredo", BODY, "")
    # Without a configured secret, even a body "signed" with the empty key is refused.
    assert not assinatura_valida("", BODY, assinatura("", BODY))


def test_bare_hex_without_the_prefix_is_refused():
    assert not assinatura_valida("segredo", BODY, assinatura("segredo", BODY)[len("sha256="):])
