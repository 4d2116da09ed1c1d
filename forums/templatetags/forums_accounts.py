"""Template access to the account policy (for the navigation)."""

from django import template

from forums.permissions import shows_account_pages

register = template.Library()


@register.filter
def manages_accounts(user) -> bool:
    return shows_account_pages(user)
