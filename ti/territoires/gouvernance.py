"""Who governs a territory, read from the active habilitations (ti/comptes), not from text typed on the territory.

The binôme élu–industriel and the chef de projet are the people the national team habilitated on the territory:
a signed-in partner of the programme reads their names; a visitor (or a porteur) reads only whether the roles are
filled (docs/decisions/0066). A binôme habilitation says in its « organisme » whether its holder is the élu or the
industriel (« Élu référent, président de… », « Industrielle, Chartres Métropole »).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from ti.comptes import permissions
from ti.comptes.models import Habilitation, Role
from ti.core.cache import en_cache_des_pages
from ti.territoires.models import Territoire


@dataclass(frozen=True)
class Membre:
    nom: str
    qualite: str  # « Élu référent, … », the structure of the chef de projet
    email: str


@dataclass
class Gouvernance:
    binome: list[Membre] = field(default_factory=list)
    chefs_de_projet: list[Membre] = field(default_factory=list)
    nommee: bool = False  # names shown (a partner); otherwise the roles only

    @property
    def binome_designe(self) -> bool:
        return bool(self.binome)


def voit_les_noms(user) -> bool:
    return permissions.peut(user, "voir_noms_gouvernance")


def gouvernance(territoire: Territoire, user) -> Gouvernance:
    """The territory's binôme and chef(s) de projet, read once per pages' generation (one query), named or not
    according to the user's rights (none more when they are already read)."""
    # Dated: a habilitation ends with its day, without a write.
    cle = f"territoires:gouvernance:{territoire.pk}:{timezone.localdate()}"
    binome, chefs = en_cache_des_pages(cle, lambda: _membres(territoire))
    return Gouvernance(binome=list(binome), chefs_de_projet=list(chefs), nommee=voit_les_noms(user))


def _membres(territoire: Territoire) -> tuple[list[Membre], list[Membre]]:
    binome, chefs = [], []
    habilitations = (
        Habilitation.objects.actives()
        .filter(territoire=territoire, role__in=[Role.BINOME, Role.CHEF_PROJET])
        .select_related("utilisateur")
        .order_by("accordee_le", "pk")
    )
    for habilitation in habilitations:
        personne = habilitation.utilisateur
        membre = Membre(
            nom=personne.get_full_name() or personne.email,
            qualite=habilitation.organisme or personne.organisation,
            email=personne.email,
        )
        (binome if habilitation.role == Role.BINOME else chefs).append(membre)
    return binome, chefs
