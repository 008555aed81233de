"""Photos and documents of a site: added by those who keep it, checked by their content, public, archived."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import utilisateur_avec
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.foncier.models import Piece

from ..core.faux_antivirus import CHEMIN, MARQUE, MENACE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def ajouter(client, site, nom, contenu, legende="Vue aérienne du site"):
    fichier = SimpleUploadedFile(nom, contenu)
    return client.post(
        reverse("foncier:ajouter_piece", args=[site.identifiant]), {"fichier": fichier, "legende": legende}
    )


def test_le_chef_de_projet_ajoute_une_photo_montree_a_tous(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)

    ajouter(client, site_cvl, "vue.png", PNG)
    client.logout()

    piece = Piece.objects.get()
    assert (piece.type_mime, piece.depose_par, piece.taille) == ("image/png", chef_projet_cvl, len(PNG))
    page = client.get(site_cvl.get_absolute_url()).content.decode()
    assert f'<img class="fr-responsive-img" src="{piece.get_absolute_url()}" alt="Vue aérienne du site">' in page
    reponse = client.get(piece.get_absolute_url())
    assert reponse["Content-Type"] == "image/png" and reponse["X-Content-Type-Options"] == "nosniff"
    assert b"".join(reponse.streaming_content) == PNG
    assert Journal.objects.filter(action="foncier.piece_ajoutee", objet_id=str(site_cvl.pk)).exists()


def test_un_document_se_telecharge(client, site_cvl, equipe_nationale):
    client.force_login(equipe_nationale)
    ajouter(client, site_cvl, "etude-faune-flore.pdf", PDF, legende="Inventaire quatre saisons")

    reponse = client.get(Piece.objects.get().get_absolute_url())

    assert reponse["Content-Disposition"].startswith("attachment;")


def test_un_fichier_deguise_est_refuse(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)

    reponse = ajouter(client, site_cvl, "plan.pdf", b"MZ\x90\x00 un programme renomme")

    messages = [str(m) for m in reponse.wsgi_request._messages]
    assert messages[0].startswith("Le contenu du fichier « plan.pdf » n’est pas celui d’un fichier PDF")
    assert not Piece.objects.exists()


@pytest.mark.parametrize("personne", ["binome_cvl", "referent_region_cvl", "chef_ailleurs"])
def test_les_autres_n_ajoutent_rien(client, request, site_cvl, territoire_bretagne, personne):
    if personne == "chef_ailleurs":
        utilisateur = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)
    else:
        utilisateur = request.getfixturevalue(personne)
    client.force_login(utilisateur)

    assert ajouter(client, site_cvl, "vue.png", PNG).status_code == 403
    assert not Piece.objects.exists()


def test_une_piece_retiree_n_est_plus_publique_mais_reste_gardee(client, site_cvl, chef_projet_cvl):
    client.force_login(chef_projet_cvl)
    ajouter(client, site_cvl, "vue.png", PNG)
    piece = Piece.objects.get()

    client.post(reverse("foncier:archiver_piece", args=[site_cvl.identifiant, piece.pk]))

    piece.refresh_from_db()
    assert piece.archive_le is not None
    assert client.get(piece.get_absolute_url()).status_code == 404
    assert Journal.objects.filter(action="foncier.piece_archivee").exists()


def test_page_du_site_avec_ses_pieces_en_requetes_bornees(
    client, site_cvl, chef_projet_cvl, django_assert_max_num_queries
):
    client.force_login(chef_projet_cvl)
    for numero in range(5):
        ajouter(client, site_cvl, f"vue-{numero}.png", PNG)
    client.logout()

    with django_assert_max_num_queries(8):
        reponse = client.get(site_cvl.get_absolute_url())
    assert reponse.content.decode().count('class="fr-responsive-img"') == 5


def test_un_fichier_infecte_n_est_jamais_publie(client, settings, site_cvl, chef_projet_cvl):
    settings.ANTIVIRUS = CHEMIN
    client.force_login(chef_projet_cvl)

    reponse = ajouter(client, site_cvl, "etude.pdf", PDF + MARQUE, legende="Étude de sol")

    piece = Piece.objects.get()
    assert (piece.analyse, piece.menace) == ("quarantaine", MENACE)
    assert (
        f"L’antivirus a détecté une menace dans « etude.pdf » ({MENACE})"
        in client.get(reponse["Location"]).content.decode()
    )
    client.logout()
    assert "Étude de sol" not in client.get(site_cvl.get_absolute_url()).content.decode()
    assert client.get(piece.get_absolute_url()).status_code == 404


def test_un_fichier_sain_est_publie_apres_analyse(client, settings, site_cvl, chef_projet_cvl):
    settings.ANTIVIRUS = CHEMIN
    client.force_login(chef_projet_cvl)
    ajouter(client, site_cvl, "etude.pdf", PDF, legende="Étude de sol")
    client.logout()

    piece = Piece.objects.get()
    assert piece.analyse == "sain"
    assert "Étude de sol" in client.get(site_cvl.get_absolute_url()).content.decode()
    assert client.get(piece.get_absolute_url()).status_code == 200
