// ShapeIndex: decisions remembered by case shape, for screening many cases. A case's decision
// (outcome, outputs, reasons, missing facts, advisories, the tests and thresholds used) is a
// function of its shape: the epochs of thresholds it reads and the ShapeSteps its evaluation
// took — which inputs were given, the values of yes/no and enum inputs, and whether each
// comparison of an amount, date or text held. Cases of one shape differ only in the numbers and
// dates computed from their amounts and dates.
//
// The index is a decision tree grown from evaluated cases: each of its nodes names the next
// observed node the evaluation read (but inputs the caller says are constant), and branches on
// that node's shape; a leaf holds the caller's payload (a decision and its texts). Looking a
// case up evaluates only the observed nodes on its path, so a file of many cases of few
// shapes evaluates each shape's rules once.
//
// One index serves every thread of a batch: find() takes no lock and may run while one add()
// grows the tree (callers serialise add()). The tree only grows, in storage that never moves,
// and a link to a new node is published after the node is written, so a reader sees either
// the path before an add or after it — a path seen half-grown ends early, a miss, never a
// wrong leaf.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/program.h"
#include "core/stable_array.h"

namespace epil {

class ShapeIndex {
 public:
  /// At most `max_shapes` leaves; cases of shapes beyond that are evaluated one by one.
  /// `constant_inputs[i]` says input i has one value in every case the index will see (in a
  /// batch: a field no column of the file gives). A step reading such an input, or asking
  /// given() of it, would always take the same branch, so paths leave it out: shorter walks,
  /// and a smaller tree. add() refuses a trace that shows such an input with another shape
  /// than before.
  explicit ShapeIndex(size_t max_shapes, const std::vector<bool>& constant_inputs = {});
  ~ShapeIndex();
  ShapeIndex(const ShapeIndex&) = delete;
  ShapeIndex& operator=(const ShapeIndex&) = delete;

  /// The payload of the shape of the case that `program.prepare_shape()` readied in `ws`
  /// with `key`, or -1 when the index has not seen it. Leaves `ws` reading that case.
  /// Safe while another thread is in add().
  int find(const CompiledRuleset& program, uint64_t key, Workspace& ws) const;

  /// Remembers `payload` for the shape `steps` (traced by evaluate() and the explanation
  /// that followed it, Workspace::trace_into) of a case readied with `key`. False when the
  /// index is full, or when the steps contradict the tree or are there already (then nothing
  /// changes). One add() at a time: the caller holds a lock.
  bool add(const CompiledRuleset& program, uint64_t key, const std::vector<ShapeStep>& steps,
           int payload);

  size_t shapes() const { return shapes_.load(std::memory_order_relaxed); }
  /// Tree nodes grown so far (for tests and reports), when no add() is running.
  size_t nodes() const { return tree_.size(); }
  bool full() const { return shapes() >= max_shapes_; }

 private:
  // The tree lies in one array in the order it grew: the nodes a new shape adds follow one
  // another, so walking a path reads memory mostly in order. A node's first branch is kept in
  // the node itself (most nodes have one); further branches are chained. The fields a reader
  // may see change are atomic; the others are written before the node is linked.
  struct TreeNode {
    // >= 0: the observed node read next; -1: a leaf or a root not grown yet; <= -2: a leaf
    // holding payload -2 - node.
    std::atomic<int32_t> node{-1};
    int16_t epoch = -1;  // written before `node`, as are the two that follow
    // The input `node` reads, if it is one, and whether its not_assumed_when holds on this
    // path (the steps before decide it): a lookup then reads the input in place.
    int16_t input : 15 = -1;
    uint16_t withheld_when : 1 = 0;
    uint32_t shape = 0;  // the first branch: this shape leads to tree node `next`
    std::atomic<int32_t> next{-1};
    std::atomic<int32_t> more{-1};  // the first further branch, or -1
  };
  static_assert(sizeof(TreeNode) == 20, "three tree nodes to a cache line, nearly");
  struct Branch {  // never changes once linked
    uint32_t shape = 0;
    int32_t next = -1;
    int32_t more = -1;
  };
  // Roots by (program, key), open addressing in a table that never moves.
  struct Root {
    std::atomic<bool> full{false};  // the other fields are written before this
    const CompiledRuleset* program = nullptr;
    uint64_t key = 0;
    int32_t tree = -1;
  };
  static size_t slot_of(const CompiledRuleset* program, uint64_t key) {
    return static_cast<size_t>(
        (key * 0x9e3779b97f4a7c15ULL ^ reinterpret_cast<uintptr_t>(program)) >> 17);
  }
  int32_t child(const TreeNode& n, uint32_t shape) const {
    int32_t next = n.next.load(std::memory_order_acquire);
    if (next >= 0 && n.shape == shape) return next;
    for (int32_t b = n.more.load(std::memory_order_acquire); b >= 0; b = branches_[b].more) {
      if (branches_[b].shape == shape) return branches_[b].next;
    }
    return -1;
  }
  const Root* find_root(const CompiledRuleset* program, uint64_t key) const;
  void add_branch(int32_t t, uint32_t shape, int32_t next);

  // Per input, and after them per given() of an input: kFree, or for a constant one the shape
  // it was seen with (kUnseen before any). A trace that reads a constant input with another
  // shape shows the caller's promise broken, and is refused. find() cannot check the promise
  // (it never reads those inputs): the caller must keep it.
  static constexpr int64_t kFree = -2, kUnseen = -1;
  int64_t* constant(const CompiledRuleset& program, int node) {
    const size_t inputs = constant_shapes_.size() / 2;
    int input = program.input_of(node);
    const bool asks = input < 0;
    if (asks) input = program.given_of(node);
    if (input < 0 || static_cast<size_t>(input) >= inputs) return nullptr;
    int64_t& shape = constant_shapes_[(asks ? inputs : 0) + static_cast<size_t>(input)];
    return shape == kFree ? nullptr : &shape;
  }

  size_t max_shapes_;
  std::vector<int64_t> constant_shapes_;
  std::atomic<size_t> shapes_{0};
  size_t roots_used_ = 0;
  std::vector<Root> roots_;  // sized once; a power of two
  StableArray<TreeNode> tree_;  // in the order it grew
  StableArray<Branch> branches_;
};

}  // namespace epil
