"""Pièces of a Fonds vert dossier and the antivirus: a quarantined pièce is served neither to the porteur nor to the
instructors, and the dossier says why."""

import pytest
from django.urls import reverse

from ti.core.antivirus import Analyse
from ti.financements.models import PieceJointe

from ..core.faux_antivirus import CHEMIN, MARQUE, MENACE, FauxAntivirus
from .test_depot_dossier import PDF, brouillon, joindre  # noqa: F401 (brouillon is a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _faux_antivirus(settings, tmp_path):
    settings.MEDIA_ROOT, settings.ANTIVIRUS = tmp_path, CHEMIN
    FauxAntivirus.EN_PANNE = False
    yield
    FauxAntivirus.EN_PANNE = False


def test_une_piece_infectee_est_en_quarantaine(client, porteur, brouillon, instructeur_cvl):  # noqa: F811
    client.force_login(porteur)
    joindre(client, brouillon, PieceJointe.Type.KBIS, "kbis.pdf", PDF + MARQUE)
    piece = PieceJointe.objects.get()
    url = reverse("financements:piece", args=[brouillon.reference, piece.pk])

    assert piece.analyse == Analyse.QUARANTAINE and piece.menace == MENACE
    assert client.get(url).status_code == 404
    page = client.get(reverse("financements:modifier", args=[brouillon.reference])).content.decode()
    assert "En quarantaine" in page and MENACE in page and url not in page


def test_une_piece_saine_est_servie(client, porteur, brouillon):  # noqa: F811
    client.force_login(porteur)
    joindre(client, brouillon, PieceJointe.Type.KBIS, "kbis.pdf", PDF)
    piece = PieceJointe.objects.get()

    assert piece.analyse == Analyse.SAIN
    assert client.get(reverse("financements:piece", args=[brouillon.reference, piece.pk])).status_code == 200
