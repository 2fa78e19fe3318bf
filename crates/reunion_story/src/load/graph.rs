//! Checks of the story as a graph: which nodes can be reached (and in which place),
//! that it has an ending, that no loop spins without waiting, and that whoever speaks
//! is in the place where the line is spoken.

use std::collections::{HashSet, VecDeque};

use super::{Compiler, node_path};
use crate::spans::{field, key_name};
use crate::story::*;

impl Compiler<'_> {
    /// Whole-graph checks: reachability, endings, loops that take no time, places.
    pub(super) fn check_graph(&mut self, story: &mut Story) {
        let n = story.nodes.len();
        // Which place each node is reached in, and which nodes are reachable.
        let mut place: Vec<Option<Option<PlaceId>>> = vec![None; n];
        let mut queue = VecDeque::new();
        place[story.start.index()] = Some(None);
        queue.push_back(story.start);
        if let Some(e) = story.ending
            && place[e.index()].is_none()
        {
            // `ending` is reachable by the operator from anywhere.
            place[e.index()] = Some(None);
            queue.push_back(e);
        }
        while let Some(id) = queue.pop_front() {
            let here = place[id.index()].flatten();
            let node = &story.nodes[id.index()];
            let out_place = match &node.kind {
                NodeKind::Go { place, .. } => Some(*place),
                _ => here,
            };
            for s in node.kind.successors() {
                let slot = &mut place[s.index()];
                match slot {
                    None => {
                        *slot = Some(out_place);
                        queue.push_back(s);
                    }
                    Some(None) if out_place.is_some() => {
                        *slot = Some(out_place);
                        queue.push_back(s);
                    }
                    _ => {}
                }
            }
        }
        story.node_place = place.iter().map(|p| p.flatten()).collect();
        let ending = story.ending;
        for (i, p) in place.iter().enumerate() {
            if p.is_none() && Some(NodeId(i as u32)) != ending {
                let id = story.nodes[i].id.clone();
                self.warn(
                    &[field("nodes"), key_name(&id)],
                    format!("node `{id}` can never be reached"),
                );
            }
        }
        // Does any End exist?
        if !story
            .nodes
            .iter()
            .any(|node| matches!(node.kind, NodeKind::End { .. }))
        {
            self.error(&[field("nodes")], "the story has no `End` node");
        }
        // Cycles made only of instant nodes would spin forever.
        for start in 0..n {
            if !story.nodes[start].kind.is_instant() {
                continue;
            }
            let mut seen = HashSet::new();
            let mut stack = vec![NodeId(start as u32)];
            let mut cyclic = false;
            while let Some(id) = stack.pop() {
                for s in story.nodes[id.index()].kind.successors() {
                    if s.index() == start {
                        cyclic = true;
                    }
                    if story.nodes[s.index()].kind.is_instant() && seen.insert(s) {
                        stack.push(s);
                    }
                }
            }
            if cyclic {
                let id = story.nodes[start].id.clone();
                self.error(
                    &[field("nodes"), key_name(&id)],
                    format!(
                        "node `{id}` is in a loop that never waits: the story would spin forever"
                    ),
                )
                .hint = Some("put a Say, Wait or Pause inside the loop".into());
            }
        }
        // Lines spoken by someone who is not in the place where they are spoken (only
        // when every place compiled, so place ids line up).
        if story.places.len() != self.file.places.len() {
            return;
        }
        for (i, node) in story.nodes.iter().enumerate() {
            let NodeKind::Say(line) = &node.kind else {
                continue;
            };
            let Some(p) = story.node_place[i] else {
                continue;
            };
            let present = story.places[p.index()]
                .things
                .iter()
                .any(|t| t.kind == ThingKind::Actor(line.speaker));
            if !present {
                let speaker = story.cast[line.speaker.index()].id.clone();
                let place = story.places[p.index()].id.clone();
                let id = node.id.clone();
                self.warn(
                    &node_path(&id, &[field("speaker")]),
                    format!(
                        "`{speaker}` speaks in `{place}`, but that scene does not place her or him"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::test_story::*;

    #[test]
    fn a_loop_that_never_waits_is_an_error() {
        let extra = r#""a": Set(var: "x", value: true, next: "b"),
        "b": Branch(var: "x", equals: true, then: "a"),"#;
        let text = story("arrive", extra)
            .replace("nodes: {", "variables: { \"x\": false },\n    nodes: {");
        let files = mem(&text, &[("park.scene.ron", SCENE)]);
        let loaded = load_mem(&files);
        assert!(
            loaded
                .diagnostics
                .to_string()
                .contains("loop that never waits")
        );
    }
}
