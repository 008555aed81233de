"""The list of territories: filters, accent-insensitive search, pagination, French errors, bounded queries."""

import pytest
from django.urls import reverse

from ti.territoires.models import StatutChefProjet

from .test_pages_donnees import nombre_de_requetes, programme_exemple, territoires_en_nombre

URL = reverse("territoires:liste")


@pytest.fixture
def programme(db):
    return programme_exemple()


def noms_listes(reponse) -> list[str]:
    return [territoire.nom for territoire in reponse.context["page_obj"]]


def test_la_liste_montre_chaque_territoire_avec_sa_phase_sa_region_et_ses_chiffres(client, programme):
    reponse = client.get(URL)

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert html.count("<h1") == 1
    assert "3 territoires trouvés" in html
    assert "<caption>Territoires d’industrie</caption>" in html
    assert '<th scope="col">Chef de projet</th>' in html
    assert 'href="/territoires/ti2-2406/">Châteauroux Métropole</a>' in html
    assert "Centre-Val de Loire" in html and "Auvergne-Rhône-Alpes" in html
    assert "50\xa0500" in html  # population of Châteauroux Métropole, French grouping
    assert "En poste" in html and "Recrutement en cours" in html and "Financement à solliciter" in html
    # Temps I first, then by name.
    assert noms_listes(reponse) == [
        "Ardèche Drôme",
        "Communauté d’agglomération Cap Excellence",
        "Châteauroux Métropole",
    ]


def test_chaque_ligne_compte_ses_epci_et_ses_communes(client, programme):
    reponse = client.get(URL, {"q": "chateauroux"})

    (territoire,) = reponse.context["page_obj"]
    assert (territoire.nb_epci, territoire.nb_communes) == (1, 2)


@pytest.mark.parametrize("saisie", ["chateauroux", "CHÂTEAUROUX", "Chateau"])
def test_la_recherche_ignore_accents_et_casse(client, programme, saisie):
    reponse = client.get(URL, {"q": saisie})

    assert noms_listes(reponse) == ["Châteauroux Métropole"]


def test_la_recherche_trouve_un_territoire_par_le_nom_d_une_de_ses_communes(client, programme):
    reponse = client.get(URL, {"q": "deols"})

    assert noms_listes(reponse) == ["Châteauroux Métropole"]


def test_une_recherche_sans_resultat_le_dit(client, programme):
    reponse = client.get(URL, {"q": "Brest"})

    assert reponse.status_code == 200
    assert "Aucun territoire ne correspond à ces critères." in reponse.content.decode()
    assert noms_listes(reponse) == []


@pytest.mark.parametrize(
    ("filtre", "attendus"),
    [
        ({"phase": "1"}, ["Ardèche Drôme", "Communauté d’agglomération Cap Excellence"]),
        ({"phase": "2"}, ["Châteauroux Métropole"]),
        ({"region": "84"}, ["Ardèche Drôme"]),
        ({"departement": "971"}, ["Communauté d’agglomération Cap Excellence"]),
        ({"statut": StatutChefProjet.EN_POSTE}, ["Châteauroux Métropole"]),
        ({"phase": "1", "region": "24"}, []),
        ({"phase": "", "region": "", "departement": "", "statut": "", "q": ""}, None),  # empty filters: everything
    ],
)
def test_les_filtres_se_combinent(client, programme, filtre, attendus):
    reponse = client.get(URL, filtre)

    assert reponse.context["form"].errors == {}
    if attendus is None:
        assert len(noms_listes(reponse)) == 3
    else:
        assert noms_listes(reponse) == attendus


def test_le_filtre_choisi_reste_selectionne(client, programme):
    reponse = client.get(URL, {"region": "84"})

    assert '<option value="84" selected>Auvergne-Rhône-Alpes</option>' in reponse.content.decode()


@pytest.mark.parametrize(
    ("filtre", "champ", "message"),
    [
        ({"phase": "9"}, "phase", "Cette phase n’existe pas : choisissez Temps I ou Temps II."),
        ({"phase": "deux"}, "phase", "Cette phase n’existe pas : choisissez Temps I ou Temps II."),
        ({"region": "99"}, "region", "Cette région est inconnue : choisissez-la dans la liste."),
        ({"departement": "2C"}, "departement", "Ce département est inconnu : choisissez-le dans la liste."),
        ({"statut": "retraite"}, "statut", "Ce statut de chef de projet n’existe pas : choisissez-le dans la liste."),
    ],
)
def test_un_filtre_invalide_est_signale_en_francais_sans_resultats_trompeurs(client, programme, filtre, champ, message):
    reponse = client.get(URL, filtre)

    assert reponse.status_code == 200
    assert reponse.context["form"].errors[champ] == [message]
    html = reponse.content.decode()
    assert message in html
    assert "Un filtre n’est pas valide : corrigez-le pour afficher les territoires." in html
    assert 'aria-invalid="true"' in html
    assert reponse.context["page_obj"] is None
    assert "<table" not in html


def test_la_liste_est_paginee_par_vingt_avec_la_pagination_du_dsfr(client, programme):
    territoires_en_nombre(22, departement=programme.indre)

    premiere = client.get(URL)
    seconde = client.get(URL, {"page": "2", "phase": "2"})

    assert len(noms_listes(premiere)) == 20
    assert "25 territoires trouvés" in premiere.content.decode()
    assert 'class="fr-pagination"' in premiere.content.decode()
    assert "page 1 sur 2" in premiere.content.decode()
    # The second page keeps the filters in its links.
    assert len(noms_listes(seconde)) == 3
    assert "?page=1&amp;phase=2" in seconde.content.decode() or "?phase=2&amp;page=1" in seconde.content.decode()


def test_une_page_hors_limites_montre_la_derniere(client, programme):
    reponse = client.get(URL, {"page": "999"})

    assert reponse.status_code == 200
    assert reponse.context["page_obj"].number == 1


def test_la_liste_fait_le_meme_nombre_de_requetes_pour_3_ou_30_territoires(
    client, programme, django_assert_max_num_queries
):
    peu = nombre_de_requetes(client, URL)
    territoires_en_nombre(27, departement=programme.indre)
    beaucoup = nombre_de_requetes(client, URL + "?q=territoire&phase=2&region=24")

    assert peu == beaucoup
    with django_assert_max_num_queries(3):  # the filters' choices now cached: count, page, régions
        client.get(URL, {"q": "territoire", "page": "2"})


def test_les_choix_des_filtres_suivent_le_referentiel(client, programme):
    client.get(URL)  # the choices are now cached
    programme.indre.nom = "Indre renommée"
    programme.indre.save()

    assert '<option value="36">36 — Indre renommée</option>' in client.get(URL).content.decode()


def test_les_listes_deroulantes_des_filtres_s_ecrivent_comme_celles_de_django(programme):
    """`ListeDeroulante` writes its options in Python: to the character what Django's templates write."""
    from django import forms

    from ti.territoires.forms import FiltresForm

    for donnees in ({}, {"region": "24", "departement": "36", "phase": "2", "statut": "en_poste"}, {"phase": "9"}):
        form = FiltresForm(donnees)
        form.is_valid()
        for nom in ("phase", "region", "departement", "statut"):
            champ = form[nom]
            django = forms.Select(attrs=champ.field.widget.attrs, choices=champ.field.choices)
            assert champ.as_widget() == champ.as_widget(widget=django), (nom, donnees)
