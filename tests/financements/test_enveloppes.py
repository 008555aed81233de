"""Dispositif and regional envelopes: the sum never above the dispositif, never below what was granted, transfers
between régions by the national team, logged; the envelope gauge computed by the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import DispositifFactory, DossierFactory, EnveloppeFactory, RegionFactory
from ti.core.models import Journal
from ti.financements.actions.enveloppes import (
    Refus,
    creer_dispositif,
    fixer_enveloppe,
    repartir_enveloppes,
    transferer_credits,
)
from ti.financements.models import Dispositif, Enveloppe, Statut, TransfertCredits, Volet
from ti.financements.selectors import jauge, jauges

M = Decimal


@pytest.fixture
def dispositif(db):
    return DispositifFactory(montant=M("10000000.00"))


@pytest.fixture
def env_cvl(dispositif, cvl):
    return EnveloppeFactory(dispositif=dispositif, region=cvl, montant=M("5600000.00"))


@pytest.fixture
def env_bretagne(dispositif, bretagne):
    return EnveloppeFactory(dispositif=dispositif, region=bretagne, montant=M("3000000.00"))


def montants():
    return dict(Enveloppe.objects.values_list("region_id", "montant"))


def montants_par_pk():
    return dict(Enveloppe.objects.values_list("pk", "montant"))


# Dispositif.


def test_l_equipe_nationale_ouvre_un_dispositif(equipe_nationale):
    dispositif = creer_dispositif(
        par=equipe_nationale,
        nom="Fonds vert 2025",
        code="fv-2025",
        annee=2025,
        montant=M("50000000"),
        volets=[Volet.REBOND, Volet.INVESTISSEMENT],
        ouverture=date(2025, 1, 1),
        cloture=date(2025, 12, 31),
    )
    assert dispositif.volets == [Volet.INVESTISSEMENT, Volet.REBOND]
    assert Journal.objects.filter(action="dispositif_cree", objet_id=str(dispositif.pk)).exists()


@pytest.mark.parametrize(
    "changement, message",
    [
        ({"cloture": date(2024, 12, 31)}, "clôture"),
        ({"volets": []}, "volet"),
        ({"volets": ["volet-inconnu"]}, "volet"),
        ({"montant": M("0")}, "positif"),
    ],
)
def test_un_dispositif_incoherent_est_refuse(equipe_nationale, changement, message):
    donnees = {
        "par": equipe_nationale,
        "nom": "Fonds vert 2025",
        "code": "fv-2025",
        "annee": 2025,
        "montant": M("50000000"),
        "volets": [Volet.INVESTISSEMENT],
        "ouverture": date(2025, 1, 1),
        "cloture": date(2025, 12, 31),
    } | changement
    with pytest.raises(Refus, match=message):
        creer_dispositif(**donnees)
    assert not Dispositif.objects.exists()


def test_un_instructeur_n_ouvre_pas_de_dispositif(instructeur_cvl):
    with pytest.raises(PermissionDenied):
        creer_dispositif(
            par=instructeur_cvl,
            nom="Fonds vert 2025",
            code="fv-2025",
            annee=2025,
            montant=M("1"),
            volets=[Volet.INVESTISSEMENT],
            ouverture=date(2025, 1, 1),
            cloture=date(2025, 12, 31),
        )


# Envelopes.


def test_fixer_une_enveloppe_la_cree_puis_la_modifie_et_journalise(dispositif, cvl, equipe_nationale):
    enveloppe = fixer_enveloppe(
        dispositif=dispositif, region=cvl, annee=2024, montant=M("5600000"), par=equipe_nationale, motif="Notification"
    )
    fixer_enveloppe(dispositif=dispositif, region=cvl, annee=2024, montant=M("6000000"), par=equipe_nationale)
    enveloppe.refresh_from_db()
    assert enveloppe.montant == M("6000000.00")
    lignes = Journal.objects.filter(action="enveloppe_fixee", objet_id=str(enveloppe.pk)).order_by("id")
    assert [ligne.details["montant"] for ligne in lignes] == [["0", "5600000"], ["5600000.00", "6000000"]]
    assert [ligne.motif for ligne in lignes] == ["Notification", ""]


def test_la_somme_des_enveloppes_ne_depasse_jamais_le_dispositif(env_cvl, bretagne, equipe_nationale):
    avant = montants(), Journal.objects.count()
    with pytest.raises(Refus) as refus:
        fixer_enveloppe(
            dispositif=env_cvl.dispositif, region=bretagne, annee=2024, montant=M("4400000.01"), par=equipe_nationale
        )
    assert str(refus.value) == (
        "L’enveloppe de Bretagne (4\xa0400\xa0000,01\xa0€) porterait le total des enveloppes à "
        "10\xa0000\xa0000,01\xa0€, au-delà du montant du dispositif (10\xa0000\xa0000,00\xa0€) : "
        "il reste 4\xa0400\xa0000,00\xa0€ à répartir."
    )
    assert (montants(), Journal.objects.count()) == avant
    fixer_enveloppe(
        dispositif=env_cvl.dispositif, region=bretagne, annee=2024, montant=M("4400000.00"), par=equipe_nationale
    )
    assert sum(montants().values()) == M("10000000.00")


def test_une_enveloppe_qui_n_a_rien_accorde_descend_a_zero(env_cvl, equipe_nationale):
    fixer_enveloppe(
        dispositif=env_cvl.dispositif, region=env_cvl.region, annee=2024, montant=M("0"), par=equipe_nationale
    )
    assert Enveloppe.objects.get(pk=env_cvl.pk).montant == M("0")


def test_fixer_une_enveloppe_ne_touche_ni_un_autre_dispositif_ni_une_autre_annee(db, cvl, equipe_nationale):
    # Created first, so that a lookup that forgot the dispositif or the year would find them before the right one.
    autre_dispositif = EnveloppeFactory(dispositif=DispositifFactory(code="autre"), region=cvl, montant=M("100"))
    dispositif = DispositifFactory(code="cible", montant=M("10000000.00"))
    autre_annee = EnveloppeFactory(dispositif=dispositif, region=cvl, annee=2023, montant=M("100"))
    cible = EnveloppeFactory(dispositif=dispositif, region=cvl, annee=2024, montant=M("100"))
    fixer_enveloppe(dispositif=dispositif, region=cvl, annee=2024, montant=M("500"), par=equipe_nationale)
    assert montants_par_pk() == {autre_dispositif.pk: M("100"), autre_annee.pk: M("100"), cible.pk: M("500")}


def test_repartir_compte_les_autres_annees_et_les_autres_regions(dispositif, cvl, bretagne, equipe_nationale):
    EnveloppeFactory(dispositif=dispositif, region=cvl, annee=2023, montant=M("4000000.00"))
    EnveloppeFactory(dispositif=dispositif, region=bretagne, annee=2024, montant=M("1000000.00"))
    with pytest.raises(Refus, match="^Les enveloppes totaliseraient 10\xa0000\xa0000,01\xa0€"):
        repartir_enveloppes(dispositif=dispositif, annee=2024, montants={cvl: M("5000000.01")}, par=equipe_nationale)
    assert not Enveloppe.objects.filter(annee=2024, region=cvl).exists()
    repartir_enveloppes(dispositif=dispositif, annee=2024, montants={cvl: M("5000000.00")}, par=equipe_nationale)
    assert Enveloppe.objects.get(annee=2024, region=cvl).montant == M("5000000.00")


def test_une_enveloppe_a_zero_qui_n_existe_pas_n_est_pas_creee(dispositif, cvl, equipe_nationale):
    assert fixer_enveloppe(dispositif=dispositif, region=cvl, annee=2024, montant=M("0"), par=equipe_nationale) is None
    assert not Enveloppe.objects.exists()


def test_repartir_baisse_d_abord_meme_quand_la_baisse_reste_la_plus_grosse(env_cvl, env_bretagne, equipe_nationale):
    # CVL goes down to 5 M€ and Bretagne up to 4.5 M€: Bretagne first would make 10.1 M€ for a 10 M€ dispositif.
    repartir_enveloppes(
        dispositif=env_cvl.dispositif,
        annee=2024,
        montants={env_cvl.region: M("5000000.00"), env_bretagne.region: M("4500000.00")},
        par=equipe_nationale,
        motif="Redéploiement",
    )
    assert montants() == {env_cvl.region_id: M("5000000.00"), env_bretagne.region_id: M("4500000.00")}
    motifs = Journal.objects.filter(action="enveloppe_fixee").values_list("motif", flat=True)
    assert list(motifs) == ["Redéploiement", "Redéploiement"]


def test_une_enveloppe_ne_descend_pas_sous_ce_qu_elle_a_accorde(env_cvl, equipe_nationale):
    Enveloppe.objects.filter(pk=env_cvl.pk).update(montant_accorde=M("1000000.00"))
    with pytest.raises(Refus, match="a déjà accordé 1\xa0000\xa0000,00\xa0€"):
        fixer_enveloppe(
            dispositif=env_cvl.dispositif,
            region=env_cvl.region,
            annee=2024,
            montant=M("999999.99"),
            par=equipe_nationale,
        )
    env_cvl.refresh_from_db()
    assert env_cvl.montant == M("5600000.00")
    fixer_enveloppe(
        dispositif=env_cvl.dispositif, region=env_cvl.region, annee=2024, montant=M("1000000.00"), par=equipe_nationale
    )
    env_cvl.refresh_from_db()
    assert env_cvl.montant == M("1000000.00")


def test_un_montant_negatif_est_refuse(dispositif, cvl, equipe_nationale):
    with pytest.raises(Refus, match="négatif"):
        fixer_enveloppe(dispositif=dispositif, region=cvl, annee=2024, montant=M("-1"), par=equipe_nationale)


def test_seule_l_equipe_nationale_fixe_les_enveloppes(dispositif, cvl, instructeur_cvl):
    with pytest.raises(PermissionDenied):
        fixer_enveloppe(dispositif=dispositif, region=cvl, annee=2024, montant=M("1"), par=instructeur_cvl)
    assert not Enveloppe.objects.exists()


def test_repartir_baisse_avant_de_monter(env_cvl, env_bretagne, equipe_nationale):
    """8,6 M€ répartis sur 10 M€: moving 1,4 M€ from CVL to Bretagne then adding Normandie fits in one go."""
    normandie = RegionFactory(code="28", nom="Normandie")
    repartir_enveloppes(
        dispositif=env_cvl.dispositif,
        annee=2024,
        montants={env_cvl.region: M("4200000"), env_bretagne.region: M("4400000"), normandie: M("1400000")},
        par=equipe_nationale,
    )
    assert montants() == {"24": M("4200000.00"), "53": M("4400000.00"), "28": M("1400000.00")}
    assert set(Journal.objects.filter(action="enveloppe_fixee").values_list("motif", flat=True)) == {""}


def test_repartir_au_dela_du_dispositif_ne_change_rien(env_cvl, env_bretagne, equipe_nationale):
    avant = montants(), Journal.objects.count()
    with pytest.raises(Refus, match="au-delà du montant du dispositif"):
        repartir_enveloppes(
            dispositif=env_cvl.dispositif,
            annee=2024,
            montants={env_cvl.region: M("1000000"), env_bretagne.region: M("9000000.01")},
            par=equipe_nationale,
        )
    assert (montants(), Journal.objects.count()) == avant


def test_repartir_refuse_tout_si_une_enveloppe_descend_sous_l_accorde(env_cvl, env_bretagne, equipe_nationale):
    Enveloppe.objects.filter(pk=env_bretagne.pk).update(montant_accorde=M("2000000"))
    avant = montants(), Journal.objects.count()
    with pytest.raises(Refus, match="Bretagne a déjà accordé"):
        repartir_enveloppes(
            dispositif=env_cvl.dispositif,
            annee=2024,
            montants={env_cvl.region: M("7000000"), env_bretagne.region: M("1000000")},
            par=equipe_nationale,
        )
    assert (montants(), Journal.objects.count()) == avant


# Transfers.


def test_transfert_de_credits(env_cvl, env_bretagne, equipe_nationale):
    transfert = transferer_credits(
        depuis=env_cvl, vers=env_bretagne, montant=M("600000.00"), par=equipe_nationale, motif="Sous-consommation"
    )
    assert montants() == {"24": M("5000000.00"), "53": M("3600000.00")}
    assert TransfertCredits.objects.get() == transfert
    assert (transfert.montant, transfert.par, transfert.motif) == (
        M("600000.00"),
        equipe_nationale,
        "Sous-consommation",
    )
    journal = {j.action: j for j in Journal.objects.filter(action__startswith="transfert_credits")}
    assert journal["transfert_credits_sortant"].objet_id == str(env_cvl.pk)
    assert journal["transfert_credits_sortant"].details["montant"] == ["5600000.00", "5000000.00"]
    assert journal["transfert_credits_entrant"].objet_id == str(env_bretagne.pk)
    assert journal["transfert_credits_entrant"].details["montant"] == ["3000000.00", "3600000.00"]
    assert {j.motif for j in journal.values()} == {"Sous-consommation"}


def test_transfert_jusqu_a_ce_qui_reste_exactement(env_cvl, env_bretagne, equipe_nationale):
    Enveloppe.objects.filter(pk=env_cvl.pk).update(montant_accorde=M("5000000.00"))
    transferer_credits(depuis=env_cvl, vers=env_bretagne, montant=M("600000.00"), par=equipe_nationale, motif="Solde")
    env_cvl.refresh_from_db()
    assert env_cvl.reste == 0


@pytest.mark.parametrize(
    "montant, motif, message",
    [
        (M("0"), "Motif", "doit être positif"),
        (M("-5"), "Motif", "doit être positif"),
        (M("100"), "  ", "motif"),
        (M("100"), "", "motif"),
        (M("600000.01"), "Motif", "peut céder au plus 600\xa0000,00\xa0€"),
    ],
)
def test_transferts_refuses(env_cvl, env_bretagne, equipe_nationale, montant, motif, message):
    Enveloppe.objects.filter(pk=env_cvl.pk).update(montant_accorde=M("5000000.00"))
    avant = montants(), Journal.objects.count()
    with pytest.raises(Refus, match=message):
        transferer_credits(depuis=env_cvl, vers=env_bretagne, montant=montant, par=equipe_nationale, motif=motif)
    assert (montants(), Journal.objects.count(), TransfertCredits.objects.count()) == (*avant, 0)


def test_transfert_vers_la_meme_enveloppe_refuse(env_cvl, equipe_nationale):
    with pytest.raises(Refus, match="deux enveloppes différentes"):
        transferer_credits(depuis=env_cvl, vers=env_cvl, montant=M("1"), par=equipe_nationale, motif="Motif")
    assert not TransfertCredits.objects.exists()


def test_transfert_entre_dispositifs_differents_refuse(env_cvl, bretagne, equipe_nationale):
    autre = EnveloppeFactory(dispositif=DispositifFactory(code="autre", montant=M("1000000")), region=bretagne)
    with pytest.raises(Refus, match="même dispositif"):
        transferer_credits(depuis=env_cvl, vers=autre, montant=M("1"), par=equipe_nationale, motif="Motif")
    assert not TransfertCredits.objects.exists()


def test_un_instructeur_ne_transfere_pas(env_cvl, env_bretagne, instructeur_cvl):
    with pytest.raises(PermissionDenied):
        transferer_credits(depuis=env_cvl, vers=env_bretagne, montant=M("1"), par=instructeur_cvl, motif="Motif")
    assert not TransfertCredits.objects.exists()


# Gauge.


def test_jauge_exacte_sur_un_jeu_de_dossiers_connu(env_cvl, env_bretagne, django_assert_num_queries):
    d = {"enveloppe": env_cvl}
    DossierFactory(statut=Statut.BROUILLON, aide_demandee=M("999.99"), **d)  # not filed: nowhere
    DossierFactory(statut=Statut.DEPOSE, aide_demandee=M("100000.10"), **d)
    DossierFactory(statut=Statut.EN_INSTRUCTION, aide_demandee=M("200000.20"), **d)
    DossierFactory(statut=Statut.PROPOSE, aide_demandee=M("300000.30"), montant_propose=M("250000.25"), **d)
    DossierFactory(statut=Statut.REFUSE, aide_demandee=M("400000.00"), montant_propose=M("1.00"), **d)
    DossierFactory(statut=Statut.IRRECEVABLE, aide_demandee=M("50000.00"), **d)
    DossierFactory(statut=Statut.CLASSE_SANS_SUITE, aide_demandee=M("60000.00"), **d)
    DossierFactory(statut=Statut.ACCEPTE, aide_demandee=M("500000.00"), montant_accorde=M("450000.45"), **d)
    DossierFactory(
        statut=Statut.ENGAGE,
        aide_demandee=M("700000.00"),
        montant_accorde=M("700000.00"),
        montant_engage=M("700000.00"),
        montant_verse=M("210000.00"),
        **d,
    )
    DossierFactory(
        statut=Statut.SOLDE,
        aide_demandee=M("100000.00"),
        montant_accorde=M("90000.00"),
        montant_engage=M("90000.00"),
        montant_verse=M("90000.00"),
        **d,
    )
    DossierFactory(statut=Statut.ACCEPTE, aide_demandee=M("5"), montant_accorde=M("5"), enveloppe=env_bretagne)

    with django_assert_num_queries(1):
        figures = jauge(env_cvl)
    assert figures.montant == M("5600000.00")
    assert figures.demande == M("1900000.60")  # 100 000,10 + 200 000,20 + 300 000,30 + 500 000 + 700 000 + 100 000
    assert figures.propose == M("250000.25")
    assert figures.accorde == M("1240000.45")
    assert figures.engage == M("790000.00")
    assert figures.verse == M("300000.00")
    assert figures.reste == M("4359999.55")

    with django_assert_num_queries(1):
        toutes = jauges(Enveloppe.objects.all())
    assert toutes[env_cvl.pk] == figures
    assert (toutes[env_bretagne.pk].accorde, toutes[env_bretagne.pk].reste) == (M("5.00"), M("2999995.00"))


def test_jauge_d_une_enveloppe_sans_dossier(env_cvl):
    figures = jauge(env_cvl)
    assert (figures.demande, figures.accorde, figures.verse, figures.reste) == (0, 0, 0, M("5600000.00"))
