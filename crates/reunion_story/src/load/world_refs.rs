//! Things named by conditions and cues: `Placed(thing: "rose", in: "vase")`,
//! `Holding`, `TouchedThing`, `Lit`, `Animate`, `Light`, `PutOut`.
//!
//! Each name is resolved, when its node is compiled, to the [`ThingSet`] of every thing
//! of every place with that id (or tag, where a tag may be written); a name no scene
//! has is an error with a "did you mean". What the node asks of those things is kept
//! ([`ThingUse`]) and checked once the graph says where the node is reached: there the
//! thing must be, and able to do what is asked (be picked up, report a touch, carry a
//! flame, have the clip, have a socket that accepts the thing to be placed).

use super::Compiler;
use crate::diagnostic::did_you_mean;
use crate::spans::Seg;
use crate::story::*;

/// What a condition or a cue asks of the things a name stands for.
#[derive(Clone, Debug)]
pub(super) enum Need {
    /// To be picked up.
    Grab,
    /// To report a touch.
    Touch,
    /// To carry a flame.
    Flame,
    /// To be a model with this clip.
    Clip(String),
    /// To have a socket that accepts one of these things (named so).
    SocketFor { name: String, things: ThingSet },
}

/// One name in a node, resolved, and what the node asks of it.
#[derive(Clone, Debug)]
pub(super) struct ThingUse {
    pub node: NodeId,
    /// Where the name is written.
    pub path: Vec<Seg>,
    /// Where the clip is written, for [`Need::Clip`].
    pub detail_path: Option<Vec<Seg>>,
    pub name: String,
    pub things: ThingSet,
    pub need: Need,
}

impl Compiler<'_> {
    /// The things `name` stands for: every thing with that id, and with `tags` every
    /// thing carrying it as a tag. `None` (reported) when no scene has one.
    pub(super) fn things_named(
        &mut self,
        path: &[Seg],
        name: &str,
        tags: bool,
    ) -> Option<ThingSet> {
        let mut set = Vec::new();
        for (place, things) in &self.place_things {
            for (i, (id, thing_tags)) in things.iter().enumerate() {
                if id == name || (tags && thing_tags.iter().any(|t| t == name)) {
                    set.push(ThingId {
                        place: *place,
                        index: i as u16,
                    });
                }
            }
        }
        if !set.is_empty() {
            return Some(ThingSet(set));
        }
        let known_elsewhere = self.thing_ids.iter().any(|t| t == name)
            || (tags && self.thing_tags.iter().any(|t| t == name));
        if known_elsewhere {
            // In a scene that did not compile: its own errors say why.
            return None;
        }
        let candidates: Vec<&str> = if tags {
            self.thing_ids
                .iter()
                .chain(&self.thing_tags)
                .map(String::as_str)
                .collect()
        } else {
            self.thing_ids.iter().map(String::as_str).collect()
        };
        let what = if tags { "a thing or tag" } else { "a thing" };
        let hint = did_you_mean(name, candidates);
        self.error(path, format!("no scene has {what} called `{name}`"))
            .hint = hint;
        None
    }

    /// Resolves `name` and keeps what `node` asks of it, for [`Self::check_thing_uses`].
    pub(super) fn use_things(
        &mut self,
        node: usize,
        path: &[Seg],
        name: &str,
        tags: bool,
        need: Need,
    ) -> Option<ThingSet> {
        let things = self.things_named(path, name, tags)?;
        self.thing_uses.push(ThingUse {
            node: NodeId(node as u32),
            path: path.to_vec(),
            detail_path: None,
            name: name.to_owned(),
            things: things.clone(),
            need,
        });
        Some(things)
    }

    /// Every name a node uses, checked where the node is reached (or, for a node never
    /// reached, against every place).
    pub(super) fn check_thing_uses(&mut self, story: &Story) {
        if story.places.len() != self.file.places.len() {
            return; // place ids would not line up; the failed scene is reported
        }
        for u in std::mem::take(&mut self.thing_uses) {
            let place = story.node_place[u.node.index()];
            let here: Vec<ThingId> = match place {
                Some(p) => u.things.in_place(p).collect(),
                None => u.things.0.clone(),
            };
            let name = &u.name;
            if here.is_empty() {
                let p = story.place(place.expect("only a place narrows the things"));
                let node = &story.node(u.node).id;
                let hint =
                    did_you_mean(name, p.things.iter().map(|t| t.id.as_str())).or_else(|| {
                        Some(format!(
                            "`{name}` is in another place; node `{node}` is reached in `{}`",
                            p.id
                        ))
                    });
                self.error(
                    &u.path,
                    format!(
                        "`{name}` is not in `{}`, where node `{node}` is reached",
                        p.id
                    ),
                )
                .hint = hint;
                continue;
            }
            let things: Vec<&Thing> = here.iter().map(|t| story.thing(*t)).collect();
            let scene = story.place(here[0].place).file.clone();
            let first = things[0];
            match &u.need {
                Need::Grab if !things.iter().any(|t| t.grab) => {
                    self.error(&u.path, format!("`{name}` cannot be picked up"))
                        .hint = Some(format!("give `{}` `grab: true` in `{scene}`", first.id));
                }
                Need::Touch if !things.iter().any(|t| t.touch) => {
                    self.error(&u.path, format!("`{name}` does not report a touch"))
                        .hint = Some(format!("give `{}` `touch: true` in `{scene}`", first.id));
                }
                Need::Flame if !things.iter().any(|t| t.flame.is_some()) => {
                    self.error(&u.path, format!("`{name}` carries no flame to light"))
                        .hint = Some(format!(
                        "give `{}` a flame in `{scene}`: `flame: (at: (0.0, 0.2, 0.0))`, where it burns",
                        first.id
                    ));
                }
                Need::Clip(clip) => self.check_clip(&u, &things, clip),
                Need::SocketFor {
                    name: thing_name,
                    things: placed,
                } => self.check_socket_for(story, &u, &here, thing_name, placed),
                _ => {}
            }
        }
    }

    fn check_clip(&mut self, u: &ThingUse, things: &[&Thing], clip: &str) {
        let name = &u.name;
        let models: Vec<&&Thing> = things.iter().filter(|t| t.model_file().is_some()).collect();
        let Some(model) = models.first() else {
            self.error(
                &u.path,
                format!("`{name}` is not a model: only a model's clips can be played"),
            )
            .hint = Some(
                "make it `is: Model(file: \"models/....glb\")`, a model with animation clips"
                    .into(),
            );
            return;
        };
        if models.iter().any(|t| t.clips.iter().any(|c| c == clip)) {
            return;
        }
        let file = model
            .model_file()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let hint = did_you_mean(clip, model.clips.iter().map(String::as_str)).or_else(|| {
            Some(if model.clips.is_empty() {
                "the file has no named animations".to_owned()
            } else {
                format!("its clips are: {}", model.clips.join(", "))
            })
        });
        let path = u.detail_path.clone().unwrap_or_else(|| u.path.clone());
        self.error(
            &path,
            format!("`{name}`'s model `{file}` has no clip `{clip}`"),
        )
        .hint = hint;
    }

    fn check_socket_for(
        &mut self,
        story: &Story,
        u: &ThingUse,
        here: &[ThingId],
        thing_name: &str,
        placed: &ThingSet,
    ) {
        let name = &u.name;
        let holders: Vec<&Thing> = here
            .iter()
            .map(|t| story.thing(*t))
            .filter(|t| !t.sockets.is_empty())
            .collect();
        let Some(first) = holders.first() else {
            self.error(&u.path, format!("`{name}` has no sockets"))
                .hint = Some(
                "write sockets in its scene: `sockets: { \"1\": (at: (0.0, 0.3, 0.0), accepts: [\"rose\"]) }`, or add empties named `socket_1`, `socket_2`... to its model".into(),
            );
            return;
        };
        let fits = here.iter().any(|h| {
            let holder = story.thing(*h);
            placed
                .in_place(h.place)
                .map(|t| story.thing(t))
                .any(|t| holder.sockets.iter().any(|s| s.accepts(t)))
        });
        if fits {
            return;
        }
        let takes = first
            .sockets
            .iter()
            .map(|s| {
                let what = if s.accepts.is_empty() {
                    "anything that can be picked up".to_owned()
                } else {
                    s.accepts.join(", ")
                };
                format!("`{}` takes {what}", s.name)
            })
            .collect::<Vec<_>>()
            .join("; ");
        self.error(
            &u.path,
            format!("no socket of `{name}` accepts `{thing_name}`"),
        )
        .hint = Some(format!(
            "{takes}; write `accepts: [\"{thing_name}\"]` on a socket of `{}` (and `{thing_name}` must have `grab: true`)",
            first.id
        ));
    }
}
