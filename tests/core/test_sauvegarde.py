"""Backup and restore, proven: back up, wipe, restore, and find every record and every file identical."""

import io
import tarfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from ti.core import chaine
from ti.core.models import Journal, journaliser
from ti.core.sauvegarde import sauvegarder

from ..factories import DossierFactory, ProjetFactory, UtilisateurFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _etat() -> dict:
    """Every row of every table, in primary-key order."""
    return {m._meta.label: list(m._base_manager.order_by("pk").values()) for m in apps.get_models()}


def _fichiers(racine) -> dict:
    return {p.relative_to(racine).as_posix(): p.read_bytes() for p in racine.rglob("*") if p.is_file()}


@pytest.fixture
def contenu(transactional_db, django_db_serialized_rollback, media):
    auteur = UtilisateurFactory(email="auteure@example.fr")
    projet = ProjetFactory(titre="Chaufferie biomasse & réseau « vert »")
    journaliser(acteur=auteur, action="essai", objet=projet, motif="avant la sauvegarde")
    DossierFactory().passer("en_instruction", par=auteur, motif="complet")
    default_storage.save("dossiers/2026/12/devis.pdf", ContentFile(b"%PDF-1.4 devis\n"))
    default_storage.save("projets/plan.odt", ContentFile(bytes(range(256)) * 10))


def test_sauvegarde_effacement_restauration_a_l_identique(contenu, media, tmp_path):
    avant, fichiers_avant = _etat(), _fichiers(media)
    archive = sauvegarder(tmp_path / "sauvegardes")

    call_command("flush", interactive=False, verbosity=0)
    for chemin in media.rglob("*.pdf"):
        chemin.unlink()
    (media / "orphelin.txt").write_text("écrit après la sauvegarde")
    assert not Journal.objects.exists()

    call_command("restaurer", archive, oui=True, stdout=io.StringIO())

    assert _etat() == avant
    assert _fichiers(media) == fichiers_avant
    assert chaine.verifier(Journal) == Journal.objects.count() > 0


def test_une_archive_alteree_est_refusee_avant_toute_restauration(contenu, media, tmp_path):
    archive = sauvegarder(tmp_path / "sauvegardes")
    alteree = tmp_path / "alteree.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(alteree, "w:gz") as cible:
        for membre in source.getmembers():
            donnees = source.extractfile(membre).read()
            if membre.name.endswith("devis.pdf"):
                donnees = b"%PDF-1.4 faux devis\n"
                membre.size = len(donnees)
            cible.addfile(membre, io.BytesIO(donnees))
    avant = _etat()

    with pytest.raises(CommandError, match="« fichiers/dossiers/2026/12/devis.pdf » manque ou ne correspond pas"):
        call_command("restaurer", alteree, oui=True, stdout=io.StringIO())
    assert _etat() == avant


def test_la_restauration_demande_une_confirmation(contenu, tmp_path):
    archive = sauvegarder(tmp_path / "sauvegardes")
    with pytest.raises(CommandError, match="relancez avec --oui"):
        call_command("restaurer", archive, stdout=io.StringIO())
