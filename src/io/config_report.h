// A configuration tree for people and for programs: the regions it holds (`regions list`),
// every parameter of one region as in force on a date (`regions show`), and what a check of
// the tree found (`regions check`); text in 中文 or English, or JSON.
#pragma once

#include <string>

#include "core/config.h"
#include "core/text.h"

namespace epil::io {

enum class ReportFormat { kText, kJson };

/// Each region: id, code, parent, name, how many values it sets and of which status.
std::string render_region_list(const Config& config, Lang lang, ReportFormat format);

/// Every parameter of every ruleset as resolved for `region` (under `overlay`) on `date`, with
/// the region that set it, its status, source, dates, file and line. Every ruleset must
/// compile for the region (the caller has checked). `own`: only the values `region`'s own file
/// sets (in text, also those it sets from a later date), none of its parents' or an overlay's.
std::string render_region(Config& config, const Region& region, const Region* overlay, Date date,
                          Lang lang, ReportFormat format, bool own = false);

/// The findings of `checked` (already checked) and a count of rulesets, regions, errors and
/// warnings.
std::string render_check(const Config& checked, Lang lang, ReportFormat format);

}  // namespace epil::io
