"""A DRF test client signed in with a user's token, as another system calls the API."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_for(user, language=None) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    client.credentials(HTTP_AUTHORIZATION="Token " + token.key, **extra)
    return client
