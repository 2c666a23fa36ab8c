"""Every page a person can reach, on a 360×740 phone with JavaScript on: no axe-core violation,
no horizontal scroll (at 360 px, at 320 px and at 200 % zoom), touch targets of at least
44×44 px (a link inside a sentence may be narrower), and valid HTML (Nu Html Checker).

One journey visits the pages in order (some pages need the state the previous ones left);
each page then has its own tests, so a failure names the page.
"""
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from models import Agendamento, Boleto, Certificado, Conta, ProcessoCompra, db
from services.agendamento import horarios
from services.titular import atribuicoes
from services.pagamento import boletos
from services.pagamento import compras
from services.pagamento import propostas
from services.titular import links
from services.nucleo.ciclo_de_vida import Ator, mover_certificado
from relogio import hoje
from tests.support.agendamento import certificado_solicitado
from tests.support.ambiente import AC_SENHA, TEST_CONFIG
from tests.support.navegador import PHONE, servidor_demo
from tests.support.nota_fiscal import pdf_da_nota, xml_da_nota
from tests.support.passos import (contato, continuar, dados_pessoais, documento, endereco,
                                   foto_do_documento)
from tests.support.solicitacao import novo_link

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# In the order the journey reaches them.
PAGINAS = [
    "publico/inicio", "publico/entrar", "publico/entrar-com-erro", "publico/primeiro-acesso",
    "publico/esqueci-minha-senha", "publico/loja", "publico/ajuda", "publico/ajuda-busca",
    "publico/404", "publico/link-senha-inativo", "publico/link-titular-inativo",
    "publico/primeiro-acesso-dados", "publico/link-enviado", "publico/definir-senha",
    "publico/definir-senha-com-erro",
    "comprador/meus-pedidos", "comprador/consulta-processos", "comprador/processo",
    "comprador/solicitacao-de-certificado", "comprador/gerenciar-certificados",
    "comprador/gerenciar-certificados-todos",
    "comprador/gerenciar-aguardando_pagamento", "comprador/gerenciar-disponivel",
    "comprador/gerenciar-atribuido", "comprador/gerenciar-solicitado",
    "comprador/gerenciar-agendado", "comprador/gerenciar-pendente_correcao",
    "comprador/gerenciar-emitido", "comprador/gerenciar-cancelado",
    "comprador/atribuir", "comprador/atribuir-com-erro", "comprador/reatribuir",
    "comprador/financeiro", "comprador/boleto", "comprador/novo-boleto",
    "comprador/novo-boleto-com-erro", "comprador/loja-confirmar", "comprador/ajuda-interativa",
    "comprador/ajuda-interativa-atribuir", "comprador/minha-conta",
    "agente/agenda", "agente/agendamento", "agente/pagamentos", "agente/pagamentos-busca",
    "agente/pagamentos-nota-fiscal", "agente/pagamentos-nota-fiscal-com-erro",
    "agente/pagamentos-nota-fiscal-anexada", "compras/financeiro-nota-fiscal",
    "compras/boleto-nota-fiscal",
    "agente/pontos", "agente/ponto-novo-com-erro", "agente/ponto-alterar",
    "agente/agenda-por-ponto",
    "titular/certificado", "titular/dados", "titular/dados-com-erro", "titular/contato",
    "titular/endereco", "titular/documento", "titular/documentos",
    "titular/documentos-com-erro", "titular/confira", "titular/termo",
    "titular/enviada",
    "agendamento/elegibilidade", "agendamento/elegibilidade-com-erro", "agendamento/dias",
    "agendamento/horarios", "agendamento/confirmar", "agendamento/resumo",
    "agendamento/sala", "agendamento/cancelar",
    "agendamento/presencial", "agendamento/presencial-cidades", "agendamento/presencial-pontos",
    "agendamento/presencial-dias", "agendamento/presencial-confirmar",
    "agendamento/presencial-resumo",
    "publico/politica-ac", "publico/validar", "publico/validar-com-erro",
    "emissao/certificado", "emissao/baixar", "emissao/baixar-com-erro",
    "emissao/csr", "emissao/csr-com-erro", "emissao/baixado", "emissao/testar",
    "emissao/testar-resultado", "emissao/testar-com-erro", "emissao/reemitir",
    "emissao/revogar", "emissao/revogar-com-erro", "comprador/gerenciar-revogado",
    "organizacao/index", "organizacao/nova", "organizacao/contratantes", "organizacao/atividades",
    "comprador/vencimentos",
    "propostas/solicite-agora", "propostas/proposta", "propostas/contratar-com-erro",
    "propostas/contratada", "propostas/index", "propostas/vencida",
    "organizacao/nova-com-erro", "organizacao/convidar-com-erro", "organizacao/convite-enviado",
    "publico/convite", "publico/convite-inativo", "compras/acesso-negado",
]

# Measured inside the page: what scrolls sideways and which targets are too small to touch.
MEDIR = """() => {
  const visivel = el => {
    const r = el.getBoundingClientRect();
    // 1×1 px is the visually-hidden pattern (skip link until focused): not a target.
    return r.width > 1 && r.height > 1
      && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  };
  const seletor = el => {
    const partes = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.body; e = e.parentElement) {
      if (e.id) { partes.unshift('#' + CSS.escape(e.id)); break; }
      let p = e.tagName.toLowerCase();
      if (e.classList.length) p += '.' + [...e.classList].map(c => CSS.escape(c)).join('.');
      const irmaos = e.parentElement
        ? [...e.parentElement.children].filter(x => x.tagName === e.tagName) : [];
      if (irmaos.length > 1) p += `:nth-of-type(${irmaos.indexOf(e) + 1})`;
      partes.unshift(p);
    }
    return partes.join(' > ');
  };
  const pequenos = [];
  const alvos = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary');
  // A link inside a sentence may be as narrow as its words (WCAG 2.5.8's inline exception).
  const naFrase = el => el.tagName === 'A' && el.parentElement
    && el.parentElement.textContent.trim().length > el.textContent.trim().length + 2
    && !['LI', 'DD', 'TD'].includes(el.parentElement.tagName);
  for (const el of alvos) {
    if (!visivel(el)) continue;
    const {width: largura, height: altura} = el.getBoundingClientRect();
    let ok;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const rotulo = el.closest('label')
        || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
      ok = altura + 0.5 >= 24 && !!rotulo && rotulo.getBoundingClientRect().height + 0.5 >= 44;
    } else {
      ok = altura + 0.5 >= 44 && (largura + 0.5 >= 44 || naFrase(el));
    }
    if (!ok) pequenos.push(`${seletor(el)} (${Math.round(largura)}×${Math.round(altura)} px)`);
  }
  return {
    rolagem: document.documentElement.scrollWidth > window.innerWidth,
    pequenos: pequenos,
  };
}"""


ROLAGEM = "document.documentElement.scrollWidth > window.innerWidth"


@dataclass
class Resultado:
    url: str
    violacoes: list
    rolagem: bool
    pequenos: list
    arquivo: Path
    rolagem_estreita: dict  # {"320 px": scrolls?, "zoom 200 %": scrolls?}


@dataclass
class Visitas:
    pasta: Path
    resultados: dict = field(default_factory=dict)
    parada: str = ""  # why the journey stopped before the end, if it did
    erros_html: object = "não medidos"

    def de(self, nome):
        if nome not in self.resultados:
            pytest.fail(f"{nome}: page not reached; the journey stopped: {self.parada}")
        return self.resultados[nome]


@pytest.fixture(scope="module")
def servidor(tmp_path_factory, ac_demo):
    config = {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "AC_DIR": ac_demo,
              "AC_CHAVE_SENHA": AC_SENHA,
              # The agent may decide the demo booking (next business day) right away.
              "AGENDA_ACAO_AGENTE_MINUTOS": 60 * 24 * 30}
    with servidor_demo(config, tmp_path_factory.mktemp("todas-as-paginas")) as live:
        yield live


def preparar(app):
    """The states the demo data lacks: solicitado, pendente_correcao and cancelado."""
    with app.app_context(), db.connection_context():
        _, token = certificado_solicitado(cpf="11144477735", email="jose.titular@example.com",
                                          nome="José Pereira", elegivel=None)
        _, presencial = certificado_solicitado(cpf="86288366757", email="lia@example.com",
                                               nome="Lia Moraes", elegivel=False)
        recusado, _ = certificado_solicitado(cpf="39053344705", email="carla2@example.com",
                                             nome="Carla Mendes Rocha")
        agente = Ator("Ana Souza (agente de registro)")
        mover_certificado(recusado, "agendar", agente)
        mover_certificado(recusado, "recusar", agente, "Documento ilegível.")
        maria = Conta.get(Conta.cpf == "12345678909")
        dia = hoje()
        compras.criar_processo(maria, compras.garantir_produto(app.config["PRECO_CENTAVOS"]), 1,
                               dia - timedelta(days=30),
                               boletos.Beneficiario.from_config(app.config),
                               Ator(maria.nome, maria.id))
        compras.cancelar_vencidos(dia)
        vencida = propostas.gerar(maria, 2, Ator(maria.nome, maria.id), dia - timedelta(days=40))

        certificados = {}
        for c in (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                  .where(ProcessoCompra.comprador == maria.id).order_by(Certificado.id)):
            certificados.setdefault(c.situacao, c)
        vencido = (Boleto.select().join(ProcessoCompra)
                   .where((ProcessoCompra.comprador == maria.id)
                          & (Boleto.situacao == "em_aberto") & (Boleto.vencimento < dia))
                   .get())
        agendamento = Agendamento.get(Agendamento.situacao == "ativo")
        pago = (Boleto.select().join(ProcessoCompra)
                .where((ProcessoCompra.comprador == maria.id) & (Boleto.situacao == "pago"))
                .order_by(Boleto.id).get())
        return {
            "solicitado_token": token,
            "presencial_token": presencial,
            "certificados": {s: c.numero for s, c in certificados.items()},
            "processo": certificados["disponivel"].processo.numero,
            "vencido": vencido.id, "nosso_numero": vencido.nosso_numero,
            "pago": pago.id, "pago_nosso_numero": pago.nosso_numero,
            "pago_xml": xml_da_nota(pago.processo),
            "agendamento": agendamento.id, "proposta_vencida": vencida.id,
            # The booked day, so the Agenda lists it (with its "Abrir" link).
            "dia_agenda": horarios.do_banco(agendamento.horario.inicio).date().isoformat(),
        }


@pytest.fixture(scope="module")
def visitas(browser, servidor, tmp_path_factory, request):
    visitas = Visitas(tmp_path_factory.mktemp("html"))
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    contextos = []

    def novo_celular():
        contexto = browser.new_context(base_url=servidor.url, **PHONE)
        contexto.set_default_timeout(10_000)
        contextos.append(contexto)
        return contexto.new_page()

    def ver(page, nome):
        assert nome in PAGINAS and nome not in visitas.resultados, nome
        page.wait_for_load_state()
        medidas = page.evaluate(MEDIR)
        # The narrowest phone, and a 1280 px screen zoomed to 200 % (640 CSS px).
        estreitas = {}
        for rotulo, largura in (("320 px", 320), ("zoom 200 %", 640)):
            page.set_viewport_size({"width": largura, "height": PHONE["viewport"]["height"]})
            estreitas[rotulo] = page.evaluate(ROLAGEM)
        page.set_viewport_size(PHONE["viewport"])
        violacoes = [(v["id"], [n["target"] for n in v["nodes"]])
                     for v in axe.run(page).response["violations"]]
        arquivo = visitas.pasta / (nome.replace("/", "__") + ".html")
        arquivo.write_text(page.content(), encoding="utf-8")
        visitas.resultados[nome] = Resultado(page.url, violacoes, medidas["rolagem"],
                                             medidas["pequenos"], arquivo, estreitas)

    try:
        dados = preparar(servidor.app)
        certificados = dados["certificados"]

        page = novo_celular()
        for nome, url in [("publico/inicio", "/"), ("publico/entrar", "/entrar"),
                          ("publico/primeiro-acesso", "/primeiro-acesso"),
                          ("publico/esqueci-minha-senha", "/esqueci-minha-senha"),
                          ("publico/loja", "/solicite-agora/"), ("publico/ajuda", "/ajuda/"),
                          ("publico/ajuda-busca", "/ajuda/?q=boleto"),
                          ("publico/404", "/esta-pagina-nao-existe"),
                          ("publico/link-senha-inativo", "/definir-senha/link-que-nao-existe"),
                          ("publico/link-titular-inativo", "/t/link-que-nao-existe")]:
            page.goto(url)
            ver(page, nome)
        page.goto("/primeiro-acesso")
        page.get_by_label("CPF").fill("222.333.666-38")
        page.get_by_label("E-mail").fill("ana@example.com")
        page.get_by_role("button", name="Continuar").click()
        expect(page.get_by_label("Nome completo")).to_be_visible()
        ver(page, "publico/primeiro-acesso-dados")
        page.get_by_label("Nome completo").fill("Ana Clara Souza")
        page.get_by_label("Celular com DDD").fill("(61) 99876-5432")
        page.get_by_role("button", name="Cadastrar").click()
        expect(page.get_by_role("heading", name="Verifique seu e-mail")).to_be_visible()
        ver(page, "publico/link-enviado")
        page.goto(link_do_email(servidor.app, "ana@example.com", r"/definir-senha/[^\s]+"))
        expect(page.get_by_role("heading", name="Definir minha senha")).to_be_visible()
        ver(page, "publico/definir-senha")
        page.get_by_label("Nova senha", exact=True).fill("curta")
        page.get_by_label("Confirme a nova senha").fill("curta")
        page.get_by_role("button", name="Definir minha senha").click()
        expect(page.locator("#senha-erro")).to_be_visible()
        ver(page, "publico/definir-senha-com-erro")
        page.goto("/entrar")
        page.get_by_role("button", name="Entrar").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "publico/entrar-com-erro")

        page = novo_celular()
        entrar(page, "123.456.789-09", "demo12345")
        for nome, url in [
            ("comprador/meus-pedidos", "/pedidos/"),
            ("comprador/consulta-processos", "/pedidos/processos"),
            ("comprador/processo", f"/pedidos/processos/{dados['processo']}"),
            ("comprador/solicitacao-de-certificado", "/certificados/"),
            ("comprador/gerenciar-certificados", "/certificados/lista"),
            ("comprador/gerenciar-certificados-todos", "/certificados/lista?situacao=todos"),
            *[(f"comprador/gerenciar-{s}", f"/certificados/{certificados[s]}")
              for s in ("aguardando_pagamento", "disponivel", "atribuido", "solicitado",
                        "agendado", "pendente_correcao", "emitido", "cancelado")],
            ("comprador/atribuir", f"/certificados/{certificados['disponivel']}/atribuir"),
        ]:
            page.goto(url)
            ver(page, nome)
        page.get_by_label("CPF do titular").fill("123.456.789-00")
        page.get_by_label("E-mail do titular", exact=True).fill("ana@example.com")
        page.get_by_label("Confirme o e-mail do titular").fill("ana@exemple.com")
        page.get_by_role("button", name="Atribuir", exact=True).click()
        expect(page.locator("#cpf-erro")).to_be_visible()
        ver(page, "comprador/atribuir-com-erro")
        for nome, url in [
            ("comprador/reatribuir", f"/certificados/{certificados['atribuido']}/reatribuir"),
            ("comprador/financeiro", "/financeiro/"),
            ("comprador/boleto", f"/financeiro/boletos/{dados['vencido']}"),
            ("comprador/novo-boleto", f"/financeiro/boletos/{dados['vencido']}/novo"),
        ]:
            page.goto(url)
            ver(page, nome)
        page.get_by_role("button", name="Gerar novo Boleto").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "comprador/novo-boleto-com-erro")
        for nome, url in [
            ("comprador/loja-confirmar", "/solicite-agora/confirmar?quantidade=2"),
            ("comprador/ajuda-interativa", "/ajuda/interativa"),
            ("comprador/ajuda-interativa-atribuir",
             f"/ajuda/interativa/{certificados['disponivel']}/atribuir"),
            ("comprador/minha-conta", "/conta/"),
            ("organizacao/index", "/organizacao/"),
            ("organizacao/nova", "/organizacao/nova"),
            ("organizacao/contratantes", "/contratante"),
            ("organizacao/atividades", "/organizacao/atividades/"),
            ("comprador/vencimentos", "/vencimentos/"),
        ]:
            page.goto(url)
            ver(page, nome)
        page.goto("/solicite-agora/")
        ver(page, "propostas/solicite-agora")
        page.get_by_label("Quantidade de certificados").fill("3")
        page.get_by_role("button", name="Gerar proposta").click()
        expect(page.get_by_role("heading", name=re.compile(r"^Proposta P\d+$"))).to_be_visible()
        ver(page, "propostas/proposta")
        proposta = page.url
        page.get_by_label("Número da nota de empenho").fill("<NE>")
        page.get_by_role("button", name="Contratar esta proposta").click()
        expect(page.locator("#empenho-erro")).to_be_visible()
        ver(page, "propostas/contratar-com-erro")
        page.get_by_label("Número da nota de empenho").fill("2026NE000123")
        page.get_by_role("button", name="Contratar esta proposta").click()
        expect(page.get_by_role("heading", name=re.compile(r"^Boleto "))).to_be_visible()
        for nome, url in [("propostas/contratada", proposta), ("propostas/index", "/propostas/"),
                          ("propostas/vencida", f"/propostas/{dados['proposta_vencida']}")]:
            page.goto(url)
            ver(page, nome)
        page.goto("/organizacao/nova")
        page.get_by_label("CNPJ").fill("11.222.333/0001-82")
        page.get_by_role("button", name="Cadastrar organização").click()
        expect(page.locator("#cnpj-erro")).to_be_visible()
        ver(page, "organizacao/nova-com-erro")
        page.goto("/organizacao/")
        page.get_by_label("CPF", exact=True).fill("123.456.789-00")
        page.get_by_role("button", name="Convidar responsável").click()
        expect(page.locator("#cpf-erro")).to_be_visible()
        ver(page, "organizacao/convidar-com-erro")
        page.get_by_label("CPF", exact=True).fill("529.982.247-25")
        page.get_by_label("E-mail", exact=True).fill("joao@example.com")
        page.get_by_label("Confirme o e-mail").fill("joao@example.com")
        page.get_by_role("button", name="Convidar responsável").click()
        expect(page.get_by_text("Convite enviado para joao@example.com")).to_be_visible()
        ver(page, "organizacao/convite-enviado")

        page = novo_celular()
        page.goto(link_do_email(servidor.app, "joao@example.com", r"/convite/[^\s]+"))
        expect(page.get_by_role("heading", name="Convite para Prefeitura Municipal de Exemplo")
               ).to_be_visible()
        ver(page, "publico/convite")
        page.goto("/convite/link-que-nao-existe")
        ver(page, "publico/convite-inativo")

        page = novo_celular()
        entrar(page, "258.369.147-37", "demo12345")
        page.goto("/certificados/lista")
        ver(page, "compras/acesso-negado")

        page = novo_celular()
        entrar(page, "987.654.321-00", "agente12345")
        for nome, url in [("agente/agenda", f"/agenda/?dia={dados['dia_agenda']}"),
                          ("agente/agendamento", f"/agenda/{dados['agendamento']}"),
                          ("agente/pagamentos", "/pagamentos/"),
                          ("agente/pagamentos-busca", f"/pagamentos/?q={dados['nosso_numero']}"),
                          ("agente/pontos", "/agenda/pontos/")]:
            page.goto(url)
            ver(page, nome)
        page.get_by_role("link", name="Cadastrar ponto").click()
        page.get_by_role("button", name="Cadastrar ponto").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "agente/ponto-novo-com-erro")
        page.goto("/agenda/pontos/")
        page.get_by_role("link", name=re.compile("^Alterar")).first.click()
        expect(page.get_by_role("heading", name="Alterar ponto de atendimento")).to_be_visible()
        ver(page, "agente/ponto-alterar")
        page.goto("/agenda/pontos/")
        page.get_by_role("link", name=re.compile("^Agenda de")).first.click()
        ver(page, "agente/agenda-por-ponto")
        for nome, url in [("agente/pagamentos-nota-fiscal",
                           f"/pagamentos/?q={dados['pago_nosso_numero']}")]:
            page.goto(url)
            ver(page, nome)
        page.get_by_role("button", name="Anexar nota fiscal").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "agente/pagamentos-nota-fiscal-com-erro")
        page.get_by_label("PDF da nota (DANFSe)").set_input_files(files=[
            {"name": "nota.pdf", "mimeType": "application/pdf", "buffer": pdf_da_nota()}])
        page.get_by_label("XML da NFS-e").set_input_files(files=[
            {"name": "nota.xml", "mimeType": "application/xml", "buffer": dados["pago_xml"]}])
        page.get_by_role("button", name="Anexar nota fiscal").click()
        expect(page.get_by_text("Nota fiscal nº 123 anexada")).to_be_visible()
        ver(page, "agente/pagamentos-nota-fiscal-anexada")

        page = novo_celular()
        entrar(page, "258.369.147-37", "demo12345")
        for nome, url in [("compras/financeiro-nota-fiscal", "/financeiro/"),
                          ("compras/boleto-nota-fiscal", f"/financeiro/boletos/{dados['pago']}")]:
            page.goto(url)
            ver(page, nome)

        page = novo_celular()
        _, token = novo_link(servidor.app)
        page.goto(f"/t/{token}")
        ver(page, "titular/certificado")
        page.get_by_role("link", name="Começar").click()
        expect(page.get_by_role("heading", name="Dados pessoais")).to_be_visible()
        ver(page, "titular/dados")
        page.get_by_role("button", name="Continuar").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "titular/dados-com-erro")
        dados_pessoais(page)
        continuar(page, "Contato")
        ver(page, "titular/contato")
        contato(page)
        continuar(page, "Endereço")
        ver(page, "titular/endereco")
        endereco(page)
        continuar(page, "Documento de identificação")
        ver(page, "titular/documento")
        documento(page)
        continuar(page, "Documentos")
        ver(page, "titular/documentos")
        page.get_by_role("button", name="Enviar documento").click()  # no file chosen
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "titular/documentos-com-erro")
        foto_do_documento(page)
        ver(page, "titular/confira")
        page.get_by_role("button", name="Gerar termo de titularidade").click()
        expect(page.get_by_role("heading", name="Termo de titularidade")).to_be_visible()
        ver(page, "titular/termo")
        page.get_by_label("Li e concordo").check()
        page.get_by_role("button", name="Enviar solicitação").click()
        expect(page.get_by_role("heading", name="Emissão solicitada")).to_be_visible()
        ver(page, "titular/enviada")

        page = novo_celular()
        page.goto(f"/t/{dados['solicitado_token']}")
        page.get_by_role("link", name="Agendar videoconferência").click()
        expect(page.get_by_role("heading", name=re.compile("videoconferência\\?$"))).to_be_visible()
        ver(page, "agendamento/elegibilidade")
        page.get_by_role("button", name="Continuar").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "agendamento/elegibilidade-com-erro")
        page.get_by_label("Sim, tenho CNH emitida ou renovada a partir de 2017").check()
        page.get_by_role("button", name="Continuar").click()
        expect(page.get_by_role("heading", name="Agendar videoconferência")).to_be_visible()
        ver(page, "agendamento/dias")
        dia = page.locator(".escolhas a").first
        rotulo = dia.inner_text()
        dia.click()
        expect(page.get_by_role("heading", name=f"Horários de {rotulo}")).to_be_visible()
        ver(page, "agendamento/horarios")
        page.locator(".horarios input[type=radio]").first.check()
        page.get_by_role("button", name="Continuar").click()
        expect(page.get_by_role("heading", name="Confirme o agendamento")).to_be_visible()
        ver(page, "agendamento/confirmar")
        page.get_by_role("button", name="Confirmar agendamento").click()
        expect(page.get_by_role("heading", name="Videoconferência agendada")).to_be_visible()
        ver(page, "agendamento/resumo")
        resumo = page.url
        # The invitation carries BASE_URL's host; the same path on this server.
        page.goto(urlsplit(page.locator("#link-reuniao").inner_text()).path)
        ver(page, "agendamento/sala")
        page.goto(resumo.rstrip("/") + "/cancelar")
        ver(page, "agendamento/cancelar")

        page = novo_celular()
        page.goto(f"/t/{dados['presencial_token']}")
        page.get_by_role("link", name="Agendar videoconferência").click()
        expect(page.get_by_role("heading", name="Sua validação precisa ser presencial")).to_be_visible()
        ver(page, "agendamento/presencial")
        page.get_by_role("link", name="Distrito Federal (DF)").click()
        ver(page, "agendamento/presencial-cidades")
        page.get_by_role("link", name="Brasília", exact=True).click()
        ver(page, "agendamento/presencial-pontos")
        page.get_by_role("link", name=re.compile("^Escolher este ponto")).first.click()
        expect(page.get_by_role("heading", name="Agendar atendimento presencial")).to_be_visible()
        ver(page, "agendamento/presencial-dias")
        page.locator(".escolhas a").first.click()
        page.locator(".horarios input[type=radio]").first.check()
        page.get_by_role("button", name="Continuar").click()
        expect(page.get_by_role("heading", name="Confirme o agendamento")).to_be_visible()
        ver(page, "agendamento/presencial-confirmar")
        page.get_by_role("button", name="Confirmar agendamento").click()
        expect(page.get_by_role("heading", name="Atendimento presencial agendado")).to_be_visible()
        ver(page, "agendamento/presencial-resumo")

        page = novo_celular()
        page.goto("/ac/politica")
        ver(page, "publico/politica-ac")
        page.goto("/validar/")
        ver(page, "publico/validar")
        page.get_by_role("button", name="Validar documento").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "publico/validar-com-erro")
        with servidor.app.app_context(), db.connection_context():
            emitido = Certificado.get(Certificado.titular_cpf == "39053344705",
                                      Certificado.situacao == "emitido")
            token = links.emitir(atribuicoes.ativa(emitido), 30)
        page.goto(f"/t/{token}")
        ver(page, "emissao/certificado")
        page.get_by_role("link", name="Baixar meu certificado").click()
        ver(page, "emissao/baixar")
        page.get_by_role("button", name="Baixar meu certificado").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "emissao/baixar-com-erro")
        page.get_by_role("link", name="Tenho minha própria requisição (CSR)").click()
        ver(page, "emissao/csr")
        page.get_by_role("button", name="Emitir com minha requisição").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "emissao/csr-com-erro")
        page.goto(f"/titular/{emitido.numero}/baixar")
        senha = "Correto-Cavalo-9"
        page.get_by_label("Crie a senha do certificado").fill(senha)
        page.get_by_label("Digite a senha de novo").fill(senha)
        with page.expect_download() as baixando:
            page.get_by_role("button", name="Baixar meu certificado").click()
        pfx = Path(baixando.value.path()).read_bytes()
        page.goto(f"/titular/{emitido.numero}/baixar")
        ver(page, "emissao/baixado")
        page.goto(f"/titular/{emitido.numero}/testar")
        ver(page, "emissao/testar")
        page.get_by_label("Arquivo do certificado (.pfx ou .p12)").set_input_files(
            files=[{"name": "carla.pfx", "mimeType": "application/x-pkcs12", "buffer": pfx}])
        page.get_by_label("Senha do certificado").fill(senha)
        page.get_by_role("button", name="Testar meu certificado").click()
        expect(page.get_by_role("heading", name="Seu certificado funciona")).to_be_visible()
        ver(page, "emissao/testar-resultado")
        page.get_by_label("Arquivo do certificado (.pfx ou .p12)").set_input_files(
            files=[{"name": "carla.pfx", "mimeType": "application/x-pkcs12", "buffer": pfx}])
        page.get_by_label("Senha do certificado").fill("senha-errada-1")
        page.get_by_role("button", name="Testar meu certificado").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "emissao/testar-com-erro")
        page.goto(f"/titular/{emitido.numero}/reemitir")
        ver(page, "emissao/reemitir")
        page.goto(f"/titular/{emitido.numero}/revogar")
        ver(page, "emissao/revogar")
        page.get_by_role("button", name="Revogar certificado").click()
        expect(page.locator(".erro-resumo")).to_be_visible()
        ver(page, "emissao/revogar-com-erro")
        page.get_by_label("Motivo da revogação").select_option("cessation_of_operation")
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name="Revogar certificado").click()
        expect(page.get_by_text("Certificado revogado.")).to_be_visible()
        page = novo_celular()
        entrar(page, "123.456.789-09", "demo12345")
        page.goto(f"/certificados/{emitido.numero}")
        ver(page, "comprador/gerenciar-revogado")
    except Exception as erro:  # the pages not reached fail with this reason
        visitas.parada = f"{type(erro).__name__}: {erro}"
    finally:
        for contexto in contextos:
            contexto.close()

    yield visitas

    resultados = visitas.resultados.values()
    resumo = (f"todas as páginas: {len(visitas.resultados)} de {len(PAGINAS)} páginas verificadas; "
              f"{sum(len(r.violacoes) for r in resultados)} violações axe; "
              f"{sum(r.rolagem for r in resultados)} com rolagem horizontal; "
              f"{sum(len(r.pequenos) for r in resultados)} alvos pequenos; "
              f"{visitas.erros_html} erros de HTML")
    # Shown even when output is captured, as capsys.disabled() would.
    captura = request.config.pluginmanager.getplugin("capturemanager")
    with captura.global_and_fixture_disabled():
        print("\n" + resumo)


def entrar(page, cpf, senha):
    page.goto("/entrar")
    page.get_by_label("CPF").fill(cpf)
    page.get_by_label("Senha").fill(senha)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Sair")).to_be_attached()


def link_do_email(app, destinatario, caminho, esperar=5):
    """The path of the link in the message to `destinatario` (delivered just after the response)."""
    fim = time.monotonic() + esperar
    while True:
        for mensagem in app.extensions["mailman"].outbox:
            achado = re.search(caminho, mensagem.body)
            if mensagem.to == [destinatario] and achado:
                return achado.group(0)
        if time.monotonic() > fim:
            raise AssertionError(f"no message to {destinatario} with {caminho}")
        time.sleep(0.1)


@pytest.mark.parametrize("nome", PAGINAS)
def test_page_has_no_axe_violations(visitas, nome):
    resultado = visitas.de(nome)
    assert resultado.violacoes == [], f"{nome} ({resultado.url}): axe-core violations:\n" + \
        "\n".join(f"{regra}: {alvos}" for regra, alvos in resultado.violacoes)


@pytest.mark.parametrize("nome", PAGINAS)
def test_page_fits_the_phone_and_its_targets_are_touchable(visitas, nome):
    resultado = visitas.de(nome)
    assert not resultado.rolagem, f"{nome} ({resultado.url}) scrolls sideways"
    estreitas = [onde for onde, rola in resultado.rolagem_estreita.items() if rola]
    assert estreitas == [], f"{nome} ({resultado.url}) scrolls sideways at {estreitas}"
    assert resultado.pequenos == [], f"{nome} ({resultado.url}): targets under 44 px:\n" + \
        "\n".join(resultado.pequenos)


@pytest.fixture(scope="module")
def validacao(visitas):
    """The Nu Html Checker over every saved page at once: {file name: [error messages]}."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        reason = ("java not found" if not java else f"{VNU} missing (run make install)") + \
            ": HTML validation skipped"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(reason + " (E2E_REQUIRED is set)")
        print(reason)
        pytest.skip(reason)
    arquivos = [str(r.arquivo) for r in visitas.resultados.values()]
    saida = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--stdout", *arquivos],
                           capture_output=True, text=True, timeout=120)
    erros = {}
    for m in json.loads(saida.stdout)["messages"]:
        if m["type"] == "info" or re.search(r"\bhx-", m.get("message", "")):
            continue  # warnings, and htmx's attributes, which HTML does not know
        arquivo = Path(m.get("url", "").removeprefix("file:")).name
        erros.setdefault(arquivo, []).append(
            f"line {m.get('lastLine', '?')}: {m['message']}")
    visitas.erros_html = sum(len(v) for v in erros.values())
    return erros


@pytest.mark.parametrize("nome", PAGINAS)
def test_page_is_valid_html(visitas, validacao, nome):
    resultado = visitas.de(nome)
    erros = validacao.get(resultado.arquivo.name, [])
    assert erros == [], f"{nome} ({resultado.url}): invalid HTML:\n" + "\n".join(erros)
