#include "core/shape_index.h"

#include <algorithm>
#include <climits>

namespace epil {

namespace {
// A shape's path is one tree node per observed step, most shared with other shapes: the
// shipped rulesets add about 12 a shape (fewer when inputs are constant). Room for 64 a shape
// is reserved, not used: a page (a huge page where the system gives them) becomes memory when
// a node is written there.
constexpr size_t kNodesPerShape = 64;
constexpr size_t kMaxNodes = size_t{1} << 24;
// (program, epochs, flags) combinations: a few dozen per region's program, and a file may name
// all 31 provinces; half the table may fill.
constexpr size_t kRoots = size_t{1} << 14;
}  // namespace

ShapeIndex::ShapeIndex(size_t max_shapes, const std::vector<bool>& constant_inputs)
    : max_shapes_(max_shapes),
      constant_shapes_(2 * constant_inputs.size(), kFree),
      roots_(kRoots),
      tree_(std::min(kMaxNodes, std::max<size_t>(1, max_shapes) * kNodesPerShape)),
      branches_(std::min(kMaxNodes, std::max<size_t>(1, max_shapes) * kNodesPerShape)) {
  for (size_t i = 0; i < constant_inputs.size(); ++i) {
    if (!constant_inputs[i]) continue;
    constant_shapes_[i] = kUnseen;                             // reading it
    constant_shapes_[constant_inputs.size() + i] = kUnseen;  // asking given() of it
  }
}

ShapeIndex::~ShapeIndex() = default;

const ShapeIndex::Root* ShapeIndex::find_root(const CompiledRuleset* program,
                                              uint64_t key) const {
  size_t mask = roots_.size() - 1;
  for (size_t i = slot_of(program, key) & mask;; i = (i + 1) & mask) {
    const Root& r = roots_[i];
    if (!r.full.load(std::memory_order_acquire)) return nullptr;
    if (r.program == program && r.key == key) return &r;
  }
}

int ShapeIndex::find(const CompiledRuleset& program, uint64_t key, Workspace& ws) const {
  const Root* root = find_root(&program, key);
  if (!root) return -1;
  int32_t t = root->tree;
  for (;;) {
    const TreeNode& n = tree_[t];
    int32_t node = n.node.load(std::memory_order_acquire);
    if (node < 0) return node == -1 ? -1 : -2 - node;
    // Most nodes have one branch: its node loads while this one's shape is worked out.
    if (int32_t next = n.next.load(std::memory_order_acquire); next >= 0) {
      __builtin_prefetch(&tree_[next]);
    }
    // An input is read in place (most steps are inputs); other nodes are evaluated.
    uint32_t shape = n.input >= 0 ? program.input_shape(n.input, ws, n.withheld_when)
                                  : program.observe(node, n.epoch, ws);
    if (shape == CompiledRuleset::kNoShape || (t = child(n, shape)) < 0) return -1;
  }
}

void ShapeIndex::add_branch(int32_t t, uint32_t shape, int32_t next) {
  TreeNode& n = tree_[t];
  if (n.next.load(std::memory_order_relaxed) < 0) {
    n.shape = shape;
    n.next.store(next, std::memory_order_release);
    return;
  }
  int32_t b = branches_.push();
  branches_[b].shape = shape;
  branches_[b].next = next;
  branches_[b].more = n.more.load(std::memory_order_relaxed);
  n.more.store(b, std::memory_order_release);
}

bool ShapeIndex::add(const CompiledRuleset& program, uint64_t key,
                     const std::vector<ShapeStep>& steps, int payload) {
  if (full() || !tree_.room(steps.size() + 1) || !branches_.room(steps.size())) return false;
  // A tree node holds an epoch in 16 bits and an input in 15.
  if (program.input_count() > INT16_MAX / 2) return false;
  for (const ShapeStep& step : steps) {
    if (step.epoch > INT16_MAX) return false;
    if (int64_t* seen = constant(program, step.node)) {
      if (*seen != kUnseen && *seen != step.shape) return false;
      *seen = step.shape;
    }
  }
  int32_t t;
  if (const Root* root = find_root(&program, key)) {
    t = root->tree;
  } else {
    if ((roots_used_ + 1) * 2 > roots_.size()) return false;
    size_t mask = roots_.size() - 1;
    size_t i = slot_of(&program, key) & mask;
    while (roots_[i].full.load(std::memory_order_relaxed)) i = (i + 1) & mask;
    Root& r = roots_[i];
    r.program = &program;
    r.key = key;
    r.tree = t = tree_.push();
    r.full.store(true, std::memory_order_release);
    ++roots_used_;
  }
  // Walk the path the steps take, checking it before growing it: a tree node that reads
  // another node than the step means evaluation did not follow from shapes, and then this
  // shape is not remembered.
  size_t i = 0;
  for (; i < steps.size(); ++i) {
    if (constant(program, steps[i].node)) continue;
    const TreeNode& n = tree_[t];
    int32_t node = n.node.load(std::memory_order_relaxed);
    if (node < -1) return false;  // a leaf
    if (node == -1) break;        // a root not grown yet
    if (node != steps[i].node || n.epoch != steps[i].epoch ||
        (n.input >= 0 && n.withheld_when != CompiledRuleset::withheld_when(steps[i].shape))) {
      return false;
    }
    int32_t next = child(n, steps[i].shape);
    if (next < 0) break;
    t = next;
  }
  if (i == steps.size() && tree_[t].node.load(std::memory_order_relaxed) != -1) return false;
  // Grow: each new node reads the next step's node; the last holds the payload. Each link is
  // stored after what it leads to is written (release), so readers never follow a link into
  // an unwritten node.
  for (; i < steps.size(); ++i) {
    if (constant(program, steps[i].node)) continue;
    int32_t next = tree_.push();
    TreeNode& n = tree_[t];
    if (n.node.load(std::memory_order_relaxed) < 0) {
      n.epoch = static_cast<int16_t>(steps[i].epoch);
      n.input = static_cast<int16_t>(program.input_of(steps[i].node));
      n.withheld_when = n.input >= 0 && CompiledRuleset::withheld_when(steps[i].shape);
      n.node.store(steps[i].node, std::memory_order_release);
    }
    add_branch(t, steps[i].shape, next);
    t = next;
  }
  tree_[t].node.store(-2 - payload, std::memory_order_release);
  shapes_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

}  // namespace epil
