"""Factories shared by the whole suite. Small, realistic records; the real files are used where it matters."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.texte import cle_recherche
from ti.financements.models import Dispositif, Dossier, Enveloppe, Statut, Volet
from ti.projets.models import Axe, LigneFinancement, PhaseProjet, Projet, StatutFinancement, StatutPhase, TypePorteur
from ti.referentiel.models import Commune, Departement, Epci, Region
from ti.territoires.models import CommuneTerritoire, Phase, Territoire

# Queries added by each journal or transition row written one at a time, or by each bulk write of them: the chain's
# lock on PostgreSQL and the read of its last link (ti/core/chaine.py).
SCEAU = 2


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "24"
    nom = "Centre-Val de Loire"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "45"
    nom = "Loiret"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    nom = factory.Sequence(lambda n: f"CC de l’Exemple {n}")
    nature = Epci.Nature.CC
    population = 20000


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    # 45400 to 45899: no real Loiret commune and none of the codes the tests write by hand (45004, 45208, 45900…),
    # so that a sequence never meets them, whatever the order the tests run in.
    code = factory.Sequence(lambda n: f"45{400 + n % 500:03d}")
    nom = factory.Sequence(lambda n: f"Commune-Exemple {n}")
    nom_recherche = factory.LazyAttribute(lambda o: cle_recherche(o.nom))
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")
    epci = factory.SubFactory(EpciFactory)
    population = 1000


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire
        skip_postgeneration_save = True

    phase = Phase.TEMPS_2
    code = factory.Sequence(lambda n: f"24{n:03d}")  # five characters: never the four of a fixture's code
    identifiant = factory.LazyAttribute(lambda o: Territoire.identifiant_pour(o.phase, o.code))
    nom = factory.Sequence(lambda n: f"Territoire exemple {n}")

    @factory.post_generation
    def communes(self, create, communes, **kwargs):
        """`TerritoireFactory(communes=[...])` sets the perimeter, its EPCI, départements, régions and population."""
        if not create or not communes:
            return
        for commune in communes:
            CommuneTerritoire.objects.create(territoire=self, commune=commune, code_source=commune.code)
        self.epcis.set({c.epci for c in communes if c.epci})
        self.departements.set({c.departement for c in communes})
        self.regions.set({c.region for c in communes})
        self.population = sum(c.population for c in communes)
        self.save(update_fields=["population"])


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@exemple.gouv.fr")
    prenom = "Camille"
    nom = factory.Sequence(lambda n: f"Agent{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-de-test-1")

    @factory.post_generation
    def enregistrer(self, create, extracted, **kwargs):
        if create:
            self.save()


class HabilitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Habilitation

    utilisateur = factory.SubFactory(UtilisateurFactory)
    role = Role.EQUIPE_NATIONALE
    accordee_le = factory.LazyFunction(timezone.now)


def utilisateur_avec(role: str, **perimetre) -> Utilisateur:
    """A user holding one active habilitation: `utilisateur_avec(Role.CHEF_PROJET, territoire=t)`."""
    return HabilitationFactory(role=role, **perimetre).utilisateur


class ProjetFactory(factory.django.DjangoModelFactory):
    """A fiche-action. Traits: `ProjetFactory(public=True)`, `ProjetFactory(archive=True)`."""

    class Meta:
        model = Projet

    territoire = factory.SubFactory(TerritoireFactory)
    titre = factory.Sequence(lambda n: f"Plateforme de fabrication additive n°{n}")
    description = "Mutualiser des machines de fabrication additive entre PME du territoire."
    porteur_nom = "Forges du Gâtinais"
    porteur_siret = "73282932000074"
    porteur_type = TypePorteur.ENTREPRISE
    axe = Axe.INNOVER
    phase = PhaseProjet.ETUDE
    phase_statut = StatutPhase.EN_COURS
    budget = Decimal("250000.00")
    emplois_crees = 12

    class Params:
        archive = factory.Trait(archive_le=factory.LazyFunction(timezone.now))


class LigneFinancementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LigneFinancement

    projet = factory.SubFactory(ProjetFactory)
    financeur = "Conseil régional"
    dispositif = "Aide à l’investissement"
    montant = Decimal("50000.00")
    statut = StatutFinancement.ACQUIS


class DispositifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispositif
        django_get_or_create = ("code",)

    nom = "Fonds vert — Territoires d’industrie en transition écologique 2024"
    code = "fonds-vert-ti-2024"
    annee = 2024
    montant = Decimal("100000000.00")
    volets = [Volet.INVESTISSEMENT, Volet.COMPETENCES, Volet.REBOND]
    ouverture = date(2024, 1, 1)
    # Open to deposits whatever the day the suite runs (TI_DATE_DU_JOUR, docs/decisions/0063).
    cloture = factory.LazyFunction(lambda: date(timezone.localdate().year + 4, 12, 31))
    references_juridiques = "Loi n° 2023-973 du 23 octobre 2023 relative à l’industrie verte"


class EnveloppeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enveloppe

    dispositif = factory.SubFactory(DispositifFactory)
    region = factory.SubFactory(RegionFactory)
    annee = 2024
    montant = Decimal("5600000.00")
    signataire_qualite = factory.LazyAttribute(lambda o: f"Le préfet de la région {o.region.nom}")
    signataire_nom = "Camille Martin"


class DossierFactory(factory.django.DjangoModelFactory):
    """A filed dossier by default; `DossierFactory(statut=Statut.BROUILLON)` for a draft."""

    class Meta:
        model = Dossier

    reference = factory.Sequence(lambda n: f"FV2024-24-{n:05d}")
    dispositif = factory.SelfAttribute("enveloppe.dispositif")
    enveloppe = factory.SubFactory(EnveloppeFactory)
    volet = Volet.INVESTISSEMENT
    statut = Statut.DEPOSE
    deposant = factory.SubFactory(UtilisateurFactory)
    porteur_siret = "73282932000074"
    porteur_nom = "Fonderie du Gâtinais (fictive)"
    porteur_type = TypePorteur.ENTREPRISE
    porteur_adresse = "12 rue des Forges\n45200 Montargis"
    territoire = factory.SubFactory(TerritoireFactory)
    commune = factory.SubFactory(CommuneFactory)
    intitule = factory.Sequence(lambda n: f"Récupération de chaleur fatale n°{n}")
    investissement_non_demarre = True
    cout_total = Decimal("1000000.00")
    cout_eligible = Decimal("800000.00")
    aide_demandee = Decimal("300000.00")
    depose_le = factory.LazyFunction(timezone.now)
