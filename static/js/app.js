// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var anuncio = function (texto) {
    var regiao = document.getElementById("anuncio");
    if (!regiao) return;
    regiao.textContent = "";
    window.setTimeout(function () { regiao.textContent = texto; }, 50);
  };

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

  // htmx does not swap 4xx/5xx answers: say something instead of doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var codigo = event.detail.xhr ? event.detail.xhr.status : 0;
    anuncio(codigo === 429 ? "Muitas tentativas. Aguarde alguns minutos." :
      codigo === 503 ? "Sistema indisponível no momento. Tente de novo em 1 minuto." :
      "Não foi possível concluir. Recarregue a página e tente de novo.");
  });
  document.addEventListener("htmx:sendError", function () {
    anuncio("Sem conexão. Verifique sua internet e tente de novo.");
  });

  // "Copiar" buttons: copy the text of the element named in data-copiar.
  document.addEventListener("click", function (event) {
    var botao = event.target.closest("[data-copiar]");
    if (!botao || !navigator.clipboard) return;
    var origem = document.getElementById(botao.getAttribute("data-copiar"));
    if (!origem) return;
    event.preventDefault();
    navigator.clipboard.writeText(origem.textContent.replace(/\s+/g, " ").trim()).then(function () {
      anuncio("Copiado.");
      botao.setAttribute("data-copiado", "");
    });
  });

  // Inside an iframe: tell the host page our height so the frame can grow.
  if (window.parent !== window) {
    var avisar = function () {
      window.parent.postMessage({ tipo: "area-cliente:altura", altura: document.documentElement.scrollHeight }, "*");
    };
    window.addEventListener("load", avisar);
    document.addEventListener("htmx:afterSettle", avisar);
    if (window.ResizeObserver) new ResizeObserver(avisar).observe(document.body);
  }

  // "Baixar meu certificado": a live strength hint for the new password (the server's rules
  // still decide; same scale as services.emissao.forca_senha).
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
})();
