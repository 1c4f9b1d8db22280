"""API exceptions beyond DRF's own, in the same error format."""

from django.conf import settings
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from rest_framework import serializers, status
from rest_framework.exceptions import APIException


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is referenced by other records and cannot be deleted."
    default_code = "protected"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since you read it (If-Match does not match its ETag)."
    default_code = "precondition_failed"


class _Error409Serializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["protected", "concurrent_change"],
        help_text="protected: other records reference it; concurrent_change: another write "
        "got there first.",
    )
    detail = serializers.CharField(help_text="What references the record, or what to do.")
    attr = serializers.CharField(allow_null=True, help_text="Always null.")


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices, help_text="client_error")
    errors = _Error409Serializer(many=True)


class _Error412Serializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["precondition_failed"], help_text="The ETag did not match."
    )
    detail = serializers.CharField(help_text="What to do about it.")
    attr = serializers.CharField(allow_null=True, help_text="Always null.")


class ErrorResponse412Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices, help_text="client_error")
    errors = _Error412Serializer(many=True)


class TooManyParameters(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Too many query parameters or form fields."
    default_code = "too_many_parameters"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"

    def __init__(self):
        limit = settings.API_MAX_BODY_BYTES
        super().__init__(f"The request body is over the limit of {limit} bytes.")


class UriTooLong(APIException):
    status_code = status.HTTP_414_REQUEST_URI_TOO_LONG
    default_detail = "The URL is too long."
    default_code = "uri_too_long"


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is not reachable; try again shortly."
    default_code = "database_unavailable"
    wait = 5  # seconds, sent as Retry-After


def _error_response_serializer(name: str, type_choices, codes: list[str], help_text: str):
    """An error response schema: its type, and the codes its one error may have."""
    error = type(
        f"{name.replace('ErrorResponse', 'Error')}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.ChoiceField(choices=codes, help_text=help_text),
            "detail": serializers.CharField(help_text="What went wrong, in words."),
            "attr": serializers.CharField(allow_null=True, help_text="Always null."),
        },
    )
    return type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=type_choices, help_text=type_choices[0][0]),
            "errors": error(many=True),
        },
    )


ErrorResponse400ClientErrorSerializer = _error_response_serializer(
    "ErrorResponse400ClientError",
    ClientErrorEnum.choices,
    ["parse_error", "too_many_parameters", "disallowed_host", "bad_request"],
    "Malformed or over-deep JSON, too many parameters, or a Host the server does not serve.",
)
ErrorResponse413Serializer = _error_response_serializer(
    "ErrorResponse413",
    ClientErrorEnum.choices,
    ["payload_too_large"],
    "The body is over the limit.",
)
ErrorResponse414Serializer = _error_response_serializer(
    "ErrorResponse414", ClientErrorEnum.choices, ["uri_too_long"], "The URL is over the limit."
)
ErrorResponse503Serializer = _error_response_serializer(
    "ErrorResponse503",
    ServerErrorEnum.choices,
    ["database_unavailable"],
    "The database cannot be reached; retry after the Retry-After header's seconds.",
)
