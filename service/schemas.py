"""Pydantic request and response models: the HTTP contract and the source of /openapi.json."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .credentials.errors import FormatError, unescape
from .credentials.openbadges import Badge, read_item

Level = Literal["beginner", "intermediate", "advanced", "mixed"]
# ISO 639-2 codes (bibliographic and terminology) of the languages credentials are commonly taught in, as ISO 639-1:
# the catalogue names languages by their two-letter codes, so "eng" and "ENG" mean "en".
ISO_639_2 = {
    "ara": "ar", "chi": "zh", "zho": "zh", "cze": "cs", "ces": "cs", "dan": "da", "dut": "nl", "nld": "nl", "eng": "en",
    "fin": "fi", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "gre": "el", "ell": "el", "heb": "he", "hin": "hi",
    "hun": "hu", "ind": "id", "ita": "it", "jpn": "ja", "kor": "ko", "nor": "no", "pol": "pl", "por": "pt", "rum": "ro",
    "ron": "ro", "rus": "ru", "spa": "es", "swe": "sv", "tha": "th", "tur": "tr", "ukr": "uk", "vie": "vi",
}


def language_code(code: str) -> str:
    """An ISO 639 code, lower case, as ISO 639-1 where it has one (ISO_639_2)."""
    return ISO_639_2.get(code.casefold(), code.casefold())


Language = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}$"), AfterValidator(language_code)]
TEXT_MAX = 20_000
LIST_MAX = 200
NONBLANK = r"\S"  # strings are stripped, so a required text needs one non-space character (documents it too)
NonBlank = Annotated[str, StringConstraints(min_length=1, pattern=NONBLANK)]  # a list item that must say something


def configured(info: ValidationInfo, name: str, default: int) -> int:
    """A limit from the validation context (the service settings), else the built-in default."""
    context = info.context or {}
    return int(context.get(name, default))


def within(value: Any, info: ValidationInfo, name: str, default: int) -> Any:
    """Reject a string or list longer than the configured limit."""
    limit = configured(info, name, default)
    if value is not None and len(value) > limit:
        unit = "characters" if isinstance(value, str) else "items"
        raise ValueError(f"at most {limit} {unit} allowed (got {len(value)})")
    return value


MARKUP = re.compile(r"<[^<>]{0,500}>")  # an HTML tag, as the posting reader strips it (engine.text.TAG)


def within_text(value: str | None, info: ValidationInfo) -> str | None:
    """Reject a text longer than max_text_chars, its HTML tags not counted: an ATS posting's markup (Workday's
    <span style=...>) had made a 1,500-character posting 24,806 characters; the body limit still bounds the rest."""
    limit = configured(info, "max_text_chars", TEXT_MAX)
    if value is not None and len(value) > limit and (shown := len(MARKUP.sub("", value))) > limit:
        raise ValueError(f"at most {limit} characters of text allowed, HTML tags not counted (got {shown})")
    return value


def within_list(value: Any, info: ValidationInfo, name: str, default: int) -> Any:
    """Reject a list longer than the configured limit before its items are validated (a 10,000-item list gets
    one error, not 10,000); anything else is left to the field's own validation."""
    return within(value, info, name, default) if isinstance(value, list) else value


def json_number(value: Any) -> Any:
    """true and "5" are no JSON numbers (pydantic's lax mode would read them as 1 and 5)."""
    if isinstance(value, bool | str):
        raise PydanticCustomError("number_type", "Input should be a number")
    return value


JsonInt = Annotated[int, BeforeValidator(json_number)]
JsonFloat = Annotated[float, BeforeValidator(json_number)]


class Strict(BaseModel):
    """Base for request models: unknown fields are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def one_badge_error(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A badge that is neither a string nor an object gets one error, not one per union member; a blank string is
    too short, as blank texts are everywhere."""
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("string_too_short", "String should have at least 1 character")
    try:
        return handler(value)
    except ValidationError as exc:
        raise PydanticCustomError("badge_type", "Input should be a string (catalogue id, title, JWT or "
                                                "data: URI) or an Open Badges object") from exc


def badge_error(index: int, item: Any, exc: FormatError) -> InitErrorDetails:
    """A validation error located inside the badge document (JSON pointer under /badges/<index>)."""
    kind = PydanticCustomError(exc.kind, "{message}", {"message": exc.located()})
    return InitErrorDetails(type=kind, loc=("badges", index, *unescape(exc.pointer)), input=item)


BadgeItem = Annotated[NonBlank | dict[str, Any], WrapValidator(one_badge_error)]


class BadgeList(Strict):
    """Badges as catalogue ids, free-text titles, or Open Badges documents, read and verified when validated."""

    badges: list[BadgeItem] = Field(
        default_factory=list,
        description="catalogue ids, titles, or Open Badges: a 2.0 Assertion or 3.0 OpenBadgeCredential object, "
                    "a compact JWT (vc+jwt), or a data: URI of a baked PNG/SVG; at most BADGEPATH_MAX_BADGES (200)",
    )
    _documents: dict[int, Badge] = PrivateAttr(default_factory=dict)

    @field_validator("badges", mode="before")
    @classmethod
    def badge_limit(cls, value: Any, info: ValidationInfo) -> Any:
        """At most max_badges badges, counted before any is read."""
        return within_list(value, info, "max_badges", LIST_MAX)

    @model_validator(mode="after")
    def read_documents(self) -> BadgeList:
        """Read every Open Badges document; a malformed one is a 422 pointing inside it."""
        now, errors = datetime.now(UTC), []
        for i, item in enumerate(self.badges):
            try:
                found = read_item(item, now)
            except FormatError as exc:
                errors.append(badge_error(i, item, exc))
                continue
            if found is not None:
                self._documents[i] = found
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def badge_items(self) -> list[str | Badge]:
        """Each badge as given (id or title) or as the Open Badge read from it."""
        return [self._documents.get(i) or str(item) for i, item in enumerate(self.badges)]


class Learner(BadgeList):
    """What the learner holds: badges (catalogue ids, titles, Open Badges) and skills (ESCO URIs or text)."""

    skills: list[NonBlank] = Field(
        default_factory=list, description="at most BADGEPATH_MAX_SKILLS (200)")

    @field_validator("skills", mode="before")
    @classmethod
    def skill_limit(cls, value: Any, info: ValidationInfo) -> Any:
        """At most max_skills skills, counted before any is validated."""
        return within_list(value, info, "max_skills", LIST_MAX)


class Target(Strict):
    """The goal: a role id, or a free-text job title and/or job description."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": [name], "properties": {name: {"type": "string"}}} for name in ("role_id", "title", "description")
    ], "not": {"required": ["role_id"], "properties": {"role_id": {"type": "string"}}, "anyOf": [
        {"required": [name], "properties": {name: {"type": "string"}}} for name in ("title", "description")]}})

    role_id: str | None = Field(default=None, min_length=1, max_length=500, pattern=NONBLANK)
    title: str | None = Field(default=None, min_length=1, max_length=500, pattern=NONBLANK)
    description: str | None = Field(
        default=None, min_length=1, pattern=NONBLANK,
        description="job description; at most BADGEPATH_MAX_TEXT_CHARS (20000) characters, HTML tags not counted",
    )

    @field_validator("description")
    @classmethod
    def text_limit(cls, value: str | None, info: ValidationInfo) -> str | None:
        """At most max_text_chars characters, HTML tags not counted."""
        return within_text(value, info)

    @model_validator(mode="after")
    def one_kind(self) -> Target:
        """Exactly one of role_id, title or description (title + description together allowed)."""
        if self.role_id and (self.title or self.description):
            raise ValueError("give either role_id or title/description, not both")
        if not (self.role_id or self.title or self.description):
            raise ValueError("give one of role_id, title or description")
        return self


class Constraints(Strict):
    """Planner limits and preferences; all optional."""

    # The bounds sit on the number, not on the optional field, so that the schema states them as JSON Schema does
    # (exclusiveMinimum, maximum); on the field they were written out as pydantic's own "gt" and "le".
    max_hours: Annotated[float, Field(gt=0, le=100_000), BeforeValidator(json_number)] | None = None
    max_steps: Annotated[int, Field(ge=1, le=100), BeforeValidator(json_number)] | None = None
    max_cost: Annotated[float, Field(ge=0, le=10_000_000), BeforeValidator(json_number)] | None = None
    hours_per_week: JsonFloat = Field(default=5.0, ge=0.1, le=168)  # tinier ones overflow the week count
    level: Level | None = Field(default=None, description="preferred level: a credential at it weighs most, a mixed "
                                "one 0.9, another 0.75, so others still join the path (warning few_at_level when "
                                "under half the steps are at it)")
    include_providers: list[str] = Field(default_factory=list, max_length=LIST_MAX)
    exclude_providers: list[str] = Field(default_factory=list, max_length=LIST_MAX)
    exclude_credentials: list[str] = Field(default_factory=list, max_length=LIST_MAX)
    languages: list[Language] = Field(
        default_factory=list, max_length=LIST_MAX,
        description='ISO 639 codes of the languages the learner takes credentials in, e.g. ["en"] (three-letter '
                    'codes such as "eng" are read as their two-letter codes); empty: any (each credential in an '
                    "answer names its language)")
    prefer_languages: list[Language] = Field(
        default=["en"], max_length=LIST_MAX,
        description='ISO 639 codes of the languages preferred, default ["en"]: a credential in another language is '
                    "taken only for gap skills that no credential in them teaches (warning other_language); empty: "
                    "no preference")


class GapRequest(Strict):
    """Body of POST /v1/gap."""

    learner: Learner = Field(default_factory=Learner)
    target: Target


class RecommendationRequest(GapRequest):
    """Body of POST /v1/recommendations."""

    constraints: Constraints = Field(default_factory=Constraints)


class ExportRequest(RecommendationRequest):
    """Body of POST /v1/recommendations/export: a recommendation request and the date the path starts."""

    start_date: date | None = Field(
        default=None, description="ISO date of the first day of week 1; default: the coming Monday (today if it "
                                  "is a Monday, UTC), so pass it for a reproducible export")


class ExportQuery(Strict):
    """Query string of POST /v1/recommendations/export."""

    format: Literal["ctdl", "ics"]


class BadgeImportRequest(BadgeList):
    """Body of POST /v1/badges/import as JSON; a multipart upload sends badge files as `file` parts instead."""


class BatchRequest(Strict):
    """Body of POST /v1/recommendations/batch: up to 100 recommendation requests."""

    requests: list[Any] = Field(min_length=1, description="at most BADGEPATH_MAX_BATCH (100) requests, in a body of "
                                "at most BADGEPATH_MAX_BODY_BYTES (1 MiB; both in GET /v1/meta `limits`)")

    @field_validator("requests", mode="before")
    @classmethod
    def batch_limit(cls, value: Any, info: ValidationInfo) -> Any:
        """At most max_batch requests, counted before any is validated."""
        return within_list(value, info, "max_batch", 100)


class TextRequest(Strict):
    """Body of POST /v1/skills/extract and /v1/roles/match."""

    text: str = Field(min_length=1, pattern=NONBLANK,
                      description="at most BADGEPATH_MAX_TEXT_CHARS (20000) characters, HTML tags not counted")
    limit: JsonInt = Field(default=20, ge=1, le=100)

    @field_validator("text")
    @classmethod
    def text_limit(cls, value: str, info: ValidationInfo) -> str:
        """At most max_text_chars characters, HTML tags not counted."""
        return str(within_text(value, info))


class SearchQuery(Strict):
    """Query string of GET /v1/skills and /v1/roles."""

    q: str = Field(default="", max_length=500)
    limit: int = Field(default=10, ge=1, le=100)


class CredentialQuery(SearchQuery):
    """Query string of GET /v1/credentials: a query, a skill id, or both."""

    skill: str | None = Field(default=None, max_length=100)


class Open(BaseModel):
    """Base for response models: documented fields; more may be added (never renamed or dropped)."""

    model_config = ConfigDict(extra="allow")


class SkillRef(Open):
    """A skill in an answer."""

    id: str
    label: str
    kind: str | None = None


class ScoredSkill(SkillRef):
    """A skill search result."""

    score: float
    matched: str | None = None


class RoleRef(Open):
    """A role in an answer."""

    id: str
    title: str
    isco_code: str | None = None
    score: float | None = None


class CredentialRef(Open):
    """A credential in an answer."""

    id: str
    name: str
    provider: str | None = None
    hours: float | None = None
    level: str | None = None
    url: str | None = None
    type: str | None = None
    cost: float | None = None
    certificate_cost: float | None = Field(
        default=None, description="the published price of the verified certificate, where the course itself is free "
                                  "to take (edX); null when none is published")
    language: str | None = None


class ScoredCredential(CredentialRef):
    """A credential search result."""

    score: float


class ToolRef(Open):
    """A named software tool a phrase mentions (O*NET technology example) and its software category."""

    name: str
    written: str
    category: str
    source: str


class Evidence(Open):
    """Why a skill is required: the phrase it came from (and the tool it names, if that is how it matched), or the
    role profile it came from."""

    source: Literal["text", "role"]
    tool: ToolRef | None = None
    idiom: str | None = Field(
        None, description="The words of the phrase, as written, that job postings use for this skill (\"full UK "
                          "driving licence\" -> drive vehicles), from the service's lexicon of posting phrasings; "
                          "absent otherwise. `matched` is then the skill's label and `score` a fixed 0.9.")
    written_out: str | None = Field(
        None, description="The phrase as it was matched when it names an acronym that ESCO or the service's "
                          "glossary of posting acronyms writes out (\"HPLC\" -> \"high-performance liquid "
                          "chromatography (HPLC)\"), and that reading matched better; absent otherwise.")
    nice_to_have: bool | None = Field(
        None, description="True when the posting calls this phrase's requirement nice to have (\"GCP is a plus\", "
                          "\"Degree (Preferred)\", a line under a \"Desirable\" heading); absent otherwise.")


class TextSupport(Open):
    """How closely a posting talks about a required skill: its phrase or list item nearest the skill's name."""

    score: float = Field(description="Cosine of that phrase to the skill's preferred label, clipped to [0, 1].")
    phrase: str


class RequiredSkill(SkillRef):
    """A skill the target needs, with its importance and evidence."""

    importance: float
    relation: Literal["essential", "optional", "extracted"]
    evidence: list[Evidence]
    held_as: dict[str, Any] | None = None
    nice_to_have: bool | None = Field(
        None, description="True when every phrase this skill was read from is one the posting calls nice to have: "
                          "what the text adds to its importance then counts half (a role profile listing the skill "
                          "still counts in full); absent otherwise.")
    condition: bool | None = Field(
        None, description="True when every phrase this skill was read from is a licence the posting asks its holder "
                          "to have (\"Full UK driving licence\" -> drive vehicles): a condition of the job, not a "
                          "skill it exercises. Unless a role the posting matches needs the skill, what the text adds "
                          "to its importance then counts half; absent otherwise.")
    text_support: TextSupport | None = Field(
        None, description="For a posting: its phrase nearest this skill, at any score. The score is blended into "
                          "importance, so the skills a posting talks about come first (absent for a role id or a "
                          "title alone).")


class Warning_(Open):
    """Something the service did not understand or could not do, said rather than hidden."""

    code: str
    detail: str
    pointer: str | None = None


class TargetSummary(Open):
    """How the target was understood."""

    kind: Literal["role", "title", "description"]
    role: RoleRef | None
    roles: list[RoleRef]
    title_line: str | None = Field(
        None, description="A posting sent without a title: its title line (its first line, or the line under a "
                          "company's name), the head of a one-paragraph advert, or the title a hiring sentence names, "
                          "when the roles were matched by it (absent otherwise).")
    boilerplate_dropped: list[str] | None = Field(
        None, description="A posting's phrases set aside as boilerplate (benefits, pay, company blurb, legal text).")
    resolved: bool = Field(
        True, description="Whether the target was understood: a role matched or at least one skill was found. When "
                          "false nothing is required, so a coverage of 1.0 and an empty path say nothing about the "
                          "learner (the warnings say why: no_role_match, no_skills_found).")


class Held(Open):
    """What the learner was understood to hold."""

    badges: list[dict[str, Any]]
    credentials: list[dict[str, Any]]
    skills: list[dict[str, Any]]


class GapResponse(Open):
    """Body of a POST /v1/gap answer."""

    target: TargetSummary
    required: list[RequiredSkill]
    held: Held
    gap: list[RequiredSkill]
    coverage: float
    warnings: list[Warning_]


class Via(Open):
    """The credential's aligned skill through which a step covers a gap skill, and the evidence for the alignment."""

    id: str
    label: str
    matched_text: str = Field(description="the tag or description sentence the alignment was read from")
    alignment_confidence: float
    read_from: Literal["catalogue", "tag", "description"] = Field(
        description="catalogue: the credential's record names the skill; tag: a provider's skill tag; description: "
                    "a sentence of its description")
    evidence: Literal["strong", "moderate"] = Field(
        description="moderate: read from one description sentence with confidence under 0.70; strong: any other "
                    "claimed alignment. Alignments under their floors (0.60 a sentence, 0.70 a tag) or that the "
                    "credential's whole text supports under 0.30 are never claimed (docs/QUALITY.md, session 25)")


class CoveredSkill(Open):
    """A gap skill a step covers, through which aligned skill of the credential, and how similar."""

    id: str
    label: str
    importance: float
    similarity: float
    via: Via


class Step(Open):
    """One step of a path."""

    credential: CredentialRef
    covers: list[CoveredSkill]
    why: str
    reasons: list[dict[str, Any]]
    start_week: int
    end_week: int
    hours: float
    cumulative_hours: float
    cumulative_coverage: float
    alternatives: list[dict[str, Any]]


class Path_(Open):
    """An ordered path of credentials on a timeline."""

    steps: list[Step]
    total_hours: float
    total_weeks: int
    hours_per_week: float | None = None
    total_cost: float | None = Field(default=None, description="the steps' published prices summed")
    cost_unknown_steps: int | None = Field(default=None, description="how many steps publish no price")
    total_cost_complete: bool | None = Field(
        default=None, description="whether every step publishes a price; when false, total_cost sums only the priced "
                                  "steps (0 when none is priced), so it is no total")
    total_certificate_cost: float | None = Field(
        default=None, description="the published prices of the steps' verified certificates summed (courses free to "
                                  "take that sell a certificate)")
    coverage_before: float
    coverage_after: float
    stacks: list[dict[str, Any]]


class RecommendationResponse(Open):
    """Body of a POST /v1/recommendations answer."""

    target: TargetSummary
    gap: list[RequiredSkill]
    path: Path_
    uncovered: list[RequiredSkill]
    warnings: list[Warning_]
    held: Held | None = Field(None, description="What the learner was understood to hold (as in POST /v1/gap).")
    not_reached: list[RequiredSkill] | None = Field(
        None, description="Gap skills a catalogue credential teaches that the path does not reach (bound by the "
                          "constraints).")


class ProblemDetail(Open):
    """RFC 9457 problem document; `errors` lists per-field faults on 422."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
    request_id: str | None = None


class BatchItem(Open):
    """One batch result: a recommendation, or a problem for that item alone."""

    problem: ProblemDetail | None = None


class BatchResponse(Open):
    """Body of a POST /v1/recommendations/batch answer."""

    results: list[RecommendationResponse | BatchItem]


class SkillSearch(Open):
    """GET /v1/skills answer."""

    query: str
    skills: list[ScoredSkill]


class RoleSearch(Open):
    """GET /v1/roles answer."""

    query: str
    roles: list[RoleRef]


class CredentialSearch(Open):
    """GET /v1/credentials answer."""

    query: str
    skill: str | None
    credentials: list[ScoredCredential]


class ExtractedSkill(SkillRef):
    """A skill found in a text, with the phrases that evidence it."""

    score: float
    evidence: list[dict[str, Any]]
    nice_to_have: bool | None = Field(
        None, description="True when every phrase this skill was read from is one the text calls nice to have (\"GCP "
                          "is a plus\", a line under \"Desirable\"); absent otherwise.")
    condition: bool | None = Field(
        None, description="True when every phrase this skill was read from is a licence the text asks its holder to "
                          "have (\"Full UK driving licence\" -> drive vehicles); absent otherwise.")


class ExtractResponse(Open):
    """POST /v1/skills/extract answer."""

    skills: list[ExtractedSkill]
    boilerplate_dropped: list[str] = Field(
        default_factory=list, description="The text's phrases set aside as company blurb, pay, benefits, application "
                                          "or legal text, or as what the posting says it does not ask for.")
    warnings: list[Warning_]


class MatchResponse(Open):
    """POST /v1/roles/match answer: a text of more than 12 words is read as a posting, as a recommendation reads
    one (by its title line when that is a title, else by its opening words against role descriptions)."""

    roles: list[RoleRef]
    matched_by: Literal["title", "description"]
    title_line: str | None = Field(None, description="A posting's title line, the head of a one-paragraph advert, or "
                                                     "the title a hiring sentence names, when the roles were matched "
                                                     "by it (absent otherwise).")
    warnings: list[Warning_]


class Health(Open):
    """GET /healthz answer."""

    status: Literal["ok"]


class Ready(Open):
    """GET /readyz answer."""

    status: Literal["ready"]
    model_sha256: str
    counts: dict[str, int]


class Meta(Open):
    """GET /v1/meta answer."""

    model: dict[str, Any]
    catalog: dict[str, Any]
    counts: dict[str, int]
    created_at: str
    encoder: str = Field(description="the encoder this worker serves with: onnx, light or sentence-transformers")
    limits: dict[str, int] = Field(description="the request limits enforced: max_body_bytes, max_text_chars, "
                                               "max_batch, max_encode_chars (BADGEPATH_MAX_*)")


def titles_field(description: str) -> Any:
    """A role detail's list of titles of one kind, absent from the record when it has none."""
    return Field(default_factory=list, description=f"{description} (absent when none; catalog/README.md)")


class RoleDetail(Open):
    """GET /v1/roles/{id} answer."""

    id: str
    title: str
    alt_titles: list[str] = Field(default_factory=list, description="ESCO's other titles for the role")
    reported_titles: list[str] = titles_field("US job titles O*NET 29.2 reports for the role, mapped to it by hand")
    posted_titles: list[str] = titles_field("job titles as boards in the UK, Ireland, Australia, New Zealand, Canada, "
                                            "South Africa, Kenya and Nigeria post them, mapped to the role by hand")
    corrected_titles: list[str] = titles_field("titles ESCO gives other occupations that job boards use for this role")
    withdrawn_titles: list[str] = titles_field("those of its alt titles that job boards use for another job: the role "
                                               "is not matched by them")
    skills: list[dict[str, Any]]


class CredentialDetail(Open):
    """GET /v1/credentials/{id} answer."""

    id: str
    name: str
    skills: list[dict[str, Any]]


class VerificationReport(Open):
    """How a badge checked out: verified, unverified (with why) or failed (with why)."""

    status: Literal["verified", "unverified", "failed"]
    reason: str | None = None
    method: str | None = None


class BadgeDocument(Open):
    """What an Open Badge says about itself."""

    spec: Literal["Open Badges 2.0", "Open Badges 3.0"]
    container: Literal["json", "jwt", "png", "svg"]
    id: str | None
    name: str | None
    description: str | None
    issuer: dict[str, str | None]
    issued_on: str | None
    expires: str | None
    expired: bool
    alignments: list[dict[str, str]]
    notes: list[str]


class ResolvedBadge(Open):
    """One badge and what it resolved to; Open Badges also carry the document and its verification."""

    index: int
    resolved: Literal["credential", "skill", "skills", "unknown", "unmatched", "not_counted"]
    input: str | None = None
    file: str | None = None
    badge: BadgeDocument | None = None
    verification: VerificationReport | None = None
    credential: str | None = None
    confidence: float | None = None
    skills: list[dict[str, Any]] | None = None


class BadgeImportResponse(Open):
    """POST /v1/badges/import answer: each badge read, and what the learner holds through them."""

    badges: list[ResolvedBadge]
    credentials: list[dict[str, Any]]
    skills: list[dict[str, Any]]
    warnings: list[Warning_]


class PathwayExport(Open):
    """POST /v1/recommendations/export?format=ctdl answer: a CTDL ceterms:Pathway as JSON-LD."""

    context: Any = Field(alias="@context")
    graph: list[dict[str, Any]] = Field(alias="@graph")
