"""What the benchmark (`make bench`) needs from the application, active only when the environment sets BENCH=1.

- `CompteurRequetesSQL` counts the SQL queries each request runs and returns the count in the `X-Requetes-SQL`
  header, so that the load tool sees, for every endpoint, how many queries a page costs in production settings
  (DEBUG off, where `connection.queries` is empty). Queries run while a streamed response is iterated happen after
  the headers are sent: they are not in the count.
- `plancher` is the framework floor: the smallest response served through the whole middleware stack, to which
  every endpoint's throughput is compared.

config/settings.py adds the middleware and config/urls.py routes the floor only when BENCH=1: production is unchanged.
"""

from contextlib import ExitStack

from django.db import connections
from django.http import HttpResponse

ENTETE = "X-Requetes-SQL"


class _Compteur:
    def __init__(self):
        self.nombre = 0

    def __call__(self, execute, sql, params, many, context):
        self.nombre += 1
        return execute(sql, params, many, context)


class CompteurRequetesSQL:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        compteur = _Compteur()
        with ExitStack() as pile:
            for alias in connections:  # the wrapper object only: no database connection is opened here
                pile.enter_context(connections[alias].execute_wrapper(compteur))
            response = self.get_response(request)
        response[ENTETE] = str(compteur.nombre)
        return response


def plancher(request):
    """The framework floor: no query, no template, a few bytes."""
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
