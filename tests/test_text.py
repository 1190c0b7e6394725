"""Splitting postings: list items named inside longer phrases are matched on their own."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from service import calibration
from service.config import ROOT
from service.engine import target
from service.engine.core import ALT, DESCRIPTION, LABEL, skill_languages, trapped_roles
from service.engine.duty_verbs import DUTY_VERBS, NOT_DUTIES
from service.engine.target import matchable
from service.engine.text import (
    COMPANY_VOICE,
    MAX_PHRASE,
    SOFTWARE_ENGINEER,
    badge_name,
    first_alternative,
    foreign_language,
    head_title,
    head_words,
    is_boilerplate,
    is_site_line,
    is_vetting,
    known_titles,
    licence_title,
    marked_parts,
    mentions,
    named_titles,
    posting_parts,
    reads_as_title,
    says_nothing,
    singular_acronyms,
    singular_title,
    split,
    strip_tags,
    supervisor_title,
    title_candidates,
    title_lines,
    title_variants,
    unlisted_languages_out,
)
from service.engine.tools import ToolHit
from service.index import Hit

from .catalogs import catalogue


@pytest.mark.parametrize(("phrase", "items"), [
    ("You will build REST APIs with Django and PostgreSQL, deploy on AWS using Docker",
     ["build REST APIs", "Django", "PostgreSQL", "deploy on AWS", "Docker"]),
    ("3+ years of experience in data engineering", ["data engineering"]),
    ("Experience with Git, Linux and agile (Scrum) is a plus", ["Git", "Linux", "agile", "Scrum"]),
    ("administer medication, monitor vital signs and maintain patient records",
     ["administer medication", "monitor vital signs", "maintain patient records"]),
    ("strong SQL", []),  # short phrases are matched whole already
    ("good communication skills in English", ["communication skills", "English"]),
])
def test_mentions(phrase: str, items: list[str]) -> None:
    """Items split at list separators and prepositions, filler words stripped, the phrase itself never repeated."""
    assert mentions(phrase) == items


def test_matchable_trusts_list_items_only_when_close() -> None:
    """Phrases keep the phrase threshold; one-word items must read as names; items need the stricter threshold, and so
    does a phrase of one word, which stands alone as an item does (a place: "Waikato" met *sign language*)."""
    kept = ["Experience with Git, design and Scrum", "Git", "Waikato", "Milking cows"]
    assert matchable(kept) == [
        (kept[0], calibration.PHRASE_SKILL), ("Git", target.MENTION_SKILL), ("Waikato", target.MENTION_SKILL),
        ("Milking cows", calibration.PHRASE_SKILL), ("Scrum", target.MENTION_SKILL),
    ]


def test_a_capital_opening_the_phrase_is_not_a_name() -> None:
    """'Plan' only starts the sentence, so it is no item; 'Year 6' is all filler (years, a number); the clause after
    "and" is read at the phrase bar (target.READ_CLAUSES)."""
    kept = ["Plan and deliver engaging lessons in Year 6"]
    assert matchable(kept) == [(kept[0], calibration.PHRASE_SKILL),
                               ("deliver engaging lessons in Year 6", calibration.PHRASE_SKILL),
                               ("deliver engaging lessons", target.MENTION_SKILL)]


def test_posting_head_keeps_the_opening_words() -> None:
    """Role matching reads the first ROLE_TEXT_WORDS words of the kept phrases, across phrase boundaries."""
    first, second = [f"w{i}" for i in range(50)], [f"x{i}" for i in range(50)]
    assert target.posting_head([" ".join(first), " ".join(second)]) == " ".join(first + second[:30])


@pytest.mark.parametrize(("title", "variants"), [
    ("data analyst", ["data analyst"]),
    ("Accountant (m/f/d)", ["Accountant"]),
    ("Sales Manager m/w/d", ["Sales Manager"]),
    ("Senior Java Developer (f/m/x) | Berlin", ["Senior Java Developer | Berlin", "Java Developer"]),
    ("Registered Nurse - ICU - Night shifts", ["Registered Nurse - ICU - Night shifts", "Registered Nurse"]),
    ("Sr. Data Scientist", ["Sr. Data Scientist", "Data Scientist"]),
    ("shop assistant/sales assistant", ["shop assistant/sales assistant"]),
    ("import specialist in furniture, carpets and lighting", ["import specialist in furniture, carpets and lighting"]),
    ("Project Mgr", ["Project Mgr", "Project manager"]),
    ("Sr. SWE (m/w/d) - Remote", ["Sr. SWE - Remote", "SWE", "software engineer"]),
    ("Maintenance Tech", ["Maintenance Tech", "Maintenance technician"]),
    ("Tech Lead", ["Tech Lead", "technology Lead"]),
    ("Junior Front-End Dev (Vue)", ["Junior Front-End Dev (Vue)", "Front-End Dev (Vue)", "Front-End developer (Vue)"]),
    ("Tech Lead (Python)", ["Tech Lead (Python)", "technology Lead (Python)"]),  # the head before the brackets
    ("Dev Ops Eng", ["Dev Ops Eng", "DevOps engineer"]),
    ("PA to CEO", ["PA to CEO", "personal assistant to chief executive officer"]),
    ("ML Engineer", ["ML Engineer", "machine learning Engineer"]),
    ("Senior SRE", ["Senior SRE", "SRE", "site reliability engineer"]),
    ("AI Engineer", ["AI Engineer", "artificial intelligence Engineer"]),
    ("FLT Driver", ["FLT Driver", "forklift truck Driver"]),
    ("RGN - Nights", ["RGN - Nights", "RGN", "registered general nurse"]),
    ("Band 5 Staff Nurse", ["Band 5 Staff Nurse", "Staff Nurse"]),  # an NHS pay band, like a seniority word
    ("Medior Backend Developer", ["Medior Backend Developer", "Backend Developer"]),  # Dutch: between junior and senior
    ("Level 3 Nursery Practitioner", ["Level 3 Nursery Practitioner", "Nursery Practitioner"]),
    ("1st Line Support Analyst", ["1st Line Support Analyst", "information technology Support Analyst"]),
    ("2nd Line IT Support", ["2nd Line IT Support", "information technology Support"]),
    ("L&D Manager", ["L&D Manager", "learning and development Manager"]),
    ("Apprentice Joiner", ["Apprentice Joiner", "Joiner"]),  # ESCO gives "apprentice" as an alt title of cook
    ("Locum GP - Cork", ["Locum GP - Cork", "GP", "general practitioner"]),
    ("graduate quantity surveyor", ["graduate quantity surveyor", "quantity surveyor"]),
    ("level crossing signalperson", ["level crossing signalperson"]),  # an ESCO title: "level" without a number stays
    ("Teaching Assistant (Level 2) - KS1", ["Teaching Assistant (Level 2) - KS1", "Teaching Assistant"]),  # a grade
    ("Payroll Officer (Grade IV)", ["Payroll Officer (Grade IV)", "Payroll Officer"]),  # in Roman numerals too
    ("it support", ["it support"]),  # lower-case 'it' is a word, not IT
    ("Customer Service Advisor (Remote)", ["Customer Service Advisor (Remote)", "Customer Service Advisor"]),
    ("Sales Associate, Part Time", ["Sales Associate, Part Time", "Sales Associate"]),
    ("Barista (Part-Time, Weekends)", ["Barista (Part-Time, Weekends)", "Barista"]),
    ("Security Officer (£11.44 per hour)", ["Security Officer (£11.44 per hour)", "Security Officer"]),
    ("Bookkeeper Part-time 20hrs", ["Bookkeeper Part-time 20hrs", "Bookkeeper"]),
    ("checkout operators (20-25 hrs)", ["checkout operators (20-25 hrs)", "checkout operators"]),  # a range of hours
    ("Cleaner (16\u201320 hours per week)", ["Cleaner (16\u201320 hours per week)", "Cleaner"]),
    ("Forklift Operator 2nd shift", ["Forklift Operator 2nd shift", "Forklift Operator"]),
    ("Kitchen Porter x2", ["Kitchen Porter x2", "Kitchen Porter"]),
    ("trimmer (\u00a330k + benefits)", ["trimmer (\u00a330k + benefits)", "trimmer"]),
    ("Driver (DOE)", ["Driver (DOE)", "Driver"]),
    ("Bonus Clerk", ["Bonus Clerk"]),  # a pay word opening a title is part of it
    ("Teacher (Maths)", ["Teacher (Maths)"]),  # a bracketed specialisation is part of the title
    ("construction general contractor", ["construction general contractor"]),  # an ESCO title, not a tag
    ("lady of the night", ["lady of the night"]),
    ("Nights", ["Nights"]),  # nothing would remain
    ("\u2605 Senior Chef \u2605 - London", ["Senior Chef \u2022 - London", "Chef"]),
])
def test_title_variants(title: str, variants: list[str]) -> None:
    """Gender markers go; the core (first segment, no job-board tags, no seniority) is tried too when it differs."""
    assert title_variants(title) == variants


@pytest.mark.parametrize("phrase", [
    "Tips shared equally, staff meals provided", "Staff discount of 30%, flexible hours",
    "We offer competitive pay, tuition reimbursement and a sign-on bonus", "Warehouse Operative - £12.50 per hour",
    "30 days vacation, Jobrad, hybrid work", "Free parking and a cycle-to-work scheme",
    "Enjoy 25 days holiday plus bank holidays", "Use of the on-site gym", "Matching 401k up to 6%",
    "Training budget of 2,000 per year", "Benefits include a pension", "Full-time, permanent",
    "This is a full-time, permanent position based in our Manchester office",
    "The successful candidate will be subject to an enhanced DBS check", "Join our store team!",
    "Are you passionate about fashion and love helping customers?",
    "Reed is acting as an employment agency in relation to this vacancy", "This employer participates in E-Verify",
    "Applicants with disabilities may be entitled to reasonable accommodation", "We are a drug-free workplace",
    "Hybrid", "Remote", "Full-time, Permanent", "Nights",  # job-board tags alone ("Hybrid": hybrid vehicles)
    "The role is hybrid, with at least two days a week at our Calgary office",
    "Gear supplied, ongoing training", "Meals provided on board", "Full training provided",  # what it provides
    "Security clearance", "Enhanced DBS required", "Garda vetting applies", "Police check",  # vetting the candidate
    "Must be able to obtain and maintain a Secret security clearance", "Working with Children Check required",
    "Successful candidates will be asked to complete a basic DBS check",
    "Must be authorized to work in the US", "You must be eligible to work in the UK",  # the right to work
    "Applicants must have the right to work in Ireland", "Candidates must hold full right to work",
    "Aboriginal and Torres Strait Islander people are encouraged to apply",
    "Pass a pre-employment drug test", "Must pass a drug and alcohol test", "Current NDIS Worker Screening Check",
    "No sponsorship available", "Must have Stamp 4 or EU passport", "Applicants must hold Stamp 4 or Stamp 1G",
    "Valid work permit required", "Only applicants with the right to work in Australia will be considered",
    "Posted by CPL on IrishJobs.ie", "apply with your CV",  # work permits and visas; a job site's lines
    "Stamp 1G or Stamp 4",  # a status, though "stamp" opens duties
    "Current Blue Card",  # Queensland's working-with-children check
    "Remuneration: market related", "Medical aid and provident fund", "13th cheque",  # South African adverts
    "Appointments will be made in line with the EE plan of the company", "Preference will be given to EE/AA candidates",
    "By applying you consent to the processing of your information in terms of POPIA", "Own transport required",
    "Live-in accommodation", "Transport allowance",
    "CAD $85,000", "CAD $85,000\u2013$100,000", "\u00a332,500", "AUD 95k", "S$5,000 - S$6,500",  # pay, a code first
    "Department for Work and Pensions", "Veterans Health Administration", "Department of Health",  # employers
    "Department of Climate Change, Energy, the Environment and Water", "South Western Sydney Local Health District",
])
def test_benefits_and_pay_are_boilerplate(phrase: str) -> None:
    """Benefits and pay lines as real postings word them are set aside, not matched as skills."""
    assert is_boilerplate(phrase)


@pytest.mark.parametrize("phrase", [
    "Process accounts payable and receivable, and chase overdue invoices", "Operate the till and handle cash",
    "Control waste and food costs", "Administer medications and IV therapy in line with policy",
    "Plan and manage budgets of up to 2 million", "Negotiate rates with suppliers",
    "Experience with Power BI dashboards is a bonus", "Knowledge of Kafka would be a big plus",
    "Sell holiday packages to customers", "Administer payroll and pension contributions",
    "Assist the dentist with dental procedures", "Coordinate diversity and inclusion initiatives",
    "Processing salary payments and deductions", "Organizing staff holidays", "Manage the gym floor",
    "Manage the payroll and remuneration of drivers", "Transport patients to and from appointments",
    "You will administer employee benefits", "Experience with payroll and pensions",
    "Part-time bookkeeper needed for a small accounting practice", "Carry out DBS checks on new volunteers",
    "Join our team as a Junior Developer and help build our platform", "Do you have a full UK driving licence?",
    "Provide reasonable accommodations to employees with disabilities", "Draft the privacy policy for the website",
    "We're a fast-growing DTC skincare brand and we're hiring a Digital Marketing Manager to own our growth",
    "Hybrid cloud architecture", "Contract management", "Support users who work remotely on hybrid cloud services",
    "Ensure PPE is provided to all staff on site", "Develop web software based on the designs provided",
    "Web developers develop and document web software based on the designs provided",
    "Manage security clearance applications for new starters",  # a duty about vetting, not being vetted
    "Manage sponsorship deals with brand partners", "Secure sponsorship for our events",
    "Process work permits for contractors on site", "Stamp and file incoming post",
    "Ensure hot work permits are required before welding", "Work permits required for all hot works",
    "Must be familiar with work permits and isolation procedures", "Handle work permits required for overseas staff",
    "Music degree or teaching diploma, own transport and Garda vetting required",  # more is asked than vetting
    "Advise clients on work permit and visa applications",  # a duty about the right to work
    "Right to work checks and DBS checks for new starters", "Authorised to work in confined spaces",
    "Hot work permits and isolations", "Conduct drug and alcohol testing of staff",
    "Undergo medical examinations of new recruits",  # a duty
    "Department of Transportation medical card required", "Mental Health", "Public Health",  # no employer alone
    "CAD drawings", "AutoCAD", "Head of Department",
    "Database Administration", "System Administration", "Experience of Local Government",  # not employers (review)
    "Master of Business Administration", "Technical Design Authority", "State of California Driver License",
    "Department of Transportation Medical Card Required",
    "Amazon Web Services", "Azure Data Services", "Adult Social Care Services",  # a name by "Services" is a product
])
def test_requirements_are_not_boilerplate(phrase: str) -> None:
    """Requirement phrases that touch money, rates or hours stay, and so do the duties of payroll, HR, travel,
    dental and fitness jobs that name pay, pensions, holidays or benefits."""
    assert not is_boilerplate(phrase)


def test_a_shared_exact_name_goes_to_the_record_it_is_the_preferred_name_of() -> None:
    """Three records named 'SQL' (one by its preferred label, two by an alt label, as ESCO's *SQL* and *database
    management systems*): the preferred one scores as itself; the alt-label holders yield and score as their blend,
    so they are no longer exact matches too; among them the closer description wins."""
    labels = [Hit(7, 1.0, 70, ALT), Hit(9, 1.0, 90, LABEL), Hit(3, 1.0, 30, ALT), Hit(5, 0.8, 50, LABEL)]
    described = [Hit(7, 0.9, 71, DESCRIPTION), Hit(3, 0.8, 31, DESCRIPTION), Hit(9, 0.6, 91, DESCRIPTION),
                 Hit(5, 0.5, 51, DESCRIPTION)]
    ranked = target.mixed(labels, described, 4, 0.7)
    assert [(h.owner, round(h.score, 4), h.kind) for h in ranked] == [(9, 1.0, LABEL), (7, 0.97, ALT),
                                                                      (3, 0.94, ALT), (5, 0.71, LABEL)]


def test_an_exact_alt_name_scores_as_itself_when_no_record_is_named_so() -> None:
    """Without a record whose preferred name it is, an exact alt label scores as itself (1.0), whatever its
    description."""
    labels = [Hit(7, 1.0, 70, ALT), Hit(5, 0.8, 50, LABEL)]
    described = [Hit(5, 0.9, 51, DESCRIPTION), Hit(7, 0.3, 71, DESCRIPTION)]
    assert [(h.owner, round(h.score, 4)) for h in target.mixed(labels, described, 2, 0.7)] == [(7, 1.0), (5, 0.83)]


def test_an_exact_alt_title_is_blended_when_alt_names_are_not_trusted() -> None:
    """With exact_alt=False (titles), only an exact preferred name scores as itself; an exact alt title is blended
    with its description like any match, so a closer occupation can pass it ('crew member' is an ESCO alt title of
    decksman)."""
    labels = [Hit(7, 1.0, 70, ALT), Hit(5, 0.9, 50, LABEL)]
    described = [Hit(5, 0.8, 51, DESCRIPTION), Hit(7, 0.3, 71, DESCRIPTION)]
    ranked = target.mixed(labels, described, 2, 0.7, exact_alt=False)
    assert [(h.owner, round(h.score, 4)) for h in ranked] == [(5, 0.87), (7, 0.79)]
    assert [h.owner for h in target.mixed(labels, described, 2, 0.7)] == [7, 5]


def test_an_exact_title_mapped_by_hand_scores_as_itself_among_blended_alt_titles() -> None:
    """With exact_alt=False, an exact alt title whose row exact_rows flags (a title mapped to its role by hand: "gas
    engineer" on *gas service technician*) scores as itself; an unflagged exact alt title is still blended, and a
    flagged row yields to a record whose preferred name the title is."""
    labels = [Hit(7, 1.0, 70, ALT), Hit(5, 0.9, 50, LABEL)]
    described = [Hit(5, 0.8, 51, DESCRIPTION), Hit(7, 0.3, 71, DESCRIPTION)]
    flagged, unflagged = np.zeros(100, bool), np.zeros(100, bool)
    flagged[70] = True
    ranked = target.mixed(labels, described, 2, 0.7, exact_alt=False, exact_rows=flagged)
    assert [(h.owner, round(h.score, 4)) for h in ranked] == [(7, 1.0), (5, 0.87)]
    ranked = target.mixed(labels, described, 2, 0.7, exact_alt=False, exact_rows=unflagged)
    assert [(h.owner, round(h.score, 4)) for h in ranked] == [(5, 0.87), (7, 0.79)]
    named = [Hit(7, 1.0, 70, ALT), Hit(5, 1.0, 50, LABEL)]
    ranked = target.mixed(named, described, 2, 0.7, exact_alt=False, exact_rows=flagged)
    assert [(h.owner, round(h.score, 4)) for h in ranked] == [(5, 1.0), (7, 0.79)]


def test_list_enumerators_are_not_part_of_a_phrase() -> None:
    """'3)', '(b)' and 'iv)' open list items; the items are matched without them."""
    text = "Requirements: 1) Manage payroll; (b) valid driving licence; iv) Excel\n3) Reconcile bank statements"
    assert posting_parts(text) == (
        ["Manage payroll", "valid driving licence", "Excel", "Reconcile bank statements"], [])


def test_glyph_bullets_are_not_part_of_a_phrase() -> None:
    """Ticks, arrows, shapes and emoji used as bullets (and 'o ') open items, split a line, and never reach the
    encoder; a heading behind one still sets its section aside."""
    text = ("What you'll do:\n\u2713 Build REST APIs in Python\n\u27a2 Deploy to AWS \u27a2 Review code\n"
            "o Maintain CI/CD pipelines\n\U0001f539 Agile/Scrum\n\u2714\ufe0f Strong SQL\n"
            "\u2728 What we offer:\n\U0001f381 Free lunch and gym")
    assert posting_parts(text) == (
        ["Build REST APIs in Python", "Deploy to AWS", "Review code", "Maintain CI/CD pipelines", "Agile/Scrum",
         "Strong SQL"], ["What we offer", "Free lunch and gym"])


def test_job_site_lines_are_set_aside() -> None:
    """Reference, location and pay fields on one line, links, addresses, phone numbers, "posted ... ago",
    applicant counts and tracking hashtags name no skill; ISO 9001 and a heading that mentions applicants do."""
    text = ("Job Reference: JR-10234 | Location: Manchester, UK | Salary: \u00a332,000\n"
            "Apply at https://careers.example.com/jobs/1 or email jobs@example.com\n"
            "Call 0161 496 0000 for an informal chat.\nPosted 3 days ago \u00b7 45 applicants\n"
            "Applicants must have:\n- ISO 9001 auditing\n- Reconcile bank statements in Xero\n#LI-Hybrid #finance")
    assert posting_parts(text) == (
        ["ISO 9001 auditing", "Reconcile bank statements in Xero"],
        ["Job Reference", "JR-10234", "Location", "Manchester, UK", "Salary",
         "Apply at https://careers.example.com/jobs/1 or email jobs@example.com",
         "Call 0161 496 0000 for an informal chat", "Posted 3 days ago", "45 applicants", "#LI-Hybrid #finance"])


def test_job_board_fields_are_set_aside_with_their_values() -> None:
    """"Job Title:", "Company:", "Department:" and "Reports to:" fields name the post and the employer, not skills
    ("Company" had matched *represent the company*); a label that is more than a field ("Industry experience:") heads
    a requirement, a field label alone on its line sets aside nothing after it, and a value's requirements stay."""
    text = ("Job Title: Medical Billing Specialist\nCompany: Lakeside Family Clinic\nDepartment: Revenue Cycle\n"
            "Reports to: Practice Manager\nIndustry experience: 2 years in medical billing\nCompany:\n"
            "Submit claims to insurers and follow up on denials\n"
            "Position Title: Care Assistant. Must hold NVQ Level 2 and handle medication administration")
    assert posting_parts(text) == (
        ["Industry experience", "2 years in medical billing", "Submit claims to insurers and follow up on denials",
         "Must hold NVQ Level 2 and handle medication administration"],
        ["Job Title", "Medical Billing Specialist", "Company", "Lakeside Family Clinic", "Department",
         "Revenue Cycle", "Reports to", "Practice Manager", "Position Title", "Care Assistant"])


def test_no_esco_title_reads_as_a_tagged_one() -> None:
    """strip_tags leaves all 33k ESCO titles and alt titles whole: what it strips is never part of an occupation."""
    titles = [t for r in catalogue("roles") for t in [r["title"], *r.get("alt_titles", [])]]
    assert len(titles) > 30_000
    assert [t for t in titles if strip_tags(t) != t] == []


def test_neighbour_roles_weigh_by_distance_from_the_best() -> None:
    """Roles within ROLE_NEIGHBOUR_MARGIN of the best share a profile; one ROLE_TEMPERATURE (0.1) below the best
    weighs 1/e of it; below the threshold no role is trusted."""
    matches = [(4, 0.9), (7, 0.8), (2, 0.65), (9, 0.6)]
    assert [(p, round(w, 4)) for p, w in target.neighbour_roles(matches, 0.45)] == [(4, 0.7311), (7, 0.2689)]
    assert target.neighbour_roles(matches, 0.95) == []


def test_an_unheaded_company_blurb_is_set_aside() -> None:
    """A blurb opening the ad without an "About us" heading: the company's sentences about itself are dropped, the
    sentences in its voice that speak of the job stay."""
    text = ("Acme Logistics is one of the UK's leading third-party logistics providers, operating 40 sites. "
            "We have been trusted by our customers for over 30 years and pride ourselves on our people-first culture. "
            "Our mission is to make freight simple. At Acme, we move what matters.\n"
            "We are currently recruiting Warehouse Operatives to join our busy distribution centre.\n"
            "- Picking and packing customer orders using RF scanners\n- Our stack includes SAP EWM\n"
            "- Support our customers by phone and email")
    assert posting_parts(text) == (
        ["We are currently recruiting Warehouse Operatives to join our busy distribution centre",
         "Picking and packing customer orders using RF scanners", "Our stack includes SAP EWM",
         "Support our customers by phone and email"],
        ["Acme Logistics is one of the UK's leading third-party logistics providers, operating 40 sites",
         "We have been trusted by our customers for over 30 years and pride ourselves on our people-first culture",
         "Our mission is to make freight simple", "At Acme, we move what matters"])


@pytest.mark.parametrize("phrase", [
    "St Mary's is an award-winning independent hospital group", "They are a family-run business",
    "Since 1985, Harper & Co has provided engineering services to the oil and gas industry",
    "We're a B Corp on a mission to make sustainable fashion accessible",
    "Our client is a well-established manufacturing company based in the Midlands",
    "Are you ready for your next challenge?",
    "We're a member-owned financial co-operative with 34 branches across Alberta",
])
def test_company_voice_is_boilerplate(phrase: str) -> None:
    """A company describing itself names no skill the job needs."""
    assert is_boilerplate(phrase)


@pytest.mark.parametrize("phrase", [
    "We are looking for a Data Engineer to build and maintain our data pipelines",
    "Our nurses deliver evidence-based care to patients on the surgical ward", "SAP is a plus",
    "We work in an agile way, using Scrum and two-week sprints", "The Finance Manager is a key member of the team",
    "Python is a must and experience with Go is an advantage", "Our team is responsible for customer-facing APIs",
])
def test_job_sentences_in_the_company_voice_are_not_boilerplate(phrase: str) -> None:
    """Sentences with 'we', 'our' or a capitalised subject that speak of the job stay."""
    assert not is_boilerplate(phrase)


def test_no_esco_occupation_description_reads_as_company_voice() -> None:
    """Of the 7k sentences in ESCO's occupation descriptions, none is taken for a company describing itself."""
    sentences = [p for r in catalogue("roles") for p in split(r["description"])]
    assert len(sentences) > 7_000
    assert [s for s in sentences if COMPANY_VOICE.search(s)] == []


def test_a_labelled_field_under_benefits_does_not_end_the_section() -> None:
    """'Hybrid working: two days from home' under 'Benefits' is a benefit; only a requirements heading
    ('Requirements: ...') ends the skipped section."""
    text = ("Benefits\n- Hybrid working: two days from home\n- Private medical insurance\n- Training budget\n"
            "Requirements: 3 years of SQL\n- Python")
    assert posting_parts(text) == (
        ["3 years of SQL", "Python"],
        ["Benefits", "Hybrid working", "two days from home", "Private medical insurance", "Training budget"])


def test_duty_verbs_are_the_verbs_that_open_esco_skill_labels() -> None:
    """duty_verbs.DUTY_VERBS is the first word of every ESCO skill label in the catalogue, less NOT_DUTIES."""
    firsts = {r["label"].split()[0].lower() for r in catalogue("skills") if r["kind"] == "skill"}
    assert DUTY_VERBS == {w for w in firsts if w.isalpha()} - NOT_DUTIES


def test_job_board_fields_are_set_aside_and_requirements_kept_without_their_marks() -> None:
    """A posting in a job board's field layout (job types, pay, hours, relocation, work location, shift, work
    authorization, its "Job details" block) and the site's "Full job description" label are set aside; "Driver's
    License (Required)" stays, without its mark."""
    text = ("Full job description\nDelivery Driver needed for local routes.\nJob Types: Full-time, Part-time\n"
            "Pay: $18.00 - $21.00 per hour\nExpected hours: 20 – 40 per week\nExperience:\n"
            "Delivery driver: 1 year (Preferred)\nLicense/Certification:\nDriver's License (Required)\n"
            "Ability to Relocate:\nHouston, TX 77002: Relocate before starting work (Required)\n"
            "Work Location: In person\nShift: 7p-7a, 3x12s\nWork authorization:\nUnited States (Required)\n"
            "Job details\nHere's how the job details align with your profile.")
    assert posting_parts(text) == (
        ["Delivery Driver needed for local routes", "Delivery driver", "1 year", "Driver's License"],
        ["Full job description", "Job Types", "Full-time, Part-time", "Pay", "$21.00 per hour", "Expected hours",
         "40 per week", "Ability to Relocate", "Houston, TX 77002", "Relocate before starting work", "Work Location",
         "In person", "Shift", "7p-7a, 3x12s", "Work authorization", "United States", "Job details",
         "Here's how the job details align with your profile"])


@pytest.mark.parametrize(("title", "variants"), [
    ("Senior Frontend Engineer", ["Senior Front end software developer", "Front end software developer"]),
    ("Backend Engineer", ["Back end software developer"]),
    ("iOS/Android Engineer", ["iOS/Android software developer"]),
    ("Front-End Software Engineer", ["Front end software developer"]),
    ("Software Engineer", ["Software Engineer"]),  # an ESCO alt title as it is
    ("Electrical Engineer", ["Electrical Engineer"]),
    ("Mechanical Engineer (Go-Kart)", ["Mechanical Engineer (Go-Kart)"]),
])
def test_a_software_engineer_title_reads_as_a_software_developer(title: str, variants: list[str]) -> None:
    """'<language or stack> Engineer' is read as '... software developer', the name ESCO gives these roles."""
    assert title_variants(title) == variants


def test_no_esco_title_reads_as_a_software_engineer_title() -> None:
    """The rewrite touches none of the ESCO titles and alt titles."""
    titles = [t for r in catalogue("roles") for t in [r["title"], *r.get("alt_titles", [])]]
    assert [t for t in titles if SOFTWARE_ENGINEER.search(t)] == []


@pytest.mark.parametrize(("text", "line"), [
    ("Registered Nurse (RGN) - Surgical Ward\nHarbourside Hospital", "Registered Nurse (RGN) - Surgical Ward"),
    ("<h1>Data Engineer</h1><p>We build pipelines.</p>", "Data Engineer"),
    ("Location: Leeds\nJob ID: REQ-10442\nData Engineer\nYou will", "Data Engineer"),  # under job-site lines
    ("Ref: 12345 \u00b7 Leeds \u00b7 Posted 3 days ago \u00b7 44 applicants\nBarista\nx", "Barista"),
    ("Sr. Developer\nx", "Sr. Developer"),
    ("We are looking for a nurse. You will plan care", None),  # a sentence
    ("About us\nWe are a hospital", None),  # a heading
    ("Competitive salary and benefits\nNurse", "Nurse"),  # job-board tags, like a job-site line
    ("Generous pension and 25 days holiday\nNurse", None),  # boilerplate
    ("Office Cleaner - Evenings (Part time)\nPay: \u00a312.00 per hour", "Office Cleaner - Evenings (Part time)"),
    ("Warehouse Operative - Nights (Full time)\nx", "Warehouse Operative - Nights (Full time)"),  # tags, no terms
    ("Part-Time Sales Assistant\nx", "Part-Time Sales Assistant"),  # terms, not boilerplate
    ("Bookkeeper (Part-time, 3 days)\nx", "Bookkeeper (Part-time, 3 days)"),
    ("Part-time\nNurse", "Nurse"),  # a tag alone, like a job-site line
    ("Job Title: Data Analyst\nLocation: Leeds", "Data Analyst"),  # a field naming the job: its value
    ("Location: Leeds\nPosition: Staff Nurse (Band 5)\nx", "Staff Nurse (Band 5)"),
    ("Job title:\nBarista\nx", "Barista"),  # the label alone, its value below
    ("URGENT: Care Assistant\nx", "Care Assistant"),  # a call before the title
    ("We're hiring - Kitchen Porter\nx", "Kitchen Porter"),
    ("New-build Site Manager\nx", "New-build Site Manager"),  # no call: a word of the title
    ("Role-play Actor\nx", "Role-play Actor"),
    ("Role: You will lead our kitchen team and plan menus.\nx", None),  # a sentence is no title
    ("Requirements:\nPython", None),
    ("Nurses plan and deliver care for patients on our wards every day of the week all year round", None),  # long
    ("x" * 19000 + " nurse\nWe", None),  # one long word is no title
    ("Teaching Assistant - SEN 1:1 Support (KS1)\nx", "Teaching Assistant - SEN 1:1 Support (KS1)"),  # a ratio
    ("Mon-Fri 9:00-17:00\nCook\nx", "Cook"),  # clock times make a job-site line
    ("Reachtruck driver (m/f/x) \u2013 Port of Antwerp \u2013 start ASAP!\n\nHey! Our client needs drivers.",
     "Reachtruck driver \u2013 Port of Antwerp \u2013 start ASAP!"),  # a call after the last dash ends no sentence
    ("Kitchen Porter - Immediate Start!\nx", "Kitchen Porter - Immediate Start!"),
    ("Deckhand - come and join our friendly crew today!\nWe run ferries.", None),  # a sentence after the dash
])
def test_the_title_line_of_a_posting(text: str, line: str | None) -> None:
    """A posting's first line (under job-site lines at most) is its title line when it reads as a title."""
    assert (title_lines(text) or [None])[0] == line


@pytest.mark.parametrize(("text", "lines"), [
    ("Northgate Group Ltd\nWarehouse Operative\nLocation: Leeds\nYou will", ["Northgate Group Ltd",
                                                                             "Warehouse Operative"]),
    ("Data Analyst\nLocation: Leeds\nBarista", ["Data Analyst", "Barista"]),  # past job-site lines
    ("Meridian Ltd\nJob ID: R-20417\nSOC Analyst (Tier 2)\nWe", ["Meridian Ltd", "SOC Analyst (Tier 2)"]),
    ("Northgate Group Ltd\nWe're Hiring!\nProduction Operative\nWe", ["Northgate Group Ltd", "Production Operative"]),
    ("We're Hiring!\nProduction Operative\nWe make ready meals.", ["Production Operative"]),  # a bare call: skipped
    ("Data Analyst\nSenior Data Analyst\nBarista", ["Data Analyst", "Senior Data Analyst"]),  # two at most
    ("Data Analyst\nYou will build dashboards. We want you.", ["Data Analyst"]),
    ("We are hiring. You will plan care\nNurse", []),
    ("About the job\nCustomer Success Manager\nWe are growing. You will", ["Customer Success Manager"]),
    # LinkedIn: the line above the meta line comes first, under a company line read as a title or as boilerplate
    ("Halden Microsystems\nEmbedded Software Engineer\nCambridge, England \u00b7 Hybrid \u00b7 Full-time",
     ["Embedded Software Engineer", "Halden Microsystems"]),
    ("Corrib Life Assurance DAC\nPricing Actuary\nDublin, County Dublin \u00b7 Hybrid \u00b7 Full-time\nAbout",
     ["Pricing Actuary"]),
    ("Product Manager\nFernhollow \u00b7 Manchester, England \u00b7 Hybrid\nAbout the job", ["Product Manager"]),
    # Indeed's location line sits under the company: no meta line, the first title line stays first
    ("Mortgage Adviser\nHarbourside Home Finance\nBristol BS1 \u00b7 Hybrid work\n", ["Mortgage Adviser",
                                                                                    "Harbourside Home Finance"]),
    ("Acme Ltd\nJob ID: R-1 \u00b7 Full-time\nWe make ready meals.", ["Acme Ltd"]),  # a field above: no title
    # a public employer's names above the title, as USAJOBS heads a posting: job-site lines, not titles
    ("Department of Health and Human Services\nNational Institutes of Health\n\nMathematical Statistician\nPay",
     ["Mathematical Statistician"]),
    ("University of Leeds\nLecturer in Law\nSchool of Law", ["Lecturer in Law", "School of Law"]),
    ("Head of Department\nOffice Manager\nWe", ["Head of Department", "Office Manager"]),
    ("Department of Veterans Affairs\nVeterans Health Administration\nHuman Resources Specialist\nSummary",
     ["Human Resources Specialist"]),
    ("NSW Health\nSouth Western Sydney Local Health District\nClinical Nurse Specialist\nAbout",
     ["Clinical Nurse Specialist", "About"]),
    # a council's directorate under its name (set 18's i05 went to *building caretaker* by it)
    ("North Harrowby District Council\nDirectorate of Place \u2013 Building Control Service\n\nBuilding Control "
     "Surveyor\nGrade 9: \u00a341,511 per annum", ["Building Control Surveyor"]),
    # a job's noun makes a line naming a public body a title (review)
    ("Professor of Public Health\nWe are hiring. You will teach.", ["Professor of Public Health"]),
    ("City of London Police Constable\nWe are hiring. You will patrol.", ["City of London Police Constable"]),
    ("Account Manager for Local Government\nWe are hiring. You will sell.", ["Account Manager for Local Government"]),
    # a county's service and division above an announcement's fields (set 20's g09)
    ("Clearwater County Human Services\nHousing Stability Division\nAnnouncement Number: HS-2025-0417\n"
     "Salary: $58,947.20\nLocation: Bend, OR\nJob Type: Full-time\nClosing Date: 05/02/2025\n"
     "Case Manager II - Housing Stability Program\nDUTIES", ["Case Manager II - Housing Stability Program"]),
    # an applicant-tracking system's block of fields, longer than three lines, above the title (set 20's g11)
    ("Job Requisition ID: R-0048213\nLocation: Columbus, OH\nTime Type: Full time\nJob Family: Finance & Accounting\n"
     "Worker Sub-Type: Regular\nPosted on: Posted 3 Days Ago\n\nStaff Accountant II\n\nHarlow Brands is a family-owned "
     "consumer packaged goods company with more than 1,400 associates.", ["Staff Accountant II"]),
    ("Location: Leeds\nShift: Nights\nPay: \u00a312\nRef: 1\nWe make ready meals. You will pack them.\nPacker", []),
    # a one-sentence hook above the title, as career pages open (set 20's g15, g25)
    ("Grow a beloved Canadian brand from coast to coast.\n\nMARKETING MANAGER\nWHO WE ARE\nWe make granola.",
     ["MARKETING MANAGER"]),
    ("Ready to sell the platform trades businesses run on?\nSenior Account Executive - Mid-Market (ANZ)\n\nAbout us",
     ["Senior Account Executive - Mid-Market (ANZ)"]),
    ("Acme Foods is a family-owned maker of granola, nut butters and snack bars sold across the whole of Canada and "
     "online.\nMarketing Manager\nWe", []),  # a blurb longer than a hook: title_under_blurb's case
    ("Data Analyst\nSenior Data Analyst\nWe", ["Data Analyst", "Senior Data Analyst"]),
    # the sharp of a language in a title line ends it (set 20's g21 had lost it)
    ("Software Engineer II - .NET / C#\nWe build payment rails. You will code.", ["Software Engineer II - .NET / C#"]),
])
def test_a_posting_may_name_its_title_second(text: str, lines: list[str]) -> None:
    """The title line and, when it reads as a title too, the next line past job-site lines and bare calls (under a
    company's name)."""
    assert title_lines(text) == lines


@pytest.mark.parametrize(("text", "titles"), [
    ("Wildfern Foods | Cork\n\nWe're looking for a Social Media Manager to own our channels.",
     ["Social Media Manager"]),
    ("Kenny & Doyle Decorating\nFamily firm looking for an experienced painter and decorator to join our crew.",
     ["painter and decorator"]),
    ("Acme Ltd is recruiting 20 Production Operatives for our high-care teams.", ["Production Operatives"]),
    ("As our Payroll Administrator, you will run the monthly payroll.", ["Payroll Administrator"]),
    ("Join our team as a Senior Chef de Partie in a busy kitchen.", ["Senior Chef de Partie"]),
    ("We are seeking a friendly, organised receptionist.", []),  # an adjective alone is no title
    ("Are you looking for a new challenge? We want a motivated individual.", []),
    ("Looking for a career in care? Our trainee scheme starts in May.", []),
    ("We're looking for someone who loves coffee.", []),
    ("Emerald Skies is looking for Cabin Crew to join our Dublin team.", ["Cabin Crew"]),  # no article: a capital
    ("Brisbane solar company after an experienced CEC-accredited solar installer to fit rooftop PV.",
     ["solar installer"]),
    ("Busy Bristol lock and security firm needs an experienced mobile locksmith for lock changes.",
     ["mobile locksmith"]),
    ("The Salty Pelican \u2013 Burleigh Heads' favourite beachfront bar \u2013 needs a BAR MANAGER to run the show.",
     ["BAR MANAGER"]),  # the employer set off by dashes
    ("The Salty Pelican, Burleigh Heads' favourite beachfront bar\u2014needs a BAR MANAGER to run the show.",
     ["BAR MANAGER"]),
    ("The role needs a confident communicator who can train staff.", []),  # not an employer that needs
    ("We're after a qualified Dairy Farm Assistant to join us.", ["Dairy Farm Assistant"]),
    ("The school is looking for a reliable Site Supervisor (caretaker) to open and lock up.",
     ["Site Supervisor (caretaker)"]),  # a short bracket stays with the title
    ("We are looking for a Barista (weekends only, some holidays and evenings too) to join.", ["Barista"]),
    ("You will be looking after a team of five.", []),
    ("Our kitchen team after a busy service enjoy a staff meal.", []),
    ("SuperValu Ballincollig are looking for friendly part-time checkout operators (20-25 hrs, evenings and "
     "weekends, EUR 13.50/hr) to serve customers.", ["checkout operators"]),  # plural, no article: a hiring word
    ("We are seeking experienced and passionate individuals to join us.", []),
    ("Looking for new challenges? Join us.", []),
    ("Busy independent IP practice needs an administrator with two years' experience to run a caseload.", []),
    ("We are looking for engineers to join our Leeds office.", []),  # a job family's bare noun names no job
    ("We are looking for a Payroll Administrator to join our team.", ["Payroll Administrator"]),
    # the employer's place between it and "needs"; a bracket's words do not count against the title's length
    ("Busy collision repair shop in Hamilton East needs a qualified panel painter / spray painter to join the crew.",
     ["panel painter / spray painter"]),
    ("We are looking for IRATA-certified Rope Access Technicians (Level 1 / Level 2) to join our team.",
     ["Rope Access Technicians (Level 1 / Level 2)"]),
    ("We are looking for a Senior Mechanical Design Engineer Team Lead Manager to join us.", []),  # seven words
    ("Busy salon in St. Albans needs a qualified hair stylist to join us.", ["hair stylist"]),
    ("Busy cafe in the CBD needs an experienced barista for weekday mornings.", ["barista"]),
    ("Family business in Newcastle upon Tyne needs a Pastry Chef to lead our mornings.", ["Pastry Chef"]),
])
def test_a_posting_may_name_its_title_in_a_sentence(text: str, titles: list[str]) -> None:
    """Titles named in hiring sentences, their adjectives dropped; challenges, careers and people are no titles."""
    assert named_titles(text) == titles


def test_title_candidates_put_the_title_lines_first() -> None:
    """Title lines come first; a title named in prose follows, marked as such, once."""
    text = "Northgate Group Ltd\nWarehouse Operative\n\nWe are looking for a Forklift Driver and a Warehouse Operative."
    assert title_candidates(text) == [("Northgate Group Ltd", False), ("Warehouse Operative", False),
                                      ("Forklift Driver", True)]


BLURB = ("Bridgewell Legal is a regulated law firm in Birmingham, helping families with immigration and asylum matters "
         "for over twenty years. Our clients come first.")


@pytest.mark.parametrize(("text", "candidates"), [
    (f"{BLURB}\n\nImmigration Caseworker\n\nLocation: Birmingham (hybrid)\nSalary: £27,000 - £31,000\n\nYou will "
     "manage a caseload.", [("Immigration Caseworker", False)]),
    (f"{BLURB}\n\nImmigration Caseworker\n\nYou will manage a caseload of visa applications.", []),  # no fields
    (f"{BLURB}\nLocation: Birmingham\nImmigration Caseworker\nSalary: £27,000", []),  # not the line below
    (f"{BLURB}\n\nAbout the role:\n\nLocation: Birmingham", []),  # a heading is no title
    (f"About us\n{BLURB}\n\nThe role\nImmigration Caseworker\nLocation: Birmingham", [("Immigration Caseworker",
                                                                                      False)]),  # under a heading
    (f"About us\n{BLURB}\nImmigration Caseworker\nSalary: £27,000", [("Immigration Caseworker", False)]),
    (f"{BLURB}\n30 hrs/week, Mon-Fri\nSalary: £27,000", []),  # hours are no title
    (f"{BLURB}\n\nWhat you'll do\n- Casework\n- Immigration Caseworker\nLocation: Birmingham", []),  # a list
    (f"{BLURB}\nJob Title: Software Engineer - C#\nLocation: Leeds", [("Software Engineer - C#", False)]),  # a field
    (f"{BLURB}\nAbout the role\nYou will support our Head of Immigration.\nKey responsibilities\n- Prepare visa "
     "applications and appeal bundles\n- Draft letters to clients, visas and accommodation\n- Brief counsel: agendas, "
     "bundles", []),  # a list under a second heading, however short its items
])
def test_a_title_below_a_company_blurb_and_above_fields_is_a_title_line(
        text: str, candidates: list[tuple[str, bool]]) -> None:
    """A posting opening with its company's paragraph has its title on the next line when job-site fields follow."""
    assert title_candidates(text) == candidates


def test_nice_to_have_requirements_are_marked() -> None:
    """A requirement under a "Desirable" heading, or one that calls itself a plus, a bonus, preferred or beneficial, is
    marked nice to have; words in brackets qualify the bracket only, and a phrase that says something is essential
    stays required."""
    text = ("Requirements:\n- Strong SQL and Python\n- GCP is a plus\n- Full UK driving licence (B+E an advantage)\n"
            "- Fluent English essential, Les Clefs d'Or membership an advantage\n"
            "- Bachelor's degree in accounting (Preferred)\n- Exposure to PCI DSS environments a bonus\n"
            "- Knowledge of Kafka would be beneficial\nDesirable:\n- Experience with Tableau\n- PRINCE2 Foundation\n\n"
            "What we offer:\n- Annual bonus\n")
    kept, dropped, optional = marked_parts(text)
    assert (kept, dropped) == posting_parts(text) == ([
        "Strong SQL and Python", "GCP is a plus", "Full UK driving licence (B+E an advantage)",
        "Fluent English essential, Les Clefs d'Or membership an advantage", "Bachelor's degree in accounting",
        "Exposure to PCI DSS environments a bonus", "Knowledge of Kafka would be beneficial", "Experience with Tableau",
        "PRINCE2 Foundation"], ["What we offer", "Annual bonus"])
    assert optional == {"GCP is a plus", "Bachelor's degree in accounting", "Exposure to PCI DSS environments a bonus",
                        "Knowledge of Kafka would be beneficial", "Experience with Tableau", "PRINCE2 Foundation"}
    assert marked_parts("Essential:\n- Excel\nDesirable:\n- Sage 50\nEssential:\n- Payroll")[2] == {"Sage 50"}


@pytest.mark.parametrize(("text", "optional"), [
    ("Requirements\n- IV drug administration\nDesirable\n- Mentorship qualification", {"Mentorship qualification"}),
    ("What you need:\n- Java 17\nGood to have:\n- Experience with Kafka", {"Experience with Kafka"}),
    ("Requirements\n- SACE registration\nAdvantageous\n- Experience with CAPS", {"Experience with CAPS"}),
    ("What you will do\n- Design flows\nBonus points\n- Experience with design systems",
     {"Experience with design systems"}),
    ("Desirable\n- Sage 50\nEssential\n- Payroll", {"Sage 50"}),  # a bare "Essential" ends the section
    ("Requirements\n- Instrumentation experience is an asset\n- Not essential but Xero helpful\n"
     "- Helpful attitude with customers\n- Asset management experience",
     {"Instrumentation experience is an asset", "Not essential but Xero helpful"}),
    ("Requirements\n- Strong Revit skills are expected, and LEED experience is a real asset", set()),
    ("Requirements\n- Python\nDesirable: Tableau\nDesirable\n- Looker\nEssential: Payroll", {"Tableau", "Looker"}),
    ("Essential and desirable criteria:\n- NMC registration\nAsset management duties:\n- Keep the register", set()),
    ("Requirements\n- Python\nNice to have\n- Python\n- Kotlin", {"Kotlin"}),  # asked for as required once: required
    ("Requirements\n- Friendly and helpful\n- Treat data as an asset across the business", set()),
    # "an asset" without a verb, as Canadian postings end a line (set 20's g07)
    ("What you need\n- PSW certificate\n- Second language (Italian, Punjabi, Arabic, Portuguese) an asset\n"
     "- French a definite asset.\n- Experience at an asset management firm",
     {"Second language (Italian, Punjabi, Arabic, Portuguese) an asset", "French a definite asset"}),
])
def test_nice_to_have_headings_and_wordings(text: str, optional: set[str]) -> None:
    """A ranking heading alone on its line, with or without a colon, marks the requirements below it; "an asset" and
    a trailing "helpful" mark their phrase; "helpful" naming a quality, or a phrase that also says what is expected,
    does not."""
    assert marked_parts(text)[2] == optional


def test_what_a_posting_does_not_ask_for_and_its_pay_fields_are_set_aside() -> None:
    """"You do not need ...", "Degree not required" and "No experience needed" name no requirement, unless nice to
    have, a duty, or saying what else is needed; a "Wage:" or "Remuneration:" field is pay; "No Experience Required"
    after a title is a tag."""
    assert not is_boilerplate("Forklift licence not required, but warehouse experience essential")
    assert not is_boilerplate("Return medicines not required to the pharmacy")
    assert title_lines("Care Assistant - No Experience Required\nLocation: Leeds") == [
        "Care Assistant - No Experience Required"]
    text = ("Wage: $45.00/hour\nRemuneration: R30 000 per month\nRequirements\n- You do not need a forklift licence\n"
            "- Counterbalance experience\n- CISSP desirable but not required\n- Degree not required\n"
            "- No experience needed")
    assert marked_parts(text) == (
        ["Counterbalance experience", "CISSP desirable but not required"],
        ["Wage", "$45.00/hour", "Remuneration", "R30 000 per month", "You do not need a forklift licence",
         "Degree not required", "No experience needed"],
        {"CISSP desirable but not required"})


def test_a_title_under_a_heading_naming_the_job_is_a_title_line() -> None:
    """The line below "The role" (or "Position", "The job") that reads as a title is the title line, with or without
    fields below it; a sentence there is none."""
    blurb = "About us\nAcme Data is a fintech scale-up in Berlin building payment rails for small firms in Europe.\n\n"
    assert title_candidates(blurb + "The role\nSenior Data Engineer (m/w/d)\nYou will build our pipelines.") == [
        ("Senior Data Engineer", False)]
    assert title_candidates(blurb + "The role\nYou will build and run our streaming pipelines in Python.") == []
    assert title_candidates(blurb + "About the role\nReporting to the Head of Finance\nYou run month end.") == []
    for title in ("1st Line Support Engineer", "3D Artist"):  # a digit may open a title, not hours or pay
        assert title_candidates(f"{blurb}{title}\nLocation: Leeds") == [(title, False)]


def test_a_field_naming_the_job_below_a_company_blurb_is_a_title_candidate() -> None:
    """A "Position:" field in a block below the company's blurb is a title candidate after the title lines and before
    the titles named in prose, held to their bar (True); a field whose value is no title ("Role: Full-time, rotating
    shifts.", "Role: Reporting to the Practice Manager") is none, and a field among the opening lines is a title
    line."""
    text = ("At Bluewave CX, we help global brands look after their customers, and we are looking for an experienced "
            "Team Leader to join our Operations team.\n\nPosition: Team Leader - Contact Centre (UK Telco)\n"
            "Location: Century City, Cape Town\nRole: Full-time, rotating shifts. Apply now.\n"
            "Role: Reporting to the Practice Manager\nPOSITION: team leader - contact centre (uk telco)")
    assert title_candidates(text) == [("Team Leader - Contact Centre (UK Telco)", False), ("Team Leader", True)]
    assert title_candidates("Job Title: Data Analyst\nWe need a Data Analyst.") == [("Data Analyst", False)]


def test_a_field_naming_the_job_comes_before_the_lines_heading_the_advert() -> None:
    """A council's service heading an advert reads as a title (the council's name is the employer's: PUBLIC_BODY_END),
    but its "Job title:" field is the surer one and comes first (FIELDS_FIRST)."""
    text = ("Calderbridge Metropolitan Borough Council\nChildren's Services – Educational Psychology Service\n\n"
            "Job title: Educational Psychologist (Main Grade)\nJob reference: CBC-CS-04417\nGrade: Soulbury Scale A")
    assert title_candidates(text) == [
        ("Educational Psychologist (Main Grade)", False),
        ("Children's Services – Educational Psychology Service", False)]
    assert title_candidates("Northwind Logistics\nPosition: Warehouse Supervisor\nLocation: Doncaster") == [
        ("Warehouse Supervisor", False), ("Northwind Logistics", False)]
    assert title_candidates("Warehouse Supervisor\nRole: Leading a team of forklift drivers\nLocation: Leeds")[0] == (
        "Warehouse Supervisor", False)  # a bare "Role:" does not come first
    linkedin = ("Job Title: Peakline Orthotics\nCertified Prosthetist\nCalgary, Alberta, Canada · On-site · Full-time\n"
                "Job title: Job reference: 301-THR")
    assert title_candidates(linkedin)[:2] == [("Certified Prosthetist", False), ("Peakline Orthotics", False)]


def test_a_careers_site_header_is_a_site_line_and_the_title_under_the_blurb_is_found() -> None:
    """A bare careers header ("Careers", "Jobs at Acme Ltd") is a job-site line, skipped above a blurb so the title
    under "The role" is the title line; before a bar, what follows it is read as the line ("Careers | Staff Nurse -
    Ward 7"). "Careers Adviser" and "Vacancies - Care Assistant" are no such header."""
    blurb = ("About us\nSouthern Cross Members Super is a profit-to-member industry super fund looking after "
             "retirement savings for 420,000 Australians.\n\nThe role\nEnterprise Risk Manager\nMelbourne CBD "
             "(hybrid) | Permanent full-time")
    assert all(map(is_site_line, ("Careers", "Jobs at Acme Ltd", "Current vacancies")))
    assert not any(map(is_site_line, ("Careers Adviser", "Vacancies - Care Assistant", "Careers | Staff Nurse")))
    assert title_candidates("Careers\n\n" + blurb) == [("Enterprise Risk Manager", False)]
    assert title_candidates("Careers | Southern Cross Members Super\n\n" + blurb) == [
        ("Enterprise Risk Manager", False)]
    assert title_candidates("Careers | Staff Nurse - Ward 7\nLocation: Leeds") == [("Staff Nurse - Ward 7", False)]
    assert title_candidates("Careers | Acme Ltd\nWarehouse Operative\nLocation: Leeds") == [
        ("Warehouse Operative", False)]  # the company after the bar, the title below


def test_a_title_under_a_blurb_may_have_its_company_and_place_before_the_site_lines() -> None:
    """Seek's copy puts the company, the place and the category between the title and "Full time": up to
    LOOKAHEAD_LINES short lines, a place among them, may stand between; a sentence there ends the look."""
    blurb = ("Ironbark Resources is a mid-tier Australian iron ore producer with three operating hubs across the "
             "Pilbara. We're proudly WA-owned.\n\n")
    text = blurb + "Mine Planning Engineer – Open Pit\nIronbark Resources\nPilbara, WA\nMining & Energy\nFull time"
    assert title_candidates(text) == [("Mine Planning Engineer – Open Pit", False)]
    assert title_candidates(blurb + "Mine Planning Engineer\nWe move 65 Mtpa a year. You plan it.\nFull time") == []
    assert title_candidates(blurb + "Mine Planning Engineer\nIronbark\nPerth\nWA\nAustralia\nFull time") == []
    assert title_candidates(blurb + "Payroll\nSage 50\nXero\nLocation: York") == []  # a list: no place among it


def test_an_opening_for_a_title_names_it() -> None:
    """"we have an opening for a Metallurgist (Materials Engineer)" names the title, as "looking for" does; "the
    opportunity for growth" names none."""
    assert named_titles("Due to an internal promotion we have an opening for a Metallurgist (Materials Engineer) to "
                        "join our Technical department.") == ["Metallurgist (Materials Engineer)"]
    assert named_titles("You will have the opportunity for growth and a vacancy for career progression.") == []


@pytest.mark.parametrize(("line", "parts"), [
    ("4 days a week (Mon–Fri rota), no overnights – we use Vets Now for OOH",
     ["4 days a week (Mon–Fri rota), no overnights", "we use Vets Now for OOH"]),  # a range, then a clause break
    ("Salary £27–30k pro rata DOE, CPD allowance", ["Salary £27–30k pro rata DOE, CPD allowance"]),
    ("– Carrying out admissions", ["Carrying out admissions"]),  # an en dash as a bullet
    ("Python—ideally 3 years", ["Python", "ideally 3 years"]),  # an em dash always breaks
])
def test_an_en_dash_joining_two_words_is_a_range_not_a_break(line: str, parts: list[str]) -> None:
    """Phrases break at spaced or leading en dashes, not inside "Mon–Fri" or "£27–30k"; the pay phrase stays whole and
    is set aside as boilerplate."""
    assert split(line) == parts


@pytest.mark.parametrize(("text", "head"), [
    ("Dairy Farm Assistant – Waikato. We're after a keen assistant for our 550-cow herd.", "Dairy Farm Assistant"),
    ("Event & wedding photographer wanted – Gold Coast, casual: you'll need your own kit.",
     "Event & wedding photographer"),
    ("Experienced Barista wanted! Join our busy café on Sundays and bank holidays.", "Experienced Barista"),
    ("WE'RE HIRING • Love words? We need a copywriter for our agency.", None),  # a bare call is no title
    ("Data Analyst\nYou will build dashboards.", None),  # a title line already
    ("Busy four-vet practice on the edge of Harrogate is looking for a nurse to join our team.", None),  # too long
    ("Web developers develop, implement and document web software.", None),  # a comma does not end a head
    ("Backend Developer C# – Leeds. We build payment rails for small firms.", "Backend Developer C#"),  # its sharp
    ("About the job Medior Full Stack Developer (React / Node.js) Bloomcart · Amsterdam · Hybrid · Full-time Bloomcart "
     "is a Dutch scale-up.", "Medior Full Stack Developer"),  # LinkedIn's label before a title, line breaks lost
    ("\U0001f6a8 WE'RE HIRING! \U0001f6a8 Tilt Tray Tow Truck Driver \U0001f69b | Brisbane Northside Towing & Salvage "
     "is growing and needs you.", "Tilt Tray Tow Truck Driver"),  # a hiring call and its emoji before the title
    ("We are hiring a barista for our busy cafe in the city centre, starting next week on a part-time basis.", None),
])
def test_a_one_paragraph_advert_may_open_with_its_title(text: str, head: str | None) -> None:
    """The head of an advert whose first line is a paragraph, before its first dash, colon or sentence end and
    without "wanted", when it reads as a title."""
    assert head_title(text) == head


def test_acronym_plurals_are_read_singular() -> None:
    """The model is uncased: "GPs" would read as GPS, so an acronym's plural is matched as the acronym."""
    assert singular_acronyms("Liaise with GPs, write SOPs and track KPIs; send CVs to HR. Pass GCSEs") == (
        "Liaise with GP, write SOP and track KPI; send CV to HR. Pass GCSE")


def test_a_field_opening_a_long_line_sets_aside_only_itself() -> None:
    """A posting whose line breaks were lost is one line: its opening "Posted:" field no longer sets aside the whole
    posting; a short field line is still set aside whole."""
    duties = " ".join(["Produce 3D models and 2D drawings in SolidWorks."] * 6)
    assert posting_parts(f"Posted: 03/06 {duties}") == (
        ["03/06 Produce 3D models and 2D drawings in SolidWorks", "Produce 3D models and 2D drawings in SolidWorks"],
        ["Posted"])
    assert posting_parts("Salary: £32,500 - £38,000 per year, plus benefits") == (
        [], ["Salary", "£38,000 per year, plus benefits"])


def test_an_emoji_ending_a_line_does_not_join_it_to_the_next() -> None:
    """An emoji run is a bullet within its line: the call above the title stays a line of its own and is skipped."""
    text = ("\U0001f4e3 WE'RE HIRING! \U0001f4e3\n\U0001f34e\U0001f96a School Cook \u2013 Healthy Lunches "
            "\U0001f96a\U0001f34e\nWe need another cook.")
    assert title_lines(text) == ["School Cook \u2013 Healthy Lunches"]


def test_known_titles_are_role_titles_met_in_capitals_among_a_paragraphs_first_words() -> None:
    """A posting whose line breaks were lost offers the runs of two or more capitalised words among its first words
    that are exactly a role's title (folded), in order and longest first; one word, a run in lower case and a posting
    whose first line is short offer none."""
    names = frozenset({"staff accountant", "accountant", "store manager", "payroll officer",
                       "lecturer in public health"})
    flat = ("Job Requisition ID: R-0048213 Location: Columbus, OH Time Type: Full time Posted 3 Days Ago Staff "
            "Accountant II Harlow Brands is a family-owned company. Our store manager and Payroll Officer team work "
            "with the Lecturer in Public Health.")
    assert known_titles(flat, names) == ["Staff Accountant", "Payroll Officer", "Lecturer in Public Health"]
    assert known_titles("Accountant Harlow Brands is a family-owned consumer goods company with more than forty "
                        "stores", names) == []
    assert known_titles("Staff Accountant\nHarlow Brands is a family-owned consumer goods company with more than "
                        "forty stores", names) == []


def test_head_words_are_title_like_runs_of_a_first_line_that_is_a_paragraph() -> None:
    """A posting whose line breaks were lost offers the runs of its opening words (after a reference too) that could
    be its title; a run that is a sentence's subject, names a public employer, or opens or ends on a function word, is
    none, and a posting whose first line is short (a title line or a company) offers none."""
    flat = "Pipefitter Department of the Navy Naval Sea Systems Command Overview Open and closing dates: 03/01"
    assert head_words(flat) == ["Pipefitter"]
    assert "Podiatrist" in head_words("Ref: SRP-2291-POD Podiatrist – Full Time or 0.8 FTE | New Grads Welcome at our "
                                      "busy clinic")
    assert head_words("Data analysts import, inspect, clean, transform, validate, model and interpret collections of "
                      "data with regard to the business goals of the company.") == []
    assert head_words("Pipefitter\nDepartment of the Navy Naval Sea Systems Command Overview Open and closing") == []
    runs = head_words("Consultant Psychiatrist - Adult Community Team Department of Mental Health, Northfield "
                      "Hospital, Leeds Permanent, full-time or part-time considered")
    assert runs[:2] == ["Consultant Psychiatrist", "Consultant Psychiatrist - Adult"]
    assert "Consultant" not in runs  # a job family's bare noun is no title (GENERIC_TITLES)


def test_a_learner_text_that_names_nothing() -> None:
    """No letter or digit, or a placeholder however punctuated, names nothing; a short real skill does."""
    assert [says_nothing(t) for t in ["!!!", "\u200b", "-", "N/A", "N/A.", "n / a", "None.", "TBC", "unknown"]] == [
        True] * 9
    assert says_nothing("\uff2e\uff2f\uff2e\uff25")  # fullwidth NONE
    assert [says_nothing(t) for t in ["SQL", "C", "nan", "No SQL", "R", "No\u00e9"]] == [False] * 6


def test_a_sentence_longer_than_a_phrase_is_read_to_its_end() -> None:
    """A 330-character sentence is cut at its last comma within MAX_PHRASE, not truncated: the requirements at its
    end stay (they were lost), and no piece is longer than MAX_PHRASE."""
    opening = ("We are a friendly and growing team of analysts working across the region with many partner "
               "organisations in the health and care sector, supporting commissioners and providers with data that "
               "matters to patients and staff alike every single day of the week, and partner organisations")
    parts = split(opening + ", and you will write SQL, Python and follow GDPR.")
    assert parts == [opening, "and you will write SQL, Python and follow GDPR"]
    words = split(" ".join(["word"] * 200))
    assert [len(p) for p in words] == [299, 299, 299, 99] and all(len(p) <= MAX_PHRASE for p in parts + words)


@pytest.mark.parametrize(("badge", "name"), [
    ("Talent Acquisition (HRCI)", ("Talent Acquisition", " (HRCI)")),
    ("IBM Data Science Professional Certificate", ("IBM Data Science", " Professional Certificate")),
    ("Google Data Analytics (Coursera) - certificate", ("Google Data Analytics", " (Coursera) - certificate")),
    ("C# Course", ("C#", " Course")),
    ("Deep Learning (Part 2)", None),
    ("Leadership (ILM Level 5)", None),
    ("Statistics (Unit 3)", None),
    ("Python", None),
    ("(HRCI)", None),
])
def test_a_badge_title_s_dressing_comes_off_but_not_its_part_or_level(badge: str, name: tuple[str, str] | None) -> None:
    """The platform or issuer in brackets and the kind after the name come off a badge title; brackets with a number,
    part, unit or level are the name's own."""
    assert badge_name(badge) == name


def test_a_long_sentence_is_not_cut_inside_a_number() -> None:
    """Pieces end at a comma followed by a space, never inside "£35,000" (the last comma within MAX_PHRASE here), else
    at a space."""
    opening = "We are a friendly and growing team " * 7 + "based in Leeds who pay "
    parts = split(opening + "£30,000 to £35,000 per annum with a bonus, and you will write SQL")
    assert len(opening) + len("£30,000 to £35") < MAX_PHRASE < len(opening) + len("£30,000 to £35,000 per annum with")
    assert parts == [opening + "£30,000 to £35,000 per annum", "with a bonus, and you will write SQL"]


@pytest.mark.parametrize(("title", "singular"), [
    ("Recycling operatives", "Recycling operative"),
    ("insulation installers", "insulation installer"),
    ("PLANT OPERATORS", "PLANT OPERATOR"),
    ("Coaches", "Coach"),
    ("Nurses", "Nurse"),
    ("Trainees", "Trainee"),
    ("Data Analysts", "Data Analyst"),
    ("Architects", "Architect"),
    ("Mechanics", None),
    ("Dental Nurse", None),
    ("Sales", None),
    ("Logistics", None),
    ("Business Analysis", None),
])
def test_a_title_in_the_plural_is_also_read_in_the_singular(title: str, singular: str | None) -> None:
    """A plural job noun at a title's end is read in the singular, as ESCO names occupations; other endings in s
    (fields, subjects) are not plurals of a job."""
    assert singular_title(title) == singular


@pytest.mark.parametrize(("title", "supervisor"), [
    ("Payroll Team Leader", "Payroll supervisor"),
    ("Retail Shift Lead", "Retail supervisor"),
    ("call centre team lead", "call centre supervisor"),
    ("Retail Team Leaders", "Retail supervisor"),
    ("Team Leader - Production", "Production supervisor"),
    ("Team Leader \u2013 Retail", "Retail supervisor"),
    ("Team Leader", None),
    ("Team Leader (Nights)", None),
    ("Team Leader - Retail (Nights)", "Retail supervisor"),
    ("Team Leader - 12 Month FTC", None),
    ("Team Leader - Part Time", None),
    ("Team Lead, Data Science", None),
    ("Section Leader, Violins", None),
    ("Assistant Team Leader", None),
    ("Support Worker / Team Leader", None),
    ("Payroll Administrator", None),
    ("Lead Developer", None),
    ("Leadership Coach", None),
])
def test_a_team_leader_title_is_also_read_as_a_supervisor(title: str, supervisor: str | None) -> None:
    """A title ending in a team or shift leader, or naming one before a spaced dash, is read as the supervisor ESCO
    names; a bare or assistant team leader names no team, a team named after a comma is the job's field ("Team Lead,
    Data Science" is a data scientist), and "lead" elsewhere is not a team leader."""
    assert supervisor_title(title) == supervisor


def test_a_team_leader_title_is_read_as_posted_and_as_a_supervisor(engine: Any) -> None:
    """"Retail Team Leader" is matched as posted and as "Retail supervisor"; the reading whose best role scores
    higher wins (on ESCO, the shop supervisor, not the crop production team leader every team leader came nearest)."""
    assert target.title_readings(engine, "Retail Team Leader") == ["Retail Team Leader", "Retail supervisor"]
    assert target.title_readings(engine, "Team Leader - Retail") == ["Team Leader - Retail", "Team Leader",
                                                                    "Retail supervisor"]
    assert target.title_readings(engine, "Retail Assistant") == ["Retail Assistant"]


def test_a_plural_title_finds_the_singular_s_role(engine: Any) -> None:
    """"Data Analysts" is matched as "Data Analyst" is, among the readings of the title."""
    assert target.title_readings(engine, "Data Analysts")[-1] == "Data Analyst"
    assert target.match_roles(engine, "Data Analysts", False, 1)[0][0] == target.match_roles(
        engine, "Data Analyst", False, 1)[0][0]


@pytest.mark.parametrize(("title", "reading"), [
    ("CDL-A Driver", "truck driver"),
    ("Class A CDL Driver - OTR", "truck driver - OTR"),
    ("CDL Class A truck driver", "truck driver"),
    ("HGV Class 1 Driver (Nights)", "truck driver"),
    ("C+E Driver", "truck driver"),
    ("Delivery Driver (Class 2)", "Delivery truck driver"),
    ("PCV Driver", "bus driver"),
    ("Cat D Coach Driver", "Coach Driver"),
    ("HGV Class 1 Tanker Driver", None),
    ("HR Truck Driver", "Truck Driver"),
    ("MC Driver - Road Trains", "truck driver - Road Trains"),
    ("HR Business Partner", None),
    ("Ambulance Driver C1", None),
    ("Train Driver Class 1", None),
    ("Truck Driver", None),
    ("Class Teacher", None),
    ("CDL Examiner", None),
    ("Screwdriver operator", None),
])
def test_a_drivers_licence_class_names_the_vehicle(title: str, reading: str | None) -> None:
    """A driver's title that names a truck or bus licence is also read without it, as the vehicle's driver when
    nothing else names the vehicle ("CDL-A Driver" had matched no role above 0.6); a title naming its vehicle with
    more words, or no driver, is not."""
    assert licence_title(title) == reading


def test_indian_job_board_fields_and_notices_are_set_aside() -> None:
    """Naukri-style fields and notices ("CTC", "Notice period", "Bond", a walk-in interview, immediate joiners,
    pass-outs, backlogs) are terms and dates, not skills ("Bond: 2 years" had matched *green bonds*, "Walk-in
    interview" *interview people*, "Immediate Joiners" *prepare pieces for joining*); "Skills required:" heads the
    requirements and is no skill itself ("identify skills gaps")."""
    text = ("CTC: 3.6 LPA to 4.5 LPA\nNotice period: 0-30 days (immediate joiners preferred)\nBond: 2 years\n"
            "Skills required: Core Java, SQL basics\nB.Tech (CSE, IT), no active backlogs.\n"
            "Walk-in interview: 12th-14th Dec, Whitefield.\nCarry updated resume and ID proof.\n"
            "2025 pass-outs only. Immediate joiners only.\nBond trading: price government bonds daily")
    assert posting_parts(text) == (
        ["Core Java, SQL basics", "Bond trading", "price government bonds daily"],
        ["CTC", "3.6 LPA to 4.5 LPA", "Notice period", "0-30 days (immediate joiners preferred)", "Bond", "2 years",
         "B.Tech (CSE, IT), no active backlogs", "Walk-in interview", "12th-14th Dec, Whitefield",
         "Carry updated resume and ID proof", "2025 pass-outs only", "Immediate joiners only"])


def test_a_check_in_a_list_of_requirements_sets_aside_only_itself() -> None:
    """Under a requirements heading, a line listing requirements and a check on the candidate loses the check only
    ("Valid Class A CDL, 1+ year OTR experience, pass DOT physical & drug screen" had been set aside whole); a list
    of pay and perks, and company blurb, stay whole; outside a requirements section nothing is split."""
    text = ("Requirements: Valid Class A CDL, 1+ year OTR experience, pass DOT physical & drug screen.\n"
            "Requirements\n- Full UK driving licence, subject to an enhanced DBS check\n"
            "- Salary £30k, company van, fuel card\n- Founded in 1985, Acme is a leading provider of logistics, "
            "warehousing and distribution\n")
    assert posting_parts(text) == (
        ["Valid Class A CDL", "1+ year OTR experience", "Full UK driving licence"],
        ["pass DOT physical & drug screen", "subject to an enhanced DBS check", "Salary £30k, company van, fuel card",
         "Founded in 1985, Acme is a leading provider of logistics, warehousing and distribution"])
    assert posting_parts("Full UK driving licence, subject to an enhanced DBS check") == (
        [], ["Full UK driving licence, subject to an enhanced DBS check"])


@pytest.mark.parametrize("phrase", ["Secret clearance", "Active TS/SCI clearance required", "Top Secret clearance"])
def test_a_clearance_is_vetting(phrase: str) -> None:
    """A security clearance of any level is a check on the candidate, not a skill ("Secret clearance" was *manage
    security clearance*)."""
    assert is_vetting(phrase)


@pytest.mark.parametrize(("text", "out"), [
    ("English & Afrikaans", "English"),
    ("Fluent in English and isiZulu", "Fluent in English"),
    ("English, Afrikaans and isiXhosa", "English"),
    ("Bilingual (Afrikaans/English) advantageous", "Bilingual (English) advantageous"),
    ("Afrikaans", ""),
    ("Mandarin and English", "Mandarin and English"),  # ESCO's *Chinese*: matched as it is
    ("Use Excel and SAP", "Use Excel and SAP"),
])
def test_languages_esco_has_no_skill_for_are_left_out_of_what_is_matched(text: str, out: str) -> None:
    """A language ESCO has no skill for is no other language ("English & Afrikaans" met *Serbian* and *Telugu*):
    its name leaves the text matched, with the joining word it leaves dangling; a phrase of such names only says
    nothing (target.matchable)."""
    assert unlisted_languages_out(text) == out
    assert (text in [item for item, _ in target.matchable([text])]) == bool(out)


def test_a_title_exactly_a_trap_title_does_not_go_to_the_roles_it_was_withdrawn_from() -> None:
    """core.trapped_roles maps each withdrawn title (folded) to its roles; target.untrapped drops them from a title's
    hits when one of its readings is exactly that title ("Teaching Assistant" is no university's), else keeps all."""
    roles = [{"title": "university teaching assistant", "withdrawn_titles": ["teaching assistant"]},
             {"title": "primary school teaching assistant"}]
    engine: Any = SimpleNamespace(trapped=trapped_roles(roles))
    hits = [Hit(0, 0.84, 10, ALT), Hit(1, 0.83, 20, ALT)]
    assert engine.trapped == {"teaching assistant": frozenset({0})}
    assert target.untrapped(engine, ["Teaching  Assistant"], hits) == [hits[1]]
    assert target.untrapped(engine, ["Graduate Teaching Assistant"], hits) == hits
    assert target.untrapped(engine, ["TA", "Teaching Assistant"], hits) == [hits[1]]  # any reading that is one


def test_a_language_skill_is_required_only_by_a_phrase_naming_the_language() -> None:
    """core.skill_languages finds the language skills (ESCO's "competent in <language>", and labels naming it);
    target.names_language lets a phrase require one only when it names the language: "Galway" is a town."""
    skills = [{"id": "s0", "label": "Irish", "alt_labels": ["competent in Irish"]},
              {"id": "s1", "label": "write Irish", "alt_labels": []},
              {"id": "s2", "label": "provide nursing care", "alt_labels": []},
              {"id": "s3", "label": "Chinese", "alt_labels": ["competent in Chinese"]},
              {"id": "s4", "label": "traditional Chinese medicine", "alt_labels": []}]
    refs = [(s["id"], s["label"], "skill") for s in skills]
    engine: Any = SimpleNamespace(skill_languages=skill_languages(SimpleNamespace(skills=skills), refs))  # type: ignore
    assert sorted(engine.skill_languages) == [0, 1, 3]  # a language ends its label
    assert [target.names_language(engine, Hit(pos, 0.6, pos, LABEL), "Care Assistant – Galway") for pos in (0, 1, 2)] \
        == [False, False, True]
    assert target.names_language(engine, Hit(1, 0.8, 1, LABEL), "Fluent written IRISH (Gaeilge)")


def test_a_trap_title_asked_for_one_role_still_gets_one(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """title_hits searches as many more roles as a trap title can drop, so a title whose best role is a trap still gets
    k roles (the role-matching endpoint asks for 1)."""
    pos = next(i for i, r in enumerate(engine.artifact.roles) if r["title"] == "data scientist")
    monkeypatch.setattr(engine, "trapped", {**engine.trapped, "data scientist": frozenset({pos})})
    hits = target.title_hits(engine, "Data Scientist", 1)
    assert len(hits) == 1 and hits[0].owner != pos


def test_a_tool_named_like_a_job_title_is_the_job() -> None:
    """A tool whose name of two words or more is a job's title ("Site Manager", O*NET software) is not read as a tool
    (every Site Manager posting had required *document management*); a one-word name ("Chef") stays a tool."""
    engine: Any = SimpleNamespace(role_names=frozenset({"site manager", "chef"}))
    site, chef = (ToolHit(written, written, "software", "skill", 0.8, "", "O*NET")
                  for written in ("Site Manager", "Chef"))
    assert (target.titled_tool(engine, site), target.titled_tool(engine, chef)) == (True, False)


@pytest.mark.parametrize(("title", "first"), [
    ("Welder / Fabricator", "Welder"),
    ("Immigration Caseworker (OISC Level 2 / Level 3)", None),  # the slash is inside the bracket
    ("Controls Engineer (PLC / SCADA) / Automation Engineer", "Controls Engineer (PLC / SCADA)"),
    ("Buyer [menswear / footwear]", None),
    ("1) Welder (MIG / TIG)", None),  # a stray closing bracket before opens nothing
    ("Data Analyst", None),
])
def test_first_alternative_splits_only_outside_brackets(title: str, first: str | None) -> None:
    """A spaced slash outside brackets joins alternative titles; one inside a bracket joins qualifiers."""
    assert first_alternative(title) == first


@pytest.mark.parametrize(("title", "head"), [
    ("UX Researcher, Digital Banking", "UX Researcher"),
    ("Drug Safety Associate, Pharmacovigilance", "Drug Safety Associate"),
    ("Manager, Retail Operations", None),  # an inverted title's one-word head is no reading
    ("Chef, Pastry", None),
    ("Full Stack Developer (React, Node)", None),  # a comma inside brackets
    ("Product Designer (UX/UI), Payments", "Product Designer (UX/UI)"),
    ("Registered Nurse", None),
])
def test_a_title_is_also_read_before_its_comma(title: str, head: str | None) -> None:
    """target.comma_head: the part of a title before its first comma outside brackets, of two words or more, read
    beside the whole title."""
    assert target.comma_head(title) == head


@pytest.mark.parametrize("title", [
    "Dental Nurse", "Benefits Advisor", "Gym Instructor", "Childcare Practitioner", "Life Insurance Underwriter",
    "Equal Opportunities Officer", "Pension Administrator", "Compensation and Benefits Manager", "Holiday Rep",
    "Dental Care Professional", "Specialist, Benefits & Leave", "Analyst II, Compensation"])
def test_a_job_named_by_a_benefit_s_word_is_a_title_not_boilerplate(title: str) -> None:
    """A benefit's word naming the job's field ("Dental Nurse") keeps the title line and the sentence naming it; the
    benefit itself ("Dental insurance", "Free gym membership for all employees") is still set aside."""
    assert (reads_as_title(title), is_boilerplate(title)) == (True, False)
    assert not is_boilerplate(f"We need a {title.lower()} to join our busy team.")
    assert title_candidates(f"{title}\nLeeds\nFull time\n\nYou will join our busy team.")[0] == (title, False)


@pytest.mark.parametrize("line", ["Dental insurance", "Free gym membership for all employees", "Childcare vouchers",
                                  "Paid holidays for all staff", "Bonus scheme for our sales team",
                                  "Generous pension, holidays and childcare support", "Monthly bonus per sales agent",
                                  "Gym membership via partner network", "Staff discount at partner retailers",
                                  "Private medical insurance including partner cover",
                                  "Join us as a team leader, benefits include a pension"])
def test_a_benefit_stays_boilerplate(line: str) -> None:
    """What a job offers is set aside, whatever words follow the benefit's own."""
    assert is_boilerplate(line)


def test_health_service_fields_and_a_seek_classification_are_no_requirements() -> None:
    """An NHS or council advert's fields (Grade, Main area, Service, Directorate, Site) are set aside with their values,
    "Main duties of the job" is a heading, and Seek's classification line is a job-site line."""
    text = ("Leeds Teaching Hospitals NHS Trust\n\nJob title: Healthcare Assistant\nGrade: Band 3\nMain area: Ward "
            "12\nService: Elderly Medicine\nDirectorate: Medicine\n\nMain duties of the job\nHelp patients with "
            "washing and dressing.\n\nChef de Partie\nSydney NSW\nHospitality & Tourism (Chefs/Cooks)")
    assert marked_parts(text) == (  # the trust's name is the employer's (text.PUBLIC_BODY_END)
        ["Help patients with washing and dressing", "Chef de Partie", "Sydney NSW"],
        ["Leeds Teaching Hospitals NHS Trust", "Job title", "Healthcare Assistant", "Grade", "Band 3", "Main area",
         "Ward 12", "Service", "Elderly Medicine", "Directorate", "Medicine", "Hospitality & Tourism (Chefs/Cooks)"],
        set())
    assert not any(map(is_site_line, ("Sales experience (2 years)", "Sales (B2B experience essential)",
                                      "Legal (conveyancing)", "Engineering (degree required)")))
    # the new field labels set aside a name, not a requirement stated under them
    assert marked_parts("Requirements:\nService: excellent customer service skills\nSite: must hold a CSCS card\n"
                        "Organisation: able to prioritise a busy caseload\nSite: St James's University Hospital") == (
        ["Service", "excellent customer service skills", "Site", "must hold a CSCS card", "Organisation",
         "able to prioritise a busy caseload"], ["St James's University Hospital"], set())


GERMAN = ("Wir suchen ab sofort einen Lagerarbeiter (m/w/d) in Vollzeit. Ihre Aufgaben: Kommissionierung und "
          "Verpackung von Waren, Bedienung von Flurförderzeugen. Wir bieten eine unbefristete Stelle und ein tolles "
          "Team.")


@pytest.mark.parametrize(("text", "language"), [
    (GERMAN, "German"),
    ("Nous recherchons un comptable pour notre cabinet à Lyon. Vous serez en charge de la tenue des comptes et des "
     "déclarations fiscales de nos clients.", "French"),
    ("Buscamos un desarrollador web con experiencia en JavaScript y React para unirse a nuestro equipo en Madrid. "
     "Ofrecemos contrato indefinido y teletrabajo.", "Spanish"),
    ("Estamos contratando um auxiliar administrativo para o nosso escritório em São Paulo. Você será responsável pelo "
     "atendimento aos clientes e pela organização dos documentos.", "Portuguese"),
    ("Cerchiamo un cuoco con esperienza per il nostro ristorante nel centro di Milano. Il candidato ideale ha "
     "lavorato in una cucina professionale e conosce la cucina italiana.", "Italian"),
    ("Wij zoeken een enthousiaste verpleegkundige voor onze afdeling in Utrecht. Je werkt in een klein team en "
     "bent verantwoordelijk voor de zorg van onze patiënten.", "Dutch"),
    ("倉庫スタッフを募集しています。仕事内容は商品のピッキング、梱包、出荷作業です。未経験者も歓迎します。週休二日制、交通費支給。",
     "Japanese"),
    ("我们正在招聘一名仓库管理员，负责货物的收发、盘点和库存记录。要求有两年以上相关工作经验，能吃苦耐劳。", "Chinese"),
    ("仓库管理员", None),  # too short to tell
    ("Требуется водитель погрузчика на склад в Москве . Опыт работы от одного года , график работы пять через два , "
     "официальное трудоустройство", "Cyrillic script"),
    # English postings that name other languages or words from them stay English
    ("Bilingual customer service advisor, English and German (Deutsch), to answer calls from our clients in Austria "
     "and Switzerland. Fluent German is essential; French a plus.", None),
    ("Se habla español! We are hiring a bilingual receptionist for our dental office in El Paso, Texas. You will "
     "greet patients, book appointments and handle insurance paperwork.", None),
    ("Python, SQL, AWS, Docker, Kubernetes, Terraform, Linux, Git, Jenkins, Ansible, Bash, Go, Kafka, Airflow", None),
    ("Wir suchen dich", None),  # too short to tell
])
def test_foreign_language(text: str, language: str | None) -> None:
    """A text written in another language is named by its language or script; English ones are not."""
    assert foreign_language(text) == language


def test_no_english_posting_of_the_posting_sets_reads_as_foreign() -> None:
    """None of the 700 hand-written postings (English, some with local words) reads as another language."""
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "eval" / "data").glob("postings_labelled*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) >= 700
    assert [t[:40] for t in texts if foreign_language(t)] == []
