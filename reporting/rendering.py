"""HTML template → PDF, with one shared font configuration (the reporting service).

Fonts are shipped in ``static/fonts`` (DejaVu Sans: Cyrillic with the Kazakh letters
Ә Ғ Қ Ң Ө Ұ Ү Һ І) and declared with ``@font-face`` so that rendering never depends on what the
machine happens to have installed. Rendering is a plain function; the Celery task only wraps it.
"""

from __future__ import annotations

import atexit
import hashlib
import re
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FONT_FAMILY = "DocSans"
_FONT_FILES = {
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
}


@lru_cache(maxsize=1)
def font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def font_face_css() -> str:
    rules = []
    for (weight, style), name in _FONT_FILES.items():
        path = (settings.PDF_FONT_DIR / name).resolve()
        rules.append(
            "@font-face { font-family: '%s'; src: url('%s'); font-weight: %s; font-style: %s; }"
            % (FONT_FAMILY, path.as_uri(), weight, style)
        )
    return "\n".join(rules)


def document_stylesheet_path():
    """The stylesheet shared by every PDF document (``static/css/pdf.css``)."""
    return getattr(settings, "PDF_STYLESHEET", settings.BASE_DIR / "static" / "css" / "pdf.css")


@lru_cache(maxsize=2)
def base_stylesheets(draft: bool):
    """The fonts, the page and the shared document rules, each parsed once per process (parsing a
    stylesheet and compiling its selectors is a tenth of a small document's rendering time)."""
    from weasyprint import CSS

    css = font_face_css() + """
@page { size: A4; margin: 20mm 15mm 20mm 20mm;
        @bottom-right { content: counter(page) " / " counter(pages);
                        font-family: '%(f)s'; font-size: 8pt; color: #555; } }
html { font-family: '%(f)s'; font-size: 10.5pt; line-height: 1.35; }
""" % {"f": FONT_FAMILY}
    if draft:
        css += """
@page { @top-center { content: "ПРОЕКТ · ЖОБА"; font-family: '%(f)s'; font-weight: bold;
                      font-size: 14pt; color: #b00020; letter-spacing: 3pt; } }
""" % {"f": FONT_FAMILY}
    shared = document_stylesheet_path().read_text(encoding="utf-8")
    return [
        CSS(string=css, font_config=font_configuration()),
        CSS(string=shared, font_config=font_configuration()),
    ]


@atexit.register
def _release_fonts() -> None:
    # Free the font configuration while the interpreter is still whole (its __del__ needs it).
    base_stylesheets.cache_clear()
    font_configuration.cache_clear()


# A year's abbreviation ending a sentence keeps one dot: "2026 г.." (a date that ends in "г."
# put before a sentence's full stop) → "2026 г."; Kazakh "2026 ж.." likewise. Ellipses stay.
_DOUBLE_DOT = re.compile(r"(\d[\s\u00a0]*(?:г|гг|ж))\.\.(?!\.)")


def tidy_punctuation(text: str) -> str:
    return _DOUBLE_DOT.sub(r"\1.", text)


def render_html(template_name: str, context: dict[str, Any], *, language: str = "ru") -> str:
    with translation.override(language):
        return tidy_punctuation(render_to_string(template_name, {**context,
                                                                 "language": language}))


def html_to_pdf(html: str, *, draft: bool = False) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(
        stylesheets=base_stylesheets(draft), font_config=font_configuration()
    )


def render_pdf(
    template_name: str, context: dict[str, Any], *, language: str = "ru", draft: bool = False
) -> bytes:
    """Render a Django template to PDF bytes."""
    return html_to_pdf(render_html(template_name, context, language=language), draft=draft)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
