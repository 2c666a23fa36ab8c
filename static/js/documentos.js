// The "Documentos" step: a photo is reduced in the browser to at most 1600 px (longest side),
// as JPEG, before it travels (low bandwidth). Without this file, or in a browser without
// createImageBitmap, canvas.toBlob or DataTransfer, the chosen file is sent as it is and the
// server reduces it.
(function () {
  "use strict";
  var LADO = 1600;
  // Loaded again by app.js after each htmx visit: each form is prepared once.
  var form = document.querySelector("form[data-documentos]:not([data-pronto])");
  if (!form || !window.DataTransfer || !window.createImageBitmap ||
      !HTMLCanvasElement.prototype.toBlob) return;
  form.setAttribute("data-pronto", "");
  var botao = form.querySelector("button[type=submit]");
  var pendentes = 0;

  var ocupado = function (delta) {
    pendentes += delta;
    form.setAttribute("aria-busy", pendentes > 0 ? "true" : "false");
    if (botao) botao.disabled = pendentes > 0;
  };

  // createImageBitmap reads the file itself: no blob: address, which the page's CSP refuses.
  var reduzir = function (input) {
    var arquivo = input.files && input.files[0];
    if (!arquivo || !/^image\/(jpeg|png)$/.test(arquivo.type)) return;
    ocupado(1);
    window.createImageBitmap(arquivo, { imageOrientation: "from-image" }).then(function (imagem) {
      var escala = Math.min(1, LADO / Math.max(imagem.width, imagem.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(imagem.width * escala);
      canvas.height = Math.round(imagem.height * escala);
      var contexto = canvas.getContext("2d");
      contexto.fillStyle = "#fff";  // a transparent PNG becomes white, not black
      contexto.fillRect(0, 0, canvas.width, canvas.height);
      contexto.drawImage(imagem, 0, 0, canvas.width, canvas.height);
      imagem.close();
      canvas.toBlob(function (blob) {
        if (blob && (blob.size < arquivo.size || arquivo.type !== "image/jpeg")) {
          var nome = arquivo.name.replace(/\.[^.]*$/, "") + ".jpg";
          var lista = new DataTransfer();
          lista.items.add(new File([blob], nome, { type: "image/jpeg" }));
          input.files = lista.files;
        }
        ocupado(-1);
      }, "image/jpeg", 0.85);
    }, function () { ocupado(-1); });  // not an image after all: the server says so
  };

  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () { reduzir(input); });
    reduzir(input);  // a photo chosen before this script arrived
  });
})();
