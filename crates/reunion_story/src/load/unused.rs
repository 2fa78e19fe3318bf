//! What a scene holds against what the story does with it: a thing given an ability
//! only the story can use (hidden until shown, reporting a touch) that no node the
//! story reaches ever names, and a cake whose candle sockets the candles of its place
//! cannot fill exactly.

use super::Compiler;
use crate::diagnostic::Severity;
use crate::spans::{field, key_name};
use crate::story::*;

impl Compiler<'_> {
    /// Warns of things no node uses, and of candles that do not match the cake's
    /// sockets. Only when every node compiled (a node that failed may be the one that
    /// names the thing) and every place did (so places line up).
    pub(super) fn check_unused_things(&mut self, story: &Story) {
        if self.nodes_failed || story.places.len() != self.file.places.len() {
            return;
        }
        let reachable = story.reachable();
        // Every thing named by a condition or a cue (resolved), then by id.
        let mut used: Vec<ThingId> = self
            .thing_uses
            .iter()
            .flat_map(|u| u.things.iter())
            .collect();
        let mut named: Vec<&str> = Vec::new();
        for (i, node) in story.nodes.iter().enumerate() {
            if !reachable[i] {
                continue;
            }
            match &node.kind {
                NodeKind::Say(line) => {
                    if let Some(LookTarget::Thing(t)) = &line.look_at {
                        named.push(t);
                    }
                }
                NodeKind::Cue { world, .. } => {
                    for c in world {
                        match c {
                            WorldCue::Show(t) | WorldCue::Hide(t) => named.push(t),
                            WorldCue::LookAt(_, LookTarget::Thing(t)) => named.push(t),
                            WorldCue::Animate { thing, .. }
                            | WorldCue::Light(thing)
                            | WorldCue::PutOut(thing) => used.extend(thing.iter()),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let mut warnings = Vec::new();
        for (p, place) in story.places.iter().enumerate() {
            let place_id = PlaceId(p as u16);
            for (k, thing) in place.things.iter().enumerate() {
                let tid = ThingId {
                    place: place_id,
                    index: k as u16,
                };
                if used.contains(&tid) || named.contains(&thing.id.as_str()) {
                    continue;
                }
                let why = if thing.hidden {
                    Some((
                        "is hidden and no `Show` ever shows it: the participant never sees it",
                        format!(
                            "show it with `Cue(world: [Show(thing: \"{}\")])`, or take out `hidden: true`",
                            thing.id
                        ),
                    ))
                } else if thing.touch {
                    Some((
                        "reports a touch, but no wait asks for it",
                        format!(
                            "wait for it with `Wait(until: TouchedThing(\"{}\"), timeout: 20.0)`, or take out `touch: true`",
                            thing.id
                        ),
                    ))
                } else {
                    None
                };
                if let Some((what, hint)) = why {
                    warnings.push((
                        place_id,
                        thing.id.clone(),
                        format!("`{}` {what}", thing.id),
                        hint,
                    ));
                }
            }
            // Candles against the cakes' sockets.
            let sockets = story.candle_sockets(place_id);
            let candles = place
                .things
                .iter()
                .filter(|t| t.tags.iter().any(|g| g == CANDLE_TAG))
                .count();
            let cake = place
                .things
                .iter()
                .find(|t| matches!(t.kind, ThingKind::Cake { .. }));
            if let Some(cake) = cake
                && sockets > 0
                && candles != usize::from(sockets)
            {
                let (message, hint) = if candles < usize::from(sockets) {
                    (
                        format!(
                            "`{}` has {sockets} candle sockets but `{}` has {candles} candles: they can never all be filled, so a wait for `AllCandlesPlaced` is never met",
                            cake.id, place.id
                        ),
                        format!(
                            "place {} more candles, or give the cake `candle_sockets: {candles}`",
                            usize::from(sockets) - candles
                        ),
                    )
                } else {
                    (
                        format!(
                            "`{}` has {sockets} candle sockets but `{}` has {candles} candles: {} will have nowhere to go",
                            cake.id,
                            place.id,
                            candles - usize::from(sockets)
                        ),
                        format!(
                            "give the cake `candle_sockets: {candles}`, or take out the extra candles"
                        ),
                    )
                };
                warnings.push((place_id, cake.id.clone(), message, hint));
            }
        }
        for (place, thing, message, hint) in warnings {
            let Some((_, src)) = self.scene_sources.iter().find(|(p, _)| *p == place) else {
                continue;
            };
            let d = src
                .diag(
                    Severity::Warning,
                    &[field("things"), key_name(&thing)],
                    message,
                )
                .with_hint(hint);
            self.diags.push(d);
        }
    }
}
