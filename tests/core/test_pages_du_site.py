"""The pages of the footer: legal notices, personal data, cookies, accessibility statement, site map."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.html import lire
from ti.core import plan_du_site

PAGES = {
    "core:mentions_legales": "Mentions légales",
    "core:donnees_personnelles": "Données personnelles",
    "core:cookies": "Gestion des cookies",
    "core:accessibilite": "Déclaration d’accessibilité",
    "core:plan_du_site": "Plan du site",
}


@pytest.mark.parametrize("nom", PAGES)
def test_chaque_page_du_pied_de_page_s_ouvre_a_tous_en_requetes_bornees(client, db, nom, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse(nom))

    assert response.status_code == 200
    page = lire(response)
    assert page.h1() == PAGES[nom]
    libelle = "Accessibilité : partiellement conforme" if nom == "core:accessibilite" else PAGES[nom]
    assert page.pied_de_page()[libelle] == reverse(nom)


def test_le_pied_de_page_porte_les_liens_obligatoires_du_dsfr(client, db):
    page = lire(client.get(reverse("accueil")))

    for site in ("info.gouv.fr", "service-public.gouv.fr", "legifrance.gouv.fr", "data.gouv.fr"):
        lien = page.lien(site, partout=True)
        assert urlsplit(lien.href).netloc.removeprefix("www.") == site
        assert lien.attributs["target"] == "_blank" and lien.attributs["rel"] == "noopener"
        assert lien.attributs["title"] == f"{site} — nouvelle fenêtre"
    pied = page.pied_de_page()
    assert pied["Données ouvertes"] == reverse("pilotage:donnees_ouvertes")
    assert pied["Documentation de l’API"] == reverse("documentation_api:index")
    assert "Mes données personnelles" not in pied


def test_une_personne_connectee_trouve_ses_donnees_dans_le_pied_de_page_et_sur_la_page(client, equipe_nationale):
    client.force_login(equipe_nationale)

    page = lire(client.get(reverse("core:donnees_personnelles")))

    assert [lien.href for lien in page.liens if lien.texte == "Mes données personnelles"] == [
        reverse("comptes:mes_donnees")
    ] * 2


def test_les_durees_de_conservation_sont_celles_des_reglages(client, db, settings):
    settings.CONSERVATION_COMPTES_ANS = 5
    settings.SESSION_COOKIE_AGE = 6 * 3600

    texte = lire(client.get(reverse("core:donnees_personnelles"))).texte

    assert "Un compte sans connexion ni habilitation pendant 5 ans est anonymisé" in texte
    assert "Session : 6 heures au plus après la connexion, 30 minutes sans activité" in texte
    assert "Mission d’intérêt public (article 6.1.e du RGPD)" in texte


def test_les_cookies_annonces_sont_les_seuls_deposes_meme_a_la_connexion(client, db, settings):
    from tests.factories import utilisateur_avec
    from ti.comptes.models import Role

    texte = lire(client.get(reverse("core:cookies"))).texte
    annonces = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"}
    for nom in annonces:
        assert nom in texte
    assert "aucun bandeau" in texte

    personne = utilisateur_avec(Role.PORTEUR, siret="91234567500017")
    personne.set_password("un mot de passe assez long")
    personne.save()
    client.get(reverse("comptes:connexion"))
    client.post(reverse("comptes:connexion"), {"username": personne.email, "password": "un mot de passe assez long"})
    client.get(reverse("accueil"))

    assert settings.SESSION_COOKIE_NAME in client.cookies  # the login did happen
    assert set(client.cookies) <= annonces


def test_l_hebergeur_et_le_contact_viennent_des_reglages_sans_valeur_inventee(client, db, settings):
    settings.HEBERGEUR, settings.CONTACT_PLATEFORME = "", ""
    texte = lire(client.get(reverse("core:mentions_legales"))).texte
    assert "L’hébergeur n’est pas encore renseigné" in texte

    settings.HEBERGEUR = "Hébergeur public, 1 rue de l’Exemple, 75000 Paris"
    settings.CONTACT_PLATEFORME = "territoires@example.gouv.fr"
    page = lire(client.get(reverse("core:mentions_legales")))
    assert "Hébergeur public, 1 rue de l’Exemple, 75000 Paris" in page.texte
    assert page.lien("territoires@example.gouv.fr").href == "mailto:territoires@example.gouv.fr"


def test_la_declaration_d_accessibilite_suit_le_modele_du_rgaa(client, db):
    page = lire(client.get(reverse("core:accessibilite")))

    assert [texte for balise, texte in page.titres if balise == "h2"] == [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d’accessibilité",
        "Retour d’information et contact",
        "Voies de recours",
    ]
    assert "est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité" in page.texte
    assert "article 47 de la loi n° 2005-102 du 11 février 2005" in page.texte
    assert page.lien("Défenseur des droits").href.startswith("https://formulaire.defenseurdesdroits.fr")


# The site map -----------------------------------------------------------------------------------------------------


def test_le_plan_du_site_liste_chaque_page_publique_avec_un_titre(client, db):
    entrees = plan_du_site.pages_publiques()

    sans_titre = [entree.nom for entree in entrees if not entree.titre]
    assert sans_titre == [], f"Pages publiques sans titre dans ti/core/plan_du_site.py TITRES : {sans_titre}"
    assert not set(plan_du_site.TITRES) - {entree.nom for entree in entrees}, "Titre d’une page qui n’est plus publique"
    page = lire(client.get(reverse("core:plan_du_site")))
    liens = {lien.href: lien.texte for lien in page.liens_du_contenu()}
    for entree in entrees:
        assert liens[entree.url] == entree.titre


def test_chaque_page_du_plan_s_ouvre_a_un_visiteur(client, db):
    for entree in plan_du_site.pages_publiques():
        response = client.get(entree.url)
        assert response.status_code == 200, entree.nom
        assert response["Content-Type"].startswith("text/html"), entree.nom


def test_le_plan_ne_montre_ni_les_pages_reservees_ni_les_fichiers_ni_l_api(db):
    noms = {entree.nom for entree in plan_du_site.pages_publiques()}

    assert "comptes:mon_espace" not in noms  # login_required
    assert "comptes:deconnexion" not in noms  # POST only
    assert "foncier:export_sites" not in noms  # a file
    assert "territoires:detail" not in noms  # takes a parameter
    assert not {nom for nom in noms if nom.startswith(("api:", "otpadmin:"))}
    assert {"accueil", "pilotage:donnees_ouvertes", "documentation_api:index", "core:accessibilite"} <= noms


def test_le_plan_est_range_par_rubrique(client, db):
    page = lire(client.get(reverse("core:plan_du_site")))

    rubriques = [texte for balise, texte in page.titres if balise == "h2"]
    assert rubriques[0] == "Le programme" and rubriques[-1] == "Le site"
    assert len(rubriques) == len(set(rubriques))
