import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose email address is already confirmed, unless `verified_email=False`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, password=DEFAULT_PASSWORD, **kwargs):
        return model_class.objects.create_user(*args, password=password, **kwargs)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            verified = extracted is not False
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=verified)
