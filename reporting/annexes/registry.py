"""The annexes as document kinds: renderers, the pluggable context providers, ``render_annex``.

Every annex is a document kind of the reporting service (``annex1`` … ``annex15``), registered
with ``reporting.renderers.register``; rendering a ``RenderedDocument`` of that kind asks the
kind's **context provider** for its context:

    from reporting.annexes import provide_context, services_conclusion_context

    @provide_context("annex3")
    def _conclusion_annex3(document):            # document: the RenderedDocument row
        conclusion = document.subject            # the state-machine owner's model
        return services_conclusion_context(body=..., period=..., result=..., ...)

The owners of the conclusion, act and appeal models fill ``annex_context_providers`` for their
kinds (in their app's ``ready()`` or an imported module). The reference forms (2, 6, 7, 11, 13)
need no provider: they are built from the edition — the subject's ``edition`` attribute (a
cycle) or the 2023 edition.

``render_annex(kind, context, language=…, draft=…)`` renders a context straight to PDF bytes
(previews, tests, batch jobs that do not keep a ``RenderedDocument``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reporting.renderers import register
from reporting.rendering import render_pdf

from .common import DEFAULT_EDITION
from .reference import REFERENCE_BUILDERS

ContextProvider = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class AnnexKind:
    kind: str
    number: int
    template: str
    what: str


ANNEX_KINDS: dict[str, AnnexKind] = {
    f"annex{n}": AnnexKind(f"annex{n}", n, f"pdf/annex_{n:02d}.html", what)
    for n, what in (
        (1, "reconciliation act"),
        (2, "service-quality criteria (reference)"),
        (3, "conclusion: services, central body"),
        (4, "conclusion: services, local body"),
        (5, "conclusion: automation criterion"),
        (6, "satisfaction bands (reference)"),
        (7, "openness criteria (reference)"),
        (8, "conclusion: openness"),
        (9, "openness report"),
        (10, "openness scores per language"),
        (11, "complaints criteria (reference)"),
        (12, "conclusion: complaints"),
        (13, "internal-control bands (reference)"),
        (14, "disagreement table"),
        (15, "block conclusion"),
    )
}

annex_context_providers: dict[str, ContextProvider] = {}


def provide_context(kind: str) -> Callable[[ContextProvider], ContextProvider]:
    """Register the function that builds ``kind``'s context from a ``RenderedDocument``."""
    if kind not in ANNEX_KINDS:
        raise LookupError(f"unknown annex kind {kind!r}")

    def decorator(func: ContextProvider) -> ContextProvider:
        annex_context_providers[kind] = func
        return func

    return decorator


def _reference_provider(number: int) -> ContextProvider:
    def provider(document) -> dict[str, Any]:
        subject = getattr(document, "subject", None) if document is not None else None
        edition = getattr(subject, "edition", None) or DEFAULT_EDITION
        return REFERENCE_BUILDERS[number](str(edition))

    return provider


def context_for(kind: str, document) -> dict[str, Any]:
    """The context of ``document`` (a ``RenderedDocument`` of an annex kind) from its provider;
    its version and draft flag are the document's."""
    provider = annex_context_providers.get(kind)
    if provider is None:
        spec = ANNEX_KINDS[kind]
        if spec.number not in REFERENCE_BUILDERS:
            raise LookupError(
                f"no context provider registered for {kind!r}: register one with "
                f"reporting.annexes.provide_context({kind!r})"
            )
        provider = _reference_provider(spec.number)
    context = dict(provider(document))
    if context.get("annex") != ANNEX_KINDS[kind].number:
        raise ValueError(
            f"the provider of {kind!r} returned the context of annex {context.get('annex')}"
        )
    context["version"] = document.version
    context["draft"] = document.draft
    context["footer"] = f"Приложение {ANNEX_KINDS[kind].number} · версия {document.version}"
    return context


def _make_renderer(kind: str):
    def renderer(document) -> tuple[str, dict[str, Any]]:
        return ANNEX_KINDS[kind].template, context_for(kind, document)

    renderer.__name__ = f"render_{kind}"
    renderer.__doc__ = f"Renderer of {kind} ({ANNEX_KINDS[kind].what}): its provider's context."
    return renderer


for _kind in ANNEX_KINDS:
    register(_kind)(_make_renderer(_kind))


def render_annex(
    kind: str, context: dict[str, Any], *, language: str = "ru", draft: bool = False
) -> bytes:
    """Render a built context (from one of the context builders) to PDF bytes."""
    try:
        spec = ANNEX_KINDS[kind]
    except KeyError:
        raise LookupError(f"unknown annex kind {kind!r}")
    if context.get("annex") != spec.number:
        raise ValueError(f"the context is annex {context.get('annex')}'s, not {kind}'s")
    return render_pdf(spec.template, {**context, "draft": draft}, language=language, draft=draft)
