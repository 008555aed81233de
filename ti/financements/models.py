"""Fonds vert « Territoires d'industrie »: dispositif, regional envelopes, dossiers and their instruction.

The envelope invariant — what an envelope has granted never exceeds its amount — is held three times: by the
decision action (row lock on the envelope, in one transaction), by a database CHECK constraint, and by the tests.

Over 400 lines on purpose: the chain dispositif → enveloppe → dossier and what hangs on a dossier (its plan, pieces,
timeline, opinions, thread, payments) reads as one; the national list of past awards has its own module.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ti.core.antivirus import FichierAnalyse
from ti.core.champs import HECTARES_MAX, MONTANT, MWH_MAX, TCO2E_MAX, contraintes_emplois, emplois, quantite
from ti.core.etats import Machine, Pas
from ti.core.models import TransitionBase
from ti.core.validateurs import valider_siret
from ti.projets.models import Projet
from ti.referentiel.models import Commune, Region
from ti.territoires.models import Territoire


class Volet(models.TextChoices):
    INVESTISSEMENT = "investissement", "Volet 1 — investissements industriels"
    COMPETENCES = "competences", "Volet 2 — compétences"
    REBOND = "rebond", "Volet 3 — rebond industriel"


class Dispositif(models.Model):
    """A funding scheme, e.g. « Fonds vert — Territoires d'industrie en transition écologique 2024 », 100 M€."""

    nom = models.CharField(max_length=255)
    code = models.SlugField(max_length=50, unique=True)
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant total (€)", **MONTANT)
    volets = models.JSONField(default=list, help_text="Codes of the open volets (see Volet).")
    ouverture = models.DateField("date d’ouverture")
    cloture = models.DateField("date de clôture")
    description = models.TextField(blank=True)
    regles_eligibilite = models.TextField("règles d’éligibilité", blank=True)
    siret_attribuant = models.CharField(
        "SIRET de l’attribuant", max_length=14, blank=True, help_text="For the SCDL open data (idAttribuant)."
    )
    nom_attribuant = models.CharField("nom de l’attribuant", max_length=255, blank=True)
    # The public aid page (views/aides.py): what the record does not say by itself.
    taux_et_plafonds = models.TextField("taux et plafonds", blank=True)
    calendrier = models.TextField(blank=True)
    contacts = models.TextField(blank=True)
    references_juridiques = models.TextField(
        "références juridiques",
        blank=True,
        help_text="Les textes qui fondent l’aide, un par ligne : ils sont cités dans les lettres de décision.",
    )

    class Meta:
        verbose_name = "dispositif"
        ordering = ["-annee", "nom"]
        constraints = [models.CheckConstraint(name="dispositif_dates", condition=Q(cloture__gte=F("ouverture")))]

    def __str__(self):
        return self.nom

    def est_ouvert(self, jour=None) -> bool:
        jour = jour or timezone.localdate()
        return self.ouverture <= jour <= self.cloture


class Enveloppe(models.Model):
    """A dispositif's credits for one région and one year. `montant_accorde` is kept by the decision action."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.PROTECT, related_name="enveloppes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="enveloppes")
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant (€)", **MONTANT)
    montant_accorde = models.DecimalField("montant accordé (€)", default=0, **MONTANT)
    montant_verse = models.DecimalField("montant versé (€)", default=0, **MONTANT)
    # The authority that signs the decisions on this envelope (the préfet de région for the Fonds vert): never
    # guessed; a letter is refused while it is not set (ti/financements/lettre.py).
    signataire_qualite = models.CharField(
        "qualité du signataire",
        max_length=255,
        blank=True,
        help_text="Par exemple « La préfète de la région Centre-Val de Loire, préfète du Loiret ».",
    )
    signataire_nom = models.CharField("prénom et nom du signataire", max_length=150, blank=True)
    # The same authority as attribuant of the open data (SCDL idAttribuant): its grants are published only once set.
    signataire_siret = models.CharField(
        "SIRET de l’autorité signataire",
        max_length=14,
        blank=True,
        validators=[valider_siret],
        help_text="SIRET de la préfecture de région : l’identifiant de l’attribuant dans les données ouvertes.",
    )

    class Meta:
        verbose_name = "enveloppe régionale"
        verbose_name_plural = "enveloppes régionales"
        ordering = ["dispositif", "region__nom"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "region", "annee"], name="enveloppe_unique"),
            models.CheckConstraint(name="enveloppe_jamais_depassee", condition=Q(montant_accorde__lte=F("montant"))),
            models.CheckConstraint(
                name="enveloppe_verse_inferieur", condition=Q(montant_verse__lte=F("montant_accorde"))
            ),
        ]

    def __str__(self):
        return f"{self.dispositif} — {self.region} {self.annee}"

    @property
    def reste(self):
        return self.montant - self.montant_accorde


class TransfertCredits(models.Model):
    """Credits moved by the national team from one regional envelope to another (logged, never edited)."""

    depuis = models.ForeignKey(Enveloppe, on_delete=models.PROTECT, related_name="transferts_sortants")
    vers = models.ForeignKey(Enveloppe, on_delete=models.PROTECT, related_name="transferts_entrants")
    montant = models.DecimalField("montant (€)", **MONTANT)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quand = models.DateTimeField(auto_now_add=True)
    motif = models.TextField()

    class Meta:
        verbose_name = "transfert de crédits"
        verbose_name_plural = "transferts de crédits"
        ordering = ["-quand"]

    def __str__(self):
        return f"{self.montant} € de {self.depuis.region} vers {self.vers.region}"


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    DEPOSE = "depose", "Déposé"
    INCOMPLET = "incomplet", "Incomplet"
    IRRECEVABLE = "irrecevable", "Irrecevable"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    PROPOSE = "propose", "Proposé"
    ACCEPTE = "accepte", "Accepté"
    REFUSE = "refuse", "Refusé"
    CLASSE_SANS_SUITE = "classe_sans_suite", "Classé sans suite"
    ENGAGE = "engage", "Engagé (convention signée)"
    SOLDE = "solde", "Soldé"


# The dossier's workflow, declared once as named steps: the actions move through it, the instruction page offers
# the steps it allows (ti/financements/views/instruction.py), the synthetic data walks it. Reopening, by an
# instructor with a reason, is a step like the others.
CYCLE_DOSSIER = Machine(
    champ="statut",
    etats=Statut,
    nom="Un dossier",
    historique="transitions",
    version="version",
    pas={
        "deposer": Pas({Statut.BROUILLON, Statut.INCOMPLET, Statut.IRRECEVABLE}, {Statut.DEPOSE}),
        "ouvrir": Pas({Statut.DEPOSE}, {Statut.EN_INSTRUCTION}),
        "incomplet": Pas({Statut.DEPOSE, Statut.EN_INSTRUCTION}, {Statut.INCOMPLET}),
        "irrecevable": Pas({Statut.DEPOSE, Statut.INCOMPLET}, {Statut.IRRECEVABLE}),
        "proposer": Pas({Statut.EN_INSTRUCTION}, {Statut.PROPOSE}),
        "decider": Pas({Statut.PROPOSE}, {Statut.ACCEPTE, Statut.REFUSE, Statut.CLASSE_SANS_SUITE}),
        "classer": Pas({Statut.EN_INSTRUCTION, Statut.INCOMPLET}, {Statut.CLASSE_SANS_SUITE}),
        "rouvrir": Pas(
            {Statut.PROPOSE, Statut.ACCEPTE, Statut.REFUSE, Statut.CLASSE_SANS_SUITE}, {Statut.EN_INSTRUCTION}
        ),
        "engager": Pas({Statut.ACCEPTE}, {Statut.ENGAGE}),
        "solder": Pas({Statut.ENGAGE}, {Statut.SOLDE}),
    },
)
TRANSITIONS = CYCLE_DOSSIER.transitions  # from → the states it may go to
MODIFIABLES_PAR_LE_PORTEUR = {Statut.BROUILLON, Statut.INCOMPLET}


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Porteur: the dossiers of the SIRETs it is habilitated on today, drafts included. Région roles: their
        région's filed dossiers. Binôme and chef de projet: their territory's. National team: every filed dossier."""
        from ti.comptes.permissions import q_dossiers_visibles  # the permission layer sits above

        if not user.is_authenticated:
            return self.none()
        return self.filter(q_dossiers_visibles(user))


class Dossier(models.Model):
    reference = models.CharField("référence", max_length=30, unique=True)
    dispositif = models.ForeignKey(Dispositif, on_delete=models.PROTECT, related_name="dossiers")
    enveloppe = models.ForeignKey(Enveloppe, on_delete=models.PROTECT, related_name="dossiers")
    volet = models.CharField(max_length=20, choices=Volet.choices)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Incremented on every change: stale forms are refused.")
    version_montants = models.PositiveIntegerField(
        "version des montants",
        default=1,
        help_text="Incremented when the porteur changes the costs, the aid or the financing plan: opinions given on "
        "an older one are stale.",
    )

    deposant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers_deposes")
    porteur_siret = models.CharField("SIRET du porteur", max_length=14, db_index=True)
    porteur_nom = models.CharField("porteur", max_length=255)
    porteur_type = models.CharField("type de porteur", max_length=30)
    porteur_adresse = models.TextField(
        "adresse postale du porteur",
        blank=True,
        help_text="Numéro et voie, code postal et commune : l’adresse où la lettre de décision est envoyée.",
    )

    projet = models.ForeignKey(
        Projet, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers", verbose_name="fiche-action"
    )
    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="dossiers")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="dossiers")
    intitule = models.CharField("intitulé du projet", max_length=255)
    description = models.TextField(blank=True)
    investissement_non_demarre = models.BooleanField(
        "l’investissement n’a pas commencé", default=False, help_text="Attested by the porteur at eligibility."
    )

    cout_total = models.DecimalField("coût total (€)", null=True, blank=True, **MONTANT)
    cout_eligible = models.DecimalField("coût éligible (€)", null=True, blank=True, **MONTANT)
    aide_demandee = models.DecimalField("aide demandée (€)", null=True, blank=True, **MONTANT)

    tco2e_evitees = quantite("tCO2e évitées par an", plafond=TCO2E_MAX, unite="tCO2e")
    energie_economisee = quantite("énergie économisée (MWh/an)", plafond=MWH_MAX, unite="MWh")
    hectares = quantite("hectares", plafond=HECTARES_MAX, unite="ha", max_digits=10)
    emplois_crees = emplois("emplois créés")
    emplois_maintenus = emplois("emplois maintenus")

    montant_propose = models.DecimalField("montant proposé (€)", null=True, blank=True, **MONTANT)
    montant_accorde = models.DecimalField("montant accordé (€)", null=True, blank=True, **MONTANT)
    motif_decision = models.TextField("motifs de la décision", blank=True)
    convention_numero = models.CharField("numéro de convention", max_length=50, blank=True)
    convention_date = models.DateField("date de la convention", null=True, blank=True)
    montant_engage = models.DecimalField("montant engagé (€)", null=True, blank=True, **MONTANT)
    montant_verse = models.DecimalField("montant versé (€)", default=0, **MONTANT)

    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    depose_le = models.DateTimeField("déposé le", null=True, blank=True)
    decide_le = models.DateTimeField("décidé le", null=True, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-modifie_le", "-pk"]
        indexes = [
            models.Index(fields=["enveloppe", "statut"]),
            models.Index(fields=["territoire", "statut"]),
            # The instructors' queue (filed dossiers only): its default sort walks this index and stops at the page,
            # without reading the drafts; the national team's count reads this index only, not the wide rows.
            models.Index(fields=["depose_le", "id"], condition=~Q(statut="brouillon"), name="dossier_file_depose"),
            # The awarded grants (SCDL), in the order of the open data file and of its API pages.
            models.Index(
                fields=["convention_date", "reference"],
                condition=Q(statut__in=["engage", "solde"])
                & Q(convention_date__isnull=False, montant_engage__isnull=False),
                name="dossier_subventions",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="dossier_accorde_dans_la_demande",
                condition=Q(montant_accorde__isnull=True) | Q(montant_accorde__lte=F("aide_demandee")),
            ),
            models.CheckConstraint(
                name="dossier_verse_dans_l_engage",
                condition=Q(montant_verse=0) | Q(montant_verse__lte=F("montant_engage")),
            ),
            *contraintes_emplois("dossier"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.intitule}"

    def get_absolute_url(self):
        return reverse("financements:dossier", args=[self.reference])

    @property
    def modifiable_par_le_porteur(self) -> bool:
        return self.statut in MODIFIABLES_PAR_LE_PORTEUR

    def passer(self, vers: str, *, par, motif: str = "") -> "Transition":
        """Moves the dossier to `vers` through its workflow (`CYCLE_DOSSIER`): the step checked, the whole row saved
        with its version bumped, the timeline row written. Call it inside the action's transaction, on a row locked
        with select_for_update, after setting the fields that change with the step."""
        return CYCLE_DOSSIER.passer(self, vers, par=par, motif=motif, autres_champs=None)


class LigneFinancementDossier(models.Model):
    """The dossier's financing plan: it must balance (total of lines = total cost) to be filed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="financements")
    financeur = models.CharField(max_length=200)
    montant = models.DecimalField("montant (€)", **MONTANT)
    acquis = models.BooleanField(default=False)

    class Meta:
        verbose_name = "ligne du plan de financement"
        verbose_name_plural = "plan de financement"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.financeur} — {self.montant} €"


class PieceJointe(FichierAnalyse):
    class Type(models.TextChoices):
        ETUDE_FAISABILITE = "etude_faisabilite", "Étude de faisabilité"
        DEVIS = "devis", "Devis"
        KBIS = "kbis", "Extrait Kbis ou équivalent"
        BILAN = "bilan", "Derniers comptes annuels"
        AUTRE = "autre", "Autre pièce"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pieces")
    type = models.CharField(max_length=30, choices=Type.choices)
    fichier = models.FileField(upload_to="dossiers/%Y/%m/", max_length=255)
    nom = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    depose_le = models.DateTimeField(auto_now_add=True)
    archive_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["type", "depose_le"]

    def __str__(self):
        return self.nom


class Transition(TransitionBase):
    """The dossier's timeline: who, when, from, to, why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    de = models.CharField(max_length=20, choices=Statut.choices)
    vers = models.CharField(max_length=20, choices=Statut.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = "transition d’un dossier"
        verbose_name_plural = "historique des dossiers"


# The national list of past Fonds vert awards and its imports, the instructors' own notes, and what follows a filed
# dossier (opinions, messages, payments) live in their own modules.
from ti.financements.models_fonds_vert import AttributionFondsVert, ImportFondsVert, LigneFondsVert  # noqa: E402, F401
from ti.financements.models_instruction import AnnotationDossier, PieceAvis, SuiviDossier  # noqa: E402, F401
from ti.financements.models_suivi import Avis, Message, Versement  # noqa: E402, F401
