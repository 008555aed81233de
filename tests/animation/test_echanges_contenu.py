"""What a message holds: Markdown rendered and sanitised, an attachment checked and scanned; the list filtered by
theme and région; the list and a 30-message thread in a bounded number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ti.animation import actions_echanges as actions
from ti.animation.models import Fil, Reponse
from ti.animation.texte_riche import en_html

from ..core.faux_antivirus import CHEMIN, MARQUE
from .conftest import ouvrir_fil

PDF = b"%PDF-1.7\n" + b"0" * 64
PIEGES = (
    "**Important** <script>alert('xss')</script>\n\n"
    '<img src="x" onerror="alert(1)"> [cliquez](javascript:alert(1)) '
    '<a href="javascript:alert(2)" onclick="alert(3)">ici</a> [le guide](https://www.anct.gouv.fr/guide)'
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_le_markdown_est_rendu_et_nettoye():
    html = en_html(PIEGES + "\n\n# Titre\n\n- un\n- deux")
    assert "<strong>Important</strong>" in html and "<li>un</li>" in html
    assert "<h3>Titre</h3>" in html  # under the page's own headings
    assert '<a href="https://www.anct.gouv.fr/guide" rel="noopener noreferrer nofollow">le guide</a>' in html
    for piege in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img"):
        assert piege not in html


def test_une_reponse_piegee_est_affichee_sans_danger(client, chef_projet_cvl, binome_bretagne):
    fil = ouvrir_fil(chef_projet_cvl)
    client.force_login(binome_bretagne)
    client.post(fil.get_absolute_url(), {"texte": PIEGES})
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "<strong>Important</strong>" in page and 'href="https://www.anct.gouv.fr/guide"' in page
    for piege in ("alert(", "onerror", "onclick", "javascript:"):
        assert piege not in page
    assert Reponse.objects.get().texte == PIEGES  # the source is kept as typed


def test_une_piece_jointe_controlee_puis_servie(client, chef_projet_cvl, binome_bretagne):
    client.force_login(chef_projet_cvl)
    client.post(
        reverse("animation:nouveau_fil"),
        {"theme": "foncier", "titre": "Cahier des charges", "texte": "Ci-joint.",
         "fichier": SimpleUploadedFile("cahier des charges.pdf", PDF)},
    )  # fmt: skip
    fil = Fil.objects.get()
    assert (fil.nom_fichier, fil.type_mime, fil.taille, fil.analyse) == (
        "cahier des charges.pdf", "application/pdf", len(PDF), "non_analyse"
    )  # fmt: skip
    client.force_login(binome_bretagne)
    page = client.get(fil.get_absolute_url()).content.decode()
    url = reverse("animation:piece_jointe_question", args=[fil.pk])
    assert url in page
    telechargement = client.get(url)
    assert telechargement.status_code == 200 and b"".join(telechargement.streaming_content) == PDF
    assert telechargement["X-Content-Type-Options"] == "nosniff"


def test_une_piece_jointe_refusee_explique_et_garde_le_texte(client, chef_projet_cvl, binome_bretagne):
    fil = ouvrir_fil(chef_projet_cvl)
    client.force_login(binome_bretagne)
    reponse = client.post(
        fil.get_absolute_url(),
        {"texte": "Voici notre outil", "fichier": SimpleUploadedFile("outil.exe", b"MZ" + b"0" * 20)},
    )
    page = reponse.content.decode()
    assert reponse.status_code == 200 and not Reponse.objects.exists()
    assert "Le format « .exe » n’est pas accepté" in page and "Voici notre outil" in page


def test_une_piece_jointe_infectee_ou_d_un_message_masque_n_est_pas_servie(
    client, settings, chef_projet_cvl, binome_bretagne, equipe_nationale
):
    settings.ANTIVIRUS = CHEMIN
    fil = ouvrir_fil(chef_projet_cvl)
    infectee = actions.repondre(
        fil=fil, par=binome_bretagne, texte="Infecté", fichier=SimpleUploadedFile("a.pdf", PDF + MARQUE)
    )
    saine = actions.repondre(fil=fil, par=binome_bretagne, texte="Sain", fichier=SimpleUploadedFile("b.pdf", PDF))
    assert Reponse.objects.get(pk=infectee.pk).analyse == "quarantaine"
    client.force_login(chef_projet_cvl)
    page = client.get(fil.get_absolute_url()).content.decode()
    assert "Pièce jointe « a.pdf » : en quarantaine" in page
    assert client.get(reverse("animation:piece_jointe_reponse", args=[fil.pk, infectee.pk])).status_code == 404
    assert client.get(reverse("animation:piece_jointe_reponse", args=[fil.pk, saine.pk])).status_code == 200
    actions.masquer(fil=fil, reponse=saine, par=equipe_nationale, motif="Document confidentiel")
    assert client.get(reverse("animation:piece_jointe_reponse", args=[fil.pk, saine.pk])).status_code == 404
    assert client.get(reverse("animation:piece_jointe_question", args=[fil.pk])).status_code == 404  # none


def test_filtres_par_theme_et_par_region(client, chef_projet_cvl, cvl, bretagne):
    ouvrir_fil(chef_projet_cvl, titre="Friche en Centre", region=cvl)
    ouvrir_fil(chef_projet_cvl, titre="Friche en Bretagne", region=bretagne)
    ouvrir_fil(chef_projet_cvl, titre="Compétences en Centre", theme="competences", region=cvl)
    ouvrir_fil(chef_projet_cvl, titre="Friche nationale")
    client.force_login(chef_projet_cvl)

    def titres(**filtres):
        page = client.get(reverse("animation:fils"), filtres).content.decode()
        return {t for t in ("Friche en Centre", "Friche en Bretagne", "Compétences en Centre", "Friche nationale")
                if t in page}  # fmt: skip

    assert titres(region="24") == {"Friche en Centre", "Compétences en Centre"}
    assert titres(region="24", theme="foncier") == {"Friche en Centre"}
    assert titres(theme="foncier") == {"Friche en Centre", "Friche en Bretagne", "Friche nationale"}
    assert len(titres(region="99", theme="inconnu")) == 4  # an unknown filter is no filter


def test_la_region_du_demandeur_est_proposee(client, chef_projet_cvl, cvl):
    client.force_login(chef_projet_cvl)
    page = client.get(reverse("animation:nouveau_fil")).content.decode()
    assert f'<option value="{cvl.code}" selected>' in page


def test_liste_et_fil_de_30_messages_en_requetes_bornees(
    client, settings, cvl, chef_projet_cvl, binome_bretagne, binome_cvl, equipe_nationale, django_assert_max_num_queries
):
    settings.ANTIVIRUS = CHEMIN
    for i in range(30):
        ouvrir_fil(chef_projet_cvl, titre=f"Question {i}", region=cvl)
    fil = Fil.objects.first()
    for i in range(30):
        auteur = binome_bretagne if i % 2 else binome_cvl
        fichier = SimpleUploadedFile(f"piece-{i}.pdf", PDF) if i % 3 == 0 else None
        texte = f"**Réponse {i}** pour @{chef_projet_cvl.email}"
        reponse = actions.repondre(fil=fil, par=auteur, texte=texte, fichier=fichier)
        if i % 5 == 0:
            actions.masquer(fil=fil, reponse=reponse, par=equipe_nationale, motif=f"Motif {i}")
    client.force_login(binome_bretagne)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("animation:fils")).content.decode()
    assert page.count("Question ") == 30
    with django_assert_max_num_queries(12):
        page = client.get(fil.get_absolute_url()).content.decode()
    assert page.count('aria-label="Réponse de ') == 30 and page.count("Message masqué par la modération") == 6
    assert page.count("/piece-jointe/") == 8  # 10 attachments, 2 of them on hidden messages


def test_poser_une_question_en_requetes_bornees(client, chef_projet_cvl, django_assert_max_num_queries):
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("animation:nouveau_fil")).status_code == 200
