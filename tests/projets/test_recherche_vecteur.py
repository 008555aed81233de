"""The search's stored vector and its counted facets: right whatever writes a fiche, and cheap to read.

On PostgreSQL the vector is a generated column (`to_tsvector('french', texte_recherche)`): whoever writes the text —
save, bulk_create, a queryset update, the spreadsheet import — the database recomputes it in the same statement.
The facets and the number of results are counted together and cached under the user's visibility and the criteria.
"""

import pytest
from django.db import connection
from django.db.models import Count

from tests.factories import ProjetFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.core.texte import cle_recherche
from ti.projets.models import Axe, PhaseProjet, Projet, StatutPhase, Theme
from ti.projets.selectors import PUBLIC, Classement, nombre, rechercher_projets
from ti.projets.selectors_facettes import compter, facettes

from .test_import import CAMPUS, fichier_csv, importer_fichier
from .test_recherche import catalogue, fiche, titres  # noqa: F401 (the catalogue fixture)

pytestmark = pytest.mark.django_db

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")


def vecteurs_a_jour() -> bool:
    """Every fiche's stored vector is the one its current text gives."""
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT count(*) FROM projets_projet "
            "WHERE vecteur_recherche IS DISTINCT FROM to_tsvector('french'::regconfig, texte_recherche)"
        )
        return curseur.fetchone()[0] == 0


# The stored vector follows every write -------------------------------------------------------------------------------


@postgresql
def test_le_vecteur_suit_la_creation_et_la_modification(territoire_projets):
    projet = ProjetFactory(territoire=territoire_projets, titre="Fonderie de Dreux", public=True)
    assert vecteurs_a_jour()

    projet.titre = "Verrerie de Dreux"
    projet.save()

    assert vecteurs_a_jour()
    assert titres(rechercher_projets(PUBLIC, q="verrerie")) == ["Verrerie de Dreux"]
    assert titres(rechercher_projets(PUBLIC, q="fonderie")) == []


@postgresql
def test_le_vecteur_suit_un_bulk_create_et_un_update(territoire_projets):
    nouveaux = [
        Projet(
            territoire=territoire_projets,
            titre=titre,
            axe=Axe.INNOVER,
            public=True,
            texte_recherche=cle_recherche(titre),
        )
        for titre in ("Tannerie du Perche", "Scierie des Vosges")
    ]
    Projet.objects.bulk_create(nouveaux)
    assert vecteurs_a_jour()
    assert titres(rechercher_projets(PUBLIC, q="tannerie")) == ["Tannerie du Perche"]

    Projet.objects.filter(titre="Scierie des Vosges").update(texte_recherche="laiterie cooperative")

    assert vecteurs_a_jour()
    assert titres(rechercher_projets(PUBLIC, q="laiterie")) == ["Scierie des Vosges"]


@postgresql
def test_le_vecteur_suit_l_import_d_un_tableur(territoire_projets, chef_projet):
    importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS))

    assert vecteurs_a_jour()
    assert titres(rechercher_projets(chef_projet, q="lycée branly")) == ["Campus des métiers de l’industrie"]


def test_la_recherche_suit_la_modification_d_une_fiche_sur_toutes_les_bases(territoire_projets):
    projet = ProjetFactory(territoire=territoire_projets, titre="Fonderie de Dreux", public=True)
    assert compter(PUBLIC, q="fonderie").total == 1

    projet.titre = "Verrerie de Dreux"
    projet.save()

    assert titres(rechercher_projets(PUBLIC, q="fonderie")) == []
    assert compter(PUBLIC, q="fonderie").total == 0  # the cached count was invalidated by the write
    assert compter(PUBLIC, q="verrerie").total == 1


def test_la_fiche_chargee_ne_lit_pas_le_vecteur(territoire_projets):
    """The vector stays in the database: a page of results does not carry it."""
    ProjetFactory(territoire=territoire_projets, public=True)
    projet = rechercher_projets(PUBLIC)[0]
    assert "vecteur_recherche" in projet.get_deferred_fields()


# The counts: the same as the search, in two queries, cached -----------------------------------------------------------


@pytest.mark.parametrize(
    "criteres",
    [
        {},
        {"q": "fonderie"},
        {"region": "24"},
        {"axe": "innover", "region": "24"},
        {"theme": ["decarbonation", "innovation"]},
        {"phase": "etude", "statut": "en_cours", "territoire": "ti2-2405"},
        {"region": "53", "territoire": "ti2-2405"},
    ],
)
def test_le_total_est_le_nombre_de_fiches_trouvees(catalogue, criteres):  # noqa: F811
    if criteres.get("q"):  # one fiche to find
        Projet.objects.filter(titre="A").update(texte_recherche="fonderie a")
    for user in (PUBLIC, utilisateur_avec(Role.EQUIPE_NATIONALE)):
        attendu = rechercher_projets(user, **criteres).count()
        assert compter(user, **criteres).total == attendu
        assert nombre(user, **criteres) == attendu


def test_les_facettes_sans_filtre_comptent_comme_un_regroupement(catalogue):  # noqa: F811
    """Without filters, each facet is the plain count of the visible fiches per value."""
    resultat = facettes(PUBLIC)
    visibles = Projet.objects.visible_to(PUBLIC)
    for nom, colonne in (("axe", "axe"), ("phase", "phase"), ("statut", "phase_statut")):
        attendu = dict(visibles.values_list(colonne).annotate(n=Count("pk")).values_list(colonne, "n"))
        assert {v.code: v.nombre for v in resultat[nom].valeurs} == attendu
    assert {v.code: v.nombre for v in resultat["theme"].valeurs} == dict(
        Theme.objects.filter(projets__in=visibles).annotate(n=Count("projets")).values_list("code", "n")
    )


def test_les_comptes_sont_gardes_et_invalides_par_une_ecriture(
    catalogue,  # noqa: F811
    territoire_projets,
    django_assert_num_queries,
):
    avant = compter(PUBLIC, axe="innover")
    with django_assert_num_queries(0):  # the same criteria, written otherwise: the same entry
        assert compter(PUBLIC, axe=["innover", "innover"], q="  ") == avant

    fiche(territoire_projets, "E", axe=Axe.INNOVER, phase=PhaseProjet.IDEE)

    assert compter(PUBLIC, axe="innover").total == avant.total + 1


def test_les_comptes_ne_passent_pas_d_une_visibilite_a_l_autre(catalogue, projet_prive, chef_projet):  # noqa: F811
    assert compter(PUBLIC, q="reconversion").total == 0
    assert compter(chef_projet, q="reconversion").total == 1
    assert compter(PUBLIC, q="reconversion").total == 0


def test_une_region_choisie_compte_les_territoires_de_la_region(catalogue):  # noqa: F811
    resultat = facettes(PUBLIC, region="24", statut=StatutPhase.BLOQUE)
    assert {v.code: v.nombre for v in resultat["territoire"].valeurs} == {"ti2-2411": 1}
    assert {v.code: v.nombre for v in resultat["region"].valeurs} == {"24": 1}
    assert {v.code: v.nombre for v in resultat["statut"].valeurs} == {"en_cours": 2, "bloque": 1}


@pytest.mark.parametrize("nombre_de_fiches", [3, 30])
def test_les_comptes_en_deux_requetes(territoire_projets, chef_projet, nombre_de_fiches, django_assert_max_num_queries):
    for n in range(nombre_de_fiches):
        fiche(territoire_projets, f"Fonderie {n}", public=n % 2 == 0, themes=["decarbonation"])
    rechercher_projets(chef_projet)  # the habilitations are read once per request, then kept on the user

    with django_assert_max_num_queries(2):
        compter(chef_projet, q="fonderie", axe="innover", theme="decarbonation", territoire="ti2-2405")


# The results, a page at a time ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["", "hydrogene"])
def test_le_classement_par_tranches_est_l_ordre_de_la_recherche(territoire_projets, q):
    for n in range(25):  # ranks and dates that tie, so that the last key (the fiche's id) decides too
        fiche(territoire_projets, f"Hydrogène {n}", description="hydrogène " * (n % 3), il_y_a=n % 4)
    attendus = [p.pk for p in rechercher_projets(PUBLIC, q=q)]

    classement = Classement(PUBLIC, q=q)
    lus = [p.pk for debut in range(0, 30, 10) for p in classement[debut : debut + 10]]

    assert lus == attendus and len(lus) == 25
    assert classement[5:5] == []


def test_une_page_de_resultats_en_deux_requetes(territoire_projets, django_assert_num_queries):
    for n in range(30):
        fiche(territoire_projets, f"Fonderie {n}", themes=["decarbonation"])

    with django_assert_num_queries(3):  # the ids of the page, its fiches with territory and commune, their themes
        page = Classement(PUBLIC, q="fonderie")[20:40]
    assert len(page) == 10 and page[0].territoire.nom and page[0].themes.all()

    with django_assert_num_queries(2):  # the same page again: its ids are kept in the cache
        assert [p.pk for p in Classement(PUBLIC, q="fonderie")[20:40]] == [p.pk for p in page]


def test_une_page_gardee_suit_une_ecriture(territoire_projets):
    for n in range(3):
        fiche(territoire_projets, f"Fonderie {n}", il_y_a=1)
    avant = [p.titre for p in Classement(PUBLIC, q="fonderie")[0:20]]

    fiche(territoire_projets, "Fonderie nouvelle")  # the most recent: first when ranks tie

    apres = [p.titre for p in Classement(PUBLIC, q="fonderie")[0:20]]
    assert len(apres) == len(avant) + 1 and "Fonderie nouvelle" in apres


def test_une_page_gardee_ne_passe_pas_d_une_visibilite_a_l_autre(territoire_projets, chef_projet):
    fiche(territoire_projets, "Fonderie publique")
    fiche(territoire_projets, "Fonderie du territoire", public=False)

    assert sorted(p.titre for p in Classement(chef_projet, q="fonderie")[0:20]) == [
        "Fonderie du territoire",
        "Fonderie publique",
    ]
    assert [p.titre for p in Classement(PUBLIC, q="fonderie")[0:20]] == ["Fonderie publique"]
