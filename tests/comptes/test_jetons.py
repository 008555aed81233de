"""API tokens: created and revoked by their holder in Mon espace, the key shown once, only its hash kept."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.factories import UtilisateurFactory
from ti.comptes import jetons
from ti.comptes.models import JetonApi, Utilisateur
from ti.core.models import Journal

pytestmark = pytest.mark.django_db

CREER = reverse("comptes:creer_jeton")
MON_ESPACE = reverse("comptes:mon_espace")


@pytest.fixture
def agent(db) -> Utilisateur:
    return UtilisateurFactory(email="agent@prefecture.example")


def cle_affichee(reponse) -> str:
    return re.search(r'id="cle-jeton" type="text" value="(ti_[^"]+)"', reponse.content.decode()).group(1)


# Creation -----------------------------------------------------------------------------------------------------------


def test_la_cle_est_montree_une_fois_et_seule_son_empreinte_est_gardee(client, agent):
    client.force_login(agent)

    reponse = client.post(CREER, {"nom": "Tableau de bord régional"})

    assert reponse.status_code == 200
    assert reponse["Cache-Control"] == "no-store"
    cle = cle_affichee(reponse)
    assert len(cle) == 46 and cle.startswith("ti_")
    jeton = JetonApi.objects.get(utilisateur=agent)
    assert jeton.nom == "Tableau de bord régional"
    assert jeton.empreinte == hashlib.sha256(cle.encode()).hexdigest()
    assert jeton.prefixe == cle[:11]
    assert cle not in [getattr(jeton, champ.attname) for champ in JetonApi._meta.concrete_fields]
    # Mon espace lists it by its name and first characters, never the key.
    page = client.get(MON_ESPACE).content.decode()
    assert "Tableau de bord régional" in page and f"{jeton.prefixe}…" in page
    assert cle not in page


def test_la_creation_est_journalisee_sans_la_cle(client, agent):
    client.force_login(agent)

    cle = cle_affichee(client.post(CREER, {"nom": "Script de suivi"}))

    entree = Journal.objects.get(action="jeton_api_cree")
    assert entree.acteur == agent
    assert entree.details == {"nom": "Script de suivi", "prefixe": cle[:11]}
    assert cle not in str(entree.details)


def test_deux_jetons_ont_deux_cles_differentes(agent):
    _, premiere = jetons.creer_jeton(par=agent, nom="Un")
    _, seconde = jetons.creer_jeton(par=agent, nom="Deux")

    assert premiere != seconde


def test_un_jeton_sans_nom_est_refuse(client, agent):
    client.force_login(agent)

    reponse = client.post(CREER, {"nom": "   "})

    assert reponse.status_code == 200
    assert "Donnez un nom au jeton, pour le reconnaître plus tard." in reponse.content.decode()
    assert not JetonApi.objects.exists()


def test_au_dela_de_dix_jetons_actifs_il_faut_en_revoquer_un(client, agent):
    for n in range(jetons.JETONS_ACTIFS_MAX):
        jetons.creer_jeton(par=agent, nom=f"Jeton {n}")
    client.force_login(agent)

    reponse = client.post(CREER, {"nom": "Onzième"})

    assert "Vous avez déjà 10 jetons actifs : révoquez-en un avant d’en créer un autre." in reponse.content.decode()
    assert JetonApi.objects.count() == 10
    jetons.revoquer_jeton(par=agent, jeton=JetonApi.objects.first())
    assert jetons.creer_jeton(par=agent, nom="Onzième")[0].actif


def test_il_faut_etre_connecte(client):
    reponse = client.get(CREER)

    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))
    assert client.post(CREER, {"nom": "Anonyme"}).status_code == 302
    assert not JetonApi.objects.exists()


def test_la_page_de_creation_explique_la_portee_du_jeton(client, agent, django_assert_max_num_queries):
    client.force_login(agent)

    with django_assert_max_num_queries(3):
        page = client.get(CREER).content.decode()

    assert "avec <strong>vos droits</strong>" in page


# Revocation ---------------------------------------------------------------------------------------------------------


def test_le_titulaire_revoque_son_jeton(client, agent):
    jeton, cle = jetons.creer_jeton(par=agent, nom="Ancien script")
    client.force_login(agent)

    reponse = client.post(reverse("comptes:revoquer_jeton", args=[jeton.pk]))

    assert reponse.status_code == 302 and reponse.url == MON_ESPACE
    jeton.refresh_from_db()
    assert jeton.revoque_le is not None
    assert jetons.titulaire(cle) is None
    assert Journal.objects.filter(action="jeton_api_revoque", acteur=agent, objet_id=str(jeton.pk)).exists()
    page = client.get(MON_ESPACE).content.decode()
    assert "Jeton « Ancien script » révoqué : il ne donne plus accès à l’API." in page
    assert "Vous n’avez aucun jeton actif." in page


def test_le_jeton_d_un_autre_est_introuvable(client, agent):
    jeton, _ = jetons.creer_jeton(par=UtilisateurFactory(), nom="Celui d’un autre")
    client.force_login(agent)

    assert client.post(reverse("comptes:revoquer_jeton", args=[jeton.pk])).status_code == 404
    jeton.refresh_from_db()
    assert jeton.actif


def test_l_action_refuse_de_revoquer_le_jeton_d_un_autre(agent):
    jeton, _ = jetons.creer_jeton(par=UtilisateurFactory(), nom="Celui d’un autre")

    with pytest.raises(PermissionDenied):
        jetons.revoquer_jeton(par=agent, jeton=jeton)


def test_un_jeton_deja_revoque(client, agent):
    jeton, _ = jetons.creer_jeton(par=agent, nom="Script")
    jetons.revoquer_jeton(par=agent, jeton=jeton)
    client.force_login(agent)

    reponse = client.post(reverse("comptes:revoquer_jeton", args=[jeton.pk]), follow=True)

    assert "Ce jeton est déjà révoqué." in reponse.content.decode()
    assert Journal.objects.filter(action="jeton_api_revoque").count() == 1


def test_la_revocation_se_fait_par_post(client, agent):
    jeton, _ = jetons.creer_jeton(par=agent, nom="Script")
    client.force_login(agent)

    assert client.get(reverse("comptes:revoquer_jeton", args=[jeton.pk])).status_code == 405


# Recognising a key --------------------------------------------------------------------------------------------------


def test_la_cle_designe_son_titulaire(agent, django_assert_max_num_queries):
    _, cle = jetons.creer_jeton(par=agent, nom="Script")

    with django_assert_max_num_queries(2):  # the token with its holder, and the note of its use
        assert jetons.titulaire(cle) == agent
    with django_assert_max_num_queries(1):  # used a moment ago: not written again
        assert jetons.titulaire(cle) == agent


def test_l_utilisation_est_notee_au_plus_une_fois_par_minute(agent):
    jeton, cle = jetons.creer_jeton(par=agent, nom="Script")
    il_y_a_deux_minutes = timezone.now() - timedelta(minutes=2)
    JetonApi.objects.filter(pk=jeton.pk).update(utilise_le=il_y_a_deux_minutes)

    jetons.titulaire(cle)

    jeton.refresh_from_db()
    assert jeton.utilise_le > il_y_a_deux_minutes


@pytest.mark.parametrize("cle", ["", "ti_", "ti_inconnue", "sans-prefixe", "ti_" + "x" * 200])
def test_une_cle_inconnue_ne_designe_personne(agent, cle):
    jetons.creer_jeton(par=agent, nom="Script")

    assert jetons.titulaire(cle) is None


def test_le_jeton_d_un_compte_desactive_ne_designe_personne(agent):
    _, cle = jetons.creer_jeton(par=agent, nom="Script")
    Utilisateur.objects.filter(pk=agent.pk).update(is_active=False)

    assert jetons.titulaire(cle) is None


def test_mon_espace_en_requetes_bornees(client, agent, django_assert_max_num_queries):
    for n in range(5):
        jetons.creer_jeton(par=agent, nom=f"Jeton {n}")
    client.force_login(agent)

    with django_assert_max_num_queries(5):  # session, user, habilitations, territories, tokens
        page = client.get(MON_ESPACE).content.decode()
    assert page.count("Révoquer</button>") == 5
