"""The budget split into regional shares: shares never exceed the national amount, an order never exceeds its
région's share (nor the national amount), even sent at the same moment; consumption by région, territory, kind and
firm, the gauge and the late deliverables on the national board."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import TerritoireFactory, utilisateur_avec
from tests.ingenierie.conftest import MissionFactory
from tests.ingenierie.test_budget import COMMANDE, commander_en_meme_temps, demande_acceptee
from ti.comptes.models import Role
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.ingenierie import actions, selectors
from ti.ingenierie.actions_budget import fixer_budget, fixer_part_regionale
from ti.ingenierie.models import Budget, Mission, PartRegionale, StatutMission, TypeMission


@pytest.fixture
def budget_2026(db):
    return Budget.objects.create(annee=2026, montant_ht=Decimal("1000000"))


@pytest.mark.django_db
def test_les_parts_ne_depassent_jamais_le_budget_national(budget_2026, cvl, bretagne, equipe_nationale):
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("600000"), par=equipe_nationale)
    with pytest.raises(Refus, match="il reste 400000.00 € HT à répartir"):
        fixer_part_regionale(budget=budget_2026, region=bretagne, montant_ht=Decimal("400001"), par=equipe_nationale)
    fixer_part_regionale(budget=budget_2026, region=bretagne, montant_ht=Decimal("400000"), par=equipe_nationale)
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("500000"), par=equipe_nationale)
    assert sorted(PartRegionale.objects.values_list("region_id", "montant_ht")) == [("24", 500000), ("53", 400000)]
    with pytest.raises(Refus, match="totalisent 900000.00 € HT"):
        fixer_budget(annee=2026, montant_ht=Decimal("899999"), par=equipe_nationale)


@pytest.mark.django_db
def test_une_part_ne_descend_pas_sous_l_engage_de_la_region(budget_2026, cvl, territoire_cvl, equipe_nationale):
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=200000, montant_ttc=240000)
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=90000, montant_ttc=90000, statut="annulee")
    with pytest.raises(Refus, match="engagent déjà 200000.00 € HT"):
        fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("199999"), par=equipe_nationale)
    with pytest.raises(Refus, match="engagent déjà 200000.00 € HT"):
        fixer_budget(annee=2026, montant_ht=Decimal("150000"), par=equipe_nationale)


@pytest.mark.django_db
def test_seule_l_equipe_nationale_fixe_le_budget(client, budget_2026, cvl, referent_region_cvl, chef_projet_cvl):
    for personne in (referent_region_cvl, chef_projet_cvl):
        with pytest.raises(PermissionDenied):
            fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal(1), par=personne)
        client.force_login(personne)
        assert client.get(reverse("ingenierie:budget")).status_code == 403


@pytest.mark.django_db
def test_une_commande_ne_depasse_pas_la_part_de_sa_region(budget_2026, cvl, territoire_cvl, equipe_nationale):
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("150000"), par=equipe_nationale)
    actions.commander_mission(demande=demande_acceptee(territoire_cvl), par=equipe_nationale, **COMMANDE)
    with pytest.raises(
        Refus, match="part de la région Centre-Val de Loire du budget 2026 n’y suffit pas : il reste 50000"
    ):
        actions.commander_mission(demande=demande_acceptee(territoire_cvl), par=equipe_nationale, **COMMANDE)
    assert Mission.objects.get().region == cvl


@pytest.mark.django_db
def test_sans_part_la_region_n_a_que_le_budget_national(budget_2026, cvl, territoire_bretagne, equipe_nationale):
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("150000"), par=equipe_nationale)
    for _ in range(3):
        actions.commander_mission(demande=demande_acceptee(territoire_bretagne), par=equipe_nationale, **COMMANDE)
    assert Mission.objects.filter(region__code="53").count() == 3


@pytest.mark.django_db
def test_la_page_du_budget_refuse_en_francais_sans_rien_perdre(client, budget_2026, cvl, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(
        reverse("ingenierie:budget"),
        {"part-budget": budget_2026.pk, "part-region": cvl.pk, "part-montant_ht": "2000000"},
    )
    assert reponse.status_code == 400
    assert "dépasseraient le budget national 2026" in reponse.content.decode()
    assert reponse.context["form_part"]["montant_ht"].value() == "2000000"
    reponse = client.post(reverse("ingenierie:budget"), {"national-annee": 2027, "national-montant_ht": "500000"})
    assert reponse.status_code == 302 and Budget.objects.get(annee=2027).montant_ht == 500000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_des_commandes_simultanees_ne_depassent_jamais_la_part_regionale(cvl):
    equipe = utilisateur_avec(Role.EQUIPE_NATIONALE)
    budget = Budget.objects.create(annee=2026, montant_ht=Decimal("1000000"))
    PartRegionale.objects.create(budget=budget, region=cvl, montant_ht=Decimal("250000"))
    demandes = []
    for _ in range(6):
        territoire = TerritoireFactory()
        territoire.regions.set([cvl])
        demandes.append(demande_acceptee(territoire))
    reussies, refus, erreurs = commander_en_meme_temps(demandes, par=equipe)

    assert erreurs == []
    assert (len(reussies), len(refus)) == (2, 4)
    assert all("part de la région" in message for message in refus)
    assert Mission.objects.filter(region=cvl).count() == 2


@pytest.mark.django_db
def test_la_consommation_par_region_territoire_type_et_cabinet(cvl, territoire_cvl, territoire_bretagne):
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=100000, montant_ttc=120000, jours_prevus=10)
    MissionFactory(
        territoire=territoire_cvl,
        annee=2026,
        type=TypeMission.CHOC,
        cabinet="Autre",
        montant_ht=50000,
        montant_ttc=60000,
    )
    MissionFactory(territoire=territoire_bretagne, annee=2026, montant_ht=30000, montant_ttc=36000)
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=99000, montant_ttc=99000, statut="annulee")
    MissionFactory(territoire=territoire_cvl, annee=2025, montant_ht=77000, montant_ttc=77000)

    def par(axe):
        return [(ligne["cle"], ligne["nombre"], ligne["engage"]) for ligne in selectors.consommation(2026, axe)]

    assert par("region") == [("Centre-Val de Loire", 2, 150000), ("Bretagne", 1, 30000)]
    assert par("territoire") == [("Est du Loiret", 2, 150000), ("Lorient", 1, 30000)]
    assert par("type") == [("Rebond industriel", 2, 130000), ("Choc industriel", 1, 50000)]
    assert par("cabinet") == [("Cabinet Exemple Conseil", 2, 130000), ("Autre", 1, 50000)]


@pytest.mark.django_db
def test_le_tableau_national_montre_jauge_consommation_et_retards(
    client, equipe_nationale, budget_2026, cvl, territoire_cvl, django_assert_max_num_queries
):
    PartRegionale.objects.create(budget=budget_2026, region=cvl, montant_ht=Decimal("500000"))
    missions = [
        MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=100000, montant_ttc=120000) for _ in range(8)
    ]
    en_retard = missions[0].phases.first()
    en_retard.echeance = date.today() - timedelta(days=3)
    en_retard.save()
    terminee = MissionFactory(territoire=territoire_cvl, annee=2026, statut=StatutMission.TERMINEE)
    terminee.phases.update(echeance=date.today() - timedelta(days=3))
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(20):
        reponse = client.get(reverse("ingenierie:tableau"))
    page = reponse.content.decode()
    assert [phase.pk for phase in reponse.context["en_retard"]] == [en_retard.pk]
    assert '<meter class="ti-jauge" min="0" max="100" low="80" high="95" optimum="50" value="83"' in page
    assert "à surveiller" in page
    assert [(ligne["part"].region_id, ligne["engage"]) for ligne in reponse.context["parts"]] == [("24", 830000)]
    assert "Consommation 2026 par cabinet" in page


@pytest.mark.django_db
def test_la_region_voit_les_retards_de_ses_missions_mais_pas_le_budget(
    client, referent_region_cvl, territoire_cvl, mission_bretagne
):
    mission = MissionFactory(territoire=territoire_cvl)
    mission.phases.update(echeance=date.today() - timedelta(days=1))
    mission_bretagne.phases.update(echeance=date.today() - timedelta(days=1))
    client.force_login(referent_region_cvl)
    reponse = client.get(reverse("ingenierie:tableau"))
    assert {phase.mission_id for phase in reponse.context["en_retard"]} == {mission.pk}
    assert "budgets" not in reponse.context


# --- The budget's edges: each test fails when a bound moves by one euro or counts another year or région -----------


def _commander(territoire, par, montant_ht):
    commande = {**COMMANDE, "montant_ht": Decimal(montant_ht), "montant_ttc": Decimal(montant_ht) * Decimal("1.2")}
    return actions.commander_mission(demande=demande_acceptee(territoire), par=par, **commande)


@pytest.mark.django_db
def test_une_commande_prend_exactement_tout_le_budget(territoire_cvl, equipe_nationale):
    Budget.objects.create(annee=2026, montant_ht=Decimal("100000"))
    _commander(territoire_cvl, equipe_nationale, "100000")
    with pytest.raises(Refus, match="il reste 0.00 € HT"):
        _commander(territoire_cvl, equipe_nationale, "0.01")


@pytest.mark.django_db
def test_une_commande_prend_exactement_la_part_sans_compter_les_autres_annees_ni_regions(
    budget_2026, cvl, territoire_cvl, territoire_bretagne, equipe_nationale
):
    MissionFactory(territoire=territoire_cvl, annee=2025, montant_ht=950000, montant_ttc=1140000)
    MissionFactory(territoire=territoire_bretagne, annee=2026, montant_ht=600000, montant_ttc=720000)
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("200000"), par=equipe_nationale)
    _commander(territoire_cvl, equipe_nationale, "150000")
    _commander(territoire_cvl, equipe_nationale, "50000")
    with pytest.raises(
        Refus, match="part de la région Centre-Val de Loire du budget 2026 n’y suffit pas : il reste 0.00"
    ):
        _commander(territoire_cvl, equipe_nationale, "0.01")


@pytest.mark.django_db
def test_un_budget_ou_une_part_peut_valoir_zero(budget_2026, cvl, equipe_nationale):
    assert fixer_budget(annee=2027, montant_ht=Decimal("0"), par=equipe_nationale).montant_ht == 0
    fixer_budget(annee=2026, montant_ht=Decimal("0"), par=equipe_nationale)
    assert Budget.objects.get(annee=2026).montant_ht == 0
    assert fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("0"), par=equipe_nationale)
    assert PartRegionale.objects.get().montant_ht == 0


@pytest.mark.django_db
def test_changer_le_budget_le_garde_et_journalise_l_ancien_montant(budget_2026, equipe_nationale):
    fixer_budget(annee=2026, montant_ht=Decimal("1200000"), par=equipe_nationale)
    assert Budget.objects.get(annee=2026).montant_ht == Decimal("1200000")
    fixer_budget(annee=2028, montant_ht=Decimal("5"), par=equipe_nationale)
    details = list(
        Journal.objects.filter(action="ingenierie.budget_fixe").order_by("id").values_list("details", flat=True)
    )
    assert details == [{"montant_ht": ["1000000.00", "1200000"]}, {"montant_ht": ["None", "5"]}]


@pytest.mark.django_db
def test_le_budget_descend_jusqu_a_l_engage_et_aux_parts_exactement(budget_2026, cvl, territoire_cvl, equipe_nationale):
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=200000, montant_ttc=240000)
    fixer_budget(annee=2026, montant_ht=Decimal("200000"), par=equipe_nationale)
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("200000"), par=equipe_nationale)
    fixer_budget(annee=2026, montant_ht=Decimal("200000"), par=equipe_nationale)
    with pytest.raises(Refus, match="engagent déjà 200000.00 € HT"):
        fixer_budget(annee=2026, montant_ht=Decimal("199999.99"), par=equipe_nationale)


@pytest.mark.django_db
def test_une_part_va_de_l_engage_de_sa_region_au_budget_entier(
    budget_2026, cvl, territoire_cvl, territoire_bretagne, equipe_nationale
):
    MissionFactory(territoire=territoire_cvl, annee=2026, montant_ht=100000, montant_ttc=120000)
    MissionFactory(territoire=territoire_bretagne, annee=2026, montant_ht=300000, montant_ttc=360000)
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("100000"), par=equipe_nationale)
    fixer_part_regionale(budget=budget_2026, region=cvl, montant_ht=Decimal("1000000"), par=equipe_nationale)
    assert PartRegionale.objects.get().montant_ht == Decimal("1000000")
