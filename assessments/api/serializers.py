"""What the API answers: stable integer ids, ISO 8601 dates, decimal scores as exact strings
(as the engine prints them and ``score_case`` answers)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import (
    Conclusion,
    Cycle,
    ImportBatch,
    ImportKind,
    Organisation,
    Report,
    ScoreSheet,
)


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cycle
        fields = ["id", "code", "year", "edition", "title", "is_current"]


class BodySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "bin", "name_ru", "name_kk", "short_name_ru", "short_name_kk", "kind",
                  "central_type", "level", "region", "parent", "is_evaluated",
                  "evaluator_role", "active_from", "active_to"]


class ScoreSheetSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="code", read_only=True)
    body = serializers.PrimaryKeyRelatedField(read_only=True)
    bin = serializers.CharField(source="body.bin", read_only=True)
    input_version = serializers.IntegerField(source="scoring_input.version", read_only=True)
    final = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                     read_only=True, coerce_to_string=True)
    values = serializers.DictField(child=serializers.CharField(), read_only=True,
                                   help_text="The engine's printed values, exact strings.")

    class Meta:
        model = ScoreSheet
        fields = ["id", "cycle", "body", "bin", "direction", "final", "band", "values",
                  "is_current", "input_version", "computed_at"]


class ExplainedValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()
    explanation = serializers.JSONField(allow_null=True, source="entry")


class ScoreSheetDetailSerializer(ScoreSheetSerializer):
    explained = serializers.SerializerMethodField()
    details = serializers.SerializerMethodField()

    class Meta(ScoreSheetSerializer.Meta):
        fields = [*ScoreSheetSerializer.Meta.fields, "explained", "details"]

    def _explained(self, sheet):
        from assessments.scores.selectors import explain_sheet

        cache = self.context.setdefault("_explained", {})
        if sheet.pk not in cache:
            cache[sheet.pk] = explain_sheet(sheet)
        return cache[sheet.pk]

    @extend_schema_field(ExplainedValueSerializer(many=True))
    def get_explained(self, sheet) -> list[dict]:
        return ExplainedValueSerializer(self._explained(sheet).rows, many=True).data

    @extend_schema_field(ExplainedValueSerializer(many=True))
    def get_details(self, sheet) -> list[dict]:
        return ExplainedValueSerializer(self._explained(sheet).details, many=True).data



class SignatureSerializer(serializers.Serializer):
    signer = serializers.CharField(source="signer_name")
    signer_title = serializers.CharField()
    signing_time = serializers.DateTimeField(allow_null=True)
    status = serializers.SerializerMethodField()
    reason = serializers.CharField()

    def get_status(self, check) -> str:
        return str(check.status.value)


class VerificationSerializer(serializers.Serializer):
    status = serializers.SerializerMethodField()
    label = serializers.CharField()
    sha256 = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
    signatures = SignatureSerializer(many=True)

    def get_status(self, report) -> str:
        return str(report.status.value)


class ConclusionSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="code", read_only=True)
    body = serializers.PrimaryKeyRelatedField(read_only=True)
    bin = serializers.CharField(source="body.bin", read_only=True)
    evaluator = serializers.PrimaryKeyRelatedField(read_only=True)
    signed_document = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Conclusion
        fields = ["id", "cycle", "body", "bin", "direction", "annex", "version", "revision",
                  "state", "evaluator", "signed_document", "received_at",
                  "objection_deadline", "finalised_at", "window_outcome", "created_at",
                  "updated_at"]


class ConclusionDetailSerializer(ConclusionSerializer):
    values = serializers.JSONField(read_only=True, help_text="The printed scores, exact strings.")
    analysis = serializers.JSONField(read_only=True)
    recommendations = serializers.CharField(read_only=True)
    verification = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()

    class Meta(ConclusionSerializer.Meta):
        fields = [*ConclusionSerializer.Meta.fields, "values", "analysis", "recommendations",
                  "verification", "pdf"]

    @extend_schema_field(VerificationSerializer(allow_null=True))
    def get_verification(self, c) -> dict | None:
        report = self.context.get("verification")
        return VerificationSerializer(report).data if report is not None else None

    def get_pdf(self, c) -> str | None:
        from django.urls import reverse

        if not c.signed_document_id:
            return None
        return reverse("api:conclusion_pdf", kwargs={"pk": c.pk})



class ReportSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="code", read_only=True)
    body = serializers.PrimaryKeyRelatedField(read_only=True)
    bin = serializers.CharField(source="body.bin", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "cycle", "body", "bin", "direction", "state", "version", "deadline",
                  "submitted_at", "first_submitted_on", "late", "late_days", "returned_times",
                  "accepted_at", "closed_at", "updated_at"]


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    required = serializers.BooleanField()
    status = serializers.CharField(help_text="missing, partial or complete")
    items = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()
    data = serializers.JSONField()
    updated_at = serializers.DateTimeField(allow_null=True)


class ReportDetailSerializer(ReportSerializer):
    sections = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "sections"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, report) -> list[dict]:
        from assessments.submission.services.reports import report_elements

        stored = {row.key: row for row in report.sections.all()}
        out = []
        for element in report_elements(report):
            row = stored.get(element.key)
            out.append({"key": element.key, "title": element.title,
                        "required": element.section.required, "status": element.status,
                        "items": [str(i) for i in element.items],
                        "version": row.version if row else 0,
                        "data": row.data if row else {},
                        "updated_at": row.updated_at if row else None})
        return SectionSerializer(out, many=True).data



class ReportCreateSerializer(serializers.Serializer):
    cycle = serializers.SlugField(help_text="The cycle's code.")
    body = serializers.IntegerField(min_value=1)
    direction = serializers.CharField()


class SectionWriteSerializer(serializers.Serializer):
    data = serializers.JSONField(help_text='{"fields": {…}, "rows": [{…}, …]} as the report '
                                           "schema describes the section.")
    expected_version = serializers.IntegerField(
        min_value=0, required=False, allow_null=True,
        help_text="The section's version you read; a later save by someone else is a conflict "
                  "(409). Omit to overwrite.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SubmitSerializer(serializers.Serializer):
    confirm_missing = serializers.BooleanField(
        default=False, help_text="Confirm submitting a report that lacks elements (each missing "
                                 "element becomes a fact of incomplete information, p.18).")


class ImportBatchSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="code", read_only=True)
    progress = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    errors_count = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "cycle", "state", "original_name", "file_format", "size",
                  "sha256", "rows_total", "rows_valid", "rows_invalid", "rows_created",
                  "rows_updated", "bytes_done", "progress", "reason", "errors_count",
                  "created_at", "validated_at", "confirmed_at", "applied_at"]

    def get_progress(self, batch) -> float:
        if batch.state in (ImportBatch.State.VALIDATED, ImportBatch.State.APPLIED):
            return 1.0
        return round(min(1.0, batch.bytes_done / batch.size), 4) if batch.size else 0.0

    def get_reason(self, batch) -> str:
        from assessments.submission.imports.reasons import reason_text

        if batch.reason.get("code"):
            return str(reason_text(batch.reason["code"], batch.reason.get("params"),
                                   batch.message))
        return batch.message

    def get_errors_count(self, batch) -> int:
        return len(batch.errors or [])


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField(help_text="CSV (UTF-8, ',' or ';') or XLSX, as the import "
                                           "templates of the pages.")
    cycle = serializers.SlugField(required=False, help_text="The cycle's code (default: the "
                                                            "current cycle).")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True, allow_blank=True)
    reason = serializers.CharField()
