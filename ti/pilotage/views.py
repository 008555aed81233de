from django.http import HttpResponse


def accueil(request):
    return HttpResponse("À venir")
