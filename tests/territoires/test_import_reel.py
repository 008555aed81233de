"""The real phase 1 file shipped in data/, against the real COG 2026: the figures the programme is known by."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from tests.factories import SCEAU
from ti.core.models import Journal
from ti.referentiel.models import Commune
from ti.territoires.importer import importer_territoires
from ti.territoires.models import CommuneTerritoire, Phase, Territoire

from .test_import import etat_de_la_base, vider_la_base

FICHIER = "data/territoires-industrie/temps1-communes-2020.csv"


@pytest.fixture(scope="module")
def rapport(django_db_setup, django_db_blocker):
    """COG 2026 and the phase 1 file, imported once for the module, then removed."""
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
        rapport = importer_territoires(phase=Phase.TEMPS_1, fichier=FICHIER)
    yield rapport
    with django_db_blocker.unblock():
        vider_la_base()


def test_les_chiffres_du_fichier_reel(db, rapport):
    assert rapport.accepte, rapport.erreurs
    assert rapport.lignes == 15_697
    assert rapport.territoires == len(rapport.crees) == 148
    assert len(rapport.codes_inconnus) == 6
    assert len(rapport.codes_rattaches) == 34
    # 15 697 lines − 6 unknown − 32 naming a commune already listed in the same territory (a déléguée and its
    # chef-lieu, or two déléguées of one commune nouvelle).
    assert rapport.doublons == 32
    assert rapport.communes == CommuneTerritoire.objects.count() == 15_659
    assert Territoire.objects.filter(phase=Phase.TEMPS_1).count() == 148


def test_les_six_codes_inconnus_sont_listes(db, rapport):
    assert [(c.ligne, c.code) for c in rapport.codes_inconnus] == [
        (1570, "42072"),
        (2318, "25134"),
        (2373, "25628"),
        (4090, "45287"),
        (5877, "08300"),
        (9420, "95282"),
    ]
    texte = str(rapport)
    assert "6 codes inconnus du référentiel, ignorés :" in texte
    assert "ligne 4090 : 45287 (sans nom dans le fichier)" in texte


def test_les_codes_rattaches_a_leur_chef_lieu(db, rapport):
    rattaches = {c.code: c.chef_lieu for c in rapport.codes_rattaches}
    assert len(rattaches) == 34
    assert rattaches["85037"] == rattaches["85053"] == "85289"  # Breuil-Barret, La Chapelle-aux-Lys → Terval
    assert rattaches["49069"] == "49126"  # Champtoceaux → Orée d'Anjou
    assert "ligne 15285 : 85037 « Breuil-Barret » → 85289 Terval" in str(rapport)
    ligne = CommuneTerritoire.objects.get(code_source="49069")
    assert (ligne.commune_id, ligne.via_chef_lieu) == ("49126", True)


def test_le_fichier_reel_ne_met_aucune_commune_dans_deux_territoires(db, rapport):
    """Checked, not assumed: the several-territories case is covered by test_import.py on a written file."""
    par_commune = Counter(CommuneTerritoire.objects.values_list("commune_id", flat=True))
    assert max(par_commune.values()) == 1


def test_les_epci_d_un_territoire_sont_deduits_de_ses_communes(db, rapport):
    sologne = Territoire.objects.get(identifiant="ti1-2407")

    assert sologne.nom == "Sologne"
    assert set(sologne.epcis.values_list("siren", flat=True)) == {
        "244100806",  # CC de la Sologne des Rivières
        "200018406",  # CC du Romorantinais et du Monestois
    }
    assert sologne.communes.count() == 23
    assert set(sologne.departements.values_list("code", flat=True)) == {"41"}


def test_les_regions_de_reference_sont_celles_des_communes(db, rapport):
    huisne = Territoire.objects.get(identifiant="ti1-5213")  # Vallée de l'Huisne: Eure-et-Loir, Orne, Sarthe

    assert set(huisne.departements.values_list("code", flat=True)) == {"28", "61", "72"}
    assert set(huisne.regions.values_list("code", flat=True)) == {"24", "28", "52"}


def test_la_population_est_celle_des_communes_distinctes(db, rapport):
    for territoire in Territoire.objects.filter(identifiant__in=["ti1-8401", "ti1-2404", "ti1-7505"]):
        attendue = Commune.objects.filter(appartenances__territoire=territoire).aggregate(p=Sum("population"))["p"]
        assert territoire.population == attendue


def test_chaque_territoire_a_des_epci_des_departements_et_une_region(db, rapport):
    vides = Territoire.objects.annotate(
        e=Count("epcis", distinct=True), d=Count("departements", distinct=True), r=Count("regions", distinct=True)
    ).filter(phase=Phase.TEMPS_1, e__gt=0, d__gt=0, r__gt=0)
    assert vides.count() == 148


def test_un_second_import_du_fichier_reel_ne_change_rien(db, rapport):
    avant = etat_de_la_base()

    second = importer_territoires(phase=Phase.TEMPS_1, fichier=FICHIER)

    assert second.change_rien
    assert len(second.inchanges) == 148
    assert etat_de_la_base() == avant


def test_un_fichier_des_groupements_reprenant_les_epci_deduits_ne_change_rien(db, rapport, tmp_path):
    liens = Territoire.epcis.through.objects.select_related("territoire", "epci").order_by("territoire__code")
    groupements = tmp_path / "groupements.csv"
    groupements.write_text(
        "id_ti,siren_groupement,lib_groupement\n"
        + "".join(f'{lien.territoire.code},{lien.epci_id},"{lien.epci.nom}"\n' for lien in liens)
    )
    journal = Journal.objects.count()

    second = importer_territoires(phase=Phase.TEMPS_1, fichier=FICHIER, groupements=groupements)

    assert second.change_rien, second.modifies
    assert second.liens_epci == len(liens)
    assert Journal.objects.count() == journal


def test_l_import_du_fichier_reel_se_fait_en_requetes_groupees(db, rapport, django_assert_max_num_queries):
    """Not one query per line: a fixed few, the perimeter rows in batches (249 rows a query on SQLite, which bounds
    the parameters of a query; 2 000 elsewhere) and one audit row per territory created, with its seal."""
    with django_assert_max_num_queries(30 + 15_659 // 249 + 1 + 148 * (1 + SCEAU)):
        importer_territoires(phase=Phase.TEMPS_2, fichier=FICHIER)
