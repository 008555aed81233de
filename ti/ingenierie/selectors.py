"""Figures of the engineering part, computed from the missions recorded (never written by hand)."""

from django.db.models import Count, Max, Min, Q

from ti.ingenierie.models import Mission, StatutMission, TypeMission
from ti.territoires.models import Territoire

EN_VIE = Q(statut__in=[StatutMission.A_LANCER, StatutMission.EN_COURS, StatutMission.EN_PAUSE])


def _liste(noms: list[str]) -> str:
    return noms[0] if len(noms) == 1 else f"{', '.join(noms[:-1])} et {noms[-1]}"


def phrase_missions_region(region) -> str:
    """« 2 missions choc industriel en 2022 sur A et B ; 3 missions rebond industriel depuis 2023 sur C, D et E. »
    A kind whose missions are all over reads « en <year> » (or « de … à … »); one still running, « depuis ».
    Cancelled missions do not count. Two queries: the figures per kind, the territories' names."""
    missions = Mission.objects.filter(territoire__in=Territoire.objects.filter(regions=region).values("pk"))
    missions = missions.exclude(statut=StatutMission.ANNULEE)
    par_type = (
        missions.values("type")
        .annotate(nombre=Count("pk"), debut=Min("annee"), fin=Max("annee"), en_vie=Count("pk", filter=EN_VIE))
        .order_by()
    )
    noms: dict[str, list[str]] = {}
    for type_, nom in missions.values_list("type", "territoire__nom").distinct().order_by("territoire__nom"):
        noms.setdefault(type_, []).append(nom)
    libelles = dict(TypeMission.choices)
    ordre = list(TypeMission.values)
    morceaux = []
    for ligne in sorted(par_type, key=lambda ligne: ordre.index(ligne["type"])):
        if ligne["en_vie"]:
            quand = f"depuis {ligne['debut']}"
        elif ligne["debut"] == ligne["fin"]:
            quand = f"en {ligne['debut']}"
        else:
            quand = f"de {ligne['debut']} à {ligne['fin']}"
        mission = "mission" if ligne["nombre"] == 1 else "missions"
        morceaux.append(
            f"{ligne['nombre']} {mission} {libelles[ligne['type']].lower()} {quand} sur {_liste(noms[ligne['type']])}"
        )
    return " ; ".join(morceaux) + "." if morceaux else ""
