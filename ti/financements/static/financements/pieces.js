// The pieces of a dossier, joined and withdrawn without reloading the page (progressive enhancement).
// Without JavaScript, « Joindre les fichiers » and « Retirer » post the whole form, which saves the draft first.
// With it, they send only the piece (fetch, header X-Requested-With: fetch) and replace the pieces' part of the page
// with the server's answer: what the porteur typed elsewhere in the form stays as it is.
(function () {
  "use strict";
  var formulaire = document.getElementById("formulaire-dossier");
  if (!formulaire || !window.fetch || !window.FormData) return;
  var jeton = formulaire.querySelector("input[name=csrfmiddlewaretoken]").value;

  function remplacer(html) {
    var conteneur = document.getElementById("pieces-contenu");
    var modele = document.createElement("template");
    modele.innerHTML = html.trim();
    var nouveau = modele.content.getElementById("pieces-contenu");
    if (!nouveau) throw new Error("réponse inattendue");
    conteneur.replaceWith(nouveau);
    // The live region stays in the page: screen readers announce what changed (joined, withdrawn, refused).
    var annonce = document.getElementById("pieces-annonce");
    annonce.className = "fr-sr-only";
    annonce.textContent = nouveau.getAttribute("data-annonce") || "";
    var erreurs = nouveau.querySelector("#pieces-erreurs");
    if (erreurs) erreurs.focus();
  }

  function envoyer(url, donnees, bouton) {
    donnees.append("csrfmiddlewaretoken", jeton);
    bouton.disabled = true;
    bouton.setAttribute("aria-busy", "true");
    return fetch(url, {
      method: "POST",
      body: donnees,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (reponse) {
        if (reponse.status !== 200 && reponse.status !== 400) throw new Error(reponse.status);
        return reponse.text();
      })
      .then(remplacer)
      .catch(function () {
        var annonce = document.getElementById("pieces-annonce");
        annonce.classList.remove("fr-sr-only");
        annonce.classList.add("fr-error-text");
        annonce.textContent = "L’envoi n’a pas abouti ; réessayez, ou enregistrez le brouillon pour joindre les fichiers.";
      })
      .finally(function () {
        bouton.disabled = false;
        bouton.removeAttribute("aria-busy");
      });
  }

  formulaire.addEventListener("click", function (evenement) {
    var bouton = evenement.target.closest("button[data-joindre-url], button[data-retirer-url]");
    if (!bouton) return;
    evenement.preventDefault();
    var donnees = new FormData();
    if (bouton.hasAttribute("data-joindre-url")) {
      var type = formulaire.querySelector("#pieces-contenu select[name=type]");
      var fichiers = formulaire.querySelector("#pieces-contenu input[name=fichier]");
      donnees.append("type", type.value);
      Array.prototype.forEach.call(fichiers.files, function (fichier) {
        donnees.append("fichier", fichier);
      });
      envoyer(bouton.getAttribute("data-joindre-url"), donnees, bouton);
    } else {
      envoyer(bouton.getAttribute("data-retirer-url"), donnees, bouton);
    }
  });
})();
