from django.shortcuts import render


def home(request):
    return render(request, "qms/home.html")
