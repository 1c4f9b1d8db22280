import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user(
        "curator", "curator@example.org", "not-used-in-tests-123"
    )
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def curator_client(curator) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=curator)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
