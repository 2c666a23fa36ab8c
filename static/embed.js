/* Área do Cliente in a host page: <script src="https://PORTAL/static/embed.js" async></script>
   next to <iframe src="https://PORTAL/entrar" ...>. Keeps each portal frame exactly as tall
   as its content (growing and shrinking), trusting only messages from the portal's origin. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origem = new URL(script ? script.src : "", window.location.href).origin;
  window.addEventListener("message", function (event) {
    if (event.origin !== origem) return;
    var dados = event.data;
    if (!dados || dados.tipo !== "area-cliente:altura" || typeof dados.altura !== "number") return;
    var quadros = document.getElementsByTagName("iframe");
    for (var i = 0; i < quadros.length; i++) {
      if (quadros[i].contentWindow === event.source) {
        quadros[i].style.height = Math.max(0, Math.ceil(dados.altura)) + "px";
        quadros[i].setAttribute("data-altura", String(Math.ceil(dados.altura)));
      }
    }
  });
})();
