"""The Fonds vert demo: the 2024 scheme at 100 M€, Centre-Val de Loire at 5,6 M€, loaded once."""

from decimal import Decimal

import pytest

from tests.factories import RegionFactory, UtilisateurFactory
from ti.comptes.models import Habilitation, Role
from ti.core.models import Journal
from ti.financements.demo import EQUIPE_NATIONALE, DonneesManquantes, charger_fonds_vert_demo
from ti.financements.models import Dispositif, Enveloppe, Volet

METROPOLE = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}


@pytest.fixture
def referentiel(db):
    for code, nom in METROPOLE.items():
        RegionFactory(code=code, nom=nom, zone="metro")
    RegionFactory(code="04", nom="La Réunion", zone="drom")


@pytest.fixture
def equipe_nationale_demo(db):
    utilisateur = UtilisateurFactory(email=EQUIPE_NATIONALE)
    Habilitation.objects.create(utilisateur=utilisateur, role=Role.EQUIPE_NATIONALE)
    return utilisateur


def etat():
    return (
        list(Dispositif.objects.values_list("code", "montant", "volets", "ouverture", "cloture")),
        sorted(Enveloppe.objects.values_list("region_id", "annee", "montant")),
        Journal.objects.count(),
    )


def test_le_dispositif_2024_et_ses_enveloppes(referentiel, equipe_nationale_demo):
    resultat = charger_fonds_vert_demo()
    dispositif = Dispositif.objects.get()
    assert resultat.dispositif == dispositif and resultat.dispositif_cree and resultat.enveloppes_creees == 13
    assert dispositif.nom == "Fonds vert — Territoires d’industrie en transition écologique 2024"
    assert dispositif.montant == Decimal("100000000.00")
    assert dispositif.volets == [Volet.INVESTISSEMENT, Volet.COMPETENCES, Volet.REBOND]
    assert str(dispositif.ouverture) == "2024-01-01" and dispositif.est_ouvert()
    assert "organismes de formation" in dispositif.regles_eligibilite
    cvl = Enveloppe.objects.get(region_id="24")
    assert (cvl.annee, cvl.montant) == (2024, Decimal("5600000.00"))
    assert not Enveloppe.objects.filter(region_id="04").exists()
    total = sum(Enveloppe.objects.values_list("montant", flat=True))
    assert total == Decimal("89600000.00") <= dispositif.montant
    assert Journal.objects.filter(action="enveloppe_fixee", acteur=equipe_nationale_demo).count() == 13


def test_charger_deux_fois_ne_cree_rien_de_plus(referentiel, equipe_nationale_demo):
    charger_fonds_vert_demo()
    avant = etat()
    resultat = charger_fonds_vert_demo()
    assert not resultat.dispositif_cree and resultat.enveloppes_creees == 0
    assert etat() == avant


def test_ce_que_les_utilisateurs_ont_change_est_garde(referentiel, equipe_nationale_demo):
    charger_fonds_vert_demo()
    Enveloppe.objects.filter(region_id="53").update(montant=Decimal("1000000.00"))
    Enveloppe.objects.filter(region_id="94").delete()
    resultat = charger_fonds_vert_demo()
    assert resultat.enveloppes_creees == 1
    assert Enveloppe.objects.get(region_id="53").montant == Decimal("1000000.00")
    assert Enveloppe.objects.get(region_id="94").montant == Decimal("7000000.00")


def test_sans_compte_de_demonstration(referentiel):
    with pytest.raises(DonneesManquantes, match="comptes de démonstration"):
        charger_fonds_vert_demo()
    assert not Dispositif.objects.exists()


def test_sans_referentiel(equipe_nationale_demo):
    with pytest.raises(DonneesManquantes, match="COG"):
        charger_fonds_vert_demo()
    assert not Dispositif.objects.exists()


def test_la_demo_donne_les_textes_du_dispositif_et_le_signataire_du_centre_val_de_loire(
    referentiel, equipe_nationale_demo
):
    charger_fonds_vert_demo()
    charger_fonds_vert_demo()  # idempotent: nothing written twice
    dispositif = Dispositif.objects.get()
    assert dispositif.references_juridiques.startswith(
        "Loi n° 2023-973 du 23 octobre 2023 relative à l’industrie verte"
    )
    signes = dict(Enveloppe.objects.exclude(signataire_qualite="").values_list("region_id", "signataire_qualite"))
    assert signes == {"24": "Le préfet de la région Centre-Val de Loire, préfet du Loiret"}  # the others: not guessed
    assert Journal.objects.filter(action__in=["signataire_designe", "references_juridiques_fixees"]).count() == 2
