"""Under concurrent requests: every download is counted (the database adds one, no read-modify-write), and two new
versions uploaded at the same moment get two numbers. On PostgreSQL the calls run in parallel threads; SQLite runs
them one after the other and the same counts are asserted (tests/concurrence.py). The search's GIN index exists on
PostgreSQL; SQLite has no vector (NULL) and searches the text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.concurrence import en_meme_temps
from ti.animation import actions_ressources as actions
from ti.animation.models_ressources import Ressource, TypeRessource, Visibilite

PDF = b"%PDF-1.7\n" + b"0" * 64


def publier(par):
    return actions.publier(
        par=par, titre="Guide", type=TypeRessource.GUIDE, resume="…", theme="foncier", etiquettes=[],
        visibilite=Visibilite.RESEAU, fichier=SimpleUploadedFile("guide.pdf", PDF),
    )  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_telechargements_et_versions_concurrents(equipe_nationale):
    ressource = publier(equipe_nationale)
    version = ressource.derniere_version
    en_meme_temps(lambda _: actions.compter_telechargement(version), list(range(12)))
    en_meme_temps(
        lambda i: actions.ajouter_version(
            ressource=ressource, par=equipe_nationale, fichier=SimpleUploadedFile(f"v{i}.pdf", PDF)
        ),
        [1, 2, 3, 4],
    )
    ressource.refresh_from_db()
    version.refresh_from_db()
    assert (ressource.telechargements, version.telechargements) == (12, 12)
    assert sorted(ressource.versions.values_list("numero", flat=True)) == [1, 2, 3, 4, 5]
    assert ressource.derniere_version.numero == 5


@pytest.mark.django_db
def test_le_vecteur_de_recherche_et_son_index(equipe_nationale):
    publier(equipe_nationale)
    vecteur = Ressource.objects.values_list("vecteur_recherche", flat=True).get()
    if connection.vendor == "postgresql":
        assert "guid" in vecteur  # French stems, computed by the database
        with connection.cursor() as curseur:
            curseur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'animation_ressource_vecteur_fr'")
            assert "gin (vecteur_recherche)" in curseur.fetchone()[0]
    else:
        assert vecteur is None
