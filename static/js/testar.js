/* "Testar meu certificado" (templates/emissao/testar.html): the .pfx is opened here with
   node-forge and the password typed, the key signs the portal's challenge (RSA PKCS#1 v1.5,
   SHA-256) and the form sends only the certificate (PEM) and the signature. The file and the
   password inputs have no name: neither ever leaves this page. */
(function () {
  "use strict";
  var form = document.getElementById("testar-certificado");
  var forge = window.forge;
  if (!form || !forge || !window.FileReader) return;

  var arquivo = document.getElementById("arquivo");
  var senha = document.getElementById("senha");
  var titulo = document.title.replace(/^Erro: /, "");
  var oids = forge.pki.oids;
  form.hidden = false;
  document.getElementById("testar-sem-js").hidden = true; // said to pages without JavaScript

  function Falha(campo, mensagem) { this.campo = campo; this.message = mensagem; }

  function limpar() {
    document.title = titulo;
    document.getElementById("testar-erros").replaceChildren();
    form.querySelectorAll(".campo-erro").forEach(function (c) {
      c.classList.remove("campo-erro");
    });
    form.querySelectorAll("p.erro").forEach(function (p) { p.remove(); });
    [arquivo, senha].forEach(function (c) {
      c.removeAttribute("aria-invalid");
      c.removeAttribute("aria-describedby");
    });
  }

  // As the server-rendered forms show errors (templates/_forms.html).
  function mostrarErro(campoId, mensagem) {
    document.title = "Erro: " + titulo;
    var resumo = document.createElement("div");
    resumo.className = "erro-resumo";
    resumo.setAttribute("role", "alert");
    resumo.tabIndex = -1;
    var h2 = document.createElement("h2");
    h2.textContent = "Corrija o item abaixo";
    var ul = document.createElement("ul");
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "#" + campoId;
    a.textContent = mensagem;
    li.appendChild(a);
    ul.appendChild(li);
    resumo.append(h2, ul);
    var campo = document.getElementById(campoId);
    var p = document.createElement("p");
    p.className = "erro";
    p.id = campoId + "-erro";
    var oculto = document.createElement("span");
    oculto.className = "visualmente-oculto";
    oculto.textContent = "Erro: ";
    p.append(oculto, mensagem);
    campo.before(p);
    campo.parentNode.classList.add("campo-erro");
    campo.setAttribute("aria-invalid", "true");
    campo.setAttribute("aria-describedby", p.id);
    document.getElementById("testar-erros").appendChild(resumo);
    resumo.focus();
  }

  function bolsas(p12, tipo) { return p12.getBags({bagType: tipo})[tipo] || []; }

  // The key and its own certificate (the file also carries the AC's).
  function abrir(bytes, valor) {
    var asn1, p12 = null, erro = null;
    try {
      asn1 = forge.asn1.fromDer(bytes);
    } catch (e) {
      throw new Falha("arquivo", "Este arquivo não é um certificado .pfx válido ou está " +
                      "corrompido. Escolha o arquivo que você baixou.");
    }
    // PBES2 (the modern file) takes the password as UTF-8, the compatible one as BMPString.
    [valor, forge.util.encodeUtf8(valor)].some(function (s) {
      try { p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, s); } catch (e) { erro = e; }
      return p12 !== null;
    });
    if (!p12) {
      if (/PKCS#12 PFX|ASN\.1/.test(erro && erro.message)) {
        throw new Falha("arquivo", "Este arquivo não é um certificado .pfx válido ou está " +
                        "corrompido. Escolha o arquivo que você baixou.");
      }
      throw new Falha("senha", "Senha incorreta para este certificado. Confira maiúsculas e " +
                      "minúsculas e tente de novo.");
    }
    var chaves = bolsas(p12, oids.pkcs8ShroudedKeyBag).concat(bolsas(p12, oids.keyBag));
    var chave = chaves.length && chaves[0].key;
    var proprio = chave && bolsas(p12, oids.certBag).filter(function (b) {
      return b.cert && b.cert.publicKey.n && b.cert.publicKey.n.equals(chave.n);
    })[0];
    if (!proprio) {
      throw new Falha("arquivo", "O arquivo não contém um certificado com a chave privada.");
    }
    return {chave: chave, cert: proprio.cert};
  }

  form.addEventListener("submit", function (evento) {
    evento.preventDefault();
    limpar();
    var escolhido = arquivo.files[0];
    if (!escolhido) {
      return mostrarErro("arquivo", "Escolha o arquivo do certificado (.pfx ou .p12).");
    }
    if (escolhido.size > Number(form.dataset.maximo)) {
      return mostrarErro("arquivo", "Este arquivo é grande demais para ser um certificado .pfx.");
    }
    if (!senha.value) return mostrarErro("senha", "Digite a senha do certificado.");
    document.getElementById("testar-situacao").textContent = "Abrindo o arquivo neste aparelho…";
    var leitor = new FileReader();
    leitor.onload = function () {
      var par;
      try {
        par = abrir(forge.util.binary.raw.encode(new Uint8Array(leitor.result)), senha.value);
      } catch (e) {
        document.getElementById("testar-situacao").textContent = "";
        return mostrarErro(e.campo || "arquivo", e.message);
      }
      var md = forge.md.sha256.create();
      md.update(form.dataset.desafio, "utf8");
      form.elements.certificado.value = forge.pki.certificateToPem(par.cert);
      form.elements.assinatura.value = forge.util.encode64(par.chave.sign(md));
      document.getElementById("testar-situacao").textContent = "Conferindo a assinatura…";
      form.submit(); // a plain POST: the result page is rendered by the portal
    };
    leitor.onerror = function () {
      mostrarErro("arquivo", "Não foi possível ler o arquivo. Escolha-o de novo.");
    };
    leitor.readAsArrayBuffer(escolhido);
  });
}());
