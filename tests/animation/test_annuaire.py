"""The directory of the network: signed-in members only (others: 404); nobody listed without consent; only what each
person chose to show; consent stored with its date and withdrawable at once; search by région, territory, theme."""

import pytest
from django.urls import reverse

from ti.animation.models_annuaire import FicheAnnuaire
from ti.comptes.models import Role
from ti.core.models import Journal

from ..factories import CommuneFactory, DepartementFactory, TerritoireFactory, utilisateur_avec


def consentir(client, personne, **champs):
    client.force_login(personne)
    donnees = {"consentement": "on", "fonction": "", "presentation": "", "telephone": "", "themes": [],
               "montrer_organisation": "on"} | champs  # fmt: skip
    return client.post(reverse("animation:ma_fiche"), donnees)


@pytest.fixture
def chef(territoire_cvl):
    return utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_cvl, utilisateur__nom="Chef",
                            utilisateur__email="camille@est-loiret.example",
                            utilisateur__organisation="PETR Gâtinais")  # fmt: skip


def annuaire(client, **criteres) -> str:
    return client.get(reverse("animation:annuaire"), criteres).content.decode()


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("anonyme", 302),
        ("porteur", 404),
        ("consultant", 404),
        ("instructeur_cvl", 200),
        ("chef_cvl", 200),
        ("equipe_nationale", 200),
    ],
)
def test_reserve_aux_membres_du_reseau(client, personne, qui, statut):
    if qui != "anonyme":
        client.force_login(personne(qui))
    assert client.get(reverse("animation:annuaire")).status_code == statut


def test_sans_consentement_personne_n_est_liste(client, chef, binome_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert "Camille" not in annuaire(client)
    assert client.get(reverse("animation:ma_fiche")).status_code == 404  # an instructor is not in the directory


def test_seulement_ce_que_la_personne_montre(client, chef, instructeur_cvl):
    consentir(client, chef, fonction="Cheffe de projet industrie", themes=["decarbonation", "foncier"],
              telephone="02 38 00 00 00")  # fmt: skip
    fiche = FicheAnnuaire.objects.get(utilisateur=chef)
    assert fiche.consentement_le is not None and Journal.objects.filter(action="animation.annuaire_consentement")
    client.force_login(instructeur_cvl)
    page = annuaire(client)
    assert "Camille Chef" in page and "Cheffe de projet industrie" in page and "PETR Gâtinais" in page
    assert "Décarbonation, Foncier industriel" in page and "Est du Loiret" in page
    assert "camille@est-loiret.example" not in page and "02 38 00 00 00" not in page  # not chosen to be shown

    consentir(client, chef, montrer_courriel="on", montrer_telephone="on", telephone="02 38 00 00 00")
    client.force_login(instructeur_cvl)
    page = annuaire(client)
    assert "camille@est-loiret.example" in page and "02 38 00 00 00" in page


def test_consentement_sans_case_cochee_refuse(client, chef):
    reponse = consentir(client, chef, consentement="")
    assert reponse.status_code == 200 and not FicheAnnuaire.objects.exists()


def test_telephone_montre_sans_telephone(client, chef):
    reponse = consentir(client, chef, montrer_telephone="on")
    assert "Indiquez le téléphone à montrer" in reponse.content.decode()
    assert not FicheAnnuaire.objects.exists()


def test_le_retrait_sort_de_l_annuaire_a_l_instant(client, chef, instructeur_cvl):
    consentir(client, chef, fonction="Cheffe de projet", themes=["foncier"])
    client.post(reverse("animation:retirer_fiche"))
    fiche = FicheAnnuaire.objects.get(utilisateur=chef)
    assert fiche.consentement_le is None and fiche.retrait_le is not None
    assert (fiche.fonction, fiche.expertises.count()) == ("", 0)  # what the person wrote is erased
    assert Journal.objects.filter(action="animation.annuaire_retrait").exists()
    client.force_login(instructeur_cvl)
    assert "Camille" not in annuaire(client)


def test_retirer_sans_fiche(client, chef):
    client.force_login(chef)
    reponse = client.post(reverse("animation:retirer_fiche"), follow=True)
    assert "Vous ne figurez pas dans l’annuaire du réseau." in reponse.content.decode()


def test_une_habilitation_retiree_sort_de_l_annuaire(client, chef, instructeur_cvl):
    consentir(client, chef)
    chef.habilitations.update(revoquee_le="2026-01-01T00:00Z")
    client.force_login(instructeur_cvl)
    assert "Camille" not in annuaire(client)


def test_recherche_par_region_territoire_et_theme(client, chef, territoire_bretagne, referent_region_cvl, cvl):
    breton = utilisateur_avec(
        Role.BINOME, territoire=territoire_bretagne, utilisateur__prenom="Yann", utilisateur__nom="Binôme"
    )
    consentir(client, chef, themes=["decarbonation"])
    consentir(client, breton, themes=["foncier"])
    referent_region_cvl.prenom, referent_region_cvl.nom = "Rémi", "Référent"
    referent_region_cvl.save()
    consentir(client, referent_region_cvl, themes=["foncier"])
    assert {n for n in ("Camille", "Yann", "Rémi") if n in annuaire(client, region="24")} == {"Camille", "Rémi"}
    assert {n for n in ("Camille", "Yann", "Rémi") if n in annuaire(client, region="53")} == {"Yann"}
    assert {n for n in ("Camille", "Yann", "Rémi") if n in annuaire(client, territoire="lorient")} == {"Yann"}
    assert {n for n in ("Camille", "Yann", "Rémi") if n in annuaire(client, theme="foncier")} == {"Yann", "Rémi"}
    assert "Un critère de recherche n’est pas valide" in annuaire(client, region="99")


def test_annuaire_en_requetes_bornees(client, cvl, instructeur_cvl, django_assert_max_num_queries):
    loiret = DepartementFactory(code="18", nom="Cher", region=cvl)

    def membres(n):
        for i in range(n):
            territoire = TerritoireFactory(nom=f"Territoire {i}", communes=[CommuneFactory(departement=loiret)])
            consentir(client, utilisateur_avec(Role.CHEF_PROJET, territoire=territoire), themes=["foncier", "autre"])

    membres(2)
    client.force_login(instructeur_cvl)
    with django_assert_max_num_queries(8):  # session, user, habilitations, entries, régions, expertise
        annuaire(client, theme="foncier")
    membres(20)
    client.force_login(instructeur_cvl)
    with django_assert_max_num_queries(8):
        assert annuaire(client, theme="foncier").count("Autre, Foncier industriel") == 22
