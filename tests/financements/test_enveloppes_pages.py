"""Pages of the dispositifs and their envelopes: read by the programme's agents, changed by the national team."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import DispositifFactory, DossierFactory, EnveloppeFactory, RegionFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.financements.models import Enveloppe, Statut, TransfertCredits

M = Decimal
NBSP = "\xa0"


def affiche(montant: str) -> str:
    """An amount as the templates show it: « 5 600 000,00 » then a non-breaking space and the euro sign."""
    return montant.replace(" ", NBSP) + "&nbsp;€"


@pytest.fixture
def dispositif(db):
    return DispositifFactory(montant=M("10000000.00"))


@pytest.fixture
def env_cvl(dispositif, cvl):
    return EnveloppeFactory(dispositif=dispositif, region=cvl, montant=M("5600000.00"))


@pytest.fixture
def env_bretagne(dispositif, bretagne):
    return EnveloppeFactory(dispositif=dispositif, region=bretagne, montant=M("3000000.00"))


def url(nom, dispositif=None):
    return reverse(f"financements:{nom}", args=[dispositif.code] if dispositif else [])


def repartition(regions, montants, motif=""):
    donnees = {
        "enveloppes-TOTAL_FORMS": str(len(regions)),
        "enveloppes-INITIAL_FORMS": str(len(regions)),
        "motif": motif,
    }
    for i, (region, montant) in enumerate(zip(regions, montants, strict=True)):
        donnees[f"enveloppes-{i}-region"] = region.code
        donnees[f"enveloppes-{i}-montant"] = montant
    return donnees


def creer_regions(nombre):
    return [RegionFactory(code=f"{10 + i}", nom=f"Région {i:02d}") for i in range(nombre)]


# Reading.


def test_liste_des_dispositifs_avec_leurs_totaux(client, env_cvl, env_bretagne, instructeur_cvl):
    client.force_login(instructeur_cvl)
    reponse = client.get(url("dispositifs"))
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert env_cvl.dispositif.nom in texte
    assert affiche("10 000 000,00") in texte  # the dispositif
    assert affiche("8 600 000,00") in texte  # its envelopes


def test_un_porteur_ne_lit_pas_les_dispositifs(client, dispositif):
    porteur = utilisateur_avec(Role.PORTEUR, siret="73282932000074")
    client.force_login(porteur)
    assert client.get(url("dispositifs")).status_code == 403
    assert client.get(url("dispositif", dispositif)).status_code == 403


def test_anonyme_renvoye_a_la_connexion(client, dispositif):
    reponse = client.get(url("dispositif", dispositif))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("comptes:connexion"))


def test_dispositif_inconnu_404(client, equipe_nationale, db):
    client.force_login(equipe_nationale)
    assert client.get(reverse("financements:dispositif", args=["inconnu"])).status_code == 404


def test_detail_avec_jauges_et_transferts(client, env_cvl, env_bretagne, equipe_nationale, instructeur_cvl):
    DossierFactory(enveloppe=env_cvl, statut=Statut.ACCEPTE, aide_demandee=M("300000"), montant_accorde=M("250000"))
    TransfertCredits.objects.create(
        depuis=env_bretagne, vers=env_cvl, montant=M("1000.00"), par=equipe_nationale, motif="Rééquilibrage"
    )
    client.force_login(instructeur_cvl)
    texte = client.get(url("dispositif", env_cvl.dispositif)).content.decode()
    assert "Volet 2 — compétences" in texte
    assert affiche("250 000,00") in texte  # accordé in CVL
    assert affiche("5 350 000,00") in texte  # reste in CVL
    assert "Rééquilibrage" in texte
    assert reverse("financements:enveloppe", args=[env_cvl.pk]) in texte  # its own région: the gauge page
    assert reverse("financements:enveloppe", args=[env_bretagne.pk]) not in texte
    assert url("repartir", env_cvl.dispositif) not in texte  # no action for an instructor


@pytest.mark.parametrize("nombre", [3, 13])
def test_pages_en_requetes_bornees(client, equipe_nationale, dispositif, nombre, django_assert_max_num_queries):
    for i, region in enumerate(creer_regions(nombre)):
        enveloppe = EnveloppeFactory(dispositif=dispositif, region=region, montant=M("500000"))
        DossierFactory(enveloppe=enveloppe, statut=Statut.PROPOSE, montant_propose=M("1000"))
        if i:
            TransfertCredits.objects.create(
                depuis=enveloppe, vers=enveloppe, montant=M("1"), par=equipe_nationale, motif=f"Transfert {i}"
            )
    client.force_login(equipe_nationale)
    for nom in ("dispositifs", "dispositif", "repartir", "transferer"):
        with django_assert_max_num_queries(8):
            reponse = client.get(url(nom, None if nom == "dispositifs" else dispositif))
        assert reponse.status_code == 200


# Split.


def test_l_instructeur_ne_repartit_ni_ne_transfere(client, env_cvl, env_bretagne, instructeur_cvl):
    client.force_login(instructeur_cvl)
    dispositif = env_cvl.dispositif
    assert client.get(url("repartir", dispositif)).status_code == 403
    assert client.post(url("repartir", dispositif), repartition([env_cvl.region], ["1"])).status_code == 403
    assert client.get(url("transferer", dispositif)).status_code == 403
    reponse = client.post(
        url("transferer", dispositif),
        {"depuis": env_cvl.pk, "vers": env_bretagne.pk, "montant": "1", "motif": "Motif"},
    )
    assert reponse.status_code == 403
    assert Enveloppe.objects.get(pk=env_cvl.pk).montant == M("5600000.00")
    assert not TransfertCredits.objects.exists()


def test_repartir_en_francais(client, env_cvl, bretagne, equipe_nationale, django_assert_max_num_queries):
    client.force_login(equipe_nationale)
    page = client.get(url("repartir", env_cvl.dispositif)).content.decode()
    assert f"Total actuel : <strong>{affiche('5 600 000,00')}</strong>" in page
    with django_assert_max_num_queries(30):
        reponse = client.post(
            url("repartir", env_cvl.dispositif),
            repartition([bretagne, env_cvl.region], ["4 400 000,00 €", "5 600 000"], motif="Notification 2024"),
        )
    assert reponse.status_code == 302
    assert dict(Enveloppe.objects.values_list("region_id", "montant")) == {"24": M("5600000"), "53": M("4400000")}
    assert Journal.objects.filter(action="enveloppe_fixee", motif="Notification 2024").count() == 1


def test_chaque_montant_porte_le_nom_de_sa_region(client, env_cvl, bretagne, equipe_nationale):
    Enveloppe.objects.filter(pk=env_cvl.pk).update(montant_accorde=M("1000"))
    client.force_login(equipe_nationale)
    reponse = client.get(url("repartir", env_cvl.dispositif))
    formulaires = {form["montant"].label: form for form in reponse.context["formset"]}
    assert set(formulaires) == {"Bretagne", "Centre-Val de Loire"}
    page = reponse.content.decode()
    cvl = formulaires["Centre-Val de Loire"]["montant"]
    libelle = r"\s*Centre-Val de Loire\s\(Optionnel\)\s*<"  # an empty amount is 0: the field is optional
    assert re.search(rf'<label for="{cvl.id_for_label}" class="fr-label">{libelle}', page)
    assert f"Déjà accordé : 1{NBSP}000,00{NBSP}€, le minimum de cette enveloppe." in page


def test_repartir_au_dela_du_dispositif_explique_et_ne_change_rien(client, env_cvl, bretagne, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(
        url("repartir", env_cvl.dispositif), repartition([bretagne, env_cvl.region], ["4 400 000,01", "5 600 000"])
    )
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert (
        f"Les enveloppes totalisent 10{NBSP}000{NBSP}000,01{NBSP}€ : c’est 0,01{NBSP}€ de plus que le montant "
        f"du dispositif (10{NBSP}000{NBSP}000,00{NBSP}€)." in texte
    )
    assert f"dépassement de <strong>{affiche('0,01')}</strong>" in texte
    assert list(Enveloppe.objects.values_list("region_id", "montant")) == [("24", M("5600000.00"))]


def test_repartir_sous_l_accorde_explique(client, env_cvl, equipe_nationale):
    Enveloppe.objects.filter(pk=env_cvl.pk).update(montant_accorde=M("1000000"))
    client.force_login(equipe_nationale)
    reponse = client.post(url("repartir", env_cvl.dispositif), repartition([env_cvl.region], ["999 999"]))
    assert reponse.status_code == 200
    assert "Centre-Val de Loire a déjà accordé 1\xa0000\xa0000,00\xa0€" in reponse.content.decode()
    assert Enveloppe.objects.get().montant == M("5600000.00")


def test_repartir_un_montant_illisible(client, env_cvl, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(url("repartir", env_cvl.dispositif), repartition([env_cvl.region], ["beaucoup"]))
    assert reponse.status_code == 200
    assert "Saisissez un nombre" in reponse.content.decode()
    assert Enveloppe.objects.get().montant == M("5600000.00")


# Transfer.


def test_transferer_des_credits(client, env_cvl, env_bretagne, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(
        url("transferer", env_cvl.dispositif),
        {"depuis": env_cvl.pk, "vers": env_bretagne.pk, "montant": "600 000,00", "motif": "Sous-consommation"},
    )
    assert reponse.status_code == 302
    assert dict(Enveloppe.objects.values_list("region_id", "montant")) == {"24": M("5000000"), "53": M("3600000")}
    assert TransfertCredits.objects.get().motif == "Sous-consommation"
    assert Journal.objects.filter(action__startswith="transfert_credits").count() == 2


@pytest.mark.parametrize(
    "changement, message",
    [
        ({"motif": ""}, "Ce champ est obligatoire"),
        ({"montant": "0"}, "doit être positif"),
        ({"vers": "depuis"}, "Choisissez une enveloppe différente"),
        ({"montant": "600 000,01"}, "peut céder au plus 600\xa0000,00\xa0€"),
    ],
)
def test_transfert_refuse_explique(client, env_cvl, env_bretagne, equipe_nationale, changement, message):
    Enveloppe.objects.filter(pk=env_cvl.pk).update(montant_accorde=M("5000000"))
    client.force_login(equipe_nationale)
    donnees = {"depuis": env_cvl.pk, "vers": env_bretagne.pk, "montant": "1000", "motif": "Motif"} | changement
    if donnees["vers"] == "depuis":
        donnees["vers"] = env_cvl.pk
    reponse = client.post(url("transferer", env_cvl.dispositif), donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not TransfertCredits.objects.exists()
    assert dict(Enveloppe.objects.values_list("region_id", "montant")) == {"24": M("5600000"), "53": M("3000000")}


@pytest.mark.parametrize(
    "total",
    ["200", "2", "0", "-1", "beaucoup", None],
    ids=["200-lignes", "une-de-trop", "aucune", "negatif", "illisible", "absent"],
)
def test_un_formulaire_de_repartition_trafique_est_refuse_clairement(client, env_cvl, equipe_nationale, total):
    """A tampered management form (TOTAL_FORMS) is a clear error, never a 500, and changes nothing."""
    client.force_login(equipe_nationale)
    donnees = repartition([env_cvl.region], ["6 000 000"])
    if total is None:
        del donnees["enveloppes-TOTAL_FORMS"]
    else:
        donnees["enveloppes-TOTAL_FORMS"] = total
    reponse = client.post(url("repartir", env_cvl.dispositif), donnees)
    assert reponse.status_code == 200
    assert "La liste des régions a changé : rechargez la page." in reponse.content.decode()
    assert Enveloppe.objects.get().montant == M("5600000.00")
