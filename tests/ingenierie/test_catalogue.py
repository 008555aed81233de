"""The public engineering offer: seeded with the offers the programme's texts name, searchable by everybody."""

import pytest
from django.urls import reverse

from ti.ingenierie.models import Offre

pytestmark = pytest.mark.django_db

ORGANISMES_DES_TEXTES = {"ANCT", "Banque des Territoires", "Bpifrance", "Business France", "France Travail", "ADEME",
                         "Cerema"}  # fmt: skip


def test_le_catalogue_contient_les_offres_que_nomment_les_textes():
    assert set(Offre.objects.values_list("organisme", flat=True)) == ORGANISMES_DES_TEXTES
    assert Offre.objects.filter(titre__contains="choc industriel").exists()
    assert Offre.objects.filter(titre__contains="rebond industriel").exists()


def test_un_visiteur_parcourt_le_catalogue_en_peu_de_requetes(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        reponse = client.get(reverse("ingenierie:catalogue"))

    assert reponse.status_code == 200
    assert reponse.context["offres"] == list(Offre.objects.all())
    assert "Expertise foncière et aménagement (Cerema)" in reponse.content.decode()


def test_la_recherche_filtre_par_mots_cles_theme_et_organisme(client):
    par_mot = client.get(reverse("ingenierie:catalogue"), {"q": "friches"}).context["offres"]
    assert [o.organisme for o in par_mot] == ["Cerema"]

    par_theme = client.get(reverse("ingenierie:catalogue"), {"theme": "foncier"}).context["offres"]
    assert {o.organisme for o in par_theme} == {"Banque des Territoires", "Cerema"}

    par_organisme = client.get(reverse("ingenierie:catalogue"), {"organisme": "anct"}).context["offres"]
    assert len(par_organisme) == 3 and {o.organisme for o in par_organisme} == {"ANCT"}


def test_un_theme_inconnu_est_signale_et_ne_montre_rien(client):
    reponse = client.get(reverse("ingenierie:catalogue"), {"theme": "astrologie"})

    assert reponse.context["offres"] == []
    assert "astrologie" in reponse.context["form"].errors["theme"][0]


def test_une_offre_retiree_n_est_plus_publique(client, offre_cerema):
    offre_cerema.active = False
    offre_cerema.save()

    assert client.get(reverse("ingenierie:offre", args=[offre_cerema.pk])).status_code == 404
    assert offre_cerema not in client.get(reverse("ingenierie:catalogue")).context["offres"]


def test_la_page_d_une_offre_propose_de_demander_pour_ses_territoires(client, offre_anct, chef_projet_cvl):
    assert "Demander un accompagnement" not in client.get(offre_anct.get_absolute_url()).content.decode()

    client.force_login(chef_projet_cvl)
    page = client.get(offre_anct.get_absolute_url()).content.decode()
    territoire = chef_projet_cvl.habilitations.get().territoire
    lien = reverse("ingenierie:nouvelle_demande", args=[territoire.identifiant])
    assert f"{lien}?offre={offre_anct.pk}" in page


def test_le_menu_mene_au_catalogue(client):
    assert reverse("ingenierie:catalogue") in client.get(reverse("accueil")).content.decode()
