from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """Staff, committee members and experts sign in with their user name or e-mail."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        User = get_user_model()
        field = "email__iexact" if "@" in username else "username"
        user = User.objects.filter(**{field: username}).first()
        if user is None:
            User().set_password(password)  # same work for unknown accounts (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
