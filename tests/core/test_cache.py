from django.core.cache import cache

from ti.core.cache import GENERATION, en_cache, generation, invalider


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


def test_generation_perdue_ne_retrouve_pas_les_anciennes_valeurs():
    en_cache("chiffres", lambda: "ancienne")
    cache.delete(GENERATION)  # evicted by the cache
    assert en_cache("chiffres", lambda: "nouvelle") == "nouvelle"


def test_une_valeur_none_est_gardee():
    calcul, appels = compteur()
    en_cache("vide", lambda: appels.append(1))
    en_cache("vide", lambda: appels.append(1))
    assert len(appels) == 1
