// Internal to batch screening (io/batch.h): a worker screens batches of rows. It reads each
// row's cells into the case's values (remembering what each column's texts read as), screens
// the case or recalls the decision of a shape met before, and writes the appended cells.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/batch_rows.h"
#include "io/shape_store.h"

namespace epil::io::detail {

class Worker {
 public:
  /// `encoder`: the writer, when it encodes rows on the workers (TableWriter::encodes()).
  Worker(const Shared& s, ShapeStore& store, const TableWriter* encoder);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Screens every row of `b`: its outcome, region and appended cells (or their encoding).
  void process(Batch& b);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// The headers of the columns a worker appends, in the order it writes them (added_keys()
/// gives their machine keys).
std::vector<std::string> added_header(const Ruleset& rs, Lang lang);

}  // namespace epil::io::detail
