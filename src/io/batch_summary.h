// Internal to batch screening: what a run's summary says of the columns no field reads.
#pragma once

#include <string>
#include <vector>

#include "io/batch.h"
#include "io/header_map.h"
#include "io/normalize.h"

namespace epil::io::detail {

/// The columns no field reads, into `summary`: all counted, the first few listed with the
/// fields close to them.
void list_unmatched(const Ruleset& rs, const std::vector<std::string>& header, const HeaderMap& map,
                    const FieldIndex& index, BatchSummary& summary);

}  // namespace epil::io::detail
