"""The chefs de projet network of Temps II: who has one, who recruits, who must seek the post's funding.

The sentence the programme's texts write by hand (« 5 territoires disposent d’un chef de projet, 4 sont en cours de
recrutement et 3 doivent solliciter leur financement ») is computed here from the territories' status.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from ti.referentiel.models import Region
from ti.territoires.models import Phase, StatutChefProjet, Territoire

# (status, verb phrase for one territory, for several): in the order of the sentence.
TOURNURES = (
    (StatutChefProjet.EN_POSTE, "dispose d’un chef de projet", "disposent d’un chef de projet"),
    (StatutChefProjet.RECRUTEMENT, "est en cours de recrutement", "sont en cours de recrutement"),
    (StatutChefProjet.FINANCEMENT, "doit solliciter son financement", "doivent solliciter leur financement"),
    (StatutChefProjet.AUCUN, "n’a pas de chef de projet", "n’ont pas de chef de projet"),
)


@dataclass
class Reseau:
    """The phase 2 territories of a scope, by chef de projet status (each list sorted by name)."""

    par_statut: dict[str, list[Territoire]] = field(default_factory=dict)

    @property
    def groupes(self) -> list[tuple[str, list[Territoire]]]:
        """(status label, territories) for the statuses that have some, in the order of the sentence."""
        return [(statut.label, self.par_statut[statut]) for statut, *_ in TOURNURES if self.par_statut.get(statut)]

    def phrase(self) -> str:
        return phrase({statut: len(territoires) for statut, territoires in self.par_statut.items()})


def phrase(comptes: dict[str, int]) -> str:
    """« 5 territoires disposent d’un chef de projet, 4 sont en cours de recrutement et 3 doivent solliciter leur
    financement. » Statuses with no territory are left out."""
    morceaux = []
    for statut, singulier, pluriel in TOURNURES:
        nombre = comptes.get(statut, 0)
        if nombre:
            sujet = f"{nombre} territoire{'s' if nombre > 1 else ''}" if not morceaux else str(nombre)
            morceaux.append(f"{sujet} {singulier if nombre == 1 else pluriel}")
    if not morceaux:
        return "Aucun territoire du Temps II."
    debut = ", ".join(morceaux[:-1])
    return (f"{debut} et {morceaux[-1]}" if debut else morceaux[0]) + "."


def reseau(region: Region | None = None) -> Reseau:
    """The network of one région (territories reaching into it count) or of the whole country, in one query."""
    territoires = Territoire.objects.filter(phase=Phase.TEMPS_2).only("identifiant", "nom", "chef_projet_statut")
    if region is not None:
        territoires = territoires.filter(
            pk__in=Territoire.regions.through.objects.filter(region=region).values("territoire_id")
        )
    resultat = Reseau()
    for territoire in territoires.order_by("nom"):
        resultat.par_statut.setdefault(territoire.chef_projet_statut, []).append(territoire)
    return resultat


@dataclass(frozen=True)
class LigneRegion:
    region: Region
    comptes: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.comptes.values())

    def phrase(self) -> str:
        return phrase(self.comptes)


def reseau_par_region() -> list[LigneRegion]:
    """For each région with a phase 2 territory, the count per status (a territory counts in each of its régions)."""
    filtres = {
        statut.value: Count("territoires", filter=Q(territoires__chef_projet_statut=statut)) for statut, *_ in TOURNURES
    }
    regions = (
        Region.objects.filter(territoires__phase=Phase.TEMPS_2)
        .annotate(**{f"n_{cle}": compte for cle, compte in filtres.items()})
        .order_by("nom")
    )
    return [LigneRegion(region, {cle: getattr(region, f"n_{cle}") for cle in filtres}) for region in regions]


def phrase_nationale() -> str:
    """The national sentence alone, from one aggregate query (the home page)."""
    lignes = Territoire.objects.filter(phase=Phase.TEMPS_2).values_list("chef_projet_statut").annotate(n=Count("pk"))
    return phrase(dict(lignes.order_by()))
