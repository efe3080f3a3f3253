// Internal to batch screening: the shapes of cases a run has met, shared by its workers, each
// with the texts of the rows of that shape (core/shape_index.h says how a shape is found).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/explain.h"
#include "core/shape_index.h"
#include "core/stable_array.h"

namespace epil::io::detail {

// The appended cells of a screened row as they follow from its decision: texts fixed for
// every row of the same shape, and places for the cells each row computes from its own
// amounts and dates (reported results, the margin, advisories that quote the row's values).
struct RowTemplate {
  enum Kind : uint8_t { kText, kResult, kMargin, kAdvisories };
  struct Part {
    Kind kind = kText;
    int arg = -1;           // kResult: the result
    std::string_view text;  // kText: the worker's (make_template), copied by pack();
                            // encoded by the writer (TableWriter::encode_added) if it encodes
    int cells = 1;          // kText: the cells it holds (adjacent encoded texts are one part)
  };
  std::vector<Part> parts;
  int value_node = -1, threshold_node = -1;  // kMargin: the comparison shown
  std::vector<MessagePart> message;          // kAdvisories: texts and the fields quoted
  bool beyond_calendar = false;              // a reported date falls beyond the holiday calendars
};

// A shape as the rows of it read it, in one piece: the decision's fields every row needs, the
// template's parts, then their texts. The rows that find a remembered shape read this and
// nothing else of it, from one place (a shape's decision and texts in separate allocations
// cost a row several cache misses, one after another).
struct PackedShape {
  struct Part {
    RowTemplate::Kind kind;
    uint16_t cells;         // kText: the cells it holds
    int32_t arg;            // kResult: the result
    uint32_t offset, size;  // kText: its bytes, from the start of the record
  };
  int32_t epoch;  // of the thresholds read (CompiledRuleset::recall)
  int16_t outcome;
  uint8_t unreadable;  // 1: the conduct date is after the review date; 2: strict, no value
  int32_t value_node, threshold_node;       // kMargin: the comparison shown
  const std::vector<MessagePart>* message;  // kAdvisories: texts and the fields quoted
  uint32_t n_parts, bytes;                  // bytes: the whole record's, a multiple of 8

  const Part* parts() const { return reinterpret_cast<const Part*>(this + 1); }
  std::string_view text(const Part& part) const {
    return {reinterpret_cast<const char*>(this) + part.offset, part.size};
  }
};
static_assert(std::is_trivially_copyable_v<PackedShape> && alignof(PackedShape) <= 8);

// The shapes remembered in a run, shared by its workers (core/shape_index.h): a shape one
// worker evaluated is found by all, so a file's shapes are each evaluated about once.
// Looking up takes no lock; remembering a new shape does.
struct ShapeStore {
  // 32,768 shapes: a file of more shapes evaluates the rows of the rest one by one. The
  // corrected rulesets tell more situations apart (about 27,000 shapes in the 1M-row bench
  // file, 25,000 in the debtors'); at the cap a 10M-row run stays near 51 MiB.
  static constexpr size_t kMaxShapes = 32768;
  // Fields no column gives keep their start value on every row: constant to the index.
  // `max_shapes` is at most kMaxShapes, fewer for a small file (room reserved in proportion
  // to the input: a 14-row file needs no 100 MB of address space).
  ShapeStore(size_t max_shapes, const std::vector<bool>& constant_inputs)
      : index(max_shapes, constant_inputs), records(max_shapes * 256) {}
  ShapeIndex index;  // payload: where the shape's record starts in `records`, in words
  std::mutex mu;     // guards what follows, and index.add()
  // The records, one after another (about 600 bytes a shape; room for 2 KB a shape is
  // reserved): a record is written before add() links it, and read by finders while later
  // ones are added.
  StableArray<uint64_t> records;
  std::deque<std::vector<MessagePart>> messages;  // the records' advisories split for filling

  const PackedShape& record(int at) const {
    return *reinterpret_cast<const PackedShape*>(&records[static_cast<size_t>(at)]);
  }
};

// Room for the shapes a file may have: a row takes at least a byte per column (its separators),
// and four times that allows for a compressed input (XLSX). A file of unknown size (a pipe)
// gets the full room.
inline size_t shape_room(uint64_t file_bytes, size_t columns) {
  if (file_bytes == 0) return ShapeStore::kMaxShapes;
  return static_cast<size_t>(std::clamp<uint64_t>(4 * file_bytes / std::max<size_t>(1, columns),
                                                  256, ShapeStore::kMaxShapes));
}

}  // namespace epil::io::detail
