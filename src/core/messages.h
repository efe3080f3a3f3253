// The sentences epil says to people, 中文 and English side by side, each under the stable code
// that findings, JSON and tests use. One table (messages.cpp) to read, translate and keep
// consistent: what a case and a spreadsheet row are told about the same problem is one entry.
// Arguments are positional ({0}, {1} …); a Text argument is given in the language of each
// sentence (a field's label in 中文 in the Chinese one).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "core/finding.h"
#include "core/text.h"

namespace epil {

enum class Msg : uint16_t {
  kRowPrefix,
  kUnknownRuleset,
  kUnknownRegion,
  kUnknownOverlay,
  kBadDateOption,
  kConductAfterReview,
  kInputAfterReview,
  kCheckConductDate,
  kCheckInputDate,
  kStrictBeforeFirstValue,
  kSetSyntax,
  kSetUnknownField,
  kFieldValue,
  kMapSyntax,
  kInputFormatUnknown,
  kOutputFormatUnknown,
  kSummaryJsonIsOutput,
  kXlsxCreateFailed,
  kAliasUsage,
  kNoDefaultRuleset,
  kTestFileUnreadable,
  kCheckSummary,
  kBuiltInConfiguration,
  kCannotWriteOutput,
  kWritingOutputFailed,
  kScreeningStopped,
  kMapUnknownField,
  kUnitMismatch,
  kDuplicateColumn,
  kMissingColumn,
  kNoRegionColumn,
  kNotRegularFile,
  kConfigDirMissing,
  kConfigSubdirMissing,
  // How a case's values are read (io/case_input.cpp).
  kExpectedYesNo,
  kExpectedInRange,
  kExpectedNumber,
  kExpectedDate,
  kExpectedOneOf,
  kUnreadableType,
  kFieldTwice,
  kCaseFileUnreadable,
  kCaseNotYaml,
  kCaseNotMapping,
  kCaseSingleValue,
  kCaseUnknownField,
  kCaseFieldValue,
  kCaseMoreUnknownFields,
  // YAML and reading it (core/yaml.cpp, core/yaml_util.cpp)
  kYamlSyntax,
  kSyntaxWithDetail,
  kSecondDocument,
  kValueTooLong,
  kMergeKey,
  kNestedTooDeep,
  kUnknownAlias,
  kAliasCycle,
  kAliasExpansion,
  kTooManyKeys,
  kDuplicateKey,
  kNotMapping,
  kUnknownKeyIgnored,
  kNotSingleValue,
  kMissingKey,
  kBadDate,
  kBadNumber,
  kBadBool,
  kNotList,
  // Calendars (core/calendar.cpp)
  kDateRange,
  kUnknownKey,
  kUnknownKeyDidYouMean,
  kBadYear,
  kCalendarSourceRequired,
  kNoticeDocumentRequired,
  kNoticeTitleRequired,
  kChineseNameRequired,
  kHolidayToBeforeFrom,
  kHolidayOutsideYear,
  kHolidayBeyondYear,
  kWorkingNotList,
  kWorkingDayNotWeekend,
  kWorkingDayOutsideYear,
  kHolidayOverlap,
  kWorkingDayInHoliday,
  kWorkingDayListedTwice,
  kCalendarNotMapping,
  kCalendarStatusRequired,
  kBadCalendarStatus,
  kHolidaysNotList,
  kStatutoryNotList,
  kStatutoryNotOfficial,
  kStatutoryDaysNotList,
  kBadMonthDay,
  kCalendarYearTwice,
  kHolidayOverlapAcross,
  kWorkingDayInHolidayAcross,
  kCalendarGap,
  kCalendarNextYearDue,
  kCalendarExpired,
  // Rulesets (core/ruleset.cpp)
  kTooManyOutcomesFound,
  kEnumNeedsValues,
  kTooManyValues,
  kBadFieldType,
  kBadName,
  kBadEnumOf,
  kExprRequired,
  kFieldDeclaredTwice,
  kNotAssumedWhenNeeds,
  kBadParameterType,
  kBadIndex,
  kNameDeclaredTwice,
  kTestNeedsOtherwise,
  kBadOutputDate,
  kBadTemporalRule,
  kRulesetNotMapping,
  // Regions (core/region.cpp)
  kNotDatedValues,
  kSinceRequired,
  kValueRequired,
  kValueOutOfRange,
  kBadStatus,
  kNoSourceDocument,
  kRegionNotMapping,
  kParametersOfUnknownRuleset,
  kUnknownParameter,
  kNotIndexValue,
  // units.yaml and presentation.yaml (core/units.cpp, core/presentation.cpp)
  kPrefixNotFolded,
  kSuffixNotFolded,
  kBadMultiplier,
  kUnitDefinedTwice,
  kBadColour,
  kCommandsNotList,
  kCommandNeedsWords,
  kBadRuns,
  // The tree as a whole (core/config.cpp)
  kRulesetDefinedTwice,
  kAliasClash,
  kRegionIdTwice,
  kRootCount,
  kUnknownParent,
  kRegionCycle,
  kDatesOverlap,
  kDatesUnsorted,
  kStaleValue,
  kFutureValue,
  kNoCalendars,
  kCommandClash,
  kNoSuchOutcome,
  // Compiling a ruleset (core/compile.cpp)
  kMayOverflow,
  kPastLargestNumber,
  kNotAssumedWhenReadsInputs,
  kDescentTooDeep,
  kDefinitionCycle,
  kNotOutcome,
  kNotDeclaredValue,
  kUnreachableEntry,
  kLastEntryHasWhen,
  kNoDecisions,
  kTooManyOutcomes,
  kUndecidedNotOutcome,
  kTooManyOutputs,
  kUnknownPlaceholder,
  kAdvisoryNeedsWhen,
  kTooManyAdvisories,
  kResultNotField,
  kBadTemporalField,
  kLeniencyNotOutcome,
  kLeniencyIncomplete,
  // Expressions (core/expr.cpp)
  kExprSyntax,
  kExprTooDeep,
  kExprTooLarge,
  kMisplacedList,
  kExpectsType,
  kNotEnumValue,
  kUnknownName,
  kUnknownNameDidYouMean,
  kIndexRequired,
  kNotIndexedParameter,
  kComparesUnits,
  kCannotCompare,
  kNoOrder,
  kInExpectsList,
  kListItemType,
  kArithmeticNeedsNumbers,
  kArity,
  kUnknownFunction,
  kBranchesDiffer,
  kTakesInputField,
  kTakesParameter,
  kExpressionType,
  // Reading a whole file (io/whole_file.cpp).
  kCannotOpenFile,
  kCannotReadFile,
  kIsDirectory,
  kFileTooLarge,
  // Output files (io/output_file.cpp).
  kStandardOutput,
  kOutputWriteFailed,
  kOutputProblem,
  kOutputIsInput,
  kOutputCannotWrite,
  kOutputIsDirectory,
  kOutputDanglingLink,
  kOutputExists,
  kOutputNoTemporary,
  kOutputAppeared,
  // The table readers, said alike by two or three of them (io/csv_reader.cpp,
  // io/jsonl_reader.cpp, io/xlsx_reader.cpp).
  kTableQuoted,
  kTableNoSuchFile,
  kTableNoPermission,
  kTableCannotOpen,
  kTableIsDirectory,
  kTableReadFailed,
  kTableRowOutOfMemory,
  kTableOpenOutOfMemory,
  // The CSV reader (io/csv_reader.cpp).
  kCsvTab,
  kCsvReadAsUtf8,
  kCsvReadAsGb18030,
  kCsvCutOff,
  kCsvBadBytes,
  kCsvRowTooLong,
  kCsvUnclosedQuote,
  kCsvAfterClosingQuote,
  kCsvTooManyColumns,
  kCsvBadDelimiter,
  kCsvEmptyFile,
  kCsvCannotDecode,
  kCsvNoHeader,
  // The XLSX reader (io/xlsx_reader.cpp).
  kXlsxOverLimit,
  kXlsxCellTooLong,
  kXlsxOutOfMemory,
  kXlsxTagTooLong,
  kXlsxTooDeep,
  kXlsxDoctype,
  kXlsxMalformedXml,
  kXlsxCannotReadPart,
  kXlsxPartTooLarge,
  kXlsxTooMany,
  kXlsxRelationships,
  kXlsxSheets,
  kXlsxNumberFormats,
  kXlsxCellFormats,
  kXlsxSharedStrings,
  kXlsxSharedStringBytes,
  kXlsxBadRowNumber,
  kXlsxBadCellReference,
  kXlsxTooManyCells,
  kXlsxBadSharedString,
  kXlsxRowTooLong,
  kXlsxIsXls,
  kXlsxEmptyFile,
  kXlsxNotZip,
  kXlsxCannotOpenZip,
  kXlsxTooManyEntries,
  kXlsxTwinEntries,
  kXlsxNoWorkbook,
  kXlsxLooksLikeOds,
  kXlsxWordOrPowerPoint,
  kXlsxNoWorksheet,
  kXlsxNoSuchSheet,
  kXlsxNotWorksheet,
  kXlsxMissingPart,
  kXlsxMissingSheetPart,
  kXlsxCannotRead,
  // The JSON Lines reader (io/jsonl_reader.cpp).
  kJsonlEndOfLine,
  kJsonlControlCharacter,
  kJsonlBytes,
  kJsonlAt,
  kJsonlInValueOf,
  kJsonlValueTooLong,
  kJsonlTooManyKeys,
  kJsonlAtLeast,
  kJsonlLineTooLong,
  kJsonlExpected,
  kJsonlNotUtf8,
  kJsonlClosingQuote,
  kJsonlHexDigits,
  kJsonlEscape,
  kJsonlControlInString,
  kJsonlLoneLowSurrogate,
  kJsonlNoLowSurrogate,
  kJsonlDigitAfterMinus,
  kJsonlLeadingZero,
  kJsonlDigitAfterPoint,
  kJsonlDigitInExponent,
  kJsonlValue,
  kJsonlLineGrew,
  kJsonlKey,
  kJsonlColonAfterKey,
  kJsonlCommaOrClose,
  kJsonlAnObject,
  kJsonlAnArray,
  kJsonlAString,
  kJsonlANumber,
  kJsonlObjectPerLine,
  kJsonlLineIs,
  kJsonlKeyNotSeen,
  kJsonlKeyTwice,
  kJsonlKeyOrClose,
  kJsonlColonAfterNamedKey,
  kJsonlCommaOrCloseAfterValue,
  kJsonlEndAfterObject,
  kJsonlCannotMapCopy,
  kJsonlCannotCopyStream,
  kJsonlNoObject,
  // The XLSX writer (io/xlsx_writer.cpp).
  kXlsxOutputTooWide,
  kXlsxOutputTooLong,
  kXlsxCellNotWritten,
  kXlsxWriteFailed,
  // Reports of one case (issue 14).
  kBriefNeedsText,
  // Places and administrative divisions (issue 14).
  kDivisionLine,
  kDivisionCodeTwice,
  kDivisionNoParent,
  kDivisionEditionTwice,
  kRegionCodeNotDivision,
  kUnknownRegionDidYouMean,
  kPlaceAmbiguous,
  kPlaceCandidate,
  kPlaceCodeUnknown,
  kPlaceHeading,
  kPlaceUnconfigured,
};

struct MessageEntry {
  Msg id;
  std::string_view code;  // the finding code, as in "error[unknown-region]"
  std::string_view zh;
  std::string_view en;
};

/// Every entry, in the order of Msg.
std::span<const MessageEntry> messages();
const MessageEntry& message_entry(Msg m);

namespace message_detail {
inline const std::string& in(const Text& t, Lang lang) { return t.in(lang); }
template <class T>
const T& in(const T& value, Lang) {
  return value;
}
}  // namespace message_detail

/// The entry's two sentences with `args` put in.
template <class... A>
Text message(Msg m, const A&... args) {
  const MessageEntry& e = message_entry(m);
  return {fmt::format(fmt::runtime(e.zh), message_detail::in(args, Lang::kZh)...),
          fmt::format(fmt::runtime(e.en), message_detail::in(args, Lang::kEn)...)};
}

/// Adds the entry's error (its code, both sentences) to `findings`.
template <class... A>
void add_error(Findings& findings, Msg m, std::string file, int line, int column,
               const A&... args) {
  const Text t = message(m, args...);
  findings.error(std::string(message_entry(m).code), std::move(file), line, column, t.en, t.zh);
}

/// Adds the entry's warning (its code, both sentences) to `findings`.
template <class... A>
void add_warning(Findings& findings, Msg m, std::string file, int line, int column,
                 const A&... args) {
  const Text t = message(m, args...);
  findings.warning(std::string(message_entry(m).code), std::move(file), line, column, t.en, t.zh);
}

}  // namespace epil
