"""Opening an account or granting a habilitation, sent twice, is done once (ti/core/envois.py)."""

from django.urls import reverse

from ti.comptes.models import Role, Utilisateur

from ..projets.test_envoi_unique import jeton_de


def test_le_compte_ouvert_deux_fois(client, equipe_nationale):
    client.force_login(equipe_nationale)
    url = reverse("comptes:creer_compte")
    donnees = {
        "email": "lea.dupont@loiret.gouv.fr",
        "prenom": "Léa",
        "nom": "Dupont",
        "jeton_envoi": jeton_de(client.get(url)),
    }

    premier, second = client.post(url, donnees), client.post(url, donnees)

    nouveau = Utilisateur.objects.get(email="lea.dupont@loiret.gouv.fr")
    assert premier["Location"] == second["Location"] == reverse("comptes:utilisateur", args=[nouveau.pk])


def test_l_habilitation_accordee_deux_fois(client, equipe_nationale, sans_habilitation):
    client.force_login(equipe_nationale)
    url = reverse("comptes:accorder", args=[sans_habilitation.pk])
    donnees = {"role": Role.PORTEUR, "siret": "912 345 675 00017", "jeton_envoi": jeton_de(client.get(url))}

    for _ in range(2):
        assert client.post(url, donnees).status_code == 302

    assert sans_habilitation.habilitations.count() == 1
