//! Checks of the story as a graph: which nodes can be reached (and in which place),
//! that it has an ending, that no loop spins without waiting and every loop has a way
//! out, that nothing plays before the first `Go`, that every place is entered, and that
//! whoever speaks or is cued, the things named and the candles asked about are in the
//! place where the node plays.

use std::collections::{HashSet, VecDeque};

use super::{Compiler, node_path};
use crate::diagnostic::did_you_mean;
use crate::spans::{Seg, field, index, key_name};
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
            // After a node that did not compile, what cannot be reached follows from
            // that one mistake, already reported.
            if p.is_none() && Some(NodeId(i as u32)) != ending && !self.nodes_failed {
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
        self.check_first_place(story);
        if !self.nodes_failed {
            self.check_ways_out(story);
        }
        // Lines spoken by someone who is not in the place where they are spoken (only
        // when every place compiled, so place ids line up).
        if story.places.len() != self.file.places.len() {
            return;
        }
        if !self.nodes_failed {
            self.check_places_entered(story);
        }
        self.check_present(story);
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

/// Whether `actor` is placed in `place`.
fn actor_in(story: &Story, place: PlaceId, actor: ActorId) -> bool {
    story
        .place(place)
        .things
        .iter()
        .any(|t| t.kind == ThingKind::Actor(actor))
}

/// Whether `place` has a thing with a candle's tag, and a cake.
fn candles_and_cake(story: &Story, place: PlaceId) -> (bool, bool) {
    let things = &story.place(place).things;
    (
        things
            .iter()
            .any(|t| t.tags.iter().any(|g| g == CANDLE_TAG)),
        things
            .iter()
            .any(|t| matches!(t.kind, ThingKind::Cake { .. })),
    )
}

/// The actors a condition asks about, and whether it asks about candles.
fn condition_needs(c: &Condition, actors: &mut Vec<ActorId>, candles: &mut bool) {
    match c {
        Condition::HandHeld(a)
        | Condition::GazeHeld { on: a, .. }
        | Condition::Near { to: a, .. }
        | Condition::Touched { actor: a, .. } => actors.push(*a),
        Condition::CandlePlaced
        | Condition::AllCandlesPlaced
        | Condition::CandlesLit
        | Condition::CandlesBlownOut => *candles = true,
        Condition::By { condition, .. } => condition_needs(condition, actors, candles),
        Condition::Any(cs) | Condition::All(cs) => {
            for c in cs {
                condition_needs(c, actors, candles);
            }
        }
        _ => {}
    }
}

impl Compiler<'_> {
    /// A line or a wait before the story has gone to any place plays nowhere: the
    /// participant would stand in the dark.
    fn check_first_place(&mut self, story: &Story) {
        let mut seen = vec![false; story.nodes.len()];
        let mut queue = VecDeque::from([story.start]);
        while let Some(id) = queue.pop_front() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            let node = &story.nodes[id.index()];
            match &node.kind {
                NodeKind::Go { .. } => continue,
                NodeKind::Say(_) | NodeKind::Wait { .. } => {
                    let first = story.places.first().map_or("park", |p| p.id.as_str());
                    let what = if matches!(node.kind, NodeKind::Say(_)) {
                        "spoken"
                    } else {
                        "waited for"
                    };
                    let id = node.id.clone();
                    self.error(
                        &[field("nodes"), key_name(&id)],
                        format!(
                            "node `{id}` is {what} before the story goes to any place: it would play in no place at all"
                        ),
                    )
                    .hint = Some(format!(
                        "begin the story with a `Go`: `\"arrive\": Go(place: \"{first}\", transition: Fade(seconds: 3.0)),` and `start: \"arrive\"`"
                    ));
                    return;
                }
                kind => queue.extend(kind.successors()),
            }
        }
    }

    /// A loop the story can enter but never leave for an `End`: told once, where the
    /// story steps into it.
    fn check_ways_out(&mut self, story: &Story) {
        if !story
            .nodes
            .iter()
            .any(|n| matches!(n.kind, NodeKind::End { .. }))
        {
            return; // told already: the story has no End
        }
        let reachable = story.reachable();
        let in_trap = story.trapped();
        let trapped = |i: usize| in_trap[i];
        for i in 0..story.nodes.len() {
            if !trapped(i) {
                continue;
            }
            let entered_from_outside = i == story.start.index()
                || Some(NodeId(i as u32)) == story.ending
                || story.nodes.iter().enumerate().any(|(j, n)| {
                    !trapped(j) && reachable[j] && n.kind.successors().contains(&NodeId(i as u32))
                });
            if !entered_from_outside {
                continue;
            }
            // The loop: the trapped nodes from here, in the order the story meets them.
            let mut seen = vec![false; story.nodes.len()];
            let mut order = Vec::new();
            let mut queue = VecDeque::from([NodeId(i as u32)]);
            while let Some(id) = queue.pop_front() {
                if std::mem::replace(&mut seen[id.index()], true) || !trapped(id.index()) {
                    continue;
                }
                order.push(format!("`{}`", story.nodes[id.index()].id));
                queue.extend(story.nodes[id.index()].kind.successors());
            }
            let more = order.len().saturating_sub(6);
            order.truncate(6);
            let mut round = order.join(" → ");
            if more > 0 {
                round.push_str(&format!(" and {more} more"));
            }
            let id = story.nodes[i].id.clone();
            self.warn(
                &[field("nodes"), key_name(&id)],
                format!(
                    "from node `{id}` the story can never reach an `End`: it goes round {round} with no way out"
                ),
            )
            .hint = Some(
                "give a wait in the loop an `on_timeout` that leads on, or a branch a way out; the operator's \"end gently\" would be the only way to finish"
                    .into(),
            );
        }
    }

    /// A place no `Go` the story reaches leads to.
    fn check_places_entered(&mut self, story: &Story) {
        let reachable = story.reachable();
        for (p, place) in story.places.iter().enumerate() {
            let entered = story.nodes.iter().enumerate().any(|(i, n)| {
                reachable[i] && matches!(n.kind, NodeKind::Go { place, .. } if place.index() == p)
            });
            if !entered {
                let id = place.id.clone();
                self.warn(
                    &[field("places"), key_name(&id)],
                    format!("place `{id}` is never entered: no `Go` the story reaches leads there"),
                )
                .hint = Some(format!(
                    "go there with `Go(place: \"{id}\", transition: Fade(seconds: 3.0))`, or take it out of `places`"
                ));
            }
        }
    }

    /// Cues and conditions about an actor or a thing, or about candles, where the node
    /// plays: the actor must be placed there, the thing in that scene, a cake there.
    fn check_present(&mut self, story: &Story) {
        for (i, node) in story.nodes.iter().enumerate() {
            let Some(here) = story.node_place[i] else {
                continue;
            };
            let id = node.id.clone();
            let place_id = story.place(here).id.clone();
            let mut actors: Vec<(Vec<Seg>, ActorId)> = Vec::new();
            let mut things: Vec<(Vec<Seg>, String)> = Vec::new();
            let mut candles: Option<Vec<Seg>> = None;
            match &node.kind {
                NodeKind::Say(line) => {
                    if let Some(LookTarget::Thing(t)) = &line.look_at {
                        things.push((node_path(&id, &[field("look_at")]), t.clone()));
                    }
                }
                NodeKind::Wait { until, .. } => {
                    let mut who = Vec::new();
                    let mut wants_candles = false;
                    condition_needs(until, &mut who, &mut wants_candles);
                    let path = node_path(&id, &[field("until")]);
                    actors.extend(who.into_iter().map(|a| (path.clone(), a)));
                    if wants_candles {
                        candles = Some(path);
                    }
                }
                NodeKind::Go {
                    transition:
                        Transition::LeadByHand { actor, .. } | Transition::Butterfly { actor, .. },
                    ..
                } => actors.push((node_path(&id, &[field("transition")]), *actor)),
                NodeKind::Cue { world, .. } => {
                    for (k, c) in world.iter().enumerate() {
                        let path = node_path(&id, &[field("world"), index(k)]);
                        match c {
                            WorldCue::OfferHand(a)
                            | WorldCue::LetGo(a)
                            | WorldCue::Gesture(a, _)
                            | WorldCue::Expression(a, _) => actors.push((path, *a)),
                            WorldCue::LookAt(a, target) => {
                                actors.push((path.clone(), *a));
                                if let LookTarget::Thing(t) = target {
                                    things.push((path, t.clone()));
                                }
                            }
                            WorldCue::Show(t) | WorldCue::Hide(t) => things.push((path, t.clone())),
                            WorldCue::LightCandles => candles = Some(path),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            for (path, a) in actors {
                if !actor_in(story, here, a) {
                    let who = story.actor(a).id.clone();
                    self.warn(
                        &path,
                        format!(
                            "node `{id}` is about `{who}`, but `{place_id}`, where it plays, does not place her or him"
                        ),
                    )
                    .hint = Some(format!(
                        "place `{who}` in `{}`: `\"{who}\": (is: Actor(\"{who}\"), at: (0.0, 0.0, -2.0))`",
                        story.place(here).file
                    ));
                }
            }
            for (path, t) in things {
                let place = story.place(here);
                if !place.things.iter().any(|x| x.id == t) {
                    let hint = did_you_mean(&t, place.things.iter().map(|x| x.id.as_str()))
                        .unwrap_or_else(|| {
                            format!("`{t}` is in another place; node `{id}` plays in `{place_id}`")
                        });
                    self.warn(
                        &path,
                        format!("`{t}` is not in `{place_id}`, where node `{id}` plays"),
                    )
                    .hint = Some(hint);
                }
            }
            if let Some(path) = candles {
                let (has_candles, has_cake) = candles_and_cake(story, here);
                if !has_candles || !has_cake {
                    let missing = match (has_candles, has_cake) {
                        (false, false) => "no cake and no candles",
                        (true, false) => "no cake",
                        _ => "no candles",
                    };
                    self.warn(
                        &path,
                        format!(
                            "node `{id}` is about candles, but `{place_id}`, where it plays, has {missing}"
                        ),
                    )
                    .hint = Some(format!(
                        "place a `Cake(candle_sockets: 7)` and candles in `{}`, or move this node to the place that has them",
                        story.place(here).file
                    ));
                }
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
