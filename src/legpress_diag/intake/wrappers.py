"""Exports' wrappers, read as the records they hold: an app's {"clients": [...]},
pandas tables, a sheet's rows under a header, one person's answers in parts
(profile, check-ins). Never one merged record (checks 19 to 23)."""

from __future__ import annotations

import re

from ..foundation.jsonvalue import JsonObject, JsonValue
from ..knowledge.index import fold_key
from .answers import keeps_answers, names_a_question
from .fhir import is_questionnaire_response, observation_records
from .fields import FLAT_KEY as _FLAT_KEY
from .fields import MAX_NESTED_KEYS
from .fields import careful as _careful
from .fields import plain_id as _plain_id
from .fields import record_field as _record_field

# How deep records are looked for in a wrapper ({"data": {"clients": [...]}}): the walk
# is iterative and visits each parsed value once, so no depth the JSON reader accepts
# is too deep (at 8, then 256, a wrapper nested deeper was one merged result: a new
# check of cd9efd2, NEW-6; check 19).
MAX_WRAPPED_DEPTH = 100_000
# The record's own fields, never a wrapper's contents (their objects name questions).
_OWN_FIELDS = frozenset({"measured", "not_measured"})


def wrapped_records(data: object) -> list[JsonValue] | None:
    """The records of an object that holds them: an app's export wrapper (records,
    objects with 'answers' or answers of their own, anywhere in it: {"exported": ...,
    "data": {"clients": [...]}}, {"results": [{"client": record}]}, {"answers":
    [records]}), or a pandas table (``to_json(orient="index" | "split" |
    "columns")``, flat rows too). None for a record with its answers in an object,
    and for an object that holds no record.

    Never one merged record: read as one, one result stood for every client, each
    answer that differed "not sure" (an emergency referred as urgent: a new user's
    U15-4, U17-4; check 19, where an export's id, a "responses" key, three flags or
    nine fields of metadata made the wrapper one record). An object that also shows
    answers of its own (a flat record with a "history" list of past records) is one
    more record, without what holds the others, so both readings are screened. A
    record found with no id of its own is named by where it was found: the key above
    it ("c1" in {"c1": {...}}, pandas' orient="index"), its place in a list
    ("clients[3]"), after the id of the object that holds it ("ben.checkin"), so a
    one-line export's clients do not all take the line's number."""
    if not isinstance(data, dict):
        return None
    entries = data.get("entry") if data.get("resourceType") == "Bundle" else None
    if isinstance(entries, list) and (observed := observation_records(entries)) is not None:
        return observed
    table = _table_records(data)
    if table is not None:
        return table
    answers = field_value(data, "answers")
    if isinstance(answers, dict) and form_sections(answers):
        return None  # one record, its answers in a form's sections (check_record opens them)
    if isinstance(answers, dict) and not _holds_only_records(answers):
        # Nothing else that could hold records (the common record: no question ids
        # looked up, no rule base loaded), or answers that name questions.
        others = (value for value in data.values() if value is not answers)
        if not any(isinstance(value, dict | list) for value in others):
            return None
        if _names_questions(answers):
            return None  # a record, with its answers where they belong
    from .labels import labelled_export  # only for an object that may be a wrapper

    data = labelled_export(data) or data
    found, holders = _records_inside(data)
    if not found:
        return None
    parts = _one_persons_parts(data, holders)
    if parts is not None:
        return _persons_records(data, *parts)
    own = {key: value for key, value in data.items() if key not in holders}
    if _shows_answers(own):
        found.insert(0, own)  # answers of its own too: a record as well
    return _alone_named(found, scalar_id(data))


# The parts one person's record may be written in: who they are (their age), and
# their check-ins, looked for in a part's name ("user_profile", "latest_checkin",
# "followup_2", a date or an ISO week: "2024-W19"). An object whose records are all
# in such parts, one of them a "who"
# or answers of its own beside them, and none with an id of its own, is one person's;
# parts under other names ("alice", "bob") or with ids are clients (check 21, 22).
_PERSON_PART = re.compile(
    r"profile|personal|demographic|biograph|medical|health|about_(?:me|you)|patient_info"
    r"|_info$|intake|baseline"
    r"|^(?:me|bio|about|details|info|patient|athlete|lifter|client|user|member|person)$"
)
_VISIT_PART = re.compile(
    r"check_?ins?|check_?ups?|visit|session|survey|screening|symptom|onset|follow_?ups?"
    r"|assessment|questionnaire|weekly|daily|monthly|^(?:today|latest|current|pain|weeks?"
    r"|days?|entry|entries|logs?|reports?|updates?|screen|forms?)_?\d*$|^\d{4}_\d\d_\d\d"
    r"|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$|(?:pre|post)_?workout|^\d{4}_w\d{1,2}$"
)


def _one_persons_parts(data: JsonObject, holders: set[str]) -> tuple[list[str], list[str]] | None:
    """(who, check-ins): the keys of an object that holds one person's answers in
    parts ({"id": "c2", "profile": {"age_years": 70}, "checkin": {"answers": ...}}),
    or None. Read apart, the age and a sudden onset were screened without each other,
    an urgent combination referred as clinician (check 20, P5); read as one whatever
    the names, a coach's clients were merged (check 21)."""
    held = [key for key in data if key in holders]  # in the object's order, not a set's
    if _parts_of_clients(data, held):
        return None  # parts with ids of others than the person's are clients
    if _sections_of_one_form(data, held):
        return held, []
    who = [key for key in held if _PERSON_PART.search(fold_key(key))]
    visits = [key for key in held if key not in who and _VISIT_PART.search(fold_key(key))]
    beside = _answers_beside(data, holders)
    others = [key for key in held if key not in who]
    if (
        len(who) + len(visits) != len(holders)
        and (beside or who)
        and scalar_id(data) is not None
        and all(_flat_group(data[key]) for key in others)
    ):
        # A person's id, and their own answers or a part about them, beside groups of
        # plain answers under any other name (no id, no 'answers' of their own): a
        # form's repeated panel (SurveyJS' "episodes": [...]), ODK Central's groups
        # ("group_profile" beside "group_safety"). Read apart, the age was not beside
        # the sudden onset, and urgent was referred as clinician (check 25, check 26,
        # A-H9). A part that is a record ({"alice": {"answers": ...}}) is a client.
        visits = others
    if len(who) + len(visits) != len(holders) or not (who or beside):
        return None
    if not all(isinstance(data[key], dict) for key in who):
        return None
    return who, visits


def _sections_of_one_form(data: JsonObject, held: list[str]) -> bool:
    """Whether the parts are one form's sections, whatever they are called ("Page1",
    "Background", CommCare's "safety" beside "technique"): two or more objects of
    plain answers, none with an id, asking different questions. A person's check-ins
    and a coach's clients ask the same questions; sections never do. Read apart, the
    age was not beside a sudden onset and urgent was referred as clinician, and each
    section was one more result (check 27, A-H7; check 28, U-H3)."""
    if len(held) < 2 or (scalar_id(data) is None and not _answers_beside(data, set(held))):
        return False  # whose form? clients keyed by name are no sections (check 29, A-H1)
    return _sections_asked_apart(data, held)


def form_sections(answers: JsonObject) -> list[str]:
    """The keys of a record's 'answers' object that are one form's sections
    ({"safety": {"saddle_numbness": "no"}, "technique": {"lower_back_rounds": "yes"}},
    see _sections_of_one_form), or [] when they are not. The record's own 'answers'
    say whose form it is; read as records keyed by name, each section was one more
    result, an error or unscreened (check 37, L3)."""
    held = [
        key for key, value in list(answers.items())[:MAX_NESTED_KEYS] if isinstance(value, dict)
    ]
    if len(held) < 2 or not all(
        key in held or _plain_answer(value) for key, value in answers.items()
    ):
        return []
    return held if _sections_asked_apart(answers, held, _PAGE_NAME) else []


# Inside a record's own 'answers' a group may be named as a page is: "1", "A", "Q1",
# "Tab 1", "Página 1", "Leg press", "Medical history" (check 42, H5: split apart, a
# fracture-risk sign needing answers from two of them was lost). Its groups must still
# ask different questions; clients or visits ask the same ones.
_PAGE_NAME = re.compile(
    r"^(?:\d{1,3}|[a-z]\d{0,2}|q\d{1,3}|tab_?\d{1,3}|pagina_?\d{1,3}|module_?\d{0,3}|leg_press"
    r"|general|medical(?:_history)?|history|sessions?|sheet_?\d{1,3}|etape_?\d{1,3}"
    r"|secao_?\d{1,3}|seccion_?\d{1,3}|bloque_?\d{1,3}|[ivx]{1,4})[.):]?$"
)


def _sections_asked_apart(
    data: JsonObject, held: list[str], also: re.Pattern[str] | None = None
) -> bool:
    """Whether the parts under ``held`` are named as a form's sections (or match
    ``also``), hold plain answers and no id, and ask different questions."""
    if not all(
        _SECTION_NAME.search(folded) or (also is not None and also.match(folded))
        for folded in (fold_key(key).strip("_") for key in held)
    ):
        return False
    asked: set[str] = set()
    for key in held:
        part = data[key]
        if not isinstance(part, dict) or scalar_id(part) is not None:
            return False
        if not all(_plain_answer(value) for value in part.values()):
            return False  # a group of groups: records, or more than plain answers
        questions = {q for name in list(part)[:MAX_NESTED_KEYS] if (q := question_id(name))}
        if not questions or questions & asked:
            return False
        asked |= questions
    return True


# What a form calls its sections ("Page1", "Background", "Safety screen", CommCare's
# "technique", ODK's "group_profile"); a client's name is none of them: clients keyed
# by name who answered different questions were merged, and one's "it settled" eased
# another's sudden onset away (check 29, A-H1).
_SECTION_NAME = re.compile(
    r"(?:^|_)(?:page|section|part|step|group|grp|background|details?|questions?|general"
    r"|screen|screening|safety|red_?flags?|flags|symptoms?|history|technique|form|about"
    r"|pain|health|medical|profile|personal|demographics?|contact|info|exercise|training"
    r"|setup|assessment|intake|lifestyle|body|signs?|checks?|your|you|me|my"
    # Qualtrics' "Block 1", an "Intro" and "Basics", "Warning signs", "clinical", a
    # form's "p1"/"s1", German forms' "Seite 1"/"Teil 1": one person split in two, an
    # age apart from a sudden onset (urgent read as clinician), and with "personal"
    # beside "clinical" the record's own id lost (a new user's P5, P6).
    r"|block|intro|introduction|basics?|warnings?|clinical|seite|teil|abschnitt"
    r"|p|s)(?:_|\d|$)"
)


def _plain_answer(value: JsonValue) -> bool:
    """A value an answer may be: a scalar, or a list of them (a multi-choice answer)."""
    if isinstance(value, list):
        return not any(isinstance(item, dict | list) for item in value[:MAX_NESTED_KEYS])
    return not isinstance(value, dict)


def question_id(key: str) -> str | None:
    """The bundled rule base's question a key names, or None."""
    if not names_a_question(key):
        return None
    from ..knowledge.index import question_named  # only for parts of a record
    from ..knowledge.loader import bundled_rulebase

    rb = bundled_rulebase()
    return None if rb is None else question_named(rb, key)


def question_worded(text: str) -> str | None:
    """The bundled rule base's question a text names word for word (index.question_worded)."""
    from ..knowledge.index import question_worded as worded  # only for a screen's text reply
    from ..knowledge.loader import bundled_rulebase

    rb = bundled_rulebase()
    return None if rb is None else worded(rb, text)


def yes_no_questions_named(key: str) -> tuple[str, ...]:
    """The bundled rule base's yes/no questions a key names when it names two or more
    of them ("saddle_numbness/leg_pain_below_knee", "saddle numbness and leg pain
    below knee"); () otherwise, or when one of them is not a yes/no question (a yes
    to "age_years/saddle_numbness" answers no age)."""
    from ..knowledge.index import questions_named  # only for parts of a record
    from ..knowledge.loader import bundled_rulebase

    rb = bundled_rulebase()
    if rb is None:
        return ()
    named = questions_named(rb, key)
    return named if all(rb.questions[q].type.value == "yes_no" for q in named) else ()


def _flat_group(part: JsonValue) -> bool:
    """Whether a part is a group of plain answers, or a list of them: objects with no
    id and no 'answers' of their own."""
    items = part if isinstance(part, list) else [part]
    return bool(items) and all(
        isinstance(item, dict) and scalar_id(item) is None and field_value(item, "answers") is None
        for item in items[:MAX_NESTED_KEYS]
    )


def _persons_records(
    data: JsonObject, who: list[str], visits: list[str], name: str | None = None
) -> list[JsonValue] | None:
    """The records of one person written in parts: None when there is one check-in or
    none (the object is one record, its parts read together as a flat record's);
    else a record per check-in, each with the person's own answers (their age) beside
    its own, the careful one of two (_careful). A person with no id is named by
    ``name``, where they were found: "clients.cal" in a book keyed by name (each
    client's check-ins were "weeks.2024-W19", one id for every client: check 25)."""
    top_id = scalar_id(data)
    if top_id is None:
        top_id = name
    held: JsonObject = {key: data[key] for key in visits}
    found, _ = _records_inside(held if top_id is None else {"id": top_id, **held})
    if len(found) <= 1:
        return None
    own: JsonObject = {
        key: value
        for key, value in list(data.items())[:MAX_NESTED_KEYS]
        if key not in who and key not in visits and names_a_question(key)
    }
    for key in who:
        part = data[key]
        assert isinstance(part, dict)
        own |= _answers_of(part)
    records: list[JsonValue] = []
    for visit in found:
        if not isinstance(visit, dict):
            records.append(visit)
            continue
        answers = dict(own)
        for question, answer in _answers_of(visit).items():
            answers[question] = (
                _careful(answers[question], answer) if question in answers else answer
            )
        records.append({"id": visit.get("id"), "answers": answers})
    return records


def _parts_of_clients(data: JsonObject, held: list[str]) -> bool:
    """Whether the parts holding records carry ids of different people: an id (or a
    'client_id', an 'email', Typeform's hidden 'client_id') that is not the person's
    (the object's id or its profile's, else the first found) nor made from the
    person's known id ("c2-w1" for the object "c2"). Merging clients is never the
    careful reading: a coach's clients under "today" or "sessions" took the coach's
    age (check 22), and "client-001" beside "client-002" became one result (check
    24); parts with a session's or a form's id are no one's (check 24)."""
    known = scalar_id(data)
    if known is None:  # the person's id in their profile: {"profile": {"id": "c2"}}
        known = next(
            (
                scalar_id(part)
                for key in held
                if isinstance(part := data[key], dict)
                and _PERSON_PART.search(fold_key(key))
                and scalar_id(part) is not None
            ),
            None,
        )
    person = known
    for key in held:
        part = data[key]
        for item in (part if isinstance(part, list) else [part])[:MAX_NESTED_KEYS]:
            if not isinstance(item, dict):
                continue
            named = _someones_id(item)
            if named is None:
                continue
            if person is None:
                person = named  # the first: no id is made from it
            elif not _same_person(person, named, made_from=known is not None):
                return True
    return False


# What apps and form tools call the id of the person a part is about (a session's,
# a device's or a form's id is no one's).
_PERSON_ID_NAMES = frozenset(
    {f"{who}_id" for who in ("client", "user", "member", "athlete", "participant")}
    | {f"{who}_id" for who in ("patient", "person", "respondent", "customer", "lifter")}
    | {"email", "uid"}
)


def _someones_id(item: JsonObject) -> str | int | None:
    """The id a part gives the person it is about: its own, or one under a name that
    says whose (_PERSON_ID_NAMES), also in Typeform's 'hidden' fields."""
    own = scalar_id(item)
    if own is not None:
        return own
    hidden = field_value(item, "hidden")
    for fields in (item, hidden) if isinstance(hidden, dict) else (item,):
        for key, value in list(fields.items())[:MAX_NESTED_KEYS]:
            named = fold_key(key) in _PERSON_ID_NAMES
            if named and isinstance(value, str | int) and not isinstance(value, bool):
                return value
    return None


_ID_PARTS = re.compile(r"[-_.:/# ]")


def _same_person(person: str | int, named: str | int, *, made_from: bool) -> bool:
    """Whether an id is the person's: the same, or, when the person's id is the
    object's own, one made from it ("c2-w1", "c2.checkin" for "c2")."""
    first, second = str(person), str(named)
    if first == second:
        return True
    return (
        made_from and second.startswith(first) and _ID_PARTS.match(second, len(first)) is not None
    )


def _answers_beside(data: JsonObject, holders: set[str]) -> bool:
    """Whether an object answers questions itself beside the parts that hold records
    ({"id": "c7", "age_years": 70, "onset": {...}}: the person's own answers)."""
    return any(key not in holders and names_a_question(key) for key in list(data)[:MAX_NESTED_KEYS])


def _answers_of(part: JsonObject) -> JsonObject:
    """A part's answers: its 'answers' object, or its own fields (a flat part)."""
    answers = field_value(part, "answers")
    if isinstance(answers, dict):
        return answers
    return {key: value for key, value in part.items() if _record_field(key) != "id"}


# How many records holding records (a group in a list of clients) are opened one
# inside another; past it, such an object is read as one record.
MAX_OPENED_LEVELS = 32


def _records_inside(data: JsonObject, level: int = 0) -> tuple[list[JsonValue], set[str]]:
    """The records in an object (see wrapped_records), each with an id, and the keys
    of the object that hold them."""
    found: list[JsonValue] = []
    holders: set[str] = set()
    top_id = scalar_id(data)
    todo: list[tuple[JsonValue, str, str, int]] = [
        (value, str(key), str(key), 1)
        for key, value in reversed(list(data.items()))
        if _record_field(str(key)) not in _OWN_FIELDS and not _own_answers(key, value)
    ]
    sheets: list[tuple[str, str, list[JsonValue]]] = []
    while todo:  # bounded by what was parsed
        value, path, holder, depth = todo.pop()
        if isinstance(value, dict) and _is_record(value):
            found += _opened_record(value, top_id, path, level)
            holders.add(holder)
        elif isinstance(value, list) and (rows := rows_under_a_header(value)) is not None:
            sheets.append((path, holder, rows))
        elif isinstance(value, dict) and (rows := _column_lists(value)) is not None:
            holders.add(holder)  # a table by columns inside a wrapper (check 27, H3)
            for index, row in enumerate(rows):
                if isinstance(row, dict):
                    found.append(_named(row, top_id, f"{path}[{index}]"))
        elif isinstance(value, list) and any(
            isinstance(item, dict | list) and _is_record_or_list(item) for item in value
        ):
            # A list of records: every object in it is one, a flat row too (dropped,
            # its emergency went unread: NEW-4); one that holds records is opened, a
            # list in it too (its records were dropped: check 20, P4).
            holders.add(holder)
            for index, item in enumerate(flattened(value)):
                if isinstance(item, dict):
                    found += _opened_record(item, top_id, f"{path}[{index}]", level)
        elif isinstance(value, dict | list) and depth < MAX_WRAPPED_DEPTH:
            if isinstance(value, dict):
                inner_id = scalar_id(value)
                base = str(inner_id) if inner_id is not None else path
                items = [(f"{base}.{key}", item) for key, item in value.items()]
            else:
                items = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
            todo += [(item, where, holder, depth + 1) for where, item in reversed(items)]
    # A sheet's rows under a header inside an API's answer (Google Sheets' values.get:
    # {"range": ..., "values": [[header], [row], ...]}). Microsoft Graph gives the same
    # table as "values", "text" and "formulas": the values are read, once. Read as one
    # record, every client was one error and no sign was read (check 26, U-H2).
    named_values = [sheet for sheet in sheets if sheet[0].rsplit(".", 1)[-1] == "values"]
    chosen = _sheets_joined(named_values or sheets)
    for path, holder, rows in chosen:
        holders.add(holder)
        for index, row in enumerate(rows):
            if isinstance(row, dict):
                found.append(_named(row, top_id, f"{path}[{index + 1}]"))
    return found, holders


def _sheets_joined(
    sheets: list[tuple[str, str, list[JsonValue]]],
) -> list[tuple[str, str, list[JsonValue]]]:
    """A workbook's sheets, a sheet that looks its clients up by id (a "Profile" of
    ages beside a "Checkin" sheet: every row an id, each id once, asking none of the
    other sheets' questions) joined to the rows of the others with the same id; its
    rows that join none stay rows of their own. Read apart, a client's age was not
    beside their sudden onset, and urgent was referred as clinician (check 27, M4)."""
    if len(sheets) < 2:
        return sheets
    joined = list(sheets)
    for at in range(len(joined)):
        path, holder, rows = joined[at]
        ids = [scalar_id(row) if isinstance(row, dict) else None for row in rows]
        asked = _questions_in(rows)
        others = [_questions_in(joined[i][2]) for i in range(len(joined)) if i != at]
        if None in ids or len(set(ids)) != len(ids) or not asked or any(asked & o for o in others):
            continue
        lookup = {str(rid): row for rid, row in zip(ids, rows, strict=True)}
        used: set[str] = set()
        for other in range(len(joined)):
            if other == at:
                continue
            o_path, o_holder, o_rows = joined[other]
            merged: list[JsonValue] = []
            for row in o_rows:
                rid = scalar_id(row) if isinstance(row, dict) else None
                extra = lookup.get(str(rid)) if rid is not None else None
                if isinstance(row, dict) and isinstance(extra, dict):
                    used.add(str(rid))
                    row = {**{k: v for k, v in extra.items() if k not in row}, **row}
                merged.append(row)
            joined[other] = (o_path, o_holder, merged)
        kept = [row for rid, row in zip(ids, rows, strict=True) if str(rid) not in used]
        joined[at] = (path, holder, kept)
    return joined


def _questions_in(rows: list[JsonValue]) -> set[str]:
    """The questions a sheet's rows answer."""
    keys = {key for row in rows[:MAX_NESTED_KEYS] if isinstance(row, dict) for key in row}
    return {q for key in list(keys)[:MAX_NESTED_KEYS] if (q := question_id(key)) is not None}


def _is_record_or_list(item: JsonValue) -> bool:
    if isinstance(item, list):
        return any(isinstance(inner, dict) and _is_record(inner) for inner in item)
    return isinstance(item, dict) and _is_record(item)


def _opened_record(
    record: JsonObject, top_id: str | int | None, path: str, level: int
) -> list[JsonValue]:
    """A record found in a wrapper, named by its place when it has no id; or, when it
    holds records itself (a group of clients whose metadata names a question, records
    under a list 'answers': merged, check 20's P1 and P3), those records, after the
    object itself when it shows answers of its own. A record with its answers in an
    object keeps what else it holds (a history) as its own."""
    answers = field_value(record, "answers")
    if (
        level >= MAX_OPENED_LEVELS
        or (isinstance(answers, dict) and not _holds_only_records(answers))
        or _pages_of_questions(record)  # its pages are its answers, not records
        or any(_answer_items(value) for _, value in _first_items(record))  # and its items
    ):
        return [_named(record, top_id, path)]
    inner, holders = _records_inside(record, level + 1)
    if not inner:
        return [_named(record, top_id, path)]
    parts = _one_persons_parts(record, holders)
    if parts is not None:
        persons = _persons_records(record, *parts, name=_named_path(top_id, path))
        return [_named(record, top_id, path)] if persons is None else persons
    own = {key: value for key, value in record.items() if key not in holders}
    return [_named(own, top_id, path)] * _shows_answers(own) + inner


def _shows_answers(own: JsonObject) -> bool:
    """Whether what an object holds besides records is answers of its own: a key like
    'answers', a question's, or answers as items under another name (_answer_items)."""
    return any(keeps_answers(key) or _answer_items(value) for key, value in _first_items(own))


def _names_questions(answers: JsonObject) -> bool:
    """Whether an 'answers' object holds answers (a key that names a question):
    {"count": 6} or {} beside a list of clients is an export's metadata (read as a
    record, the clients were merged: check 20). One that holds no record stays a
    record all the same (wrapped_records finds none)."""
    return any(names_a_question(str(key)) for key in list(answers)[:MAX_NESTED_KEYS])


def _holds_only_records(answers: JsonObject) -> bool:
    """Whether an 'answers' object is records keyed by id (Firebase's export,
    {"answers": {"c1": {...}}}), not a record's answers: read as one, every client was
    merged at urgent (check 20, P2)."""
    values = list(answers.values())[:MAX_NESTED_KEYS]
    if not values or not all(isinstance(v, dict) and _is_record(v) for v in values):
        return False  # the common record: no question ids looked up, no loader
    # Answers boxed in objects under their questions' names ({"saddle_numbness":
    # {"answer": {"value": "yes"}}}) are no records: read so, the record's id became
    # "saddle_numbness" and its emergency was lost (check 21).
    return not _names_questions(answers)


def _own_answers(key: str, value: JsonValue) -> bool:
    """Whether a field holds the object's own answers under another name ("responses":
    {question: answer}): read as a record of its own, the id beside it was lost."""
    return (
        isinstance(value, dict)
        and keeps_answers(key)
        and all(_one_value(item) for item in list(value.values())[:MAX_NESTED_KEYS])
    )


def _is_record(data: JsonObject) -> bool:
    """An object in a wrapper that is a record: its answers in an object, or keys that
    name questions (a flat row: {"id": "c1", "saddle_numbness": "yes"})."""
    if _survey_question(data):
        return False  # one question of a survey, its answers beside its heading
    if "answers" in data or field_value(data, "answers", None) is not None:
        return True  # in any shape: a list of pairs (Typeform), a string
    if _pages_of_questions(data):
        return True  # a survey's response, its questions on pages
    if is_questionnaire_response(data):
        return True  # FHIR: answers in its items (a Bundle's entries were merged)
    if any(
        isinstance(value, dict)
        and _PERSON_PART.search(fold_key(key))
        # the person's own answers ({"profile": {"age_years": 70}}), not a record a
        # wrapper holds ({"client": {"id": ..., "answers": ...}}, a list's item)
        and field_value(value, "answers") is None
        and scalar_id(value) is None
        # and that names a question: Alchemer's "url_variables": {"client": {...}} was
        # taken for one, and the response's own answers were lost (check 28)
        and _names_questions(value)
        for key, value in _first_items(data)
    ):
        return True  # a person's record in parts: {"id": ..., "profile": {...}, ...}
    # A key like 'answers' counts with an object ("responses": {...}) or as a flattened
    # answer ("answers.saddle_numbness"); one of a question/answer pair ({"question":
    # ..., "answer": "yes"}, a list of them a record's answers) does not.
    if not _timings(data) and any(
        (isinstance(value, dict) and keeps_answers(key))
        or (_one_value(value) and (names_a_question(key) or _FLAT_KEY.fullmatch(key) is not None))
        for key, value in _first_items(data)
    ):
        return True
    return any(_answer_items(value) for _, value in _first_items(data))


def _answer_items(value: JsonValue) -> bool:
    """Whether a field holds a record's answers as items that each name their question
    beside the answer, under a name not like 'answers': HubSpot's "values": [{"name":
    "saddle_numbness", "value": "true"}], WPForms' "fields" or Alchemer's "survey_data"
    keyed by field number. Not taken for records, the wrapper was one record: every
    client merged, an emergency "not sure" (check 28, U-H1, U-H2)."""
    if not isinstance(value, dict | list | str) or not value:
        return False
    from .salvage import answers_in, numbered_fields  # only for objects in a wrapper

    if isinstance(value, dict | str):
        return numbered_fields(value) is not None
    items = value[:MAX_NESTED_KEYS]
    if not all(isinstance(item, dict) for item in items):
        return False
    found, _ = answers_in(items)
    return any(names_a_question(key) for key in found)


def _timings(data: JsonObject) -> bool:
    """Whether an object keyed by questions holds a number for each that no answer is
    (Formbricks' "ttc": milliseconds per question): read as a record, every client
    had a second result, "not sure" on every sign, and was told to see a doctor today
    (check 28). Numbers only, and one of them a yes/no question's other than 0 or 1."""
    named = [(key, value) for key, value in _first_items(data) if names_a_question(key)]
    if not named or not all(_a_plain_number(value) for _, value in named):
        return False
    return any(_yes_no_question(key) and value not in (0, 1) for key, value in named)


def _a_plain_number(value: JsonValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _yes_no_question(key: str) -> bool:
    return question_type(key) == "yes_no"


def question_type(key: str) -> str | None:
    """The type of the bundled rule base's question a key names ("yes_no", "multi",
    ...), or None."""
    qid = question_id(key)
    if qid is None:
        return None
    from ..knowledge.loader import bundled_rulebase  # loaded by question_id

    rb = bundled_rulebase()
    return None if rb is None else rb.questions[qid].type.value


def _survey_question(data: JsonObject) -> bool:
    """Whether an object is one question of a survey's response, its answers listed
    beside its heading (SurveyMonkey's {"id": "40001", "heading": "Saddle numbness?",
    "answers": [...]}): each was read as a record, 109 results for 4 clients, and
    every flag was lost (check 27, U-H1)."""
    return isinstance(data.get("answers"), list) and isinstance(data.get("heading"), str)


def _pages_of_questions(data: JsonObject) -> bool:
    """Whether an object holds a survey's pages of questions (SurveyMonkey's response:
    "pages": [{"questions": [...]}]; Cliniko's patient form: "content": {"sections":
    [{"questions": [...]}]}): a response, a record."""
    return survey_pages(data) is not None


def survey_pages(data: JsonObject) -> list[JsonValue] | None:
    """A survey response's pages or sections of questions, in it or in its "content";
    None for anything else. Cliniko's forms were read a question at a time, 150
    errors for 6 clients and every flag lost (check 29, U-H1)."""
    for holder in (data, data.get("content")):
        if not isinstance(holder, dict):
            continue
        for name in ("pages", "sections"):
            pages = holder.get(name)
            if isinstance(pages, list) and any(
                isinstance(page, dict) and isinstance(page.get("questions"), list)
                for page in pages[:MAX_NESTED_KEYS]
            ):
                return pages
    return None


def field_value(data: JsonObject, name: str, default: JsonValue = None) -> JsonValue:
    """A record field's value, under its name or in another case or style ("Answers")."""
    if name in data:
        return data[name]
    for key, value in _first_items(data):
        if _record_field(key) == name:
            return value
    return default


def _one_value(value: JsonValue) -> bool:
    """A value an answer may be: a scalar, or one in a list (R's boxed values)."""
    if isinstance(value, list):
        return len(value) == 1 and not isinstance(value[0], dict | list)
    return not isinstance(value, dict)


def _first_items(data: JsonObject) -> list[tuple[str, JsonValue]]:
    return list(data.items())[:MAX_NESTED_KEYS]


def scalar_id(data: JsonObject) -> str | int | None:
    value = field_value(data, "id")
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None


class _PlaceNamed(dict[str, JsonValue]):
    """A record found with no id, named by its place (_named)."""


def _named(record: JsonObject, top_id: str | int | None, path: str) -> JsonObject:
    """The record, with an id from where it was found when it has none of its own:
    first the person's id it gives under another name (a 'client_id', Typeform's
    hidden 'client_id'; named by their place, a coach could not find their clients:
    check 26, M1), else its place."""
    if "id" in record or field_value(record, "id") is not None:
        return record
    client = _clients_id(record)
    if client is not None:
        return {"id": client, **record}
    return _PlaceNamed({"id": _named_path(top_id, path), **record})


# The names a record gives its client's id under, in the order they are trusted: a
# 'user_id', 'uid' or 'email' is often the account that filled the form in (the
# coach's), and named so, every client's result was filed under the coach (check 27).
_CLIENT_ID_NAMES = (
    *("client_id", "athlete_id", "lifter_id", "member_id", "participant_id"),
    *("patient_id", "person_id", "respondent_id", "customer_id"),
)


def _clients_id(record: JsonObject) -> str | int | None:
    """The client's id a record found with no id of its own gives under another name
    (see _CLIENT_ID_NAMES), in it or in Typeform's 'hidden' fields; else None."""
    hidden = field_value(record, "hidden")
    for fields in (record, hidden) if isinstance(hidden, dict) else (record,):
        named = {fold_key(key): value for key, value in list(fields.items())[:MAX_NESTED_KEYS]}
        for name in _CLIENT_ID_NAMES:
            value = named.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return value
    return None


def _named_path(top_id: str | int | None, path: str) -> str:
    """The name of a place in a wrapper: its path, after the wrapper's id."""
    return path if top_id is None or path.startswith(f"{top_id}.") else f"{top_id}.{path}"


def _alone_named(found: list[JsonValue], top_id: str | int | None) -> list[JsonValue]:
    """The records found in a wrapper; the only one, with no id of its own, takes the
    wrapper's id, or none (its position, as the contract names a record without one):
    named by its place, every Typeform webhook of a file was "form_response", one
    id for six clients (check 21)."""
    if len(found) != 1 or not isinstance(found[0], _PlaceNamed):
        return found
    record = {key: value for key, value in found[0].items() if key != "id"}
    return [record if top_id is None else {"id": top_id, **record}]


def _table_records(data: JsonObject) -> list[JsonValue] | None:
    """The rows of a pandas table written with orient="split" (columns, index, data)
    or orient="columns" (each column an object of row label -> value), as records:
    columns of records ('id', 'answers') or of flat rows (columns that name questions;
    the default ``to_json()`` of a flat frame; a merged result and a lost emergency in
    check 19)."""
    columns, rows = data.get("columns"), data.get("data")
    if (
        isinstance(columns, list)
        and isinstance(rows, list)
        and any(isinstance(c, str) and (c == "id" or keeps_answers(c)) for c in columns[:1000])
        and all(isinstance(row, list) for row in rows)
    ):
        records: list[JsonObject] = [
            dict(zip((str(c) for c in columns), row, strict=False)) for row in rows
        ]
        index = data.get("index")
        if isinstance(index, list) and len(index) == len(records) and "id" not in columns:
            records = [_named(r, None, str(label)) for r, label in zip(records, index, strict=True)]
        return list(records)
    transposed = _transposed_split(data)
    if transposed is not None:
        return transposed
    listed = _column_lists(data)
    if listed is not None:
        return listed
    by_column = {key: value for key, value in data.items() if isinstance(value, dict)}
    if not data or len(by_column) != len(data):
        return None
    answers = by_column.get("answers")
    if answers is not None and not all(isinstance(value, dict) for value in answers.values()):
        return None  # a record's own answers, not a column of them
    if not any(key == "id" or keeps_answers(key) for key in list(data)[:MAX_NESTED_KEYS]):
        return None
    if not _keyed_alike(by_column):
        return None
    labels = list(next(iter(by_column.values())))
    if any(names_a_question(str(label)) for label in labels[:MAX_NESTED_KEYS]):
        # Row labels that name questions: a record's answers under 'Answers' or
        # 'responses', not a table (read as one, each answer was a record: check 20, N1).
        return None
    # Rows labelled by their positions (pandas' default index) are named by a column
    # that names the client ('client', 'name', 'client_id'; never an 'email' or a
    # 'user_id', often the coach's account), as a table by columns is:
    # named 0 to 3, a coach could not tell whose result was whose (check 28, M2).
    folded = {fold_key(str(column)): column for column in by_column}
    names = [folded[name] for name in _TABLE_CLIENT_COLUMNS if name in folded]
    table: list[JsonValue] = []
    for label in labels:
        row = {column: values.get(label) for column, values in by_column.items()}
        who = next((row[c] for c in names if _plain_id(row[c])), None)
        if "id" in data:
            table.append(row)
        elif who is not None and str(label).isdigit():
            table.append({"id": who, **row})
        else:
            table.append(_named(row, None, str(label)))
    return table


# A table's columns that name the row's client, in the order they are trusted: never
# a 'user', 'user_id' or 'email', often the coach's account (a 'user' column before
# 'client' filed every client under the coach: check 29, A-H6).
_TABLE_CLIENT_COLUMNS = (
    *("client_id", "athlete_id", "lifter_id", "member_id", "participant_id", "patient_id"),
    *("person_id", "respondent_id", "customer_id", "client", "client_name", "athlete"),
    *("lifter", "name"),
)


def _transposed_split(data: JsonObject) -> list[JsonValue] | None:
    """The records of a transposed pandas table in orient="split" (``df.T.to_json(
    orient="split")``): its index names questions, each column is a client. Read as
    one record, six clients were one error and their signs were lost (check 20)."""
    columns, rows, index = data.get("columns"), data.get("data"), data.get("index")
    if not (
        isinstance(columns, list)
        and isinstance(rows, list)
        and isinstance(index, list)
        and len(index) == len(rows)
        and all(isinstance(row, list) and len(row) == len(columns) for row in rows)
        and any(isinstance(label, str) and names_a_question(label) for label in index[:1000])
        and not any(isinstance(c, str) and names_a_question(c) for c in columns[:1000])
    ):
        return None
    labels = [str(label) for label in index]
    table = [row for row in rows if isinstance(row, list)]  # every row, checked above
    records: list[JsonValue] = []
    for at, column in enumerate(columns):
        record: JsonObject = {"id": column if _plain_id(column) else str(column)}
        records.append(record | {label: row[at] for label, row in zip(labels, table, strict=True)})
    return records


def _column_lists(data: JsonObject) -> list[JsonValue] | None:
    """The rows of a table written column by column, each column a list of its cells
    (R's ``jsonlite::toJSON(df, dataframe="columns")``, pandas' ``to_dict("list")``):
    columns of the same length (two or more: one is R's boxed record, {"id": ["c1"],
    ...}), one of them a question's that is no multi-choice question's (a record's
    multi-choice answers are lists too), named by an id column when there is one
    ('id', 'client_id', 'name', 'client'; ids may repeat, a client's weeks). Read as
    one record, five clients were one "not sure" result and two emergencies were lost
    (check 26, U-H3; check 27, H3)."""
    columns = list(data.items())[: MAX_NESTED_KEYS + 1]
    if len(columns) < 2 or len(columns) > MAX_NESTED_KEYS:
        return None
    lengths = {len(cells) if isinstance(cells, list) else -1 for _, cells in columns}
    if len(lengths) != 1 or min(lengths) < 2:
        return None
    if not any(_single_answer_question(str(key)) for key, _ in columns):
        return None
    ids = [cells for key, cells in columns if _names_an_id(str(key))]
    if ids and not all(isinstance(cells, list) and all(map(_plain_id, cells)) for cells in ids):
        return None
    cells = [cell for _, column in columns if isinstance(column, list) for cell in column]
    if any(isinstance(cell, dict) for cell in cells):
        return None  # lists of records (a wrapper's), not of cells
    rows: list[JsonValue] = []
    for row in range(lengths.pop()):
        record = {str(key): cells[row] for key, cells in columns if isinstance(cells, list)}
        who = next((column[row] for column in ids if isinstance(column, list)), None)
        rows.append(record if who is None or "id" in record else {"id": who, **record})
    return rows


def _single_answer_question(key: str) -> bool:
    """Whether a key names a question of the bundled rule base answered by one value."""
    return question_type(key) not in (None, "multi")


def _names_an_id(key: str) -> bool:
    folded = fold_key(key)
    return _record_field(key) == "id" or folded in _PERSON_ID_NAMES or folded in _NAME_COLUMNS


# A table's column of who each row is, by name rather than by id.
_NAME_COLUMNS = frozenset({"name", "client", "client_name", "athlete", "lifter", "user"})


def _keyed_alike(columns: dict[str, JsonObject]) -> bool:
    """Whether every column is an object with the same keys (row labels), as pandas'
    orient="columns" writes a table, and some column holds a scalar (rows of
    answers, not records)."""
    values = list(columns.values())
    first = values[0] if values else None
    if not first or any(value.keys() != first.keys() for value in values):
        return False
    cells = [cell for value in values for cell in list(value.values())[:MAX_NESTED_KEYS]]
    if any(isinstance(cell, list) and holds_an_object(cell) for cell in cells):
        # A list of records beside its count: Bubble's {"response": {"results": [...],
        # "count": 2}}. Read as a table, the wrapper's keys were three records and
        # every client was lost (check 26, U-H1).
        return False
    return any(not isinstance(cell, dict | list) for cell in cells)


def records_in_array(items: list[JsonValue]) -> list[JsonValue]:
    """The records of a JSON array, the items of arrays inside it in their place, and
    the records of an export's wrapper in it ([{"clients": [...]}]) in its place."""
    table = rows_under_a_header(items)
    if table is not None:
        return table
    observed = observation_records(items, keep_others=True)
    if observed is not None:
        return observed
    if any(isinstance(item, list) for item in items):
        items = flattened(items)
    if not any(
        isinstance(item, dict) and not isinstance(item.get("answers"), dict) for item in items
    ):
        return items  # the common array: records only
    found: list[JsonValue] = []
    for item in items:
        wrapped = wrapped_records(item)
        found += [item] if wrapped is None else wrapped
    return found


def rows_under_a_header(items: list[JsonValue]) -> list[JsonValue] | None:
    """The rows of a sheet written as arrays, its first row the questions' names (Apps
    Script's getValues(), a CSV read as lists), as flat records: read as rows of
    values without names, each was an error and no sign was read (check 22). A title
    row or two above the header (a cell or two: "Week 20 check-ins") is left out, and
    a sheet given column by column (Google Sheets' majorDimension "COLUMNS": each
    list a column, its first cell the name) is turned; read as one record or as a
    record per question, every client was lost (check 27, H6)."""
    if len(items) < 2 or not all(isinstance(item, list) for item in items):
        return None
    lists = [item for item in items if isinstance(item, list)]  # every item, checked above
    if any(isinstance(cell, dict | list) for row in lists for cell in row[:MAX_NESTED_KEYS]):
        return None  # rows of records, not of values
    if all(len(row) == 2 for row in lists) and not _names_an_id_first(lists[0]):
        return None  # [question, answer] pairs: one record's answers (salvage reads them)
    top = next((at for at, row in enumerate(lists[: MAX_TITLE_ROWS + 1]) if a_header(row)), None)
    if top is not None and not all(_a_title(row) for row in lists[:top]):
        top = None
    first_cells = [row[0] if row else None for row in lists]
    by_rows = names_in(lists[top]) if top is not None and len(lists) > top + 1 else 0
    by_columns = names_in(first_cells) if a_header(first_cells) else 0
    if by_columns > by_rows:
        width = max(len(row) for row in lists)
        turned = [[row[at] if at < len(row) else "" for row in lists] for at in range(width)]
        header, rows = turned[0], turned[1:]
    elif by_rows and top is not None:
        header, rows = lists[top], lists[top + 1 :]
    else:
        return None
    names = [str(name) for name in header]
    return [
        {name: cell for name, cell in zip(names, row, strict=False) if cell != ""} for row in rows
    ]


MAX_TITLE_ROWS = 3  # rows of a title or a note above a sheet's header


def _names_an_id_first(row: list[JsonValue]) -> bool:
    """Whether a row starts with the id's column name ("id", "client"): a two-column
    sheet's header (a "Profile" of ids and ages: read as question/answer pairs, its
    ages were dropped without a word: check 27, M4), never a question/answer pair."""
    first = row[0] if row else None
    return isinstance(first, str) and (
        _record_field(first) == "id" or fold_key(first) in _NAME_COLUMNS
    )


def a_header(row: list[JsonValue]) -> bool:
    """Whether a row names the questions: every cell a name, some a question's or 'id'."""
    return bool(row) and all(isinstance(name, str) for name in row) and names_in(row) > 0


def _a_title(row: list[JsonValue]) -> bool:
    """Whether a row above a header is a title: one cell at most with anything in it."""
    return sum(cell not in ("", None) for cell in row[:MAX_NESTED_KEYS]) <= 1


def names_in(row: list[JsonValue]) -> int:
    """How many cells of a row name a question or the id."""
    return sum(
        isinstance(name, str) and (names_a_question(name) or _record_field(name) == "id")
        for name in row[:MAX_NESTED_KEYS]
    )


def flattened(items: list[JsonValue]) -> list[JsonValue]:
    """The items of a list, those of lists inside it in their place ([[record]])."""
    found: list[JsonValue] = []
    todo: list[JsonValue] = list(reversed(items))
    while todo:  # bounded by what was parsed: no record of it is left out
        item = todo.pop()
        if isinstance(item, list) and (not item or holds_an_object(item)):
            todo.extend(reversed(item))
        else:
            # A row of plain values (pandas' orient="values") is one item, an error
            # that says so: opened, every cell was an error of its own (391 of them).
            found.append(item)
    return found


def holds_an_object(items: list[JsonValue]) -> bool:
    """Whether a list holds an object, in it or in lists inside it."""
    todo = [items]
    while todo:  # bounded by what was parsed
        for item in todo.pop():
            if isinstance(item, dict):
                return True
            if isinstance(item, list):
                todo.append(item)
    return False
