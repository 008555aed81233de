// Progress of a Fonds vert import: polls the JSON named by data-progression-url, updates the <progress> and the
// status text, and reloads the page once the import is finished (the page then shows its result).
(function () {
  "use strict";
  var bloc = document.querySelector("[data-progression-url]");
  if (!bloc) return;
  var barre = bloc.querySelector("progress");
  var texte = bloc.querySelector("[data-progression-texte]");
  var INTERVALLE = 1500;

  function interroger() {
    fetch(bloc.getAttribute("data-progression-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) throw new Error(reponse.status);
        return reponse.json();
      })
      .then(function (etat) {
        if (etat.termine) {
          window.location.reload();
          return;
        }
        barre.max = Math.max(etat.total, 1);
        barre.value = etat.traitees;
        texte.textContent = etat.message;
        window.setTimeout(interroger, INTERVALLE);
      })
      .catch(function () {
        texte.textContent = "La progression n’a pas pu être lue ; rechargez la page pour la voir.";
      });
  }

  window.setTimeout(interroger, INTERVALLE);
})();
