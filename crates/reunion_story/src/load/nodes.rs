//! Compiling nodes: lines, waits and their conditions, pauses, branches and sets,
//! moves between places and their transitions, and the world cues of `Cue` nodes.

use super::files::voice_clip_path;
use super::parse::parse_color;
use super::world_refs::Need;
use super::{Compiler, node_path};
use crate::diagnostic::did_you_mean;
use crate::format::{self, NodeDef};
use crate::spans::{Seg, field, index, key_name};
use crate::story::*;
use crate::subtitle_fit;

impl Compiler<'_> {
    /// Warns of a line too long for the subtitle panel to show in one view, in each
    /// language it is too long in.
    fn check_fits_panel(&mut self, id: &str, text: &[String]) {
        for (lang, t) in self.file.languages.clone().iter().zip(text) {
            let lines = subtitle_fit::panel_lines(t);
            if lines > subtitle_fit::PANEL_LINES {
                self.warn(
                    &node_path(id, &[field("text"), key_name(lang)]),
                    format!(
                        "line `{id}` is too long for the subtitle panel in `{lang}`: about {lines} lines where {} show at once",
                        subtitle_fit::PANEL_LINES
                    ),
                )
                .hint = Some(format!(
                    "the panel shows about {} characters of this text; split it into two `Say` nodes",
                    subtitle_fit::capacity_chars(t)
                ));
            }
        }
    }

    pub(super) fn positive(&mut self, path: &[Seg], value: f32, what: &str) {
        if !(value.is_finite() && value > 0.0) {
            self.error(path, format!("{what} must be more than 0 seconds"));
        }
    }

    /// `next` written, or the node after this one in the file.
    pub(super) fn next_of(&mut self, i: usize, id: &str, next: &Option<String>) -> Option<NodeId> {
        match next {
            Some(n) => self.node_ref(&node_path(id, &[field("next")]), n, "`next`"),
            None => {
                if i + 1 < self.file.nodes.len() {
                    Some(NodeId(i as u32 + 1))
                } else {
                    self.error(
                        &node_path(id, &[]),
                        format!("the story runs off its end after `{id}`"),
                    )
                    .hint = Some("end the story with an `End()` node, or give `next`".into());
                    None
                }
            }
        }
    }

    pub(super) fn compile_node(&mut self, i: usize, id: &str, def: &NodeDef) -> Option<NodeKind> {
        Some(match def {
            NodeDef::Say {
                speaker,
                text,
                voice,
                gesture,
                expression,
                look_at,
                pause,
                next,
            } => {
                let speaker_id = self.actor_ref(&node_path(id, &[field("speaker")]), speaker);
                let text = self.text_per_language(
                    &node_path(id, &[field("text")]),
                    text,
                    &format!("line `{id}`"),
                );
                self.check_fits_panel(id, &text);
                let clip_seconds = match voice {
                    Some(v) => self
                        .file
                        .languages
                        .iter()
                        .map(|lang| {
                            self.voice_clip(
                                &node_path(id, &[field("voice")]),
                                &voice_clip_path(lang, v),
                            )
                        })
                        .collect(),
                    None => vec![None; self.file.languages.len()],
                };
                let look_at = match look_at {
                    Some(l) => self.look_target(&node_path(id, &[field("look_at")]), l),
                    None => None,
                };
                if !(pause.is_finite() && *pause >= 0.0) {
                    self.error(
                        &node_path(id, &[field("pause")]),
                        "a pause cannot be negative",
                    );
                }
                let next = self.next_of(i, id, next);
                NodeKind::Say(Line {
                    speaker: speaker_id?,
                    text,
                    voice: voice.clone(),
                    clip_seconds,
                    gesture: *gesture,
                    expression: *expression,
                    look_at,
                    pause: *pause,
                    next: next?,
                })
            }
            NodeDef::Wait {
                until,
                timeout,
                on_timeout,
                next,
            } => {
                let until = self.condition(i, &node_path(id, &[field("until")]), until);
                if let Some(t) = timeout {
                    self.positive(&node_path(id, &[field("timeout")]), *t, "a timeout");
                } else {
                    self.warn(
                        &node_path(id, &[]),
                        format!(
                            "wait `{id}` has no timeout: the participant could be left waiting here"
                        ),
                    )
                    .hint = Some("add `timeout: 30.0` (seconds) and perhaps `on_timeout`".into());
                }
                let next = self.next_of(i, id, next);
                let on_timeout = match on_timeout {
                    Some(o) => {
                        if timeout.is_none() {
                            self.warn(
                                &node_path(id, &[field("on_timeout")]),
                                "`on_timeout` is never used without a `timeout`",
                            );
                        }
                        self.node_ref(&node_path(id, &[field("on_timeout")]), o, "`on_timeout`")
                    }
                    None => next,
                };
                NodeKind::Wait {
                    until: until?,
                    timeout: *timeout,
                    on_timeout: on_timeout?,
                    next: next?,
                }
            }
            NodeDef::Pause { seconds, next } => {
                self.positive(&node_path(id, &[field("seconds")]), *seconds, "a pause");
                NodeKind::Pause {
                    seconds: *seconds,
                    next: self.next_of(i, id, next)?,
                }
            }
            NodeDef::Branch {
                var,
                equals,
                then,
                otherwise,
            } => {
                let v = self.var_ref(&node_path(id, &[field("var")]), var);
                if let Some(v) = v {
                    self.check_value_type(&node_path(id, &[field("equals")]), v, equals);
                }
                let then = self.node_ref(&node_path(id, &[field("then")]), then, "`then`");
                let otherwise = match otherwise {
                    Some(o) => {
                        self.node_ref(&node_path(id, &[field("otherwise")]), o, "`otherwise`")
                    }
                    None => self.next_of(i, id, &None),
                };
                NodeKind::Branch {
                    var: v?,
                    equals: equals.clone(),
                    then: then?,
                    otherwise: otherwise?,
                }
            }
            NodeDef::Set { var, value, next } => {
                let v = self.var_ref(&node_path(id, &[field("var")]), var);
                if let Some(v) = v {
                    self.check_value_type(&node_path(id, &[field("value")]), v, value);
                }
                NodeKind::Set {
                    var: v?,
                    value: value.clone(),
                    next: self.next_of(i, id, next)?,
                }
            }
            NodeDef::Go {
                place,
                transition,
                next,
            } => {
                let place_id = match self.file.places.keys().position(|p| p == place) {
                    Some(p) => Some(PlaceId(p as u16)),
                    None => {
                        let hint = did_you_mean(place, self.file.places.keys());
                        self.error(
                            &node_path(id, &[field("place")]),
                            format!("there is no place `{place}`"),
                        )
                        .hint = hint;
                        None
                    }
                };
                let tpath = node_path(id, &[field("transition")]);
                let transition = self.transition(&tpath, transition);
                NodeKind::Go {
                    place: place_id?,
                    transition: transition?,
                    next: self.next_of(i, id, next)?,
                }
            }
            NodeDef::Cue { world, next } => {
                let mut cues = Vec::new();
                let mut ok = true;
                for (ci, cue) in world.iter().enumerate() {
                    match self.world_cue(i, &node_path(id, &[field("world"), index(ci)]), cue) {
                        Some(c) => cues.push(c),
                        None => ok = false,
                    }
                }
                if world.is_empty() {
                    self.warn(
                        &node_path(id, &[field("world")]),
                        "this cue asks for nothing",
                    );
                }
                let next = self.next_of(i, id, next);
                if !ok {
                    return None;
                }
                NodeKind::Cue {
                    world: cues,
                    next: next?,
                }
            }
            NodeDef::End { aftercare } => NodeKind::End {
                aftercare: aftercare.as_ref().map(|t| {
                    self.text_per_language(
                        &node_path(id, &[field("aftercare")]),
                        t,
                        "the aftercare text",
                    )
                }),
            },
        })
    }

    pub(super) fn check_value_type(&mut self, path: &[Seg], var: VarId, value: &Value) {
        let (name, initial) = &self.file.variables.0[var.index()];
        if std::mem::discriminant(initial) != std::mem::discriminant(value) {
            let name = name.clone();
            let initial = initial.clone();
            self.error(
                path,
                format!(
                    "`{name}` starts as {initial}, so it cannot be compared with or set to {value}"
                ),
            );
        }
    }

    pub(super) fn transition(
        &mut self,
        path: &[Seg],
        t: &format::Transition,
    ) -> Option<Transition> {
        use format::Transition as T;
        self.positive(
            &[path, &[field("seconds")]].concat(),
            t.seconds(),
            "a transition",
        );
        Some(match t {
            T::Fade { color, seconds } => {
                let c = parse_color(color);
                if c.is_none() {
                    self.error(
                        &[path, &[field("color")]].concat(),
                        format!("`{color}` is not a colour"),
                    )
                    .hint = Some("write colours as \"#rrggbb\"".into());
                }
                Transition::Fade {
                    color: c?,
                    seconds: *seconds,
                }
            }
            T::Dissolve { seconds } => Transition::Dissolve { seconds: *seconds },
            T::LeadByHand { actor, seconds } => Transition::LeadByHand {
                actor: self.actor_ref(&[path, &[field("actor")]].concat(), actor)?,
                seconds: *seconds,
            },
            T::Butterfly { actor, seconds } => Transition::Butterfly {
                actor: self.actor_ref(&[path, &[field("actor")]].concat(), actor)?,
                seconds: *seconds,
            },
        })
    }

    pub(super) fn condition(
        &mut self,
        node: usize,
        path: &[Seg],
        c: &format::Condition,
    ) -> Option<Condition> {
        use format::Condition as C;
        let sub = |rest: Seg| [path, &[rest]].concat();
        Some(match c {
            C::HandHeld { by, participant } => {
                let c = Condition::HandHeld(self.actor_ref(&sub(field("by")), by)?);
                self.addressed(&sub(field("participant")), participant, c)?
            }
            C::HandReleased => Condition::HandReleased,
            C::GazeHeld {
                on,
                seconds,
                participant,
            } => {
                self.positive(&sub(field("seconds")), *seconds, "a gaze");
                let c = Condition::GazeHeld {
                    on: self.actor_ref(&sub(field("on")), on)?,
                    seconds: *seconds,
                };
                self.addressed(&sub(field("participant")), participant, c)?
            }
            C::Near {
                to,
                within,
                participant,
            } => {
                if !(within.is_finite() && *within > 0.0) {
                    self.error(&sub(field("within")), "`within` must be more than 0 metres");
                }
                let c = Condition::Near {
                    to: self.actor_ref(&sub(field("to")), to)?,
                    within: *within,
                };
                self.addressed(&sub(field("participant")), participant, c)?
            }
            C::CandlePlaced => Condition::CandlePlaced,
            C::AllCandlesPlaced => Condition::AllCandlesPlaced,
            C::CandlesLit => Condition::CandlesLit,
            C::CandlesBlownOut => Condition::CandlesBlownOut,
            C::ParticipantSpoke => Condition::ParticipantSpoke,
            C::Touched {
                actor,
                zone,
                participant,
            } => {
                let c = Condition::Touched {
                    actor: self.actor_ref(&sub(field("actor")), actor)?,
                    zone: *zone,
                };
                self.addressed(&sub(field("participant")), participant, c)?
            }
            C::OperatorCue(name) => Condition::OperatorCue(name.clone()),
            C::Heard(name) => Condition::Heard(self.intent_ref(&sub(index(0)), name)?),
            C::Placed { thing, into } => {
                let things = self.use_things(node, &sub(field("thing")), thing, true, Need::Grab);
                let into = match &things {
                    Some(placed) => self.use_things(
                        node,
                        &sub(field("in")),
                        into,
                        false,
                        Need::SocketFor {
                            name: thing.clone(),
                            things: placed.clone(),
                        },
                    ),
                    None => self.things_named(&sub(field("in")), into, false),
                };
                Condition::Placed {
                    thing: things?,
                    into: into?,
                }
            }
            C::Holding { thing } => Condition::Holding(self.use_things(
                node,
                &sub(field("thing")),
                thing,
                true,
                Need::Grab,
            )?),
            C::TouchedThing(thing) => Condition::TouchedThing(self.use_things(
                node,
                &sub(index(0)),
                thing,
                true,
                Need::Touch,
            )?),
            C::Lit(thing) => {
                Condition::Lit(self.use_things(node, &sub(index(0)), thing, true, Need::Flame)?)
            }
            C::Any(list) | C::All(list) => {
                if list.is_empty() {
                    self.error(path, "an empty `Any`/`All` can never be met");
                }
                let mut out = Vec::new();
                for (i, item) in list.iter().enumerate() {
                    out.push(self.condition(node, &sub(index(i)), item));
                }
                let out: Option<Vec<_>> = out.into_iter().collect();
                if matches!(c, C::Any(_)) {
                    Condition::Any(out?)
                } else {
                    Condition::All(out?)
                }
            }
        })
    }

    pub(super) fn world_cue(
        &mut self,
        node: usize,
        path: &[Seg],
        c: &format::WorldCueDef,
    ) -> Option<WorldCue> {
        use format::WorldCueDef as W;
        let sub = |rest: &str| [path, &[field(rest)]].concat();
        Some(match c {
            W::OfferHand { actor } => WorldCue::OfferHand(self.actor_ref(&sub("actor"), actor)?),
            W::LetGo { actor } => WorldCue::LetGo(self.actor_ref(&sub("actor"), actor)?),
            W::LightCandles => WorldCue::LightCandles,
            W::PlayMusic { clip } => {
                self.music_clip(&sub("clip"), clip);
                WorldCue::PlayMusic(clip.clone())
            }
            W::StopMusic { seconds } => {
                self.positive(&sub("seconds"), *seconds, "a music fade");
                WorldCue::StopMusic(*seconds)
            }
            W::Gesture { actor, gesture } => {
                WorldCue::Gesture(self.actor_ref(&sub("actor"), actor)?, *gesture)
            }
            W::Expression { actor, expression } => {
                WorldCue::Expression(self.actor_ref(&sub("actor"), actor)?, *expression)
            }
            W::LookAt { actor, at } => {
                let a = self.actor_ref(&sub("actor"), actor);
                let t = self.look_target(&sub("at"), at);
                WorldCue::LookAt(a?, t?)
            }
            W::Animate { thing, clip } => {
                let things =
                    self.use_things(node, &sub("thing"), thing, false, Need::Clip(clip.clone()))?;
                if let Some(u) = self.thing_uses.last_mut() {
                    u.detail_path = Some(sub("clip"));
                }
                WorldCue::Animate {
                    thing: things,
                    clip: clip.clone(),
                }
            }
            W::Light { thing } => {
                WorldCue::Light(self.use_things(node, &sub("thing"), thing, true, Need::Flame)?)
            }
            W::PutOut { thing } => {
                WorldCue::PutOut(self.use_things(node, &sub("thing"), thing, true, Need::Flame)?)
            }
            W::ReplayWords { intent } => {
                let id = self.intent_ref(&sub("intent"), intent);
                if !self.file.consent.as_ref().is_some_and(|c| c.record_speech) {
                    self.error(
                        path,
                        "`ReplayWords` plays the participant's own words back, which needs their consent",
                    )
                    .hint = Some(
                        "set `consent: ( …, record_speech: true )` once the participant has agreed, or remove the cue"
                            .into(),
                    );
                    return None;
                }
                WorldCue::ReplayWords(id?)
            }
            W::Show { thing } | W::Hide { thing } => {
                if !self.thing_exists(thing) {
                    let hint = did_you_mean(thing, self.thing_ids.iter().map(String::as_str));
                    self.error(
                        &sub("thing"),
                        format!("no scene has a thing called `{thing}`"),
                    )
                    .hint = hint;
                    return None;
                }
                if matches!(c, W::Show { .. }) {
                    WorldCue::Show(thing.clone())
                } else {
                    WorldCue::Hide(thing.clone())
                }
            }
        })
    }
}
