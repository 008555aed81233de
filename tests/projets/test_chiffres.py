"""The figures of fiches-action, computed by the database: exact on a small known set, in a fixed number of queries."""

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    LigneFinancementFactory,
    ProjetFactory,
    TerritoireFactory,
)
from ti.projets import referentiels
from ti.projets.models import (
    Axe,
    Competence,
    Levier,
    PhaseProjet,
    Projet,
    StatutFinancement,
    StatutPhase,
    Theme,
)
from ti.projets.selectors_chiffres import (
    chiffres_projets,
    par_region,
    par_territoire,
    part,
    projets_de_la_region,
    tableaux_du_programme,
)


@pytest.fixture(autouse=True)
def _referentiels(db):
    """Loaded by a data migration; a flushed test database (browser journeys) may have lost them."""
    referentiels.charger(Theme, Competence, Levier)


@pytest.fixture
def projet_vierzon(autre_territoire_projets):
    """Recruter, operation terminée, no budget, with a refused and an acquired line."""
    projet = ProjetFactory(
        territoire=autre_territoire_projets,
        titre="École de production",
        axe=Axe.RECRUTER,
        phase=PhaseProjet.OPERATION,
        phase_statut=StatutPhase.TERMINE,
        budget=None,
        emplois_crees=None,
        emplois_maintenus=30,
        investissement=Decimal("500000.00"),
        tco2e_evitees=Decimal("100.00"),
    )
    projet.themes.set(Theme.objects.filter(code="competences-attractivite"))
    LigneFinancementFactory(projet=projet, montant=Decimal("20000"), statut=StatutFinancement.REFUSE)
    LigneFinancementFactory(projet=projet, montant=Decimal("10000"), statut=StatutFinancement.ACQUIS)
    return projet


@pytest.fixture
def projet_archive(territoire_projets):
    """Archived: it counts nowhere, nor do its financing lines."""
    projet = ProjetFactory(territoire=territoire_projets, archive=True, budget=Decimal("999999"), emplois_crees=99)
    projet.themes.set(Theme.objects.filter(code="decarbonation"))
    LigneFinancementFactory(projet=projet, montant=Decimal("1000"))
    return projet


@pytest.fixture
def jeu(projet_public, projet_prive, projet_vierzon, projet_archive):
    """Dreux: the public fiche (innover, étude en cours, 250 000 €, 12 jobs, 80 000 acquired, 50 000 requested) and
    the private one (attirer, idée en cours, 1 200 000 €, 12 jobs, 6,5 ha); Vierzon: recruter, opération terminée,
    no budget, 30 jobs kept, 20 000 refused, 10 000 acquired; one archived fiche in Dreux."""
    return Projet.objects.all()


def nombres(lignes):
    return {ligne["code"]: ligne["nombre"] for ligne in lignes}


def test_comptes_par_axe_theme_phase_et_statut(jeu):
    chiffres = chiffres_projets(jeu)

    assert chiffres["fiches"] == 3
    assert chiffres["fiches_avec_budget"] == 2
    assert nombres(chiffres["par_axe"]) == {"recruter": 1, "innover": 1, "attirer": 1, "simplifier": 0}
    themes = nombres(chiffres["par_theme"])
    assert {code: n for code, n in themes.items() if n} == {
        "reindustrialisation": 1,
        "innovation": 1,
        "competences-attractivite": 1,
    }
    assert themes["decarbonation"] == 0  # only the archived fiche carries it
    assert {p["code"]: p["nombre"] for p in chiffres["par_phase"]} == {"idee": 1, "etude": 1, "operation": 1}
    operation = next(p for p in chiffres["par_phase"] if p["code"] == "operation")
    assert {code: n for code, n in nombres(operation["statuts"]).items() if n} == {"termine": 1}
    assert {code: n for code, n in nombres(chiffres["par_statut"]).items() if n} == {"en_cours": 2, "termine": 1}


def test_budget_financements_et_impact(jeu):
    chiffres = chiffres_projets(jeu)

    assert chiffres["budget"] == Decimal("1450000.00")
    assert chiffres["financement"] == {
        "sollicite": Decimal("50000.00"),
        "acquis": Decimal("90000.00"),
        "refuse": Decimal("20000.00"),
    }
    assert chiffres["part_securisee"] == Decimal("6.2")  # 90 000 / 1 450 000
    assert chiffres["impact"] == {
        "emplois_crees": 24,
        "emplois_maintenus": 30,
        "investissement": Decimal("500000.00"),
        "tco2e_evitees": Decimal("100.00"),
        "hectares": Decimal("6.50"),
    }


def test_sans_fiche_tout_vaut_zero(db):
    chiffres = chiffres_projets(Projet.objects.all())

    assert chiffres["fiches"] == 0
    assert chiffres["budget"] == Decimal("0.00")
    assert chiffres["financement"]["acquis"] == Decimal("0.00")
    assert chiffres["part_securisee"] is None
    assert chiffres["impact"]["emplois_crees"] == 0
    assert all(ligne["nombre"] == 0 for ligne in chiffres["par_theme"])


def test_la_part_securisee():
    assert part(Decimal("80000"), Decimal("250000")) == Decimal("32.0")
    assert part(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert part(Decimal("0"), Decimal("250000")) == Decimal("0.0")
    assert part(Decimal("10000"), Decimal("0")) is None
    assert part(None, None) is None


def test_par_territoire(jeu, territoire_projets, autre_territoire_projets):
    lignes = {t.identifiant: t for t in par_territoire(jeu)}

    dreux, vierzon = lignes[territoire_projets.identifiant], lignes[autre_territoire_projets.identifiant]
    assert (dreux.nb_fiches, dreux.budget, dreux.acquis, dreux.emplois_crees) == (
        2,
        Decimal("1450000.00"),
        Decimal("80000.00"),
        24,
    )
    assert dreux.part_securisee == Decimal("5.5")
    assert (vierzon.nb_fiches, vierzon.budget, vierzon.acquis, vierzon.emplois_maintenus) == (
        1,
        Decimal("0.00"),
        Decimal("10000.00"),
        30,
    )
    assert vierzon.part_securisee is None  # no budget to secure


def test_par_territoire_ne_garde_que_les_territoires_qui_ont_des_fiches(jeu, territoire_cvl):
    assert territoire_cvl.pk not in {t.pk for t in par_territoire(jeu)}


def test_par_territoire_ordonne_et_limite(jeu, territoire_projets):
    lignes = par_territoire(jeu, ordre=("-nb_fiches", "nom"), limite=1)

    assert [t.pk for t in lignes] == [territoire_projets.pk]


@pytest.fixture
def territoire_a_cheval(cvl, bretagne):
    """A territory with one commune in Centre-Val de Loire and one in Bretagne."""
    communes = [
        CommuneFactory(code="45001", departement=DepartementFactory(code="45", region=cvl)),
        CommuneFactory(code="56001", departement=DepartementFactory(code="56", nom="Morbihan", region=bretagne)),
    ]
    return TerritoireFactory(nom="À cheval", communes=communes)


def test_par_region_compte_un_territoire_dans_chacune_de_ses_regions(jeu, territoire_a_cheval, cvl, bretagne):
    projet = ProjetFactory(territoire=territoire_a_cheval, budget=Decimal("100000"), emplois_crees=5)
    LigneFinancementFactory(projet=projet, montant=Decimal("40000"))

    regions = {r.code: r for r in par_region(Projet.objects.all())}

    assert set(regions) == {"24", "53"}
    centre, bzh = regions["24"], regions["53"]
    assert (centre.nb_territoires, centre.nb_fiches, centre.budget, centre.acquis) == (
        3,
        4,
        Decimal("1550000.00"),
        Decimal("130000.00"),
    )
    assert (bzh.nb_territoires, bzh.nb_fiches, bzh.budget, bzh.acquis, bzh.emplois_crees) == (
        1,
        1,
        Decimal("100000.00"),
        Decimal("40000.00"),
        5,
    )
    # Once in each région, so the régions add up to more than the programme.
    assert chiffres_projets(Projet.objects.all())["fiches"] == 4 < centre.nb_fiches + bzh.nb_fiches


def test_les_fiches_d_une_region_une_seule_fois(jeu, territoire_a_cheval, bretagne):
    ProjetFactory(territoire=territoire_a_cheval)

    assert projets_de_la_region(Projet.objects.all(), bretagne).count() == 1


def test_en_un_nombre_fixe_de_requetes(territoire_projets, autre_territoire_projets):
    """3 fiches or 30, with their lines and themes: the same queries."""

    def requetes():
        with CaptureQueriesContext(connection) as contexte:
            chiffres_projets(Projet.objects.all())
            par_territoire(Projet.objects.all())
            par_region(Projet.objects.all())
        return len(contexte.captured_queries)

    themes = list(Theme.objects.all()[:3])

    def creer(n):
        for i in range(n):
            projet = ProjetFactory(territoire=(territoire_projets, autre_territoire_projets)[i % 2])
            projet.themes.set(themes)
            LigneFinancementFactory.create_batch(2, projet=projet)

    creer(3)
    avec_3 = requetes()
    creer(27)
    assert requetes() == avec_3 == 9  # 3 for the figures, 3 per table (GROUP BY, not one subquery per row)


def test_les_tableaux_du_programme_sont_ceux_de_par_region_et_par_territoire(jeu, territoire_a_cheval):
    ProjetFactory(territoire=territoire_a_cheval, budget=Decimal("100000"))
    ordre = ("-nb_fiches", "-budget", "nom")

    regions, territoires = tableaux_du_programme(Projet.objects.all(), ordre=ordre, limite=2)

    assert [vars(r) for r in regions] == [vars(r) for r in par_region(Projet.objects.all())]
    assert [vars(t) for t in territoires] == [vars(t) for t in par_territoire(Projet.objects.all(), ordre=ordre)][:2]


def test_les_tableaux_egalent_le_compte_fiche_par_fiche(
    territoire_projets, autre_territoire_projets, territoire_a_cheval
):
    """Many fiches, lines of every status, archived fiches, a territory in two régions: the grouped queries give
    what adding up fiche by fiche gives."""
    alea = random.Random(5)
    territoires = [territoire_projets, autre_territoire_projets, territoire_a_cheval]
    for i in range(40):
        projet = ProjetFactory(
            territoire=alea.choice(territoires),
            budget=alea.choice([None, Decimal(alea.randrange(1, 900)) * 1000]),
            emplois_crees=alea.choice([None, alea.randrange(50)]),
            emplois_maintenus=alea.choice([None, alea.randrange(50)]),
            archive=i % 7 == 0,
        )
        for _ in range(alea.randrange(4)):
            LigneFinancementFactory(
                projet=projet,
                montant=Decimal(alea.randrange(1, 500)) * 100,
                statut=alea.choice(list(StatutFinancement)),
            )
    attendu = defaultdict(lambda: defaultdict(Decimal))
    for projet in Projet.objects.filter(archive_le__isnull=True).prefetch_related(
        "financements", "territoire__regions"
    ):
        cles = [projet.territoire.identifiant, *(f"region:{r.code}" for r in projet.territoire.regions.all())]
        for cle in cles:
            attendu[cle]["nb_fiches"] += 1
            attendu[cle]["budget"] += projet.budget or 0
            attendu[cle]["emplois_crees"] += projet.emplois_crees or 0
            attendu[cle]["emplois_maintenus"] += projet.emplois_maintenus or 0
            attendu[cle]["acquis"] += sum(f.montant for f in projet.financements.all() if f.statut == "acquis")

    colonnes = ("nb_fiches", "budget", "acquis", "emplois_crees", "emplois_maintenus")
    obtenu = {t.identifiant: {c: getattr(t, c) for c in colonnes} for t in par_territoire(Projet.objects.all())}
    obtenu |= {f"region:{r.code}": {c: getattr(r, c) for c in colonnes} for r in par_region(Projet.objects.all())}
    assert obtenu == {cle: {c: valeurs[c] for c in colonnes} for cle, valeurs in attendu.items()}
