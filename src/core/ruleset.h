// A ruleset as written in thresholds/*.yaml: fields, derived fields, parameters, named tests,
// the ordered decision list, secondary outputs, advisories and the temporal rule. This is the
// loaded, not yet compiled, form: expressions are still text with their file positions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/expr.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/text.h"
#include "core/units.h"
#include "core/value.h"

namespace epil {

struct EnumValue {
  std::string key;
  Text label;
  std::vector<std::string> aliases;
};

struct EnumDef {
  std::string name;  // the field that declares it
  std::vector<EnumValue> values;
  int find(std::string_view key) const;
};

enum class FieldKind { kInput, kDerived };

struct FieldDef {
  std::string key;
  FieldKind kind = FieldKind::kInput;
  Type type;
  std::string type_word;  // as written: number, money, bool, enum, date, string
  std::string unit;       // canonical unit for parsing input: 元, t, kg, m3, mu, times, …
  Text unit_label;        // how the unit is shown
  // How a cell of this field is written: units.yaml's entry for `unit` (set when the tree is
  // loaded), else the unit's own name as its only suffix.
  UnitDef number_unit;
  Text label;
  Text description;
  std::vector<std::string> aliases;         // header and flag aliases, any language
  std::string flag;                         // CLI flag name without dashes; default key with '-'
  std::optional<std::string> default_text;  // an input's documented default, e.g. none
  std::optional<double> min, max;           // a number input's allowed range
  bool required = false;  // a spreadsheet without this column is refused before any row
  Text limits_basis;      // the rule behind min/max, shown when a value is refused
  // The default is not assumed when this holds (another fact contradicts it: 危险废物 with
  // “no special pollutant”); the input is then unknown, and the reason says why.
  ExprText not_assumed_when;
  Text not_assumed_reason;
  // A date that cannot lie after the review date (a decision, an event): a later one is an
  // input error, as a conduct date after the review date is.
  bool not_after_review = false;
  // The default is the reading harsher for the person (积极配合执行 = 否, 第三条排除情形 = 无):
  // an outcome, output or result that rests on it says so beside it.
  bool default_harsher = false;
  ExprText expr;  // derived fields only
  // An input that, not given, is the sum of these inputs (执行标的 = 已履行部分 + 未履行部分,
  // as a published list gives it); given as well, it must equal their sum (io/completion.h).
  std::vector<std::string> sum_of;
  // An input that, not given, takes another input's value, shown as assumed as a default is
  // (a list's publication date for the decision date it does not give).
  std::string default_from;
  int line = 0, column = 0;
};

enum class Status { kOfficial, kReported, kProposed, kExample };
const char* status_key(Status s);
Text status_label(Status s);
std::optional<Status> parse_status(std::string_view s);

/// The document a value comes from.
struct Source {
  std::string document;  // e.g. 桂环规范〔2024〕1号
  std::string title;  // e.g. 《污染环境类违法案件生态环境损害显著轻微认定细则》
  std::string article;  // e.g. 第三条
  std::string url;
  std::string note;
};

/// One dated value: in force from `since` until the next value's `since`. An absent value
/// (`value: null`) means "not set from this date".
struct DatedValue {
  Date since;
  std::optional<Value> value;
  std::string value_text;  // as written, for strings and messages
  Source source;
  Status status = Status::kExample;
  std::optional<Date> last_checked;
  std::string file;
  int line = 0, column = 0;
};

struct ParamDef {
  std::string key;
  Type type;
  std::string type_word;
  std::string unit;
  Text unit_label;
  std::string index_field;  // an enum field, or empty
  int index_enum = -1;
  std::optional<double> min, max;
  Text label;
  Text description;
  int line = 0, column = 0;
};

struct TestDef {
  std::string key;
  Text label;
  ExprText expr;
  ExprText applies;        // empty: always applies
  bool otherwise = false;  // the test's value when it does not apply
  int line = 0, column = 0;
};

struct OutcomeDef {
  std::string key;
  Text label;
};

/// One entry of an ordered rule list: the first true condition decides; an empty
/// condition is the default and must come last.
struct RuleEntry {
  std::string id;
  std::string value;  // an outcome key (decisions) or an output value key (outputs)
  ExprText when;
  Text reason;
  int line = 0, column = 0;
};

struct OutputDef {
  std::string key;
  Text label;
  std::vector<OutcomeDef> values;
  std::vector<std::string> for_outcomes;  // empty: every outcome
  bool review_date = false;  // procedural: decided under the rules in force on the review date
  ExprText when;  // empty: always; else the output applies only where the question arises
  std::vector<RuleEntry> rules;
  int line = 0, column = 0;
};

struct AdvisoryDef {
  std::string id;
  ExprText when;
  Text message;  // may contain {field_or_param} placeholders
  std::vector<std::string> for_outcomes;
  int line = 0, column = 0;
};

/// A value a result reports beside its outcome: a derived date or amount (the end of a
/// publicity period, a deadline), shown with the facts it lacks when it cannot be computed.
struct ResultDef {
  std::string field;                      // a field key
  std::vector<std::string> for_outcomes;  // empty: every outcome
  ExprText when;                          // empty: always; else reported when it holds
  Text note;                              // its basis, shown with the value
  int line = 0, column = 0;
};

enum class TemporalRule { kConduct, kReview, kConductUnlessReviewMoreLenient };

/// Which date selects the thresholds. Default 从旧兼从轻: those in force on the conduct date,
/// unless those in force on the review date give a more lenient outcome.
struct TemporalDef {
  TemporalRule rule = TemporalRule::kConduct;
  std::string conduct_field;
  std::string review_field;
  std::vector<std::string> leniency;  // outcomes, most lenient first
  // For rule review_date: the date of the act the rules are applied to (a listing decision),
  // and why the review date's rules apply to it; the explanation says so when that date's
  // rules differ from the review date's.
  std::string act_field;
  Text why;
};

/// Dates that may not lie after the review date (fields' not_after_review): a decision or
/// event date after it is an input error, found before any rule is evaluated. Worked out
/// once per ruleset (Ruleset::late_dates) and asked per case.
struct LateDates {
  int review_field = -1;
  std::vector<int> fields;
  /// The first such input that lies after the review date, or -1. `inputs` holds the
  /// ruleset's input_count() values; `as_of` stands in for a review date not given.
  int first_late(const Value* inputs, Date as_of) const {
    const int32_t review = review_field >= 0 && inputs[review_field].known()
                               ? inputs[review_field].date
                               : as_of.days();
    for (int f : fields) {
      if (inputs[f].kind == Value::kDate && inputs[f].date > review) return f;
    }
    return -1;
  }
};

/// Who a list's row names. A published 失信被执行人名单 gives the debtor's name and ID number,
/// not the debtor's type or age: the columns holding them, and the inputs io/identity.h reads
/// from them where no column gives those inputs. Never a guess: an ID whose form and check
/// digit do not say, or a name without an organisation's ending, gives nothing. ID numbers
/// are personal data: read, never quoted in a message.
struct IdentityDef {
  Text name_label;
  std::vector<std::string> name_aliases;
  std::vector<std::string> organisation_endings;  // 公司, 厂, 合作社 …
  Text id_label;
  std::vector<std::string> id_aliases;
  // The enum input a type is read into, and its values for a person and an organisation.
  std::string type_field, person, organisation;
  // The number input an age in full years (周岁) is read into from a 身份证号码's birth date,
  // taken on the date `age_on` gives; when that date is unknown, the age is read only if it is
  // the same on every day between the latest known `age_not_before` date and the earliest
  // known `age_not_after` date (else it is an estimate, unknown to the rules).
  std::string age_field, age_on;
  std::vector<std::string> age_not_before, age_not_after;
  // The list's other columns (执行法院, 执行依据文号 …): carried through, not read, and not
  // reported as columns no field reads.
  std::vector<std::string> carried;
  int line = 0, column = 0;
  bool declared() const { return !name_aliases.empty() || !id_aliases.empty(); }
};

struct Ruleset {
  std::string id;
  std::string file;
  Text name;
  Text description;
  std::vector<OutcomeDef> outcomes;
  std::string undecided;  // the outcome given when several remain possible
  TemporalDef temporal;
  std::vector<FieldDef> fields;  // inputs first, then derived, in file order
  std::vector<EnumDef> enums;
  std::vector<int> field_enum;  // per field: its enum id or -1
  std::vector<ParamDef> params;
  std::vector<TestDef> tests;
  std::vector<RuleEntry> decisions;
  std::vector<OutputDef> outputs;
  std::vector<AdvisoryDef> advisories;
  std::vector<ResultDef> results;
  IdentityDef identity;

  int find_field(std::string_view key) const;
  int find_param(std::string_view key) const;
  int find_test(std::string_view key) const;
  int find_outcome(std::string_view key) const;
  int input_count() const;
  /// The check of dates that may not lie after the review date (fields' not_after_review).
  LateDates late_dates() const;
};

/// The names of a ruleset as its expressions see them: fields, parameters and tests.
class RulesetScope : public Scope {
 public:
  explicit RulesetScope(const Ruleset& rs) : rs_(rs) {}
  Symbol lookup(std::string_view name) const override;
  int enum_value(int enum_id, std::string_view key) const override;
  std::string enum_name(int enum_id) const override;
  std::vector<std::string> names() const override;

 protected:
  /// What field, parameter or test `id` is to an expression.
  Symbol symbol(SymbolKind kind, int id) const;
  const Ruleset& rs_;
};

/// Loads one ruleset file; problems go to `findings` with file:line:column. Returns nullopt
/// when the file cannot be read as a ruleset at all.
std::optional<Ruleset> load_ruleset(std::string_view text, const std::string& file,
                                    Findings& findings, const Limits& limits = Limits{});

}  // namespace epil
