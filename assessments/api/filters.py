"""Filtering and pagination of every list, declared in the schema."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count"]["example"] = 1
        return out


class Filter:
    """One query parameter: ``lookup`` on the queryset, ``kind`` int/str/bool, ``choices``."""

    def __init__(self, lookup: str, kind: str = "str", choices=None, help: str = ""):
        self.lookup, self.kind, self.choices, self.help = lookup, kind, choices, help

    def value(self, name: str, raw: str):
        if self.kind == "int":
            try:
                number = int(raw)
            except ValueError:
                raise exceptions.ValidationError({name: [_("Нужно целое число.")]})
            if not -(2**63) < number < 2**63:
                raise exceptions.ValidationError({name: [_("Нужно целое число.")]})
            return number
        if self.kind == "bool":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise exceptions.ValidationError({name: [_("Нужно true или false.")]})
            return raw.lower() in ("true", "1")
        if self.choices is not None and raw not in self.choices:
            raise exceptions.ValidationError({name: [_("Недопустимое значение.")]})
        if "\x00" in raw:
            raise exceptions.ValidationError({name: [_("Недопустимое значение.")]})
        return raw


class QueryFilters(BaseFilterBackend):
    """The view's ``filters = {"param": Filter(...)}``."""

    def filter_queryset(self, request, queryset, view):
        for name, spec in getattr(view, "filters", {}).items():
            raw = request.query_params.get(name)
            if raw is None or raw == "":
                continue
            queryset = queryset.filter(**{spec.lookup: spec.value(name, raw)})
        return queryset

    def get_schema_operation_parameters(self, view):
        params = []
        for name, spec in getattr(view, "filters", {}).items():
            schema = {"type": {"int": "integer", "bool": "boolean"}.get(spec.kind, "string")}
            if spec.choices is not None:
                schema["enum"] = list(spec.choices)
            params.append({"name": name, "in": "query", "required": False,
                           "description": spec.help or spec.lookup, "schema": schema})
        return params


class Ordering(OrderingFilter):
    ordering_description = "Fields to order by, comma-separated; '-' for descending."
