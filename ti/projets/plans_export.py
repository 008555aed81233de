"""The content of a plan d'action version: its fiches-action as the annex and the exports show them.

A brouillon is read live from the territory's fiches; a submitted or validated version from its snapshot
(`PlanAction.instantane`), written by `decrire` when the version was submitted. Both become the same
`FicheDuPlan` objects, so the page, the tables (CSV, XLSX, ODS) and the Word annex do not care where they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import tablib
from django.db.models import Case, Prefetch, When
from django.utils import timezone

from ti.core.documents_word import remplir_modele
from ti.core.exports import exporter
from ti.projets.models import (
    Axe,
    ContratTerritoire,
    LigneFinancement,
    PlanAction,
    Projet,
    Signataire,
    StatutFinancement,
    StatutPlan,
    Theme,
)

MODELE_ANNEXE = Path(__file__).resolve().parent / "modeles" / "annexe_plan_action.docx"
ORDRE_DES_AXES = {axe.value: rang for rang, axe in enumerate(Axe)}

TYPES_DE_CONTENU = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMATS_DE_TABLEAU = ("csv", "xlsx", "ods")


# Reading the fiches: live for a brouillon, from the snapshot otherwise.


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
            morceaux.append(f"{nombre(self.tco2e_evitees)} tCO2e évitées par an")
        if self.hectares is not None:
            morceaux.append(f"{nombre(self.hectares)} ha recyclés ou économisés")
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


# French formatting, for the annex and the CSV (the pages use Django's localised `floatformat`).


def nombre(valeur: Decimal, decimales: int = 2) -> str:
    """« 1 234 567,5 » → French digits: non-breaking space between thousands, decimal comma."""
    texte = f"{valeur:,.{decimales}f}"
    return texte.replace(",", "\xa0").replace(".", ",")


def euros(valeur: Decimal | None) -> str:
    """« 250 000,00 € », or an empty string when the amount is unknown."""
    return "" if valeur is None else f"{nombre(valeur)}\xa0€"


def date_fr(valeur) -> str:
    if valeur is None:
        return ""
    if hasattr(valeur, "astimezone"):
        valeur = timezone.localtime(valeur).date()
    return valeur.strftime("%d/%m/%Y")


# File names.


def nom_de_fichier(plan: PlanAction, extension: str) -> str:
    """« plan-action-ti2-2401-v2.docx »; a version not validated says so in its name."""
    suffixe = "" if plan.statut == StatutPlan.VALIDE else "-version-de-travail"
    return f"plan-action-{plan.territoire.identifiant}-v{plan.numero}{suffixe}.{extension}"


# Tables: one row per fiche-action.

COLONNES = (
    "Identifiant",
    "Titre",
    "Axe",
    "Thèmes",
    "Phase",
    "Statut de la phase",
    "Porteur",
    "SIRET du porteur",
    "Type de porteur",
    "Commune",
    "Code INSEE",
    "Date de début",
    "Date de fin",
    "Budget (€)",
    "Financements acquis (€)",
    "Financements sollicités (€)",
    "Plan de financement",
    "Emplois créés",
    "Emplois maintenus",
    "Investissement (€)",
    "tCO2e évitées par an",
    "Hectares recyclés ou économisés",
    "Partenaires",
    "Publiée",
)


def tableau(plan: PlanAction, fiches: list[FicheDuPlan], *, pour_csv: bool = False) -> tablib.Dataset:
    """The plan as a table. Amounts are numbers (Decimal) in XLSX and ODS; in CSV, written with a decimal comma and
    no thousands separator, which French Excel reads as numbers. Dates are ISO (YYYY-MM-DD) in CSV, dates otherwise."""

    def montant(valeur: Decimal | None):
        if valeur is None:
            return "" if pour_csv else None
        return str(valeur).replace(".", ",") if pour_csv else valeur

    def jour(valeur: date | None):
        if valeur is None:
            return "" if pour_csv else None
        return valeur.isoformat() if pour_csv else valeur

    def entier(valeur: int | None):
        return ("" if pour_csv else None) if valeur is None else valeur

    def texte(valeur: str) -> str:
        return valeur or ""

    donnees = tablib.Dataset(headers=list(COLONNES), title=f"Plan d’action v{plan.numero}")
    for fiche in fiches:
        donnees.append(
            [
                fiche.id,
                texte(fiche.titre),
                fiche.axe_libelle,
                ", ".join(fiche.themes),
                fiche.phase_libelle,
                fiche.phase_statut_libelle,
                texte(fiche.porteur_nom),
                fiche.porteur_siret,
                fiche.porteur_type_libelle,
                fiche.commune_nom,
                fiche.commune_code,
                jour(fiche.date_debut),
                jour(fiche.date_fin),
                montant(fiche.budget),
                montant(fiche.total_acquis),
                montant(fiche.total_sollicite),
                texte(fiche.plan_de_financement),
                entier(fiche.emplois_crees),
                entier(fiche.emplois_maintenus),
                montant(fiche.investissement),
                montant(fiche.tco2e_evitees),
                montant(fiche.hectares),
                texte(fiche.partenaires),
                ("oui" if fiche.public else "non") if pour_csv else fiche.public,
            ]
        )
    return donnees


def exporter_tableau(plan: PlanAction, fiches: list[FicheDuPlan], format: str) -> bytes:
    """CSV for French Excel (UTF-8 with BOM, `;` separator), or XLSX, or ODS."""
    if format == "csv":
        texte = exporter(tableau(plan, fiches, pour_csv=True), "csv", delimiter=";")
        return ("\ufeff" + texte).encode("utf-8")
    if format in ("xlsx", "ods"):
        return exporter(tableau(plan, fiches), format)
    raise ValueError(f"Format inconnu : {format}")


# The Word annex.


def contrat_de_l_annexe(plan: PlanAction) -> ContratTerritoire | None:
    """The contract that annexes this version; failing that, the territory's latest contract (its signatories)."""
    return (
        ContratTerritoire.objects.filter(territoire_id=plan.territoire_id)
        .prefetch_related(Prefetch("signataires", queryset=Signataire.objects.order_by("type", "organisme")))
        .order_by(Case(When(plan_id=plan.pk, then=0), default=1), "-pk")
        .first()
    )


def contexte_annexe(plan: PlanAction, fiches: list[FicheDuPlan], contrat: ContratTerritoire | None) -> dict:
    """What the Word template (`modeles/annexe_plan_action.docx`) reads: plain strings, already in French."""
    somme = totaux(fiches)
    return {
        "territoire": plan.territoire.nom,
        "identifiant": plan.territoire.identifiant,
        "version": plan.numero,
        "statut": plan.get_statut_display(),
        "version_de_travail": plan.statut != StatutPlan.VALIDE,
        "valide_le": date_fr(plan.valide_le),
        "valide_par": str(plan.valide_par) if plan.valide_par_id else "",
        "edite_le": date_fr(timezone.now()),
        "contrat": contrat.intitule if contrat else "",
        "contrat_signe_le": date_fr(contrat.date_signature) if contrat else "",
        "signataires": [
            {
                "type": signataire.get_type_display(),
                "organisme": signataire.organisme,
                "representant": signataire.representant,
                "qualite": signataire.qualite,
                "date": date_fr(signataire.date_signature),
            }
            for signataire in (contrat.signataires.all() if contrat else [])
        ],
        "fiches": [
            {
                "numero": rang,
                "titre": fiche.titre,
                "axe": fiche.axe_libelle,
                "themes": ", ".join(fiche.themes),
                "phase": f"{fiche.phase_libelle} ({fiche.phase_statut_libelle.lower()})",
                "porteur": fiche.porteur_nom
                + (f" ({fiche.porteur_type_libelle})" if fiche.porteur_type_libelle else ""),
                "commune": fiche.commune_nom,
                "budget": euros(fiche.budget),
                "financements": fiche.plan_de_financement,
                "impact": fiche.impact,
                "description": fiche.description,
                "objectifs": fiche.objectifs,
                "partenaires": fiche.partenaires,
            }
            for rang, fiche in enumerate(fiches, start=1)
        ],
        "total_budget": euros(somme.budget),
        "total_acquis": euros(somme.acquis),
        "total_sollicite": euros(somme.sollicite),
        "nombre_de_fiches": somme.fiches,
    }


def annexe_docx(plan: PlanAction, fiches: list[FicheDuPlan], contrat: ContratTerritoire | None) -> bytes:
    return remplir_modele(MODELE_ANNEXE, contexte_annexe(plan, fiches, contrat))
