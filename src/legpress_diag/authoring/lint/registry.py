"""Every lint check, by its stable code. Retired codes are never reused.

Codes: LP0xx reading YAML, LP1xx the file schema, LP2xx names and references
(found while loading), LP3xx analysis of a rule base that loads (LP318 and LP319
check the `# lint: disable=` comments themselves). Adding a check
means adding its module to ``checks/`` and importing it here (statically, so the
type checker and import-linter see every check); the meta-tests then require its
docstring examples and run them.
"""

from __future__ import annotations

from types import ModuleType

from .checks import (
    lp001_yaml_syntax,
    lp002_unreadable_file,
    lp003_yaml_alias,
    lp004_yaml_tag,
    lp005_duplicate_key,
    lp006_too_large,
    lp101_unknown_field,
    lp102_invalid_value,
    lp201_duplicate_id,
    lp202_condition_syntax,
    lp203_unknown_name,
    lp204_not_a_choice,
    lp205_wrong_type,
    lp206_unknown_reference,
    lp207_screen_replaced,
    lp208_explains_cycle,
    lp301_yaml11_trap,
    lp302_threshold_out_of_range,
    lp303_fact_cycle,
    lp304_certainty_range,
    lp305_never_fires,
    lp306_unused_question,
    lp307_unused_fix,
    lp308_unused_alternative,
    lp309_cause_without_fixes,
    lp310_missing_source,
    lp311_duplicate_rule,
    lp312_subsumed_rule,
    lp313_unreachable_cause,
    lp314_coverage_gap,
    lp315_unused_fact,
    lp316_unused_choice,
    lp317_control_character,
    lp318_unknown_suppression,
    lp319_unused_suppression,
    lp320_advice_in_referral,
    lp321_walk_cut_short,
    lp322_related_words_unread,
)

MODULES: tuple[ModuleType, ...] = (
    lp001_yaml_syntax,
    lp002_unreadable_file,
    lp003_yaml_alias,
    lp004_yaml_tag,
    lp005_duplicate_key,
    lp006_too_large,
    lp101_unknown_field,
    lp102_invalid_value,
    lp201_duplicate_id,
    lp202_condition_syntax,
    lp203_unknown_name,
    lp204_not_a_choice,
    lp205_wrong_type,
    lp206_unknown_reference,
    lp207_screen_replaced,
    lp208_explains_cycle,
    lp301_yaml11_trap,
    lp302_threshold_out_of_range,
    lp303_fact_cycle,
    lp304_certainty_range,
    lp305_never_fires,
    lp306_unused_question,
    lp307_unused_fix,
    lp308_unused_alternative,
    lp309_cause_without_fixes,
    lp310_missing_source,
    lp311_duplicate_rule,
    lp312_subsumed_rule,
    lp313_unreachable_cause,
    lp314_coverage_gap,
    lp315_unused_fact,
    lp316_unused_choice,
    lp317_control_character,
    lp318_unknown_suppression,
    lp319_unused_suppression,
    lp320_advice_in_referral,
    lp321_walk_cut_short,
    lp322_related_words_unread,
)

CHECKS: dict[str, ModuleType] = {module.CODE: module for module in MODULES}
RETIRED: frozenset[str] = frozenset()
