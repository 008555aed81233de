"""`generate_scale_data`: the synthetic dataset at scale, on a small référentiel built with the factories."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from bench import donnees_synthetiques as ds
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import Journal
from ti.financements.models import TRANSITIONS, Avis, Dispositif, Dossier, Enveloppe, Statut, Transition, Versement
from ti.projets.models import (
    ContratTerritoire,
    LigneFinancement,
    NoteSuivi,
    PlanAction,
    Projet,
    Signataire,
    StatutPlan,
    TransitionPlan,
)
from ti.referentiel.models import Epci
from ti.territoires.models import Territoire

from ..factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    ProjetFactory,
    RegionFactory,
    TerritoireFactory,
    UtilisateurFactory,
)


@pytest.fixture
def referentiel(db):
    """Two régions, three départements, twelve EPCI of three communes; two real territories cover two EPCI."""
    cvl, bretagne = RegionFactory(code="24", nom="Centre-Val de Loire"), RegionFactory(code="53", nom="Bretagne")
    departements = [
        DepartementFactory(code="45", nom="Loiret", region=cvl),
        DepartementFactory(code="18", nom="Cher", region=cvl),
        DepartementFactory(code="56", nom="Morbihan", region=bretagne),
    ]
    communes = []
    for i in range(12):
        departement = departements[i % 3]
        epci = EpciFactory()
        communes.append(
            [CommuneFactory(code=f"{departement.code}{i:02d}{j}", departement=departement, epci=epci) for j in range(3)]
        )
    reel = TerritoireFactory(nom="Est du Loiret", code="2401", communes=communes[0])
    TerritoireFactory(nom="Lorient", code="5301", communes=communes[2])
    ProjetFactory(territoire=reel, titre="Fiche-action réelle")
    return reel


def generer(facteur=0.01, seed=1, **options):
    call_command("generate_scale_data", factor=facteur, seed=seed, stdout=io.StringIO(), **options)


def synthetiques(modele=Projet):
    return modele.objects.filter(cree_par__email__endswith=f"@{ds.DOMAINE}")


def test_volumes_proportionnels_au_facteur(referentiel):
    generer(0.01)
    assert synthetiques().count() == 200
    assert Dossier.objects.filter(dispositif__code=ds.CODE_DISPOSITIF).count() == 100
    assert Utilisateur.objects.filter(email__endswith=f"@{ds.DOMAINE}").count() == 20
    assert LigneFinancement.objects.filter(projet__in=synthetiques()).count() >= 200
    assert Journal.objects.filter(action="projet_cree", acteur__email__endswith=f"@{ds.DOMAINE}").count() == 200

    generer(0.02, nettoyer=True)
    assert synthetiques().count() == 400
    assert Dossier.objects.filter(dispositif__code=ds.CODE_DISPOSITIF).count() == 200
    assert Utilisateur.objects.filter(email__endswith=f"@{ds.DOMAINE}").count() == 40


def test_facteur_1_met_chaque_epci_dans_un_territoire(referentiel):
    ds.Generateur(facteur=1, seed=1).creer_territoires()

    assert not Epci.objects.filter(territoires__isnull=True).exists()
    nouveaux = Territoire.objects.filter(nom__startswith=ds.PREFIXE_NOM)
    assert nouveaux.count() == 3  # 10 EPCI left in 3 départements (3, 4 and 3), at most 4 per territory
    for territoire in nouveaux:
        assert territoire.phase == 2
        assert territoire.identifiant == f"ti2-{territoire.code}" and territoire.code.startswith("9")
        communes = list(territoire.communes.all())
        assert communes and territoire.population == sum(c.population for c in communes)
        assert set(territoire.departements.all()) == {c.departement for c in communes}
        assert set(territoire.regions.all()) == {c.region for c in communes}
        assert set(territoire.epcis.all()) == {c.epci for c in communes}


def test_meme_graine_memes_donnees_autre_graine_autres_donnees(referentiel):
    def instantane():
        projets = list(synthetiques().order_by("titre").values_list("titre", "budget", "texte_recherche"))
        dossiers = list(
            Dossier.objects.filter(dispositif__code=ds.CODE_DISPOSITIF)
            .order_by("reference")
            .values_list("reference", "statut", "aide_demandee", "montant_accorde", "montant_verse")
        )
        return projets, dossiers

    generer(seed=7)
    premier = instantane()
    generer(seed=7, nettoyer=True)
    assert instantane() == premier
    generer(seed=8, nettoyer=True)
    assert instantane() != premier


def test_second_passage_refuse_sans_nettoyer_et_nettoyer_ne_touche_que_le_synthetique(referentiel):
    generer()
    with pytest.raises(CommandError, match="déjà présentes"):
        generer()

    comptes = ds.nettoyer()

    assert comptes["projet"] == 200 and comptes["dossier"] == 100
    rapport = ds.Generateur(facteur=0.01, seed=3).generer()
    assert sum(ds.nettoyer().values()) == rapport.total_lignes  # every inserted row is found again and removed
    assert not ds.donnees_presentes()
    assert list(Projet.objects.values_list("titre", flat=True)) == ["Fiche-action réelle"]
    assert set(Territoire.objects.values_list("nom", flat=True)) == {"Est du Loiret", "Lorient"}
    assert not Dispositif.objects.exists() and not Journal.objects.exists() and not Utilisateur.objects.exists()


def test_refuse_sans_referentiel(db):
    with pytest.raises(CommandError, match="import_cog"):
        generer()
    assert not Projet.objects.exists()


def test_refuse_un_facteur_nul(referentiel):
    with pytest.raises(CommandError, match="strictement positif"):
        generer(0)


def test_fiches_action_completes(referentiel):
    generer()
    for projet in synthetiques().select_related("commune"):
        assert projet.texte_recherche == projet.calculer_texte_recherche()
        assert projet.uuid is not None
        assert projet.themes.exists()
        assert projet.date_debut <= projet.date_fin
        assert projet.commune is None or projet.territoire.perimetre.filter(commune=projet.commune).exists()
    assert synthetiques().values("uuid").distinct().count() == 200
    assert Journal.objects.filter(action="projet_modifie").count() == sum(
        p.version - 1 for p in synthetiques().only("version")
    )


def test_chaque_etat_present_et_transitions_conformes(referentiel):
    generer()
    dossiers = Dossier.objects.filter(dispositif__code=ds.CODE_DISPOSITIF)
    assert set(dossiers.values_list("statut", flat=True)) == set(Statut.values)

    transitions = defaultdict(list)
    for t in Transition.objects.order_by("quand", "pk"):
        transitions[t.dossier_id].append(t)
    for dossier in dossiers:
        statut = Statut.BROUILLON
        for t in transitions[dossier.pk]:
            assert t.de == statut and t.vers in TRANSITIONS[statut], (dossier.reference, t.de, t.vers)
            statut = t.vers
        assert statut == dossier.statut
        assert dossier.version == 1 + len(transitions[dossier.pk])
        assert (dossier.depose_le is None) == (dossier.statut == Statut.BROUILLON)


def test_montants_et_enveloppes_coherents(referentiel):
    generer()
    accordes = {Statut.ACCEPTE, Statut.ENGAGE, Statut.SOLDE}
    enveloppes = Enveloppe.objects.filter(dispositif__code=ds.CODE_DISPOSITIF)
    assert enveloppes.count() == 2
    for enveloppe in enveloppes:
        dossiers = enveloppe.dossiers.all()
        assert (
            enveloppe.montant_accorde == dossiers.filter(statut__in=accordes).aggregate(s=Sum("montant_accorde"))["s"]
        )
        assert 0 < enveloppe.montant_accorde <= enveloppe.montant
        verse = Versement.objects.filter(dossier__enveloppe=enveloppe).aggregate(s=Sum("montant"))["s"]
        assert enveloppe.montant_verse == verse == dossiers.aggregate(s=Sum("montant_verse"))["s"]
        assert set(dossiers.values_list("commune__region", flat=True)) == {enveloppe.region_id}
    for dossier in Dossier.objects.filter(dispositif__code=ds.CODE_DISPOSITIF):
        assert dossier.cout_eligible <= dossier.cout_total and dossier.aide_demandee <= dossier.cout_eligible
        if dossier.statut in accordes:
            assert dossier.montant_accorde <= dossier.aide_demandee
        else:
            assert dossier.montant_accorde is None
        if dossier.statut == Statut.SOLDE:
            assert dossier.montant_verse == dossier.montant_engage == dossier.montant_accorde
            assert dossier.versements.filter(type=Versement.Type.SOLDE).count() == 1
        elif dossier.statut == Statut.ENGAGE:
            assert Decimal(0) < dossier.montant_verse < dossier.montant_engage
        else:
            assert dossier.montant_verse == 0 and not dossier.versements.exists()
        if dossier.statut in accordes | {Statut.PROPOSE, Statut.REFUSE, Statut.CLASSE_SANS_SUITE}:
            assert dossier.avis.filter(rendu_le__isnull=False).count() == 2
        elif dossier.statut == Statut.EN_INSTRUCTION:
            assert dossier.avis.filter(rendu_le__isnull=True).count() == 2
        else:
            assert not dossier.avis.exists()
    assert Avis.objects.filter(dossier__dispositif__code=ds.CODE_DISPOSITIF).exists()


def test_habilitations_valides_sur_tous_les_roles(referentiel):
    generer()
    habilitations = Habilitation.objects.filter(utilisateur__email__endswith=f"@{ds.DOMAINE}")
    assert set(habilitations.values_list("role", flat=True)) == set(Role.values)
    for habilitation in habilitations:
        habilitation.clean()  # raises ValidationError on an incoherent scope or a wrong SIRET
    for utilisateur in Utilisateur.objects.filter(email__endswith=f"@{ds.DOMAINE}"):
        assert not utilisateur.has_usable_password()
    porteurs = set(habilitations.filter(role=Role.PORTEUR).values_list("utilisateur", "siret"))
    dossiers = Dossier.objects.filter(dispositif__code=ds.CODE_DISPOSITIF)
    assert set(dossiers.values_list("deposant", "porteur_siret")) <= porteurs


def test_nettoyer_retire_aussi_le_travail_fait_sur_les_territoires_synthetiques(referentiel):
    """A plan submitted, a note, a contract made while measuring on a synthetic territory go with it; the person
    who made them stays."""
    generer()
    agent = UtilisateurFactory(email="agent@anct.gouv.fr")
    projet = synthetiques().filter(territoire__nom__startswith=ds.PREFIXE_NOM).select_related("territoire").first()
    ailleurs = synthetiques().exclude(territoire__nom__startswith=ds.PREFIXE_NOM).first()  # in a real territory
    plan_reel = PlanAction.objects.create(territoire=ailleurs.territoire, numero=9)
    plan_reel.projets.add(ailleurs)
    plan = PlanAction.objects.create(territoire=projet.territoire, numero=1, statut=StatutPlan.SOUMIS)
    plan.projets.add(projet)
    TransitionPlan.objects.create(plan=plan, par=agent, de=StatutPlan.BROUILLON, vers=StatutPlan.SOUMIS)
    contrat = ContratTerritoire.objects.create(territoire=projet.territoire, intitule="Contrat", plan=plan)
    Signataire.objects.create(contrat=contrat, type=Signataire.Type.ETAT, organisme="Préfecture")
    NoteSuivi.objects.create(projet=projet, auteur=agent, texte="Relancer le porteur.")

    avant = {modele: set(modele.objects.values_list("pk", flat=True)) for modele in (PlanAction, TransitionPlan)}

    ds.nettoyer()

    assert not ds.donnees_presentes()
    assert not PlanAction.objects.filter(pk=plan.pk).exists()
    assert set(PlanAction.objects.values_list("pk", flat=True)) == avant[PlanAction] - {plan.pk}  # the real ones stay
    assert not plan_reel.projets.exists()  # without the synthetic fiche
    assert not TransitionPlan.objects.filter(plan_id=plan.pk).exists()
    for modele in (ContratTerritoire, Signataire, NoteSuivi):
        assert not modele.objects.exists()
    assert Utilisateur.objects.filter(email="agent@anct.gouv.fr").exists()
