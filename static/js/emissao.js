/* "Baixar meu certificado" (templates/emissao/baixar.html): the RSA key pair is made here with
   WebCrypto, the PKCS#10 request is signed here with node-forge, and only the request is sent.
   The certificate and the chain come back and the PKCS#12 is packed here with the password
   typed twice. Neither the key nor the password ever leave this page; the key lives in this
   page's memory only, so "Baixar de novo" can pack the issued certificate again. */
(function () {
  "use strict";
  var form = document.getElementById("gerar-certificado");
  var forge = window.forge;
  if (!form || !forge || !window.crypto || !crypto.subtle || !window.fetch) return;

  // PBKDF2 and MAC of the modern file (OpenSSL writes 2048): ~0.6 s on a laptop, a few
  // seconds on a phone, in forge's JavaScript. The compatible file keeps 2048, as Windows does.
  var ITERACOES = 50000;
  var COMUNS = ["senha123", "senha1234", "password", "password1", "12345678a", "a1234567",
                "abc12345", "mudar123", "brasil123", "certificado"];
  var SEQUENCIAS = ["0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop",
                    "asdfghjkl"];
  var senha = document.getElementById("senha");
  var confirmacao = document.getElementById("senha_confirmacao");
  var botao = document.getElementById("gerar-botao");
  var pronto = document.getElementById("gerar-pronto");
  var link = document.getElementById("gerar-link");
  var chave = null; // forge's RSA private key: this page's memory, nowhere else
  var titulo = document.title;

  form.hidden = false;
  // macOS Keychain, iOS and Windows before 10 reject PBES2/AES and SHA-256 MACs.
  var plataforma = (navigator.userAgentData && navigator.userAgentData.platform)
    || navigator.platform || "";
  var compativel = /mac|iphone|ipad|ipod/i.test(plataforma)
    || /Windows NT (5|6)\./.test(navigator.userAgent);
  var padrao = compativel ? "compativel" : "moderno";
  form.querySelector("input[value=" + padrao + "]").checked = true;

  function erroDaSenha(valor, repetida) {
    var minimo = Number(form.dataset.minimo), maximo = Number(form.dataset.maximo);
    if (valor.length < minimo) {
      return ["senha", "A senha deve ter pelo menos " + minimo + " caracteres."];
    }
    if (valor.length > maximo) return ["senha", "Use no máximo " + maximo + " caracteres."];
    var classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (r) {
      return r.test(valor);
    }).length;
    var minuscula = valor.toLowerCase(), digitos = valor.replace(/\D/g, "");
    var pessoais = [form.dataset.cpf].concat(form.dataset.nascimento.split(" ")).filter(Boolean);
    if (classes < 2 || new Set(valor).size < 4 || COMUNS.indexOf(minuscula) >= 0
        || SEQUENCIAS.some(function (s) {
          return s.indexOf(minuscula) >= 0 || minuscula.indexOf(s.slice(0, 8)) >= 0;
        })
        || pessoais.some(function (p) { return digitos.indexOf(p) >= 0; })) {
      return ["senha", "Senha fraca: siga as regras abaixo (misture letras e números, sem CPF, " +
              "data de nascimento ou sequências)."];
    }
    if (valor !== repetida) {
      return ["senha_confirmacao",
              "As senhas não são iguais. Digite a mesma senha nos dois campos."];
    }
    return null;
  }

  // Errors as the server-rendered forms show them (templates/_forms.html).
  function limpar() {
    document.title = titulo;
    document.getElementById("gerar-erros").replaceChildren();
    form.querySelectorAll(".campo-erro").forEach(function (c) {
      c.classList.remove("campo-erro");
    });
    form.querySelectorAll("p.erro").forEach(function (p) { p.remove(); });
    [senha, confirmacao].forEach(function (c) { c.removeAttribute("aria-invalid"); });
    senha.setAttribute("aria-describedby", "senha-dica");
    confirmacao.removeAttribute("aria-describedby");
  }

  function mostrarErro(campoId, mensagem) {
    document.title = "Erro: " + titulo;
    var resumo = document.createElement("div");
    resumo.className = "erro-resumo";
    resumo.setAttribute("role", "alert");
    resumo.tabIndex = -1;
    var h2 = document.createElement("h2");
    h2.textContent = "Corrija o item abaixo";
    var li = document.createElement("li");
    var ul = document.createElement("ul");
    ul.appendChild(li);
    resumo.append(h2, ul);
    if (campoId) {
      var a = document.createElement("a");
      a.href = "#" + campoId;
      a.textContent = mensagem;
      li.appendChild(a);
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
      campo.setAttribute("aria-describedby",
                         ((campo.getAttribute("aria-describedby") || "") + " " + p.id).trim());
    } else {
      li.textContent = mensagem;
    }
    document.getElementById("gerar-erros").appendChild(resumo);
    resumo.focus();
  }

  function situacao(texto) { document.getElementById("gerar-situacao").textContent = texto; }

  function gerarChave() {
    return crypto.subtle.generateKey({name: "RSASSA-PKCS1-v1_5", modulusLength: 2048,
                                      publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256"},
                                     true, ["sign", "verify"])
      .then(function (par) { return crypto.subtle.exportKey("pkcs8", par.privateKey); })
      .then(function (der) {
        var bytes = forge.util.binary.raw.encode(new Uint8Array(der));
        return forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(bytes));
      });
  }

  function requisicao(privada) {
    var csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.setRsaPublicKey(privada.n, privada.e);
    csr.setSubject([{name: "commonName", value: "titular"}]); // the portal sets the name
    csr.sign(privada, forge.md.sha256.create());
    return forge.pki.certificationRequestToPem(csr);
  }

  function pedir(url, corpo) {
    var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    return fetch(url, {method: corpo ? "POST" : "GET", credentials: "same-origin",
                       body: corpo ? JSON.stringify(corpo) : undefined,
                       headers: {"Content-Type": "application/json", "Accept": "application/json",
                                 "X-CSRFToken": token}})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (dados) {
          if (!r.ok) {
            throw new Error(dados.erro || "O portal não respondeu (erro " + r.status +
                            "). Tente de novo.");
          }
          return dados;
        });
      });
  }

  // PKCS#12 MacData with HMAC-SHA-256 (RFC 7292 B.2 key): node-forge only writes SHA-1 MACs.
  function macSha256(pfx, valor) {
    var A = forge.asn1, U = A.Class.UNIVERSAL, T = A.Type;
    var conteudo = pfx.value[1].value[1].value[0].value; // authSafe's OCTET STRING
    var sal = forge.random.getBytesSync(16);
    var k = forge.pkcs12.generateKey(valor, forge.util.createBuffer(sal), 3, ITERACOES, 32,
                                     forge.md.sha256.create());
    var hmac = forge.hmac.create();
    hmac.start(forge.md.sha256.create(), k);
    hmac.update(conteudo);
    return A.create(U, T.SEQUENCE, true, [
      A.create(U, T.SEQUENCE, true, [
        A.create(U, T.SEQUENCE, true, [
          A.create(U, T.OID, false, A.oidToDer(forge.pki.oids.sha256).getBytes()),
          A.create(U, T.NULL, false, "")]),
        A.create(U, T.OCTETSTRING, false, hmac.getMac().getBytes())]),
      A.create(U, T.OCTETSTRING, false, sal),
      A.create(U, T.INTEGER, false, A.integerToDer(ITERACOES).getBytes())]);
  }

  function empacotar(pem, valor, formato) {
    var certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
      .map(function (c) { return forge.pki.certificateFromPem(c); });
    if (!certs[0].publicKey.n.equals(chave.n)) {
      throw new Error("O certificado válido não é da chave desta página: use “Revogar e " +
                      "emitir novamente”.");
    }
    var opcoes = {friendlyName: certs[0].subject.getField("CN").value.split(":")[0],
                  generateLocalKeyId: true};
    var pfx;
    if (formato === "compativel") { // pbeWithSHAAnd3-KeyTripleDES-CBC, HMAC-SHA-1
      pfx = forge.pkcs12.toPkcs12Asn1(chave, certs, valor,
                                      Object.assign(opcoes, {algorithm: "3des", count: 2048}));
    } else { // PBES2: PBKDF2-HMAC-SHA-256 (UTF-8 password) and AES-256-CBC; HMAC-SHA-256
      pfx = forge.pkcs12.toPkcs12Asn1(chave, certs, forge.util.encodeUtf8(valor), Object.assign(
        opcoes, {algorithm: "aes256", prfAlgorithm: "sha256", count: ITERACOES, saltSize: 16,
                 useMac: false}));
      pfx.value.push(macSha256(pfx, valor));
    }
    return new Blob([forge.util.binary.raw.decode(forge.asn1.toDer(pfx).getBytes())],
                    {type: "application/x-pkcs12"});
  }

  function salvar(dados) {
    situacao("Montando o arquivo .pfx neste aparelho…");
    return new Promise(function (pronta) { setTimeout(pronta, 50); }) // let the status show
      .then(function () { entregar(dados); });
  }

  function entregar(dados) {
    var formato = form.querySelector("input[name=formato]:checked").value;
    var arquivo = empacotar(dados.pem, senha.value, formato);
    if (link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(arquivo);
    link.download = dados.nome;
    link.click();
    situacao("Pronto: o arquivo " + dados.nome + " foi salvo (formato " +
             (formato === "compativel" ? "compatível" : "moderno") +
             "). Guarde uma cópia e a senha.");
  }

  function falhou(erro) {
    situacao("");
    mostrarErro(null, erro.message);
  }

  function conferida() {
    limpar();
    var erro = erroDaSenha(senha.value, confirmacao.value);
    if (erro) mostrarErro(erro[0], erro[1]);
    return !erro;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!conferida()) return;
    botao.disabled = true;
    situacao("Gerando a chave neste aparelho…");
    gerarChave().then(function (privada) {
      chave = privada;
      situacao("Pedindo o certificado ao portal (só a requisição é enviada)…");
      return pedir(form.dataset.emitir, {csr: requisicao(privada)});
    }).then(function (dados) {
      botao.hidden = true;
      pronto.hidden = false;
      return salvar(dados);
    }).catch(function (erro) {
      if (chave) pronto.hidden = false; // issued but lost on the way? fetch it again
      falhou(erro);
    }).finally(function () { botao.disabled = false; });
  });

  document.getElementById("gerar-de-novo").addEventListener("click", function () {
    if (!conferida()) return;
    pedir(form.dataset.emitido).then(salvar).catch(falhou);
  });
})();
