// ShapeIndex: decisions remembered by case shape, for screening many cases. A case's decision
// (outcome, outputs, reasons, missing facts, advisories, the tests and thresholds used) is a
// function of its shape: the epochs of thresholds it reads and the ShapeSteps its evaluation
// took — which inputs were given, the values of yes/no and enum inputs, and whether each
// comparison of an amount, date or text held. Cases of one shape differ only in the numbers and
// dates computed from their amounts and dates.
//
// The index is a decision tree grown from evaluated cases: each of its nodes names the next
// observed node the evaluation read, and branches on that node's shape; a leaf holds the
// caller's payload (a decision and its texts). Looking a case up evaluates only the observed
// nodes on its path, so a file of many cases of few shapes evaluates each shape's rules once.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/program.h"

namespace epil {

class ShapeIndex {
 public:
  /// At most `max_shapes` leaves; cases of shapes beyond that are evaluated one by one.
  explicit ShapeIndex(size_t max_shapes) : max_shapes_(max_shapes) {}

  /// The payload of the shape of the case that `program.prepare_shape()` readied in `ws`
  /// with `key`, or -1 when the index has not seen it. Leaves `ws` reading that case.
  int find(const CompiledRuleset& program, uint64_t key, Workspace& ws) const;

  /// Remembers `payload` for the shape `steps` (traced by evaluate() and the explanation
  /// that followed it, Workspace::trace_into) of a case readied with `key`. False when the
  /// index is full, or when the steps contradict the tree (then nothing changes).
  bool add(const CompiledRuleset& program, uint64_t key, const std::vector<ShapeStep>& steps,
           int payload);

  size_t shapes() const { return shapes_; }

 private:
  // The tree lies in flat arrays in the order it grew: the nodes a new shape adds follow one
  // another, so walking a path reads memory mostly in order. A node's first branch is kept in
  // the node itself (most nodes have one); further branches are chained in `branches_`.
  struct TreeNode {
    int32_t node = -1;  // the observed node read next; -1 for a leaf or a root not grown yet
    int32_t epoch = -1;
    int32_t payload = -1;
    uint32_t shape = 0;  // the first branch: this shape leads to tree node `next`
    int32_t next = -1;
    int32_t more = -1;  // the first further branch, or -1
  };
  struct Branch {
    uint32_t shape;
    int32_t next;
    int32_t more;
  };
  struct RootHash {
    size_t operator()(const std::pair<const CompiledRuleset*, uint64_t>& k) const {
      return std::hash<uint64_t>()(k.second * 0x9e3779b97f4a7c15ULL ^
                                   reinterpret_cast<uintptr_t>(k.first));
    }
  };

  int32_t child(const TreeNode& n, uint32_t shape) const {
    if (n.next >= 0 && n.shape == shape) return n.next;
    for (int32_t b = n.more; b >= 0; b = branches_[b].more) {
      if (branches_[b].shape == shape) return branches_[b].next;
    }
    return -1;
  }
  void add_branch(int32_t t, uint32_t shape, int32_t next);

  size_t max_shapes_;
  size_t shapes_ = 0;
  std::unordered_map<std::pair<const CompiledRuleset*, uint64_t>, int32_t, RootHash> roots_;
  std::vector<TreeNode> tree_;
  std::vector<Branch> branches_;
};

}  // namespace epil
