"""Editing a territory's profile, governance and partners: who may (role by role), what is written, what is logged."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SCEAU
from ti.core.models import Journal, historique
from ti.territoires import actions
from ti.territoires.actions import CHAMPS_MODIFIABLES, CHAMPS_PARTENAIRE
from ti.territoires.models import Partenaire, StatutChefProjet, Territoire

from .test_pages_donnees import nombre_de_requetes, personnes_autour, programme_exemple, texte


@pytest.fixture
def programme(db):
    return programme_exemple()


@pytest.fixture
def personnes(programme, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return personnes_autour(programme)


@pytest.fixture
def territoire(programme):
    return programme.chateauroux_metropole


def url_de(territoire) -> str:
    return reverse("territoires:modifier", args=[territoire.identifiant])


def formulaire(territoire: Territoire, **changements) -> dict:
    """The POST data of the edit page as a browser sends it unchanged, then `changements` applied."""
    territoire.refresh_from_db()
    donnees = {champ: getattr(territoire, champ) for champ in CHAMPS_MODIFIABLES}
    donnees["motif"] = ""
    partenaires = list(territoire.partenaires.all())
    donnees.update(
        {
            "partenaires-TOTAL_FORMS": len(partenaires) + 1,
            "partenaires-INITIAL_FORMS": len(partenaires),
            "partenaires-MIN_NUM_FORMS": 0,
            "partenaires-MAX_NUM_FORMS": 100,
        }
    )
    for rang, partenaire in enumerate(partenaires):
        donnees[f"partenaires-{rang}-id"] = partenaire.pk
        donnees[f"partenaires-{rang}-territoire"] = territoire.pk
        for champ in CHAMPS_PARTENAIRE:
            donnees[f"partenaires-{rang}-{champ}"] = getattr(partenaire, champ)
    donnees[f"partenaires-{len(partenaires)}-territoire"] = territoire.pk
    donnees.update(changements)
    return donnees


def journal_de(territoire) -> list[Journal]:
    return list(historique(territoire))


# Who may edit: role by role.


def test_un_visiteur_anonyme_est_invite_a_se_connecter(client, territoire):
    reponse = client.get(url_de(territoire))

    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("comptes:connexion"))


@pytest.mark.parametrize("qui", ["porteur", "chef_projet_ailleurs", "instructeur_ailleurs"])
def test_hors_de_son_perimetre_le_territoire_est_introuvable(client, territoire, personnes, qui):
    client.force_login(personnes[qui])

    assert client.get(url_de(territoire)).status_code == 404
    assert client.post(url_de(territoire), formulaire(territoire, chef_projet_nom="Intrus")).status_code == 404
    territoire.refresh_from_db()
    assert territoire.chef_projet_nom == "Claire Martin"
    assert journal_de(territoire) == []


@pytest.mark.parametrize("qui", ["binome", "instructeur_region"])
def test_dans_son_perimetre_sans_le_role_la_modification_est_refusee(client, territoire, personnes, qui):
    client.force_login(personnes[qui])

    assert client.get(url_de(territoire)).status_code == 403
    reponse = client.post(url_de(territoire), formulaire(territoire, chef_projet_nom="Intrus"))

    assert reponse.status_code == 403
    assert "Accès refusé" in reponse.content.decode()
    territoire.refresh_from_db()
    assert territoire.chef_projet_nom == "Claire Martin"
    assert journal_de(territoire) == []


def test_le_chef_de_projet_modifie_son_territoire_et_la_modification_est_journalisee(client, territoire, personnes):
    client.force_login(personnes["chef_projet"])
    formulaire_vide = client.get(url_de(territoire))
    assert formulaire_vide.status_code == 200
    assert 'value="Claire Martin"' in formulaire_vide.content.decode()

    reponse = client.post(
        url_de(territoire),
        formulaire(
            territoire,
            chef_projet_telephone="02 54 08 33 99",
            binome_industriel_entreprise="Ateliers réunis de l’Indre",
            motif="Nouveau standard",
        ),
        follow=True,
    )

    assert reponse.redirect_chain == [(territoire.get_absolute_url(), 302)]
    assert "Les modifications du territoire sont enregistrées." in texte(reponse)
    territoire.refresh_from_db()
    assert territoire.chef_projet_telephone == "02 54 08 33 99"
    assert territoire.binome_industriel_entreprise == "Ateliers réunis de l’Indre"
    (entree,) = journal_de(territoire)
    assert entree.acteur == personnes["chef_projet"]
    assert entree.action == "territoire_modifie"
    assert entree.motif == "Nouveau standard"
    assert entree.details == {
        "chef_projet_telephone": ["02 54 08 33 00", "02 54 08 33 99"],
        "binome_industriel_entreprise": ["Ateliers de l’Indre", "Ateliers réunis de l’Indre"],
    }


def test_l_equipe_nationale_modifie_n_importe_quel_territoire(client, programme, personnes):
    ardeche = programme.ardeche_drome
    client.force_login(personnes["equipe_nationale"])

    reponse = client.post(
        url_de(ardeche),
        formulaire(ardeche, chef_projet_statut=StatutChefProjet.EN_POSTE, chef_projet_nom="Paul Ardèche"),
    )

    assert reponse.status_code == 302
    ardeche.refresh_from_db()
    assert (ardeche.chef_projet_statut, ardeche.chef_projet_nom) == ("en_poste", "Paul Ardèche")
    (entree,) = journal_de(ardeche)
    assert entree.details["chef_projet_statut"] == ["recrutement", "en_poste"]


# What the form accepts.


@pytest.mark.parametrize(
    ("changements", "champ", "message"),
    [
        ({"chef_projet_nom": ""}, "chef_projet_nom", "Indiquez le nom du chef de projet en poste."),
        ({"chef_projet_email": "claire@"}, "chef_projet_email", "Saisissez une adresse de courriel valide."),
        ({"chef_projet_telephone": "appelez-moi"}, "chef_projet_telephone", "Saisissez un numéro de téléphone"),
        ({"chef_projet_statut": "retraite"}, "chef_projet_statut", "Sélectionnez un choix valide"),
    ],
)
def test_une_saisie_invalide_est_signalee_en_francais_et_rien_n_est_ecrit(
    client, territoire, personnes, changements, champ, message
):
    client.force_login(personnes["chef_projet"])

    reponse = client.post(url_de(territoire), formulaire(territoire, **changements))

    assert reponse.status_code == 200
    assert message in " ".join(reponse.context["form"].errors[champ])
    html = texte(reponse)
    assert "Le formulaire contient des erreurs" in html
    assert "<title>Erreur — Modifier" in html
    assert 'aria-invalid="true"' in html
    assert journal_de(territoire) == []


def test_enregistrer_sans_rien_changer_n_ecrit_rien(client, territoire, personnes):
    client.force_login(personnes["chef_projet"])

    reponse = client.post(url_de(territoire), formulaire(territoire), follow=True)

    assert "Aucune modification : le territoire est inchangé." in texte(reponse)
    assert journal_de(territoire) == []


# Partners' contacts.


def test_le_chef_de_projet_ajoute_et_corrige_des_contacts_partenaires(client, territoire, personnes):
    client.force_login(personnes["chef_projet"])
    bpifrance = territoire.partenaires.get()

    reponse = client.post(
        url_de(territoire),
        formulaire(
            territoire,
            **{
                "partenaires-0-email": "j.dupont@bpifrance.fr",
                "partenaires-1-organisme": Partenaire.Organisme.PREFECTURE,
                "partenaires-1-nom": "Sophie Préfète",
                "partenaires-1-fonction": "Sous-préfète à la relance",
            },
        ),
    )

    assert reponse.status_code == 302
    bpifrance.refresh_from_db()
    assert bpifrance.email == "j.dupont@bpifrance.fr"
    prefecture = territoire.partenaires.get(organisme=Partenaire.Organisme.PREFECTURE)
    assert prefecture.nom == "Sophie Préfète"
    (entree,) = journal_de(territoire)
    assert entree.details[f"partenaire.{bpifrance.pk}"][0]["email"] == "jean.dupont@bpifrance.fr"
    assert entree.details[f"partenaire.{bpifrance.pk}"][1]["email"] == "j.dupont@bpifrance.fr"
    assert entree.details[f"partenaire.{prefecture.pk}"] == [
        None,
        {
            "organisme": "prefecture",
            "nom": "Sophie Préfète",
            "fonction": "Sous-préfète à la relance",
            "email": "",
            "telephone": "",
        },
    ]


def test_un_contact_d_un_autre_territoire_ne_peut_pas_etre_modifie_par_le_formulaire(
    client, programme, territoire, personnes
):
    etranger = Partenaire.objects.create(
        territoire=programme.ardeche_drome, organisme=Partenaire.Organisme.ADEME, nom="Contact ardéchois"
    )
    client.force_login(personnes["chef_projet"])

    reponse = client.post(
        url_de(territoire), formulaire(territoire, **{"partenaires-0-id": etranger.pk, "partenaires-0-nom": "Pris"})
    )

    assert reponse.status_code == 200
    assert "Ce contact ne fait pas partie de ce territoire : rechargez la page." in texte(reponse)
    etranger.refresh_from_db()
    assert etranger.nom == "Contact ardéchois"
    assert not Partenaire.objects.filter(nom="Pris").exists()
    assert journal_de(territoire) == []


def test_un_nouveau_contact_incomplet_est_signale(client, territoire, personnes):
    client.force_login(personnes["chef_projet"])

    reponse = client.post(url_de(territoire), formulaire(territoire, **{"partenaires-1-fonction": "Directeur"}))

    assert reponse.status_code == 200
    assert reponse.context["partenaires"].errors[1]["nom"] == ["Ce champ est obligatoire."]
    assert territoire.partenaires.count() == 1


# The action itself.


def test_l_action_n_ecrit_que_les_champs_changes_et_garde_une_modification_concurrente(programme, personnes):
    territoire = programme.chateauroux_metropole
    perime = Territoire.objects.get(pk=territoire.pk)  # read before somebody else's change
    Territoire.objects.filter(pk=territoire.pk).update(description="Écrit entre-temps")

    changements = actions.modifier_territoire(
        territoire=perime, par=personnes["chef_projet"], donnees={"chef_projet_nom": "Claire Martin-Durand"}
    )

    territoire.refresh_from_db()
    assert changements == {"chef_projet_nom": ["Claire Martin", "Claire Martin-Durand"]}
    assert territoire.description == "Écrit entre-temps"
    assert territoire.chef_projet_nom == "Claire Martin-Durand"


def test_l_action_refuse_un_binome_et_n_ecrit_rien(programme, personnes):
    territoire = programme.chateauroux_metropole

    with pytest.raises(PermissionDenied):
        actions.modifier_territoire(territoire=territoire, par=personnes["binome"], donnees={"chef_projet_nom": "X"})

    territoire.refresh_from_db()
    assert territoire.chef_projet_nom == "Claire Martin"
    assert journal_de(territoire) == []


def test_l_action_refuse_les_champs_qui_ne_se_modifient_pas_ici(programme, personnes):
    with pytest.raises(ValueError, match="phase"):
        actions.modifier_territoire(
            territoire=programme.chateauroux_metropole, par=personnes["equipe_nationale"], donnees={"phase": 1}
        )


def test_l_action_se_defait_entierement_si_un_contact_n_appartient_pas_au_territoire(programme, personnes):
    territoire = programme.chateauroux_metropole
    etranger = Partenaire.objects.create(territoire=programme.ardeche_drome, organisme="ademe", nom="Ailleurs")

    with pytest.raises(ValueError, match="n’appartient pas"):
        actions.modifier_territoire(
            territoire=territoire,
            par=personnes["equipe_nationale"],
            donnees={"chef_projet_nom": "Quelqu’un"},
            partenaires=[{"id": etranger.pk, "organisme": "ademe", "nom": "Pris"}],
        )

    territoire.refresh_from_db()
    assert territoire.chef_projet_nom == "Claire Martin"
    assert journal_de(territoire) == []


def test_l_action_s_appelle_par_mots_cles(programme, personnes):
    with pytest.raises(TypeError):
        actions.modifier_territoire(programme.chateauroux_metropole, personnes["chef_projet"], {})


# Bounded queries.


def test_la_page_de_modification_fait_le_meme_nombre_de_requetes_pour_3_ou_30_contacts(
    client, territoire, personnes, django_assert_max_num_queries
):
    def contacts(n, debut=0):
        for i in range(debut, debut + n):
            Partenaire.objects.create(territoire=territoire, organisme="autre", nom=f"Contact {i}")

    def enregistrement(nom) -> int:
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.post(url_de(territoire), formulaire(territoire, **{"partenaires-1-nom": nom}))
        assert reponse.status_code == 302
        return len(requetes)

    client.force_login(personnes["chef_projet"])
    ContentType.objects.get_for_model(Territoire)  # cached per process: the first journal row of a run reads it
    contacts(2)
    peu = nombre_de_requetes(client, url_de(territoire)), enregistrement("Premier renommage")
    contacts(27, debut=2)
    beaucoup = nombre_de_requetes(client, url_de(territoire)), enregistrement("Second renommage")

    assert peu == beaucoup
    assert territoire.partenaires.filter(nom="Second renommage").exists()
    with django_assert_max_num_queries(5):
        client.get(url_de(territoire))
    with django_assert_max_num_queries(14 + SCEAU):
        client.post(url_de(territoire), formulaire(territoire, **{"partenaires-1-nom": "Troisième renommage"}))


def test_les_erreurs_du_territoire_et_des_contacts_s_affichent_ensemble(client, territoire, personnes):
    client.force_login(personnes["chef_projet"])

    reponse = client.post(
        url_de(territoire),
        formulaire(territoire, chef_projet_email="claire@", **{"partenaires-0-telephone": "standard"}),
    )

    assert reponse.status_code == 200
    assert "chef_projet_email" in reponse.context["form"].errors
    assert "telephone" in reponse.context["partenaires"].errors[0]
