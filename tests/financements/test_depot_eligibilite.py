"""Eligibility before a dossier exists: each refusal with its precise reason, then the dossier created in draft."""

from datetime import date

import pytest
from django.urls import reverse

from ti.core.models import Journal
from ti.financements.models import Dossier, Statut, Volet
from ti.projets.models import TypePorteur

from ..factories import (
    SCEAU,
    CommuneFactory,
    DepartementFactory,
    DossierFactory,
    EnveloppeFactory,
    TerritoireFactory,
)
from .conftest import SIRET_AUTRE_PORTEUR, SIRET_PORTEUR

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(dispositif):
    return reverse("financements:eligibilite", args=[dispositif.code])


def donnees(**autres):
    return {
        "intitule": "Récupération de chaleur fatale sur le four n°2",
        "siret": SIRET_PORTEUR,
        "porteur_nom": "Fonderie du Gâtinais",
        "porteur_type": TypePorteur.ENTREPRISE,
        "volet": Volet.INVESTISSEMENT,
        "commune": "45208",
        "investissement_non_demarre": "on",
        **autres,
    }


def erreurs(reponse) -> str:
    form = reponse.context["form"]
    return " ".join(str(e) for liste in form.errors.values() for e in liste)


@pytest.fixture
def soumettre(client, porteur, url, territoire_fv, enveloppe_cvl, django_assert_max_num_queries):
    client.force_login(porteur)

    def _soumettre(**autres):
        with django_assert_max_num_queries(16 + SCEAU):
            return client.post(url, donnees(**autres))

    return _soumettre


def test_la_page_s_affiche_au_porteur(client, porteur, url, django_assert_max_num_queries):
    client.force_login(porteur)
    with django_assert_max_num_queries(6):
        reponse = client.get(url)
    assert reponse.status_code == 200
    assert "Vérifier l’éligibilité" in reponse.content.decode()


def test_un_non_porteur_est_refuse(client, instructeur_cvl, url):
    client.force_login(instructeur_cvl)
    assert client.get(url).status_code == 403


def test_anonyme_renvoye_vers_la_connexion(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("comptes:connexion"))


def test_eligible_cree_le_brouillon_et_redirige(soumettre, porteur, enveloppe_cvl, territoire_fv, montargis):
    reponse = soumettre()
    dossier = Dossier.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("financements:modifier", args=[dossier.reference])
    assert dossier.reference == "FV2024-24-00001"
    assert dossier.statut == Statut.BROUILLON
    assert (dossier.enveloppe, dossier.territoire, dossier.commune) == (enveloppe_cvl, territoire_fv, montargis)
    assert dossier.deposant == porteur and dossier.investissement_non_demarre
    assert Journal.objects.filter(action="dossier_cree", objet_id=str(dossier.pk)).exists()


def test_le_compteur_suit_l_enveloppe(soumettre, enveloppe_cvl, territoire_fv, montargis):
    DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, reference="FV2024-24-00041")
    soumettre()
    assert Dossier.objects.filter(reference="FV2024-24-00042").exists()


def test_commune_par_son_nom(soumettre, montargis):
    reponse = soumettre(commune="montargis")
    dossier = Dossier.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("financements:modifier", args=[dossier.reference])
    assert dossier.commune == montargis


def test_siret_invalide(soumettre):
    reponse = soumettre(siret="73282932000075")
    assert reponse.status_code == 200
    assert "clé de contrôle de ce SIRET est fausse" in erreurs(reponse)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("siret", ["7328293200007²", "٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "７３２８２９３２０００００７４"])
def test_siret_en_chiffres_non_ascii(soumettre, siret):
    reponse = soumettre(siret=siret)
    assert reponse.status_code == 200
    assert "Le SIRET s’écrit avec les chiffres de 0 à 9" in erreurs(reponse)
    assert not Dossier.objects.exists()


def test_siret_d_une_autre_structure(soumettre):
    reponse = soumettre(siret=SIRET_AUTRE_PORTEUR)
    assert f"Le SIRET {SIRET_AUTRE_PORTEUR} n’est pas celui d’une structure pour laquelle vous êtes habilité" in (
        erreurs(reponse)
    )
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("volet", [Volet.INVESTISSEMENT, Volet.REBOND])
def test_organisme_de_formation_refuse_hors_volet_2(soumettre, volet):
    reponse = soumettre(volet=volet, porteur_type=TypePorteur.ORGANISME_FORMATION)
    assert f"Le {Volet(volet).label} est réservé aux porteurs de type entreprise." in erreurs(reponse)
    assert not Dossier.objects.exists()


def test_collectivite_admise_au_volet_2(soumettre):
    assert soumettre(volet=Volet.COMPETENCES, porteur_type=TypePorteur.EPCI).status_code == 302


def test_commune_hors_territoire_de_phase_2(soumettre, loiret):
    CommuneFactory(code="45234", nom="Orléans", departement=loiret)
    reponse = soumettre(commune="45234")
    assert "Orléans (45234) ne fait partie d’aucun territoire d’industrie de la phase 2" in erreurs(reponse)


def test_commune_d_un_territoire_de_phase_1_seulement(soumettre, loiret):
    gien = CommuneFactory(code="45155", nom="Gien", departement=loiret)
    TerritoireFactory(phase=1, code="2401", communes=[gien])
    assert "ne fait partie d’aucun territoire d’industrie de la phase 2" in erreurs(soumettre(commune="Gien"))


def test_commune_inconnue(soumettre):
    assert "Aucune commune ne porte le code INSEE 99999" in erreurs(soumettre(commune="99999"))


def test_commune_dans_deux_territoires_le_porteur_choisit(soumettre, montargis):
    autre = TerritoireFactory(nom="Gâtinais élargi", code="2498", communes=[montargis])
    reponse = soumettre()
    assert "Montargis fait partie de plusieurs territoires d’industrie : choisissez celui du projet." in (
        erreurs(reponse)
    )
    assert 'name="territoire"' in reponse.content.decode() and "Gâtinais élargi" in reponse.content.decode()
    assert soumettre(territoire=str(autre.pk)).status_code == 302
    assert Dossier.objects.get().territoire == autre


def test_investissement_commence(soumettre):
    reponse = soumettre(investissement_non_demarre="")
    assert "Le Fonds vert ne finance pas un investissement déjà commencé" in erreurs(reponse)


def test_dispositif_clos(soumettre, dispositif):
    dispositif.ouverture, dispositif.cloture = date(2020, 1, 1), date(2020, 12, 31)
    dispositif.save()
    reponse = soumettre()
    assert "est clos depuis le 31 décembre 2020" in erreurs(reponse)
    assert not Dossier.objects.exists()


def test_volet_ferme_par_le_dispositif(soumettre, dispositif):
    dispositif.volets = [Volet.INVESTISSEMENT]
    dispositif.save()
    assert "volet" in soumettre(volet=Volet.REBOND).context["form"].errors


def test_region_sans_enveloppe(client, porteur, url, dispositif, bretagne, django_assert_max_num_queries):
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=bretagne)
    lorient = CommuneFactory(code="56121", nom="Lorient", departement=morbihan)
    TerritoireFactory(nom="Lorient", code="5301", communes=[lorient])
    client.force_login(porteur)
    reponse = client.post(url, donnees(commune="56121"))
    assert "La région Bretagne n’a pas encore d’enveloppe pour ce dispositif" in erreurs(reponse)
    assert not Dossier.objects.exists()


def test_compteurs_distincts_par_region(soumettre, client, dispositif, bretagne):
    soumettre()
    soumettre(intitule="Second projet", commune="Amilly")
    EnveloppeFactory(dispositif=dispositif, region=bretagne)
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=bretagne)
    TerritoireFactory(
        nom="Lorient", code="5301", communes=[CommuneFactory(code="56121", nom="Lorient", departement=morbihan)]
    )
    soumettre(commune="56121")
    assert sorted(Dossier.objects.values_list("reference", flat=True)) == [
        "FV2024-24-00001",
        "FV2024-24-00002",
        "FV2024-53-00001",
    ]


def test_nom_de_commune_ambigu(soumettre, loiret):
    CommuneFactory(code="45900", nom="Saint-Martin-d’Abbat", departement=loiret)
    CommuneFactory(code="45901", nom="Saint-Martin-sur-Ocre", departement=loiret)
    assert "Plusieurs communes répondent à « saint-martin » : précisez son code INSEE" in erreurs(
        soumettre(commune="saint-martin")
    )
