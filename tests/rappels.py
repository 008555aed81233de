"""The on-commit callbacks a test looks at: those of the domain, without the cache's generation bumps that every
write schedules (ti/core/cache.py), so that a test counts the jobs and e-mails it is about."""

from ti.core import cache


def du_domaine(rappels: list) -> list:
    return [rappel for rappel in rappels if rappel not in (cache._suivante, cache._pages_suivantes)]
