"""The OpenAPI schema: every operation documents its problem answers (RFC 9457), so a client —
and the contract test — knows each status it may get."""

from __future__ import annotations

from drf_spectacular import openapi

from assessments.api.problems import CONTENT_TYPE, ProblemSerializer

COMMON = ("400", "401", "403", "404", "429")
WRITES = ("409", "415", "422")


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = COMMON + (WRITES if self.method in ("POST", "PUT", "PATCH", "DELETE") else ())
        if self.method == "GET" and self.path.endswith("/schema/"):
            return responses
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[CONTENT_TYPE], direction=direction)
            else:
                extra = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[CONTENT_TYPE], direction=direction)
                responses[code].setdefault("content", {}).update(extra.get("content", {}))
        return responses
