"""Reading an NFS-e XML of the padrão nacional: which elements give the number, the tomador
and the value, and what is refused before anything is kept."""
import pytest

from services.pagamento import nfse

NS = 'xmlns="http://www.sped.fazenda.gov.br/nfse"'


def dps(toma="<CNPJ>11222333000181</CNPJ>",
        valores="<vServPrest><vServ>450.00</vServ></vServPrest>"):
    return (f'<DPS {NS} versao="1.00"><infDPS Id="DPS1"><nDPS>000000000000042</nDPS>'
            f"<toma>{toma}</toma><valores>{valores}</valores></infDPS></DPS>").encode()


def test_a_dps_alone_gives_its_number_tomador_and_value():
    assert nfse.ler_xml(dps()) == nfse.DadosNota("42", "11222333000181", 45000)


def test_a_person_as_tomador_is_read_by_cpf():
    assert nfse.ler_xml(dps(toma="<CPF>12345678909</CPF>")).tomador == "12345678909"


def test_without_vserv_the_net_value_vliq_counts():
    xml = (f"<NFSe {NS}><infNFSe><nNFSe>7</nNFSe><valores><vLiq>150.5</vLiq></valores>"
           f"<DPS><infDPS><nDPS>1</nDPS><toma><CNPJ>11222333000181</CNPJ></toma></infDPS>"
           f"</DPS></infNFSe></NFSe>").encode()
    assert nfse.ler_xml(xml) == nfse.DadosNota("7", "11222333000181", 15050)


@pytest.mark.parametrize("xml, motivo", [
    (dps(valores="<vServPrest><vServ>1.000,00</vServ></vServPrest>"), "não é um valor válido"),
    (dps(valores=""), "não informa o valor"),
    (dps(toma=""), "não informa o CNPJ do tomador"),
    (dps().replace(NS.encode(), b""), "não é uma NFS-e do padrão nacional"),
    (b"<DPS", "não é um XML válido"),
    (b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', "DTD"),
], ids=["virgula", "sem-valor", "sem-tomador", "sem-namespace", "truncado", "dtd-externo"])
def test_what_is_refused_says_why(xml, motivo):
    with pytest.raises(nfse.NotaRecusada, match=motivo):
        nfse.ler_xml(xml)


@pytest.mark.parametrize("dados", [
    b"<!DOCTYPE html><html>%PDF-1.7</html>",
    b"%PDF-1.7\n1 0 obj<<>>endobj\n",  # cut short: no end of file
    b"\x89PNG\r\n\x1a\n",
], ids=["html", "truncado", "png"])
def test_only_a_pdf_passes_as_pdf(dados):
    with pytest.raises(nfse.NotaRecusada, match="não é um PDF"):
        nfse.conferir_pdf(dados)
