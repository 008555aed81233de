"""What the pages of fiches keep in the cache besides the figures — a territory's list, the search's cards and facets,
the rendered tables of the figures — is kept by what the reader may see, and every write shows on the next page."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import ProjetFactory
from ti.projets import referentiels
from ti.projets.models import Competence, Levier, Theme

ANNUAIRE = reverse("projets:annuaire")
URL_NATIONAL = reverse("projets:chiffres_national")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _referentiels(db):
    referentiels.charger(Theme, Competence, Levier)


def url_liste(territoire):
    return reverse("projets:territoire", args=[territoire.identifiant])


def texte(reponse) -> str:
    return re.sub(r"\s+", " ", html.unescape(reponse.content.decode()))


def titres(reponse) -> list[str]:
    """The titles of the fiches listed, in order: the territory's table or the search's cards."""
    return re.findall(r'<a href="/projets/\d+/">([^<]+)</a>', reponse.content.decode())


# A territory's list.


def test_la_liste_relue_vient_du_cache(
    client, chef_projet, territoire_projets, projet_public, projet_prive, django_assert_max_num_queries
):
    client.force_login(chef_projet)
    premiere = client.get(url_liste(territoire_projets))
    # Session, user, habilitations, the territory: its fiches' number and rows are in the cache.
    with django_assert_max_num_queries(4):
        seconde = client.get(url_liste(territoire_projets))
    assert titres(seconde) == titres(premiere) == [projet_prive.titre, projet_public.titre]  # attirer, innover


@pytest.mark.parametrize(
    "ordre",
    [["chef_projet", "autre_chef_projet", None], [None, "autre_chef_projet", "chef_projet"]],
)
def test_deux_perimetres_ne_partagent_jamais_la_liste(
    client, request, territoire_projets, projet_public, projet_prive, ordre
):
    attendu = {
        "chef_projet": [projet_prive.titre, projet_public.titre],
        "autre_chef_projet": [projet_public.titre],
        None: [projet_public.titre],
    }
    for personne in ordre:
        client.logout()
        if personne:
            client.force_login(request.getfixturevalue(personne))
        assert titres(client.get(url_liste(territoire_projets))) == attendu[personne]


def test_une_fiche_modifiee_ou_archivee_se_voit_dans_la_liste(client, chef_projet, territoire_projets, projet_public):
    client.force_login(chef_projet)
    assert titres(client.get(url_liste(territoire_projets))) == [projet_public.titre]

    projet_public.titre = "Plateforme renommée"
    projet_public.save()
    assert titres(client.get(url_liste(territoire_projets))) == ["Plateforme renommée"]

    ProjetFactory(territoire=territoire_projets, titre="Nouvelle fiche", archive=True)
    ProjetFactory(territoire=territoire_projets, titre="Autre fiche")
    assert titres(client.get(url_liste(territoire_projets))) == ["Autre fiche", "Plateforme renommée"]


def test_une_commune_renommee_se_voit_dans_la_liste(client, chef_projet, territoire_projets, projet_public):
    client.force_login(chef_projet)
    client.get(url_liste(territoire_projets))
    commune = projet_public.commune
    commune.nom = "Dreux-la-Neuve"
    commune.save()
    assert "Dreux-la-Neuve" in texte(client.get(url_liste(territoire_projets)))


# The search: the cards of a page and the facets.


def test_la_recherche_relue_montre_les_fiches_modifiees(client, chef_projet, projet_public, projet_prive):
    client.force_login(chef_projet)
    assert set(titres(client.get(ANNUAIRE))) == {projet_public.titre, projet_prive.titre}

    projet_prive.public = True
    projet_prive.budget = 1_234_567
    projet_prive.save()
    page = texte(client.get(ANNUAIRE))
    assert page.count("Publique") == 2 and "Privée" not in page
    assert "Budget : 1 234 567,00 €" in page


def test_un_theme_renomme_se_voit_sur_la_carte_et_dans_les_facettes(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    assert "Innovation de rupture" not in texte(client.get(ANNUAIRE))
    theme = Theme.objects.get(code="innovation")
    theme.libelle = "Innovation de rupture"
    theme.save()
    reponse = client.get(ANNUAIRE)
    assert re.search(r"Thèmes : [^<]*Innovation de rupture", texte(reponse))  # the card
    assert 'for="theme-innovation">Innovation de rupture (1<' in reponse.content.decode()  # the facet's box


def test_les_facettes_d_un_autre_perimetre_ne_sont_jamais_servies(client, chef_projet, autre_chef_projet, projet_prive):
    client.force_login(chef_projet)
    assert 'for="axe-attirer">Attirer (1<' in client.get(ANNUAIRE).content.decode()
    client.force_login(autre_chef_projet)
    reponse = client.get(ANNUAIRE)
    assert "axe-attirer" not in reponse.content.decode()
    assert titres(reponse) == []


# The rendered tables of the figures.


def test_les_tableaux_rendus_suivent_les_ecritures(client, equipe_nationale, territoire_projets, projet_public):
    client.force_login(equipe_nationale)
    assert '<td class="fr-cell--right">250 000 €</td>' in texte(client.get(URL_NATIONAL))  # the région's row

    ProjetFactory(territoire=territoire_projets, budget=1_000_000)
    assert '<td class="fr-cell--right">1 250 000 €</td>' in texte(client.get(URL_NATIONAL))
