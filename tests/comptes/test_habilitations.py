"""Accounts and habilitations managed by the national team: pages, actions, audit rows and e-mails."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ti.comptes import actions
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import Journal, historique

from ..factories import HabilitationFactory, UtilisateurFactory

LISTE = reverse("comptes:habilitations")
CREER = reverse("comptes:creer_compte")


def accorder_url(utilisateur):
    return reverse("comptes:accorder", args=[utilisateur.pk])


def revoquer_url(habilitation):
    return reverse("comptes:revoquer", args=[habilitation.pk])


def html_de(reponse) -> str:
    return reponse.content.decode()


# Who may come in -----------------------------------------------------------------------------------------------


def pages(personne, habilitation):
    return [
        LISTE,
        CREER,
        reverse("comptes:utilisateur", args=[personne.pk]),
        accorder_url(personne),
        revoquer_url(habilitation),
    ]


def test_anonyme_renvoye_vers_la_connexion(client, chef_projet_cvl):
    for url in pages(chef_projet_cvl, chef_projet_cvl.habilitations.get()):
        reponse = client.get(url)
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("comptes:connexion"))


@pytest.mark.parametrize(
    "persona", ["chef_projet_cvl", "binome_cvl", "instructeur_cvl", "porteur", "consultant", "sans_habilitation"]
)
def test_hors_equipe_nationale_acces_refuse(client, request, persona, sans_habilitation, chef_projet_cvl):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    cible = chef_projet_cvl.habilitations.get()
    for url in pages(sans_habilitation, cible):
        reponse = client.get(url)
        assert reponse.status_code == 403
        assert "Accès refusé" in html_de(reponse)
    assert client.post(accorder_url(user), {"role": Role.EQUIPE_NATIONALE}).status_code == 403
    assert client.post(revoquer_url(cible), {"motif": "essai"}).status_code == 403
    assert client.post(CREER, {"email": "x@exemple.fr", "prenom": "X", "nom": "Y"}).status_code == 403
    assert not Habilitation.objects.filter(utilisateur=user, role=Role.EQUIPE_NATIONALE).exists()
    assert Habilitation.objects.get(pk=cible.pk).active
    assert not Utilisateur.objects.filter(email="x@exemple.fr").exists()


# The list ------------------------------------------------------------------------------------------------------


def test_liste_paginee_en_requetes_bornees(
    client, equipe_nationale, territoire_cvl, cvl, django_assert_max_num_queries
):
    for n in range(60):
        HabilitationFactory(
            utilisateur=UtilisateurFactory(nom=f"Agent{n:03d}"), role=Role.CHEF_PROJET, territoire=territoire_cvl
        )
        HabilitationFactory(role=Role.INSTRUCTEUR, region=cvl)
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(8):
        reponse = client.get(LISTE)
    html = html_de(reponse)
    assert "121 comptes" in html and "page 1 sur 3" in html
    assert html.count(reverse("comptes:utilisateur", args=[0])[:-2]) >= 50
    with django_assert_max_num_queries(8):
        page_3 = client.get(LISTE, {"page": 3})
    assert page_3.status_code == 200
    assert "page 3 sur 3" in html_de(page_3)


def test_recherche_par_adresse_ou_nom(client, equipe_nationale, sans_habilitation, chef_projet_cvl):
    client.force_login(equipe_nationale)
    html = html_de(client.get(LISTE, {"q": "camille.martin"}))
    assert "camille.martin@exemple.fr" in html and chef_projet_cvl.email not in html
    html = html_de(client.get(LISTE, {"q": "MARTIN"}))
    assert "camille.martin@exemple.fr" in html and "1 compte" in html


def test_filtres_par_role_et_region(
    client, equipe_nationale, instructeur_cvl, chef_projet_cvl, instructeur_bretagne, porteur, bretagne
):
    client.force_login(equipe_nationale)
    html = html_de(client.get(LISTE, {"role": Role.INSTRUCTEUR}))
    assert instructeur_cvl.email in html and instructeur_bretagne.email in html
    assert chef_projet_cvl.email not in html and porteur.email not in html
    html = html_de(client.get(LISTE, {"region": "24"}))  # regional roles and territories of the région
    assert instructeur_cvl.email in html and chef_projet_cvl.email in html
    assert instructeur_bretagne.email not in html and porteur.email not in html
    html = html_de(client.get(LISTE, {"role": Role.INSTRUCTEUR, "region": "53"}))
    assert instructeur_bretagne.email in html and instructeur_cvl.email not in html
    assert client.get(LISTE, {"role": "pirate", "region": "zz"}).status_code == 200


# Opening an account ---------------------------------------------------------------------------------------------


def test_ouvrir_un_compte_envoie_le_lien_du_mot_de_passe(
    client, equipe_nationale, django_assert_max_num_queries, django_capture_on_commit_callbacks, executer_travaux
):
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(4):
        assert client.get(CREER).status_code == 200
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(14):
        reponse = client.post(
            CREER,
            {"email": " Lea.Dupont@Loiret.gouv.fr", "prenom": "Léa", "nom": "Dupont", "organisation": "DDT du Loiret"},
        )
    executer_travaux()
    nouveau = Utilisateur.objects.get(email="lea.dupont@loiret.gouv.fr")
    assert reponse["Location"] == reverse("comptes:utilisateur", args=[nouveau.pk])
    assert not nouveau.has_usable_password()
    assert nouveau.habilitations.count() == 0
    entree = historique(nouveau).get()
    assert (entree.action, entree.acteur) == ("compte_ouvert", equipe_nationale)
    (message,) = mail.outbox
    assert message.to == ["lea.dupont@loiret.gouv.fr"]
    assert message.subject == "Territoires d’industrie : votre compte est ouvert"
    # The link lets the person choose a password and log in.
    lien = re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+)", message.body).group(1)
    client.logout()
    formulaire = client.get(lien, follow=True)
    assert "lea.dupont@loiret.gouv.fr" in html_de(formulaire)
    client.post(
        formulaire.redirect_chain[-1][0],
        {"new_password1": "Loiret-Industrie-45", "new_password2": "Loiret-Industrie-45"},
    )
    connexion = client.post(
        reverse("comptes:connexion"), {"username": "lea.dupont@loiret.gouv.fr", "password": "Loiret-Industrie-45"}
    )
    assert connexion.status_code == 302


def test_ouvrir_un_compte_deja_existant_refuse(client, equipe_nationale, sans_habilitation):
    client.force_login(equipe_nationale)
    reponse = client.post(CREER, {"email": "CAMILLE.martin@exemple.fr", "prenom": "C", "nom": "M"})
    assert reponse.status_code == 200
    assert "Un compte existe déjà avec cette adresse électronique" in html_de(reponse)
    assert mail.outbox == []


def test_ouvrir_un_compte_champs_obligatoires(client, equipe_nationale):
    client.force_login(equipe_nationale)
    html = html_de(client.post(CREER, {"email": "pas-une-adresse", "prenom": "", "nom": ""}))
    assert "Saisissez une adresse électronique valide" in html
    assert html.count('fr-message--error">Ce champ est obligatoire') == 2


# Granting -------------------------------------------------------------------------------------------------------


def test_accorder_instructeur_regional(
    client,
    equipe_nationale,
    sans_habilitation,
    cvl,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    executer_travaux,
):
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(7):
        formulaire = client.get(accorder_url(sans_habilitation))
    assert "Accorder une habilitation" in html_de(formulaire)
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(20):
        reponse = client.post(
            accorder_url(sans_habilitation),
            {"role": Role.INSTRUCTEUR, "region": "24", "motif": "Prise de poste au SGAR"},
        )
    executer_travaux()
    assert reponse["Location"] == reverse("comptes:utilisateur", args=[sans_habilitation.pk])
    habilitation = sans_habilitation.habilitations.get()
    assert (habilitation.role, habilitation.region, habilitation.accordee_par) == (
        Role.INSTRUCTEUR,
        cvl,
        equipe_nationale,
    )
    entree = historique(habilitation).get()
    assert (entree.action, entree.acteur, entree.motif) == (
        "habilitation_accordee",
        equipe_nationale,
        "Prise de poste au SGAR",
    )
    assert entree.details["region"] == "24"
    (message,) = mail.outbox
    assert message.to == [sans_habilitation.email]
    assert "Instructeur régional" in message.subject
    assert "Centre-Val de Loire" in message.body
    suite = client.get(reponse["Location"])
    assert "Habilitation accordée" in html_de(suite)


def test_accorder_chef_de_projet_sur_un_territoire(client, equipe_nationale, sans_habilitation, territoire_cvl):
    client.force_login(equipe_nationale)
    client.post(accorder_url(sans_habilitation), {"role": Role.CHEF_PROJET, "territoire": territoire_cvl.pk})
    assert sans_habilitation.habilitations.get().territoire == territoire_cvl


def test_accorder_porteur_avec_siret_valide(client, equipe_nationale, sans_habilitation):
    client.force_login(equipe_nationale)
    client.post(accorder_url(sans_habilitation), {"role": Role.PORTEUR, "siret": "912 345 675 00017"})
    assert sans_habilitation.habilitations.get().siret == "91234567500017"


def test_siret_invalide_refuse(client, equipe_nationale, sans_habilitation):
    client.force_login(equipe_nationale)
    reponse = client.post(accorder_url(sans_habilitation), {"role": Role.PORTEUR, "siret": "91234567500018"})
    assert "La clé de contrôle de ce SIRET est fausse" in html_de(reponse)
    reponse = client.post(accorder_url(sans_habilitation), {"role": Role.PORTEUR, "siret": "1234"})
    assert "Le SIRET doit compter 14 chiffres" in html_de(reponse)
    reponse = client.post(accorder_url(sans_habilitation), {"role": Role.PORTEUR})
    assert "Un porteur de projet est identifié par le SIRET de sa structure" in html_de(reponse)
    assert not sans_habilitation.habilitations.exists()


@pytest.mark.parametrize("siret", ["9123456750001²", "٩١٢٣٤٥٦٧٥٠٠٠١٧", "９１２３４５６７５０００１７"])
def test_siret_en_chiffres_non_ascii_refuse(client, equipe_nationale, sans_habilitation, siret):
    client.force_login(equipe_nationale)
    reponse = client.post(accorder_url(sans_habilitation), {"role": Role.PORTEUR, "siret": siret})
    assert reponse.status_code == 200
    assert "Le SIRET s’écrit avec les chiffres de 0 à 9" in html_de(reponse)
    assert not sans_habilitation.habilitations.exists()


def test_region_manquante_pour_un_role_regional(client, equipe_nationale, sans_habilitation):
    client.force_login(equipe_nationale)
    for role in (Role.INSTRUCTEUR, Role.EXPERT_ADEME, Role.REFERENT_REGION):
        reponse = client.post(accorder_url(sans_habilitation), {"role": role})
        assert reponse.status_code == 200
        assert "Ce rôle s’exerce sur une région : choisissez-la." in html_de(reponse)
    assert not sans_habilitation.habilitations.exists()
    assert not Journal.objects.exists()


def test_territoire_manquant_pour_un_role_territorial(client, equipe_nationale, sans_habilitation, cvl):
    client.force_login(equipe_nationale)
    reponse = client.post(accorder_url(sans_habilitation), {"role": Role.BINOME, "region": "24"})
    assert "Ce rôle s’exerce sur un territoire : choisissez-le." in html_de(reponse)
    assert not sans_habilitation.habilitations.exists()


def test_perimetre_sans_rapport_avec_le_role_ignore(client, equipe_nationale, sans_habilitation, territoire_cvl):
    client.force_login(equipe_nationale)
    client.post(
        accorder_url(sans_habilitation),
        {"role": Role.CONSULTANT, "region": "24", "territoire": territoire_cvl.pk, "siret": "1", "organisme": "Cab"},
    )
    habilitation = sans_habilitation.habilitations.get()
    assert (habilitation.region, habilitation.territoire, habilitation.siret) == (None, None, "")


def test_personne_ne_s_accorde_rien(client, equipe_nationale, cvl):
    client.force_login(equipe_nationale)
    formulaire = html_de(client.get(accorder_url(equipe_nationale)))
    assert "Il s’agit de votre propre compte" in formulaire
    reponse = client.post(accorder_url(equipe_nationale), {"role": Role.INSTRUCTEUR, "region": "24"})
    assert reponse.status_code == 200
    assert "Vous ne pouvez pas modifier vos propres habilitations" in html_de(reponse)
    assert list(equipe_nationale.habilitations.values_list("role", flat=True)) == [Role.EQUIPE_NATIONALE]


def test_habilitation_deja_detenue_refusee(client, equipe_nationale, instructeur_cvl):
    client.force_login(equipe_nationale)
    reponse = client.post(accorder_url(instructeur_cvl), {"role": Role.INSTRUCTEUR, "region": "24"})
    assert "Cette personne détient déjà l’habilitation" in html_de(reponse)
    assert instructeur_cvl.habilitations.count() == 1


def test_compte_desactive_ne_recoit_pas_d_habilitation(client, equipe_nationale, sans_habilitation):
    sans_habilitation.is_active = False
    sans_habilitation.save()
    client.force_login(equipe_nationale)
    reponse = client.post(accorder_url(sans_habilitation), {"role": Role.CONSULTANT})
    assert "Ce compte est désactivé" in html_de(reponse)


def test_l_habilitation_accordee_ouvre_le_perimetre(client, equipe_nationale, sans_habilitation, territoire_cvl):
    client.force_login(equipe_nationale)
    client.post(accorder_url(sans_habilitation), {"role": Role.CHEF_PROJET, "territoire": territoire_cvl.pk})
    client.force_login(sans_habilitation)
    html = html_de(client.get(reverse("comptes:mon_espace")))
    assert reverse("territoires:detail", args=[territoire_cvl.identifiant]) in html


# Revoking -------------------------------------------------------------------------------------------------------


def test_retirer_avec_motif(
    client,
    equipe_nationale,
    chef_projet_cvl,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    executer_travaux,
):
    habilitation = chef_projet_cvl.habilitations.get()
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(5):
        assert "Retirer une habilitation" in html_de(client.get(revoquer_url(habilitation)))
    # + the territory locked and its remaining chefs de projet counted: its status follows (ti/territoires/actions.py)
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(16):
        reponse = client.post(revoquer_url(habilitation), {"motif": "Départ de la cheffe de projet"})
    executer_travaux()
    assert reponse["Location"] == reverse("comptes:utilisateur", args=[chef_projet_cvl.pk])
    habilitation.refresh_from_db()
    assert not habilitation.active
    assert (habilitation.revoquee_par, habilitation.motif) == (equipe_nationale, "Départ de la cheffe de projet")
    entree = historique(habilitation).get()
    assert (entree.action, entree.acteur, entree.motif) == (
        "habilitation_revoquee",
        equipe_nationale,
        "Départ de la cheffe de projet",
    )
    (message,) = mail.outbox
    assert message.to == [chef_projet_cvl.email] and "retirée" in message.subject
    assert "Départ de la cheffe de projet" in message.body
    fiche = html_de(client.get(reponse["Location"]))
    assert "Habilitations retirées" in fiche and "Départ de la cheffe de projet" in fiche


def test_retirer_sans_motif_refuse(client, equipe_nationale, chef_projet_cvl):
    habilitation = chef_projet_cvl.habilitations.get()
    client.force_login(equipe_nationale)
    for motif in ("", "   "):
        reponse = client.post(revoquer_url(habilitation), {"motif": motif})
        assert "Indiquez le motif du retrait." in html_de(reponse)
    habilitation.refresh_from_db()
    assert habilitation.active


def test_personne_ne_se_retire_rien(client, equipe_nationale):
    habilitation = equipe_nationale.habilitations.get()
    client.force_login(equipe_nationale)
    reponse = client.post(revoquer_url(habilitation), {"motif": "essai"})
    assert "Vous ne pouvez pas retirer vos propres habilitations" in html_de(reponse)
    habilitation.refresh_from_db()
    assert habilitation.active


def test_une_habilitation_retiree_ne_se_retire_pas_deux_fois(client, equipe_nationale, chef_projet_cvl):
    habilitation = chef_projet_cvl.habilitations.get()
    actions.revoquer_habilitation(par=equipe_nationale, habilitation=habilitation, motif="Départ")
    client.force_login(equipe_nationale)
    assert "déjà été retirée" in html_de(client.get(revoquer_url(habilitation)))
    with pytest.raises(actions.Refus, match="déjà été retirée"):
        actions.revoquer_habilitation(par=equipe_nationale, habilitation=habilitation, motif="Encore")
    habilitation.refresh_from_db()
    assert habilitation.motif == "Départ"


def test_un_national_retire_l_habilitation_d_un_autre_national(client, equipe_nationale, autre_national):
    habilitation = autre_national.habilitations.get()
    client.force_login(equipe_nationale)
    client.post(revoquer_url(habilitation), {"motif": "Fin de mission à l’ANCT"})
    habilitation.refresh_from_db()
    assert not habilitation.active


# The account page -----------------------------------------------------------------------------------------------


def test_fiche_d_un_compte(client, equipe_nationale, chef_projet_cvl, cvl, django_assert_max_num_queries):
    ancienne = HabilitationFactory(utilisateur=chef_projet_cvl, role=Role.REFERENT_REGION, region=cvl)
    actions.revoquer_habilitation(par=equipe_nationale, habilitation=ancienne, motif="Changement de poste")
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(6):
        html = html_de(client.get(reverse("comptes:utilisateur", args=[chef_projet_cvl.pk])))
    assert "Chef de projet" in html and "Est du Loiret" in html
    assert "Changement de poste" in html
    assert accorder_url(chef_projet_cvl) in html
    assert revoquer_url(chef_projet_cvl.habilitations.get(role=Role.CHEF_PROJET)) in html


def test_sa_propre_fiche_sans_bouton_d_attribution(client, equipe_nationale):
    client.force_login(equipe_nationale)
    html = html_de(client.get(reverse("comptes:utilisateur", args=[equipe_nationale.pk])))
    assert accorder_url(equipe_nationale) not in html
    assert revoquer_url(equipe_nationale.habilitations.get()) not in html
    assert "Vous ne pouvez ni vous accorder ni vous retirer une habilitation" in html


def test_compte_inconnu_404(client, equipe_nationale):
    client.force_login(equipe_nationale)
    assert client.get(reverse("comptes:utilisateur", args=[987654])).status_code == 404
    assert client.get(reverse("comptes:revoquer", args=[987654])).status_code == 404


# The actions on their own (other entry points than the pages) ----------------------------------------------------


def test_les_actions_exigent_l_equipe_nationale(chef_projet_cvl, sans_habilitation, instructeur_cvl):
    with pytest.raises(PermissionDenied):
        actions.accorder_habilitation(par=chef_projet_cvl, utilisateur=sans_habilitation, role=Role.CONSULTANT)
    with pytest.raises(PermissionDenied):
        actions.accorder_habilitation(par=chef_projet_cvl, utilisateur=chef_projet_cvl, role=Role.EQUIPE_NATIONALE)
    with pytest.raises(PermissionDenied):
        actions.revoquer_habilitation(par=chef_projet_cvl, habilitation=instructeur_cvl.habilitations.get(), motif="x")
    with pytest.raises(PermissionDenied):
        actions.creer_compte(par=chef_projet_cvl, email="x@exemple.fr", prenom="X", nom="Y")
    assert not Journal.objects.exists()


def test_l_action_verifie_le_perimetre_meme_sans_formulaire(equipe_nationale, sans_habilitation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.accorder_habilitation(par=equipe_nationale, utilisateur=sans_habilitation, role=Role.INSTRUCTEUR)
    with pytest.raises(ValidationError):
        actions.accorder_habilitation(
            par=equipe_nationale, utilisateur=sans_habilitation, role=Role.PORTEUR, siret="91234567500018"
        )
    assert not sans_habilitation.habilitations.exists()
