"""Eligibility of a porteur's project to a Fonds vert dispositif, checked before any dossier exists.

Each rule answers with a precise French reason; the form (forms_depot.EligibiliteForm) shows them field by field.
"""

from ti.comptes import permissions
from ti.core.formats import date_longue
from ti.financements.models import Dispositif, Enveloppe, Volet
from ti.projets.models import TypePorteur
from ti.referentiel.models import Commune
from ti.territoires.models import Phase, Territoire

# Who may carry a project, volet by volet (the dispositif's rules: volet 2 opens to training bodies and local
# authorities; volets 1 and 3 finance companies' investments only).
PORTEURS_ADMIS = {
    Volet.INVESTISSEMENT: {TypePorteur.ENTREPRISE},
    Volet.COMPETENCES: {TypePorteur.ENTREPRISE, TypePorteur.ORGANISME_FORMATION, TypePorteur.COMMUNE, TypePorteur.EPCI},
    Volet.REBOND: {TypePorteur.ENTREPRISE},
}
TYPES_DE_PORTEUR = [
    (TypePorteur.ENTREPRISE.value, TypePorteur.ENTREPRISE.label),
    (TypePorteur.ORGANISME_FORMATION.value, TypePorteur.ORGANISME_FORMATION.label),
    (TypePorteur.COMMUNE.value, "Collectivité (commune)"),
    (TypePorteur.EPCI.value, "Intercommunalité (EPCI)"),
]


def raison_dispositif_ferme(dispositif: Dispositif, jour) -> str | None:
    if dispositif.est_ouvert(jour):
        return None
    if jour < dispositif.ouverture:
        ouverture = date_longue(dispositif.ouverture)
        return f"Le dispositif « {dispositif.nom} » ouvrira le {ouverture} : revenez à cette date."
    cloture = date_longue(dispositif.cloture)
    return f"Le dispositif « {dispositif.nom} » est clos depuis le {cloture} : il n’accepte plus de dossier."


def raison_siret(siret: str, user) -> str | None:
    sirets = permissions.sirets_du_porteur(user)
    if siret not in sirets:
        connus = ", ".join(sorted(sirets)) or "aucun"
        return (
            f"Le SIRET {siret} n’est pas celui d’une structure pour laquelle vous êtes habilité "
            f"(les vôtres : {connus}). "
            "Ajoutez-la dans « Mes entreprises » (Mon espace) si vous avez créé vous-même votre compte, sinon "
            "demandez à l’équipe nationale de l’ajouter à votre compte."
        )
    return None


def raison_type_porteur(type_porteur: str, volet: str) -> str | None:
    admis = PORTEURS_ADMIS.get(volet, set())
    if type_porteur not in admis:
        libelles = " ou ".join(sorted(str(dict(TYPES_DE_PORTEUR)[t]).lower() for t in admis))
        return f"Le {Volet(volet).label} est réservé aux porteurs de type {libelles}."
    return None


def territoires_de_phase_2(commune: Commune) -> list[Territoire]:
    """The phase 2 territories whose perimeter holds the commune (one query)."""
    return list(Territoire.objects.filter(phase=Phase.TEMPS_2, perimetre__commune=commune).distinct().order_by("nom"))


def enveloppe_de(dispositif: Dispositif, commune: Commune) -> Enveloppe | None:
    return (
        Enveloppe.objects.filter(dispositif=dispositif, region_id=commune.region_id, annee=dispositif.annee)
        .select_related("region")
        .first()
    )
