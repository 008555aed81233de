"""The real COG 2026 shipped in data/cog-2026, imported once for this module (and removed after it)."""

import csv
import gzip
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from ti.comptes.models import Utilisateur
from ti.referentiel.importer import Rapport, importer_cog
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Millesime, Region
from ti.referentiel.selectors import rechercher_communes, resoudre_communes

from .conftest import etat_du_referentiel

COG_2026 = settings.DONNEES_DIR / "cog-2026"
TEMPS_1 = settings.DONNEES_DIR / "territoires-industrie" / "temps1-communes-2020.csv"


@pytest.fixture(scope="module")
def rapport(django_db_setup, django_db_blocker) -> Rapport:
    """Committed outside the tests' transactions, so that each test sees it and rolls back only its own changes."""
    with django_db_blocker.unblock():
        rapport = importer_cog(COG_2026)
    yield rapport
    with django_db_blocker.unblock():
        for modele in (CommuneRattachee, Commune, Epci, Departement, Region, Millesime):
            modele.objects.all().delete()


@pytest.fixture
def referentiel(rapport, db) -> Rapport:
    return rapport


def test_le_cog_2026_compte_ce_que_disent_les_fichiers(referentiel):
    assert referentiel.comptes == {
        "regions": 18,
        "departements": 101,
        "epcis": 1255,
        "communes": 34875,  # the 34 969 communes actuelles of the file, less the 94 of the collectivités d'outre-mer
        "rattachees": 2621,  # 2 105 déléguées, 471 associées, 45 arrondissements municipaux
    }
    assert referentiel.hors_cog == {"regions": 8, "departements": 8, "communes": 94}
    assert Commune.objects.count() == 34875
    assert CommuneRattachee.objects.filter(type=CommuneRattachee.Type.DELEGUEE).count() == 2105
    assert CommuneRattachee.objects.filter(type=CommuneRattachee.Type.ASSOCIEE).count() == 471
    assert CommuneRattachee.objects.filter(type=CommuneRattachee.Type.ARRONDISSEMENT).count() == 45
    assert Millesime.courant().annee == 2026


def test_montargis_est_dans_l_agglomeration_montargoise(referentiel):
    montargis = Commune.objects.select_related("epci", "departement", "region").get(code="45208")

    assert montargis.epci.nom == "CA Montargoise et Rives du Loing (AME)"
    assert montargis.epci.siren == "244500203"
    assert montargis.epci.nature == Epci.Nature.CA
    assert (montargis.departement.nom, montargis.region.nom) == ("Loiret", "Centre-Val de Loire")
    assert montargis.codes_postaux == "45200"


def test_les_iles_sans_intercommunalite_n_ont_pas_d_epci(referentiel):
    sans_epci = set(Commune.objects.filter(epci=None).values_list("code", flat=True))

    assert sans_epci == {"22016", "29083", "29155", "85113"}  # Bréhat, Sein, Ouessant, Yeu


def test_chaque_commune_a_une_cle_de_recherche(referentiel):
    assert not Commune.objects.filter(nom_recherche="").exists()
    assert Commune.objects.get(code="42218").nom_recherche == "saint etienne"


def test_une_commune_deleguee_se_resout_en_son_chef_lieu(referentiel):
    resolution = resoudre_communes(["01340"])["01340"]  # Saint-Bois, déléguée of Arboys en Bugey

    assert (resolution.commune.code, resolution.commune.nom, resolution.via_chef_lieu) == (
        "01015",
        "Arboys en Bugey",
        True,
    )


def test_une_deleguee_qui_partage_le_code_de_son_chef_lieu_le_designe_directement(referentiel):
    assert CommuneRattachee.objects.filter(code="01015", type=CommuneRattachee.Type.DELEGUEE).exists()

    resolution = resoudre_communes(["01015"])["01015"]

    assert (resolution.commune.nom, resolution.via_chef_lieu) == ("Arboys en Bugey", False)


def test_les_arrondissements_de_paris_lyon_marseille_se_resolvent_en_leur_commune(referentiel):
    codes = [f"751{n:02d}" for n in range(1, 21)] + ["69381", "13201"]

    resolutions = resoudre_communes(codes)

    assert {code: r.commune.code for code, r in resolutions.items()} == {
        **{f"751{n:02d}": "75056" for n in range(1, 21)},
        "69381": "69123",
        "13201": "13055",
    }
    assert all(r.via_chef_lieu for r in resolutions.values())


def test_les_communes_du_temps_1_34_par_leur_chef_lieu_et_6_inconnues(referentiel, django_assert_max_num_queries):
    with TEMPS_1.open(encoding="utf-8") as fichier:
        codes = [ligne["insee_com"] for ligne in csv.DictReader(fichier)]
    assert len(codes) == 15697

    with django_assert_max_num_queries(2):
        resolutions = resoudre_communes(codes)

    assert len(resolutions) == 15697
    assert sum(1 for r in resolutions.values() if r.via_chef_lieu) == 34
    assert sorted(code for code, r in resolutions.items() if r.inconnue) == [
        "08300",
        "25134",
        "25628",
        "42072",
        "45287",
        "95282",
    ]


def test_toutes_les_communes_de_france_en_deux_requetes(referentiel, django_assert_max_num_queries):
    codes = list(Commune.objects.values_list("code", flat=True)) + list(
        CommuneRattachee.objects.values_list("code", flat=True)
    )

    with django_assert_max_num_queries(2):
        resolutions = resoudre_communes(codes)

    assert not any(r.inconnue for r in resolutions.values())


def test_rechercher_une_commune_reelle(referentiel):
    assert [str(c) for c in rechercher_communes("montargis")] == ["Montargis (45208)"]
    assert rechercher_communes("saint etienne", limite=2)[0].code == "42218"
    assert rechercher_communes("evry")[0].nom == "Évry"
    assert {c.code for c in rechercher_communes("45200")} == {"45004", "45208", "45200", "45249"}


def test_un_second_import_ne_change_rien_et_le_dit(referentiel, django_assert_max_num_queries):
    avant = etat_du_referentiel()
    sortie = StringIO()

    with django_assert_max_num_queries(4):
        call_command("import_cog", str(COG_2026), stdout=sortie)

    assert sortie.getvalue() == "Référentiel COG 2026 déjà à jour : aucun changement.\n"
    assert etat_du_referentiel() == avant


def test_les_memes_fichiers_non_compresses_sont_reconnus(referentiel, tmp_path):
    dossier = tmp_path / "cog-2026"
    dossier.mkdir()
    for chemin in COG_2026.glob("*.json.gz"):
        (dossier / chemin.name.removesuffix(".gz")).write_bytes(gzip.decompress(chemin.read_bytes()))
    sortie = StringIO()

    call_command("import_cog", str(dossier), stdout=sortie)

    assert sortie.getvalue() == "Référentiel COG 2026 déjà à jour : aucun changement.\n"


# — The admin: read-only, searchable —


@pytest.fixture
def administrateur(referentiel, client):
    client.force_login(Utilisateur.objects.create_superuser("admin@exemple.gouv.fr", "Admin-Technique-2026"))
    return client


@pytest.mark.parametrize(
    "modele", ["millesime", "region", "departement", "epci", "commune", "communerattachee"], ids=str
)
def test_l_admin_liste_le_referentiel_en_requetes_bornees(administrateur, modele, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        reponse = administrateur.get(reverse(f"admin:referentiel_{modele}_changelist"))

    assert reponse.status_code == 200


def test_l_admin_trouve_une_commune_sans_accents_ni_tirets(administrateur):
    reponse = administrateur.get(reverse("admin:referentiel_commune_changelist"), {"q": "saint-etienne-du-rouvray"})

    assert [c.code for c in reponse.context["cl"].result_list] == ["76575"]


def test_l_admin_trouve_une_commune_par_code_postal(administrateur):
    reponse = administrateur.get(reverse("admin:referentiel_commune_changelist"), {"q": "45200"})

    assert {c.code for c in reponse.context["cl"].result_list} >= {"45208", "45004"}


def test_l_admin_trouve_les_rattachees_d_une_commune(administrateur):
    reponse = administrateur.get(reverse("admin:referentiel_communerattachee_changelist"), {"q": "75056"})

    assert len(reponse.context["cl"].result_list) == 20


def test_l_admin_ne_permet_ni_ajout_ni_modification_ni_suppression(administrateur):
    commune = reverse("admin:referentiel_commune_change", args=["45208"])

    assert administrateur.get(reverse("admin:referentiel_commune_add")).status_code == 403
    assert administrateur.get(commune).status_code == 200  # viewable
    assert administrateur.post(commune, {"nom": "Montargis-sur-Mer"}).status_code == 403
    assert administrateur.get(reverse("admin:referentiel_commune_delete", args=["45208"])).status_code == 403
    assert Commune.objects.get(code="45208").nom == "Montargis"
