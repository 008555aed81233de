"""Import of a territory's fiches-action from a spreadsheet: reading, every error with its line and column, writing
everything or nothing. The pages (upload, preview, confirmation, template) are in test_import_pages.py."""

import codecs
import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from ti.core.models import Journal
from ti.projets import importer
from ti.projets.actions import imports as actions
from ti.projets.actions import plans
from ti.projets.models import LigneFinancement, PlanAction, Projet, StatutFinancement
from ti.referentiel.models import CommuneRattachee

from .conftest import SIRET_INVALIDE, SIRET_VALIDE

ENTETES = [
    "Titre *",
    "Axe *",
    "Thèmes",
    "Porteur",
    "SIRET du porteur",
    "Type de porteur",
    "Courriel du référent",
    "Phase",
    "Statut de la phase",
    "Commune",
    "Date de début",
    "Date de fin",
    "Budget (€)",
    "Emplois créés",
    "Public",
    "Financeur 1",
    "Montant 1 (€)",
    "Statut du financement 1",
    "Financeur 2",
    "Montant 2 (€)",
]
CAMPUS = {
    "Titre *": "Campus des métiers de l’industrie",
    "Axe *": "Recruter",
    "Thèmes": "Compétences et attractivité des métiers ; Réindustrialisation",
    "Porteur": "Lycée Édouard-Branly",
    "SIRET du porteur": SIRET_VALIDE,
    "Type de porteur": "Organisme de formation",
    "Courriel du référent": "direction@lycee-branly.fr",
    "Phase": "Étude",
    "Statut de la phase": "En retard",
    "Commune": "28134",
    "Date de début": "01/09/2025",
    "Date de fin": "2027-06-30",
    "Budget (€)": "1 250 000,50 €",
    "Emplois créés": "8",
    "Public": "oui",
    "Financeur 1": "Conseil régional",
    "Montant 1 (€)": "400 000",
    "Statut du financement 1": "Acquis",
    "Financeur 2": "État",
    "Montant 2 (€)": "250000.5",
}
FRICHE = {"Titre *": "Reconversion de la friche Béghin", "Axe *": "attirer", "Commune": "Vernouillet"}


def fichier_csv(*lignes: dict, entetes=ENTETES, separateur=";", encodage="utf-8") -> bytes:
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=separateur, lineterminator="\r\n")
    ecrivain.writerow(entetes)
    for ligne in lignes:
        ecrivain.writerow([ligne.get(entete, "") for entete in entetes])
    return sortie.getvalue().encode(encodage)


def fichier_xlsx(*lignes: list, entetes=ENTETES) -> bytes:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(entetes)
    for ligne in lignes:
        feuille.append(ligne)
    classeur.create_sheet("Autre feuille").append(["ignorée"])
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def analyser(territoire, contenu: bytes, nom="fiches.csv") -> importer.Analyse:
    return importer.analyser(territoire=territoire, contenu=contenu, nom_fichier=nom)


def erreurs(analyse) -> list[str]:
    return [str(erreur) for erreur in analyse.erreurs]


def avertissements(analyse) -> list[str]:
    return [str(avertissement) for avertissement in analyse.avertissements]


def importer_fichier(territoire, par, contenu: bytes, nom="fiches.csv", depot=""):
    return actions.importer_projets(territoire=territoire, par=par, contenu=contenu, nom_fichier=nom, depot=depot)


def etat_de_la_base() -> dict:
    """Everything an import writes, to check that a refused one wrote nothing."""
    return {
        "projets": list(Projet.objects.order_by("pk").values_list("pk", "titre", "version")),
        "financements": LigneFinancement.objects.count(),
        "themes": Projet.themes.through.objects.count(),
        "journal": Journal.objects.count(),
        "plans": PlanAction.objects.count(),
    }


# What an import creates ----------------------------------------------------------------------------------------


def test_un_csv_utf8_cree_les_fiches_avec_tous_leurs_champs(territoire_projets, chef_projet):
    projets = importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS, FRICHE))

    assert [p.titre for p in projets] == ["Campus des métiers de l’industrie", "Reconversion de la friche Béghin"]
    campus = Projet.objects.get(titre="Campus des métiers de l’industrie")
    assert campus.territoire == territoire_projets
    assert (campus.axe, campus.phase, campus.phase_statut) == ("recruter", "etude", "en_retard")
    assert (campus.porteur_nom, campus.porteur_siret, campus.porteur_type) == (
        "Lycée Édouard-Branly",
        SIRET_VALIDE,
        "organisme_formation",
    )
    assert campus.referent_email == "direction@lycee-branly.fr"
    assert campus.commune.nom == "Dreux"
    assert (campus.date_debut, campus.date_fin) == (date(2025, 9, 1), date(2027, 6, 30))
    assert campus.budget == Decimal("1250000.50")
    assert campus.emplois_crees == 8
    assert campus.public is True
    assert campus.cree_par == chef_projet
    assert campus.version == 1
    assert set(campus.themes.values_list("code", flat=True)) == {"competences-attractivite", "reindustrialisation"}
    assert list(campus.financements.values_list("financeur", "montant", "statut")) == [
        ("Conseil régional", Decimal("400000.00"), StatutFinancement.ACQUIS),
        ("État", Decimal("250000.50"), StatutFinancement.SOLLICITE),  # the default status
    ]
    assert "lycee edouard branly" in campus.texte_recherche and "dreux" in campus.texte_recherche
    friche = Projet.objects.get(titre="Reconversion de la friche Béghin")
    assert (friche.axe, friche.phase, friche.phase_statut, friche.public) == ("attirer", "idee", "en_cours", False)
    assert friche.commune.code == "28404"  # found by its name within the perimeter


def test_chaque_fiche_importee_a_sa_ligne_de_journal_et_le_territoire_la_sienne(territoire_projets, chef_projet):
    projets = importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS, FRICHE), nom="plan 2025.csv")

    entree = Journal.objects.get(action="projet_cree", objet_id=str(projets[0].pk))
    assert entree.acteur == chef_projet
    assert entree.motif == "Import du fichier plan 2025.csv (ligne 2)"
    assert entree.details["titre"] == [None, "Campus des métiers de l’industrie"]
    assert entree.details["budget"] == [None, "1250000.50"]
    assert entree.details["commune"] == [None, "Dreux (28134)"]
    assert entree.details["themes"] == [None, ["Compétences et attractivité des métiers", "Réindustrialisation"]]
    assert sorted(v[1]["financeur"] for k, v in entree.details.items() if k.startswith("financement.")) == [
        "Conseil régional",
        "État",
    ]
    resume = Journal.objects.get(action="fiches_action_importees")
    assert resume.objet_id == str(territoire_projets.pk)
    assert (resume.details["fichier"], resume.details["fiches-action créées"]) == ("plan 2025.csv", 2)


def test_les_fiches_importees_entrent_dans_le_plan_d_action_en_cours(territoire_projets, chef_projet):
    projets = importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS, FRICHE))

    plan = PlanAction.objects.get(territoire=territoire_projets)
    assert set(plan.projets.all()) == set(projets)


def test_les_fiches_importees_rejoignent_le_brouillon_deja_ouvert(territoire_projets, chef_projet, projet_prive):
    """The brouillon already holds the territory's fiches: the import adds its own to them, without reading the
    others again."""
    plan = plans.plan_courant(territoire=territoire_projets, par=chef_projet)
    assert set(plan.projets.all()) == {projet_prive}

    projets = importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS, FRICHE))

    assert set(plan.projets.all()) == {projet_prive, *projets}
    assert PlanAction.objects.filter(territoire=territoire_projets).count() == 1


def test_csv_latin1_point_virgule_ecrit_par_excel(territoire_projets, chef_projet):
    ligne = {"Titre *": "Décarbonation des fours de l’aciérie – Œuvre commune", "Axe *": "Innover"}
    contenu = fichier_csv(dict(ligne, **{"Budget (€)": "75 000 €"}), encodage="cp1252")
    assert "é".encode("cp1252") in contenu and b"\x80" in contenu  # the euro sign of Windows-1252

    [projet] = importer_fichier(territoire_projets, chef_projet, contenu)

    assert projet.titre == "Décarbonation des fours de l’aciérie – Œuvre commune"
    assert projet.budget == Decimal("75000.00")


def test_csv_utf8_avec_bom_et_virgules(territoire_projets, chef_projet):
    contenu = codecs.BOM_UTF8 + fichier_csv(CAMPUS, separateur=",")

    [projet] = importer_fichier(territoire_projets, chef_projet, contenu)

    assert projet.titre == "Campus des métiers de l’industrie"  # the BOM is not part of the first header
    assert projet.financements.count() == 2


def test_classeur_xlsx_premiere_feuille(territoire_projets, chef_projet):
    entetes = ["Titre *", "Axe *", "Commune", "SIRET du porteur", "Date de début", "Budget (€)", "Emplois créés"]
    contenu = fichier_xlsx(
        ["Hôtel d’entreprises", "SIMPLIFIER", 28007, int(SIRET_VALIDE), date(2025, 1, 15), 1250000.5, 4],
        [None, None, None, None, None, None, None],  # a blank row in the middle is skipped
        ["Atelier partagé", "innover", "Saint-Lubin-des-Joncherets", None, "15/02/2025", "3 000,00 €", None],
        entetes=entetes,
    )

    projets = importer_fichier(territoire_projets, chef_projet, contenu, nom="fiches.xlsx")

    hotel, atelier = sorted(projets, key=lambda p: p.pk)
    assert (hotel.axe, hotel.commune_id, hotel.porteur_siret) == ("simplifier", "28007", SIRET_VALIDE)
    assert (hotel.date_debut, hotel.budget, hotel.emplois_crees) == (date(2025, 1, 15), Decimal("1250000.50"), 4)
    assert (atelier.commune_id, atelier.date_debut, atelier.budget) == ("28348", date(2025, 2, 15), Decimal("3000"))


def test_les_lignes_d_erreur_d_un_xlsx_sont_celles_du_tableur(territoire_projets):
    contenu = fichier_xlsx(["Bon", "Innover"], [None, None], ["", "Innover"], entetes=["Titre", "Axe"])

    assert erreurs(analyser(territoire_projets, contenu)) == [
        "Ligne 4, colonne A « Titre » : Le titre est obligatoire."
    ]


@pytest.mark.parametrize("libelle", ["Innover", "innover", "INNOVER", " Innover ", "innover"])
def test_les_libelles_se_reconnaissent_sans_casse_ni_accents(territoire_projets, libelle):
    ligne = {
        "Titre *": "Essai",
        "Axe *": libelle,
        "Phase": "ETUDE",
        "Statut de la phase": "en_cours",
        "Type de porteur": "etablissement PUBLIC",
        "Thèmes": "ecologie industrielle et territoriale;DECARBONATION",
        "Statut du financement 1": "refuse",
        "Financeur 1": "Ademe",
        "Montant 1 (€)": "10",
    }
    [lue] = analyser(territoire_projets, fichier_csv(ligne)).lignes

    assert lue.valeurs["axe"] == "innover"
    assert (lue.valeurs["phase"], lue.valeurs["phase_statut"]) == ("etude", "en_cours")
    assert lue.valeurs["porteur_type"] == "etablissement_public"
    assert lue.themes == ["ecologie-industrielle", "decarbonation"]
    assert lue.financements[0]["statut"] == "refuse"


@pytest.mark.parametrize(
    "ecrit",
    [
        "1 250 000,50",
        "1250000.5",
        "1 250 000,50 €",
        "1250000,50€",
        "1.250.000,50",
        "1,250,000.50",
        "1\u00a0250\u00a0000,5",
    ],
)
def test_montants_a_la_francaise_ou_non(territoire_projets, ecrit):
    [lue] = analyser(
        territoire_projets, fichier_csv({"Titre *": "Essai", "Axe *": "Innover", "Budget (€)": ecrit})
    ).lignes

    assert lue.budget == Decimal("1250000.50")


def test_les_en_tetes_se_reconnaissent_sans_casse_accents_ni_unite(territoire_projets):
    contenu = fichier_csv(
        {"TITRE": "Essai", "axe": "Innover", "Theme": "Foncier", "budget": "10", "FINANCEUR": "Région", "Montant": "5"},
        entetes=["TITRE", "axe", "Theme", "budget", "FINANCEUR", "Montant"],
    )
    analyse = analyser(territoire_projets, contenu)

    assert analyse.valide, erreurs(analyse)
    [lue] = analyse.lignes
    assert (lue.themes, lue.budget) == (["foncier"], Decimal("10.00"))
    assert lue.financements[0]["financeur"] == "Région"  # « Financeur » alone is line 1


def test_autant_de_lignes_de_financement_que_de_groupes_de_colonnes(territoire_projets, chef_projet):
    entetes = ["Titre", "Axe"] + [f"{nom} {n}" for n in range(1, 6) for nom in ("Financeur", "Montant")]
    ligne = {"Titre": "Essai", "Axe": "Attirer"} | {f"Financeur {n}": f"F{n}" for n in range(1, 6)}
    ligne |= {f"Montant {n}": str(n * 1000) for n in range(1, 6)}

    [projet] = importer_fichier(territoire_projets, chef_projet, fichier_csv(ligne, entetes=entetes))

    assert list(projet.financements.values_list("financeur", flat=True)) == ["F1", "F2", "F3", "F4", "F5"]


# Communes ------------------------------------------------------------------------------------------------------


def test_une_commune_deleguee_est_rattachee_a_son_chef_lieu_avec_un_avertissement(territoire_projets):
    dreux = territoire_projets.communes.get(code="28134")
    CommuneRattachee.objects.create(code="28999", type="commune-deleguee", nom="Ancienne commune", chef_lieu=dreux)

    analyse = analyser(territoire_projets, fichier_csv({"Titre *": "Essai", "Axe *": "Innover", "Commune": "28999"}))

    assert analyse.valide, erreurs(analyse)
    assert analyse.lignes[0].commune == dreux
    assert avertissements(analyse) == [
        "Ligne 2, colonne J « Commune » : Le code 28999 est celui d’une commune déléguée, associée ou d’un "
        "arrondissement : la fiche sera rattachée à Dreux (28134)."
    ]


def test_un_code_postal_du_territoire_est_signale_comme_tel(territoire_projets):
    analyse = analyser(territoire_projets, fichier_csv({"Titre *": "Essai", "Axe *": "Innover", "Commune": "28100"}))

    assert erreurs(analyse) == [
        "Ligne 2, colonne J « Commune » : Code commune « 28100 » inconnu du référentiel géographique (COG). 28100 "
        "est un code postal du territoire : indiquez le code INSEE de la commune, Dreux (28134)."
    ]


def test_deux_communes_homonymes_du_perimetre_demandent_le_code(territoire_projets, eure_et_loir):
    from tests.factories import CommuneFactory
    from ti.territoires.models import CommuneTerritoire

    homonyme = CommuneFactory(code="28999", nom="Anet", departement=eure_et_loir)
    CommuneTerritoire.objects.create(territoire=territoire_projets, commune=homonyme, code_source="28999")

    analyse = analyser(territoire_projets, fichier_csv({"Titre *": "Essai", "Axe *": "Innover", "Commune": "anet"}))

    assert erreurs(analyse) == [
        "Ligne 2, colonne J « Commune » : Plusieurs communes du périmètre s’appellent « anet » : indiquez le code "
        "INSEE (28007, 28999)."
    ]


# Every error, with its line and column -------------------------------------------------------------------------

ERREURS_DE_CELLULE = {
    "titre manquant": ({"Titre *": ""}, "A « Titre * »", "Le titre est obligatoire."),
    "titre trop long": ({"Titre *": "x" * 256}, "A « Titre * »", "Texte trop long : 256 caractères pour 255 au plus."),
    "SIRET à la clé fausse": (
        {"SIRET du porteur": SIRET_INVALIDE},
        "E « SIRET du porteur »",
        f"SIRET « {SIRET_INVALIDE} » invalide : la clé de contrôle de ce SIRET est fausse.",
    ),
    "SIRET trop court": (
        {"SIRET du porteur": "732 829 320"},
        "E « SIRET du porteur »",
        "SIRET « 732 829 320 » invalide : le SIRET doit compter 14 chiffres.",
    ),
    "SIRET en chiffres arabes": (
        {"SIRET du porteur": "٧٣٢٨٢٩٣٢٠٠٠٠٧٤"},
        "E « SIRET du porteur »",
        "SIRET « ٧٣٢٨٢٩٣٢٠٠٠٠٧٤ » invalide : le SIRET s’écrit avec les chiffres de 0 à 9 : « ٠ ٢ ٣ ٤ ٧ ٨ ٩ » "
        "n’en est pas un.",
    ),
    "SIRET en exposant": (
        {"SIRET du porteur": "7328293200007²"},
        "E « SIRET du porteur »",
        "SIRET « 7328293200007² » invalide : le SIRET s’écrit avec les chiffres de 0 à 9 : « ² » n’en est pas un.",
    ),
    "code commune en chiffres pleine chasse": (
        {"Commune": "２８００７"},
        "J « Commune »",
        "Commune « ２８００７ » inconnue du référentiel géographique : vérifiez l’orthographe ou indiquez le code "
        "INSEE.",
    ),
    "code commune inconnu": (
        {"Commune": "99999"},
        "J « Commune »",
        "Code commune « 99999 » inconnu du référentiel géographique (COG).",
    ),
    "nom de commune inconnu": (
        {"Commune": "Atlantide"},
        "J « Commune »",
        "Commune « Atlantide » inconnue du référentiel géographique : vérifiez l’orthographe ou indiquez le code "
        "INSEE.",
    ),
    "commune hors périmètre (code)": (
        {"Commune": "28085"},
        "J « Commune »",
        "La commune Chartres (28085) n’est pas dans le périmètre du territoire Pays de Dreux.",
    ),
    "commune hors périmètre (nom)": (
        {"Commune": "chartres"},
        "J « Commune »",
        "La commune Chartres (28085) n’est pas dans le périmètre du territoire Pays de Dreux.",
    ),
    "code commune sans son zéro": (
        {"Commune": "1053"},
        "J « Commune »",
        "Code commune « 1053 » invalide : 5 caractères attendus (chiffres, ou 2A / 2B pour la Corse). Le zéro "
        "initial a-t-il été supprimé par le tableur ?",
    ),
    "budget négatif": (
        {"Budget (€)": "-500"},
        "M « Budget (€) »",
        "Montant négatif (-500) : il doit être positif ou nul.",
    ),
    "budget non numérique": (
        {"Budget (€)": "beaucoup"},
        "M « Budget (€) »",
        "« beaucoup » n’est pas un montant : écrivez par exemple 1 250 000,50.",
    ),
    "montant de financement négatif": (
        {"Montant 1 (€)": "-1"},
        "Q « Montant 1 (€) »",
        "Montant négatif (-1) : il doit être positif ou nul.",
    ),
    "montant trop grand": (
        {"Budget (€)": "1 000 000 000 000"},
        "M « Budget (€) »",
        "« 1 000 000 000 000 » est trop grand : au plus 10\u00a0000\u00a0000\u00a0000 attendu.",
    ),
    "budget au-delà du plafond métier": (
        {"Budget (€)": "10 000 000 000,01"},
        "M « Budget (€) »",
        "« 10 000 000 000,01 » est trop grand : au plus 10\u00a0000\u00a0000\u00a0000 attendu.",
    ),
    "axe inconnu": (
        {"Axe *": "Produire"},
        "B « Axe * »",
        "Axe inconnu : « Produire » ; valeurs possibles : Recruter, Innover, Attirer, Simplifier.",
    ),
    "axe manquant": (
        {"Axe *": ""},
        "B « Axe * »",
        "L’axe est obligatoire ; valeurs possibles : Recruter, Innover, Attirer, Simplifier.",
    ),
    "phase inconnue": (
        {"Phase": "Chantier"},
        "H « Phase »",
        "Phase inconnue : « Chantier » ; valeurs possibles : Idée, Étude, Opération.",
    ),
    "statut de phase inconnu": (
        {"Statut de la phase": "Fini"},
        "I « Statut de la phase »",
        "Statut de phase inconnu : « Fini » ; valeurs possibles : En cours, En retard, En pause, Bloqué, Abandonné, "
        "Terminé.",
    ),
    "type de porteur inconnu": (
        {"Type de porteur": "Start-up"},
        "F « Type de porteur »",
        "Type de porteur inconnu : « Start-up » ; valeurs possibles : Entreprise, EPCI, Commune, Département, Région, "
        "Association, Organisme de formation, Chambre consulaire, Établissement public, Autre.",
    ),
    "thème inconnu": (
        {"Thèmes": "Innovation ; Tourisme"},
        "C « Thèmes »",
        "Thème inconnu : « Tourisme ». Thèmes possibles, séparés par « ; » : Réindustrialisation, Décarbonation, "
        "Sobriété foncière, Compétences et attractivité des métiers, Innovation, Écologie industrielle et "
        "territoriale, Foncier, Énergie, Mobilités, Logement des salariés.",
    ),
    "statut de financement inconnu": (
        {"Statut du financement 1": "Promis"},
        "R « Statut du financement 1 »",
        "Statut de financement inconnu : « Promis » ; valeurs possibles : Sollicité, Acquis, Refusé.",
    ),
    "fin avant début": (
        {"Date de début": "01/06/2025", "Date de fin": "2025-01-01"},
        "L « Date de fin »",
        "La date de fin (01/01/2025) précède la date de début (01/06/2025).",
    ),
    "date illisible": (
        {"Date de début": "2025/13/01"},
        "K « Date de début »",
        "Date « 2025/13/01 » illisible : écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ.",
    ),
    "date impossible": (
        {"Date de fin": "31/02/2027"},
        "L « Date de fin »",
        "Date « 31/02/2027 » impossible : ce jour n’existe pas.",
    ),
    "courriel invalide": (
        {"Courriel du référent": "direction@"},
        "G « Courriel du référent »",
        "Courriel « direction@ » invalide.",
    ),
    "emplois non entiers": ({"Emplois créés": "2,5"}, "N « Emplois créés »", "« 2,5 » n’est pas un nombre entier."),
    "emplois au-delà du plafond métier": (
        {"Emplois créés": "9223372036854775807"},
        "N « Emplois créés »",
        "« 9223372036854775807 » est trop grand : au plus 100\u00a0000 attendu.",
    ),
    "public ni oui ni non": ({"Public": "peut-être"}, "O « Public »", "« peut-être » : répondez « oui » ou « non »."),
    "financeur sans montant": (
        {"Montant 1 (€)": ""},
        "Q « Montant 1 (€) »",
        "Financement 1 : le montant manque.",
    ),
    "montant sans financeur": (
        {"Financeur 2": ""},
        "S « Financeur 2 »",
        "Financement 2 : le financeur manque.",
    ),
}


@pytest.mark.parametrize("changement,colonne,message", ERREURS_DE_CELLULE.values(), ids=ERREURS_DE_CELLULE.keys())
def test_chaque_erreur_est_rapportee_avec_sa_ligne_et_sa_colonne(
    territoire_projets, commune_hors_territoire, changement, colonne, message
):
    analyse = analyser(territoire_projets, fichier_csv(CAMPUS, FRICHE, CAMPUS | changement))

    assert erreurs(analyse) == [f"Ligne 4, colonne {colonne} : {message}"]
    assert not analyse.valide
    assert [ligne.erreurs for ligne in analyse.lignes] == [0, 0, 1]


def test_un_melange_de_bonnes_et_de_mauvaises_lignes_n_ecrit_rien(territoire_projets, chef_projet, projet_prive):
    avant = etat_de_la_base()
    contenu = fichier_csv(
        CAMPUS,
        CAMPUS | {"Titre *": "", "SIRET du porteur": SIRET_INVALIDE},
        FRICHE,
        FRICHE | {"Axe *": "Produire", "Commune": "99999"},
        CAMPUS | {"Budget (€)": "-1", "Date de fin": "01/01/2020"},
        FRICHE | {"Titre *": "Une bonne ligne de plus"},
    )

    with pytest.raises(actions.ImportRefuse) as refus:
        importer_fichier(territoire_projets, chef_projet, contenu)

    assert erreurs(refus.value.analyse) == [
        "Ligne 3, colonne A « Titre * » : Le titre est obligatoire.",
        f"Ligne 3, colonne E « SIRET du porteur » : SIRET « {SIRET_INVALIDE} » invalide : la clé de contrôle de ce "
        "SIRET est fausse.",
        "Ligne 5, colonne B « Axe * » : Axe inconnu : « Produire » ; valeurs possibles : Recruter, Innover, Attirer, "
        "Simplifier.",
        "Ligne 5, colonne J « Commune » : Code commune « 99999 » inconnu du référentiel géographique (COG).",
        "Ligne 6, colonne L « Date de fin » : La date de fin (01/01/2020) précède la date de début (01/09/2025).",
        "Ligne 6, colonne M « Budget (€) » : Montant négatif (-1) : il doit être positif ou nul.",
    ]
    assert refus.value.analyse.lignes_en_erreur == 3
    assert etat_de_la_base() == avant


def test_une_ligne_aux_valeurs_decalees_est_signalee(territoire_projets):
    contenu = b"Titre,Axe,Budget\nBon,Innover,10\nUsine, atelier et bureaux,Innover,10\n"

    assert erreurs(analyser(territoire_projets, contenu)) == [
        "Ligne 3 : La ligne compte 4 valeurs pour 3 colonnes : un texte contenant le séparateur n’est-il pas entouré "
        "de guillemets ? Les valeurs étant décalées, la ligne n’est pas lue plus avant."
    ]


# Warnings: they do not prevent the import ----------------------------------------------------------------------


def test_un_titre_en_double_dans_le_fichier_est_signale_sans_bloquer(territoire_projets):
    analyse = analyser(
        territoire_projets, fichier_csv(CAMPUS, FRICHE, CAMPUS | {"Titre *": "CAMPUS des metiers de l'industrie"})
    )

    assert analyse.valide
    assert avertissements(analyse) == [
        "Ligne 4, colonne A « Titre * » : Le titre « CAMPUS des metiers de l'industrie » figure déjà ligne 2 : deux "
        "fiches-action seront créées."
    ]


def test_un_titre_deja_present_dans_le_territoire_est_signale(territoire_projets, projet_prive):
    analyse = analyser(territoire_projets, fichier_csv(FRICHE | {"Titre *": projet_prive.titre}))

    assert analyse.valide
    assert avertissements(analyse) == [
        f"Ligne 2, colonne A « Titre * » : Une fiche-action du territoire s’intitule déjà « {projet_prive.titre} » : "
        "une seconde sera créée."
    ]


def test_un_titre_deja_present_se_reconnait_sans_casse_accents_ni_ponctuation(territoire_projets, projet_prive):
    titre = "RECONVERSION de la friche-philips."
    analyse = analyser(territoire_projets, fichier_csv(FRICHE | {"Titre *": titre}))

    assert avertissements(analyse) == [
        f"Ligne 2, colonne A « Titre * » : Une fiche-action du territoire s’intitule déjà « {titre} » : une seconde "
        "sera créée."
    ]


def test_un_titre_qui_commence_celui_d_une_fiche_n_est_pas_un_doublon(territoire_projets, projet_prive):
    """Only the fiches whose text starts like a title of the file are read: starting alike is not being alike."""
    analyse = analyser(territoire_projets, fichier_csv(FRICHE | {"Titre *": "Reconversion de la friche"}))

    assert analyse.valide and avertissements(analyse) == []


def test_une_colonne_inconnue_est_signalee_et_ignoree(territoire_projets):
    contenu = fichier_csv(FRICHE | {"Priorité": "haute"}, entetes=["Titre *", "Axe *", "Priorité", "Commune"])
    analyse = analyser(territoire_projets, contenu)

    assert analyse.valide
    assert avertissements(analyse) == [
        "Ligne 1, colonne C « Priorité » : Colonne « Priorité » inconnue : elle est ignorée."
    ]


def test_des_financements_au_dela_du_budget_sont_signales(territoire_projets):
    analyse = analyser(territoire_projets, fichier_csv(CAMPUS | {"Budget (€)": "500 000"}))

    assert analyse.valide
    assert avertissements(analyse) == [
        "Ligne 2, colonne M « Budget (€) » : Le total des financements (650\u00a0000,50\u00a0€) dépasse le budget "
        "(500\u00a0000,00\u00a0€)."
    ]


# Files refused as a whole --------------------------------------------------------------------------------------

FICHIERS_REFUSES = {
    "vide": (b"", "Le fichier est vide."),
    "blanc": (codecs.BOM_UTF8 + b"\r\n \r\n", "Le fichier est vide."),
    "en-tête seule": (b"Titre;Axe\r\n", "Le fichier ne contient que sa ligne d’en-tête, aucune donnée."),
    "colonnes obligatoires absentes": (
        "Intitulé du projet;Budget\nUsine;10\n".encode(),
        "Ligne 1 : Colonnes obligatoires absentes : Titre *, Axe *. Colonnes trouvées : « Intitulé du projet », "
        "« Budget ». Partez du modèle à télécharger.",
    ),
    "colonne obligatoire absente": (
        b"Titre;Commune\nUsine;28134\n",
        "Ligne 1 : Colonne obligatoire absente : Axe *.",
    ),
    "colonne en double": (
        "Titre;Axe;Intitulé\nUsine;Innover;Usine\n".encode(),
        "Ligne 1, colonne C « Intitulé » : Cette colonne fait double emploi avec la colonne A « Titre » : gardez-en "
        "une seule.",
    ),
    "octets illisibles": (
        b"Titre;Axe\nUsine;Innover\nAtelier\x81;Innover\n",
        "Ligne 3 : Fichier illisible : ni UTF-8 ni Windows-1252 (Latin-1), octet 0x81 inattendu. Enregistrez-le au "
        "format « CSV UTF-8 ».",
    ),
    "pas un tableau": (b"%PDF-1.7\n\x00\x01", "Fichier illisible : caractère de contrôle U+0000"),
    "classeur Excel 97-2003": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "Classeur Excel 97-2003 (.xls) non pris en charge : enregistrez-le au format « Classeur Excel (.xlsx) » ou "
        "« CSV UTF-8 ».",
    ),
    "archive qui n'est pas un classeur": (
        b"PK\x03\x04" + b"\x00" * 100,
        "Classeur illisible : ce fichier n’est pas un classeur Excel (.xlsx) valide.",
    ),
    "guillemet resté ouvert": (
        b'Titre;Axe\n"Usine;Innover\n' + b"x" * 140_000,
        "Ligne 3 : CSV illisible : field larger than field limit (131072). Un guillemet est-il resté ouvert ?",
    ),
}


@pytest.mark.parametrize("contenu,message", FICHIERS_REFUSES.values(), ids=FICHIERS_REFUSES.keys())
def test_fichier_refuse_en_entier_avec_un_message_clair(territoire_projets, chef_projet, contenu, message):
    avant = etat_de_la_base()

    with pytest.raises(actions.ImportRefuse) as refus:
        importer_fichier(territoire_projets, chef_projet, contenu)

    assert any(message in str(erreur) for erreur in refus.value.analyse.erreurs), erreurs(refus.value.analyse)
    assert etat_de_la_base() == avant


def test_un_fichier_trop_lourd_est_refuse_sans_etre_lu(territoire_projets):
    contenu = fichier_csv(FRICHE) + b" " * importer.TAILLE_MAX

    assert erreurs(analyser(territoire_projets, contenu)) == [
        "Le fichier pèse 5 Mo : 5 Mo au plus. Découpez-le en plusieurs."
    ]


def test_un_fichier_de_trop_de_lignes_est_refuse(territoire_projets, monkeypatch):
    monkeypatch.setattr(importer, "LIGNES_MAX", 3)
    contenu = fichier_csv(*[FRICHE | {"Titre *": f"Fiche {n}"} for n in range(4)])

    assert erreurs(analyser(territoire_projets, contenu)) == [
        "Le fichier compte plus de 3 lignes de données : découpez-le en plusieurs fichiers."
    ]
    assert analyser(territoire_projets, fichier_csv(*[FRICHE] * 3)).valide


# The action: rights, rollback, a deposit imported once ---------------------------------------------------------


def test_le_binome_ne_peut_pas_importer(territoire_projets, binome):
    with pytest.raises(PermissionDenied):
        importer_fichier(territoire_projets, binome, fichier_csv(FRICHE))
    assert not Projet.objects.exists()


def test_une_panne_au_milieu_de_l_ecriture_ne_laisse_rien(territoire_projets, chef_projet, monkeypatch):
    avant = etat_de_la_base()

    def panne(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(Journal.objects, "bulk_create", panne)  # after the fiches, themes and financing lines

    with pytest.raises(RuntimeError):
        importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS, FRICHE))

    assert etat_de_la_base() == avant


def test_un_meme_depot_ne_s_importe_qu_une_fois(territoire_projets, chef_projet):
    importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS), depot="abc123")

    with pytest.raises(actions.DejaImporte):
        importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS), depot="abc123")
    assert Projet.objects.count() == 1
    importer_fichier(territoire_projets, chef_projet, fichier_csv(CAMPUS), depot="autre")
    assert Projet.objects.count() == 2


def test_l_analyse_fait_un_nombre_fixe_de_requetes(territoire_projets, django_assert_num_queries):
    petit = fichier_csv(CAMPUS, FRICHE)
    grand = fichier_csv(*[CAMPUS | {"Titre *": f"Fiche {n}"} for n in range(200)], FRICHE)

    # themes, perimeter, titles of the territory, communes by code (2), communes by name outside the perimeter
    with django_assert_num_queries(5):
        analyser(territoire_projets, petit)
    with django_assert_num_queries(5):
        analyser(territoire_projets, grand)
