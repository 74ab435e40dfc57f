"""Registry of document kinds: each kind knows its template and builds its context.

A renderer takes the ``RenderedDocument`` row (its subject, version, language) and returns the
template name and context. Later issues register the annexes here (``@register("annex3")``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[[Any], tuple[str, dict[str, Any]]]
_REGISTRY: dict[str, Renderer] = {}


def register(kind: str) -> Callable[[Renderer], Renderer]:
    def decorator(func: Renderer) -> Renderer:
        _REGISTRY[kind] = func
        return func

    return decorator


def get_renderer(kind: str) -> Renderer:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no renderer registered for document kind {kind!r}")


def kinds() -> list[str]:
    return sorted(_REGISTRY)


@register("sample")
def render_sample(document) -> tuple[str, dict[str, Any]]:
    """A sample document in Russian and Kazakh that proves the rendering chain."""
    return "pdf/sample.html", {
        "title_ru": "Образец документа",
        "title_kk": "Құжат үлгісі",
        "kazakh_letters": "Ә Ғ Қ Ң Ө Ұ Ү Һ І — ә ғ қ ң ө ұ ү һ і",
        "body_kk": "Мемлекеттік органның жеке және заңды тұлғалармен өзара іс-қимылын "
        "жедел бағалау әдістемесі.",
        "body_ru": "Методика операционной оценки взаимодействия государственного органа "
        "с физическими и юридическими лицами.",
        "version": document.version,
    }
