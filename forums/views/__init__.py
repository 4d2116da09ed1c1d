"""Pages of the forums app: KKS bodies with their members, and OPD of each kabupaten/kota."""

from django.core.exceptions import ValidationError


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
