// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var anuncio = function (texto) {
    var regiao = document.getElementById("anuncio");
    if (!regiao) return;
    regiao.textContent = "";
    window.setTimeout(function () { regiao.textContent = texto; }, 50);
  };

  // A page that came back with errors: focus the summary, as after an htmx swap.
  var focarResumo = function () {
    var resumo = document.querySelector(".erro-resumo[data-foco]");
    if (resumo && document.activeElement !== resumo) resumo.focus();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focarResumo);
  else focarResumo();

  // After an htmx swap: move focus to the error summary or the new heading, keep the
  // document title in step, and announce the change to screen readers.
  document.addEventListener("htmx:afterSettle", function (event) {
    var alvo = event.detail.target || document.body;
    var foco = alvo.querySelector("[data-foco]") || alvo.querySelector("h1, h2");
    var titulo = alvo.querySelector("[data-titulo]");
    if (titulo) document.title = titulo.getAttribute("data-titulo");
    if (foco) {
      if (!foco.hasAttribute("tabindex")) foco.setAttribute("tabindex", "-1");
      foco.focus();
      anuncio(foco.textContent.trim());
    } else {
      var status = alvo.querySelector("[role=status]");
      if (status) anuncio(status.textContent.trim());
    }
  });

  // A step with a script of its own (data-script: "Documentos") arriving by an htmx swap,
  // where script tags do not run: load it, so it is fetched only where it is needed.
  document.addEventListener("htmx:afterSettle", function (event) {
    var alvo = event.detail.target || document.body;
    alvo.querySelectorAll("[data-script]").forEach(function (elemento) {
      var script = document.createElement("script");
      script.src = elemento.getAttribute("data-script");
      document.head.appendChild(script);
    });
  });

  // While an htmx form travels: its button is disabled and says "Enviando…", the form is
  // aria-busy. A failure keeps every field as typed and says how to retry.
  var envios = [];
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    var gatilho = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var botao = (gatilho && gatilho.submitter) || form.querySelector("button[type=submit], button:not([type])");
    var falha = form.querySelector(".falha-envio");
    if (falha) falha.remove();
    form.setAttribute("aria-busy", "true");
    if (botao) {
      envios.push({ form: form, botao: botao, texto: botao.innerHTML });
      botao.disabled = true;
      botao.textContent = "Enviando…";
    }
  });
  var liberar = function (form) {
    form.removeAttribute("aria-busy");
    envios = envios.filter(function (envio) {
      if (envio.form !== form) return true;
      envio.botao.disabled = false;
      envio.botao.innerHTML = envio.texto;
      return false;
    });
  };
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.tagName === "FORM") liberar(form);
  });
  var falhou = function (event, texto) {
    var form = event.detail.elt;
    if (form && form.tagName === "FORM") {
      var aviso = document.createElement("p");
      aviso.className = "aviso aviso-erro falha-envio";
      aviso.setAttribute("role", "alert");
      aviso.textContent = texto + " O que você digitou continua aqui: confira e toque no botão de novo.";
      form.insertBefore(aviso, form.firstChild);
      liberar(form);
    }
    anuncio(texto);
  };
  // htmx does not swap 4xx/5xx answers: say something instead of doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var codigo = event.detail.xhr ? event.detail.xhr.status : 0;
    falhou(event, codigo === 429 ? "Muitas tentativas. Aguarde alguns minutos." :
      codigo === 503 ? "Sistema indisponível no momento. Tente de novo em 1 minuto." :
      "Não foi possível concluir o envio.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    falhou(event, "Sem conexão: o envio não chegou.");
  });
  document.addEventListener("htmx:timeout", function (event) {
    falhou(event, "A conexão demorou demais e o envio foi interrompido.");
  });

  // "Copiar" buttons: copy the text of the element named in data-copiar. Where the clipboard
  // is refused (a frame without allow="clipboard-write"), select the text for the person.
  var selecionar = function (botao, origem) {
    var selecao = window.getSelection();
    selecao.removeAllRanges();
    var faixa = document.createRange();
    faixa.selectNodeContents(origem);
    selecao.addRange(faixa);
    var dica = document.getElementById(origem.id + "-dica");
    if (!dica) {
      dica = document.createElement("p");
      dica.id = origem.id + "-dica";
      dica.className = "dica";
      dica.setAttribute("role", "status");
      origem.insertAdjacentElement("afterend", dica);
    }
    dica.textContent = "Selecione e copie: o código acima já está selecionado; use a opção Copiar do seu aparelho.";
  };
  document.addEventListener("click", function (event) {
    var botao = event.target.closest("[data-copiar]");
    if (!botao) return;
    var origem = document.getElementById(botao.getAttribute("data-copiar"));
    if (!origem) return;
    event.preventDefault();
    if (!navigator.clipboard) return selecionar(botao, origem);
    navigator.clipboard.writeText(origem.textContent.replace(/\s+/g, " ").trim()).then(function () {
      anuncio("Copiado.");
      botao.setAttribute("data-copiado", "");
    }, function () { selecionar(botao, origem); });
  });

  // "Selecionar todos desta página": mark (or, when all are marked, unmark) every row of the
  // list's form, without the reload the link does with JavaScript off.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-selecionar-todos]");
    var form = link && link.closest("form");
    if (!form) return;
    event.preventDefault();
    var caixas = form.querySelectorAll("tbody input[type=checkbox]");
    var marcar = Array.prototype.some.call(caixas, function (c) { return !c.checked; });
    Array.prototype.forEach.call(caixas, function (c) { c.checked = marcar; });
    link.textContent = marcar ? "Desmarcar todos desta página" : "Selecionar todos desta página";
    anuncio(marcar ? caixas.length + " marcados." : "Nenhum marcado.");
  });

  // "Baixar meu certificado": a live strength hint for the new password (the rules in
  // static/js/emissao.js decide, on the same scale).
  document.addEventListener("input", function (event) {
    var campo = event.target;
    var saida = campo.getAttribute && document.getElementById(campo.getAttribute("data-forca"));
    if (!saida) return;
    var senha = campo.value;
    var classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (r) {
      return r.test(senha);
    }).length;
    var forca = senha.length >= 12 && classes >= 3 ? "forte"
      : senha.length >= 8 && classes >= 2 ? "média" : "fraca";
    saida.textContent = senha ? "Força da senha: " + forca + "." : "";
  });

  if (window.parent === window) return;

  // Inside an iframe: tell the host page (static/embed.js) the content's height. Measured on
  // the body, which is as tall as its content, not the document, which is never shorter
  // than the frame: the frame can then shrink as well as grow.
  var ultima = 0;
  var avisar = function () {
    var altura = Math.ceil(document.body.getBoundingClientRect().height);
    if (altura === ultima) return;
    ultima = altura;
    window.parent.postMessage({ tipo: "area-cliente:altura", altura: altura }, "*");
  };
  window.addEventListener("load", avisar);
  document.addEventListener("htmx:afterSettle", avisar);
  if (window.ResizeObserver) new ResizeObserver(avisar).observe(document.body);

  // A frame whose browser refuses the portal's cookie can never sign in: say so at once,
  // offer the Storage Access API where the browser has it, and a tab of its own.
  var aviso = document.getElementById("quadro-sem-sessao");
  if (!aviso || !window.fetch) return;
  fetch(aviso.getAttribute("data-sonda"), { credentials: "same-origin" })
    .then(function (resposta) { return resposta.json(); })
    .then(function (dados) {
      if (dados.sessao) return;
      aviso.hidden = false;
      var permitir = aviso.querySelector("[data-permitir-acesso]");
      if (!permitir || !document.requestStorageAccess) return;
      permitir.hidden = false;
      permitir.addEventListener("click", function () {
        document.requestStorageAccess().then(function () { window.location.reload(); },
          function () { permitir.hidden = true; });
      });
    }, function () {});
})();
