"""The content of a plan d'action version: its fiches-action as the page, the tables and the annex show them.

A brouillon is read live from the territory's fiches; a submitted or validated version from its snapshot
(`PlanAction.instantane`), written by `decrire` when the version was submitted. Both become the same
`FicheDuPlan` objects, so the page, the tables (`plans_tableaux`) and the Word annex (`plans_annexe`) do not care
where they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from ti.core.formats import euros, nombre
from ti.projets.models import Axe, LigneFinancement, PlanAction, Projet, StatutFinancement, StatutPlan, Theme

ORDRE_DES_AXES = {axe.value: rang for rang, axe in enumerate(Axe)}


def fiches_actives(territoire) -> list[Projet]:
    """The territory's active fiches-action with what a plan shows of them (3 queries)."""
    return list(
        Projet.objects.actifs()
        .filter(territoire=territoire)
        .select_related("commune")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("ordre", "libelle")),
            Prefetch("financements", queryset=LigneFinancement.objects.order_by("pk")),
        )
    )


def _texte(valeur) -> str | None:
    return None if valeur is None else str(valeur)


def decrire(projet: Projet) -> dict:
    """Everything the annex and the exports need of a fiche, JSON-ready (amounts and dates as strings).

    Labels are kept next to codes, so that an old version reads the same even if a label changes later.
    Expects `commune`, `themes` and `financements` loaded (see `fiches_actives`).
    """
    return {
        "id": projet.pk,
        "uuid": str(projet.uuid),
        "version": projet.version,
        "titre": projet.titre,
        "description": projet.description,
        "objectifs": projet.objectifs,
        "porteur_nom": projet.porteur_nom,
        "porteur_siret": projet.porteur_siret,
        "porteur_type": projet.porteur_type,
        "porteur_type_libelle": projet.get_porteur_type_display() if projet.porteur_type else "",
        "referent": " ".join(n for n in (projet.referent_prenom, projet.referent_nom) if n),
        "referent_fonction": projet.referent_fonction,
        "axe": projet.axe,
        "axe_libelle": projet.get_axe_display(),
        "themes": [theme.libelle for theme in projet.themes.all()],
        "phase": projet.phase,
        "phase_libelle": projet.get_phase_display(),
        "phase_statut": projet.phase_statut,
        "phase_statut_libelle": projet.get_phase_statut_display(),
        "commune_code": projet.commune.code if projet.commune_id else "",
        "commune_nom": projet.commune.nom if projet.commune_id else "",
        "date_debut": projet.date_debut.isoformat() if projet.date_debut else None,
        "date_fin": projet.date_fin.isoformat() if projet.date_fin else None,
        "budget": _texte(projet.budget),
        "financements": [
            {
                "financeur": ligne.financeur,
                "dispositif": ligne.dispositif,
                "montant": str(ligne.montant),
                "statut": ligne.statut,
                "statut_libelle": ligne.get_statut_display(),
            }
            for ligne in projet.financements.all()
        ],
        "emplois_crees": projet.emplois_crees,
        "emplois_maintenus": projet.emplois_maintenus,
        "investissement": _texte(projet.investissement),
        "tco2e_evitees": _texte(projet.tco2e_evitees),
        "hectares": _texte(projet.hectares),
        "partenaires": projet.partenaires,
        "public": projet.public,
    }


def decrire_toutes(projets: list[Projet]) -> list[dict]:
    """The snapshot of a plan: the fiches described, by axis then title."""
    return sorted(
        (decrire(projet) for projet in projets),
        key=lambda f: (ORDRE_DES_AXES.get(f["axe"], 99), f["titre"].casefold(), f["id"]),
    )


def signature(fiches: list[dict]) -> set[tuple[int, int]]:
    """(id, version) of each fiche: two plans with the same signature hold the same fiches as they were."""
    return {(fiche["id"], fiche["version"]) for fiche in fiches}


def signature_actuelle(territoire) -> set[tuple[int, int]]:
    return set(Projet.objects.actifs().filter(territoire=territoire).values_list("pk", "version"))


def _decimal(valeur) -> Decimal | None:
    return None if valeur in (None, "") else Decimal(valeur)


@dataclass(frozen=True)
class LigneDuPlan:
    financeur: str
    dispositif: str
    montant: Decimal
    statut: str
    statut_libelle: str


@dataclass(frozen=True)
class FicheDuPlan:
    """A fiche-action as a plan version shows it; built from `decrire`'s dict, live or frozen."""

    id: int
    titre: str
    description: str
    objectifs: str
    porteur_nom: str
    porteur_siret: str
    porteur_type_libelle: str
    referent: str
    referent_fonction: str
    axe: str
    axe_libelle: str
    themes: list[str]
    phase_libelle: str
    phase_statut_libelle: str
    commune_code: str
    commune_nom: str
    date_debut: date | None
    date_fin: date | None
    budget: Decimal | None
    emplois_crees: int | None
    emplois_maintenus: int | None
    investissement: Decimal | None
    tco2e_evitees: Decimal | None
    hectares: Decimal | None
    partenaires: str
    public: bool
    financements: list[LigneDuPlan] = field(default_factory=list)

    @classmethod
    def depuis(cls, donnees: dict) -> FicheDuPlan:
        return cls(
            id=donnees["id"],
            titre=donnees["titre"],
            description=donnees.get("description", ""),
            objectifs=donnees.get("objectifs", ""),
            porteur_nom=donnees.get("porteur_nom", ""),
            porteur_siret=donnees.get("porteur_siret", ""),
            porteur_type_libelle=donnees.get("porteur_type_libelle", ""),
            referent=donnees.get("referent", ""),
            referent_fonction=donnees.get("referent_fonction", ""),
            axe=donnees.get("axe", ""),
            axe_libelle=donnees.get("axe_libelle", ""),
            themes=list(donnees.get("themes", [])),
            phase_libelle=donnees.get("phase_libelle", ""),
            phase_statut_libelle=donnees.get("phase_statut_libelle", ""),
            commune_code=donnees.get("commune_code", ""),
            commune_nom=donnees.get("commune_nom", ""),
            date_debut=date.fromisoformat(donnees["date_debut"]) if donnees.get("date_debut") else None,
            date_fin=date.fromisoformat(donnees["date_fin"]) if donnees.get("date_fin") else None,
            budget=_decimal(donnees.get("budget")),
            emplois_crees=donnees.get("emplois_crees"),
            emplois_maintenus=donnees.get("emplois_maintenus"),
            investissement=_decimal(donnees.get("investissement")),
            tco2e_evitees=_decimal(donnees.get("tco2e_evitees")),
            hectares=_decimal(donnees.get("hectares")),
            partenaires=donnees.get("partenaires", ""),
            public=bool(donnees.get("public")),
            financements=[
                LigneDuPlan(
                    financeur=ligne["financeur"],
                    dispositif=ligne.get("dispositif", ""),
                    montant=Decimal(ligne["montant"]),
                    statut=ligne["statut"],
                    statut_libelle=ligne.get("statut_libelle", ""),
                )
                for ligne in donnees.get("financements", [])
            ],
        )

    def _total(self, statut: str) -> Decimal:
        return sum((ligne.montant for ligne in self.financements if ligne.statut == statut), Decimal("0"))

    @property
    def total_acquis(self) -> Decimal:
        return self._total(StatutFinancement.ACQUIS)

    @property
    def total_sollicite(self) -> Decimal:
        return self._total(StatutFinancement.SOLLICITE)

    @property
    def plan_de_financement(self) -> str:
        """One line per financing line: « Conseil régional (Aide à l’investissement) : 50 000,00 € — acquis »."""
        return "\n".join(
            f"{ligne.financeur}{f' ({ligne.dispositif})' if ligne.dispositif else ''} : "
            f"{euros(ligne.montant)} — {ligne.statut_libelle.lower()}"
            for ligne in self.financements
        )

    @property
    def impact(self) -> str:
        """The expected impact in words, the parts that are known: « 12 emplois créés · 1,50 ha »."""
        morceaux = []
        if self.emplois_crees is not None:
            pluriel = "s" if self.emplois_crees > 1 else ""
            morceaux.append(f"{self.emplois_crees} emploi{pluriel} créé{pluriel}")
        if self.emplois_maintenus is not None:
            pluriel = "s" if self.emplois_maintenus > 1 else ""
            morceaux.append(f"{self.emplois_maintenus} emploi{pluriel} maintenu{pluriel}")
        if self.investissement is not None:
            morceaux.append(f"investissement de {euros(self.investissement)}")
        if self.tco2e_evitees is not None:
            morceaux.append(f"{nombre(self.tco2e_evitees, 2)} tCO2e évitées par an")
        if self.hectares is not None:
            morceaux.append(f"{nombre(self.hectares, 2)} ha recyclés ou économisés")
        return " · ".join(morceaux)


def fiches_du_plan(plan: PlanAction) -> list[FicheDuPlan]:
    """A brouillon: the territory's active fiches now; a submitted or validated version: its snapshot."""
    if plan.statut == StatutPlan.BROUILLON:
        donnees = decrire_toutes(fiches_actives(plan.territoire))
    else:
        donnees = plan.instantane
    return [FicheDuPlan.depuis(fiche) for fiche in donnees]


@dataclass(frozen=True)
class Totaux:
    fiches: int
    budget: Decimal
    acquis: Decimal
    sollicite: Decimal
    emplois_crees: int
    emplois_maintenus: int


def totaux(fiches: list[FicheDuPlan]) -> Totaux:
    return Totaux(
        fiches=len(fiches),
        budget=sum((f.budget or Decimal("0") for f in fiches), Decimal("0")),
        acquis=sum((f.total_acquis for f in fiches), Decimal("0")),
        sollicite=sum((f.total_sollicite for f in fiches), Decimal("0")),
        emplois_crees=sum(f.emplois_crees or 0 for f in fiches),
        emplois_maintenus=sum(f.emplois_maintenus or 0 for f in fiches),
    )
