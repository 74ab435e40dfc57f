"""A certificate's owner as people read it (issue 21): name, position, organisation — not the
distinguished name's field codes (``2.5.4.12=…``).

    {% load certificates %}{% with who=credential.subject|certificate_owner %}
      {{ who.name }} · {{ who.position }} · {{ who.organisation }}{% endwith %}
"""

from __future__ import annotations

from django import template

register = template.Library()

_FIELDS = {
    "2.5.4.3": "name",            # commonName
    "2.5.4.4": "surname",
    "2.5.4.42": "given_name",
    "2.5.4.12": "position",       # title
    "2.5.4.10": "organisation",   # organizationName
    "2.5.4.11": "unit",           # organizationalUnitName
}


@register.filter
def certificate_owner(subject: str) -> dict[str, str]:
    """``subject`` (RFC 4514, as stored) → ``{"name", "position", "organisation", "unit"}``
    (empty strings for what the certificate does not say; the raw text as the name when it
    cannot be read)."""
    from cryptography import x509

    out = dict.fromkeys(("name", "surname", "given_name", "position", "organisation", "unit"),
                        "")
    try:
        name = x509.Name.from_rfc4514_string(subject or "")
    except (ValueError, TypeError):
        out["name"] = subject or ""
        return out
    for attribute in name:
        key = _FIELDS.get(attribute.oid.dotted_string)
        if key and not out[key]:
            out[key] = str(attribute.value)
    if not out["name"]:
        out["name"] = " ".join(v for v in (out["surname"], out["given_name"]) if v)
    return out
