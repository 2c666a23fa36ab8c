// The "Documentos" step: a photo is reduced in the browser to at most 1600 px (longest side),
// as JPEG, before it travels (low bandwidth). Without this file, or in a browser without
// canvas.toBlob / DataTransfer, the chosen file is sent as it is and the server reduces it.
(function () {
  "use strict";
  var LADO = 1600;
  // Loaded again by app.js after each htmx visit: each form is prepared once.
  var form = document.querySelector("form[data-documentos]:not([data-pronto])");
  if (!form || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob || !window.URL) return;
  form.setAttribute("data-pronto", "");
  var botao = form.querySelector("button[type=submit]");
  var pendentes = 0;

  var ocupado = function (delta) {
    pendentes += delta;
    form.setAttribute("aria-busy", pendentes > 0 ? "true" : "false");
    if (botao) botao.disabled = pendentes > 0;
  };

  var reduzir = function (input) {
    var arquivo = input.files && input.files[0];
    if (!arquivo || !/^image\/(jpeg|png)$/.test(arquivo.type)) return;
    var endereco = URL.createObjectURL(arquivo);
    var imagem = new Image();
    ocupado(1);
    var fim = function () { URL.revokeObjectURL(endereco); ocupado(-1); };
    imagem.onerror = fim;  // not an image after all: the server says so
    imagem.onload = function () {
      var escala = Math.min(1, LADO / Math.max(imagem.naturalWidth, imagem.naturalHeight));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(imagem.naturalWidth * escala);
      canvas.height = Math.round(imagem.naturalHeight * escala);
      var contexto = canvas.getContext("2d");
      contexto.fillStyle = "#fff";  // a transparent PNG becomes white, not black
      contexto.fillRect(0, 0, canvas.width, canvas.height);
      contexto.drawImage(imagem, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (blob && (blob.size < arquivo.size || arquivo.type !== "image/jpeg")) {
          var nome = arquivo.name.replace(/\.[^.]*$/, "") + ".jpg";
          var lista = new DataTransfer();
          lista.items.add(new File([blob], nome, { type: "image/jpeg" }));
          input.files = lista.files;
        }
        fim();
      }, "image/jpeg", 0.85);
    };
    imagem.src = endereco;
  };

  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () { reduzir(input); });
  });
})();
