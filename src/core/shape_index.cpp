#include "core/shape_index.h"

namespace epil {

int ShapeIndex::find(const CompiledRuleset& program, uint64_t key, Workspace& ws) const {
  auto root = roots_.find({&program, key});
  if (root == roots_.end()) return -1;
  int32_t t = root->second;
  for (;;) {
    const TreeNode& n = tree_[t];
    if (n.payload >= 0) return n.payload;
    if (n.node < 0) return -1;
    uint32_t shape = program.observe(n.node, n.epoch, ws);
    if (shape == CompiledRuleset::kNoShape || (t = child(n, shape)) < 0) return -1;
  }
}

void ShapeIndex::add_branch(int32_t t, uint32_t shape, int32_t next) {
  TreeNode& n = tree_[t];
  if (n.next < 0) {
    n.shape = shape;
    n.next = next;
    return;
  }
  branches_.push_back({shape, next, n.more});
  n.more = static_cast<int32_t>(branches_.size()) - 1;
}

bool ShapeIndex::add(const CompiledRuleset& program, uint64_t key,
                     const std::vector<ShapeStep>& steps, int payload) {
  if (shapes_ >= max_shapes_ || tree_.size() + steps.size() + 1 > INT32_MAX) return false;
  auto [root, fresh] = roots_.try_emplace({&program, key}, static_cast<int32_t>(tree_.size()));
  if (fresh) tree_.emplace_back();
  // Walk the path the steps take, checking it before growing it: a tree node that reads
  // another node than the step means evaluation did not follow from shapes, and then this
  // shape is not remembered.
  int32_t t = root->second;
  size_t i = 0;
  for (; i < steps.size(); ++i) {
    const TreeNode& n = tree_[t];
    if (n.payload >= 0) return false;
    if (n.node < 0) break;  // a root not grown yet
    if (n.node != steps[i].node || n.epoch != steps[i].epoch) return false;
    int32_t next = child(n, steps[i].shape);
    if (next < 0) break;
    t = next;
  }
  if (i == steps.size() && (tree_[t].node >= 0 || tree_[t].payload >= 0)) return false;
  // Grow: each new node reads the next step's node; the last holds the payload.
  for (; i < steps.size(); ++i) {
    int32_t next = static_cast<int32_t>(tree_.size());
    tree_.emplace_back();
    tree_[t].node = steps[i].node;
    tree_[t].epoch = steps[i].epoch;
    add_branch(t, steps[i].shape, next);
    t = next;
  }
  tree_[t].payload = payload;
  ++shapes_;
  return true;
}

}  // namespace epil
