"""The actor recorded for changes that no person makes (scheduled jobs)."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "system"


def system_user():
    """An inactive account that cannot sign in; history names it as the author."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Hệ thống", "is_active": False, "is_superuser": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

