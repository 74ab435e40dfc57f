"""Breadcrumbs on object pages:

    {% block breadcrumbs %}{% url 'submission:report_detail' report.pk as report_url %}
    {% breadcrumbs report report_url %}{% translate "Представление отчёта" %}{% endbreadcrumbs %}
    {% endblock %}

Home comes first, then the page's section (the main menu's current entry, from the kernel's menu
registry), then each ``label url`` pair given (``url``: a path, or a URL name without arguments;
take an object's URL with ``{% url … as x %}`` first), then the page itself — the tag's body —
marked ``aria-current="page"``. A pair with an empty label or URL is skipped.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _href(target) -> str:
    target = str(target or "")
    if not target or target.startswith(("/", "?", "#")):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        return ""


class BreadcrumbsNode(template.Node):
    def __init__(self, parts, nodelist):
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        home = reverse("portal:home")
        items = [{"label": _("Главная"), "url": home}]
        for link in context.get("menu_links") or ():
            if link.current and link.url not in (home, getattr(request, "path", None)):
                items.append({"label": link.label, "url": link.url})
        values = [part.resolve(context) for part in self.parts]
        for label, url in zip(values[::2], values[1::2], strict=False):
            url = _href(url)
            if label in (None, "") or not url:
                continue
            items.append({"label": str(label), "url": url})
        current = self.nodelist.render(context).strip()
        if current:
            items.append({"label": mark_safe(current), "url": ""})  # rendered, so escaped
        return render_to_string("partials/breadcrumbs.html", {"items": items})


@register.tag("breadcrumbs")
def breadcrumbs(parser, token):
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if len(parts) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes label/url pairs")
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(parts, nodelist)
