"""axe-core in the browser tests: the vendored ``vendor/axe-core/axe.min.js`` (npm, MPL-2.0) is
added to a browser context as an init script (it runs before the page's own scripts and is not
subject to the page's Content-Security-Policy), and ``violations(page)`` runs it on the page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


def install(context) -> None:
    context.add_init_script(path=str(AXE))


def violations(page, impacts=BLOCKING) -> list[dict]:
    """The critical and serious violations of the page as it is now (WCAG 2.x A/AA rules and
    axe's best practices)."""
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary)}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def describe(found: list[dict]) -> str:
    return "\n".join(f"    {v['impact']}: {v['id']} ({v['help']})\n      " + "\n      ".join(
        v["nodes"]) for v in found)
