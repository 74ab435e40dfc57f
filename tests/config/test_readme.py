"""The README stays true: it opens with the two commands, its tree of the repository names every
tracked top-level entry and every package of ``assessments/`` (and nothing that is gone), and
every docs page it links exists."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _tree() -> str:
    section = README.split("## Architecture in a page", 1)[1]
    return section.split("```", 2)[1]


def _tracked_top_level() -> set[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return {f.split("/", 1)[0] for f in files if not f.startswith(".")}


def test_the_readme_opens_with_the_two_commands():
    first_block = README.split("```", 2)[1]
    assert re.search(r"^make run\b", first_block, re.M)
    assert re.search(r"^make test\b", first_block, re.M)


def test_the_tree_names_every_top_level_entry_and_only_those():
    tree = _tree()
    named = set(re.findall(r"[\w.-]+(?=/)", tree)) | set(
        re.findall(r"(?:^|[\s,])([A-Za-z][\w-]*\.(?:py|toml|yml|md)|Dockerfile|Makefile)\b", tree))
    top = _tracked_top_level()
    assert top - named == set(), "tracked but not in the README's tree"
    listed_dirs = set(re.findall(r"^([\w-]+)/", tree, re.M))
    assert listed_dirs - top == set(), "in the README's tree but not in the repository"


def _assessments_block() -> str:
    """The lines of the tree under ``assessments/`` (indented), up to the next top-level entry."""
    lines = _tree().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("assessments/"))
    block = []
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return "\n".join(block)


def test_the_tree_names_every_package_of_assessments():
    block = _assessments_block()
    packages = {p.name for p in (ROOT / "assessments").iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    listed = set(re.findall(r"^  ([\w]+)/", block, re.M)) | set(re.findall(r"([\w]+)/,", block))
    assert packages - listed == set()
    assert listed - packages - {"migrations"} == set()


def test_every_linked_docs_page_exists_and_every_page_is_linked():
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)", README))
    assert linked and all((ROOT / page).exists() for page in linked)
    pages = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert pages - linked == set()
