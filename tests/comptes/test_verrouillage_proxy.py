"""Lockout behind the reverse proxy: the client's address comes from the trusted proxy only, and failures on an
account from one address never lock that account out from another."""

import pytest
from django.test import RequestFactory

from ti.core.reseau import adresse_client

from ..factories import UtilisateurFactory
from .conftest import MOT_DE_PASSE
from .test_connexion import se_connecter

PROXY = "10.0.0.5"


@pytest.fixture
def derriere_le_proxy(settings):
    settings.PROXYS_DE_CONFIANCE = ["10.0.0.0/24", "fd00::/8"]


def adresse(remote_addr: str, transmise: str | None = None) -> str:
    entetes = {"REMOTE_ADDR": remote_addr}
    if transmise is not None:
        entetes["HTTP_X_FORWARDED_FOR"] = transmise
    return adresse_client(RequestFactory().get("/", **entetes))


def test_derriere_le_proxy_deux_clients_ont_deux_adresses(derriere_le_proxy):
    assert adresse(PROXY, "198.51.100.7") == "198.51.100.7"
    assert adresse(PROXY, "203.0.113.9") == "203.0.113.9"


def test_ce_que_le_client_ecrit_a_gauche_de_son_adresse_est_ignore(derriere_le_proxy):
    # The client sent « X-Forwarded-For: 192.0.2.1 »; the proxy appended the address it saw.
    assert adresse(PROXY, "192.0.2.1, 198.51.100.7") == "198.51.100.7"
    # Two trusted proxies in a row: the client is the first untrusted address from the right.
    assert adresse(PROXY, "192.0.2.1, 198.51.100.7, 10.0.0.9") == "198.51.100.7"
    assert adresse("fd00::1", "2001:db8::42") == "2001:db8::42"


def test_un_en_tete_illisible_laisse_l_adresse_du_proxy(derriere_le_proxy):
    assert adresse(PROXY, "pas-une-adresse") == PROXY
    assert adresse(PROXY) == PROXY


def test_un_x_forwarded_for_venu_d_ailleurs_que_du_proxy_est_ignore(derriere_le_proxy):
    assert adresse("192.0.2.10", "198.51.100.7") == "192.0.2.10"


def test_sans_proxy_de_confiance_l_en_tete_n_est_jamais_lu(settings):
    settings.PROXYS_DE_CONFIANCE = []
    assert adresse(PROXY, "198.51.100.7") == PROXY


@pytest.fixture
def victime(db):
    return UtilisateurFactory(email="victime@exemple.gouv.fr")


def test_l_attaquant_ne_verrouille_pas_la_victime_qui_passe_par_le_meme_proxy(client, victime, derriere_le_proxy):
    for _ in range(5):
        se_connecter(client, victime.email, "mauvais", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")

    bloque = se_connecter(client, victime.email, MOT_DE_PASSE, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert bloque.status_code == 429  # the attacker's address is locked for this account
    depuis_son_poste = se_connecter(
        client, victime.email, MOT_DE_PASSE, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert depuis_son_poste.status_code == 302
    assert client.session["_auth_user_id"] == str(victime.pk)


def test_changer_d_x_forwarded_for_sans_passer_par_le_proxy_ne_contourne_pas_le_verrou(
    client, victime, derriere_le_proxy
):
    for rang in range(5):
        se_connecter(
            client, victime.email, "mauvais", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=f"198.51.100.{rang}"
        )

    reponse = se_connecter(
        client, victime.email, MOT_DE_PASSE, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert reponse.status_code == 429


def test_une_adresse_qui_essaie_beaucoup_de_comptes_est_bornee(client, db, settings):
    settings.AXES_ECHECS_PAR_ADRESSE = 8
    comptes = [UtilisateurFactory(email=f"agent{rang}@exemple.gouv.fr") for rang in range(5)]
    statuts = [
        se_connecter(client, compte.email, "mauvais", REMOTE_ADDR="192.0.2.10").status_code
        for compte in comptes[:4]
        for _ in range(2)  # below the bound per account (5)
    ]

    assert statuts == [200] * 7 + [429]  # the 8th failure from the address reaches its bound
    assert se_connecter(client, comptes[4].email, MOT_DE_PASSE, REMOTE_ADDR="192.0.2.10").status_code == 429
    assert se_connecter(client, comptes[4].email, MOT_DE_PASSE, REMOTE_ADDR="192.0.2.11").status_code == 302
