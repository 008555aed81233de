"""A territory's page: perimeter, governance, map; contacts, edit button and history by role; bounded queries; the
table of its communes, on a page of its own."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from ti.core.cache import invalider_pages
from ti.core.models import journaliser
from ti.territoires import actions

from .test_pages_donnees import communes_en_nombre, nombre_de_requetes, personnes_autour, programme_exemple, texte

CONTACTS = (
    "claire.martin@chateauroux-metropole.fr",
    "marie@ateliers-indre.fr",
    "02 54 08 33 00",
    "jean.dupont@bpifrance.fr",
    "02 38 00 00 01",
)


@pytest.fixture
def programme(db):
    return programme_exemple()


@pytest.fixture
def url(programme):
    return reverse("territoires:detail", args=[programme.chateauroux_metropole.identifiant])


@pytest.fixture
def personnes(programme, settings):
    """One person per role, around Châteauroux Métropole (with a fast hasher: these tests log in by session)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return personnes_autour(programme)


def test_la_page_presente_le_territoire_son_perimetre_et_sa_gouvernance(client, url):
    reponse = client.get(url)

    assert reponse.status_code == 200
    html = texte(reponse)
    assert html.count("<h1") == 1
    assert '<h1 class="fr-mb-2w">Châteauroux Métropole</h1>' in html
    assert "Temps II" in html and "indicatif" not in html
    assert "Pôle industriel de l’Indre" in html
    assert 'href="/territoires/regions/24/">Centre-Val de Loire</a>' in html
    assert "Indre (36)" in html
    assert '<span class="ti-chiffre ti-bloc">50\xa0500</span> habitants' in html
    # EPCI with their nature and population; the communes counted, their table on a page of its own.
    assert '<th scope="row">CA Châteauroux Métropole</th> <td>Communauté d’agglomération</td>' in html
    assert "72\xa0000" in html
    assert 'href="/territoires/ti2-2406/communes/">Les 2 communes du territoire' in html
    # Governance, to the public: the roles, not the names; labels and missions; partners by organism.
    assert "Binôme élu–industriel : désigné" in html and "Gil Avérous" not in html
    assert "Claire Martin" not in html and "En poste" in html
    assert "Fabrique prospective (2021)" in html
    assert '<th scope="row">Bpifrance</th> <td>Jean Dupont</td>' in html
    assert "<caption>Contacts partenaires du territoire</caption>" in html


def test_un_territoire_inconnu_est_une_page_introuvable(client, programme):
    reponse = client.get(reverse("territoires:detail", args=["ti9-0000"]))

    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


def test_la_carte_met_en_evidence_les_departements_du_territoire_et_cite_sa_source(client, url):
    html = texte(client.get(url))

    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 613 585" role="img"' in html
    assert '<title id="carte-titre">Carte des départements du territoire Châteauroux Métropole</title>' in html
    assert '<desc id="carte-desc">Départements mis en évidence : Indre (36).</desc>' in html
    assert 'data-code="36" class="ti-carte__actif"><title>Indre</title>' in html
    assert html.count("ti-carte__actif") == 1
    # The other outlines come from one static file that the browser keeps, as a lazy image: the page refers to it.
    assert '<img src="/static/territoires/carte-departements.svg" alt="" width="613" height="585"' in html
    assert html.count("<path") == 1
    assert "En bleu les départements du territoire : Indre (36)." in html
    assert "MapSVG" in html and 'href="https://creativecommons.org/licenses/by/4.0/deed.fr"' in html


def test_un_territoire_d_outre_mer_dit_que_la_carte_ne_le_montre_pas(client, programme):
    reponse = client.get(programme.cap_excellence.get_absolute_url())

    html = texte(reponse)
    assert reponse.status_code == 200
    assert "<svg" not in html
    assert "Guadeloupe (971) ne figure pas sur cette carte, qui ne représente que la France métropolitaine." in html


@pytest.mark.parametrize(
    ("qui", "voit_contacts", "peut_modifier", "voit_historique"),
    [
        (None, False, False, False),
        ("porteur", False, False, False),
        ("chef_projet_ailleurs", False, False, False),
        ("instructeur_ailleurs", False, False, False),
        ("binome", True, False, True),
        ("instructeur_region", True, False, True),
        ("chef_projet", True, True, True),
        ("equipe_nationale", True, True, True),
    ],
)
def test_contacts_bouton_modifier_et_historique_selon_le_role(
    client, url, personnes, qui, voit_contacts, peut_modifier, voit_historique
):
    if qui:
        client.force_login(personnes[qui])

    reponse = client.get(url)

    html = texte(reponse)
    assert reponse.status_code == 200
    for contact in CONTACTS:
        assert (contact in html) is voit_contacts, contact
    assert ("réservées aux personnes habilitées" in html) is not voit_contacts
    assert ('href="/territoires/ti2-2406/modifier/"' in html) is peut_modifier
    assert ("Historique des modifications" in html) is voit_historique
    # What is public stays public; the names of the governance are read by the programme's partners.
    assert "Jean Dupont" in html
    nommee = qui not in (None, "porteur")
    for nom in ("Gil Avérous", "Marie Industrie", "Claire Martin"):
        assert (nom in html) is nommee, nom
    assert ("Binôme élu–industriel : désigné" in html) is not nommee


def test_l_historique_montre_qui_a_change_quoi_et_pourquoi(client, programme, url, personnes):
    actions.modifier_territoire(
        territoire=programme.chateauroux_metropole,
        par=personnes["chef_projet"],
        donnees={"chef_projet_nom": "Claire Martin-Durand"},
        motif="Nom d’usage",
    )
    client.force_login(personnes["binome"])

    html = texte(client.get(url))

    assert "Historique des modifications" in html
    assert "Chef de projet : « Claire Martin » devient « Claire Martin-Durand »" in html
    assert "Motif : Nom d’usage" in html
    assert f"par {personnes['chef_projet']}" in html


def test_la_page_fait_le_meme_nombre_de_requetes_pour_3_ou_30_communes(
    client, programme, personnes, django_assert_max_num_queries
):
    from tests.factories import TerritoireFactory

    petit = TerritoireFactory(code="9200", communes=communes_en_nombre(3, departement=programme.indre))
    grand = TerritoireFactory(code="9201", communes=communes_en_nombre(30, departement=programme.indre, debut=3))
    client.get(petit.get_absolute_url())  # warms the per-process caches (content types)

    def sans_cache(url):  # the perimeter not yet cached: the worst case
        cache.clear()
        return nombre_de_requetes(client, url)

    assert sans_cache(petit.get_absolute_url()) == sans_cache(grand.get_absolute_url())
    cache.clear()
    # Cold: the parts kept for every reader (with the Temps I origins, the status' history and the post's funding),
    # the governance, the engineering missions.
    with django_assert_max_num_queries(13):
        client.get(grand.get_absolute_url())

    client.force_login(personnes["equipe_nationale"])
    client.get(petit.get_absolute_url())  # the history's content type, cached per process
    assert sans_cache(petit.get_absolute_url()) == sans_cache(grand.get_absolute_url())
    cache.clear()
    # + lineage, status history, funding of the post, the governance, the engineering requests and the missions it
    # may open; and the second factor's device, checked on each request of the national team; and the territory's id.
    with django_assert_max_num_queries(19):
        client.get(grand.get_absolute_url())
    # Warm (the same reader, the same generation): the territory's id; the session, its account, habilitations and
    # device. The rest of the page is kept for him (`pour_le_lecteur`).
    with django_assert_max_num_queries(5):
        client.get(grand.get_absolute_url())


def test_les_communes_du_perimetre_sont_gardees_en_cache_jusqu_a_un_changement(client, programme, url):
    commune = communes_en_nombre(1, departement=programme.indre, debut=40)[0]
    avant = nombre_de_requetes(client, url)
    invalider_pages()  # the whole page is kept too (decision 0060): rendered again, its communes from their cache
    assert nombre_de_requetes(client, url) == avant - 1  # the communes now come from the cache

    programme.chateauroux_metropole.perimetre.create(commune=commune, code_source="36999", via_chef_lieu=True)

    assert "Les 3 communes du territoire" in texte(client.get(url))
    html = texte(client.get(url_communes(programme)))
    assert (
        f'<th scope="row">{commune.nom} <span class="fr-text--xs ti-bloc fr-mb-0">'
        "au titre de la commune rattachée 36999</span></th><td>36540</td><td>Indre (36)</td>"
        '<td class="fr-cell--right">1\xa0040</td>'
    ) in html


def test_l_historique_montre_aussi_les_imports_du_perimetre(client, programme, url, personnes):
    journaliser(
        acteur=None,
        action="territoire_mis_a_jour_par_import",
        objet=programme.chateauroux_metropole,
        details={"phase": 2, "fichier": "temps2.csv", "changements": ["périmètre (+3 −1 communes)", "EPCI (+1 −0)"]},
    )
    client.force_login(personnes["equipe_nationale"])

    html = texte(client.get(url))

    assert "Territoire mis à jour par import" in html
    assert "par un traitement automatique" in html
    assert "<li>Fichier : temps2.csv</li>" in html
    assert "<li>périmètre (+3 −1 communes)</li>" in html


def test_le_tableau_des_communes_suit_le_nom_du_departement(client, programme):
    client.get(url_communes(programme))  # the table is now cached
    programme.indre.nom = "Indre (nouveau nom)"
    programme.indre.save()

    assert "<td>Indre (nouveau nom) (36)</td>" in texte(client.get(url_communes(programme)))


def url_communes(programme):
    return reverse("territoires:communes", args=[programme.chateauroux_metropole.identifiant])


def test_la_page_du_territoire_mene_aux_communes_sans_les_lister(client, programme, url):
    html = texte(client.get(url))

    assert f'href="{url_communes(programme)}"' in html
    assert '<th scope="row">Châteauroux</th>' not in html  # hundreds of rows for some: not on the page


def test_les_communes_du_territoire_en_tableau_par_nom(client, programme):
    html = texte(client.get(url_communes(programme)))

    assert html.count("<h1") == 1
    assert "<h1>Communes du territoire Châteauroux Métropole</h1>" in html
    # The caption for screen readers (the title says it on screen), so that the DSFR's script does not move the table.
    assert '<div class="fr-table fr-table--no-caption">' in html
    assert "<caption>Communes du territoire Châteauroux Métropole, par ordre alphabétique</caption>" in html
    assert '<th scope="col">Code INSEE</th>' in html
    assert html.index('<th scope="row">Châteauroux</th>') < html.index('<th scope="row">Déols</th>')
    assert f'href="{reverse("territoires:detail", args=["ti2-2406"])}">Retour au territoire' in html


def test_les_communes_d_un_territoire_inconnu_sont_introuvables(client, programme):
    assert client.get(reverse("territoires:communes", args=["ti2-9999"])).status_code == 404


def test_la_page_des_communes_fait_le_meme_nombre_de_requetes_pour_3_ou_30_communes(client, programme):
    from tests.factories import TerritoireFactory

    petit = TerritoireFactory(code="9200", communes=communes_en_nombre(3, departement=programme.indre))
    grand = TerritoireFactory(code="9201", communes=communes_en_nombre(30, departement=programme.indre, debut=3))

    def sans_cache(territoire):
        cache.clear()
        return nombre_de_requetes(client, reverse("territoires:communes", args=[territoire.identifiant]))

    assert sans_cache(petit) == sans_cache(grand)


def test_un_partenaire_lit_le_binome_et_le_chef_de_projet_des_habilitations(client, programme, url, personnes):
    client.force_login(personnes["instructeur_region"])

    html = texte(client.get(url))

    assert "<li>Gil Avérous<span" in html and "Président de Châteauroux Métropole" in html
    assert "<li>Marie Industrie<span" in html and "Ateliers de l’Indre" in html
    assert "Claire Martin" in html and "En poste" in html
    # The free text once typed on the territory is no longer the source.
    assert str(personnes["binome"]) in html


def test_sans_habilitation_le_binome_est_a_designer(client, programme):
    html = texte(client.get(programme.ardeche_drome.get_absolute_url()))

    assert "Binôme élu–industriel : à désigner" in html


def test_ce_que_la_page_garde_pour_tous_suit_chaque_ecriture_et_chaque_lecteur(client, programme, url, personnes):
    """The parts kept once for every reader (decision 0068, « Suite »): each reader still gets his own view of them,
    and the next page after a write shows it."""
    from django.test import Client

    from ti.territoires.models import Partenaire

    porteur = Client()
    porteur.force_login(personnes["porteur"])
    client.force_login(personnes["instructeur_region"])  # both signed in first: no write between their visits
    assert "Gil Avérous" in texte(client.get(url))  # kept now, names included
    assert "Gil Avérous" not in texte(porteur.get(url))  # the same parts, without the names

    Partenaire.objects.create(territoire=programme.chateauroux_metropole, organisme="autre", nom="Nouvelle Venue")
    from ti.comptes.models import Habilitation

    Habilitation.objects.get(utilisateur__email="gil.averous@chateauroux-metropole.fr").delete()

    html = texte(client.get(url))
    assert "Nouvelle Venue" in html
    assert "Gil Avérous" not in html and "Marie Industrie" in html
