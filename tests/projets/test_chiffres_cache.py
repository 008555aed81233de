"""The figures of fiches-action are cached by what the reader may see, and every write shows on the next page.

Write paths: each test reads a page once (its figures are then in the cache), writes one way, and reads again:
without the signal or the call that invalidates, the second read would be the cached, stale figure.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from tests.factories import LigneFinancementFactory, ProjetFactory, utilisateur_avec
from tests.projets.test_import import CAMPUS, FRICHE, fichier_csv, importer_fichier
from ti.comptes.models import Role
from ti.comptes.permissions import visibilite
from ti.projets import referentiels
from ti.projets.models import Competence, Levier, StatutFinancement, Theme

URL_NATIONAL = reverse("projets:chiffres_national")


@pytest.fixture(autouse=True)
def _referentiels(db):
    referentiels.charger(Theme, Competence, Levier)


def url_territoire(territoire):
    return reverse("projets:chiffres_territoire", args=[territoire.identifiant])


def url_region(code="24"):
    return reverse("projets:chiffres_region", args=[code])


@pytest.fixture
def national(client, equipe_nationale, projet_public, projet_prive):
    """The national team's page, read once: its figures are in the cache."""
    client.force_login(equipe_nationale)

    def lire():
        return client.get(URL_NATIONAL).context

    assert lire()["chiffres"]["fiches"] == 2
    return lire


# What each user sees: the key is their visibility, never their account.


def test_le_nom_de_la_visibilite(db, territoire_projets, autre_territoire_projets, cvl, bretagne):
    assert visibilite(AnonymousUser()) == "public"
    assert visibilite(utilisateur_avec(Role.EQUIPE_NATIONALE)) == visibilite(utilisateur_avec(Role.EQUIPE_NATIONALE))
    assert visibilite(utilisateur_avec(Role.EQUIPE_NATIONALE)) == "tout"
    chef = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_projets)
    binome = utilisateur_avec(Role.BINOME, territoire=territoire_projets)  # another role, the same fiches
    assert visibilite(chef) == visibilite(binome)
    autres = [
        utilisateur_avec(Role.CHEF_PROJET, territoire=autre_territoire_projets),
        utilisateur_avec(Role.INSTRUCTEUR, region=cvl),
        utilisateur_avec(Role.INSTRUCTEUR, region=bretagne),
    ]
    noms = {visibilite(chef), "public", "tout", *(visibilite(u) for u in autres)}
    assert len(noms) == 3 + len(autres)
    assert visibilite(utilisateur_avec(Role.PORTEUR, siret="73282932000074")) == "public"  # no scope: as a visitor


@pytest.mark.parametrize(
    "ordre",
    [
        ["chef_projet", "autre_chef_projet", None],
        [None, "autre_chef_projet", "chef_projet"],
        ["autre_chef_projet", "chef_projet", None],
    ],
)
def test_deux_perimetres_ne_partagent_jamais_leurs_chiffres(client, request, territoire_projets, fiches, ordre):
    """Dreux's chef de projet counts its private fiche; Vierzon's chef de projet and a visitor do not, whoever
    came first and filled the cache."""
    attendu = {"chef_projet": 2, "autre_chef_projet": 1, None: 1}
    for personne in ordre:
        client.logout()
        if personne:
            client.force_login(request.getfixturevalue(personne))
        assert client.get(url_territoire(territoire_projets)).context["chiffres"]["fiches"] == attendu[personne]


def test_l_equipe_nationale_partage_une_seule_entree(client, fiches, django_assert_max_num_queries):
    # Both accounts first: granting a habilitation changes the network's figures shown on the same page.
    premiere, seconde = utilisateur_avec(Role.EQUIPE_NATIONALE), utilisateur_avec(Role.EQUIPE_NATIONALE)
    client.force_login(premiere)
    client.get(URL_NATIONAL)

    client.force_login(seconde)
    # Session, user, second factor's device, habilitations: the figures come from the cache.
    with django_assert_max_num_queries(4):
        assert client.get(URL_NATIONAL).context["chiffres"]["fiches"] == 2


@pytest.fixture
def fiches(projet_public, projet_prive):
    return projet_public, projet_prive


# Every write to what the figures read shows on the next page.


def test_une_fiche_creee(national, territoire_projets):
    ProjetFactory(territoire=territoire_projets)

    assert national()["chiffres"]["fiches"] == 3


def test_une_fiche_archivee(national, projet_prive):
    projet_prive.archive_le = timezone.now()
    projet_prive.save()

    assert national()["chiffres"]["fiches"] == 1


def test_une_fiche_supprimee(national, projet_prive):
    projet_prive.delete()

    assert national()["chiffres"]["fiches"] == 1


def test_une_ligne_de_financement_ajoutee(national, projet_prive):
    LigneFinancementFactory(projet=projet_prive, montant=Decimal("1000"), statut=StatutFinancement.ACQUIS)

    assert national()["chiffres"]["financement"]["acquis"] == Decimal("81000.00")


def test_une_ligne_de_financement_supprimee(national, projet_public):
    projet_public.financements.get(statut=StatutFinancement.ACQUIS).delete()

    assert national()["chiffres"]["financement"]["acquis"] == Decimal("0.00")


def test_un_theme_ajoute_a_une_fiche(national, projet_prive):
    projet_prive.themes.add("decarbonation")

    themes = {t["code"]: t["nombre"] for t in national()["chiffres"]["par_theme"]}
    assert themes["decarbonation"] == 1


def test_un_theme_renomme(national):
    theme = Theme.objects.get(code="decarbonation")
    theme.libelle = "Décarbonation de l’industrie"
    theme.save()

    libelles = {t["code"]: t["libelle"] for t in national()["chiffres"]["par_theme"]}
    assert libelles["decarbonation"] == "Décarbonation de l’industrie"


def test_un_territoire_renomme(national, territoire_projets):
    territoire_projets.nom = "Agglo du Pays de Dreux"
    territoire_projets.save()

    assert [t.nom for t in national()["territoires"]] == ["Agglo du Pays de Dreux"]


def test_un_territoire_entre_dans_une_region(client, fiches, autre_territoire_projets, bretagne):
    """The région's figures are computed over the fiches the agent sees, through the territories' régions."""
    client.force_login(utilisateur_avec(Role.INSTRUCTEUR, region=bretagne))
    ProjetFactory(territoire=autre_territoire_projets, public=False)
    assert client.get(url_region("53")).context["chiffres"]["fiches"] == 0

    autre_territoire_projets.regions.add(bretagne)

    assert client.get(url_region("53")).context["chiffres"]["fiches"] == 1


def test_l_import_de_fiches(client, territoire_projets, chef_projet):
    """The fiches import writes in bulk: no signal, its own call."""
    client.force_login(chef_projet)
    assert client.get(url_territoire(territoire_projets)).context["chiffres"]["fiches"] == 0

    importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS, FRICHE))

    chiffres = client.get(url_territoire(territoire_projets)).context["chiffres"]
    assert chiffres["fiches"] == 2
    assert chiffres["financement"]["acquis"] == Decimal("400000.00")
