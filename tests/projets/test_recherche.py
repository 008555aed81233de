"""The search over fiches-action (`ti.projets.selectors`): French full text, filters, scope, facets.

PostgreSQL and SQLite do not search alike (French stemming and ranking on one, words contained on the other): the
tests that differ branch on `connection.vendor`, so that each run asserts what its database does.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import ProjetFactory, TerritoireFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.projets.models import Axe, PhaseProjet, Projet, StatutPhase, Theme
from ti.projets.selectors import PUBLIC, rechercher_projets
from ti.projets.selectors_facettes import TERRITOIRES_DANS_LA_FACETTE, facettes
from ti.projets.selectors_filtres import valeurs_inconnues

pytestmark = pytest.mark.django_db

POSTGRESQL = "postgresql"


def titres(projets) -> list[str]:
    return [projet.titre for projet in projets]


def fiche(territoire, titre, *, description="", public=True, il_y_a=0, themes=(), **champs) -> Projet:
    """A fiche modified `il_y_a` days ago (the order of results without text)."""
    projet = ProjetFactory(territoire=territoire, titre=titre, description=description, public=public, **champs)
    if themes:
        projet.themes.set(Theme.objects.filter(code__in=themes))
    Projet.objects.filter(pk=projet.pk).update(modifie_le=timezone.now() - timedelta(days=il_y_a))
    return projet


@pytest.fixture
def fiches(territoire_projets):
    fiche(territoire_projets, "Décarbonation des fours de la fonderie", il_y_a=3)
    fiche(territoire_projets, "Réseau de chaleur fatale des fonderies d’aluminium", il_y_a=2)
    fiche(territoire_projets, "Campus des métiers de l’industrie", description="Former des soudeurs.", il_y_a=1)


# Full text ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["decarbonation", "DÉCARBONATION", "Décarbonation", "  décarbonation  "])
def test_les_accents_et_les_majuscules_de_la_recherche_sont_ignores(fiches, q):
    assert titres(rechercher_projets(PUBLIC, q=q)) == ["Décarbonation des fours de la fonderie"]


def test_un_mot_de_la_description_suffit(fiches):
    assert titres(rechercher_projets(PUBLIC, q="soudeurs")) == ["Campus des métiers de l’industrie"]


def test_le_singulier_trouve_le_pluriel(fiches):
    """« fonderie » is in « fonderies »: a stem for PostgreSQL, a substring for SQLite — both find both fiches."""
    assert set(titres(rechercher_projets(PUBLIC, q="fonderie"))) == {
        "Décarbonation des fours de la fonderie",
        "Réseau de chaleur fatale des fonderies d’aluminium",
    }


def test_le_pluriel_trouve_le_singulier_en_francais_sur_postgresql_seulement(fiches):
    trouves = set(titres(rechercher_projets(PUBLIC, q="fonderies")))
    if connection.vendor == POSTGRESQL:  # the French stemmer reduces both to « fonder »
        assert trouves == {
            "Décarbonation des fours de la fonderie",
            "Réseau de chaleur fatale des fonderies d’aluminium",
        }
    else:  # SQLite: « fonderies » is not contained in « fonderie »
        assert trouves == {"Réseau de chaleur fatale des fonderies d’aluminium"}


def test_tous_les_mots_doivent_figurer(fiches):
    assert titres(rechercher_projets(PUBLIC, q="fonderie aluminium")) == [
        "Réseau de chaleur fatale des fonderies d’aluminium"
    ]
    assert titres(rechercher_projets(PUBLIC, q="fonderie hydrogène")) == []


def test_les_mots_vides_et_la_ponctuation(fiches):
    if connection.vendor == POSTGRESQL:  # « des » is a French stop word: ignored, the other words decide
        assert titres(rechercher_projets(PUBLIC, q="campus des métiers")) == ["Campus des métiers de l’industrie"]
    else:
        assert titres(rechercher_projets(PUBLIC, q="campus des métiers")) == ["Campus des métiers de l’industrie"]
        assert titres(rechercher_projets(PUBLIC, q="des")) == [  # contained in three titles, most recent first
            "Campus des métiers de l’industrie",
            "Réseau de chaleur fatale des fonderies d’aluminium",
            "Décarbonation des fours de la fonderie",
        ]
    # Punctuation alone is no text: every fiche, most recent first.
    assert len(rechercher_projets(PUBLIC, q=" ’-. ")) == 3


def test_les_plus_pertinentes_d_abord_sur_postgresql_les_plus_recentes_sur_sqlite(territoire_projets):
    fiche(territoire_projets, "Hydrogène vert", description="Hydrogène pour les camions, hydrogène local.", il_y_a=5)
    fiche(territoire_projets, "Logistique décarbonée", description="Dont un peu d’hydrogène.", il_y_a=1)

    ordre = titres(rechercher_projets(PUBLIC, q="hydrogene"))

    if connection.vendor == POSTGRESQL:  # ts_rank: three occurrences weigh more than one
        assert ordre == ["Hydrogène vert", "Logistique décarbonée"]
    else:
        assert ordre == ["Logistique décarbonée", "Hydrogène vert"]


def test_une_expression_entre_guillemets(territoire_projets):
    fiche(territoire_projets, "Fabrication additive mutualisée")
    fiche(territoire_projets, "Fabrication de batteries", description="Une démarche additive.")

    trouves = titres(rechercher_projets(PUBLIC, q='"fabrication additive"'))

    if connection.vendor == POSTGRESQL:  # websearch_to_tsquery: the words side by side
        assert trouves == ["Fabrication additive mutualisée"]
    else:  # SQLite: each word somewhere
        assert set(trouves) == {"Fabrication additive mutualisée", "Fabrication de batteries"}


def test_la_commune_et_le_porteur_sont_cherches(projet_public, projet_prive, chef_projet):
    assert titres(rechercher_projets(chef_projet, q="vernouillet")) == ["Reconversion de la friche Philips"]
    assert titres(rechercher_projets(chef_projet, q="forges drouais")) == [
        "Plateforme mutualisée de fabrication additive"
    ]


# Scope --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def fiches_de_deux_territoires(projet_public, projet_prive, autre_territoire_projets):
    fiche(autre_territoire_projets, "Vierzon publique", public=True)
    fiche(autre_territoire_projets, "Vierzon privée", public=False)
    fiche(autre_territoire_projets, "Vierzon archivée", public=True, archive=True)


def test_le_public_ne_voit_que_les_fiches_publiees(fiches_de_deux_territoires):
    assert set(titres(rechercher_projets(PUBLIC))) == {
        "Plateforme mutualisée de fabrication additive",
        "Vierzon publique",
    }


def test_le_chef_de_projet_voit_ses_fiches_privees_pas_celles_d_un_autre_territoire(
    fiches_de_deux_territoires, chef_projet
):
    assert set(titres(rechercher_projets(chef_projet))) == {
        "Plateforme mutualisée de fabrication additive",
        "Reconversion de la friche Philips",
        "Vierzon publique",
    }


def test_l_instructeur_regional_voit_les_fiches_privees_de_sa_region(fiches_de_deux_territoires, instructeur_region):
    assert set(titres(rechercher_projets(instructeur_region))) == {
        "Plateforme mutualisée de fabrication additive",
        "Reconversion de la friche Philips",
        "Vierzon publique",
        "Vierzon privée",
    }


def test_une_fiche_archivee_n_est_jamais_trouvee(fiches_de_deux_territoires):
    equipe = utilisateur_avec(Role.EQUIPE_NATIONALE)
    assert "Vierzon archivée" not in titres(rechercher_projets(equipe, q="vierzon"))


# Filters ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(territoire_projets, autre_territoire_projets, territoire_bretagne):
    fiche(territoire_projets, "A", axe=Axe.INNOVER, phase=PhaseProjet.ETUDE, themes=["decarbonation", "innovation"])
    fiche(territoire_projets, "B", axe=Axe.INNOVER, phase=PhaseProjet.IDEE, themes=["decarbonation"])
    fiche(autre_territoire_projets, "C", axe=Axe.RECRUTER, phase=PhaseProjet.ETUDE, phase_statut=StatutPhase.BLOQUE)
    fiche(territoire_bretagne, "D", axe=Axe.ATTIRER, phase=PhaseProjet.OPERATION, themes=["innovation"])


@pytest.mark.parametrize(
    ("criteres", "attendus"),
    [
        ({"region": "24"}, {"A", "B", "C"}),
        ({"region": ["53"]}, {"D"}),
        ({"region": ["24", "53"]}, {"A", "B", "C", "D"}),
        ({"territoire": "ti2-2411"}, {"C"}),
        ({"axe": "innover"}, {"A", "B"}),
        ({"axe": ["innover", "attirer"]}, {"A", "B", "D"}),
        ({"theme": "decarbonation"}, {"A", "B"}),
        ({"theme": ["decarbonation", "innovation"]}, {"A", "B", "D"}),  # A has both: found once
        ({"phase": "etude"}, {"A", "C"}),
        ({"statut": "bloque"}, {"C"}),
        ({"axe": "innover", "phase": "etude", "region": "24"}, {"A"}),
        ({"axe": [], "phase": None, "region": ""}, {"A", "B", "C", "D"}),
    ],
)
def test_les_filtres(catalogue, criteres, attendus):
    trouves = titres(rechercher_projets(PUBLIC, **criteres))
    assert set(trouves) == attendus
    assert len(trouves) == len(attendus)  # no fiche twice


def test_les_valeurs_inconnues_des_filtres(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert valeurs_inconnues("axe", ["innover", "voler"]) == ["voler"]
        assert valeurs_inconnues("phase", []) == []
    with django_assert_max_num_queries(1):
        assert valeurs_inconnues("territoire", ["ti2-2405", "ti2-9999", "ti2-9999"]) == ["ti2-9999"]
    assert valeurs_inconnues("region", ["24", "99"]) == ["99"]
    assert valeurs_inconnues("theme", ["decarbonation", "astrologie"]) == ["astrologie"]


# Facets -------------------------------------------------------------------------------------------------------------


def comptes(facette) -> dict[str, int]:
    return {valeur.code: valeur.nombre for valeur in facette.valeurs}


def test_les_facettes_comptent_les_fiches_par_valeur(catalogue, territoire_bretagne):
    resultat = facettes(PUBLIC)

    assert comptes(resultat["region"]) == {"24": 3, "53": 1}
    assert [v.libelle for v in resultat["region"].valeurs] == ["Bretagne", "Centre-Val de Loire"]
    # The most fiches first, then by name.
    assert [(v.libelle, v.nombre) for v in resultat["territoire"].valeurs] == [
        ("Pays de Dreux", 2),
        ("Lorient", 1),
        ("Vierzon", 1),
    ]
    assert resultat["territoire"].valeurs[1].code == territoire_bretagne.identifiant
    assert comptes(resultat["axe"]) == {"recruter": 1, "innover": 2, "attirer": 1}  # the axes' order, none at 0
    assert comptes(resultat["theme"]) == {"decarbonation": 2, "innovation": 2}
    assert comptes(resultat["phase"]) == {"idee": 1, "etude": 2, "operation": 1}
    assert comptes(resultat["statut"]) == {"en_cours": 3, "bloque": 1}
    assert [v.libelle for v in resultat["statut"].valeurs] == ["En cours", "Bloqué"]


def test_chaque_facette_compte_avec_les_autres_filtres_seulement(catalogue):
    resultat = facettes(PUBLIC, axe="innover", region="24")

    # The axis facet ignores its own filter: the other axes of the région stay on offer, with their counts.
    assert comptes(resultat["axe"]) == {"recruter": 1, "innover": 2}
    assert [v.code for v in resultat["axe"].choisies] == ["innover"]
    # The others count within « innover » in Centre-Val de Loire.
    assert comptes(resultat["phase"]) == {"idee": 1, "etude": 1}
    assert comptes(resultat["theme"]) == {"decarbonation": 2, "innovation": 1}
    assert comptes(resultat["region"]) == {"24": 2}  # Bretagne has no « innover » fiche: not offered

    assert comptes(facettes(PUBLIC, axe="attirer", region="24")["region"]) == {"53": 1, "24": 0}  # 24: ticked


def test_les_facettes_suivent_le_texte_et_le_perimetre(catalogue, projet_prive, chef_projet):
    assert comptes(facettes(PUBLIC, q="reconversion")["axe"]) == {}
    assert comptes(facettes(chef_projet, q="reconversion")["axe"]) == {"attirer": 1}


def test_une_valeur_choisie_sans_fiche_reste_affichee_pour_etre_decochee(catalogue):
    resultat = facettes(PUBLIC, statut="abandonne", phase="idee")

    assert comptes(resultat["statut"]) == {"en_cours": 1, "abandonne": 0}
    assert resultat["statut"].valeurs[-1].choisie


def test_la_facette_des_territoires_garde_les_vingt_premiers_et_ceux_choisis(territoire_projets):
    territoires = [TerritoireFactory(nom=f"Territoire {n:02d}") for n in range(TERRITOIRES_DANS_LA_FACETTE + 1)]
    for rang, territoire in enumerate(territoires):
        for _ in range(2 if rang < TERRITOIRES_DANS_LA_FACETTE else 1):
            fiche(territoire, f"Fiche de {territoire.nom}")
    dernier = territoires[-1]

    sans_choix = facettes(PUBLIC)["territoire"]
    assert len(sans_choix.valeurs) == TERRITOIRES_DANS_LA_FACETTE
    assert dernier.identifiant not in comptes(sans_choix)

    avec_choix = facettes(PUBLIC, territoire=[dernier.identifiant, territoire_projets.identifiant])["territoire"]
    assert comptes(avec_choix)[dernier.identifiant] == 1
    assert comptes(avec_choix)[territoire_projets.identifiant] == 0  # chosen, no published fiche
    assert {v.code for v in avec_choix.choisies} == {dernier.identifiant, territoire_projets.identifiant}


@pytest.mark.parametrize("nombre", [3, 30])
def test_les_facettes_en_requetes_bornees(territoire_projets, chef_projet, nombre, django_assert_max_num_queries):
    for n in range(nombre):
        fiche(territoire_projets, f"Fonderie {n}", public=n % 2 == 0, themes=["decarbonation"])
    rechercher_projets(chef_projet)  # the habilitations are read once per request, then kept on the user

    with django_assert_max_num_queries(2):  # grouped by territory (total, régions, territories, axes…), themes
        facettes(chef_projet, q="fonderie", axe="innover", theme="decarbonation")
    with django_assert_max_num_queries(2):  # the page: the fiches with their territory and commune, their themes
        list(rechercher_projets(chef_projet, q="fonderie")[:20])
