import factory

from generation.tests.factories import OutputFactory
from sharing.models import Share


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    output = factory.SubFactory(OutputFactory)
    show_prompt = False
