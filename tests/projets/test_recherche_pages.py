"""The one search of fiches-action (`projets:annuaire`): published fiches for a visitor, the agents' scope besides;
the agents' former address (`projets:recherche`) redirects to it."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import ProjetFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.projets.models import Axe, NoteSuivi, Theme
from ti.projets.views.recherche import PAR_PAGE

pytestmark = pytest.mark.django_db

ANNUAIRE = reverse("projets:annuaire")
RECHERCHE = reverse("projets:recherche")


def texte(reponse) -> str:
    """The page as read: entities decoded, every kind of space (non-breaking ones too) as one space."""
    return re.sub(r"\s+", " ", html.unescape(reponse.content.decode()))


def resultats(reponse) -> list[str]:
    """The titles of the result cards, in order."""
    return re.findall(r'<h3 class="fr-card__title"><a href="[^"]+">([^<]+)</a></h3>', reponse.content.decode())


# The public directory ------------------------------------------------------------------------------------------------


def test_l_annuaire_montre_les_fiches_publiees_a_tous(client, projet_public, projet_prive):
    reponse = client.get(ANNUAIRE)

    assert reponse.status_code == 200
    assert resultats(reponse) == ["Plateforme mutualisée de fabrication additive"]
    page = texte(reponse)
    assert "1 fiche-action trouvée" in page
    assert "Pays de Dreux — Dreux" in page
    assert "Innover" in page and "Étude · en cours" in page
    assert "Budget : 250 000,00 € — porté par Forges du Drouais" in page
    assert "Thèmes : Réindustrialisation, Innovation" in page
    assert "Privée" not in page and "Publique" not in page  # every fiche of the directory is public


def test_une_fiche_privee_n_apparait_qu_a_l_equipe_de_son_territoire(client, chef_projet, projet_public, projet_prive):
    assert resultats(client.get(ANNUAIRE, {"q": "friche"})) == []

    client.force_login(chef_projet)
    assert resultats(client.get(ANNUAIRE, {"q": "friche"})) == ["Reconversion de la friche Philips"]


def test_un_porteur_sans_perimetre_voit_les_fiches_publiees_comme_un_visiteur(client, projet_public, projet_prive):
    client.force_login(utilisateur_avec(Role.PORTEUR, siret="91234567500017"))

    reponse = client.get(ANNUAIRE)

    assert resultats(reponse) == ["Plateforme mutualisée de fabrication additive"]
    assert "Privée" not in texte(reponse) and "Télécharger ces fiches" in texte(reponse)


def test_l_annuaire_ne_publie_ni_le_journal_de_suivi_ni_le_referent(client, projet_public, chef_projet):
    projet_public.referent_email = "referente@forges-drouais.example"
    projet_public.referent_telephone = "02 37 00 00 00"
    projet_public.save()
    NoteSuivi.objects.create(projet=projet_public, auteur=chef_projet, texte="Relancer la Région sur le dossier.")

    page = texte(client.get(ANNUAIRE))

    assert "Plateforme mutualisée de fabrication additive" in page
    for prive in ["Relancer la Région", "referente@forges-drouais.example", "02 37 00 00 00"]:
        assert prive not in page


def test_l_annuaire_propose_l_export_au_schema_national_des_memes_criteres(client, projet_public):
    page = client.get(ANNUAIRE, {"q": "additive", "axe": "innover", "page": "1"}).content.decode()

    export = reverse("api:export_projets_collectivites")
    assert f'href="{export}?q=additive&amp;axe=innover"' in page


# The agents' scope ---------------------------------------------------------------------------------------------------


def test_l_ancienne_adresse_de_la_recherche_redirige_avec_ses_criteres(client, chef_projet):
    client.force_login(chef_projet)

    reponse = client.get(RECHERCHE, {"q": "friche", "axe": "attirer"})

    assert reponse.status_code == 301
    assert reponse["Location"] == f"{ANNUAIRE}?q=friche&axe=attirer"
    assert client.get(RECHERCHE)["Location"] == ANNUAIRE


def test_le_chef_de_projet_trouve_ses_fiches_privees_avec_leur_badge(client, chef_projet, projet_public, projet_prive):
    client.force_login(chef_projet)

    reponse = client.get(ANNUAIRE)

    assert reponse.status_code == 200
    assert set(resultats(reponse)) == {
        "Plateforme mutualisée de fabrication additive",
        "Reconversion de la friche Philips",
    }
    page = texte(reponse)
    assert "2 fiches-action trouvées" in page
    assert "Privée" in page and "Publique" in page
    assert "Budget : 1 200 000,00 €" in page
    assert "Télécharger les fiches publiées de cette recherche" in page  # the export stays the public one


def test_le_chef_de_projet_d_un_autre_territoire_ne_trouve_pas_la_fiche_privee(
    client, autre_chef_projet, projet_public, projet_prive
):
    client.force_login(autre_chef_projet)

    assert resultats(client.get(ANNUAIRE, {"q": "friche Philips"})) == []
    assert resultats(client.get(ANNUAIRE)) == ["Plateforme mutualisée de fabrication additive"]


def test_la_recherche_sans_accent_et_les_facettes_avec_leurs_nombres(client, chef_projet, projet_public, projet_prive):
    client.force_login(chef_projet)

    reponse = client.get(ANNUAIRE, {"q": "reconversion", "axe": "attirer"})

    assert resultats(reponse) == ["Reconversion de la friche Philips"]
    page = reponse.content.decode()
    assert re.search(r'<input type="checkbox" name="axe" id="axe-attirer" value="attirer" checked>', page)
    assert 'for="axe-attirer">Attirer (1<span class="fr-sr-only"> fiche</span>)' in page
    assert 'for="territoire-ti2-2405">Pays de Dreux (1<' in page
    assert "les plus pertinentes d’abord" in page
    # The ticked value can be removed by a link that keeps the rest of the search.
    assert 'href="?q=reconversion" aria-label="Retirer le filtre Axe : Attirer"' in page


def test_plusieurs_valeurs_d_une_facette_s_ajoutent(client, chef_projet, territoire_projets):
    for titre, axe in [("Alpha", Axe.INNOVER), ("Bêta", Axe.RECRUTER), ("Gamma", Axe.ATTIRER)]:
        ProjetFactory(territoire=territoire_projets, titre=titre, axe=axe)
    client.force_login(chef_projet)

    reponse = client.get(ANNUAIRE, {"axe": ["innover", "recruter"]})

    assert set(resultats(reponse)) == {"Alpha", "Bêta"}


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"axe": "voler"}, "Axe inconnu : « voler »"),
        ({"phase": "finie"}, "Phase inconnue : « finie »"),
        ({"statut": "perdu"}, "Statut de phase inconnu : « perdu »"),
        ({"region": "99"}, "Région inconnue : « 99 »."),
        ({"territoire": ["ti2-2405", "ti9-0000"]}, "Territoire inconnu : « ti9-0000 »."),
        ({"theme": "astrologie"}, "Thème inconnu : « astrologie »."),
        ({"q": "x" * 201}, "La recherche ne doit pas dépasser 200 caractères."),
    ],
)
def test_un_critere_invalide_est_dit_en_francais_sans_erreur_serveur(
    client, chef_projet, projet_public, parametres, message
):
    client.force_login(chef_projet)

    reponse = client.get(ANNUAIRE, parametres)

    assert reponse.status_code == 200
    page = texte(reponse)
    assert "Un critère de recherche n’est pas valide" in page
    assert message in page
    assert resultats(reponse) == []


def test_une_page_hors_limites_donne_la_derniere(client, chef_projet, territoire_projets):
    ProjetFactory.create_batch(PAR_PAGE + 3, territoire=territoire_projets)
    client.force_login(chef_projet)

    for page, numero, nombre in [("abc", 1, PAR_PAGE), ("999", 2, 3), ("-1", 2, 3)]:
        reponse = client.get(ANNUAIRE, {"page": page})
        assert reponse.status_code == 200
        assert reponse.context["page_obj"].number == numero
        assert len(resultats(reponse)) == nombre


def test_la_pagination_par_vingt_garde_les_criteres(client, chef_projet, territoire_projets):
    ProjetFactory.create_batch(25, territoire=territoire_projets, titre="Fonderie", axe=Axe.INNOVER)
    client.force_login(chef_projet)

    premiere = client.get(ANNUAIRE, {"q": "fonderie", "axe": "innover"})
    seconde = client.get(ANNUAIRE, {"q": "fonderie", "axe": "innover", "page": "2"})

    assert len(resultats(premiere)) == 20 and len(resultats(seconde)) == 5
    assert "25 fiches-action trouvées" in texte(premiere)
    assert 'href="?q=fonderie&amp;axe=innover&amp;page=2"' in premiere.content.decode()


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_recherche_en_requetes_bornees(
    client, chef_projet, territoire_projets, nombre, django_assert_max_num_queries
):
    themes = list(Theme.objects.all()[:2])
    for n in range(nombre):
        projet = ProjetFactory(territoire=territoire_projets, titre=f"Fonderie {n}", public=n % 2 == 0)
        projet.themes.set(themes)
    client.force_login(chef_projet)

    criteres = {"q": "fonderie", "territoire": territoire_projets.identifiant, "theme": themes[0].code}
    # session, user, habilitations, 2 to check the territory and theme ticked, the counts (total and facets: 2
    # queries) and the ids of the page, the first time; the page's fiches, their themes
    with django_assert_max_num_queries(10):
        reponse = client.get(ANNUAIRE, criteres)
    assert len(resultats(reponse)) == min(nombre, 20)

    # The same search again: counts, facets and the page's cards kept in the cache; session, user, habilitations,
    # the territory and theme ticked.
    with django_assert_max_num_queries(5):
        assert resultats(client.get(ANNUAIRE, criteres)) == resultats(reponse)


@pytest.mark.parametrize("nombre", [3, 30])
def test_l_annuaire_en_requetes_bornees(client, territoire_projets, nombre, django_assert_max_num_queries):
    ProjetFactory.create_batch(nombre, territoire=territoire_projets, public=True)

    # the counts (total and facets: 2 queries) and the ids of the page, the first time; the page's fiches, their
    # themes (the axis is checked without a query)
    with django_assert_max_num_queries(5):
        reponse = client.get(ANNUAIRE, {"axe": "innover", "page": "2" if nombre > 20 else "1"})
    assert len(resultats(reponse)) == (10 if nombre > 20 else nombre)
