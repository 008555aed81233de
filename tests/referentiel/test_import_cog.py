"""`manage.py import_cog` on small files: formats, millésime, all-or-nothing, idempotence, updates."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ti.comptes.models import Role
from ti.referentiel import importer
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Millesime, Region
from ti.referentiel.selectors import resoudre_communes

from ..factories import TerritoireFactory, utilisateur_avec
from .conftest import MONTARGOISE, cog_minimal, ecrire_cog, etat_du_referentiel

pytestmark = pytest.mark.django_db


def import_cog(*args) -> str:
    sortie = StringIO()
    call_command("import_cog", *[str(arg) for arg in args], stdout=sortie)
    return sortie.getvalue()


def test_un_dossier_de_json_compresses_est_importe(cog_2026):
    sortie = import_cog(cog_2026)

    assert sortie.startswith("COG 2026 importé en ")
    assert "2 régions, 2 départements, 1 EPCI, 4 communes, 2 communes rattachées." in sortie
    montargis = Commune.objects.select_related("epci", "departement", "region").get(code="45208")
    assert (montargis.nom, montargis.nom_recherche) == ("Montargis", "montargis")
    assert montargis.departement.nom == "Loiret"
    assert montargis.region.nom == "Centre-Val de Loire"
    assert montargis.epci.nom == "CA Montargoise et Rives du Loing (AME)"
    assert (montargis.siren, montargis.codes_postaux, montargis.population) == ("214502080", "45200", 14826)
    assert Commune.objects.get(code="45191").codes_postaux == "45300 45330"
    epci = Epci.objects.get(siren=MONTARGOISE)
    assert (epci.nature, epci.mode_financement, epci.population) == ("CA", "FPU", 62000)


def test_un_dossier_de_json_non_compresses_est_importe(tmp_path):
    dossier = ecrire_cog(tmp_path / "cog-2026", cog_minimal(), compresse=False)

    assert "4 communes" in import_cog(dossier)
    assert Commune.objects.count() == 4


def test_le_meme_contenu_compresse_ou_non_a_la_meme_empreinte(cog_2026, tmp_path):
    import_cog(cog_2026)
    dossier = ecrire_cog(tmp_path / "autre" / "cog-2026", cog_minimal(), compresse=False)

    assert import_cog(dossier) == "Référentiel COG 2026 déjà à jour : aucun changement.\n"


def test_les_communes_rattachees_pointent_vers_leur_chef_lieu(cog_2026):
    import_cog(cog_2026)

    deleguees = CommuneRattachee.objects.filter(type=CommuneRattachee.Type.DELEGUEE).order_by("code")
    assert [(r.code, r.nom, r.chef_lieu_id) for r in deleguees] == [
        ("45028", "Coudray", "45191"),
        ("45191", "Malesherbes", "45191"),  # same code as its chef-lieu
    ]


def test_une_commune_hors_epci_est_importee_sans_epci(cog_2026):
    import_cog(cog_2026)

    assert Commune.objects.get(code="29155").epci is None


def test_les_collectivites_d_outre_mer_restent_hors_du_referentiel(cog_2026):
    sortie = import_cog(cog_2026)

    assert not Region.objects.filter(code="975").exists()
    assert not Departement.objects.filter(code="975").exists()
    assert not Commune.objects.filter(code="97502").exists()
    assert "Collectivités d’outre-mer laissées hors du référentiel : 1 collectivité(s), 1 commune." in sortie


def test_en_silence_avec_verbosity_0(cog_2026):
    sortie = StringIO()

    call_command("import_cog", str(cog_2026), verbosity=0, stdout=sortie)

    assert sortie.getvalue() == ""
    assert Commune.objects.count() == 4


def test_le_millesime_est_enregistre_avec_l_empreinte_et_les_comptes(cog_2026):
    import_cog(cog_2026)

    millesime = Millesime.objects.get()
    assert millesime.annee == 2026
    assert len(millesime.empreinte) == 64
    assert millesime.comptes == {"regions": 2, "departements": 2, "epcis": 1, "communes": 4, "rattachees": 2}
    assert Millesime.courant() == millesime


def test_l_option_millesime_l_emporte_sur_le_nom_du_dossier(cog_2026):
    import_cog(cog_2026, "--millesime", "2027")

    assert Millesime.objects.get().annee == 2027


def test_sans_annee_dans_le_nom_ni_option_l_import_est_refuse(tmp_path):
    dossier = ecrire_cog(tmp_path / "decoupage", cog_minimal())

    with pytest.raises(CommandError, match="Millésime inconnu.*précisez --millesime"):
        import_cog(dossier)
    assert not Region.objects.exists()


def test_sans_annee_dans_le_nom_l_option_suffit(tmp_path):
    dossier = ecrire_cog(tmp_path / "decoupage", cog_minimal())

    assert import_cog(dossier, "--millesime", "2026").startswith("COG 2026 importé")


def test_un_second_import_des_memes_fichiers_ne_change_rien_et_le_dit(cog_2026, django_assert_max_num_queries):
    import_cog(cog_2026)
    avant = etat_du_referentiel()

    with django_assert_max_num_queries(4):
        sortie = import_cog(cog_2026)

    assert sortie == "Référentiel COG 2026 déjà à jour : aucun changement.\n"
    assert etat_du_referentiel() == avant


def test_des_fichiers_identiques_en_substance_ne_changent_rien(cog_2026, tmp_path):
    """Other bytes (here, indented JSON), same rows: nothing is written but the new fingerprint."""
    import_cog(cog_2026)
    dossier = tmp_path / "indente" / "cog-2026"
    dossier.mkdir(parents=True)
    for nom, contenu in cog_minimal().items():
        (dossier / f"{nom}.json").write_text(json.dumps(contenu, indent=2), encoding="utf-8")
    communes_avant = etat_du_referentiel()["Commune"]

    assert import_cog(dossier) == "Référentiel COG 2026 déjà à jour : aucun changement.\n"
    assert etat_du_referentiel()["Commune"] == communes_avant
    assert import_cog(dossier) == "Référentiel COG 2026 déjà à jour : aucun changement.\n"


def test_un_millesime_plus_ancien_que_le_courant_est_refuse(cog_2026, tmp_path):
    import_cog(cog_2026, "--millesime", "2027")
    avant = etat_du_referentiel()

    with pytest.raises(CommandError, match="déjà au COG 2027 : le COG 2026, plus ancien, est refusé"):
        import_cog(cog_2026)
    assert etat_du_referentiel() == avant


# — Updates: a new millésime or corrected files —


def cog_2027_amilly_fusionnee() -> dict[str, list]:
    """Amilly merges into Montargis (a commune nouvelle keeps the chef-lieu's code); Montargis grows; the EPCI is
    renamed; Ouessant leaves Bretagne's files (as if renumbered) and the whole Finistère with it."""
    contenus = cog_minimal()
    communes = contenus["communes"]
    amilly = next(c for c in communes if c["code"] == "45004")
    communes.remove(amilly)
    communes.append({**amilly, "type": "commune-deleguee", "chefLieu": "45208"})
    for champ in ("siren", "codesPostaux", "population"):
        communes[-1].pop(champ)
    next(c for c in communes if c["code"] == "45208")["population"] = 28326
    contenus["epci"][0]["membres"] = [{"code": "45208"}]
    contenus["epci"][0]["nom"] = "Agglomération Montargoise et rives du Loing"
    contenus["communes"] = [c for c in communes if c["code"] != "29155"]
    contenus["departements"] = [d for d in contenus["departements"] if d["code"] != "29"]
    contenus["regions"] = [r for r in contenus["regions"] if r["code"] != "53"]
    return contenus


def test_un_nouveau_millesime_cree_modifie_et_supprime_ce_qui_a_change(cog_2026, tmp_path):
    import_cog(cog_2026)

    sortie = import_cog(ecrire_cog(tmp_path / "cog-2027", cog_2027_amilly_fusionnee()))

    assert "COG 2027 importé en " in sortie
    assert "1 région, 1 département, 1 EPCI, 2 communes, 3 communes rattachées." in sortie
    assert "  Régions : 0 création(s), 0 modification(s), 1 suppression(s)." in sortie
    assert "  EPCI : 0 création(s), 1 modification(s), 0 suppression(s)." in sortie
    assert "  Communes : 0 création(s), 1 modification(s), 2 suppression(s)." in sortie
    assert "  Communes rattachées : 1 création(s), 0 modification(s), 0 suppression(s)." in sortie
    assert Commune.objects.get(code="45208").population == 28326
    assert not Commune.objects.filter(code__in=["45004", "29155"]).exists()
    assert not Region.objects.filter(code="53").exists()
    assert Epci.objects.get().nom == "Agglomération Montargoise et rives du Loing"
    assert resoudre_communes(["45004"])["45004"].commune.code == "45208"
    assert list(Millesime.objects.values_list("annee", flat=True)) == [2027, 2026]


def test_une_commune_disparue_mais_referencee_est_conservee_et_signalee(cog_2026, tmp_path):
    import_cog(cog_2026)
    territoire = TerritoireFactory(nom="Montargois", communes=list(Commune.objects.filter(code__in=["45004", "29155"])))
    cog_2027 = ecrire_cog(tmp_path / "cog-2027", cog_2027_amilly_fusionnee())

    sortie = import_cog(cog_2027)

    assert "  Communes : 0 création(s), 1 modification(s), 0 suppression(s)." in sortie
    assert (
        "  Communes absentes des fichiers, conservées car encore référencées (2) : Amilly (45004), Ouessant (29155)."
    ) in sortie
    assert "  Régions absentes des fichiers, conservées car encore référencées (1) : Bretagne." in sortie
    assert Commune.objects.filter(code="45004").exists()
    # The kept row does not hide the merger: the old code resolves to the commune nouvelle.
    resolution = resoudre_communes(["45004"])["45004"]
    assert (resolution.commune.code, resolution.via_chef_lieu) == ("45208", True)

    # Still referenced: a re-run says nothing changed, and still reports them.
    sortie = import_cog(cog_2027)
    assert sortie.startswith("Référentiel COG 2027 déjà à jour : aucun changement.\n")
    assert "conservées car encore référencées (2)" in sortie

    # Once the territory no longer points to them, the next run removes them.
    territoire.delete()
    sortie = import_cog(cog_2027)
    assert "  Communes : 0 création(s), 0 modification(s), 2 suppression(s)." in sortie
    assert "  Régions : 0 création(s), 0 modification(s), 1 suppression(s)." in sortie
    assert "conservées" not in sortie
    assert import_cog(cog_2027) == "Référentiel COG 2027 déjà à jour : aucun changement.\n"


def test_un_epci_disparu_encore_dans_un_perimetre_est_conserve(cog_2026, tmp_path):
    """A many-to-many link would be deleted silently with the EPCI: it counts as a reference."""
    import_cog(cog_2026)
    TerritoireFactory().epcis.add(MONTARGOISE)
    contenus = cog_minimal()
    contenus["epci"] = []

    sortie = import_cog(ecrire_cog(tmp_path / "cog-2027", contenus))

    assert "EPCI absents des fichiers, conservés car encore référencés (1)" in sortie
    assert Epci.objects.filter(siren=MONTARGOISE).exists()
    assert Commune.objects.get(code="45208").epci is None


def test_une_region_disparue_mais_habilitee_est_conservee(cog_2026, tmp_path):
    """A foreign key without reverse accessor (related_name="+") counts too."""
    import_cog(cog_2026)
    utilisateur_avec(Role.INSTRUCTEUR, region=Region.objects.get(code="53"))

    sortie = import_cog(ecrire_cog(tmp_path / "cog-2027", cog_2027_amilly_fusionnee()))

    assert "Régions absentes des fichiers, conservées car encore référencées (1) : Bretagne." in sortie
    assert Region.objects.filter(code="53").exists()


# — Malformed input: a clear French message, and the database exactly as it was —


def _sans(cle: str, fichier: str, code: str):
    def alterer(contenus):
        next(e for e in contenus[fichier] if e["code"] == code).pop(cle)

    return alterer


def _remplacer(fichier: str, code: str, **valeurs):
    def alterer(contenus):
        next(e for e in contenus[fichier] if e["code"] == code).update(valeurs)

    return alterer


def _ajouter(fichier: str, enregistrement):
    def alterer(contenus):
        contenus[fichier].append(enregistrement)

    return alterer


CAS_INVALIDES = {
    "clé manquante": (
        _sans("nom", "communes", "45208"),
        "communes.json, enregistrement n° 1 (code 45208) : clé(s) « nom » absente(s) ou vide(s).",
    ),
    "région inconnue": (
        _remplacer("departements", "45", region="99"),
        "departements.json, enregistrement (code 45) : région « 99 » inconnue.",
    ),
    "département inconnu": (
        _remplacer("communes", "45208", departement="46"),
        "communes.json, enregistrement (code 45208) : département « 46 » inconnu.",
    ),
    "région incohérente": (
        _remplacer("communes", "45208", region="53"),
        "région « 53 » différente de celle de son département.",
    ),
    "chef-lieu inconnu": (
        _remplacer("communes", "45028", chefLieu="45999"),
        "chef-lieu « 45999 » de la commune-deleguee introuvable parmi les communes actuelles.",
    ),
    "déléguée sans chef-lieu": (_sans("chefLieu", "communes", "45028"), "clé « chefLieu » absente ou vide"),
    "type inconnu": (_remplacer("communes", "29155", type="commune-fantome"), "type « commune-fantome » inconnu."),
    "commune en double": (
        _ajouter("communes", {**cog_minimal()["communes"][0], "nom": "Montargis bis"}),
        "(code 45208) : commune actuelle en double.",
    ),
    "membre d'EPCI inconnu": (
        _remplacer("epci", MONTARGOISE, membres=[{"code": "45999"}]),
        "membre « 45999 » introuvable parmi les communes actuelles.",
    ),
    "commune dans deux EPCI": (
        _ajouter(
            "epci",
            {"code": "200000001", "nom": "CC Bis", "type": "CC", "populationTotale": 1, "membres": [{"code": "45004"}]},
        ),
        "la commune 45004 est déjà membre de l’EPCI 244500203.",
    ),
    "EPCI sans membres": (_sans("membres", "epci", MONTARGOISE), "clé « membres » absente"),
    "nature d'EPCI inconnue": (_remplacer("epci", MONTARGOISE, type="SIVU"), "nature « SIVU » inconnue."),
    "population négative": (
        _remplacer("communes", "45208", population=-3),
        "« population » doit être un entier positif.",
    ),
    "enregistrement qui n'est pas un objet": (_ajouter("regions", "24"), "un objet JSON était attendu."),
}


@pytest.mark.parametrize("alterer, message", CAS_INVALIDES.values(), ids=CAS_INVALIDES.keys())
def test_des_fichiers_incoherents_ne_changent_rien(cog_2026, tmp_path, alterer, message):
    import_cog(cog_2026)
    avant = etat_du_referentiel()
    contenus = cog_minimal()
    contenus["communes"][0]["population"] += 1  # so that the content differs from the imported one
    alterer(contenus)

    with pytest.raises(CommandError) as erreur:
        import_cog(ecrire_cog(tmp_path / "corrige" / "cog-2026", contenus))

    assert str(erreur.value).startswith("Import du COG impossible : ")
    assert "rien n’a été modifié" in str(erreur.value)
    assert message in str(erreur.value)
    assert etat_du_referentiel() == avant


def test_tous_les_problemes_sont_listes_d_un_coup(cog_2026):
    contenus = cog_minimal()
    _remplacer("departements", "45", region="99")(contenus)
    _sans("nom", "communes", "29155")(contenus)
    (cog_2026 / "departements.json.gz").write_bytes(gzip.compress(json.dumps(contenus["departements"]).encode()))
    (cog_2026 / "communes.json.gz").write_bytes(gzip.compress(json.dumps(contenus["communes"]).encode()))

    with pytest.raises(CommandError) as erreur:
        import_cog(cog_2026)

    assert "région « 99 » inconnue" in str(erreur.value)
    assert "(code 29155) : clé(s) « nom » absente(s)" in str(erreur.value)
    assert not Region.objects.exists()


def test_une_longue_liste_de_problemes_est_abregee(cog_2026):
    contenus = cog_minimal()
    contenus["communes"] += [{"code": f"45{n:03d}"} for n in range(500, 540)]
    ecrire_cog(cog_2026, contenus)

    with pytest.raises(CommandError) as erreur:
        import_cog(cog_2026)

    assert "Import du COG impossible : 40 problème(s)" in str(erreur.value)
    assert "… et 10 autre(s)." in str(erreur.value)


def test_un_fichier_manquant_ne_change_rien(cog_2026, tmp_path):
    import_cog(cog_2026)
    avant = etat_du_referentiel()
    dossier = ecrire_cog(tmp_path / "incomplet" / "cog-2026", cog_minimal())
    (dossier / "epci.json.gz").unlink()

    with pytest.raises(CommandError, match=r"Fichier epci\.json \(ou epci\.json\.gz\) introuvable"):
        import_cog(dossier)
    assert etat_du_referentiel() == avant


def test_un_dossier_inexistant_est_signale(tmp_path):
    with pytest.raises(CommandError, match="Le dossier « .*cog-2026 » n’existe pas."):
        import_cog(tmp_path / "cog-2026")


def test_un_json_invalide_ne_change_rien(cog_2026, tmp_path):
    import_cog(cog_2026)
    avant = etat_du_referentiel()
    dossier = ecrire_cog(tmp_path / "casse" / "cog-2026", cog_minimal(), compresse=False)
    (dossier / "communes.json").write_text('[{"code": "45208",\n  "nom": }]', encoding="utf-8")

    with pytest.raises(CommandError, match="communes.json : JSON invalide, ligne 2, colonne 10."):
        import_cog(dossier)
    assert etat_du_referentiel() == avant


def test_un_gzip_corrompu_est_signale(cog_2026):
    (cog_2026 / "regions.json.gz").write_bytes(b"ceci n'est pas du gzip")

    with pytest.raises(CommandError, match=r"regions\.json\.gz : lecture impossible"):
        import_cog(cog_2026)


def test_un_fichier_qui_n_est_pas_en_utf8_est_signale(tmp_path):
    dossier = ecrire_cog(tmp_path / "cog-2026", cog_minimal(), compresse=False)
    departements = json.dumps(cog_minimal()["departements"], ensure_ascii=False)  # Finistère
    (dossier / "departements.json").write_bytes(departements.encode("latin-1"))

    with pytest.raises(CommandError, match="departements.json : le fichier n’est pas encodé en UTF-8."):
        import_cog(dossier)


def test_un_fichier_qui_n_est_pas_une_liste_est_signale(cog_2026):
    (cog_2026 / "epci.json.gz").write_bytes(gzip.compress(b'{"code": "244500203"}'))

    with pytest.raises(CommandError, match="epci.json.gz : une liste d’enregistrements était attendue."):
        import_cog(cog_2026)


def test_deux_versions_d_un_meme_fichier_sont_refusees(cog_2026):
    ecrire_cog(cog_2026, {"regions": cog_minimal()["regions"]}, compresse=False)

    with pytest.raises(CommandError, match="regions.json et regions.json.gz sont tous deux présents"):
        import_cog(cog_2026)


def test_une_erreur_pendant_l_ecriture_annule_tout(cog_2026, tmp_path, monkeypatch):
    import_cog(cog_2026)
    avant = etat_du_referentiel()

    def panne(*args, **kwargs):
        raise RuntimeError("panne de la base")

    monkeypatch.setattr(importer, "_retirer_absents", panne)  # after every creation and update
    with pytest.raises(RuntimeError, match="panne de la base"):
        import_cog(ecrire_cog(tmp_path / "cog-2027", cog_2027_amilly_fusionnee()))
    assert etat_du_referentiel() == avant
