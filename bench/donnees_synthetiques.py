"""A synthetic dataset at the scale of the whole country, on top of the real référentiel (`generate_scale_data`).

Factor 1: every EPCI in a territory (synthetic phase 2 territories group the EPCI no territory covers yet),
20 000 fiches-action with their financing lines, themes and history, 10 000 Fonds vert dossiers spread over every
state with their transitions, opinions and payments, 2 000 users with habilitations. Factor 10 is ten times that
(the territories excepted: every EPCI is covered from factor 1). The factor may be fractional (tests use 0.01).

Deterministic: one `random.Random(seed)`, référentiel rows read in primary-key order, dates counted from a fixed
day. Fast: `bulk_create` by batches, no `save()` per row; what `save()` would compute (search keys, uuid) is
computed here.

Every synthetic row is recognisable, so that `nettoyer()` removes them and nothing else:
- users: e-mail at `@echelle.invalid` (their habilitations go with them);
- territories: phase 2, code « 9xxxx », name prefixed « [Échelle] »;
- fiches-action and journal rows: written by a synthetic user;
- dossiers, envelopes: those of the synthetic dispositif (code `echelle-synthetique`).
See docs/decisions/0017-donnees-a-l-echelle.md.
"""

import random
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ti.comptes.models import ROLES_REGIONAUX, ROLES_TERRITORIAUX, Habilitation, Role, Utilisateur
from ti.core.cache import invalider
from ti.core.models import Journal
from ti.core.texte import cle_recherche
from ti.financements.models import (
    CYCLE_DOSSIER,
    Avis,
    Dispositif,
    Dossier,
    Enveloppe,
    Statut,
    Transition,
    Versement,
    Volet,
)
from ti.projets.models import (
    Axe,
    ContratTerritoire,
    LigneFinancement,
    NoteSuivi,
    PhaseProjet,
    PlanAction,
    Projet,
    Signataire,
    StatutFinancement,
    StatutPhase,
    Theme,
    TransitionPlan,
)
from ti.referentiel.models import Commune, Epci, Region
from ti.territoires.models import CommuneTerritoire, Phase, Territoire

DOMAINE = "echelle.invalid"
PREFIXE_NOM = "[Échelle] "
PREFIXE_CODE = "9"
CODE_DISPOSITIF = "echelle-synthetique"
ANNEE = 2025
LOT = 2000  # rows per INSERT
EPCI_PAR_TERRITOIRE = 4
JOUR_ZERO = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.get_fixed_timezone(60))

PAR_FACTEUR = {"projets": 20_000, "dossiers": 10_000, "utilisateurs": 2_000}

# Share of dossiers in each final state (every state present from a few hundred dossiers on).
REPARTITION_STATUTS = {
    Statut.BROUILLON: 10,
    Statut.DEPOSE: 10,
    Statut.INCOMPLET: 6,
    Statut.IRRECEVABLE: 3,
    Statut.EN_INSTRUCTION: 15,
    Statut.PROPOSE: 8,
    Statut.ACCEPTE: 12,
    Statut.REFUSE: 8,
    Statut.CLASSE_SANS_SUITE: 5,
    Statut.ENGAGE: 14,
    Statut.SOLDE: 9,
}
# The path from « brouillon » to each final state, walked through the dossier's workflow (a « déposé → incomplet →
# déposé » detour is added at random).
CHEMINS = {statut: CYCLE_DOSSIER.chemin(Statut.BROUILLON, statut) for statut in Statut}
ACCORDES = {Statut.ACCEPTE, Statut.ENGAGE, Statut.SOLDE}
INSTRUITS = {Statut.EN_INSTRUCTION, Statut.PROPOSE, Statut.REFUSE, Statut.CLASSE_SANS_SUITE} | ACCORDES

# Vocabulary of the titles: « <objet> <qualificatif> », e.g. « Plateforme mutualisée de fabrication additive ».
OBJETS = [
    "Plateforme",
    "Campus",
    "Usine-école",
    "Friche",
    "Zone d’activités",
    "Réseau de chaleur",
    "Atelier",
    "Centre de formation",
    "Démonstrateur",
    "Pépinière",
    "Parc photovoltaïque",
    "Boucle d’eau",
    "Hôtel d’entreprises",
    "Tiers-lieu",
]
QUALIFICATIFS = [
    "de fabrication additive",
    "des métiers de l’industrie",
    "de recyclage des métaux",
    "de décarbonation des procédés",
    "d’écologie industrielle",
    "de l’hydrogène bas carbone",
    "de la filière bois",
    "de valorisation des déchets",
    "d’usinage de précision",
    "de la mécanique agricole",
    "des composites biosourcés",
    "de récupération de chaleur fatale",
    "de l’agroalimentaire",
    "de maintenance ferroviaire",
]
PRENOMS = ["Camille", "Dominique", "Claude", "Sacha", "Alix", "Maxime", "Lou", "Yanis", "Inès", "Hugo", "Léa", "Noé"]
NOMS = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Laurent", "Garnier", "Roux", "Fournier", "Morel"]
FINANCEURS = ["État (DETR)", "Région", "Département", "Banque des Territoires", "Bpifrance", "ADEME", "Europe (FEDER)"]


class ReferentielAbsent(Exception):
    """The COG is not imported: nothing to build the dataset on."""


class DejaGenere(Exception):
    """Synthetic data is already in the database (run with `nettoyer` first)."""


@dataclass
class Mesure:
    table: str
    lignes: int
    secondes: float

    @property
    def lignes_par_seconde(self) -> float:
        return self.lignes / self.secondes if self.secondes else float("inf")


@dataclass
class Rapport:
    mesures: list[Mesure] = field(default_factory=list)

    @property
    def total_lignes(self) -> int:
        return sum(m.lignes for m in self.mesures)

    @property
    def total_secondes(self) -> float:
        return sum(m.secondes for m in self.mesures)

    def compte(self, table: str) -> int:
        return sum(m.lignes for m in self.mesures if m.table == table)


@contextmanager
def _dates_imposees(*modeles):
    """`bulk_create` fills auto_now / auto_now_add fields with now(); the dataset sets its own history dates."""
    champs = [
        f
        for m in modeles
        for f in m._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    avant = [(f, f.auto_now, f.auto_now_add) for f in champs]
    for f in champs:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in avant:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def siret_valide(alea: random.Random) -> str:
    """A 14-digit number with a correct Luhn key (never a real establishment's: drawn at random)."""
    chiffres = [alea.randrange(10) for _ in range(13)]
    for cle in range(10):
        candidat = [*chiffres, cle]
        total = 0
        for i, c in enumerate(reversed(candidat)):
            d = c * 2 if i % 2 else c
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return "".join(map(str, candidat))
    raise AssertionError("unreachable")


def nombre(base: int, facteur: float) -> int:
    return max(1, round(base * facteur))


def donnees_presentes() -> bool:
    return (
        Dispositif.objects.filter(code=CODE_DISPOSITIF).exists()
        or Utilisateur.objects.filter(email__endswith=f"@{DOMAINE}").exists()
        or Territoire.objects.filter(nom__startswith=PREFIXE_NOM).exists()
    )


def _effacer(qs) -> int:
    """A DELETE without Django's collector: rows are removed in dependency order by `nettoyer`."""
    return qs._raw_delete(qs.db)


@transaction.atomic
def nettoyer() -> dict[str, int]:
    """Deletes the synthetic rows only (see the module's docstring for how they are recognised)."""
    synthetiques = Utilisateur.objects.filter(email__endswith=f"@{DOMAINE}")
    dossiers = Dossier.objects.filter(dispositif__code=CODE_DISPOSITIF)
    projets = Projet.objects.filter(cree_par__in=synthetiques)
    territoires = Territoire.objects.filter(phase=Phase.TEMPS_2, nom__startswith=PREFIXE_NOM)
    comptes = {}
    comptes["journal"] = _effacer(Journal.objects.filter(acteur__in=synthetiques))
    for modele in (Versement, Avis, Transition):
        comptes[modele._meta.model_name] = _effacer(modele.objects.filter(dossier__in=dossiers))
    comptes["dossier"] = _effacer(dossiers)
    comptes["enveloppe"] = _effacer(Enveloppe.objects.filter(dispositif__code=CODE_DISPOSITIF))
    comptes["dispositif"] = _effacer(Dispositif.objects.filter(code=CODE_DISPOSITIF))
    # What people did on the synthetic territories while measuring (a plan submitted, a note, a contract) goes too.
    plans = PlanAction.objects.filter(territoire__in=territoires)
    comptes["planaction_projets"] = _effacer(
        PlanAction.projets.through.objects.filter(Q(planaction__in=plans) | Q(projet__in=projets))
    )
    comptes["transitionplan"] = _effacer(TransitionPlan.objects.filter(plan__in=plans))
    comptes["signataire"] = _effacer(Signataire.objects.filter(contrat__territoire__in=territoires))
    comptes["contratterritoire"] = _effacer(ContratTerritoire.objects.filter(territoire__in=territoires))
    comptes["planaction"] = _effacer(plans)
    comptes["notesuivi"] = _effacer(NoteSuivi.objects.filter(projet__in=projets))
    comptes["lignefinancement"] = _effacer(LigneFinancement.objects.filter(projet__in=projets))
    comptes["projet_themes"] = _effacer(Projet.themes.through.objects.filter(projet__in=projets))
    comptes["projet"] = _effacer(projets)
    comptes["habilitation"] = _effacer(Habilitation.objects.filter(utilisateur__in=synthetiques))
    comptes["utilisateur"] = _effacer(synthetiques)
    comptes["communeterritoire"] = _effacer(CommuneTerritoire.objects.filter(territoire__in=territoires))
    for relation in (Territoire.epcis, Territoire.departements, Territoire.regions):
        through = relation.through
        comptes[through._meta.model_name] = _effacer(through.objects.filter(territoire__in=territoires))
    comptes["territoire"] = _effacer(territoires)
    invalider()  # raw deletes send no signal (ti/core/invalidation.py)
    return comptes


class Generateur:
    def __init__(self, *, facteur: float, seed: int = 1, sortie=None):
        if facteur <= 0:
            raise ValueError("Le facteur doit être strictement positif.")
        self.facteur = facteur
        self.alea = random.Random(seed)
        self.rapport = Rapport()
        self.sortie = sortie

    # -- helpers -----------------------------------------------------------------------------------------------
    def _inserer(self, modele, objets, *, table: str | None = None) -> list:
        debut = time.perf_counter()
        with _dates_imposees(modele):
            crees = modele.objects.bulk_create(objets, batch_size=LOT)
        mesure = Mesure(table or modele._meta.db_table, len(objets), time.perf_counter() - debut)
        self.rapport.mesures.append(mesure)
        if self.sortie:
            self.sortie(f"  {mesure.table:<40} {mesure.lignes:>9} lignes  {mesure.secondes:6.2f} s")
        return crees

    def _date(self, jours_max: int = 700) -> datetime:
        return JOUR_ZERO + timedelta(days=self.alea.randrange(jours_max), minutes=self.alea.randrange(600))

    def _montant(self, mini: int, maxi: int) -> Decimal:
        return Decimal(self.alea.randrange(mini // 100, maxi // 100) * 100)

    # -- the dataset ---------------------------------------------------------------------------------------------
    def generer(self) -> Rapport:
        if not Commune.objects.exists():
            raise ReferentielAbsent(
                "Le référentiel géographique est vide : lancez d’abord « manage.py import_cog <dossier du COG> »."
            )
        if donnees_presentes():
            raise DejaGenere(
                "Des données synthétiques sont déjà présentes : relancez avec --nettoyer pour les remplacer."
            )
        with transaction.atomic():
            self.creer_territoires()
            self._utilisateurs()
            self._projets()
            self._dossiers()
            invalider()  # bulk writes send no signal (ti/core/invalidation.py)
        self._analyser()
        return self.rapport

    def _analyser(self):
        """Right after the load (PostgreSQL), what autovacuum would do later: planner statistics, and the visibility
        map without which a count reads the table instead of an index only. The benchmark must not wait for it.
        VACUUM cannot run inside a transaction (the tests'): statistics only, there."""
        if connection.vendor != "postgresql":
            return
        tables = sorted({m.table for m in self.rapport.mesures})
        verbe = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        debut = time.perf_counter()
        with connection.cursor() as curseur:
            curseur.execute(f"{verbe} " + ", ".join(connection.ops.quote_name(t) for t in tables))
        self.rapport.mesures.append(Mesure(f"{verbe} (statistiques)", 0, time.perf_counter() - debut))

    def creer_territoires(self):
        libres = list(Epci.objects.filter(territoires__isnull=True).order_by("siren").values_list("siren", flat=True))
        if self.facteur < 1:
            libres = libres[: max(1, round(len(libres) * self.facteur))] if libres else []
        communes_par_epci = defaultdict(list)
        for code, epci, dep, region, pop in (
            Commune.objects.filter(epci__in=libres)
            .order_by("code")
            .values_list("code", "epci_id", "departement_id", "region_id", "population")
        ):
            communes_par_epci[epci].append((code, dep, region, pop))
        # EPCI grouped by the département of their first commune, a few per territory.
        par_departement = defaultdict(list)
        for siren in libres:
            if communes_par_epci[siren]:
                par_departement[communes_par_epci[siren][0][1]].append(siren)
        groupes = []
        for dep in sorted(par_departement):
            sirens = par_departement[dep]
            for i in range(0, len(sirens), EPCI_PAR_TERRITOIRE):
                groupes.append((dep, sirens[i : i + EPCI_PAR_TERRITOIRE]))
        noms_epci = dict(Epci.objects.filter(siren__in=libres).values_list("siren", "nom"))
        territoires = []
        for n, (_dep, sirens) in enumerate(groupes, start=1):
            code = f"{PREFIXE_CODE}{n:04d}"
            nom = f"{PREFIXE_NOM}{noms_epci[sirens[0]]}"[:200]
            territoires.append(
                Territoire(
                    identifiant=Territoire.identifiant_pour(Phase.TEMPS_2, code),
                    code=code,
                    phase=Phase.TEMPS_2,
                    nom=nom,
                    nom_recherche=cle_recherche(nom),
                    description="Territoire synthétique du jeu de données à l’échelle (generate_scale_data).",
                    population=sum(c[3] for s in sirens for c in communes_par_epci[s]),
                    modifie_le=JOUR_ZERO,
                )
            )
        territoires = self._inserer(Territoire, territoires)
        perimetre, epcis, departements, regions = [], [], [], []
        for territoire, (_dep, sirens) in zip(territoires, groupes, strict=True):
            deps, regs = set(), set()
            for siren in sirens:
                epcis.append(Territoire.epcis.through(territoire_id=territoire.pk, epci_id=siren))
                for code, dep, region, _pop in communes_par_epci[siren]:
                    perimetre.append(CommuneTerritoire(territoire_id=territoire.pk, commune_id=code, code_source=code))
                    deps.add(dep)
                    regs.add(region)
            departements += [
                Territoire.departements.through(territoire_id=territoire.pk, departement_id=d) for d in sorted(deps)
            ]
            regions += [Territoire.regions.through(territoire_id=territoire.pk, region_id=r) for r in sorted(regs)]
        self._inserer(CommuneTerritoire, perimetre)
        self._inserer(Territoire.epcis.through, epcis)
        self._inserer(Territoire.departements.through, departements)
        self._inserer(Territoire.regions.through, regions)

        # Every territory (real and synthetic) with its communes, for the fiches-action and the dossiers.
        self.territoires = list(Territoire.objects.order_by("pk").values_list("pk", "nom"))
        self.communes_du_territoire = defaultdict(list)
        for t, code in CommuneTerritoire.objects.order_by("territoire_id", "commune_id").values_list(
            "territoire_id", "commune_id"
        ):
            self.communes_du_territoire[t].append(code)
        self.commune = {
            code: (nom, region)
            for code, nom, region in Commune.objects.filter(appartenances__isnull=False)
            .distinct()
            .values_list("code", "nom", "region_id")
        }

    def _utilisateurs(self):
        alea = self.alea
        total = nombre(PAR_FACTEUR["utilisateurs"], self.facteur)
        regions = list(Region.objects.order_by("code").values_list("code", flat=True))
        mot_de_passe = make_password(None)  # unusable, computed once
        roles = [  # (role, share)
            (Role.EQUIPE_NATIONALE, 2),
            (Role.INSTRUCTEUR, 8),
            (Role.EXPERT_ADEME, 4),
            (Role.REFERENT_REGION, 4),
            (Role.CHEF_PROJET, 20),
            (Role.BINOME, 12),
            (Role.PORTEUR, 46),
            (Role.CONSULTANT, 4),
        ]
        tirage = [r for r, part in roles for _ in range(part)]
        utilisateurs, profils = [], []
        for n in range(total):
            # The first users cover every role once, whatever the factor.
            role = roles[n][0] if n < len(roles) else alea.choice(tirage)
            prenom, nom = alea.choice(PRENOMS), alea.choice(NOMS)
            utilisateurs.append(
                Utilisateur(
                    email=f"{role.value.replace('_', '-')}-{n:06d}@{DOMAINE}",
                    prenom=prenom,
                    nom=nom,
                    organisation=PREFIXE_NOM.strip(),
                    password=mot_de_passe,
                    date_joined=self._date(),
                )
            )
            profils.append(role)
        utilisateurs = self._inserer(Utilisateur, utilisateurs)
        habilitations = []
        self.par_role = defaultdict(list)
        self.instructeurs = defaultdict(list)
        self.porteurs = []  # (user pk, siret, nom)
        for utilisateur, role in zip(utilisateurs, profils, strict=True):
            h = Habilitation(utilisateur_id=utilisateur.pk, role=role, accordee_le=utilisateur.date_joined)
            if role in ROLES_REGIONAUX:
                h.region_id = alea.choice(regions)
                if role == Role.INSTRUCTEUR:
                    self.instructeurs[h.region_id].append(utilisateur.pk)
            elif role in ROLES_TERRITORIAUX:
                h.territoire_id = alea.choice(self.territoires)[0]
            elif role == Role.PORTEUR:
                h.siret = siret_valide(alea)
                h.organisme = f"{alea.choice(NOMS)} Industrie"
                self.porteurs.append((utilisateur.pk, h.siret, h.organisme))
            elif role == Role.CONSULTANT:
                h.organisme = "Cabinet d’études"
            habilitations.append(h)
            self.par_role[role].append(utilisateur.pk)
        self._inserer(Habilitation, habilitations)
        self.nationaux = self.par_role[Role.EQUIPE_NATIONALE]
        self.auteurs = self.par_role[Role.CHEF_PROJET] or self.nationaux

    def _projets(self):
        alea = self.alea
        total = nombre(PAR_FACTEUR["projets"], self.facteur)
        themes = list(Theme.objects.order_by("code").values_list("code", flat=True))
        axes, phases, statuts = list(Axe.values), list(PhaseProjet.values), list(StatutPhase.values)
        projets = []
        for n in range(total):
            territoire, nom_territoire = alea.choice(self.territoires)
            communes = self.communes_du_territoire.get(territoire)
            commune = alea.choice(communes) if communes else None
            titre = f"{alea.choice(OBJETS)} {alea.choice(QUALIFICATIFS)} n°{n + 1}"
            description = f"Projet du territoire {nom_territoire.removeprefix(PREFIXE_NOM)} : {titre.lower()}."
            porteur = f"{alea.choice(NOMS)} {alea.choice(['Industrie', 'Mécanique', 'SAS', 'Communauté de communes'])}"
            debut = (JOUR_ZERO + timedelta(days=alea.randrange(700))).date()
            cree = self._date()
            morceaux = [titre, description, porteur]
            if commune:
                morceaux.append(self.commune[commune][0])
            projets.append(
                Projet(
                    uuid=uuid.UUID(int=alea.getrandbits(128), version=4),
                    territoire_id=territoire,
                    titre=titre,
                    description=description,
                    porteur_nom=porteur,
                    axe=alea.choice(axes),
                    phase=alea.choice(phases),
                    phase_statut=alea.choice(statuts),
                    commune_id=commune,
                    date_debut=debut,
                    date_fin=debut + timedelta(days=alea.randrange(90, 1500)),
                    budget=self._montant(50_000, 20_000_000),
                    emplois_crees=alea.randrange(0, 200),
                    public=alea.random() < 0.6,
                    texte_recherche=cle_recherche(" ".join(morceaux)),
                    version=1 + alea.randrange(4),
                    cree_le=cree,
                    modifie_le=cree + timedelta(days=alea.randrange(60)),
                    cree_par_id=alea.choice(self.auteurs),
                )
            )
        projets = self._inserer(Projet, projets)
        self.projets = [(p.pk, p.territoire_id, p.commune_id, p.titre) for p in projets]

        lignes, liens, journal = [], [], []
        type_projet = ContentType.objects.get_for_model(Projet)
        statuts_financement = list(StatutFinancement.values)
        for p in projets:
            for _ in range(alea.randrange(1, 4)):
                lignes.append(
                    LigneFinancement(
                        projet_id=p.pk,
                        financeur=alea.choice(FINANCEURS),
                        montant=(p.budget * Decimal(alea.randrange(5, 40)) / 100).quantize(Decimal("0.01")),
                        statut=alea.choice(statuts_financement),
                    )
                )
            for code in alea.sample(themes, min(len(themes), alea.randrange(1, 3))):
                liens.append(Projet.themes.through(projet_id=p.pk, theme_id=code))
            journal.append(
                Journal(
                    quand=p.cree_le,
                    acteur_id=p.cree_par_id,
                    action="projet_cree",
                    objet_type=type_projet,
                    objet_id=str(p.pk),
                    objet_libelle=p.titre,
                    details={"titre": [None, p.titre]},
                )
            )
            for version in range(2, p.version + 1):
                journal.append(
                    Journal(
                        quand=p.cree_le + timedelta(days=version * 7),
                        acteur_id=p.cree_par_id,
                        action="projet_modifie",
                        objet_type=type_projet,
                        objet_id=str(p.pk),
                        objet_libelle=p.titre,
                        details={"phase_statut": [StatutPhase.EN_COURS.value, p.phase_statut]},
                    )
                )
        self._inserer(LigneFinancement, lignes)
        self._inserer(Projet.themes.through, liens)
        self.journal = journal  # written with the dossiers' rows, in one go

    def _dossiers(self):
        alea = self.alea
        total = nombre(PAR_FACTEUR["dossiers"], self.facteur)
        regions = sorted({self.commune[c][1] for c in self.commune})
        dispositif = Dispositif(
            nom=f"{PREFIXE_NOM}Fonds vert synthétique {ANNEE}",
            code=CODE_DISPOSITIF,
            annee=ANNEE,
            montant=Decimal(0),
            volets=[v.value for v in Volet],
            ouverture=date(ANNEE, 1, 1),
            cloture=date(ANNEE + 2, 12, 31),
            description="Dispositif synthétique du jeu de données à l’échelle (generate_scale_data).",
        )
        (dispositif,) = self._inserer(Dispositif, [dispositif])
        enveloppes = self._inserer(
            Enveloppe,
            [Enveloppe(dispositif=dispositif, region_id=r, annee=ANNEE, montant=Decimal(0)) for r in regions],
        )
        enveloppe_de = {e.region_id: e for e in enveloppes}
        accorde, verse = defaultdict(Decimal), defaultdict(Decimal)
        statuts = [s for s, part in REPARTITION_STATUTS.items() for _ in range(part)]
        volets = list(Volet.values)
        avec_commune = [p for p in self.projets if p[2]]
        porteurs = self.porteurs or [(self.nationaux[0], siret_valide(alea), "Porteur synthétique")]
        numeros = defaultdict(int)
        dossiers, chemins = [], []
        for n in range(total):
            # Every state once first, then drawn by its share.
            statut = list(REPARTITION_STATUTS)[n] if n < len(REPARTITION_STATUTS) else alea.choice(statuts)
            projet_id, territoire, commune, titre = alea.choice(avec_commune)
            region = self.commune[commune][1]
            numeros[region] += 1
            deposant, siret, porteur = alea.choice(porteurs)
            cout = self._montant(100_000, 8_000_000)
            eligible = (cout * Decimal(alea.randrange(60, 101)) / 100).quantize(Decimal("0.01"))
            demandee = (eligible * Decimal(alea.randrange(10, 51)) / 100).quantize(Decimal("0.01"))
            chemin = list(CHEMINS[statut])
            if chemin and chemin[0] == Statut.DEPOSE and len(chemin) > 2 and alea.random() < 0.2:
                chemin[1:1] = [Statut.INCOMPLET, Statut.DEPOSE]  # a detour: completed after a request
            cree = self._date(500)
            d = Dossier(
                reference=f"ECH{ANNEE}-{region}-{numeros[region]:06d}",
                dispositif=dispositif,
                enveloppe=enveloppe_de[region],
                volet=alea.choice(volets),
                statut=statut,
                version=1 + len(chemin),
                deposant_id=deposant,
                porteur_siret=siret,
                porteur_nom=porteur,
                porteur_type="entreprise",
                projet_id=projet_id if alea.random() < 0.5 else None,
                territoire_id=territoire,
                commune_id=commune,
                intitule=titre,
                investissement_non_demarre=True,
                cout_total=cout,
                cout_eligible=eligible,
                aide_demandee=demandee,
                tco2e_evitees=Decimal(alea.randrange(0, 5000)),
                emplois_crees=alea.randrange(0, 80),
                cree_le=cree,
                modifie_le=cree + timedelta(days=3 * len(chemin)),
                depose_le=cree + timedelta(days=1) if chemin else None,
            )
            if Statut.PROPOSE in chemin:
                d.montant_propose = (demandee * Decimal(alea.randrange(60, 101)) / 100).quantize(Decimal("0.01"))
            if statut in ACCORDES:
                d.montant_accorde = d.montant_propose
                d.decide_le = cree + timedelta(days=3 * chemin.index(Statut.ACCEPTE) + 3)
                d.motif_decision = "Projet conforme aux critères du dispositif."
                accorde[region] += d.montant_accorde
            elif statut == Statut.REFUSE:
                d.decide_le = cree + timedelta(days=3 * len(chemin))
                d.motif_decision = "Projet hors du champ du dispositif."
            if statut in {Statut.ENGAGE, Statut.SOLDE}:
                d.montant_engage = d.montant_accorde
                d.convention_numero = f"CONV-{d.reference}"
                d.convention_date = (d.decide_le + timedelta(days=20)).date()
                avance = (d.montant_engage * Decimal("0.3")).quantize(Decimal("0.01"))
                d.montant_verse = d.montant_engage if statut == Statut.SOLDE else avance
                verse[region] += d.montant_verse
            dossiers.append(d)
            chemins.append(chemin)
        dossiers = self._inserer(Dossier, dossiers)

        transitions, avis, versements = [], [], []
        type_dossier = ContentType.objects.get_for_model(Dossier)
        for d, chemin in zip(dossiers, chemins, strict=True):
            instructeur = alea.choice(self.instructeurs.get(d.enveloppe.region_id) or self.nationaux)
            de = Statut.BROUILLON
            for i, vers in enumerate(chemin):
                par = d.deposant_id if vers == Statut.DEPOSE else instructeur
                quand = d.cree_le + timedelta(days=3 * i + 1)
                transitions.append(Transition(dossier_id=d.pk, de=de, vers=vers, par_id=par, quand=quand))
                de = vers
            if d.statut in INSTRUITS:
                debut = d.cree_le + timedelta(days=5)
                rendu = d.statut != Statut.EN_INSTRUCTION
                for type_avis in (Avis.Type.ADEME, Avis.Type.REGION):
                    avis.append(
                        Avis(
                            dossier_id=d.pk,
                            type=type_avis,
                            demande_par_id=instructeur,
                            demande_le=debut,
                            echeance=(debut + timedelta(days=30)).date(),
                            sens=Avis.Sens.FAVORABLE if rendu else "",
                            texte="Avis synthétique." if rendu else "",
                            rendu_par_id=instructeur if rendu else None,
                            rendu_le=debut + timedelta(days=10) if rendu else None,
                        )
                    )
            if d.statut in {Statut.ENGAGE, Statut.SOLDE}:
                avance = (d.montant_engage * Decimal("0.3")).quantize(Decimal("0.01"))
                paiements = [(Versement.Type.AVANCE, avance)]
                if d.statut == Statut.SOLDE:
                    paiements.append((Versement.Type.SOLDE, d.montant_engage - avance))
                for k, (type_versement, montant) in enumerate(paiements):
                    jour = d.convention_date + timedelta(days=30 + 200 * k)
                    versements.append(
                        Versement(
                            dossier_id=d.pk,
                            type=type_versement,
                            montant=montant,
                            date=jour,
                            par_id=instructeur,
                            enregistre_le=JOUR_ZERO + (jour - JOUR_ZERO.date()),
                        )
                    )
            if d.decide_le:
                self.journal.append(
                    Journal(
                        quand=d.decide_le,
                        acteur_id=instructeur,
                        action="dossier_decide",
                        objet_type=type_dossier,
                        objet_id=str(d.pk),
                        objet_libelle=f"{d.reference} — {d.intitule}"[:255],
                        details={"statut": d.statut, "montant_accorde": str(d.montant_accorde or "")},
                    )
                )
        self._inserer(Transition, transitions)
        self._inserer(Avis, avis)
        self._inserer(Versement, versements)
        self._inserer(Journal, self.journal)

        # The envelopes hold exactly what their dossiers were granted and paid, with room to spare.
        for e in enveloppes:
            e.montant_accorde = accorde[e.region_id]
            e.montant_verse = verse[e.region_id]
            e.montant = max(Decimal(1_000_000), (accorde[e.region_id] * Decimal("1.25")).quantize(Decimal("1")))
        Enveloppe.objects.bulk_update(enveloppes, ["montant", "montant_accorde", "montant_verse"])
        dispositif.montant = sum(e.montant for e in enveloppes)
        dispositif.save(update_fields=["montant"])
