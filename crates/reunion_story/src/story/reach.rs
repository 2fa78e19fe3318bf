//! The story as a graph: which nodes can be reached from the start (or from the
//! operator's "end gently"), from which an `End` can still be reached, and which are
//! in a loop with no way out. The checker
//! warns from these, and `reunion graph` colours the same nodes, so the two agree.

use std::collections::VecDeque;

use super::{NodeId, NodeKind, Story};

impl Story {
    /// For each node, whether the story can get there: from `start`, or from the
    /// `ending` the operator can send it to at any time.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut queue: VecDeque<NodeId> = std::iter::once(self.start).chain(self.ending).collect();
        while let Some(id) = queue.pop_front() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            queue.extend(self.node(id).kind.successors());
        }
        seen
    }

    /// For each node, whether some way on from it ends at an `End` (a node for which
    /// this is false is in a loop with no way out, or runs into one).
    pub fn can_end(&self) -> Vec<bool> {
        let n = self.nodes.len();
        let mut before: Vec<Vec<NodeId>> = vec![Vec::new(); n];
        for (i, node) in self.nodes.iter().enumerate() {
            for s in node.kind.successors() {
                before[s.index()].push(NodeId(i as u32));
            }
        }
        let mut ends = vec![false; n];
        let mut queue: VecDeque<NodeId> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| matches!(node.kind, NodeKind::End { .. }))
            .map(|(i, _)| NodeId(i as u32))
            .collect();
        while let Some(id) = queue.pop_front() {
            if std::mem::replace(&mut ends[id.index()], true) {
                continue;
            }
            queue.extend(before[id.index()].iter().copied());
        }
        ends
    }

    /// For each node, whether it is in a loop: some way on from it comes back to it.
    pub fn in_loop(&self) -> Vec<bool> {
        (0..self.nodes.len())
            .map(|i| {
                let mut seen = vec![false; self.nodes.len()];
                let mut queue: VecDeque<NodeId> = self.nodes[i].kind.successors().into();
                while let Some(id) = queue.pop_front() {
                    if id.index() == i {
                        return true;
                    }
                    if !std::mem::replace(&mut seen[id.index()], true) {
                        queue.extend(self.node(id).kind.successors());
                    }
                }
                false
            })
            .collect()
    }

    /// For each node, whether it is in a loop the story can enter but never leave for
    /// an `End` (every way on from it stays in loops like it).
    pub fn trapped(&self) -> Vec<bool> {
        let reachable = self.reachable();
        let can_end = self.can_end();
        let in_loop = self.in_loop();
        (0..self.nodes.len())
            .map(|i| reachable[i] && !can_end[i] && in_loop[i])
            .collect()
    }
}
