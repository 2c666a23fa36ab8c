"""A nota fiscal as the back office receives it: the NFS-e XML of the padrão nacional for a
purchase (its tomador and value), its PDF, and an XML bomb."""
from fpdf import FPDF

CNPJ_PREFEITURA = "11222333000181"

# An authorised NFS-e of the padrão nacional, as the emissor nacional hands it out (trimmed
# to what the portal reads: the number, the tomador and the values).
NFSE = """<?xml version="1.0" encoding="UTF-8"?>
<NFSe xmlns="http://www.sped.fazenda.gov.br/nfse" versao="1.00">
  <infNFSe Id="NFS3550308299888777000166000000000000{numero}">
    <xLocEmi>São Paulo</xLocEmi>
    <nNFSe>{numero}</nNFSe>
    <cStat>100</cStat>
    <emit><CNPJ>99888777000166</CNPJ><xNome>Certificadora de Demonstração</xNome></emit>
    <valores><vBC>{valor}</vBC><vLiq>{valor}</vLiq></valores>
    <DPS versao="1.00">
      <infDPS Id="DPS355030829988877700016600001000000000000015">
        <serie>00001</serie>
        <nDPS>15</nDPS>
        <prest><CNPJ>99888777000166</CNPJ></prest>
        <toma><CNPJ>{cnpj}</CNPJ><xNome>Prefeitura Municipal de Exemplo</xNome></toma>
        <serv>
          <cServ><cTribNac>010701</cTribNac><xDescServ>Certificado e-CPF A1</xDescServ></cServ>
        </serv>
        <valores><vServPrest><vServ>{valor}</vServ></vServPrest></valores>
      </infDPS>
    </DPS>
  </infNFSe>
</NFSe>"""

BOMBA = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<NFSe xmlns="http://www.sped.fazenda.gov.br/nfse"><infNFSe><nNFSe>&lol4;</nNFSe></infNFSe></NFSe>"""


def xml_da_nota(processo, numero="123", cnpj=CNPJ_PREFEITURA, centavos=None):
    centavos = processo.total_centavos if centavos is None else centavos
    return NFSE.format(numero=numero, cnpj=cnpj,
                       valor=f"{centavos // 100}.{centavos % 100:02d}").encode()


def pdf_da_nota(numero="123"):
    """A real PDF (the DANFSe would be one), made here."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=f"DANFSe - NFS-e numero {numero}")
    return bytes(pdf.output())
