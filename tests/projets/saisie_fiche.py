"""What a browser sends when a fiche-action form is submitted: built from the forms themselves, then changed."""

from ti.projets.forms import FinancementFormSet, ProjetForm
from ti.projets.models import Projet

PREFIXE = "lignes"


def _valeurs(form) -> dict:
    donnees = {}
    for nom in form.fields:
        valeur = form[nom].value()
        cle = form.add_prefix(nom)
        if isinstance(valeur, bool) or valeur is None:
            if valeur:
                donnees[cle] = "on"
            continue
        if isinstance(valeur, list | tuple):
            donnees[cle] = [str(v) for v in valeur]
        else:
            donnees[cle] = str(valeur)
    return donnees


def saisie_existante(projet: Projet, **changements) -> dict:
    """The POST of the edit form left as shown (no new line), with `changements` applied (None removes a key)."""
    form = ProjetForm(instance=projet, territoire=projet.territoire)
    financements = FinancementFormSet(instance=projet, prefix=PREFIXE)
    donnees = _valeurs(form)
    for ligne in financements.initial_forms:
        donnees.update(_valeurs(ligne))
    donnees.update(
        {
            f"{PREFIXE}-TOTAL_FORMS": str(len(financements.initial_forms)),
            f"{PREFIXE}-INITIAL_FORMS": str(len(financements.initial_forms)),
            f"{PREFIXE}-MIN_NUM_FORMS": "0",
            f"{PREFIXE}-MAX_NUM_FORMS": "100",
        }
    )
    return _appliquer(donnees, changements)


def saisie_nouvelle(*lignes: dict, **changements) -> dict:
    """The POST of a complete new fiche in the Pays de Dreux, with financing `lignes` (dicts of the line fields)."""
    donnees = {
        "titre": "Centre de formation aux métiers de la maintenance industrielle",
        "description": "Un plateau technique partagé entre le lycée et les industriels du Drouais.",
        "objectifs": "Former 60 techniciens de maintenance par an.",
        "porteur_nom": "Campus des métiers du Drouais",
        "porteur_siret": "732 829 320 00074",
        "porteur_type": "organisme_formation",
        "referent_prenom": "Claire",
        "referent_nom": "Lemaire",
        "referent_fonction": "Directrice",
        "referent_email": "claire.lemaire@campus-drouais.example",
        "referent_telephone": "02 37 00 00 00",
        "axe": "recruter",
        "themes": ["competences-attractivite", "reindustrialisation"],
        "phase": "etude",
        "phase_statut": "en_cours",
        "commune": "Dreux",
        "date_debut": "2026-01-15",
        "date_fin": "2027-06-30",
        "budget": "450 000",
        "emplois_crees": "8",
        "emplois_maintenus": "20",
        "investissement": "380 000,50",
        "tco2e_evitees": "12,5",
        "hectares": "",
        "partenaires": "Lycée Édouard-Branly\nUIMM Eure-et-Loir",
        "public": "on",
        f"{PREFIXE}-TOTAL_FORMS": str(len(lignes)),
        f"{PREFIXE}-INITIAL_FORMS": "0",
        f"{PREFIXE}-MIN_NUM_FORMS": "0",
        f"{PREFIXE}-MAX_NUM_FORMS": "100",
    }
    for rang, ligne in enumerate(lignes):
        for champ, valeur in {"id": "", "dispositif": "", "statut": "sollicite", **ligne}.items():
            donnees[f"{PREFIXE}-{rang}-{champ}"] = valeur
    return _appliquer(donnees, changements)


def ajouter_ligne(donnees: dict, **ligne) -> dict:
    """One more new line at the end of the formset."""
    rang = int(donnees[f"{PREFIXE}-TOTAL_FORMS"])
    for champ, valeur in {"id": "", "dispositif": "", "statut": "sollicite", **ligne}.items():
        donnees[f"{PREFIXE}-{rang}-{champ}"] = valeur
    donnees[f"{PREFIXE}-TOTAL_FORMS"] = str(rang + 1)
    return donnees


def _appliquer(donnees: dict, changements: dict) -> dict:
    for cle, valeur in changements.items():
        if valeur is None:
            donnees.pop(cle, None)
        else:
            donnees[cle] = valeur
    return donnees
