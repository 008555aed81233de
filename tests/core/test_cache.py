import pytest
from django.core.cache import cache
from django.db import transaction

from ti.core.cache import GENERATION, GENERATION_PAGES, en_cache, generation, invalider, invalider_pages


def compteur():
    appels = []

    def calcul():
        appels.append(1)
        return len(appels)

    return calcul, appels


def test_valeur_calculee_une_fois_par_generation():
    calcul, appels = compteur()
    assert en_cache("chiffres", calcul) == 1
    assert en_cache("chiffres", calcul) == 1
    assert len(appels) == 1


def test_invalider_fait_recalculer(db):
    calcul, appels = compteur()
    en_cache("chiffres", calcul)
    invalider()
    assert en_cache("chiffres", calcul) == 2


def test_invalider_de_nouveau_apres_la_validation(db, django_capture_on_commit_callbacks):
    """A reader that computed from the old rows between the write and the commit stored under the generation of
    the write: the commit moves past it."""
    avant = generation()
    with django_capture_on_commit_callbacks(execute=True):
        invalider()
        pendant = generation()
        en_cache("chiffres", lambda: "lignes d’avant la validation")
    assert avant < pendant < generation()
    assert en_cache("chiffres", lambda: "lignes validées") == "lignes validées"


def test_une_transaction_avance_une_seule_fois_apres_la_validation(db, django_capture_on_commit_callbacks):
    """A fiche saved writes several rows (the fiche, its journal row…), each with its signal: one bump after the
    commit serves them all, the figures' one serving the pages too."""
    with django_capture_on_commit_callbacks(execute=True) as apres:
        invalider()
        invalider_pages()
        invalider()
        pendant = generation(), generation(GENERATION_PAGES)
    assert len(apres) == 1
    assert (generation(), generation(GENERATION_PAGES)) == (pendant[0] + 1, pendant[1] + 1)


def test_une_ecriture_annulee_ne_dispense_pas_la_suivante(db, django_capture_on_commit_callbacks):
    """The bump planned by a write whose savepoint rolled back went with it: the next write plans its own."""
    with django_capture_on_commit_callbacks(execute=True) as apres:
        with pytest.raises(RuntimeError), transaction.atomic():
            invalider()
            raise RuntimeError
        avant = generation(), generation(GENERATION_PAGES)
        invalider_pages()
    assert len(apres) == 1
    assert (generation(), generation(GENERATION_PAGES)) == (avant[0], avant[1] + 2)  # now, then after the commit


def test_une_ecriture_dans_un_point_de_sauvegarde_compte_sur_celle_qui_l_englobe(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as apres:
        invalider()
        with transaction.atomic():
            invalider()
    assert len(apres) == 1


@pytest.mark.django_db(transaction=True)
def test_hors_transaction_une_seule_avance():
    """In autocommit the write is committed when its signal runs: the bump made then is the one after the commit."""
    avant = generation(), generation(GENERATION_PAGES)
    invalider()
    assert (generation(), generation(GENERATION_PAGES)) == (avant[0] + 1, avant[1] + 1)


def test_generation_perdue_ne_retrouve_pas_les_anciennes_valeurs():
    en_cache("chiffres", lambda: "ancienne")
    cache.delete(GENERATION)  # evicted by the cache
    assert en_cache("chiffres", lambda: "nouvelle") == "nouvelle"


def test_une_valeur_none_est_gardee():
    calcul, appels = compteur()
    en_cache("vide", lambda: appels.append(1))
    en_cache("vide", lambda: appels.append(1))
    assert len(appels) == 1
