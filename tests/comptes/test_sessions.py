"""Signed-in sessions end after a working day (absolute) and after half an hour without a request (idle)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import MOT_DE_PASSE

MON_ESPACE = reverse("comptes:mon_espace")


@pytest.fixture
def instant():
    with time_machine.travel(timezone.now(), tick=False) as voyage:
        yield voyage


def est_renvoye_a_la_connexion(reponse) -> bool:
    return reponse.status_code == 302 and reponse["Location"].startswith(reverse("comptes:connexion") + "?next=")


def test_reglages_documentes():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_INACTIVITE_MAX == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_une_session_inactive_expire(client, porteur, instant):
    client.force_login(porteur)
    instant.shift(timedelta(minutes=29))
    assert client.get(MON_ESPACE).status_code == 200
    instant.shift(timedelta(minutes=29))  # the previous request counted as activity
    assert client.get(MON_ESPACE).status_code == 200
    instant.shift(timedelta(minutes=31))
    reponse = client.get(MON_ESPACE)
    assert est_renvoye_a_la_connexion(reponse)
    assert "_auth_user_id" not in client.session
    page = client.get(reponse["Location"])
    assert "Votre session a expiré" in page.content.decode()


def test_une_session_active_expire_au_bout_de_la_journee(client, instructeur_cvl, instant):
    client.force_login(instructeur_cvl)
    for _ in range(23):  # a request every 20 minutes: never idle
        instant.shift(timedelta(minutes=20))
        assert client.get(MON_ESPACE).status_code == 200
    instant.shift(timedelta(minutes=20, seconds=1))  # 8 h and 1 s after the login
    assert est_renvoye_a_la_connexion(client.get(MON_ESPACE))


def test_l_activite_est_notee_au_plus_une_fois_par_minute(client, porteur, instant):
    """Spares a session write (one UPDATE) on every request."""
    client.force_login(porteur)
    connexion = client.session["vu_le"]
    instant.shift(timedelta(seconds=50))
    client.get(MON_ESPACE)
    assert client.session["vu_le"] == connexion
    instant.shift(timedelta(seconds=20))
    client.get(MON_ESPACE)
    assert client.session["vu_le"] == connexion + 70


def test_cookie_de_session(db, porteur):
    navigateur = Client()
    reponse = navigateur.post(reverse("comptes:connexion"), {"username": porteur.email, "password": MOT_DE_PASSE})
    cookie = reponse.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # ends with the browser
