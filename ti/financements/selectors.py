"""Read queries of the Fonds vert part: the envelope gauge, computed by the database.

The gauge reads the dossiers of the envelope in one query (one conditional sum per figure):
- demandé: the aid requested by filed dossiers still in the running or granted (not drafts, not refused,
  irrecevable or classés sans suite);
- proposé: the amounts proposed for dossiers awaiting the decision;
- accordé: what the dossiers keep on the envelope (the committed total): the granted amount until the convention,
  the engaged amount after it, what was paid once soldé — the rest went back to the envelope, as its
  `montant_accorde` counter says (see `actions.instruction._liberer`);
- engagé: what conventions signed commit; versé: what was paid;
- reste: the envelope's amount minus the accordé.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from ti.financements.models import Enveloppe, Statut

NON_DEMANDES = [Statut.BROUILLON, Statut.REFUSE, Statut.IRRECEVABLE, Statut.CLASSE_SANS_SUITE]
ENGAGES = [Statut.ENGAGE, Statut.SOLDE]
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Jauge:
    montant: Decimal
    demande: Decimal
    propose: Decimal
    accorde: Decimal
    engage: Decimal
    verse: Decimal

    @property
    def reste(self) -> Decimal:
        return self.montant - self.accorde

    @property
    def taux_accorde(self) -> Decimal:
        """Share of the envelope granted, in percent (0 for an empty envelope)."""
        return (self.accorde * 100 / self.montant) if self.montant else ZERO

    @property
    def depasse_par_la_demande(self) -> bool:
        return self.demande > self.montant


def _somme(champ: str, condition: Q):
    return Coalesce(
        Sum(champ, filter=condition), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2)
    )


def _retenu():
    """What one dossier keeps on its envelope, by state (0 for the others)."""
    return Case(
        When(dossiers__statut=Statut.ACCEPTE, then=F("dossiers__montant_accorde")),
        When(dossiers__statut=Statut.ENGAGE, then=F("dossiers__montant_engage")),
        When(dossiers__statut=Statut.SOLDE, then=F("dossiers__montant_verse")),
        default=Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _annoter(enveloppes):
    return enveloppes.annotate(
        j_demande=_somme("dossiers__aide_demandee", ~Q(dossiers__statut__in=NON_DEMANDES)),
        j_propose=_somme("dossiers__montant_propose", Q(dossiers__statut=Statut.PROPOSE)),
        j_accorde=_somme(_retenu(), Q(dossiers__isnull=False)),
        j_engage=_somme("dossiers__montant_engage", Q(dossiers__statut__in=ENGAGES)),
        j_verse=_somme("dossiers__montant_verse", Q(dossiers__isnull=False)),
    )


def _jauge_de(enveloppe) -> Jauge:
    return Jauge(
        montant=enveloppe.montant,
        demande=enveloppe.j_demande,
        propose=enveloppe.j_propose,
        accorde=enveloppe.j_accorde,
        engage=enveloppe.j_engage,
        verse=enveloppe.j_verse,
    )


def jauges(enveloppes) -> dict[int, Jauge]:
    """The gauges of several envelopes (a queryset), by envelope pk, in one query."""
    return {enveloppe.pk: _jauge_de(enveloppe) for enveloppe in _annoter(enveloppes)}


def jauge(enveloppe: Enveloppe) -> Jauge:
    """The gauge of one envelope, in one query."""
    return jauges(Enveloppe.objects.filter(pk=enveloppe.pk))[enveloppe.pk]


def enveloppes_avec_jauges(enveloppes) -> list[Enveloppe]:
    """The envelopes (a queryset) with their région and a `.jauge` attribute, in one query."""
    resultat = []
    for enveloppe in _annoter(enveloppes.select_related("region")):
        enveloppe.jauge = _jauge_de(enveloppe)
        resultat.append(enveloppe)
    return resultat


def totaux(liste) -> Jauge:
    """The sum of several gauges (a dispositif's national figures), computed in Python from the fetched ones."""
    return Jauge(
        **{
            champ: sum((getattr(j, champ) for j in liste), ZERO)
            for champ in ("montant", "demande", "propose", "accorde", "engage", "verse")
        }
    )
