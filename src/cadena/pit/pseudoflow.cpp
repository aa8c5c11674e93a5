#include "cadena/pit/pseudoflow.hpp"

#include <limits>
#include <type_traits>

#include <fmt/format.h>

namespace cadena::pit {
namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// One pseudoflow run over a precedence graph P (anything with for_each_requirement).
//
// Network: source -> b with capacity v_b for v_b > 0, b -> sink with -v_b for v_b < 0, and an
// infinite arc b -> p whenever b requires p. Initially every source and sink arc is saturated
// and every block is a singleton tree whose root holds excess v_b. A tree is strong when its
// root's excess is positive. A merger arc (s, w) joins a strong tree to another tree along an
// infinite arc, the strong tree is re-rooted at s, and the root's excess is pushed towards w's
// root; any tree arc that cannot carry it is split off as a new root holding the remainder.
// Labels steer the search (highest-label first); at the end the strong blocks are the pit.
template <class P>
class Pseudoflow {
 public:
  Pseudoflow(std::span<const std::int64_t> values, const P& prec)
      : m_prec(prec),
        m_n(static_cast<std::uint32_t>(values.size())),
        m_excess(values.begin(), values.end()),
        m_tree(m_n),
        m_next_scan(m_n, kNone),
        m_label(m_n, 1),
        m_up(m_n, 0),
        m_bucket_next(m_n, kNone),
        m_llink(m_n),
        m_current_arc(m_n, 0) {
    // Labels are lower bounds on the residual distance to the sink (valid labelling: a residual
    // arc (u, v) has label(u) <= label(v) + 1). kDead marks blocks cut off from the sink.
    m_dead = m_n + 2;
    m_bucket.assign(static_cast<std::size_t>(m_n) + 3, kNone);
    m_bucket_tail.assign(static_cast<std::size_t>(m_n) + 3, kNone);
    m_label_head.assign(static_cast<std::size_t>(m_n) + 3, kNone);
    if constexpr (std::is_same_v<P, GridPrecedence>) {
      if (has_vertical_arc()) columns_init();
      else singletons_init();
    } else {
      singletons_init();
    }
  }

  void run() {
    while (m_highest > 0) {
      const std::uint32_t r = m_bucket[m_highest];
      if (r == kNone) {
        --m_highest;
        continue;
      }
      m_bucket[m_highest] = m_bucket_next[r];
      if (m_label[r] != m_highest) continue;  // lifted to dead by a gap since it was queued
      process_root(r);
    }
  }

  // The smallest minimum cut: blocks reachable from the source in the residual network of the
  // maximum flow the pseudoflow has become. (The strong blocks are a closure too, but blocks cut
  // off by a gap may be strong or weak, so reachability is the sure test.)
  Closure result(std::span<const std::int64_t> values) {
    Closure c;
    c.in_pit.assign(m_n, 0);
    std::vector<std::uint8_t>& seen = c.in_pit;
    std::vector<std::uint32_t>& queue = m_next_scan;  // free now
    std::size_t head = 0, tail = 0;
    for (std::uint32_t b = 0; b < m_n; ++b)
      if (m_tree[b].parent == kNone && m_excess[b] > 0) {
        seen[b] = 1;
        queue[tail++] = b;
      }
    while (head < tail) {
      const std::uint32_t u = queue[head++];
      auto visit = [&](std::uint32_t v) {
        if (!seen[v]) {
          seen[v] = 1;
          queue[tail++] = v;
        }
      };
      m_prec.for_each_requirement(u, visit);
      if (m_tree[u].parent != kNone && !m_up[u] && m_excess[u] > 0) visit(m_tree[u].parent);
      for (std::uint32_t ch = m_tree[u].first_child; ch != kNone; ch = m_tree[ch].next_sibling)
        if (m_up[ch] && m_excess[ch] > 0) visit(ch);
    }
    for (std::uint32_t b = 0; b < m_n; ++b)
      if (seen[b]) {
        c.value += values[b];
        ++c.blocks;
      }
    c.stats = m_stats;
    return c;
  }

 private:
  // Every block a singleton tree. Strong singletons start one above the weak ones: their
  // residual arcs lead to weak blocks (label 1) or to other strong ones, so label 2 is valid.
  void singletons_init() {
    for (std::uint32_t b = m_n; b-- > 0;) {
      if (m_excess[b] > 0) m_label[b] = 2;
      label_link(b);
      if (m_excess[b] > 0) push_bucket(b);
    }
  }

  bool has_vertical_arc() const {
    for (const GridOffset& o : m_prec.pattern())
      if (o == GridOffset{0, 0, 1}) return true;
    return false;
  }

  // A better start on a grid: each column is cut bottom-up into segments hung on the arc "block
  // requires the block above"; a segment carries its running sum up while that sum is positive
  // and ends (a root holding the sum) where it is not. So the ore at the bottom of a column
  // already pays for the waste straight above it before the first merger. Strong segments (only
  // the top one of a column can be) are labelled 2, the rest 1: valid, as for singletons.
  void columns_init() {
    const std::uint32_t plane = static_cast<std::uint32_t>(m_prec.nx()) * m_prec.ny();
    const std::uint32_t nz = static_cast<std::uint32_t>(m_prec.nz());
    for (std::uint32_t col = 0; col < plane; ++col) {
      std::int64_t sum = 0;
      for (std::uint32_t z = 0; z < nz; ++z) {
        const std::uint32_t b = col + z * plane;
        sum += m_excess[b];
        if (z + 1 < nz && sum > 0) {
          add_child(b + plane, b);
          m_up[b] = 1;
          m_excess[b] = sum;  // flow on the arc b -> block above
        } else {
          m_excess[b] = sum;  // root of its segment
          sum = 0;
        }
      }
      const std::uint32_t top = col + (nz - 1) * plane;
      if (m_excess[top] > 0) {
        for (std::uint32_t b = top;; b -= plane) {
          m_label[b] = 2;
          if (b < plane || m_tree[b - plane].parent != b) break;
        }
      }
    }
    for (std::uint32_t b = m_n; b-- > 0;) label_link(b);
    for (std::uint32_t col = 0; col < plane; ++col) {
      const std::uint32_t top = col + (nz - 1) * plane;
      if (m_excess[top] > 0) push_bucket(top);
    }
  }

  void push_bucket(std::uint32_t r) {
    const std::uint32_t l = m_label[r];
    if (l >= m_dead) return;
    m_bucket_next[r] = kNone;
    if (m_bucket[l] == kNone) m_bucket[l] = r;
    else m_bucket_next[m_bucket_tail[l]] = r;
    m_bucket_tail[l] = r;
    if (l > m_highest) m_highest = l;
  }

  void label_link(std::uint32_t b) {
    const std::uint32_t l = m_label[b];
    const std::uint32_t head = m_label_head[l];
    m_llink[b].next = head;
    m_llink[b].prev = kNone;
    if (head != kNone) m_llink[head].prev = b;
    m_label_head[l] = b;
    if (l > m_max_label) m_max_label = l;
  }

  void label_unlink(std::uint32_t b) {
    const std::uint32_t prev = m_llink[b].prev, next = m_llink[b].next;
    if (prev != kNone) m_llink[prev].next = next;
    else m_label_head[m_label[b]] = next;
    if (next != kNone) m_llink[next].prev = prev;
  }

  void relabel(std::uint32_t b) {
    label_unlink(b);
    ++m_label[b];
    m_current_arc[b] = 0;
    label_link(b);
  }

  // No block is labelled L: nothing above L can reach the sink (labels fall by at most one per
  // residual arc), so those blocks are final. Marking them dead also keeps the labelling valid,
  // since no residual arc leaves them for a live block and none is ever created (pushes happen
  // only on live paths).
  void lift_above(std::uint32_t L) {
    for (std::uint32_t l = L + 1; l <= m_max_label; ++l) {
      for (std::uint32_t b = m_label_head[l]; b != kNone; b = m_llink[b].next) m_label[b] = m_dead;
      m_label_head[l] = kNone;
    }
    m_max_label = L;
    ++m_stats.gaps;
  }

  void add_child(std::uint32_t parent, std::uint32_t child) {
    m_tree[child].parent = parent;
    const std::uint32_t head = m_tree[parent].first_child;
    m_tree[child].next_sibling = head;
    m_tree[child].prev_sibling = kNone;
    if (head != kNone) m_tree[head].prev_sibling = child;
    m_tree[parent].first_child = child;
  }

  void remove_child(std::uint32_t parent, std::uint32_t child) {
    const std::uint32_t prev = m_tree[child].prev_sibling, next = m_tree[child].next_sibling;
    if (prev != kNone) m_tree[prev].next_sibling = next;
    else m_tree[parent].first_child = next;
    if (next != kNone) m_tree[next].prev_sibling = prev;
    m_tree[child].parent = kNone;
  }

  // A requirement of s labelled one below: an admissible merger arc.
  // Arcs before the current arc are not admissible and stay so until s is relabelled: a
  // requirement w has label(w) >= label(s) - 1 (valid labelling), labels only grow, so once
  // label(w) >= label(s) it can never come back to label(s) - 1.
  std::uint32_t find_admissible(std::uint32_t s, std::uint32_t label) {
    const std::uint32_t want = label - 1;
    return m_prec.find_requirement(s, m_current_arc[s], kNone, [&](BlockId w) { return m_label[w] == want; });
  }

  // Depth-first over the part of r's branch labelled like r (the root has the smallest label of
  // its tree); blocks are relabelled on the way back up, once all their children are higher.
  void process_root(std::uint32_t r) {
    const std::uint32_t L = m_label[r];
    std::uint32_t s = r;
    m_next_scan[r] = m_tree[r].first_child;
    if (std::uint32_t w = find_admissible(s, L); w != kNone) return merge(r, s, w);
    for (;;) {
      std::uint32_t c = m_next_scan[s];
      while (c != kNone && m_label[c] != L) c = m_tree[c].next_sibling;
      if (c != kNone) {
        m_next_scan[s] = m_tree[c].next_sibling;
        s = c;
        m_next_scan[s] = m_tree[s].first_child;
        if (std::uint32_t w = find_admissible(s, L); w != kNone) return merge(r, s, w);
      } else {
        relabel(s);
        if (s == r) break;
        s = m_tree[s].parent;
      }
    }
    ++m_stats.relabels;
    if (m_label_head[L] == kNone) lift_above(L);
    push_bucket(r);
  }

  // Re-root r's tree at s, hang it below w, push r's excess towards w's root.
  void merge(std::uint32_t r, std::uint32_t s, std::uint32_t w) {
    ++m_stats.mergers;
    std::int64_t delta = m_excess[r];
    // Reverse the path s .. r. The arc data (flow, direction) moves from the old child to the
    // old parent; seen from the new child the arc points the other way.
    std::int64_t flow = 0;
    std::uint8_t up = 1;  // s requires w: the new arc points from child to parent
    std::uint32_t new_parent = w;
    std::uint32_t cur = s;
    while (cur != kNone) {
      const std::uint32_t old_parent = m_tree[cur].parent;
      const std::int64_t old_flow = m_excess[cur];
      const std::uint8_t old_up = m_up[cur];
      if (old_parent != kNone) remove_child(old_parent, cur);
      add_child(new_parent, cur);
      m_excess[cur] = flow;
      m_up[cur] = up;
      flow = old_flow;
      up = static_cast<std::uint8_t>(!old_up);
      new_parent = cur;
      cur = old_parent;
    }
    // Push delta from r towards the root of w's tree.
    std::uint32_t v = r;
    while (m_tree[v].parent != kNone) {
      const std::uint32_t p = m_tree[v].parent;
      if (m_up[v]) {
        m_excess[v] += delta;  // infinite arc v -> p
      } else if (m_excess[v] >= delta) {
        m_excess[v] -= delta;  // cancel flow on p -> v
      } else {
        // Split: v keeps what the arc cannot take and becomes a strong root.
        const std::int64_t cap = m_excess[v];
        remove_child(p, v);
        m_excess[v] = delta - cap;
        push_bucket(v);
        delta = cap;
        if (delta == 0) return;
      }
      v = p;
    }
    const bool was_strong = m_excess[v] > 0;
    m_excess[v] += delta;
    if (!was_strong && m_excess[v] > 0) push_bucket(v);
  }

  const P& m_prec;
  std::uint32_t m_n;
  std::vector<std::int64_t> m_excess;  // root: excess; other: flow on the arc to the parent
  // Tree links of a block, together: a merger or a branch walk touches them at once.
  struct TreeLinks {
    std::uint32_t parent = kNone, first_child = kNone, next_sibling = kNone, prev_sibling = kNone;
  };
  struct LabelLinks {
    std::uint32_t next = kNone, prev = kNone;
  };
  std::vector<TreeLinks> m_tree;
  std::vector<std::uint32_t> m_next_scan;
  std::vector<std::uint32_t> m_label;
  std::vector<std::uint8_t> m_up;  // 1: the arc to the parent is "this block requires parent"
  std::vector<std::uint32_t> m_bucket_next, m_bucket;  // strong roots by label, FIFO queues
  std::vector<LabelLinks> m_llink;  // all blocks by label: doubly linked lists ...
  std::vector<std::uint32_t> m_label_head;  // ... headed here
  std::vector<std::uint32_t> m_current_arc;  // per block: first requirement not yet ruled out
  std::vector<std::uint32_t> m_bucket_tail;
  std::uint32_t m_highest = 0;
  std::uint32_t m_max_label = 0;
  std::uint32_t m_dead = 0;
  ClosureStats m_stats;
};

template <class P>
Result<Closure> solve(std::span<const std::int64_t> values, const P& prec) {
  if (values.size() != prec.size())
    return make_error(ErrorCategory::Value,
                      fmt::format("{} block values for {} blocks in the precedence", values.size(), prec.size()));
  if (values.size() >= kNone - 3) return make_error(ErrorCategory::Value, "too many blocks for 32-bit ids");
  std::int64_t positive = 0;
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  for (std::int64_t v : values) {
    if (v > 0) {
      if (v >= kLimit - positive)
        return make_error(ErrorCategory::Value, "sum of positive block values exceeds 2^62; scale the values down");
      positive += v;
    } else if (v <= -kLimit) {
      return make_error(ErrorCategory::Value, "a block value is below -2^62; scale the values down");
    }
  }
  Pseudoflow<P> pf(values, prec);
  pf.run();
  return pf.result(values);
}

template <class P>
bool closed(std::span<const std::uint8_t> in_pit, const P& prec) {
  bool ok = true;
  for (BlockId b = 0; b < in_pit.size() && ok; ++b) {
    if (!in_pit[b]) continue;
    prec.for_each_requirement(b, [&](BlockId p) {
      if (!in_pit[p]) ok = false;
    });
  }
  return ok;
}

}  // namespace

Result<Closure> max_closure(std::span<const std::int64_t> values, const ExplicitPrecedence& prec) {
  return solve(values, prec);
}
Result<Closure> max_closure(std::span<const std::int64_t> values, const GridPrecedence& prec) {
  return solve(values, prec);
}
bool is_closed(std::span<const std::uint8_t> in_pit, const ExplicitPrecedence& prec) { return closed(in_pit, prec); }
bool is_closed(std::span<const std::uint8_t> in_pit, const GridPrecedence& prec) { return closed(in_pit, prec); }

}  // namespace cadena::pit
