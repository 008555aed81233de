"""The demo fiches-action of the 12 real Centre-Val de Loire phase 2 territories (`manage.py charger_demo`)."""

from collections import Counter

import pytest
from django.core.management import call_command

from tests.territoires.test_import import vider_la_base
from ti.comptes.demo import creer_utilisateurs_demo
from ti.core.models import Journal
from ti.core.validateurs import cle_luhn_valide, valider_siret
from ti.projets.demo import (
    CHEF_DE_PROJET,
    EQUIPE_NATIONALE,
    DonneesManquantes,
    FichierDemoInvalide,
    charger_projets_demo,
    fiches_demo,
    siret_fictif,
    uuid_de,
)
from ti.projets.models import LigneFinancement, PlanAction, Projet, StatutPlan, Theme, TypePorteur
from ti.projets.selectors_chiffres import chiffres_projets, par_region
from ti.territoires.demo import charger_territoires_cvl
from ti.territoires.importer import importer_territoires
from ti.territoires.models import CommuneTerritoire, Phase, Territoire

NOMBRE_DE_FICHES = 47
FICHES = fiches_demo()


@pytest.fixture(scope="module")
def cog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
        importer_territoires(phase=Phase.TEMPS_2, fichier="data/territoires-industrie/temps2-communes-2026.csv")
    yield
    with django_db_blocker.unblock():
        vider_la_base()


pytestmark = pytest.mark.usefixtures("cog")


@pytest.fixture
def territoires(db):
    charger_territoires_cvl()
    creer_utilisateurs_demo()


@pytest.fixture
def demo(territoires):
    return charger_projets_demo()


def uuid_du(nom: str, cle: str):
    """The demo fiche's uuid, from its territory's identifier (given by the import: found by name)."""
    return uuid_de(Territoire.objects.get(phase=Phase.TEMPS_2, nom=nom).identifiant, cle)


def etat():
    return (
        Projet.objects.count(),
        LigneFinancement.objects.count(),
        PlanAction.objects.count(),
        Journal.objects.count(),
        sorted(Projet.objects.values_list("uuid", "version")),
    )


def test_trois_a_six_fiches_par_territoire(demo):
    assert len(demo) == Projet.objects.count() == NOMBRE_DE_FICHES
    par_territoire = Counter(Projet.objects.values_list("territoire__nom", flat=True))
    assert set(par_territoire) == set(FICHES) and len(FICHES) == 12
    assert all(3 <= n <= 6 for n in par_territoire.values())


def test_charger_deux_fois_ne_change_rien(demo):
    avant = etat()

    assert charger_projets_demo() == []
    assert etat() == avant


def test_une_fiche_modifiee_ou_archivee_n_est_pas_recreee(demo):
    Projet.objects.filter(uuid=uuid_du("Grand Est Touraine", "gpect")).update(titre="GPECT du Val d’Amboise")

    charger_projets_demo()

    assert Projet.objects.count() == NOMBRE_DE_FICHES
    assert Projet.objects.get(uuid=uuid_du("Grand Est Touraine", "gpect")).titre == "GPECT du Val d’Amboise"


def test_les_identifiants_sont_stables(demo):
    attendus = {uuid_du(nom, fiche.cle) for nom, fiches in FICHES.items() for fiche in fiches}

    assert set(Projet.objects.values_list("uuid", flat=True)) == attendus


def test_chaque_commune_est_dans_le_perimetre_de_son_territoire(demo):
    projets = Projet.objects.values_list("territoire_id", "commune_id")
    perimetres = set(CommuneTerritoire.objects.values_list("territoire_id", "commune_id"))

    assert all(commune is not None for _, commune in projets)
    assert set(projets) <= perimetres


def test_les_communes_citees_par_le_communique(demo):
    assert Projet.objects.get(uuid=uuid_du("Berry Sologne", "fabrication-additive")).commune.nom == "Bourges"
    assert Projet.objects.get(uuid=uuid_du("Berry Sologne", "parcours-numerique")).commune.nom == "Vierzon"
    assert Projet.objects.get(uuid=uuid_du("Grand Est Touraine", "gpect")).commune.nom == "Amboise"
    assert (
        Projet.objects.get(uuid=uuid_du("Sologne Val de Cher", "eit-romorantinais")).commune.nom
        == "Romorantin-Lanthenay"
    )
    assert (
        Projet.objects.get(
            uuid=uuid_du("Pays de Dreux – Portes Euréliennes d’Île-de-France", "sobriete-fonciere")
        ).commune.nom
        == "Dreux"
    )


def test_une_commune_sortie_du_perimetre_est_remplacee_par_une_commune_du_perimetre(territoires):
    est = Territoire.objects.get(phase=Phase.TEMPS_2, nom="Est du Loiret")
    CommuneTerritoire.objects.filter(territoire=est, commune_id="45155").delete()  # Gien

    charger_projets_demo()

    friche = Projet.objects.get(uuid=uuid_du("Est du Loiret", "friche-gien"))
    assert friche.commune_id != "45155"
    assert CommuneTerritoire.objects.filter(territoire=est, commune=friche.commune).exists()


def test_tous_les_siret_sont_valides(demo):
    sirets = [s for s in Projet.objects.values_list("porteur_siret", flat=True) if s]

    assert sirets
    for siret in sirets:
        assert valider_siret(siret) == siret
        assert cle_luhn_valide(siret[:9])  # the SIREN too


def test_siret_fictif_deterministe():
    assert siret_fictif("Verrerie du Loing (entreprise fictive)") == siret_fictif(
        "Verrerie du Loing (entreprise fictive)"
    )
    assert siret_fictif("a") != siret_fictif("b")


def test_les_porteurs_prives_sont_fictifs_et_les_publics_sont_les_epci_du_territoire(demo):
    for projet in Projet.objects.select_related("commune__epci"):
        if projet.porteur_type == TypePorteur.EPCI:
            assert projet.porteur_nom == projet.commune.epci.nom
            assert projet.porteur_siret == ""  # no invented establishment number for a real body
        else:
            assert "fictif" in projet.porteur_nom or "fictive" in projet.porteur_nom
            assert projet.porteur_siret


def test_aucune_personne_nommee(demo):
    assert not Projet.objects.exclude(referent_nom="", referent_prenom="", referent_email="", referent_telephone="")


def test_des_fiches_publiques_et_des_fiches_privees(demo):
    publiques = Projet.objects.filter(public=True).count()

    assert 0 < publiques < NOMBRE_DE_FICHES


def test_axes_themes_phases_et_financements_varies(demo):
    chiffres = chiffres_projets(Projet.objects.all())

    assert all(ligne["nombre"] for ligne in chiffres["par_axe"])
    assert {"sobriete-fonciere", "decarbonation", "ecologie-industrielle", "competences-attractivite"} <= {
        ligne["code"] for ligne in chiffres["par_theme"] if ligne["nombre"]
    }
    assert all(phase["nombre"] for phase in chiffres["par_phase"])
    assert all(chiffres["financement"].values())  # requested, acquired and refused lines
    assert 0 < chiffres["part_securisee"] < 100
    assert chiffres["impact"]["emplois_crees"] and chiffres["impact"]["tco2e_evitees"]
    assert chiffres["impact"]["hectares"]
    assert set(Theme.objects.filter(projets__isnull=False).values_list("code", flat=True))


def test_dreux_deborde_sur_la_normandie_et_l_est_du_loiret_sur_la_bourgogne(demo):
    regions = {region.code: region.nb_fiches for region in par_region(Projet.objects.all())}

    assert regions == {
        "24": NOMBRE_DE_FICHES,
        "27": len(FICHES["Est du Loiret"]),
        "28": len(FICHES["Pays de Dreux – Portes Euréliennes d’Île-de-France"]),
    }


def test_ecrites_comme_par_les_actions(demo):
    """Each fiche has its creation journal row, by the demo chef de projet in Est du Loiret, the national team
    elsewhere."""
    auteurs = dict(Projet.objects.values_list("uuid", "cree_par__email"))

    assert auteurs[uuid_du("Est du Loiret", "campus-metiers")] == CHEF_DE_PROJET
    assert auteurs[uuid_du("Berry Sologne", "fabrication-additive")] == EQUIPE_NATIONALE
    creations = Journal.objects.filter(action="projet_cree", objet_type__model="projet")
    assert sorted(creations.values_list("objet_id", flat=True)) == sorted(
        str(pk) for pk in Projet.objects.values_list("pk", flat=True)
    )


def test_le_plan_d_action_de_l_est_du_loiret_en_brouillon(demo):
    plan = PlanAction.objects.get(territoire__nom="Est du Loiret")

    assert (plan.numero, plan.statut) == (1, StatutPlan.BROUILLON)
    assert plan.projets.count() == len(FICHES["Est du Loiret"])


def test_sans_les_territoires_rien_n_est_ecrit(db):
    Territoire.objects.filter(nom="Issoudun").delete()
    creer = pytest.raises(DonneesManquantes, match="Issoudun.*import_territoires --phase 2")
    with creer:
        charger_projets_demo()

    assert not Projet.objects.exists()


def test_sans_les_comptes_de_demonstration_rien_n_est_ecrit(db):
    charger_territoires_cvl()

    with pytest.raises(DonneesManquantes, match="comptes de démonstration"):
        charger_projets_demo()

    assert not Projet.objects.exists()


def test_la_commande_de_demonstration_charge_les_fiches(db, capsys, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the pieces of the demo's dossiers (ti/espace/demo.py)
    call_command("charger_demo")
    assert f"{NOMBRE_DE_FICHES} fiches-action créées" in capsys.readouterr().out

    call_command("charger_demo")
    assert "Aucune fiche-action créée" in capsys.readouterr().out
    assert Projet.objects.count() == NOMBRE_DE_FICHES


def test_le_fichier_de_demo_refuse_un_code_inconnu_en_nommant_la_fiche(tmp_path):
    fichier = tmp_path / "fiches.toml"
    fichier.write_text(
        '[[fiche]]\nterritoire = "Est du Loiret"\ncle = "x"\ntitre = "T"\ndescription = "D"\naxe = "conquerir"\n'
        'themes = []\nphase = "idee"\nstatut = "en_cours"\ncommune = "45208"\nporteur = ""\n'
        'porteur_type = "epci"\nbudget = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(FichierDemoInvalide, match=r"fiches.toml, fiche n° 1 \(Est du Loiret\) : 'conquerir'"):
        fiches_demo(fichier)


def test_le_fichier_de_demo_donne_les_fiches_telles_qu_ecrites():
    campus = FICHES["Est du Loiret"][0]
    assert campus.cle == "campus-metiers" and campus.budget == 850_000
    region = "Conseil régional Centre-Val de Loire"
    assert campus.financements[0] == (region, "Formation et emploi", 250_000, "sollicite")
