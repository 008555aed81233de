"""Migration 0003: every award stored before it becomes a dossier of one line, with its territories."""

from decimal import Decimal

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ti.financements.models import AttributionFondsVert, LigneFondsVert

from ..factories import CommuneFactory, TerritoireFactory

AVANT = [("financements", "0002_index_file_et_subventions")]


def test_une_attribution_devient_un_dossier_d_une_ligne(transactional_db, django_db_serialized_rollback):
    commune = CommuneFactory(code="45208", nom="Montargis")
    territoire = TerritoireFactory(communes=[commune])
    executor = MigrationExecutor(connection)
    executor.migrate(AVANT)
    anciennes = executor.loader.project_state(AVANT).apps
    Attribution = anciennes.get_model("financements", "AttributionFondsVert")
    attribution = Attribution.objects.create(
        annee=2024,
        nom_region="Centre-Val de Loire",
        code_departement="45",
        code_commune="45208",
        nom_commune="MONTARGIS",
        axe="3",
        numero_demarche="90001",
        nom_demarche="Démarche",
        numero_dossier="1",
        nom_projet="Projet",
        beneficiaire="EXEMPLE",
        siren="999000011",
        montant_engage=Decimal("1000.50"),
        commune_id="45208",
        region_id=commune.region_id,
    )
    Attribution.territoires.through.objects.create(attributionfondsvert_id=attribution.pk, territoire_id=territoire.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    dossier = AttributionFondsVert.objects.get()
    assert (dossier.numero_dossier, dossier.montant_engage, dossier.nombre_lignes) == ("1", Decimal("1000.50"), 1)
    ligne = LigneFondsVert.objects.get()
    assert (ligne.attribution, ligne.rang, ligne.code_commune, ligne.commune_id) == (dossier, 1, "45208", "45208")
    assert (ligne.beneficiaire, ligne.siren, ligne.montant_engage) == ("EXEMPLE", "999000011", Decimal("1000.50"))
    assert list(ligne.territoires.all()) == [territoire]
