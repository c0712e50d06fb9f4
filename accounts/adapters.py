from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Cartonify's hooks into allauth's flows; extend here, not by patching views."""
