"""The outcomes of the missions: the fiches-action linked to them and the financing those fiches obtained, summed in
SQL per mission and per région (decision 0045)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import DossierFactory, EnveloppeFactory, LigneFinancementFactory, ProjetFactory, TerritoireFactory
from tests.ingenierie.conftest import MissionFactory
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.financements.models import Enveloppe, Statut
from ti.ingenierie import actions
from ti.ingenierie.models import Mission, StatutMission, TypeMission
from ti.ingenierie.resultats import en_millions, mobilise_dans_la_region, mobilise_par_mission
from ti.ingenierie.selectors import phrase_missions_region
from ti.projets.models import StatutFinancement

pytestmark = pytest.mark.django_db


def fiche_financee(territoire, *montants_acquis, sollicite=Decimal(0), **traits):
    fiche = ProjetFactory(territoire=territoire, **traits)
    for montant in montants_acquis:
        LigneFinancementFactory(projet=fiche, montant=montant)
    if sollicite:
        LigneFinancementFactory(projet=fiche, montant=sollicite, statut=StatutFinancement.SOLLICITE)
    return fiche


def dossier(fiche, **champs):
    enveloppe = Enveloppe.objects.first() or EnveloppeFactory(region=fiche.territoire.regions.first())
    return DossierFactory(projet=fiche, territoire=fiche.territoire, enveloppe=enveloppe, **champs)


def mobilise(mission) -> Decimal:
    return Mission.objects.annotate(mobilise=mobilise_par_mission()).get(pk=mission.pk).mobilise


def test_seules_les_lignes_acquises_comptent(territoire_cvl):
    mission = MissionFactory(territoire=territoire_cvl)
    mission.projets.set([fiche_financee(territoire_cvl, Decimal(100000), Decimal(20000), sollicite=Decimal(500000))])
    refusee = fiche_financee(territoire_cvl)
    LigneFinancementFactory(projet=refusee, montant=Decimal(70000), statut=StatutFinancement.REFUSE)
    mission.projets.add(refusee)
    assert mobilise(mission) == Decimal(120000)


def test_les_dossiers_fonds_vert_comptent_pour_le_montant_decide_pas_demande(territoire_cvl):
    fiche = fiche_financee(territoire_cvl, Decimal(10000))
    dossier(fiche, statut=Statut.ACCEPTE, montant_accorde=Decimal(200000))
    dossier(
        fiche,
        statut=Statut.ENGAGE,
        montant_accorde=Decimal(150000),
        montant_engage=Decimal(140000),
        convention_numero="C-1",
        convention_date="2024-06-01",
    )
    dossier(fiche, statut=Statut.EN_INSTRUCTION)  # 300 000 € requested
    dossier(fiche, statut=Statut.REFUSE)
    mission = MissionFactory(territoire=territoire_cvl)
    mission.projets.set([fiche])
    assert mobilise(mission) == Decimal(10000 + 200000 + 140000)


def test_une_ligne_fonds_vert_n_est_pas_comptee_en_plus_du_dossier_decide(territoire_cvl):
    fiche = fiche_financee(territoire_cvl, Decimal(30000))
    LigneFinancementFactory(projet=fiche, financeur="État", dispositif="Fonds vert, volet 1", montant=200000)
    seule = fiche_financee(territoire_cvl)
    LigneFinancementFactory(projet=seule, financeur="État", dispositif="Fonds vert, volet 1", montant=90000)
    mission = MissionFactory(territoire=territoire_cvl)
    mission.projets.set([fiche, seule])
    assert mobilise(mission) == Decimal(30000 + 200000 + 90000)  # no dossier yet: the lines say it

    dossier(fiche, statut=Statut.ACCEPTE, montant_accorde=Decimal(200000))
    assert mobilise(mission) == Decimal(30000 + 200000 + 90000)  # the dossier replaces the line, never adds to it


def test_la_region_compte_une_fiche_une_fois_et_ignore_les_missions_annulees(cvl, territoire_cvl, bretagne):
    partagee = fiche_financee(territoire_cvl, Decimal(1000000))
    annulee_seule = fiche_financee(territoire_cvl, Decimal(500000))
    archivee = fiche_financee(territoire_cvl, Decimal(700000), archive=True)
    choc = MissionFactory(territoire=territoire_cvl, type=TypeMission.CHOC, annee=2022, statut=StatutMission.TERMINEE)
    rebond = MissionFactory(territoire=territoire_cvl, type=TypeMission.REBOND)
    annulee = MissionFactory(territoire=territoire_cvl, statut=StatutMission.ANNULEE)
    choc.projets.set([partagee, archivee])
    rebond.projets.set([partagee])
    annulee.projets.set([partagee, annulee_seule])
    lorient = MissionFactory(territoire=TerritoireFactory())
    lorient.territoire.regions.set([bretagne])
    lorient.projets.set([fiche_financee(lorient.territoire, Decimal(9000000))])

    assert mobilise_dans_la_region(cvl) == Decimal(1000000)
    assert mobilise(choc) == mobilise(rebond) == Decimal(1000000)  # each mission states what its fiches obtained
    assert phrase_missions_region(cvl).endswith("depuis 2023 sur Est du Loiret ; 1 M€ mobilisés.")
    assert mobilise_dans_la_region(bretagne) == Decimal(9000000)


def test_sans_financement_la_phrase_ne_dit_pas_de_montant(cvl, territoire_cvl):
    MissionFactory(territoire=territoire_cvl, type=TypeMission.CHOC, annee=2022, statut=StatutMission.TERMINEE)
    assert phrase_missions_region(cvl) == "1 mission choc industriel en 2022 sur Est du Loiret."


@pytest.mark.parametrize(
    ("montant", "texte"),
    [
        (Decimal("6000000"), "6 M€"),
        (Decimal("6395000"), "6,4 M€"),
        (Decimal("12050000"), "12,1 M€"),
        (Decimal("450000"), "450\u202f000 €"),
    ],
)
def test_les_montants_de_la_phrase(montant, texte):
    assert en_millions(montant) == texte


def test_le_territoire_rattache_ses_fiches_et_c_est_journalise(client, chef_projet_cvl, mission_cvl, territoire_cvl):
    fiche = fiche_financee(territoire_cvl, Decimal(250000))
    client.force_login(chef_projet_cvl)
    reponse = client.post(reverse("ingenierie:rattacher_fiches", args=[mission_cvl.pk]), {"projets": [fiche.pk]})
    assert reponse.status_code == 302
    assert list(mission_cvl.projets.all()) == [fiche]
    assert Journal.objects.filter(action="ingenierie.fiches_rattachees", objet_id=str(mission_cvl.pk)).count() == 1
    page = client.get(mission_cvl.get_absolute_url()).content.decode()
    assert fiche.titre in page and "250\u202f000 €" in page.replace("\xa0", "\u202f")

    client.post(reverse("ingenierie:rattacher_fiches", args=[mission_cvl.pk]), {})  # all unticked
    assert not mission_cvl.projets.exists()


def test_une_fiche_d_un_autre_territoire_est_refusee(equipe_nationale, mission_cvl, territoire_bretagne):
    with pytest.raises(Refus, match="n’appartient pas au territoire de la mission"):
        actions.rattacher_fiches(
            mission=mission_cvl, par=equipe_nationale, projets=[ProjetFactory(territoire=territoire_bretagne)]
        )
    assert not mission_cvl.projets.exists()


def test_le_formulaire_ne_propose_que_les_fiches_du_territoire(
    client, chef_projet_cvl, mission_cvl, territoire_bretagne
):
    autre = ProjetFactory(territoire=territoire_bretagne)
    client.force_login(chef_projet_cvl)
    client.post(reverse("ingenierie:rattacher_fiches", args=[mission_cvl.pk]), {"projets": [autre.pk]})
    assert not mission_cvl.projets.exists()


def test_une_mission_annulee_ne_recoit_pas_de_fiches(equipe_nationale, mission_cvl, fiche_cvl):
    Mission.objects.filter(pk=mission_cvl.pk).update(statut=StatutMission.ANNULEE)
    with pytest.raises(Refus, match="annulée"):
        actions.rattacher_fiches(mission=mission_cvl, par=equipe_nationale, projets=[fiche_cvl])


def test_ni_le_consultant_ni_la_region_ne_rattachent(consultant, instructeur_cvl, mission_cvl, fiche_cvl, client):
    for personne in (consultant, instructeur_cvl):
        with pytest.raises(PermissionDenied):
            actions.rattacher_fiches(mission=mission_cvl, par=personne, projets=[fiche_cvl])
    client.force_login(consultant)
    reponse = client.post(reverse("ingenierie:rattacher_fiches", args=[mission_cvl.pk]), {"projets": [fiche_cvl.pk]})
    assert reponse.status_code == 403
    assert "Rattacher les fiches-action" not in client.get(mission_cvl.get_absolute_url()).content.decode()


def test_hors_perimetre_404(client, chef_projet_cvl, mission_bretagne):
    client.force_login(chef_projet_cvl)
    reponse = client.post(reverse("ingenierie:rattacher_fiches", args=[mission_bretagne.pk]), {})
    assert reponse.status_code == 404


def test_la_page_de_la_mission_en_requetes_bornees(
    client, chef_projet_cvl, mission_cvl, territoire_cvl, django_assert_max_num_queries
):
    mission_cvl.projets.set([fiche_financee(territoire_cvl, Decimal(1000), Decimal(2000)) for _ in range(8)])
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(16):
        reponse = client.get(mission_cvl.get_absolute_url())
    assert len(reponse.context["fiches"]) == 8 and reponse.context["mobilise"] == Decimal(24000)
