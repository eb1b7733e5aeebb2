"""The questionnaire and rules files: the packaged ones are valid, broken ones fail with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.readiness.errors import DefinitionError
from advisor.readiness.questionnaire import DEFAULT_PATH, load_questionnaire
from advisor.readiness.results import Response
from advisor.readiness.rules import DEFAULT_PATH as RULES_PATH
from advisor.readiness.rules import load_rules
from advisor.readiness.scoring import visible_questions

DIMENSIONS = {
    "strategy",
    "process",
    "performance",
    "security",
    "governance",
    "people",
    "financial",
    "technology",
    "scope",
    "regulatory",
}


def _broken(tmp_path: Path, change, packaged: Path = DEFAULT_PATH) -> Path:  # type: ignore[no-untyped-def]
    """A copy of a packaged definition file (the questionnaire by default) with one change made to its data."""
    data = yaml.safe_load(packaged.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / packaged.name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _question(data: dict, question_id: str) -> dict:  # type: ignore[type-arg]
    return next(q for q in data["questions"] if q["id"] == question_id)


def test_packaged_questionnaire_has_55_to_70_questions_across_the_ten_dimensions() -> None:
    questionnaire = load_questionnaire()
    assert 55 <= len(questionnaire.questions) <= 70
    assert {d.id for d in questionnaire.dimensions} == DIMENSIONS
    assert {q.dimension for q in questionnaire.questions if q.scored} == DIMENSIONS


def test_packaged_questionnaire_uses_every_question_type_and_has_context_questions() -> None:
    questionnaire = load_questionnaire()
    assert {q.type for q in questionnaire.questions} == {"scale", "yes_partly_no", "single", "multi", "number", "text"}
    context = {q.id for q in questionnaire.questions if not q.scored}
    assert {"ctx_company_size", "ctx_industry", "ctx_functions", "ctx_priorities", "ctx_data_sensitivity"} <= context
    assert {"ctx_timezone", "ctx_languages"} <= context


def test_functions_offered_are_the_nine_knowledge_base_functions() -> None:
    functions = load_questionnaire().question("ctx_functions")
    assert functions is not None and len(functions.options) == 9


def test_yes_partly_no_questions_get_default_scores() -> None:
    question = load_questionnaire().question("str_sponsor")
    assert question is not None
    assert [(o.value, o.score) for o in question.options] == [("yes", 100), ("partly", 50), ("no", 0)]


def test_packaged_rules_load_against_the_questionnaire() -> None:
    rules = load_rules(load_questionnaire())
    assert {r.dimension for r in rules.risks} == DIMENSIONS
    assert [p.id for p in rules.roadmap] == ["business_case", "vendor_selection", "pilot", "transition", "governance"]


def test_missing_option_score_error_names_file_question_and_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, lambda d: _question(d, "str_fit")["options"][0].pop("score"))
    with pytest.raises(DefinitionError) as error:
        load_questionnaire(path)
    message = str(error.value)
    assert str(path) in message and "str_fit" in message and "score" in message


def test_wrong_field_type_error_names_question_and_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, lambda d: _question(d, "str_sponsor").update(weight="heavy"))
    with pytest.raises(DefinitionError, match=r"questions\[str_sponsor\]\.weight"):
        load_questionnaire(path)


def test_condition_on_a_later_question_is_rejected(tmp_path: Path) -> None:
    later = {"question": "str_fit", "equals": "x"}
    path = _broken(tmp_path, lambda d: _question(d, "ctx_company_size").update(condition=later))
    with pytest.raises(DefinitionError, match=r"ctx_company_size.*not asked before it"):
        load_questionnaire(path)


def test_unknown_dimension_is_rejected(tmp_path: Path) -> None:
    path = _broken(tmp_path, lambda d: _question(d, "str_fit").update(dimension="astrology"))
    with pytest.raises(DefinitionError, match=r"str_fit.*astrology"):
        load_questionnaire(path)


def test_scored_free_text_question_is_rejected(tmp_path: Path) -> None:
    path = _broken(tmp_path, lambda d: _question(d, "ctx_motivation").update(dimension="strategy"))
    with pytest.raises(DefinitionError, match=r"ctx_motivation.*cannot be scored"):
        load_questionnaire(path)


def test_invalid_yaml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("questions: [unclosed", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"broken\.yaml: not valid YAML"):
        load_questionnaire(path)


def test_rules_referring_to_unknown_question_are_rejected(tmp_path: Path) -> None:
    def ask_about_horoscopes(data: dict) -> None:  # type: ignore[type-arg]
        data["location"]["adjust"][0]["when"] = {"question": "ctx_horoscope", "equals": "leo"}

    path = _broken(tmp_path, ask_about_horoscopes, RULES_PATH)
    with pytest.raises(DefinitionError, match=r"location.adjust.*ctx_horoscope"):
        load_rules(load_questionnaire(), path)


def test_knock_out_capping_at_an_unknown_band_is_rejected(tmp_path: Path) -> None:
    def cap_at_a_made_up_band(data: dict) -> None:  # type: ignore[type-arg]
        data["knockouts"][0]["cap"] = "almost_ready"

    path = _broken(tmp_path, cap_at_a_made_up_band, RULES_PATH)
    with pytest.raises(DefinitionError, match=r"knockouts\[floor_strategy\]: cap 'almost_ready' is not a band"):
        load_rules(load_questionnaire(), path)


def test_knock_out_on_an_unknown_question_is_rejected(tmp_path: Path) -> None:
    def knock_out_on_a_missing_question(data: dict) -> None:  # type: ignore[type-arg]
        data["knockouts"][-1]["when"] = {"question": "gov_exit_strategy", "equals": "no"}

    path = _broken(tmp_path, knock_out_on_a_missing_question, RULES_PATH)
    with pytest.raises(DefinitionError, match=r"knockouts\[regulated_without_exit_plan\].*gov_exit_strategy"):
        load_rules(load_questionnaire(), path)


def test_every_dimension_has_a_knock_out_floor_in_the_packaged_rules() -> None:
    rules = load_rules(load_questionnaire())
    floors = {k.when.dimension for k in rules.knockouts if k.when.dimension}
    assert floors == DIMENSIONS


@pytest.mark.parametrize(("regulated", "shown"), [("financial", True), ("other", True), ("none", False)])
def test_regulated_module_is_shown_only_to_supervised_firms(regulated: str, shown: bool) -> None:
    questionnaire = load_questionnaire()
    answers = {"ctx_regulated": Response(question_id="ctx_regulated", status="answered", value=regulated)}
    visible = {q.id for q in visible_questions(questionnaire, answers)}
    module = {"reg_critical", "reg_notification", "reg_sub_outsourcing", "reg_concentration"}
    assert (module <= visible) is shown and (module & visible == set()) is not shown


def test_every_scored_question_explains_why_it_is_asked_in_a_sentence() -> None:
    for question in load_questionnaire().questions:
        assert len(question.help.split()) >= 6 and question.help.endswith("."), question.id
