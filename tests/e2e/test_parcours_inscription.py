"""A company that has never used the platform: from the home page to the aid page, the eligibility check, its own
account, the confirmation e-mail, its SIRET checked in the company directory (a recorded response), and a draft
dossier. No URL typed but the link of the e-mail."""

import re
from pathlib import Path

from playwright.sync_api import expect

from ti.comptes import annuaire_entreprises
from ti.comptes.models import Habilitation, Utilisateur, Verification
from ti.core.travaux import executer_en_attente
from ti.financements.models import Dossier, Statut

from .test_parcours_fonds_vert import SIRET, programme_fonds_vert  # noqa: F401 (a fixture)

REPONSE_ENREGISTREE = Path(__file__).parents[1] / "comptes" / "donnees" / f"recherche_entreprises_{SIRET}.json"
EMAIL = "claire.durand@fonderie-exemple.fr"
MOT_DE_PASSE = "Forges-du-Gatinais-2026"


def test_de_la_page_d_aide_au_brouillon_de_dossier(
    page,
    live_server,
    programme_fonds_vert,  # noqa: F811 (the fixture imported above)
    mailoutbox,
    settings,
    monkeypatch,
):
    territoire, enveloppe = programme_fonds_vert
    settings.ANNUAIRE_ENTREPRISES_VERIFICATION = True
    monkeypatch.setattr(annuaire_entreprises, "_telecharger", lambda url, delai: REPONSE_ENREGISTREE.read_bytes())

    # The aid page, from the home page, without an account.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Financer un projet industriel : les aides du programme").click()
    page.get_by_role("link", name=enveloppe.dispositif.nom).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(enveloppe.dispositif.nom)
    expect(page.get_by_role("heading", name="Qui peut en bénéficier")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Centre-Val de Loire"))).to_contain_text("5 600 000,00")

    # The eligibility check, before any account.
    page.get_by_role("link", name="Vérifier l’éligibilité de mon projet").first.click()
    page.get_by_label("Nom de la structure porteuse").fill("Fonderie du Gâtinais")
    page.get_by_label("Type de porteur").select_option("entreprise")
    page.get_by_label("Volet du dispositif").select_option("investissement")
    page.get_by_label("Intitulé du projet").fill("Récupération de chaleur fatale sur four de fusion")
    page.get_by_label("Commune où le projet se réalise").fill("Montargis")
    page.locator("label[for=id_investissement_non_demarre]").click()  # the DSFR draws the box on the label
    page.get_by_role("button", name="Vérifier l’éligibilité").click()
    expect(page.get_by_role("heading", name="Votre projet est éligible")).to_be_visible()
    expect(page.get_by_text(territoire.nom, exact=False).first).to_be_visible()
    assert not Dossier.objects.exists()

    # The account, its confirmation e-mail through the job queue, the link.
    page.get_by_role("link", name="Créer mon compte et déposer").click()
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label(re.compile("^Mot de passe")).fill(MOT_DE_PASSE)
    page.get_by_label("Confirmation du mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    assert not Utilisateur.objects.get(email=EMAIL).is_active

    assert executer_en_attente() == 1
    (courriel,) = mailoutbox
    assert courriel.to == [EMAIL]
    lien = re.search(r"http://\S+/comptes/inscription/confirmer/\S+/", courriel.body).group(0)
    page.goto(live_server.url + lien.removeprefix(settings.SITE_URL))  # the link of the e-mail
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_text("Votre adresse est confirmée et votre compte activé.")).to_be_visible()

    # The SIRET, checked in the company directory: name and address come from its answer.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes entreprises")
    page.get_by_label("SIRET de l’entreprise").fill("732 829 320 00074")
    page.get_by_role("button", name="Ajouter l’entreprise").click()
    ligne = page.get_by_role("row", name=re.compile(SIRET))
    expect(ligne).to_contain_text("FONDERIE DU GATINAIS (EXEMPLE)")
    expect(ligne).to_contain_text("12 RUE DES FORGES 45200 MONTARGIS")
    expect(ligne).to_contain_text("Vérifié dans l’annuaire des entreprises")
    assert Habilitation.objects.get(utilisateur__email=EMAIL).verification == Verification.VERIFIE

    # The filing starts from the answers of the check; the draft is created.
    page.get_by_role("link", name=re.compile("Déposer un dossier")).click()
    expect(page.get_by_label("Intitulé du projet")).to_have_value("Récupération de chaleur fatale sur four de fusion")
    expect(page.get_by_label("Commune où le projet se réalise")).to_have_value("Montargis (45208)")
    page.get_by_label("SIRET de la structure porteuse").fill(SIRET)
    page.locator("label[for=id_investissement_non_demarre]").click()
    page.get_by_role("button", name="Vérifier et créer le dossier").click()
    expect(page.get_by_text(re.compile("Votre projet est éligible : le dossier FV2024-24-00001"))).to_be_visible()

    dossier = Dossier.objects.get()
    assert (dossier.porteur_siret, dossier.statut, dossier.territoire) == (SIRET, Statut.BROUILLON, territoire)
    assert dossier.deposant.email == EMAIL and dossier.porteur_nom == "Fonderie du Gâtinais"
