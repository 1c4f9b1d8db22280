"""API exceptions beyond DRF's own, in the same error format."""

from drf_standardized_errors.openapi_serializers import ClientErrorEnum
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
    code = serializers.ChoiceField(choices=["protected"], help_text="Why the request conflicts.")
    detail = serializers.CharField(help_text="What references the record.")
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
