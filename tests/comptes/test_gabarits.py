"""Small template and e-mail helpers of the accounts app."""

from datetime import timedelta

import pytest
from django.core import mail

from ti.comptes import actions
from ti.comptes.templatetags.comptes import duree


@pytest.mark.parametrize(
    ("delai", "texte"),
    [
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1), "1 heure"),
        (timedelta(hours=2, minutes=30), "2 heures et 30 minutes"),
        (None, ""),
    ],
)
def test_duree_du_verrouillage_en_toutes_lettres(delai, texte):
    assert duree(delai) == texte


def test_les_liens_des_courriels_suivent_site_url(
    settings, equipe_nationale, django_capture_on_commit_callbacks, executer_travaux
):
    settings.SITE_URL = "https://territoires-industrie.example"
    with django_capture_on_commit_callbacks(execute=True):
        actions.creer_compte(par=equipe_nationale, email="lea@exemple.fr", prenom="Léa", nom="Dupont")
    executer_travaux()
    (message,) = mail.outbox
    assert "https://territoires-industrie.example/comptes/mot-de-passe/nouveau/" in message.body
    assert "https://territoires-industrie.example/comptes/connexion/" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
