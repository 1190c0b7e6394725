"""Text clean-up and splitting of job descriptions into phrases, with boilerplate sections set aside."""

from __future__ import annotations

import html
import re
import unicodedata

from ..catalog import GENERIC_TITLES
from .duty_verbs import DUTY_VERBS

BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|dd|dt|hr)\b[^>]{0,500}>",
    re.IGNORECASE,
)
TAG = re.compile(r"<[^>]{0,500}>")
SPACE = re.compile(r"\s+")
# Arrows, box drawing, geometric shapes, dingbats and emoji (with their variation selectors and joiners): postings
# use them as bullets ("✓ SQL", "➢ Deploy to AWS", "🔹 Agile"). Left in a phrase they move its vector (cosine 0.88-0.93
# to the phrase without), so each run becomes a plain bullet, which SPLIT splits at and MARKS strips. A run stays on
# its line: one that also took the line break joined an emoji-ended line to the next ("📣 WE'RE HIRING! 📣" and the
# title under it read as one line).
GLYPHS = re.compile(r"[\u2190-\u21ff\u2500-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff][\u2190-\u21ff\u2500-\u27bf"
                    r"\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d \t\u00a0]*")
ABBREVIATION = re.compile(r"\b(e\.g|i\.e|etc|incl|approx|min|max|vs)\.", re.IGNORECASE)
# Phrase breaks: sentence ends, bullets, bars, em dashes, spaced hyphens, and en dashes unless they join two words or
# numbers: "Mon–Fri" and "£27–30k" are ranges, and splitting them cut "Salary £27" off its pay phrase.
SPLIT = re.compile(r"(?<=[.!?;:])\s+|\s*[\n\r\u2022\u25aa\u25cf\u2014*•·|]+\s*|\s+-\s+|"
                   r"\s*(?<!\w)\u2013+\s*|\s*\u2013+(?!\w)\s*")
MARKS = " \t#*_>-•·–—:"
MIN_PHRASE, MAX_PHRASE = 3, 300
HEADING_WORDS = 6
FIELD_LABELS = True  # see FIELD_LABEL

SKIP_HEADING = re.compile(
    r"\b(about (us|the (company|business|team|employer|organi[sz]ation))|who we are|our (company|story|mission|"
    r"culture|values|client|offer|benefits|commitment)|the company|company (overview|description|profile|info)|"
    r"why (join|work)|what we offer|(what's|what is|what we have) on offer|in it for you|we offer|benefits|perks|"
    r"rewards?|compensation|salary|wages?|remuneration|(?:hourly |pay )rate|rate of pay|pay( and|$)|"
    r"pay (transparency|range)|"
    r"package|how to apply|application( process)?|to apply|next steps|equal (employment )?opportunit\w*|diversity|"
    r"eeo|inclusion|additional information|disclaimer|location|working (hours|pattern)|schedule|(job|work) types?|"
    r"expected hours|ability to (relocate|commute)|willingness to travel|application questions?|"
    r"supplemental pay( types)?|shifts?( pattern| schedule| details| availability)?|work remotely|"
    r"contract( type)?|hours|job (id|ref|reference|code|number|no)|ref(erence)?( number| no)?|"
    r"req(uisition)?( id| number)?|vacancy (id|ref|reference|number)|(date )?posted( on)?|closing date|deadline|"
    r"start date|job details|work (authori[sz]ation|eligibility|rights)|right to work|"
    # Indian job boards' fields, as the whole heading: cost to company, notice period, a service bond, a walk-in
    # interview's details ("Joining techniques:", "Walk-in cooler maintenance:", "Surety bond:" head requirements)
    r"^(?:ctc|notice period|(?:service )?bond(?: period| agreement)?|walk[- ]in(?: interview| drive)?"
    r"(?: details| venue| dates?| timings?)?|interview (?:dates?|venue|details|location|schedule|timings?)|"
    r"(?:date of )?joining(?: date)?)$)\b",
    re.IGNORECASE,
)
# A job board's field labels, set aside with a short value when they are the whole label ("Company: Acme Ltd";
# "Industry experience: ..." states a requirement; see named_field) and on the value's line (a label alone on its line
# does not set aside what follows, as a section heading does): the value names the employer or the post, not a skill
# ("Company" had matched *represent the company*, "Job Title" *write job descriptions*).
FIELD_LABEL = re.compile(
    r"(job|position|role|vacancy|post) title|title|company( name)?|employer|hiring (company|manager)|department|"
    r"report(s|ing) to|seniority( level)?|employment type|job function",
    re.IGNORECASE,
)
# Health-service and council adverts' fields ("Directorate: Medicine" had read as *medicines*, "Grade: Band 3" as
# *operate grader*, "Main area: Ward 12" as *geographic areas*; a demanding user, session 27): field labels too when
# their value is a name (NAME_VALUE); a person specification's "Organisation: able to prioritise a caseload" or
# "Service: excellent customer service skills" states a requirement.
NAME_FIELD_LABEL = re.compile(
    r"directorate|division|service( area)?|main area|speciality|specialty|staff group|care group|grade|band|"
    r"pay scheme|organisation|organization|site|town|base|ward",
    re.IGNORECASE,
)
NAME_WORD = r"[A-Z0-9][\w'\u2019.&/-]*"  # a capitalised word or a number: "St James's", "Band 3", "NHS"
NAME_VALUE = re.compile(rf"{NAME_WORD}(?:\s+(?:of|and|&|the|for|upon|on|in|at|{NAME_WORD}))*")
KEEP_HEADING = re.compile(
    r"^((key|main|core|your|the|required|preferred|essential|desirable|minimum|basic|additional|technical|job|"
    r"role|position|personal) )*(responsibilit(y|ies)|duties|tasks|requirements|(?:qualifications?|skills?|"
    r"experience) (?:required|needed|wanted|mandatory|preferred|desired)|qualifications?|skills?|"
    r"experience|competenc(y|ies)|role|job|position|overview|summary|description|purpose|profile|"
    r"about (you|the (role|job|position|opportunity))|what you('ll| will)( be)? (do|doing|bring|need)|"
    r"what we('re| are) looking for|who you are|must[- ]haves?|nice[- ]to[- ]haves?|you (have|will|bring)|"
    r"day[- ]to[- ]day|in this role|the opportunity)( and (\w+ ?){1,2})?"
    r"( of the (job|role|post|position|post ?holder))?$",
    re.IGNORECASE,
)


GENDER = re.compile(
    r"\(\s*(?:[mwfdhxa]\s*/\s*){1,3}[mwfdhxa]\s*\)|(?<![\w/])[mwf]/[wfm]/[dx](?![\w/])|\(\s*all genders?\s*\)",
    re.IGNORECASE,
)
# Not commas: ESCO titles list specialisations with them.
TITLE_BREAK = re.compile(r"\s+[-\u2013\u2014|@]\s+|\s*[|\u2022]\s*")
ABBREVIATE = True  # also try a title with its abbreviations written out (see expand_abbreviations)
# Of the alternatives a spaced slash joins ("Welder / Fabricator", "Arborist / Tree Surgeon"), the first, which job
# boards put first as the main title, is tried as well: the whole matched *electron beam welder*. Trying every
# alternative let "Procurement Officer" outscore "Buyer" (*purchaser*). An unspaced slash often shares a head
# ("UX/UI Designer", "AP/AR Clerk") and is left alone.
TITLE_ALTERNATIVES = True
ALTERNATIVE = re.compile(r"\s+/\s+")
SENIORITY = re.compile(  # leading seniority and training words, a pay band or a qualification level ("Band 5")
    r"^(?:(?:senior|sr\.?|junior|jr\.?|medior|mid[- ]level|entry[- ]level|experienced|"
    r"apprentice|trainee|graduate|intern|locum|(?:band|level|grade) \d{1,2}[a-c]?)\s+)+",
    re.IGNORECASE,
)

# What learners and badge lists write for "nothing": placeholders, not skills. Read as text they matched real skills
# ("N/A" held *artificial neural networks* through the alt label "NN").
PLACEHOLDERS = frozenset({"na", "none", "nil", "null", "nothing", "no", "tbc", "tbd", "unknown", "notapplicable"})
PLACEHOLDER_MARKS = re.compile(r"[\W_]+")  # "N/A.", "n / a" and "None." are placeholders too


SHARP = re.compile(r"(?<![\w#])[CFJ]$")  # a language named with a sharp ("C#", "F#", "J#") before a line's end


def unmarked(line: str) -> str:
    """A line without the marks at its edges (MARKS), keeping the sharp of "C#" or "F#" ("Engineer - .NET / C#")."""
    bare = line.strip(MARKS)
    return f"{bare}#" if SHARP.search(bare) and line.rstrip().startswith(f"{bare}#") else bare


def clean(text: str) -> str:
    """Strip markup (block tags become line breaks), unescape entities, drop gender markers such as (m/f/d)
    and collapse whitespace per line."""
    text = html.unescape(TAG.sub(" ", BLOCK.sub("\n", text))).replace("\x00", " ")
    text = GLYPHS.sub(" \u2022 ", GENDER.sub(" ", text))
    lines = (SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


ABBREVIATIONS = {  # job-board abbreviations of title words, in any case and with or without a full stop
    "mgr": "manager", "mngr": "manager", "asst": "assistant", "assoc": "associate", "rep": "representative",
    "exec": "executive", "svc": "service", "cust": "customer", "acct": "account", "coord": "coordinator",
    "supv": "supervisor", "supvr": "supervisor", "dir": "director", "ops": "operations", "mech": "mechanical",
    "elec": "electrical", "maint": "maintenance", "mfg": "manufacturing", "mgmt": "management", "mktg": "marketing",
    "dept": "department", "admin": "administration", "sr": "senior", "snr": "senior", "jr": "junior",
    "jnr": "junior", "intl": "international",
}
HEAD_ABBREVIATIONS = {  # the person as the title's last word, the field before another ("Tech Lead", "Dev Manager")
    "tech": ("technician", "technology"), "dev": ("developer", "development"), "eng": ("engineer", "engineering"),
    "engr": ("engineer", "engineering"), "spec": ("specialist", "specification"),
}
ACRONYMS = {  # in capitals only: as lower-case words some mean something else ("it", "pa")
    "SWE": "software engineer", "SDE": "software development engineer", "RN": "registered nurse",
    "LPN": "licensed practical nurse", "HCA": "healthcare assistant", "CNA": "certified nursing assistant",
    "HGV": "heavy goods vehicle", "LGV": "large goods vehicle", "UX": "user experience", "UI": "user interface",
    "QA": "quality assurance", "QC": "quality control", "HR": "human resources", "IT": "information technology",
    "PA": "personal assistant", "EA": "executive assistant", "PM": "project manager",
    "CSR": "customer service representative", "BDM": "business development manager", "GM": "general manager",
    "VP": "vice president", "CEO": "chief executive officer", "CFO": "chief financial officer",
    "CTO": "chief technology officer", "COO": "chief operating officer", "CMO": "chief marketing officer",
    "CIO": "chief information officer",
    "SRE": "site reliability engineer", "ML": "machine learning", "BI": "business intelligence",
    "AI": "artificial intelligence", "FLT": "forklift truck", "RGN": "registered general nurse",
    "RMN": "registered mental health nurse", "CAD": "computer-aided design", "HVAC": "heating and air conditioning",
    "DBA": "database administrator", "SDR": "sales development representative",
    "BDR": "business development representative", "NQT": "newly qualified teacher",
    "ECT": "early career teacher", "SENCO": "special educational needs coordinator",
    "AP": "accounts payable", "AR": "accounts receivable", "PR": "public relations", "MI": "management information",
    "GP": "general practitioner",
}
# "2nd Line Support Engineer", "1st Line IT Support": a support tier names IT support (MiniLM reads "line" as a
# power line: "overhead line worker").
SUPPORT_LINE = re.compile(
    r"\b(?:1st|2nd|3rd|first|second|third)[- ]line(?: IT)?(?=\s+(?:support|service desk|help ?desk)\b)", re.IGNORECASE
)
AMPERSANDS = {  # "L&D Manager", "H&S Advisor": acronyms with an ampersand
    "l&d": "learning and development", "h&s": "health and safety", "r&d": "research and development",
    "f&b": "food and beverage", "a&e": "accident and emergency",
}
AMPERSAND = re.compile(r"\b(?:L&D|H&S|R&D|F&B|A&E)\b", re.IGNORECASE)
TITLE_WORD = re.compile(r"[A-Za-z]+\.?")
DEV_OPS = re.compile(r"\bdev\s*ops\b", re.IGNORECASE)
BRACKETS_AT_END = re.compile(r"(?:\s*[(\[][^()\[\]]*[)\]])+\s*$")  # "Team Leader - Retail (Nights)"


def expand_abbreviations(title: str) -> str:
    """A title with its job-board abbreviations written out ("Admin Asst" -> "administration assistant", "Maintenance
    Tech" -> "Maintenance technician", "RN" -> "registered nurse")."""
    title = SUPPORT_LINE.sub("IT", DEV_OPS.sub("DevOps", title))
    title = AMPERSAND.sub(lambda m: AMPERSANDS[m.group(0).lower()], title)
    # The last word before any trailing brackets is the head: "Front-End Dev (Vue)" is a developer.
    words = list(TITLE_WORD.finditer(BRACKETS_AT_END.sub("", title))) or list(TITLE_WORD.finditer(title))

    def spelled(match: re.Match[str]) -> str:
        word = match.group(0).rstrip(".")
        if word in ACRONYMS:
            return ACRONYMS[word] + match.group(0)[len(word) :]
        key = word.lower()
        if key in HEAD_ABBREVIATIONS:
            person, field = HEAD_ABBREVIATIONS[key]
            return person if match.start() == words[-1].start() else field
        return ABBREVIATIONS.get(key, match.group(0))

    return TITLE_WORD.sub(spelled, title)


# Languages job adverts ask for that ESCO has no skill for: MiniLM put "English & Afrikaans" near *Serbian*, *Telugu*
# and *Dutch* (a demanding user, session 24). Their names are left out of what is matched (unlisted_languages_out);
# a language ESCO names otherwise ("Mandarin": *Chinese*, "Farsi": *Persian*) is not listed.
UNLISTED_LANGUAGES = re.compile(
    r"\b(?:afrikaans|(?:isi)?zulu|(?:isi)?xhosa|(?:se)?sotho|sesotho sa leboa|(?:se)?tswana|sepedi|(?:tshi)?venda|"
    r"(?:xi)?tsonga|siswati|(?:isi)?ndebele|(?:ki)?swahili|yoruba|igbo|hausa|amharic|somali|tigrinya|oromo|"
    r"kinyarwanda|luganda|shona|wolof|twi|tagalog|filipino|cebuano|ilocano|nepali|sinhala|pashto|m[aā]ori|samoan|"
    r"tongan|fijian)\b",
    re.IGNORECASE,
)


def unlisted_languages_out(text: str) -> str:
    """A text without the names of languages ESCO has no skill for (UNLISTED_LANGUAGES), and without the "and", "&",
    "or" or comma left dangling by them."""
    out = UNLISTED_LANGUAGES.sub(" ", text)
    if out == text:
        return text
    out = re.sub(r"(?:\s*(?:,|&|/|\band\b|\bor\b)\s*)+(?=\s*(?:[,.;:)]|$))", "", out, flags=re.IGNORECASE)
    out = re.sub(r"(?:^|(?<=\())\s*(?:(?:,|&|/|\band\b|\bor\b)\s*)+", "", out, flags=re.IGNORECASE)
    return " ".join(out.split())


# Pounds, dollars, euros, naira, rupees; rand, shillings; a currency's code, alone or before its sign ("CAD $85,000",
# "S$5,000", "AUD 95k": "CAD" had required *CAD software* of a marketing manager's posting).
CURRENCY_CODE = r"(?-i:CAD|AUD|NZD|USD|SGD|HKD|EUR|GBP|INR|CHF|ZAR|KES|NGN)"
CURRENCY = rf"(?:(?:{CURRENCY_CODE}|(?-i:S|NZ|US|A|C))\s?[$]|[£$€₦₹]|{CURRENCY_CODE}|(?-i:R|Rs\.?|KSh))"
TITLE_TAG = re.compile(  # a job-board tag after a title: where, when, how long, on what terms, how many, for what pay
    r"remote|hybrid|on-?site|office[- ]based|home[- ]based|work from home|wfh|part[- ]?time|full[- ]?time|"
    r"temp|temporary|contract|permanent|perm|fixed[- ]term(?: contract)?|ftc|maternity cover|locum|"
    r"seasonal|casual|freelance|interim|(?:nights|days|weekends|evenings|lates|earlies)(?: only)?|"
    r"(?:night|day|late|early|weekend|\d+(?:st|nd|rd|th)) shifts?|shifts?|rotating shifts|flexible(?: hours)?|"
    r"own (?:vehicle|car|van)|live[- ]in|live[- ]out|immediate start|start asap|asap|urgent(?:ly required)?|"
    r"\d+(?:\.\d+)?(?: ?[-\u2013] ?\d+(?:\.\d+)?)? ?(?:hrs|hours|h)(?: (?:per|a) week| pw| p/w)?|"  # "20-25 hrs"
    r"\d+ ?(?:months?|weeks?)(?: contract| ftc)?|"
    r"\d+ days? (?:in |at )?(?:the )?office|x ?\d{1,3}|\d{1,3} ?x|"
    rf"(?:up to |from )?{CURRENCY} ?\d[\d,.]*k?(?: ?[-\u2013] ?{CURRENCY}? ?\d[\d,.]*k?)?"
    r"(?: ?(?:per|an?|/|p/?) ?(?:hour|hr|h|annum|year|yr|a|day|week|month))?|"
    r"benefits|bonus|ote|commission|overtime|(?:car|transport|travel|petrol|cell ?phone|housing) allowance|doe|"
    r"negotiable|competitive(?: salary| pay)?|"
    r"(?:nhs |afc )*band \d{1,2}[a-z]?(?: ?[-/] ?\d{1,2}[a-z]?)?|(?:grade|level) (?:\d{1,2}[a-z]?|[ivx]{1,4})|"
    r"gs-? ?\d{1,2}(?:/\d{1,2})?",
    re.IGNORECASE,
)
TAG_LIST = re.compile(r"\s*(?:,(?!\d)|[/&+]|\band\b|\bor\b|\s-\s)\s*", re.IGNORECASE)  # not "£32,500"
TRAILING_GROUP = re.compile(r"(?:\s*[(\[]([^()\[\]]{1,80})[)\]]|\s*,\s*([^,()\[\]]{1,60}))\s*$")


def is_tag(text: str) -> bool:
    """Whether text is one or more job-board tags ("Part-Time, Weekends", "£12/hr", "Nights")."""
    parts = [p for p in TAG_LIST.split(text.strip()) if p]
    return bool(parts) and all(TITLE_TAG.fullmatch(p) for p in parts)


def strip_tags(title: str) -> str:
    """A title without the job-board tags that trail it, bracketed, after a comma or bare ("Customer Service
    Advisor (Remote)", "Sales Associate, Part Time", "Forklift Operator 2nd shift" -> the occupation alone); the
    title is kept whole when nothing else would remain."""
    while True:
        group = TRAILING_GROUP.search(title)
        if group and is_tag(group.group(1) or group.group(2)) and any(c.isalpha() for c in title[: group.start()]):
            title = title[: group.start()]
            continue
        words = title.split()
        cut = next((n for n in (3, 2, 1) if len(words) > n and is_tag(" ".join(words[-n:]))), 0)
        if not cut:
            return title.strip(" -,")
        title = " ".join(words[:-cut])


def title_variants(title: str) -> list[str]:
    """A job title as posted ("Senior Java Developer (f/m/x) | Berlin") and, when they differ, its core: the first
    segment before a spaced dash, a bar or '@', without trailing job-board tags ("(Remote)", ", Part Time") and a
    leading seniority ("Java Developer"), and the core with its abbreviations written out ("Project Mgr" ->
    "Project manager"). Location, shift, pay and seniority words dilute a title, and abbreviations hide it;
    occupations are named without them."""
    cleaned = unmarked(SPACE.sub(" ", clean(title)))
    core = SENIORITY.sub("", strip_tags(TITLE_BREAK.split(cleaned)[0].strip(" -|,"))).strip()
    core = core if any(c.isalpha() for c in core) else cleaned
    expanded = SENIORITY.sub("", expand_abbreviations(core)).strip() if ABBREVIATE else core
    variants = [cleaned, core, expanded or core]
    if SOFTWARE_TITLES and SOFTWARE_ENGINEER.search(expanded):
        variants = [software_developer(v) for v in variants]
    return list(dict.fromkeys(variants))


# A title naming its job in the plural ("Recycling operatives", "Experienced insulation installers", "PLANT
# OPERATORS"): ESCO names occupations in the singular, and the plural reads closer to other names that hold it
# ("insulation installers supervisor"). The endings of plural job nouns, and their singulars.
PLURAL_JOB = re.compile(r"(?i)(?<=\w\w)(er|or|ive|ist|yst|ian|ant|ent|ect|ot|ee|ef|ch|se|aide|hand)(s|es)$")


def singular_title(title: str) -> str | None:
    """A title whose last word is a plural job noun, with that word in the singular ("Recycling operatives" ->
    "Recycling operative"); None when it has none."""
    head, _, last = title.rstrip().rpartition(" ")
    match = PLURAL_JOB.search(last)
    if not SINGULAR_TITLES or not match or (match.group(2).lower() == "es" and match.group(1).lower() != "ch"):
        return None
    return f"{head} {last[: match.start(2)]}".strip()


SINGULAR_TITLES = True


# "Payroll Team Leader", "Retail Shift Lead", "Team Leader - Warehouse": a first-line manager named by the team he
# leads. ESCO names most such jobs "... supervisor" ("checkout supervisor", "call centre supervisor") and has few team
# leaders, whose names then draw every title that holds the words ("agronomic crop production team leader"). Only a
# title that ends in the team or shift leader, or names it before a spaced dash, is read so: "Team Lead, Data
# Science" is a data scientist, and "Assistant Team Leader" names no team.
TEAM_LEADER = re.compile(
    r"(?i)^(.+?)\s+(?:team|shift)\s+lead(?:er)?s?$|^(?:team|shift)\s+lead(?:er)?s?\s+[-\u2013\u2014]\s+(.+)$")
NOT_A_TEAM = re.compile(r"(?i)^(?:assistant|deputy|senior|junior|trainee|lead|head)$")
SUPERVISOR_TITLES = True


def supervisor_title(title: str) -> str | None:
    """A title naming a team or shift leader, read as a supervisor ("Payroll Team Leader", "Team Leader - Payroll" ->
    "Payroll supervisor"); None when it names none, or names no team ("Assistant Team Leader")."""
    match = TEAM_LEADER.match(BRACKETS_AT_END.sub("", title).strip()) if SUPERVISOR_TITLES else None
    head = (match.group(1) or match.group(2)).strip(" -,\u2013\u2014") if match else ""
    if not head.replace(" ", "").isalpha() or NOT_A_TEAM.match(head) or is_tag(head):
        return None  # no team: a number, a place's reference, a contract ("Team Leader - 12 Month FTC")
    return f"{head} supervisor"


# A driver's title that names the licence it needs ("CDL-A Driver", "Class A CDL Driver", "HGV Class 1 Driver", "C+E
# Driver", Australia's "HR Truck Driver" and "MC Driver", in capitals): the licence class is the vehicle, a truck or
# lorry ("PCV" and category D: a bus or coach). MiniLM reads the codes as letters ("CDL-A Driver" matched no role
# above 0.6, "CDL Class A truck driver" *truck driving instructor*, "HR Driver" *human resources manager*).
LICENCE_CODE = re.compile(
    r"(?i)(?<![\w+])(?:cdl(?:[- ]?[abc])?|hgv|lgv|class [abc12]|cat(?:egory)? (?:c\+?e?|c1\+?e?)|c\+e|c1\+?e?|"
    r"(?-i:HR|HC|MC|MR)|"
    r"(?P<bus>pcv|cat(?:egory)? d1?|d\+e|d1))(?![\w+])")
DRIVER = re.compile(r"(?i)\bdrivers?\b")
VEHICLE = re.compile(r"(?i)\b(?:truck|lorry|van|bus|coach|tanker|tipper|trailer|ambulance|taxi|cab|train|tram|car|"
                     r"minibus|forklift|tractor|crane|fire engine)\b")
LICENCE_TITLES = True


def licence_title(title: str) -> str | None:
    """A driver's title naming a truck or bus licence, without it, and naming the vehicle when nothing else does
    ("CDL-A Driver" -> "truck driver", "Delivery Driver (Class 2)" -> "Delivery truck driver", "PCV Driver" -> "bus
    driver"); None for any other title, and for one that names its vehicle with more words ("HGV Class 1 Tanker
    Driver")."""
    code = LICENCE_CODE.search(title) if LICENCE_TITLES and DRIVER.search(title) else None
    if code is None:
        return None
    vehicle = "bus" if code.group("bus") else "truck"
    rest = SPACE.sub(" ", LICENCE_CODE.sub(" ", BRACKETS_AT_END.sub("", title))).strip(" -,/()\u2013\u2014")
    if VEHICLE.search(rest):  # a vehicle named with more words ("Tanker Driver" alone reads as *dip tank operator*)
        return rest if re.fullmatch(r"(?i)(?:truck|lorry|bus|coach) drivers?", rest) else None
    return DRIVER.sub(lambda m: f"{vehicle} {m.group(0).lower()}", rest, count=1)


def first_alternative(title: str) -> str | None:
    """The first of the alternatives a spaced slash joins in a title ("Welder / Fabricator" -> "Welder"), if any; a
    slash inside brackets joins no titles ("Immigration Caseworker (OISC Level 2 / Level 3)")."""
    slash = next((m for m in ALTERNATIVE.finditer(title) if not inside_brackets(title, m.start())), None)
    first = title[: slash.start()].strip() if TITLE_ALTERNATIVES and slash else ""
    return first or None


def inside_brackets(text: str, at: int) -> bool:
    """Whether position at of text lies inside an open round or square bracket (a stray closing one before it, as in
    "1) Welder (A / B)", opens none)."""
    depth = 0
    for char in text[:at]:
        depth = depth + 1 if char in "([" else max(depth - 1, 0) if char in ")]" else depth
    return depth > 0


# A software qualifier before "engineer" ("Frontend Engineer", "Senior Java Engineer", "iOS/Android Engineer"): ESCO
# names these roles "... developer", and MiniLM reads "X engineer" as an engineering role ("Frontend Engineer" matched
# electrical engineer, "Python Engineer" calculation engineer). Such a title is read as "X software developer".
SOFTWARE_TITLES = True
SOFTWARE_QUALIFIER = (
    r"front[- ]?end|back[- ]?end|full[- ]?stack|mobile|ios|android|java|javascript|typescript|python|golang|go|"
    r"ruby(?: on rails)?|rails|php|\.net|c#|c\+\+|scala|kotlin|swift|react(?: native)?|node(?:\.?js)?|angular|"
    r"vue(?:\.?js)?|rust|elixir|django|flutter"
)
SOFTWARE_ENGINEER = re.compile(
    rf"(?<![\w.#+])((?:{SOFTWARE_QUALIFIER})(?:\s*[/&,]\s*(?:{SOFTWARE_QUALIFIER}))*)(?: software)? engineer\b",
    re.IGNORECASE,
)
SOFTWARE_SPELLING = re.compile(r"\b(front|back)[- ]?end\b|\bfull[- ]?stack\b", re.IGNORECASE)


def software_developer(title: str) -> str:
    """A title with 'X engineer' read as 'X software developer' and front end, back end and full stack spelled as
    ESCO spells them ("Senior Frontend Engineer" -> "Senior front end software developer")."""
    title = SOFTWARE_ENGINEER.sub(r"\1 software developer", title)
    return SOFTWARE_SPELLING.sub(lambda m: f"{m.group(1)} end" if m.group(1) else "full stack", title)


# "3) ", "(b) ", "iv) " and the letter "o" as a bullet, opening a list item.
ENUMERATOR = re.compile(r"^(?:\(?(?:\d{1,2}|[a-hA-H]|[ivx]{1,4})\)|o(?=\s+[A-Z]))\s+")


CHUNKS = True  # a phrase longer than MAX_PHRASE is read in pieces (pieces), not cut (an ablation flag)


def split(text: str, whole: bool = True) -> list[str]:
    """Bullets, sentences and clauses of one line, stripped of punctuation and list enumerators at the ends; one
    longer than MAX_PHRASE characters in pieces (pieces), or, not whole, cut at MAX_PHRASE (see phrases)."""
    parts = (ENUMERATOR.sub("", p.strip(" ,.;:-")) for p in SPLIT.split(ABBREVIATION.sub(r"\1", text)))
    return [piece for p in parts for piece in (pieces(p) if whole and CHUNKS else [p[:MAX_PHRASE]])
            if len(piece) >= MIN_PHRASE and any(c.isalpha() for c in piece)]


def pieces(part: str) -> list[str]:
    """A phrase cut into pieces of at most MAX_PHRASE characters, each ending at its last comma and space in the
    second half of the span, else at its last space: a long sentence ("We are a friendly team ..., and you will
    write SQL, Python and follow GDPR") was cut at MAX_PHRASE, losing what came after."""
    out = []
    while len(part) > MAX_PHRASE:
        cut = part.rfind(", ", MAX_PHRASE // 2, MAX_PHRASE)  # not inside "£30,000"
        cut = cut if cut > 0 else part.rfind(" ", 1, MAX_PHRASE)
        cut = cut if cut > 0 else MAX_PHRASE
        out.append(part[:cut].strip(" ,.;:-"))
        part = part[cut:].strip(" ,.;:-")
    return [*out, part]


LIST_BREAK = re.compile(
    r"\s*[,;()\[\]]\s*|\s+/\s+|\s+(?:and|or|&|as well as|and/or|with|using|in|including|such as|like|via|"
    r"e\.g|incl|especially|particularly|plus)\s+",
    re.IGNORECASE,
)
FILLER_WORDS = (
    "you|we|will|and|or|who|can|able|a|an|the|our|your|some|any|other|similar|related|relevant|strong|good|solid|"
    "proven|excellent|great|deep|sound|basic|advanced|hands-on|practical|working|demonstrable|demonstrated|"
    "professional|commercial|prior|previous|years?|months?|of|experience|experienced|knowledge|understanding|"
    "familiarity|proficiency|expertise|skills?|ability|to|is|are|be|plus|nice|must|have|required|preferred|"
    "desirable|tools?|technologies|frameworks?|platforms?|e\\.g|etc"
)
FILLER = re.compile(rf"^(?:(?:\d+\+?|(?:{FILLER_WORDS})(?!\w))[\s.:-]*)+", re.IGNORECASE)
MENTION_MIN_WORDS = 4
MENTION_MAX_WORDS = 5


def mentions(phrase: str) -> list[str]:
    """The list items a longer phrase names ('REST APIs with Django and PostgreSQL' -> 'REST APIs', 'Django',
    'PostgreSQL'), stripped of filler words; tools named inside a sentence are matched on their own."""
    if len(phrase.split()) < MENTION_MIN_WORDS:
        return []
    out: dict[str, None] = {}
    for part in LIST_BREAK.split(phrase):
        item = FILLER.sub("", part.strip(" .:-")).strip(" .:-")
        if len(item) >= 2 and any(c.isalpha() for c in item) and len(item.split()) <= MENTION_MAX_WORDS:
            out[item] = None
    out.pop(phrase, None)
    return list(out)


def phrases(text: str, whole: bool = True) -> list[str]:
    """Split a text into short phrases (bullets, sentences, clauses), deduplicated in order; not whole, a sentence
    is cut at MAX_PHRASE characters, as the build reads course descriptions (its alignment thresholds and labelled
    sentence samples were drawn so)."""
    return list(dict.fromkeys(p for line in clean(text).splitlines() for p in split(line, whole)))


TITLE_LINE_WORDS = 12
TITLE_LINE_CHARS = 2000  # the opening lines are all it reads
TITLE_LINE_AFTER = 3  # job-site lines ("Location: Leeds", "Ref: 123 · Posted 3 days ago") that may precede it
TITLE_LINES = 2  # the title line and the next title-like line, when that reads as a title too (title_lines)
# An applicant-tracking system's page heads the title with a block of fields ("Requisition ID: R-0048213" / "Location:
# Columbus, OH" / "Time Type: Full time" / "Job Family: Finance & Accounting" / "Worker Sub-Type: Regular" / "Posted on:
# Posted 3 Days Ago" / "Staff Accountant II"), longer than TITLE_LINE_AFTER: the title under an unbroken block of up to
# SITE_BLOCK job-site lines is read as the title line (site_block). Workday's and USAJOBS' blocks run six to ten lines.
SITE_BLOCK = 12
# A one-sentence hook above the title ("Ready to sell the platform Australia's fastest-growing trades businesses run
# on?" / "SENIOR ACCOUNT EXECUTIVE - MID-MARKET (ANZ)"), as company career pages open: skipped like a job-site line
# when it is the first line, a sentence of at most HOOK_WORDS words (is_hook).
HOOK_LINES = True
HOOK_WORDS = 16
# A job-site field naming the job ("Job Title: Data Analyst", "Position: Staff Nurse", "Vacancy - Chef").
TITLE_LABEL = r"(?:job title|job role|position(?: title)?|role(?: title)?|vacancy(?: title)?|title)"
LABEL_END = r"(?:\s*:|\s+[\u2013-])\s*"  # "Title: ...", "Title - ...", not "Role-play actor"
TITLE_FIELD = re.compile(rf"^{TITLE_LABEL}{LABEL_END}(.*\w.*)$", re.IGNORECASE)
TITLE_FIELD_ALONE = re.compile(rf"^{TITLE_LABEL}\s*:?$", re.IGNORECASE)  # its value on the next line
FIELD_TITLES = True  # a field naming the job below the opening lines is a title candidate too (field_titles)
# A field naming the job ("Job title: Educational Psychologist (Main Grade)") is the surest title a posting gives: it
# comes before the title lines, read at their bar, so a council's or a company's name heading the advert
# ("Calderbridge Metropolitan Borough Council" met *city councillor*) no longer wins (title_candidates).
FIELDS_FIRST = True
# The labels that name the job outright; a bare "Role:" often describes it instead ("Role: Leading a team of forklift
# drivers"), so its value keeps its place after the title lines.
TITLE_FIELD_FIRST = re.compile(rf"^(?:job title|position(?: title)?|vacancy(?: title)?|role title|title){LABEL_END}\S",
                               re.IGNORECASE)
# A call before the title ("URGENT: Care Assistant", "We're hiring - Kitchen Porter", "New! Sales Assistant").
HIRING_CALL = re.compile(r"^(?:urgent(?:ly)?(?: (?:required|needed))?|(?:we(?:'re|\u2019re| are) |now )?hiring|"
                         rf"immediate start|new)(?:{LABEL_END}|\s*!\s*)(.*\w.*)$", re.IGNORECASE)
# A call on its own line ("We're Hiring!", "Now hiring", "Urgently required"): skipped, like a job-site line.
BARE_CALL = re.compile(r"^(?:(?:we(?:'re|\u2019re| are) |now )?hiring|urgent(?:ly)? (?:required|needed)|"
                       r"immediate start|join (?:our|the) team|apply now)\W*$", re.IGNORECASE)
SITE_LINES_BETWEEN = True  # job-site lines between the first title-like line and the title under it are skipped
FIELD_COLON = re.compile(r"(?<!\d):|:(?!\d\b)")  # "Location: Leeds", "9:00-17:00"; not the ratio of "SEN 1:1 Support"
# A sentence's end ("... a nurse. You will"), not "Sr. Nurse", nor a company's name ending a line ("Hartigan Doyle &
# Co.", "Northwind Mechanical Inc."), which heads some postings above their title.
COMPANY_END = "".join(rf"(?<!\b{word})" for word in ("Co", "Inc", "Corp", "Ltd", "Bros", "Pty", "LLC", "LLP", "PLC"))
SENTENCE = re.compile(rf"[!?]$|{COMPANY_END}\.$|[a-z]{{3}}[.!?]\s")
# A call after a title line's last spaced dash or bar ("Reachtruck driver (m/f/x) – Port of Antwerp – start ASAP!",
# "Kitchen Porter - Immediate Start!"): the line is a title all the same, its exclamation no sentence's end.
CALL_TAIL = re.compile(r"\s+[-\u2013\u2014|]\s+(?:[^\s\-\u2013\u2014|]+\s+){0,3}[^\s\-\u2013\u2014|]*!+$")


def opening_lines(text: str) -> list[str]:
    """A posting's non-empty lines within its opening TITLE_LINE_CHARS characters, cleaned and without edge marks."""
    return [bare for line in clean(text[:TITLE_LINE_CHARS]).splitlines() if (bare := unmarked(line))]


# LinkedIn's job view, copied, puts the title directly above its meta line: a " · " list holding the workplace
# type ("On-site", "Hybrid", "Remote") or the employment type ("Full-time", "Contract"), as in "Halden Microsystems /
# Embedded Software Engineer / Cambridge, England, United Kingdom · Hybrid · Full-time" or "Product Manager /
# Fernhollow · Manchester · Hybrid". The company's name above the title may read as a title too ("Halden
# Microsystems" found *microsystem engineer*), or as boilerplate ("Corrib Life Assurance DAC"), so the line over the
# meta line is the title line. Indeed's "Bristol BS1 · Hybrid work" sits under the company, and is not such a line.
META_TITLES = True
META_SEPARATOR = re.compile(r"\s+\u00b7\s+")
META_TYPE = re.compile(r"on-site|hybrid|remote|full-time|part-time|contract|temporary|internship|volunteer",
                       re.IGNORECASE)


def is_meta(line: str) -> bool:
    """Whether a line is a LinkedIn meta line ("Leeds, England · On-site · Full-time")."""
    parts = META_SEPARATOR.split(line)
    return len(parts) > 1 and any(META_TYPE.fullmatch(part.strip()) for part in parts)


def meta_title(lines: list[str]) -> str | None:
    """The line directly above a LinkedIn meta line within a posting's opening lines, when it reads as a title."""
    for index, line in enumerate(lines[1 : TITLE_LINE_AFTER + TITLE_LINES + 1], start=1):
        if is_meta(line):
            above = lines[index - 1]
            return above if not is_site_line(above) and reads_as_title(above) else None
    return None


# A public employer's name heading a government posting, as USAJOBS and public-sector boards put it above the title
# ("Department of Health and Human Services", then "National Institutes of Health", then the title): two such lines
# filled both title lines, and a biostatistician's posting went to *public health policy officer*. An opening line
# only: in a posting's body, "Department of Transportation medical card required" asks for something.
PUBLIC_BODY = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){0,2}(?i:department|dept\.?|ministry|bureau|office|institutes?|agency|"
    r"administration|government|city|county|state|university|directorate|division)\s+(?:of|for)\s+(?:the\s+)?[A-Z]"
)
# ... or named by its last word ("Veterans Health Administration", "Farm Service Agency", "Calderbridge Metropolitan
# Borough Council", "Northern Moors Hospitals NHS Foundation Trust", "NSW Health", "Local Health District"): a user's
# agency-headed posting for an HR specialist went to *official veterinarian* by its second line. Such a name has three
# words or more, or two opening with an acronym ("NSW Health"; not "Database Administration"), and names no job
# ("Professor of Public Health", "City of London Police Constable", "Account Manager for Local Government" are titles).
# A county's "Human Services" or "Housing Stability Division" above its fields heads a posting the same way (set 20's
# g09); as a requirement such a name is a product ("Amazon Web Services"), so only an opening line is read so.
PUBLIC_BODY_END = re.compile(
    r"^(?!(?:Head|Director|Chief|Deputy|Assistant|Secretary|Clerk|Chair|Member|Master|Bachelor|Diploma|Certificate|"
    r"Degree|Experience|Knowledge|Understanding)\b)"  # "Head of Department" is a job, "Master of ..." a degree
    r"(?:[A-Z][\w.'’&-]*\s+|(?:of|and|for|the|&)\s+){1,8}(?:Administration|Agency|Bureau|Commission|Council|"
    r"Directorate|District|Trust|Institutes?|(?P<health>Health)|(?P<unit>Division|Department|Services))$"
)
NAME_CONNECTOR = frozenset({"of", "and", "for", "the", "&"})


def is_public_body(line: str, phrase: bool = False) -> bool:
    """Whether a line names a public employer (PUBLIC_BODY, PUBLIC_BODY_END) and no job (PUBLIC_JOB). As a posting's
    phrase (phrase=True) it must be the name alone, every word capitalised ("Department for Work and Pensions" had
    required *distribute pensions*; "Department of Transportation medical card required" asks for something), and a
    name by its last word must not end in "Health" ("Mental Health" in a list of specialisms is a requirement) nor in
    "Services", "Division" or "Department" ("Amazon Web Services" is a requirement)."""
    line = line.strip()
    start, end = PUBLIC_BODY.search(line), PUBLIC_BODY_END.search(line)
    words = line.split()
    end = end if end and (len(words) >= 3 or len(words) == 2 and words[0].isupper()) else None
    if not (start or end) or PUBLIC_JOB.search(line):
        return False
    if not phrase:
        return True
    named = all(w[0].isupper() or w in NAME_CONNECTOR for w in re.findall(r"[^\W\d_][\w'’.&-]*|&", line))
    return named and not ASKED_OF.search(line) and bool(start or end and not (end.group("health") or end.group("unit")))


# What a phrase naming a public body asks for ("State of California Driver License", "Department of Transportation
# Medical Card Required"): a requirement, not the employer's name.
ASKED_OF = re.compile(r"\b(?:required|requirement|licen[cs]es?|cards?|certificat\w*|clearance|checks?|permits?|"
                      r"registration|experience|knowledge|degree|qualifications?)\b", re.IGNORECASE)


def is_site_line(line: str) -> bool:
    """Whether an opening line is a job site's: a field ("Location: Leeds"), a site line (SITE_LINE), a LinkedIn meta
    line (is_meta), tags alone ("Full-time | Permanent | £30k") or a public employer's name (is_public_body)."""
    return bool(FIELD_COLON.search(line) or SITE_LINE.search(line) or (META_TITLES and is_meta(line))
                or is_public_body(line)
                or all(is_tag(p) for p in SITE_SEPARATOR.split(line) if not SITE_LINE.search(p)))


def title_lines(text: str) -> list[str]:
    """A posting's title line: its first line when that reads as the job's title ("Registered Nurse (RGN) - Surgical
    Ward"; see reads_as_title), at most under a few job-site lines (fields, references, dates) and bare calls ("We're
    Hiring!"), as job boards and career sites head postings; and, when the next line past such lines reads as a title
    too, that line: a posting headed by its company's name ("Northgate Services Ltd", then "Warehouse Operative", or
    "Job ID: R-20417" and then the title) has its title second. A line above a LinkedIn meta line comes first
    (meta_title)."""
    lines = opening_lines(text)
    found: list[str] = []
    after = max(TITLE_LINE_AFTER, site_block(lines))
    for index, line in enumerate(lines[: after + TITLE_LINES]):
        if not found and index > after:
            break
        if TITLE_FIELD_ALONE.match(line) or BARE_CALL.match(line) or index == 0 and is_hook(line):
            continue
        tail = CAREERS_TAIL.match(line)
        if tail and not (index + 1 < len(lines) and is_site_line(lines[index + 1])):
            continue  # "Careers | Acme Ltd" above a blurb: the site's header and the company's name
        field = TITLE_FIELD.match(line) or HIRING_CALL.match(line) or tail
        if field:
            line = unmarked(field.group(1))  # "Job Title: Data Analyst", "URGENT: Chef": the title follows
        elif is_site_line(line):
            if found and not SITE_LINES_BETWEEN:
                break
            continue  # a job-site line
        if not reads_as_title(line):
            break
        found.append(line)
        if len(found) == TITLE_LINES:
            break
    meta = meta_title(lines) if META_TITLES else None
    return [meta, *(line for line in found if line != meta)][:TITLE_LINES] if meta else found


def site_block(lines: list[str]) -> int:
    """How many of a posting's opening lines are job-site lines before its first other line, up to SITE_BLOCK."""
    count = 0
    while count < min(SITE_BLOCK, len(lines)) and is_site_line(lines[count]):
        count += 1
    return count


def is_hook(line: str) -> bool:
    """Whether a posting's first line is a hook above its title (HOOK_LINES): one sentence of at most HOOK_WORDS
    words ending in a full stop, a question or an exclamation mark ("Grow a beloved Canadian brand from coast to
    coast."); not a title line ending in a call (CALL_TAIL)."""
    words = line.split()
    return (HOOK_LINES and len(words) <= HOOK_WORDS and line.rstrip()[-1:] in ".!?" and not SENTENCE.search(line[:-1])
            and not is_site_line(line) and not CALL_TAIL.search(line))


# A sentence naming the job ("We're looking for a Social Media Manager to own our channels", "seeking an experienced
# painter and decorator to join our crew", "As our Payroll Administrator, you will", "is looking for Cabin Crew to
# join", and as short adverts put it: "Busy salon after a qualified stylist", "Local firm needs an experienced
# mobile locksmith"): postings that open with the company's name and a blurb name their title there. Without an
# article, the title must open with a capital letter. A short bracket right after the title is kept with it ("a
# reliable Site Supervisor (caretaker) to open and lock up the school"), as a title line keeps it.
EMPLOYER = (r"(?:company|business|firm|team|practice|salon|clinic|surgery|restaurant|caf[eé]|bar|pub|hotel|agency|"
            r"group|studio|shop|store|garage|school|nursery|outfit|employer|operator|contractor|builder|provider)")
# Where the employer is ("Busy collision repair shop in Hamilton East needs a qualified panel painter", "salon in
# St. Albans", "cafe in the CBD", "in Newcastle upon Tyne"): after "in" (and "the"), a capitalised word and up to three
# more, capitalised or joining a place's name.
PLACE_WORD = r"(?-i:[A-Z][\w'\u2019.-]*)"
EMPLOYER_PLACE = rf"(?:\s+in\s+(?:the\s+)?{PLACE_WORD}(?:\s+(?:{PLACE_WORD}|upon|on|under|de|la)){{0,3}})?"
# The words that praise or qualify the person wanted before the title ("an experienced", "friendly part-time").
HIRING_WORDS = (
    r"highly|fully|suitably|appropriately|newly|very|an?|and|experienced|qualified|enthusiastic|talented|"
    r"motivated|passionate|dedicated|skilled|reliable|friendly|hard-?working|dynamic|driven|proactive|"
    r"organi[sz]ed|confident|creative|energetic|caring|compassionate|committed|outstanding|exceptional|"
    r"brilliant|great|fantastic|superb|keen|positive|hands-on|full-time|part-time|full time|part time|permanent|"
    r"temporary|seasonal|additional|new|further|local|"
    r"[\w-]+-(?:oriented|focused|minded|driven|motivated|skilled|accredited|certified|qualified|ticketed)"
)
HIRING_ADJECTIVE = re.compile(rf"^(?:(?:{HIRING_WORDS})(?:\s+|$))+", re.IGNORECASE)
# A title after "looking for" comes with an article, a capital, or (in the plural, "looking for friendly part-time
# checkout operators") one of the HIRING_WORDS.
HIRING_SENTENCE = re.compile(
    r"\b(?:looking for|seeking|searching for|on the (?:hunt|look-?out) for|(?:now )?(?:hiring|recruiting)(?: for)?|"
    r"(?:wish|want|like|looking) to (?:appoint|recruit|hire)|join (?:us|our [\w-]+(?: [\w-]+)?) as|^as|[.!?] as|"
    r"(?:an?|the)(?: [\w-]+){0,2} (?:opening|vacancy|opportunity) for(?= (?-i:an?) )|"
    rf"(?:we(?:'re|\u2019re| are)|{EMPLOYER}) (?:(?:is|are) )?(?:currently |now )?after|"
    rf"{EMPLOYER}{EMPLOYER_PLACE}(?:\s*[\u2013\u2014]\s*|\s+-\s+|\s+)(?:needs|wants))"
    rf"(?:\s+(?:an?|our next|our new|our|the|one|two|several|\d+)|(?=\s+(?-i:[A-Z]))|(?=\s+(?:{HIRING_WORDS})\s))"
    r"\s+(.{3,120}?(?:\s\([^()\n]{3,40}\))?)(?=[,.;:!?()\n]|\s+(?:to|who|with|that|"
    r"which|for|in|on|at|based|from|where|whose|within|this|you|will|across|covering|working|joining|and an?)\b|$)",
    re.IGNORECASE | re.MULTILINE,
)
NOT_A_TITLE = re.compile(r"\b(?:challenge|opportunity|role|position|job|career|candidate|individual|person|people|"
                         r"someone|team|applicants?|addition|hire|professional|talent|move|change|step)s?$",
                         re.IGNORECASE)
NAMED_TITLE_WORDS = 6


def named_titles(text: str) -> list[str]:
    """Job titles a posting names in a hiring sentence within its opening characters, in order; for a posting whose
    opening lines hold no title (see HIRING_SENTENCE)."""
    found: dict[str, None] = {}
    for match in HIRING_SENTENCE.finditer(clean(text[:TITLE_LINE_CHARS])):
        title = HIRING_ADJECTIVE.sub("", match.group(1).strip(" -\u2013")).strip(" -\u2013")
        words = len(BRACKETS_AT_END.sub("", title).split())  # "Rope Access Technicians (Level 1 / 2)": three
        if 0 < words <= NAMED_TITLE_WORDS and not NOT_A_TITLE.search(title) and reads_as_title(title) \
                and not bare_generic(title):
            found[title] = None
    return list(found)


def bare_generic(title: str) -> bool:
    """Whether a title is only a job family's bare noun ("administrator", "engineers"), which names no job: "busy IP
    practice needs an administrator to run ..." is an insolvency administrator, not *ICT system administrator*."""
    folded = BRACKETS_AT_END.sub("", title).strip().casefold()  # "Technicians (Nights)"
    return folded in GENERIC_TITLES or folded.endswith("s") and folded[:-1] in GENERIC_TITLES


# A one-paragraph advert that opens with its title ("Dairy Farm Assistant – Waikato. We're after ...", "Event &
# wedding photographer wanted – Gold Coast, casual: you'll need ...") has no title line: its head is tried like a
# title met in prose. The head is the words before "wanted" / "required" / "needed", or else before the first spaced
# dash, colon or bracket; a comma or a full stop does not end it ("Web developers develop, implement ..." is prose).
HEAD_BREAK = re.compile(r"\s+[-\u2013\u2014\u2022|]\s+|:\s|\s\(")
WANTED_HEAD = re.compile(r"^(.{3,100}?)\s+(?:urgently\s+)?(?:wanted|required|needed|sought)\b", re.IGNORECASE)
HEAD_TITLES = True
HEAD_TITLE_WORDS = 8


# A job board's label that opens a copy-paste ("About the job" on LinkedIn, "Full job description" on Indeed) stands
# on a line of its own (a job-site line), but opens the paragraph of a posting whose line breaks were lost: "About the
# job Medior Full Stack Developer (React / Node.js) Bloomcart · Amsterdam ..." headed its title.
# So does a hiring call ("🚧 WE'RE HIRING – GENERAL LABOURERS 🚧 📍 Marsden Park ...", its emoji marks once cleaned).
BOARD_LABEL = re.compile(r"^(?:about the job|full job description)\s+(?=\S)", re.IGNORECASE)
CALL_HEAD = re.compile(r"^[^\w]*(?:we(?:'re|\u2019re| are) hiring|now hiring)\s*[^\w\s]+[^\w]*(?=\w)", re.IGNORECASE)


def first_line(text: str) -> str:
    """A posting's first opening line, without a job board's label or a hiring call opening it (BOARD_LABEL,
    CALL_HEAD)."""
    return CALL_HEAD.sub("", BOARD_LABEL.sub("", next(iter(opening_lines(text)), "")))


def head_title(text: str) -> str | None:
    """The head of a posting whose first line is a paragraph, when it reads as a title (see HEAD_BREAK)."""
    first = first_line(text)
    if not HEAD_TITLES or not first or reads_as_title(first):
        return None
    wanted = WANTED_HEAD.match(first)
    parts = [wanted.group(1)] if wanted else HEAD_BREAK.split(first, maxsplit=1)
    head = unmarked(parts[0])
    fits = (wanted or len(parts) > 1) and 0 < len(head.split()) <= HEAD_TITLE_WORDS and not BARE_CALL.match(head)
    return head if fits and reads_as_title(head) else None


# A posting whose line breaks were lost (some job-ad datasets and scrapers give one paragraph) has no title line: its
# title runs into what followed it ("Hospital Porter Kingsmead Private Hospital Chelmsford CM1 Job details Pay ..."),
# maybe after a reference ("Ref: SRP-2291-POD Podiatrist – Full Time ..."). The runs of up to HEAD_WORDS_LEN of its
# first words, starting at one of its first HEAD_WORDS_OFFSET + 1 words, are then tried as titles (head_words). A
# run followed by a word in lower case reads as a sentence's subject, not a title ("Data analysts import, inspect,
# ...", "Clearwater Credit Solutions is one of ..."). That also loses "University Lecturer in Public Health ...":
# letting a function word follow a run found it, but cost the ESCO descriptions 0.007 MAP (docs/QUALITY.md).
HEAD_WORDS_OFFSET, HEAD_WORDS_LEN = 3, 6


FUNCTION_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with", "&"})


def starts_and_ends_as_title(run: str) -> bool:
    """Whether a run of words neither opens nor ends on a function word, as titles do not ("of the Navy")."""
    words = run.split()
    return words[0].lower() not in FUNCTION_WORDS and words[-1].lower() not in FUNCTION_WORDS


def head_words(text: str) -> list[str]:
    """The runs of the words opening a posting's first line, when that line is a paragraph (more than
    TITLE_LINE_WORDS words), that read as titles (starts_and_ends_as_title, reads_as_title), are not a job family's
    bare noun (GENERIC_TITLES) and are not followed by a word in lower case, earliest and shortest first (see
    HEAD_WORDS_LEN)."""
    first = first_line(text).split()
    if len(first) <= TITLE_LINE_WORDS:
        return []
    words = first[: HEAD_WORDS_OFFSET + HEAD_WORDS_LEN + 1]
    out: dict[str, None] = {}
    for start in range(HEAD_WORDS_OFFSET + 1):
        for end in range(start + 1, min(start + HEAD_WORDS_LEN, len(words)) + 1):
            run = " ".join(words[start:end]).strip(MARKS + ",")
            after = words[end] if end < len(words) else ""
            if run and not after[:1].islower() and starts_and_ends_as_title(run) and reads_as_title(run) \
                    and run.casefold() not in GENERIC_TITLES:  # "Consultant" of "Consultant Anaesthetist - ..."
                out[run] = None
    return list(out)


# A posting whose line breaks were lost may have its title further in, after a field block or its company's blurb
# ("Job Requisition ID: R-0048213 Location: Columbus, OH ... Posted 3 Days Ago Staff Accountant II Harlow Brands is
# ..."), where head_words does not reach: the runs of two to KNOWN_TITLE_LEN capitalised words among its first
# KNOWN_TITLE_WORDS words that are exactly a role's title (known_titles) are then tried as titles named in prose. One
# word is not enough ("General", "Technician", "Conductor" stand in blurbs and fields as often as in titles).
KNOWN_TITLES = True
KNOWN_TITLE_WORDS, KNOWN_TITLE_LEN = 60, 6
INNER_TITLE_WORDS = frozenset({"of", "and", "in", "&", "/"})  # "Lecturer in Public Health", "Fire & Security Engineer"
WORD_MARKS = MARKS + ",.;()[]!?'\"\u2018\u2019\u201c\u201d"


def capitalised(word: str) -> bool:
    """Whether a word, its marks aside, opens with a capital or a digit, as a title's words do."""
    bare = word.strip(WORD_MARKS)
    return bool(bare) and (bare[0].isupper() or bare[0].isdigit())


def known_titles(text: str, names: frozenset[str]) -> list[str]:
    """The runs of capitalised words (INNER_TITLE_WORDS between them) among the first KNOWN_TITLE_WORDS words of a
    posting whose first line is a paragraph that are exactly one of names (folded role titles), in order, the longest
    at each start; runs do not overlap."""
    words = first_line(text).split()
    if not KNOWN_TITLES or len(words) <= TITLE_LINE_WORDS:
        return []
    words = words[:KNOWN_TITLE_WORDS]
    found: dict[str, None] = {}
    start = 0
    while start < len(words):
        end = known_run_end(words, start, names)
        if end:
            found[" ".join(words[start:end]).strip(WORD_MARKS)] = None
        start = end or start + 1
    return list(found)


def known_run_end(words: list[str], start: int, names: frozenset[str]) -> int:
    """The end of the longest run of two or more capitalised words from start that is one of names; 0 if none."""
    if not capitalised(words[start]):
        return 0
    for end in range(min(len(words), start + KNOWN_TITLE_LEN), start + 1, -1):
        run = words[start:end]
        if capitalised(run[-1]) and all(capitalised(w) or w.lower() in INNER_TITLE_WORDS for w in run) \
                and " ".join(run).strip(WORD_MARKS).casefold() in names:
            return end
    return 0


NOT_A_TITLE_VALUE = re.compile(r"^(?:reports? to|reporting (?:to|line)|based (?:in|at)|working (?:from|with))\b",
                               re.IGNORECASE)  # "Role: Reporting to the Practice Manager"


def field_titles(text: str) -> list[tuple[str, bool]]:
    """The values of the job-site fields naming the job ("Position: Team Leader - Contact Centre") among a posting's
    opening lines, wherever they stand, once each (case aside), each with whether its label names the job outright
    (TITLE_FIELD_FIRST): a posting that opens with its company's blurb has its title in a field block below it, which
    title_lines does not reach. A value on the line after its label alone is title_lines' to read."""
    kept: dict[str, tuple[str, bool]] = {}
    for line in opening_lines(text):
        field = TITLE_FIELD.match(line)
        value = unmarked(field.group(1)) if field else ""
        # a value that is itself a field ("Job Title: Job reference: 301-THR") is none
        if field and reads_as_title(value) and not NOT_A_TITLE_VALUE.match(value) and not FIELD_COLON.search(value):
            outright = bool(TITLE_FIELD_FIRST.match(line))
            known = kept.get(value.casefold())
            kept[value.casefold()] = (known[0], known[1] or outright) if known else (value, outright)
    return list(kept.values())


# A posting that opens with its company's blurb, a paragraph, has its title on the line below when that line reads as
# a title and job-site fields follow it ("Bridgewell Legal is a regulated law firm ... Our clients come first." /
# "Immigration Caseworker" / "Location: Birmingham"): the fields mark it as the posting's head, as a title line. So
# does a section heading above it, below the blurb ("About us" / blurb / "The role" / "Structural Steel Erector /
# Ironworker" / "Location: Edmonton").
TITLE_UNDER_BLURB = True
# A heading that names the job ("The role", "Position") has the title on the next line when that reads as one, with
# or without fields below it.
ROLE_HEADING = re.compile(r"(?:the |your |about the )?(?:role|position|job|vacancy|opportunity)(?: title)?",
                          re.IGNORECASE)
ROLE_HEADING_TITLE = True
# What opens a short line that is no title: hours or pay ("30 hrs/week", "£12.10 per hour"; "1st Line Support" and "3D
# Artist" are titles), a reporting line or a sentence's subject ("Reporting to the Head of Finance", "You will ...").
NOT_A_TITLE_START = re.compile(r"[£$€]|\d+(?![\d,.]*(?:st|nd|rd|th|d)\b)|"
                               r"(?:reporting|reports?|based|working|we|you|our|this|as|join|in this)\b", re.IGNORECASE)


def title_under_blurb(text: str) -> list[str]:
    """The first line below an opening paragraph, or below a heading after it, that reads as a title with a job-site
    line following it; or, under a heading naming the job ("The role"), that reads as a title (ROLE_HEADING); none
    past the first section's heading."""
    lines = opening_lines(text)
    while SKIP_SITE_HEAD and lines and (CAREERS_HEAD.match(lines[0]) or CAREERS_TAIL.match(lines[0])):
        lines = lines[1:]
    if not TITLE_UNDER_BLURB or len(lines) < 3 or reads_as_title(lines[0]) or is_site_line(lines[0]):
        return []
    prose_above = True  # the opening line: neither a title nor a job-site line
    headings = 0
    for index in range(1, len(lines) - 1):
        line, above = lines[index], lines[index - 1]
        headings += heading(line) is not None
        if headings > 1:
            return []  # a second section ("About the role" / ... / "Key responsibilities"): a list below, no title
        reads, site = reads_as_title(line), is_site_line(line)
        titled = reads and not site and not NOT_A_TITLE_START.match(line)
        if titled and ROLE_HEADING_TITLE and ROLE_HEADING.fullmatch(above.strip(MARKS).rstrip(":").strip()):
            return [line]  # "The role" / "Senior Data Engineer (m/w/d)"
        if titled and (is_site_line(lines[index + 1]) or BLURB_LOOKAHEAD and prose_above
                       and heading(above) is None and site_below(lines, index)):
            return [line] if heading(above) is not None or prose_above else []
        if index > 1 and heading(line) is None and (reads or site):
            return []  # past the blurb and its headings: a list or fields, no title
        prose_above = not reads and not site
    return []


# A title under a blurb may have its company's name, its place and its category between it and the first job-site
# line, as Seek copies them ("Mine Planning Engineer – Open Pit" / "Ironbark Resources" / "Pilbara, WA" / "Mining,
# Resources & Energy" / "Full time"): up to LOOKAHEAD_LINES short lines, a place among them, may stand between
# (site_below). Without it the company's name met a role ("Ironbark" *structural ironwork supervisor*). Only right
# below the blurb: under a heading such as "What you'll do", short lines are a list.
BLURB_LOOKAHEAD = True
LOOKAHEAD_LINES = 3
# A careers site's header above the blurb ("Careers", "Jobs at Acme Ltd": CAREERS_HEAD) is skipped, so the title
# under the blurb is still found ("Careers | Southern Cross Members Super" had met *career guidance advisor*).
SKIP_SITE_HEAD = True


# A place as job sites write it under a title: capitalised names joined by commas ("Pilbara, WA", "Toronto, Ontario,
# Canada"). A list of skills below a blurb ("Payroll" / "Sage 50" / "Xero") has none.
PLACE_NAME = r"[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|&))*"
PLACE = re.compile(rf"^{PLACE_NAME}(?:,\s*{PLACE_NAME})+$")


def site_below(lines: list[str], index: int) -> bool:
    """Whether a job-site line follows line index within LOOKAHEAD_LINES + 1 lines, the lines between short, no
    sentence, and one of them a place (the company's name and a place: "Ironbark Resources" / "Pilbara, WA" / "Full
    time")."""
    placed = False
    for line in lines[index + 1 : index + 2 + LOOKAHEAD_LINES]:
        if is_site_line(line):
            return placed
        if len(line.split()) > TITLE_LINE_WORDS or SENTENCE.search(line) or heading(line) is not None:
            return False
        placed = placed or bool(PLACE.match(line))
    return False


def title_candidates(text: str) -> list[tuple[str, bool]]:
    """A posting's title candidates, best placed first, each with whether it was met below the opening lines (then it
    must match a role as surely as a title named in prose): its fields naming the job (field_titles; with FIELDS_FIRST,
    at the title lines' bar), its title lines (title_lines, or title_under_blurb), then the head of a one-paragraph
    advert (head_title), then the titles it names in hiring sentences (named_titles)."""
    lines = title_lines(text) or title_under_blurb(text)
    named_fields = field_titles(text) if FIELD_TITLES else []
    if FIELDS_FIRST:  # after the line above a LinkedIn meta line, which is surer still
        meta = meta_title(opening_lines(text)) if META_TITLES else None
        outright = [value for value, first in named_fields if first]
        first = {f.casefold(): f for f in [*([meta] if meta in lines else []), *outright]}
        lines = [*first.values(), *(line for line in lines if line.casefold() not in first)]
    seen = {line.casefold() for line in lines}
    fields = [f for f, _ in named_fields if f.casefold() not in seen]
    prose = [head] if (head := head_title(text)) else []
    later = [title for title in dict.fromkeys(fields + prose + named_titles(text)) if title not in lines]
    return [(line, False) for line in lines] + [(title, True) for title in later]


def reads_as_title(line: str) -> bool:
    """Whether a line reads as a job title: short, no sentence punctuation, not a heading, not boilerplate by its
    words (its job-board tags and terms aside: "Office Cleaner - Evenings (Part time)", "Part-Time Sales Assistant")."""
    too_long = len(line.split()) > TITLE_LINE_WORDS or len(line) > TITLE_LINE_WORDS * 12  # 12 characters a word
    line = CALL_TAIL.sub("", line)
    if too_long or SENTENCE.search(line) or heading(line) is not None:
        return False
    words_only = NOT_ASKED.sub(" ", TERMS.sub(" ", strip_tags(line)))  # "Care Assistant - No Experience Required"
    return not is_boilerplate(words_only) and any(c.isalpha() for c in words_only)


def heading(line: str) -> str | None:
    """'skip' or 'keep' when a line is a section heading (boilerplate or requirements), else None."""
    text = line.strip(MARKS).rstrip("?!:").strip(MARKS)
    if not text or len(text.split()) > HEADING_WORDS or "." in text:
        return None
    if RANK_HEADING.fullmatch(text):  # "Desirable", "Bonus points", "Essential": requirements, ranked
        return "keep"
    titled = line.rstrip().endswith(":") or KEEP_HEADING.match(text) or SKIP_HEADING.fullmatch(text)
    if not titled:
        return None
    return "skip" if SKIP_HEADING.search(text) and not KEEP_HEADING.match(text) else "keep"


def inline_heading(line: str) -> str | None:
    """The kind of a 'Heading: content' line's heading, if it opens with one: 'skip' for a boilerplate field
    ("Salary: ..."), 'field' for a job board's field label ("Company: ..."; FIELD_LABEL), 'keep' only for a
    requirements heading ("Requirements: ..."). Any other label ("Hybrid working:
    two days from home" under "Benefits") is content of the section it sits in, and does not end a skipped one."""
    head, colon, value = line.partition(":")
    label = head.strip(MARKS).strip()
    if colon and FIELD_LABELS and (FIELD_LABEL.fullmatch(label) or NAME_FIELD_LABEL.fullmatch(label)
                                   and NAME_VALUE.fullmatch(value.strip(MARKS + " ."))):
        return "field"
    kind = heading(head + colon) if colon else None
    return kind if kind != "keep" or KEEP_HEADING.match(head.strip(MARKS).strip()) else None


# "Driver's License (Required)", "Delivery driver: 1 year (Preferred)": job boards mark requirements so.
QUALIFIER = re.compile(r"\s*\((?:required|preferred|essential|desirable|desired|optional|a plus)\)$", re.IGNORECASE)


# A "Heading: value" field sets aside its whole line ("Salary: £32,500 - £38,000 per year, plus benefits"), but on a
# line longer than this it sets aside only its first phrase: a posting whose line breaks were lost is one line, and
# "Posted: 03/06 Mechanical Design Engineer ..." had set aside the whole posting.
FIELD_LINE_WORDS = 40


def named_field(inline: str | None, index: int, phrase: str) -> bool:
    """Whether a phrase of a job board's field line (inline: its inline_heading) is the field's label or its short
    value, a name ("Company: Acme Ltd"); a long value states requirements ("Job Title: Care Assistant. Must hold NVQ
    Level 2 ...") and stays."""
    return inline == "field" and (index == 0 or (index == 1 and len(phrase.split()) <= HEADING_WORDS))


def posting_parts(text: str) -> tuple[list[str], list[str]]:
    """(requirement phrases, dropped boilerplate phrases) of a posting (see marked_parts)."""
    kept, dropped, _ = marked_parts(text)
    return kept, dropped


def marked_parts(text: str) -> tuple[list[str], list[str], set[str]]:
    """(requirement phrases, dropped boilerplate phrases, the kept phrases that are nice to have): sections under
    boilerplate headings are dropped whole; a line of "Heading: value" fields separated by bars or dots is read as one
    line per field; under a requirements heading, a list of requirements with one boilerplate clause loses that clause
    only (clauses). A kept phrase is nice to have under a "Desirable" / "Nice to have" heading (OPTIONAL_HEADING) or
    when it says so itself (nice_to_have)."""
    kept: dict[str, None] = {}
    dropped: dict[str, None] = {}
    optional: set[str] = set()
    needed: set[str] = set()
    skipping = requiring = wished = False
    for line in (part for whole in clean(text).splitlines() for part in SITE_SEPARATOR.split(whole)):
        kind = heading(line)
        if kind is not None:
            skipping, requiring = kind == "skip", kind == "keep"
            wished = requiring and wishes(line)
            if skipping:
                dropped[line.strip(MARKS)] = None
            continue
        inline = inline_heading(line)
        skipping = skipping and inline != "keep"
        field = inline == "skip" and len(line.split()) > FIELD_LINE_WORDS  # a field opening a long line: itself only
        boiler = skipping or (inline == "skip" and not field)
        label = line.partition(":")[0] if ":" in line else ""
        ranked = bool(label) and bool(RANK_HEADING.fullmatch(label.strip(MARKS).strip()) or KEEP_HEADING.match(
            label.strip(MARKS).strip()))
        wished_line = wishes(label) if ranked else wished  # "Desirable: Tableau"; "Essential: Payroll" under Desirable
        for index, raw in enumerate(split(line)):
            phrase = QUALIFIER.sub("", raw)
            kind = heading(phrase)
            if kind != "keep":  # a bare 'Requirements' names no skill
                drop = boiler or (field and index == 0) or named_field(inline, index, phrase) or kind == "skip"
                for part, aside in [(phrase, True)] if drop else clauses(phrase, requiring or inline == "keep"):
                    (dropped if aside else kept)[part] = None
                    if not aside:
                        (optional if wished_line or nice_to_have(raw) else needed).add(part)
    return list(kept), [p for p in dropped if p not in kept], optional - needed  # asked for as required once: required


# A requirement the posting calls nice to have, by its section ("Desirable:", "Nice to have", "Preferred
# qualifications") or in its own words ("GCP is a plus", "PCI DSS exposure a bonus", "Degree (Preferred)"). Such lines
# weigh less in the skills a posting requires (target.fuse). Words in brackets qualify the bracket only ("Full UK
# driving licence (B+E an advantage)"), and a phrase that also says what is essential stays required ("fluent English
# essential, Les Clefs d'Or membership an advantage"). A heading ranks its section nice to have when it opens so
# ("Desirable criteria", "Preferred qualifications", "Nice to have", "Bonus points"), not when it only holds such a word
# ("Essential and desirable criteria", "Asset management").
NICE_RANKS = r"desirable|advantageous|preferred|optional|(?:nice|good)[- ]to[- ]haves?|pluses|assets|extra points?"
OPTIONAL_HEADING = re.compile(rf"(?:{NICE_RANKS}|desired|bonus(?: points?)?|(?:it'?s )?a plus)\b", re.IGNORECASE)


def wishes(heading_line: str) -> bool:
    """Whether a heading (or a line's label) ranks what follows as nice to have (OPTIONAL_HEADING), and says nothing
    is essential (NEEDED)."""
    text = heading_line.strip(MARKS).strip()
    return bool(OPTIONAL_HEADING.match(text)) and not NEEDED.search(text)


# A heading alone on its line that ranks the requirements below it, with or without a colon: "Desirable", "Good to
# have", "Bonus points if you have", "Advantageous", and "Essential", which ends a nice-to-have section.
RANK_HEADING = re.compile(  # not a bare "Bonus", a benefits heading
    rf"(?:(?:essential|additional|must[- ]haves?|{NICE_RANKS}|"
    r"(?:bonus points?|(?:it'?s )?a plus)(?: if you (?:have|bring|know|are))?)"
    r"(?: (?:criteria|skills?|qualifications?|requirements|experience|attributes))?)",
    re.IGNORECASE)
NICE_WORDS = re.compile(
    r"\b(?:desirable|(?:nice|good)[- ]to[- ]have|advantageous|(?:is|are|be) an? (?:real |definite |big )?asset|"
    r"an? (?:real |definite |big |great )?asset(?=\s*[.;,!]|\s*$)|"  # "Second language (Italian, Punjabi) an asset"
    r"(?:would be|is|are|very|really) (?:beneficial|helpful)|would be (?:useful|desirable))\b|"
    r"\bpreferred\W*$|\bbut\b.{1,40}\b(?:beneficial|helpful|useful)\W*$", re.IGNORECASE)
NICE_QUALIFIER = re.compile(r"\((?:preferred|desirable|desired|optional|a plus)\)\W*$", re.IGNORECASE)
BRACKETS = re.compile(r"\s*\([^()]*\)")  # a bracket with the space before it (also target.clauses_of)
NOT_NEEDED = re.compile(r"\b(?:not|isn't|aren't|never) (?:essential|required|a must|mandatory)\b", re.IGNORECASE)
NEEDED = re.compile(r"\b(?:essential|required|expected|a must|mandatory|must)\b", re.IGNORECASE)


def nice_to_have(phrase: str) -> bool:
    """Whether a requirement says itself that it is nice to have (NICE_QUALIFIER; NICE_TO_HAVE or NICE_WORDS outside
    brackets), and not also that something is essential (NEEDED)."""
    if NICE_QUALIFIER.search(phrase):
        return True
    bare = NOT_NEEDED.sub(" ", BRACKETS.sub(" ", phrase))
    return bool(NICE_TO_HAVE.search(bare) or NICE_WORDS.search(bare)) and not NEEDED.search(bare)


CLAUSES = True
DRUG_SCREEN = re.compile(r"\b(?:drug|alcohol|drug and alcohol) (?:screens?|screening|tests?|testing)\b", re.IGNORECASE)


def clauses(phrase: str, requirements: bool) -> list[tuple[str, bool]]:
    """A phrase, or under a requirements heading its comma-separated clauses when one is a check on the candidate
    (is_vetting, a drug screen) and another a requirement, each with whether it is boilerplate (is_boilerplate, read
    once): "Valid Class A CDL, 1+ year OTR experience, pass DOT physical & drug screen" had been set aside whole for its
    drug screen. A list of pay and perks stays one phrase."""
    whole = [(phrase, is_boilerplate(phrase))]
    if not (CLAUSES and requirements and "," in phrase and whole[0][1]) or COMPANY_VOICE.search(phrase):
        return whole
    parts = [p.strip(MARKS + " ,.") for p in phrase.split(",")]
    marked = [(p, is_boilerplate(p)) for p in parts if len(p) >= MIN_PHRASE]
    checks = any(is_vetting(p) or DRUG_SCREEN.search(p) for p, _ in marked)
    return marked if checks and not all(aside for _, aside in marked) else whole


# Notices about the ad itself: the company, how to apply, dates, the agency placing it. Always set aside (checks on
# the candidate: is_vetting).
NOTICE = re.compile(
    r"\b(about us|who we are|our (company|mission|story|culture|values)|founded in|headquartered|we offer|"
    r"what we offer|apply (now|today|online|with (your |an? )?(cv|resume))|how to apply|"
    r"shortlisted (candidates|applicants)|send (us )?your (cv|resume)|click apply|recruitment agency|"
    r"job (type|reference)|closing date|start date|"
    r"(acting|acts) as an? (employment )?agency|employment (agency|business) (in relation|for)|"
    r"on behalf of our client|e-verify|at-will|^by applying|(?:strongly )?encouraged to apply|"
    r"immediate joiners?|join(ing)? immediately|walk[- ]in (interview|drive)s? (on|at|from|between|this|next|"
    r"\d)|walk[- ]in (interview|drive)s?$|carry (your |an )?(updated )?(resume|cv|id)|(19|20)\d\d pass[- ]?outs?|"
    r"pass[- ]?outs? only|no (active |current |standing )?backlogs?)\b",
    re.IGNORECASE,
)
# What the job offers and the law asks of an ad: pay, benefits, leave, equal-opportunity and legal statements. Set
# aside unless the phrase names a duty with them (see names_a_duty): "Sell holiday packages", "Administer payroll
# and pension contributions", "Assist the dentist with dental procedures" and "Coordinate diversity initiatives"
# are requirements.
OFFERED = re.compile(
    r"\b(salary|salaries|compensation|benefits?|bonus(es)?|pension|401\s?\(?k\)?|dental|vision insurance|"
    r"health (insurance|care plan)|medical (insurance|cover)|paid (time off|leave)|pto|holidays?|vacation|annual leave|"
    r"equal (employment )?opportunit(y|ies)|discriminat\w*|regardless of (race|gender|age)|diversity|"
    r"inclusive workplace|reasonable accommodations?|drug[- ]free|drug (screens?|screening|tests?|testing)|"
    r"privacy (notice|policy)|"
    r"veteran status|sexual orientation|gender identity|national origin|disabilit(y|ies) status|"
    r"perks|free (lunch|snacks|coffee)|gym|wellbeing allowance|visa sponsorship|relocation package|"
    r"per (hour|annum|year|month)|an hour|hourly rate|pay (rates?|transparency|range|scale|band)|salary range|"
    r"competitive (pay|salary|rates?|wages?)|"
    r"tips (are )?shared|share of (the )?tips|tronc|staff (meals?|discount)|(employee|colleague) discount|"
    r"tuition (reimbursement|assistance)|sign[- ]on|(free|onsite|on-site) parking|cycle[- ]to[- ]work|company car|"
    r"(learning|training|education) budget|childcare|life (insurance|assurance)|employee assistance|"
    r"(share|stock) options|jobrad|"
    # South African adverts: pay, medical aid, the employment-equity plan, POPIA (a demanding user, session 24)
    r"remuneration|medical aid|provident fund|13th cheque|transport allowance|employment equity|ee ?/ ?aa|ee plan|"
    r"b-?bbee|popia|protection of personal information|live-in)\b",
    re.IGNORECASE,
)
# A job named by a benefit's word ("Dental Nurse", "Benefits Advisor", "Gym Instructor", "Childcare Practitioner",
# "Life Insurance Underwriter", "Equal Opportunities Officer"): the word names the field, not a benefit, and the
# title line or the sentence naming the job is no boilerplate for it ("We need a dental nurse" had been set aside, and
# "Dental Nurse" read as no title). A benefit's own words follow it otherwise ("Dental insurance", "Gym membership").
JOB_NOUN = (r"(?:(?:nurse|hygienist|therapist|technician|assistant|advis[eo]r|consultant|instructor|trainer|teacher|"
            r"practitioner|representative|rep|underwriter|analyst|officer|specialist|administrator|coordinator|"
            r"co-ordinator|manager|receptionist|clerk|worker|surgeon|dentist|accountant|actuary|broker|agent|executive|"
            r"supervisor|engineer|planner|associate|operative|attendant|carer|aide|auditor|investigator|controller|"
            r"scientist|researcher|recruiter|generalist|lead|leader|educator|secretary|professional|apprentice|"
            r"cleaner)s?|(?-i:Partner))")  # "HR Business Partner", not a "benefits partner"
# A job's noun in a line that names a public employer makes it a title ("Professor of Public Health", "Office of the CFO
# Analyst"): is_public_body.
PUBLIC_JOB = re.compile(rf"\b(?:{JOB_NOUN}|professors?|constables?|lecturers?|troopers?|paramedics?)\b", re.IGNORECASE)
# Words that carry a benefit on to whom it is for or how it is given ("Monthly bonus per sales agent", "Gym membership
# via partner network"), not into a job's name.
BENEFIT_LINK = (r"for|and|or|of|to|in|with|the|an?|all|our|your|per|by|at|via|through|across|including|covering|"
                r"covers|plus|from|on|as|each|every")
# ... or after it, in an inverted title ("Specialist, Benefits & Leave", "Manager II, Compensation").
OFFERED_JOB = re.compile(rf"{OFFERED.pattern}(?:\s+(?:and|&)\s+{OFFERED.pattern})?"
                         rf"(?:\s+(?!(?:{BENEFIT_LINK})\b)[\w&/-]+){{0,2}}\s+{JOB_NOUN}\b|"
                         rf"\b{JOB_NOUN}(?:\s+[IV]{{1,3}})?,\s+{OFFERED.pattern}", re.IGNORECASE)
# Terms of the contract, set aside as a short line ("Full-time, permanent") or with words of terms ("This is a
# full-time, permanent position", "The role is hybrid, with two days a week in the office"), but not inside a
# sentence that names the job ("Part-time bookkeeper needed for a small accounting practice").
TERMS = re.compile(r"\b(hybrid working|remote[- ]first|flexible (working|hours)|full[- ]time|part[- ]time|"
                   r"contract length|(is|be) (fully |mostly |partly )?(hybrid|remote))\b", re.IGNORECASE)
TERMS_WORDS = 6
TERMS_CONTEXT = re.compile(r"\b(position|role|job|vacancy|post|contract|basis|permanent|temporary|fixed[- ]term|"
                           r"hours|shifts?|week|days)\b", re.IGNORECASE)
# What the job provides, in a short phrase ("Gear supplied, ongoing training", "Meals provided on board", "Full
# training provided"); not a sentence that ends so ("develop web software based on the designs provided").
PROVIDED = re.compile(r"\b(provided|supplied)( free| by us| on board| on site| onsite)?(?=\s*[,;]|$)", re.IGNORECASE)
PROVIDED_WORDS = 6
DUTY_LEAD = re.compile(
    r"^(?:you(?:'ll|’ll| will| would| must| should)|will|to|responsib\w+ for|(?:the )?ability to|able to|"
    r"(?:knowledge|understanding|experience|familiarity|proficiency|expertise|background)\b)\s",
    re.IGNORECASE,
)


# A careers site's header ("Careers", "Jobs at Acme Ltd"), alone a job-site line; before a bar, what follows the bar
# is read as the title line when job-site lines follow ("Careers | Staff Nurse - Ward 7" / "Location: Leeds"), and
# the line is skipped otherwise ("Careers | Southern Cross Members Super" above a blurb: CAREERS_TAIL).
CAREERS = (r"(?:careers?|jobs|vacancies|current (?:vacancies|opportunities|openings)|job (?:opportunities|openings)|"
           r"work with us|open (?:positions|roles))(?: (?:at|with) [^|]{1,60})?")
# Seek's classification line under a title, its category and, in brackets, its sub-category ("Hospitality & Tourism
# (Chefs/Cooks)", "Trades & Services (Electricians)"): a job-site line ("tourism market" had been read from it).
SEEK_CLASSIFICATION = (
    r"(?:accounting|administration & office support|advertising, arts & media|banking & financial services|"
    r"call centre & customer service|ceo & general management|community services & development|construction|"
    r"consulting & strategy|design & architecture|education & training|engineering|farming, animals & conservation|"
    r"government & defence|healthcare & medical|hospitality & tourism|human resources & recruitment|"
    r"information & communication technology|insurance & superannuation|legal|"
    r"manufacturing, transport & logistics|marketing & communications|mining, resources & energy|"
    r"real estate & property|retail & consumer products|sales|science & technology|self employment|"
    r"sport & recreation|trades & services) "
    r"\((?-i:[A-Z][\w'.&/-]*(?:[ ,/&-]+(?:[A-Z][\w'.&/-]*|&|-))*)\)")  # "(Chefs/Cooks)", not "(degree required)"
CAREERS_TAIL = re.compile(rf"^{CAREERS}\s*\|\s*(.*\w.*)$", re.IGNORECASE)
CAREERS_HEAD = re.compile(rf"^{CAREERS}$", re.IGNORECASE)
# What a job site puts around a posting: links, addresses, phone numbers, "posted 3 days ago", applicant counts,
# tracking hashtags (#LI-Hybrid), reference codes (JR-10234), the site's own labels ("Full job description", "Show
# more", LinkedIn's "About the job" above the title), a careers header and Seek's classification line.
SITE_LINE = re.compile(
    r"https?://|\bwww\.\w|\b[\w.+-]+@[\w-]+\.\w|\b(call|phone|tel(ephone)?|whatsapp|text)( us)?( on)?:? \+?\(?\d|"
    r"\binformal (chat|conversation|discussion)|\bposted (\d+|an?) (minutes?|hours?|days?|weeks?|months?) ago|"
    r"^posted (?:by|on|via)\b.{0,60}\.(?:com|ie|co\.uk|com\.au|co\.nz|ca|in|sg)\b|"
    r"\b\d+\+? applicants|^(#[\w-]+[\s,]*)+$|^(?-i:[A-Z]{1,6}[-_]\d{3,}|[A-Z]{1,3}\d{5,})$|"
    r"^(about the job|full job description|show (more|less)|see (more|less)|report (this )?job|save (this )?job)$|"
    rf"^{CAREERS}$|"  # a careers site's header: "Careers", "Current vacancies", "Jobs at Acme"
    rf"^{SEEK_CLASSIFICATION}$",
    re.IGNORECASE,
)
SITE_SEPARATOR = re.compile(r"\s+[|\u00b7]\s+")  # "Ref: 123 | Location: Leeds | Salary: ..." on one line


# A company speaking of itself, not of the job: "Acme is one of the UK's leading logistics providers", "We pride
# ourselves on ...", "Our mission is ...", "At Northwind, we ...", "Since 1985, ...", "Are you ready for your next
# challenge?". Real postings often open with such a blurb without an "About us" heading; its sentences then matched
# skills ("... third-party logistics providers" -> manage third-party logistics providers) and filled the words a
# posting meets role descriptions with. Role sentences in the company's voice stay ("We are looking for a Data
# Engineer to ...", "Our stack includes Python", "Our nurses deliver evidence-based care"). Measured on
# eval/data/company_voice.jsonl and on 17,487 O*NET task statements and 25,906 ESCO description sentences, none of
# which it flags (docs/QUALITY.md, session 5).
OPENER = (  # "Since 1985, ", "Founded in 2004, ", "With over 5,000 employees worldwide, "
    r"(?:(?:since|founded|established|headquartered|based|part of|"
    r"with (?:over|more than|nearly|almost) [\d,.]+\+?(?: \w+){0,3})\b[^,]{0,60},\s*)?"
)
NAME = (  # a capitalised name ("Acme Logistics", "St Mary's", "Harper & Co"), not a pronoun
    r"(?!(?:it|there|this|that|these|those|here|what|which|who|he|she)\b)(?:the )?(?-i:[A-Z])[\w&'’.-]*"
    r"(?:\s+(?:(?-i:[A-Z&])[\w&'’.-]*|of|and|de|for))*"
)
SUBJECT = (
    rf"(?:{NAME}|we|they|our (?:client|company|business|organi[sz]ation|group|firm|practice|charity|trust)|"
    r"the (?:client|company|business|organi[sz]ation|group|firm|practice|charity|trust|hotel|nursery|school|"
    r"hospital|employer|brand))"
)
BE = rf"(?:{SUBJECT} (?:is|are|has been|have been|was|were)|we're|we’re|they're|they’re)(?: now| currently| also)?"
COMPANY_ADJECTIVE = (
    r"leading|largest|biggest|award[- ]winning|fast[- ]growing|established|independent|family[- ](?:run|owned)|"
    r"well[- ]established|successful|thriving|renowned|market[- ]leading|world[- ]class|innovative|busy|friendly|"
    r"not[- ]for[- ]profit|non[- ]profit|\d[- ]star|luxury|boutique|multi[- ]academy|privately[- ]owned|"
    r"employee[- ]owned|venture[- ]backed|b corp|certified"
)
COMPANY_NOUN = (
    r"company|group|provider|organi[sz]ation|firm|employer|brand|retailer|manufacturer|charity|trust|agency|"
    r"consultancy|practice|hospital|hotel|school|nursery|university|college|network|chain|leader|supplier|"
    r"distributor|merchant|start-?up|scale-?up|bank|insurer|studio|restaurant|venue|partner|specialists?|"
    r"institution|foundation|enterprise|subsidiary|mission|co-?operative|credit union"
)
IS_COMPANY = (  # "... is one of the UK's leading ...", "... are a family-run business", "... is proud to ..."
    rf"{BE} (?:(?:one of the|one of|a|an|the|proud to be an?|part of the|part of|on a)\s+"
    rf"(?:(?!(?:of|for|in|at|to|with|by|from|and|or)\b)[\w'’-]+,?\s+){{0,3}}(?:{COMPANY_ADJECTIVE}|{COMPANY_NOUN})\b|"
    r"(?:proud|recognised|recognized|rated|ranked|voted|named|awarded|accredited|certified|backed|trusted|known|"
    r"renowned|committed to|passionate about|dedicated to|growing)\b)"
)
WE_DO = (
    r"(?:we|we've|we’ve|we're|we’re)(?: now| currently| also)? (?:pride ourselves|believe|serve|operate|employ|"
    r"exist|started|began|growing|have grown|'ve grown|’ve grown|were founded|are growing|"
    r"have (?:over|more than|nearly) [\d,]+|work with (?:over|more than) [\d,]+)\b"
)
OUR = (
    r"our (?:mission|vision|purpose|values?|story|people|clients|customers|history|heritage|founders|investors|"
    r"culture|products|services|\d[\d,]*)\b"
)
PITCH = (
    r"are you (?:ready|looking|passionate|interested|keen|excited|searching)|this is an? (?:\w+ )?opportunity to join|"
    r"join (?:a|an|our|the) (?:(?:[\w-]+ ){0,3}(?:team|family)!?$|"  # "Join our store team!"
    r"(?:\w+ )?(?:company|team|business|organi[sz]ation|family) (?:that|which|where|who))"  # "Join a company that ..."
)
AWARDED = r"(?:rated|voted|named|ranked|recognised|recognized|awarded)\b[^,]{0,60}\bby\b[^,]{0,40},"
HIRING = re.compile(r"\b(hiring|recruiting|looking for|seeking|searching for)\b", re.IGNORECASE)
COMPANY_VOICE = re.compile(
    rf"^(?:{AWARDED}|{OPENER}(?:at {NAME},\s*we\b|{IS_COMPANY}|{WE_DO}|{OUR}|{PITCH}))"
    r"|\bsince (?:1[89]\d\d|20[0-2]\d)\b",
    re.IGNORECASE,
)

NICE_TO_HAVE = re.compile(  # "Excel is a plus", "forklift licence a bonus", "(F endorsement a bonus)"
    r"\b(?:(is|are|would be|will be) (a )?|an? )(big |huge |real |definite )?(bonus|plus|advantage)\b(?! (?:scheme|"
    r"structure|payments?|pay|of|up to|paid|potential|\d))", re.IGNORECASE
)


# Checks the employer runs on the candidate: conditions of the offer, not skills. A sentence that makes the offer
# subject to one ("The successful candidate will be subject to an enhanced DBS check") is always set aside
# (SUBJECT_TO_CHECK). Since session 13, so is a line naming one ("Security clearance", "Enhanced DBS required", "Must
# pass a background check", "Garda vetting applies"; "Security clearance" had matched *manage security clearance*,
# "Enhanced DBS required" *database management systems*) when little else is said (at most VETTING_WORDS other words:
# "Music degree, own transport and Garda vetting required" stays), unless it names a duty without the words of being
# vetted ("Conduct DBS checks on new starters" stays).
SUBJECT_TO_CHECK = re.compile(
    r"\b(subject to|requires?|required) (an? )?(enhanced |satisfactory |basic )?(dbs|background|criminal record|"
    r"disclosure|pre-employment) (check|screening)s?\b|"
    r"\b(pass|passing|undergo)( an?| the)? (pre-employment |random |dot )?(physical (and|&) )?"
    r"(drug|alcohol|drug and alcohol|medical) (tests?|testing|screens?|screening|checks?|examinations?)\b"
    r"(?! (?:of|for|on)\b)",
    re.IGNORECASE,
)
# Where a posting asks for the right to work ("Must be authorized to work in the US"); "Authorised to work in confined
# spaces" is a duty.
COUNTRIES = (r"(?:uk|u\.k\.|us|u\.s\.|usa|united (?:states|kingdom)|ireland|canada|australia|new zealand|nz|eu|eea|"
             r"europe|this country|the country)\b")
# The right to work as a visa or permit (Irish "Stamp 4" / "Stamp 1G", a passport or citizenship, sponsorship offered
# or not): a phrase naming one and little else is set aside even when it opens with a verb ("Stamp 1G or Stamp 4"); a
# hot work permit is a site's safety system, not the candidate's status.
WORK_RIGHTS = (
    r"stamp (?:1g|[1-4])\b|(?:eu|eea|irish|uk|british|us|australian|nz|canadian) (?:passport|citizen(?:ship)?)s?|"
    r"(?:visa|work) sponsorship|no sponsorship|sponsorship (?:is )?not (?:available|offered|provided)|"
    r"work visas?\b|(?:valid|hold|holds|own) (?:a |an |the )?(?:valid )?work permits?\b|"
    r"(?<!hot )work permits? (?:is |are )?required\W*$|"
    r"(?:own|your own) (?:reliable )?(?:transport|vehicle|car)\b"  # the applicant's circumstances, not a skill
)
WORK_RIGHT = re.compile(WORK_RIGHTS, re.IGNORECASE)
VETTING = re.compile(
    r"\b(security clearance|(?:sc|dv|nv\d?|baseline|(?:top )?secret|confidential|ts/sci) clearance|ts/sci|"
    r"(?:enhanced |basic |standard )?(?:dbs|pvg)\b|"
    r"garda vett\w*|police (?:check|vetting|clearance)s?|(?:background|criminal record|pre-employment|"
    r"working with children|wwc) (?:check|screening)s?|disclosure scotland|record check|worker screening check|"
    r"blue card|"  # Queensland's working-with-children check (and the EU's work permit)
    r"(?:(?:authori[sz]ed|eligible|entitled|permitted|legally able) to work|(?:the |full )?right to work) in "
    rf"(?:the )?{COUNTRIES}|(?:have|has|hold|holds|with) (?:the |full |a )?right to work|"
    rf"{WORK_RIGHTS})",
    re.IGNORECASE,
)
VETTED = re.compile(r"\b(obtain|hold|holding|pass|passing|undergo|maintain|subject to|eligib\w+|required|requires?|"
                    r"must|satisfactory|successful|clear|willing|applies|apply)\b", re.IGNORECASE)
VETTING_FILLER = re.compile(r"\b(a|an|the|and|or|to|be|is|will|able|of|for|with|prior|before|start(ing)?|on|"
                            r"current|valid|full|check|checks|vetting|clearance|level|basic|enhanced|only|"
                            r"applicants?|candidates?|considered|available)\b", re.IGNORECASE)
VETTING_WORDS = 3
VETTING_NOTICES = True


def is_vetting(phrase: str) -> bool:
    """Whether a phrase makes the offer subject to a check (SUBJECT_TO_CHECK), or names one (VETTING) and little else,
    not a duty."""
    if SUBJECT_TO_CHECK.search(phrase):
        return True
    if not (VETTING_NOTICES and VETTING.search(phrase)):
        return False
    rest = VETTING_FILLER.sub(" ", VETTED.sub(" ", VETTING.sub(" ", phrase)))
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= VETTING_WORDS and (
        not names_a_duty(phrase) or bool(VETTED.search(phrase)) or bool(WORK_RIGHT.match(phrase.strip())))


# A public employer's name is not a requirement: "Department of Climate Change, Energy, the Environment and Water"
# required *energy* first (importance 1.0), "Department for Work and Pensions" *manage pension funds*.
PUBLIC_BODIES = True


def is_boilerplate(phrase: str) -> bool:
    """Whether a phrase is company blurb, benefits, legal or application text rather than a requirement ('... is a
    bonus' marks a nice-to-have requirement, not a bonus payment; a phrase that names a duty stays, and so does a
    blurb that announces the job: "We're a fast-growing skincare brand and we're hiring a Digital Marketing
    Manager"). Job-board tags alone ("Hybrid", "Full-time", "Nights") are terms, not skills ("Hybrid" had matched
    hybrid vehicle architecture)."""
    if NOTICE.search(phrase) or SITE_LINE.search(phrase) or is_tag(phrase) or is_vetting(phrase):
        return True
    if PUBLIC_BODIES and is_public_body(phrase, phrase=True):
        return True
    if COMPANY_VOICE.search(phrase) and not HIRING.search(phrase):
        return True
    if TERMS.search(phrase) and (len(phrase.split()) <= TERMS_WORDS or TERMS_CONTEXT.search(phrase)):
        return True
    if PROVIDED.search(phrase) and len(phrase.split()) <= PROVIDED_WORDS and not names_a_duty(phrase):
        return True
    if not_asked(phrase):
        return True
    return bool(OFFERED.search(OFFERED_JOB.sub(" ", NICE_TO_HAVE.sub(" ", phrase)))) and not names_a_duty(phrase)


# What a posting says it does not ask for ("You do not need a forklift licence", "No experience needed", "Degree not
# required") names no requirement: set aside, unless it is a nice-to-have ("CISSP desirable but not required").
NOT_ASKED = re.compile(
    r"\b(?:(?:do(?:es)?|will) not|don't|doesn't|won't) (?:need|require|have to)\b|\bno need (?:for|to)\b|"
    r"\bno (?:prior |previous )?(?:experience|qualifications?|degree)s? (?:is |are )?(?:needed|necessary|required)\b|"
    r"\bnot (?:required|necessary|needed)\b(?!\s+to\b)", re.IGNORECASE)  # not "medicines not required to the pharmacy"
NOT_ASKED_WORDS = 12


def not_asked(phrase: str) -> bool:
    """Whether a short phrase (NOT_ASKED_WORDS words at most) says only what a posting does not ask for: not a duty
    ("Return medicines not required to the pharmacy"), not a nice-to-have, and nothing else said to be needed
    ("Forklift licence not required, but warehouse experience essential")."""
    return (bool(NOT_ASKED.search(phrase)) and len(phrase.split()) <= NOT_ASKED_WORDS and not names_a_duty(phrase)
            and not nice_to_have(phrase) and not NEEDED.search(NOT_ASKED.sub(" ", phrase)))


# An acronym's plural: the model is uncased, so "GPs" reads as "gps" and matched GPS (geographic information systems).
PLURAL_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]*[A-Z])s\b")


# What a learner writes around a credential's name: its platform or issuer in brackets ("Talent Acquisition (HRCI)",
# "Google Data Analytics (Coursera)"), or its kind after it ("IBM Data Science Professional Certificate"). Brackets
# that hold a number, a part or a level ("Deep Learning (Part 2)", "Leadership (ILM Level 5)") are part of the name.
BADGE_KIND = r"professional\s+certificate|certificate|certification|speciali[sz]ation|micro-?credential|badge|course"
BADGE_DRESSING = re.compile(
    r"(?:\s*[(\[](?![^()\[\]]*(?:\d|\bpart\b|\blevel\b|\bunit\b|\bmodule\b))[^()\[\]]{1,60}[)\]]|"
    rf"\s+(?:-\s+)?(?:{BADGE_KIND}))+\s*$", re.IGNORECASE)
KIND_WORDS = re.compile(rf"\b(?:{BADGE_KIND})\b", re.IGNORECASE)  # not an issuer's words (learner.sure_name)


BADGE_TITLE_CHARS = 200


def badge_name(badge: str) -> tuple[str, str] | None:
    """A badge title without its platform or issuer in brackets and its kind after the name (BADGE_DRESSING), and
    what was taken off, when that leaves a name that differs; catalogue credentials are named without them."""
    if len(badge) > BADGE_TITLE_CHARS:  # no title; and the pattern's work grows with the square of the length
        return None
    found = BADGE_DRESSING.search(badge)
    if not found:
        return None
    name = badge[: found.start()].strip(" ,-\u2013\u2014:")
    return (name, found.group(0)) if any(c.isalpha() for c in name) else None


def singular_acronyms(text: str) -> str:
    """The text with its acronyms' plurals made singular, as the model should read them ("Liaise with GPs" ->
    "Liaise with GP"; "SOPs" -> "SOP")."""
    return PLURAL_ACRONYM.sub(r"\1", text)


def names_a_duty(phrase: str) -> bool:
    """Whether a phrase opens as a duty or requirement: with a verb that opens ESCO skill labels ("Process salary
    payments", "Administering pensions"; not "Use of the gym") or with "You will", "Knowledge of", "Experience" ..."""
    text = phrase.strip(MARKS)
    if DUTY_LEAD.match(text):
        return True
    words = [w.strip(",;.()") for w in text.lower().split()]
    if not words or (len(words) > 1 and words[1] == "of"):
        return False
    return any(form in DUTY_VERBS for form in verb_forms(US_SPELLING.sub(r"\1s\2", words[0])))


ING_NOUNS = frozenset({"training", "parking", "funding", "housing", "catering", "clothing", "building", "counselling",
                       "dining", "wellbeing", "banking", "schooling", "meeting"})
US_SPELLING = re.compile(r"([iy])z(e|es|ed|ing)$")  # "organize", "analyzing": ESCO writes -ise, -yse


def verb_forms(word: str) -> list[str]:
    """The base forms a word may be of: itself, and without -ing ("processing", "managing", "planning"), unless it
    is an -ing noun of benefit lines ("training budget", "parking"). A final -s is not read as a verb ending: plural
    nouns open benefit lines ("Tips shared", "Benefits include")."""
    forms = [word]
    if word.endswith("ing") and len(word) > 5 and word not in ING_NOUNS:
        stem = word[:-3]
        forms += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    return forms


def says_nothing(text: str) -> bool:
    """Whether a learner's skill or badge text names nothing: no letter or digit ("!!!", a zero-width space), or a
    placeholder such as "N/A" or "none"."""
    words = PLACEHOLDER_MARKS.sub("", unicodedata.normalize("NFKC", text).casefold())
    return not any(ch.isalnum() for ch in text) or words in PLACEHOLDERS


# badgepath reads English. A posting in another language is still answered (ESCO labels share some words with French,
# Spanish and German), but its roles and skills are unreliable, so the answer warns. English function words against
# common function words of six languages that English does not use (so "a", "in", "die", "is" are in no list): over
# the 520 hand-written English postings the best foreign share is 0.024; over the catalogue's 181 course descriptions
# written in Spanish, French, Portuguese and German the lowest is 0.209. A text mostly in a non-Latin script is named
# by its script.
ENGLISH_WORDS = frozenset(
    "a about after all also an and any are as at be been but by can could do for from has have if in into is it its "
    "may more must no not of on or our over should so than that the their them there these they this those to up us "
    "was we were what when where which who will with within without would you your".split())
FOREIGN_WORDS = {language: frozenset(words.split()) - ENGLISH_WORDS for language, words in {
    "German": "der das und ist nicht mit für wir sie ein eine einen zu von auf den dem des im bei oder sind werden "
              "wird unser unsere ihre ihr sich auch als nach bis zur zum über",
    "French": "le la les et des du de pour avec nous vous une est dans sur au aux par ce cette qui que ou votre vos "
              "notre nos être sont en",
    "Spanish": "el la de en los las y del para con por una que es su sus nuestro nuestra tu como más o se al",
    "Portuguese": "os e de do da dos das para com em uma que é não ao pelo pela nosso nossa você seu sua",
    "Italian": "il lo gli e di la per con una che è del della dei delle nel nella sono al alla un",
    "Dutch": "de het een en van voor met wij je jij zijn op niet ons onze bij naar ook als worden wordt",
}.items()}
SCRIPTS = {"CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean", "ARABIC": "Arabic",
           "CYRILLIC": "Cyrillic script", "DEVANAGARI": "Devanagari script", "GREEK": "Greek", "HEBREW": "Hebrew",
           "THAI": "Thai"}
LETTERS = re.compile(r"[^\W\d_]+")
LANGUAGE_MIN_WORDS = 12
LANGUAGE_MIN_LETTERS = 24  # Chinese and Japanese write no spaces between words
FOREIGN_SHARE = 0.10


def foreign_language(text: str) -> str | None:
    """The language (or script) a text is written in when it is not English and long enough to tell
    (LANGUAGE_MIN_WORDS words, or LANGUAGE_MIN_LETTERS letters of a non-Latin script)."""
    letters = [ch for ch in text if ch.isalpha()]
    scripts = [unicodedata.name(ch, "").split(" ")[0] for ch in letters if not ch.isascii()]
    foreign = [s for s in scripts if s != "LATIN"]
    if len(foreign) >= LANGUAGE_MIN_LETTERS and len(foreign) > len(letters) / 2:
        kana = {"HIRAGANA", "KATAKANA"} & set(foreign)  # Japanese writes kanji (CJK) among its kana
        first = min(kana) if kana else max(sorted(set(foreign)), key=foreign.count)
        return SCRIPTS.get(first, "a non-Latin script")
    words = [w.lower() for w in LETTERS.findall(text)]
    if len(words) < LANGUAGE_MIN_WORDS:
        return None
    english = sum(w in ENGLISH_WORDS for w in words)
    language, count = max(((name, sum(w in vocab for w in words)) for name, vocab in FOREIGN_WORDS.items()),
                          key=lambda pair: pair[1])
    return language if count > english and count >= FOREIGN_SHARE * len(words) else None
