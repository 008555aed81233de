"""The attestation of attendance: the person who came and the organisers; nobody else, and nobody who did not come."""

from django.urls import reverse

from ti.animation import actions
from ti.animation.models import Inscription


def _url(inscription):
    return reverse("animation:attestation", args=[inscription.evenement_id, inscription.pk])


def test_attestation_pour_qui_est_venu(client, passe_avec_inscrits, chef_projet_cvl, equipe_nationale):
    evenement = passe_avec_inscrits
    venu, absent = evenement.inscriptions.filter(statut="inscrit").order_by("pk")[:2]
    actions.noter_presences(evenement=evenement, par=evenement.organisateur, presents={venu.pk})

    client.force_login(venu.participant)
    assert _url(venu) in client.get(evenement.get_absolute_url()).content.decode()
    page = client.get(_url(venu)).content.decode()
    assert "Attestation de présence" in page and venu.participant.get_full_name() in page
    assert client.get(_url(absent)).status_code == 404  # not present: no attestation

    client.force_login(absent.participant)
    assert client.get(_url(venu)).status_code == 404  # someone else's
    assert "Mon attestation de présence" not in client.get(evenement.get_absolute_url()).content.decode()
    client.force_login(chef_projet_cvl)
    assert client.get(_url(venu)).status_code == 404
    for organisateur in (evenement.organisateur, equipe_nationale):
        client.force_login(organisateur)
        assert client.get(_url(venu)).status_code == 200
    assert Inscription.objects.filter(present=True).count() == 1
