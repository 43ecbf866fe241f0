from django.shortcuts import render


def index(request):
    return render(request, "edition_migration/index.html")
