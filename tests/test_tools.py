"""Named software tools (O*NET) found in postings and matched to the ESCO skill of their category."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from service.engine.core import Engine
from service.engine.tools import ToolFinder, ToolHit, common_words, forms, is_product, tool_lexicon, vendors

Record = dict[str, Any]
SPREADSHEET = {"id": "skill/spreadsheets", "score": 0.83, "matched": "use spreadsheets software"}
WORDS = {"id": "skill/word-processing", "score": 0.83, "matched": "use word processing software"}
OFFICE = {"id": "skill/office", "score": 0.84, "matched": "office software"}
PLANNING = {"id": "skill/project", "score": 1.0, "matched": "project management software"}
CATEGORIES = {"Spreadsheet software": SPREADSHEET, "Word processing software": WORDS, "Office suite software": OFFICE,
              "Project management software": PLANNING, "Configuration management software": PLANNING}


def tool(name: str, category: str, hot: bool = True) -> Record:
    """A tool record as the catalogue holds it."""
    return {"id": "onet-tool-x", "name": name, "category": category, "hot": hot, "occupations": 3,
            "source": "O*NET 29.2"}


TOOLS = [
    tool("Microsoft Excel", "Spreadsheet software"), tool("Microsoft Word", "Word processing software"),
    tool("Microsoft Office software", "Office suite software"),
    tool("Microsoft Project", "Project management software"),
    tool("Microsoft Visio", "Project management software", hot=False),
    tool("Chef", "Configuration management software"), tool("Spreadsheet software", "Spreadsheet software"),
    tool("Artificial intelligence software", "Spreadsheet software"),
    tool("Python", "Configuration management software"), tool("Tableau", "Business intelligence software"),
]
SKILLS = [  # ESCO-like texts: 'word', 'office' and 'project' are ordinary words there, 'Microsoft' a name
    {"label": "use word processing software", "alt_labels": ["use Microsoft Word"], "description":
     "Use word processing software. Write every word in the office. Plan the project, word by word."},
    {"label": "office software", "alt_labels": ["Python"], "description": "Work in an office on a project; office "
     "routines. Microsoft Office and Microsoft Excel."},
    {"label": "manage a project", "alt_labels": [], "description": "Manage the project from the office."},
]
ROLES = [{"title": "chef", "alt_titles": ["head chef", "sous chef"], "description": "A chef cooks."}]


def lexicon() -> ToolFinder:
    """The finder over the lexicon of the tools above."""
    return ToolFinder(tool_lexicon(TOOLS, SKILLS, ROLES, CATEGORIES))


def test_common_words_and_vendors() -> None:
    """Ordinary words are those ESCO writes mostly in lower case; a vendor opens several names and is no such word."""
    common = common_words([*SKILLS, *ROLES])
    assert {"word", "office", "project", "chef"} <= common and not {"microsoft", "excel"} & common
    assert vendors([t["name"] for t in TOOLS], common) == {"Microsoft"}


def test_forms_and_products() -> None:
    """A tool is written as named, without 'software', and without its vendor; descriptions are no products."""
    assert forms("Microsoft Office software", {"Microsoft"}) == [
        ("Microsoft Office software", False), ("Microsoft Office", False), ("Office software", True), ("Office", True)]
    assert is_product("Microsoft Excel") and is_product("iOS") and not is_product("Artificial intelligence software")


def test_lexicon_keeps_names_and_leaves_esco_names_and_categories_alone() -> None:
    """Common one-word forms only as a hot tool's vendor-less name; ESCO's own names and category names are left."""
    found = tool_lexicon(TOOLS, SKILLS, ROLES, CATEGORIES)
    assert found == {
        "forms": {
            "Excel": ["Microsoft Excel", "Spreadsheet software", False, "O*NET 29.2"],
            "Office": ["Microsoft Office software", "Office suite software", True, "O*NET 29.2"],
            "Project": ["Microsoft Project", "Project management software", True, "O*NET 29.2"],
            "Visio": ["Microsoft Visio", "Project management software", False, "O*NET 29.2"],
            "Word": ["Microsoft Word", "Word processing software", True, "O*NET 29.2"],
            "microsoft excel": ["Microsoft Excel", "Spreadsheet software", False, "O*NET 29.2"],
            "microsoft office": ["Microsoft Office software", "Office suite software", False, "O*NET 29.2"],
            "microsoft office software": ["Microsoft Office software", "Office suite software", False, "O*NET 29.2"],
            "microsoft project": ["Microsoft Project", "Project management software", False, "O*NET 29.2"],
            "microsoft visio": ["Microsoft Visio", "Project management software", False, "O*NET 29.2"],
            "microsoft word": ["Microsoft Word", "Word processing software", False, "O*NET 29.2"],
        },
        "categories": CATEGORIES,
    }  # not: "Office software" and Python (ESCO labels), Chef (a common word, no vendor-less form), Tableau (its
    # category names no skill), "Spreadsheet software" (a category's name), "Artificial intelligence software"


def hit(written: str, name: str, category: str) -> ToolHit:
    """A found tool."""
    ref = CATEGORIES[category]
    return ToolHit(written, name, category, ref["id"], ref["score"], ref["matched"], "O*NET 29.2")


@pytest.mark.parametrize(("phrase", "found"), [
    ("Produce management accounts in Excel", [hit("Excel", "Microsoft Excel", "Spreadsheet software")]),
    ("Advanced EXCEL (pivot tables)", [hit("EXCEL", "Microsoft Excel", "Spreadsheet software")]),
    ("Proficient in MS Office (Word, Excel, PowerPoint)", [
        hit("Office", "Microsoft Office software", "Office suite software"),
        hit("Word", "Microsoft Word", "Word processing software"),
        hit("Excel", "Microsoft Excel", "Spreadsheet software")]),
    ("experience with microsoft office software.", [
        hit("microsoft office software", "Microsoft Office software", "Office suite software")]),
    ("Excel in a fast-paced team", []),  # the phrase's first word
    ("Based at our Head Office in Leeds", []),  # a common word beside a capitalised one
    ("Previous Project Manager experience", []),
    ("write every word of the office project", []),  # common words in lower case
    ("Visio Project plans", [hit("Project", "Microsoft Project", "Project management software")]),
])
def test_finder(phrase: str, found: list[ToolHit]) -> None:
    """Longest forms first, one-word forms as spelled (or in capitals), common words only standing apart."""
    assert lexicon().find(phrase) == found


def test_a_posting_naming_excel_needs_the_spreadsheet_skill(client: FlaskClient, engine: Engine) -> None:
    """With the real model and the hot O*NET tools: 'Excel' matches no ESCO label, yet the posting needs the ESCO
    skill of spreadsheet software, and the evidence names the tool."""
    category = engine.tools.categories["Spreadsheet software"]
    skill = next(s for s in engine.artifact.skills if s["id"] == category["id"])
    assert skill["label"] == "use spreadsheets software"
    text = "Produce the monthly variance analysis in Excel"
    evidence = {"source": "text", "phrase": text, "matched": category["matched"], "score": category["score"],
                "tool": {"name": "Microsoft Excel", "written": "Excel", "category": "Spreadsheet software",
                         "source": "O*NET 29.2"}}
    skills = client.post("/v1/skills/extract", json={"text": text}).get_json()["skills"]
    found = [s for s in skills if s["id"] == skill["id"]]
    assert found == [{"id": skill["id"], "label": skill["label"], "kind": skill["kind"], "score": category["score"],
                      "evidence": [evidence]}]
