"""The API's views: thin, as the pages' views — the access registry for what the account may
see, the features' own services for every write (their rules, transitions, audit), domain
refusals answered as problem details."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api import serializers as s
from assessments.api.filters import Filter
from assessments.api.idempotency import idempotent
from assessments.api.permissions import READ, TokenScopes
from assessments.api.problems import ProblemSerializer
from assessments.api.services import token_use_record
from assessments.kernel import access
from assessments.models import (
    ApiScope,
    ApiToken,
    Conclusion,
    ConclusionState,
    Cycle,
    Direction,
    ImportBatch,
    ImportKind,
    Organisation,
    Report,
    ScoreSheet,
)

SCORES = (ApiScope.READ_SCORES,)
REPORTS_READ = (ApiScope.READ_SCORES, ApiScope.SUBMIT_REPORTS)
REPORTS_WRITE = (ApiScope.SUBMIT_REPORTS,)
IMPORTS = (ApiScope.IMPORT_DATA,)
IDEMPOTENCY_PARAM = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="A retried write with the same key and body takes effect once (max 255 "
                "characters); the same key with another body is refused (422).")


class ApiMixin:
    """Every API view: the token's scopes, and each use of a token recorded."""

    permission_classes = [TokenScopes]
    read_scopes = READ
    write_scopes: tuple = ()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            token_use_record(token=token, method=request.method, path=request.get_full_path(),
                             status=response.status_code,
                             address=request.META.get("REMOTE_ADDR", ""))
        return response


class ApiList(ApiMixin, generics.ListAPIView):
    pass


class ApiDetail(ApiMixin, generics.RetrieveAPIView):
    pass


# --- Cycles and bodies -------------------------------------------------------------------


class CycleList(ApiList):
    """The assessment cycles (years)."""

    serializer_class = s.CycleSerializer
    filters = {"year": Filter("year", "int"), "is_current": Filter("is_current", "bool")}
    ordering_fields = ["year", "code", "id"]
    ordering = ["-year", "id"]

    def get_queryset(self):
        return access.visible(self.request.user, Cycle)


class CycleDetail(ApiDetail):
    serializer_class = s.CycleSerializer
    lookup_field = "code"

    def get_queryset(self):
        return access.visible(self.request.user, Cycle)


class BodyList(ApiList):
    """The registry of organisations the account may see, with their БИН."""

    serializer_class = s.BodySerializer
    filters = {
        "bin": Filter("bin", help="БИН, 12 digits"),
        "kind": Filter("kind", choices=Organisation.Kind.values),
        "level": Filter("level", choices=Organisation.Level.values),
        "is_evaluated": Filter("is_evaluated", "bool"),
        "parent": Filter("parent_id", "int"),
        "search": Filter("name_ru__icontains", help="part of the Russian name"),
    }
    ordering_fields = ["name_ru", "bin", "id", "kind"]
    ordering = ["name_ru", "id"]

    def get_queryset(self):
        return access.visible(self.request.user, Organisation).select_related("region")


class BodyDetail(ApiDetail):
    serializer_class = s.BodySerializer

    def get_queryset(self):
        return access.visible(self.request.user, Organisation).select_related("region")


# --- Scores -------------------------------------------------------------------------------


class ScoreList(ApiList):
    """Score sheets per body and direction (current ones unless ``is_current=false``)."""

    serializer_class = s.ScoreSheetSerializer
    read_scopes = SCORES
    filters = {
        "cycle": Filter("cycle__code"),
        "body": Filter("body_id", "int"),
        "bin": Filter("body__bin"),
        "direction": Filter("direction", choices=ScoreSheet.Direction.values),
        "band": Filter("band", choices=ScoreSheet.Band.values),
        "is_current": Filter("is_current", "bool"),
    }
    ordering_fields = ["final", "computed_at", "id", "body"]
    ordering = ["body_id", "direction", "id"]

    def get_queryset(self):
        qs = access.visible(self.request.user, ScoreSheet).select_related(
            "cycle", "body", "scoring_input").defer("explain")
        if "is_current" not in self.request.query_params:
            qs = qs.filter(is_current=True)
        return qs


class ScoreDetail(ApiDetail):
    """One sheet with every printed number explained (formula, inputs, rules, source)."""

    serializer_class = s.ScoreSheetDetailSerializer
    read_scopes = SCORES

    def get_queryset(self):
        return access.visible(self.request.user, ScoreSheet).select_related(
            "cycle", "body", "scoring_input")


# --- Conclusions --------------------------------------------------------------------------


class ConclusionList(ApiList):
    serializer_class = s.ConclusionSerializer
    read_scopes = SCORES
    filters = {
        "cycle": Filter("cycle__code"),
        "body": Filter("body_id", "int"),
        "bin": Filter("body__bin"),
        "direction": Filter("direction", choices=[c for c, _l in Conclusion._meta.get_field(
            "direction").choices]),
        "state": Filter("state", choices=ConclusionState.values),
        "annex": Filter("annex", "int"),
    }
    ordering_fields = ["id", "updated_at", "created_at", "annex", "version"]
    ordering = ["id"]

    def get_queryset(self):
        return access.visible(self.request.user, Conclusion).select_related("cycle", "body")


class ConclusionDetail(ApiDetail):
    """A conclusion: metadata, version, state, scores, and its signed PDF's verification now."""

    serializer_class = s.ConclusionDetailSerializer
    read_scopes = SCORES

    def get_queryset(self):
        return access.visible(self.request.user, Conclusion).select_related(
            "cycle", "body", "signed_document")

    def get_object(self):
        from assessments.conclusions.services import conclusion_window_close_if_due

        c = super().get_object()
        if conclusion_window_close_if_due(c).state != c.state:  # as the page: recorded now
            c = super().get_object()
        return c

    def retrieve(self, request, *args, **kwargs):
        c = self.get_object()
        context = self.get_serializer_context()
        if c.signed_document_id:
            from reporting.signing.services import signed_document_verify

            context["verification"] = signed_document_verify(c.signed_document)
        return Response(self.get_serializer_class()(c, context=context).data)


class ConclusionPdf(ApiMixin, APIView):
    """The signed PDF, verified now: ``X-Signature-Status`` says the result."""

    read_scopes = SCORES

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(
        description="The signed PDF"), 404: ProblemSerializer})
    def get(self, request, pk: int):
        from reporting.signing.services import signed_document_download

        c = access.get_visible_or_404(request.user, Conclusion.objects.select_related(
            "signed_document"), pk=pk)
        if not c.signed_document_id:
            raise Http404
        try:
            download = signed_document_download(signed_document=c.signed_document)
        except LookupError:
            raise Http404
        response = HttpResponse(download.data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        response["X-Signature-Status"] = download.report.status.value
        response["X-Content-SHA256"] = download.report.sha256
        response["Cache-Control"] = "no-store"
        return response


# --- Reports ------------------------------------------------------------------------------


class ReportList(ApiMixin, generics.ListAPIView):
    """Reports the account may see; POST opens the draft of its own body's report on a
    direction (as the body's reports page does on first use)."""

    serializer_class = s.ReportSerializer
    read_scopes = REPORTS_READ
    write_scopes = REPORTS_WRITE
    filters = {
        "cycle": Filter("cycle__code"),
        "body": Filter("body_id", "int"),
        "bin": Filter("body__bin"),
        "direction": Filter("direction", choices=Direction.values),
        "state": Filter("state", choices=Report.State.values),
    }
    ordering_fields = ["id", "deadline", "updated_at", "submitted_at"]
    ordering = ["id"]

    def get_queryset(self):
        return access.visible(self.request.user, Report).select_related("cycle", "body")

    @extend_schema(request=s.ReportCreateSerializer, parameters=[IDEMPOTENCY_PARAM],
                   responses={200: s.ReportDetailSerializer, 201: s.ReportDetailSerializer})
    @idempotent
    def post(self, request):
        from assessments.submission.report_schema import report_directions
        from assessments.submission.services.reports import body_kind, report_get_or_create

        data = s.ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = access.get_visible_or_404(request.user, Cycle, code=data.validated_data["cycle"])
        body = access.get_visible_or_404(request.user, Organisation,
                                         pk=data.validated_data["body"], is_evaluated=True)
        direction = data.validated_data["direction"]
        if direction not in report_directions(body_kind(body)):
            raise ValidationError({"direction": [_("Орган не отчитывается по этому "
                                                   "направлению.")]})
        existing = access.visible(request.user, Report).filter(
            cycle=cycle, body=body, direction=direction).first()
        created = False
        if existing is None:
            if body.pk not in access.principal(request.user).body_ids:
                raise Http404
            existing = report_get_or_create(cycle=cycle, body=body, direction=direction)
            created = True
        return Response(s.ReportDetailSerializer(existing).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _report(request, pk) -> Report:
    return access.get_visible_or_404(request.user, Report.objects.select_related(
        "body", "cycle"), pk=pk)


class ReportDetail(ApiDetail):
    """A report with each section's data, its version and what is missing from it."""

    serializer_class = s.ReportDetailSerializer
    read_scopes = REPORTS_READ

    def get_queryset(self):
        return access.visible(self.request.user, Report).select_related("cycle", "body")


class ReportSectionWrite(ApiMixin, APIView):
    """Save a section's values through the same service and checks as the section form."""

    read_scopes = REPORTS_READ
    write_scopes = REPORTS_WRITE

    @extend_schema(request=s.SectionWriteSerializer, parameters=[IDEMPOTENCY_PARAM],
                   responses={200: s.ReportDetailSerializer, 409: ProblemSerializer,
                              422: ProblemSerializer})
    @idempotent
    def put(self, request, pk: int, key: str):
        from assessments.kernel.errors import DomainError
        from assessments.submission.services.reports import report_section_save

        report = _report(request, pk)
        body = s.SectionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data["data"]
        if not isinstance(data, dict):
            raise ValidationError({"data": [_("Нужен объект {\"fields\": …, \"rows\": …}.")]})
        access.require(request.user, "edit", report)
        try:
            report_section_save(actor=request.user, report=report, key=key, data=data,
                                expected_version=body.validated_data.get("expected_version"),
                                reason=body.validated_data.get("reason", ""))
        except DomainError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError):
            raise ValidationError({"data": [_("Данные раздела не соответствуют схеме "
                                              "отчёта.")]})
        return Response(s.ReportDetailSerializer(_report(request, pk)).data)


class ReportSubmit(ApiMixin, APIView):
    """Submit the report (the body's head, or a submitter where the body allows it). A report
    lacking elements is refused (422, ``confirm_missing`` with the list) unless
    ``confirm_missing`` is true — the same explicit confirmation as the page's."""

    read_scopes = REPORTS_READ
    write_scopes = REPORTS_WRITE

    @extend_schema(request=s.SubmitSerializer, parameters=[IDEMPOTENCY_PARAM],
                   responses={200: s.ReportDetailSerializer, 409: ProblemSerializer,
                              422: ProblemSerializer})
    @idempotent
    def post(self, request, pk: int):
        from assessments.submission.services.reports import report_submit

        report = _report(request, pk)
        body = s.SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access.require(request.user, "submit", report)
        report_submit(actor=request.user, report=report,
                      confirm_missing=body.validated_data["confirm_missing"])
        return Response(s.ReportDetailSerializer(_report(request, pk)).data)


# --- Imports ------------------------------------------------------------------------------


class ImportList(ApiMixin, generics.ListAPIView):
    """Import batches the account may see; POST uploads a file of any import kind (multipart),
    its validation queued: poll the batch until ``validated`` (or ``failed``)."""

    serializer_class = s.ImportBatchSerializer
    read_scopes = IMPORTS
    write_scopes = IMPORTS
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filters = {
        "cycle": Filter("cycle__code"),
        "kind": Filter("kind", choices=ImportKind.values),
        "state": Filter("state", choices=ImportBatch.State.values),
    }
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return access.visible(self.request.user, ImportBatch).select_related("cycle")

    @extend_schema(request={"multipart/form-data": s.ImportUploadSerializer},
                   parameters=[IDEMPOTENCY_PARAM],
                   responses={201: s.ImportBatchSerializer, 403: ProblemSerializer,
                              409: ProblemSerializer})
    @idempotent
    def post(self, request):
        from assessments.registry.services.cycles import current_cycle
        from assessments.submission.imports.pipeline import import_upload

        body = s.ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = body.validated_data.get("cycle")
        cycle = (access.get_visible_or_404(request.user, Cycle, code=code) if code
                 else current_cycle())
        if cycle is None:
            raise Http404
        upload = body.validated_data["file"]
        batch = import_upload(actor=request.user, cycle=cycle, kind=body.validated_data["kind"],
                              upload=upload, original_name=upload.name or "upload")
        batch = ImportBatch.objects.select_related("cycle").get(pk=batch.pk)
        return Response(s.ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetail(ApiDetail):
    """A batch: its state and progress (poll it), counts, and why it failed."""

    serializer_class = s.ImportBatchSerializer
    read_scopes = IMPORTS

    def get_queryset(self):
        return access.visible(self.request.user, ImportBatch).select_related("cycle")


class ImportErrors(ApiMixin, generics.ListAPIView):
    """The batch's row errors (row, column, reason in the reader's language)."""

    serializer_class = s.RowErrorSerializer
    read_scopes = IMPORTS
    filters: dict = {}
    ordering_fields: list = []

    def get_queryset(self):
        return ImportBatch.objects.none()

    def list(self, request, *args, **kwargs):
        from assessments.submission.imports.reasons import error_text

        batch = access.get_visible_or_404(request.user, ImportBatch, pk=kwargs["pk"])
        rows = [{"row": e.get("row"), "column": e.get("column") or "",
                 "reason": str(error_text(e))} for e in batch.errors or []]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ImportConfirm(ApiMixin, APIView):
    """Confirm a validated batch without errors: it is applied (queued), the scores of the
    bodies it touches recomputed after."""

    read_scopes = IMPORTS
    write_scopes = IMPORTS

    @extend_schema(request=None, parameters=[IDEMPOTENCY_PARAM],
                   responses={200: s.ImportBatchSerializer, 409: ProblemSerializer})
    @idempotent
    def post(self, request, pk: int):
        from assessments.submission.imports.pipeline import import_confirm

        batch = access.get_visible_or_404(request.user, ImportBatch, pk=pk)
        access.require(request.user, "apply", batch)
        import_confirm(batch_id=batch.pk, actor=request.user)
        batch = ImportBatch.objects.select_related("cycle").get(pk=batch.pk)
        return Response(s.ImportBatchSerializer(batch).data)


class NotFound(APIView):
    """Any other path under ``api/v1/``: 404 as a problem (for any method)."""

    permission_classes: list = []
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(exclude=True)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise Http404
