"""Financeiro lists the boletos a page at a time (PAGE_SIZE), with JavaScript on and off."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.navegador import entrar, no_horizontal_scroll


@pytest.fixture
def e2e_config(e2e_config):
    return {**e2e_config, "PAGE_SIZE": 3}


def test_financeiro_pages_through_the_boletos(phone, server):
    entrar(phone)
    phone.get_by_role("link", name="Financeiro").first.click()
    expect(phone.locator("li.cartao")).to_have_count(3)
    expect(phone.locator(".paginacao")).not_to_contain_text("Anterior")
    primeira = phone.locator("li.cartao").first.get_attribute("id")
    if phone.js:
        phone.evaluate("window.mesmaPagina = true")
    phone.get_by_role("link", name="Próxima").click()
    expect(phone.locator(".paginacao")).not_to_contain_text("Próxima")
    expect(phone.locator("li.cartao")).to_have_count(1)
    expect(phone).to_have_url(re.compile(r"/financeiro/\?depois=\d+$"))
    expect(phone.get_by_role("heading", name="Financeiro")).to_have_count(1)
    if phone.js:
        assert phone.evaluate("window.mesmaPagina === true")
    phone.get_by_role("link", name="Anterior").click()
    expect(phone.locator("li.cartao").first).to_have_attribute("id", primeira)
    assert no_horizontal_scroll(phone)
