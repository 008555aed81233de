// The dossier page, progressive enhancement. Without JavaScript: a summary of anchors, the sections one below the
// other, and a box to tick before a step that ends the dossier. With it:
// - the sections become DSFR tabs (the one named in the address, or holding an error, opens first);
// - the confirmation box is hidden and the step's button opens a DSFR dialog whose « Confirmer » ticks it and sends.
(function () {
  "use strict";

  function ongletDe(element) {
    return element && element.closest ? element.closest("[data-onglet]") : null;
  }

  function construireOnglets(conteneur) {
    var sections = Array.prototype.slice.call(conteneur.querySelectorAll(":scope > [data-onglet]"));
    if (sections.length < 2) return;
    var cible = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var choisie = ongletDe(cible) || ongletDe(document.querySelector(".fr-input-group--error, .fr-fieldset--error, .fr-checkbox-group--error, form .fr-alert--error")) || sections[0];
    var onglets = document.createElement("div");
    onglets.className = "fr-tabs fr-mb-4w";
    var liste = document.createElement("ul");
    liste.className = "fr-tabs__list";
    liste.setAttribute("role", "tablist");
    liste.setAttribute("aria-label", "Sections du dossier");
    onglets.appendChild(liste);
    sections.forEach(function (section) {
      var selectionnee = section === choisie;
      var item = document.createElement("li");
      item.setAttribute("role", "presentation");
      var bouton = document.createElement("button");
      bouton.type = "button";
      bouton.id = "onglet-" + section.id;
      bouton.className = "fr-tabs__tab";
      bouton.setAttribute("role", "tab");
      bouton.setAttribute("tabindex", selectionnee ? "0" : "-1");
      bouton.setAttribute("aria-selected", selectionnee ? "true" : "false");
      bouton.setAttribute("aria-controls", section.id);
      bouton.textContent = section.getAttribute("data-onglet");
      item.appendChild(bouton);
      liste.appendChild(item);
      section.classList.add("fr-tabs__panel");
      if (selectionnee) section.classList.add("fr-tabs__panel--selected");
      section.setAttribute("role", "tabpanel");
      section.setAttribute("aria-labelledby", bouton.id);
      section.setAttribute("tabindex", "0");
      onglets.appendChild(section);
    });
    var sommaire = conteneur.querySelector("[data-onglets-sommaire]");
    if (sommaire) sommaire.remove();
    conteneur.appendChild(onglets);
  }

  // A link to an element of a closed tab (the error summary, an anchor in the address) opens that tab first.
  function ouvrirOngletDe(id) {
    var element = id ? document.getElementById(id) : null;
    var section = ongletDe(element);
    if (!section || section.classList.contains("fr-tabs__panel--selected")) return;
    var bouton = document.getElementById("onglet-" + section.id);
    if (bouton) bouton.click();
  }

  function brancherConfirmations() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-confirmation]"), function (formulaire) {
      var modale = document.getElementById(formulaire.getAttribute("data-confirmation"));
      var caseGroupe = formulaire.querySelector("[data-case-confirmation]");
      var caseACocher = caseGroupe ? caseGroupe.querySelector("input[type=checkbox]") : null;
      if (!modale || !caseACocher) return;
      var sauf = formulaire.getAttribute("data-confirmer-sauf");
      if (!sauf && !caseGroupe.classList.contains("fr-checkbox-group--error")) {
        caseGroupe.hidden = true;
        caseACocher.required = false; // the dialog asks instead; the server still refuses an unconfirmed step
      }
      formulaire.addEventListener("submit", function (evenement) {
        var choix = formulaire.querySelector("select[name$='-statut']");
        if (caseACocher.checked || (sauf && choix && choix.value === sauf)) return;
        var api = window.dsfr ? window.dsfr(modale).modal : null;
        if (!api) {
          caseGroupe.hidden = false; // no dialog to open: the box is the confirmation, the server asks for it
          return;
        }
        evenement.preventDefault();
        api.disclose();
      });
      var confirmer = modale.querySelector("[data-confirmer]");
      confirmer.addEventListener("click", function () {
        caseACocher.checked = true;
        window.dsfr(modale).modal.conceal();
        formulaire.submit();
      });
    });
  }

  function demarrer() {
    var conteneur = document.querySelector("[data-onglets]");
    if (conteneur) construireOnglets(conteneur);
    document.addEventListener("click", function (evenement) {
      var lien = evenement.target.closest ? evenement.target.closest("a[href^='#']") : null;
      if (lien) ouvrirOngletDe(lien.getAttribute("href").slice(1));
    });
    window.addEventListener("hashchange", function () {
      ouvrirOngletDe(window.location.hash.slice(1));
    });
    brancherConfirmations();
    var resume = document.getElementById("resume-erreurs");
    if (resume) resume.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
  else demarrer();
})();
