//! Compiling one thing of a scene: its kind (names resolved, colours compiled), then
//! what it can do (`grab`, `touch`, `tags`, `sockets`, `flame`) over what its kind or
//! model gives by itself, its `scale` and its bounds; and the scale sanity of a model
//! (a chair 92 m tall was exported in centimetres).

use glam::{Quat, Vec3};

use super::Compiler;
use super::parse::{Source, parse_color};
use super::scene_models::{SOCKET_PREFIX, SceneModel};
use crate::diagnostic::{Diagnostic, Severity, did_you_mean};
use crate::format::{self, ThingDef};
use crate::spans::{Seg, field, index, key, key_name};
use crate::story::kit;
use crate::story::*;

/// The largest a thing's model may be before its scale is questioned, metres.
pub(super) const THING_TALLEST: f32 = 6.0;
/// The smallest (in every direction) a thing's model may be, metres.
pub(super) const THING_SMALLEST: f32 = 0.01;
/// The smallest an environment's model may be across, metres.
pub(super) const PLACE_SMALLEST: f32 = 2.0;
/// The largest an environment's model may be across, metres.
pub(super) const PLACE_LARGEST: f32 = 5000.0;

/// The tags a thing as written carries: its kind's own (a candle's `candle`) and
/// those written.
pub(super) fn tags_of(def: &ThingDef) -> Vec<String> {
    let mut tags: Vec<String> = match def.is {
        format::ThingKind::Candle { .. } => vec![CANDLE_TAG.to_owned()],
        _ => Vec::new(),
    };
    for t in &def.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    tags
}

/// `0.01`, `100.0`: a scale as an author writes it.
pub(super) fn written_scale(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_owned()
    }
}

/// `92`, `1.3`, `0.004`: metres as a message says them.
pub(super) fn metres(v: f32) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// When a model of `size` (after its scale) is far outside `smallest..=largest`: the
/// power of ten that brings it back, and why ("exported in centimetres").
pub(super) fn scale_advice(
    largest_side: f32,
    smallest: f32,
    largest: f32,
) -> Option<(f64, &'static str)> {
    let v = f64::from(largest_side);
    if !(v.is_finite() && v > 0.0) {
        return None;
    }
    let k = if largest_side > largest {
        -(v / f64::from(largest)).log10().ceil()
    } else if largest_side < smallest {
        (f64::from(smallest) / v).log10().ceil()
    } else {
        return None;
    };
    let why = match k as i32 {
        -2 => "if it was exported in centimetres",
        -3 => "if it was exported in millimetres",
        _ => "if it was exported in another unit",
    };
    Some((10f64.powi(k as i32), why))
}

/// How to write the scale that brings a model back to size: `factor` times the
/// `written` one.
pub(super) fn scale_hint(written: f32, factor: f64, why: &str) -> String {
    let total = written_scale(f64::from(written) * factor);
    if (written - 1.0).abs() < 1e-6 {
        format!("{why}, write `scale: {total}`")
    } else {
        format!(
            "with `scale: {}` it is out of size; write `scale: {total}`",
            written_scale(f64::from(written))
        )
    }
}

impl Compiler<'_> {
    /// One thing of a scene; its problems go into `errors` (or warnings into them too,
    /// as diagnostics of their own severity).
    pub(super) fn compile_thing(
        &mut self,
        tid: &str,
        def: &ThingDef,
        src: &Source,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Thing> {
        let tpath = vec![field("things"), key(tid)];
        let sub = |rest: &[Seg]| [&tpath[..], rest].concat();
        let (at, facing) = (def.at, def.facing);
        if ![at.0, at.1, at.2, facing].iter().all(|v| v.is_finite()) {
            errors.push(src.diag(Severity::Error, &tpath, "positions must be finite numbers"));
        }
        let kind = self.compile_kind(&def.is, src, &tpath, errors)?;
        let model = match &def.is {
            format::ThingKind::Model { file } => {
                self.scene_model(file, src, &sub(&[field("is"), field("file")]), errors)
            }
            _ => None,
        };
        let scale = if def.scale.is_finite() && def.scale > 0.0 {
            def.scale
        } else {
            errors.push(src.diag(
                Severity::Error,
                &sub(&[field("scale")]),
                "`scale` must be more than 0 (1.0 is the size as modelled)",
            ));
            1.0
        };
        let bodiless = match kind {
            ThingKind::Actor(_) => Some("an actor"),
            ThingKind::Marker => Some("a marker, which has no body"),
            _ => None,
        };
        if let Some(what) = bodiless {
            for (name, given) in [
                ("grab", def.grab.is_some()),
                ("touch", def.touch.is_some()),
                ("sockets", !def.sockets.is_empty()),
                ("flame", def.flame.is_some()),
            ] {
                if given {
                    let hint = matches!(kind, ThingKind::Actor(_)).then(|| {
                        "an actor's hand is taken with `HandHeld`, and her touch is waited for with `Touched(actor: ..., zone: ...)`".to_owned()
                    });
                    errors.push(
                        src.diag(
                            Severity::Error,
                            &sub(&[field(name)]),
                            format!("`{name}` is for things; `{tid}` is {what}"),
                        )
                        .with_hint_opt(hint),
                    );
                }
            }
        }
        for (i, t) in def.tags.iter().enumerate() {
            if t.trim().is_empty() {
                errors.push(src.diag(
                    Severity::Error,
                    &sub(&[field("tags"), index(i)]),
                    "a tag cannot be empty",
                ));
            }
        }
        let sockets = self.compile_sockets(tid, def, &kind, model.as_deref(), src, &tpath, errors);
        let flame = match &def.flame {
            Some(f) => {
                if ![f.at.0, f.at.1, f.at.2].iter().all(|v| v.is_finite()) {
                    errors.push(src.diag(
                        Severity::Error,
                        &sub(&[field("flame"), field("at")]),
                        "positions must be finite numbers",
                    ));
                }
                Some(Flame {
                    at: Vec3::from(f.at),
                    lit: f.lit,
                })
            }
            None => kit::builtin_flame(&kind),
        };
        let bounds = match &kind {
            ThingKind::Model { .. } => model.as_ref().and_then(|m| m.bounds),
            other => kit::builtin_bounds(other),
        }
        .map(|b| b.scaled(scale));
        if let (format::ThingKind::Model { file }, Some(b)) = (&def.is, bounds) {
            self.check_thing_scale(
                file,
                b,
                scale,
                src,
                &sub(&[field("is"), field("file")]),
                errors,
            );
        }
        Some(Thing {
            id: tid.to_owned(),
            at: def.at,
            facing: def.facing,
            hidden: def.hidden,
            scale,
            grab: def.grab.unwrap_or(kit::builtin_grab(&kind)),
            touch: def.touch.unwrap_or(false),
            tags: tags_of(def),
            sockets,
            flame,
            bounds,
            clips: model.map(|m| m.clips.clone()).unwrap_or_default(),
            kind,
        })
    }

    /// A model thing far bigger or smaller than any thing: a warning with the factor.
    fn check_thing_scale(
        &self,
        file: &str,
        b: Bounds,
        scale: f32,
        src: &Source,
        path: &[Seg],
        errors: &mut Vec<Diagnostic>,
    ) {
        let largest = b.largest();
        let Some((factor, why)) = scale_advice(largest, THING_SMALLEST, THING_TALLEST) else {
            return;
        };
        let tall = b.size().y >= largest;
        let message = if factor < 1.0 {
            format!(
                "`{file}` is {} m {}, too big for a thing (more than {THING_TALLEST} m)",
                metres(largest),
                if tall { "tall" } else { "across" },
            )
        } else {
            format!(
                "`{file}` is {} m across at most, too small for a thing (less than 1 cm every way)",
                metres(largest),
            )
        };
        errors.push(
            src.diag(Severity::Warning, path, message)
                .with_hint(scale_hint(scale, factor, why)),
        );
    }

    /// The kind, names resolved and colours compiled; `None` when it names someone not
    /// in the cast.
    fn compile_kind(
        &mut self,
        is: &format::ThingKind,
        src: &Source,
        tpath: &[Seg],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<ThingKind> {
        let is_path = |rest: &str| [tpath, &[field("is"), field(rest)]].concat();
        let mut color = |path: Vec<Seg>, s: &str| -> Rgb {
            parse_color(s).unwrap_or_else(|| {
                errors.push(
                    src.diag(Severity::Error, &path, format!("`{s}` is not a colour"))
                        .with_hint("write colours as \"#rrggbb\""),
                );
                Rgb::BLACK
            })
        };
        use format::ThingKind as K;
        Some(match is {
            K::Actor(cast) => match self.file.cast.keys().position(|c| c == cast) {
                Some(i) => ThingKind::Actor(ActorId(i as u16)),
                None => {
                    errors.push(
                        src.diag(
                            Severity::Error,
                            &[tpath, &[field("is")]].concat(),
                            format!("`{cast}` is not in the story's cast"),
                        )
                        .with_hint_opt(did_you_mean(cast, self.file.cast.keys())),
                    );
                    return None;
                }
            },
            K::Marker => ThingKind::Marker,
            K::Bench => ThingKind::Bench,
            K::Tree { height } => ThingKind::Tree { height: *height },
            K::Lamp => ThingKind::Lamp,
            K::Bed { color: c } => ThingKind::Bed {
                color: color(is_path("color"), c),
            },
            K::Balloon { color: c, height } => ThingKind::Balloon {
                color: color(is_path("color"), c),
                height: *height,
            },
            K::Toy { kind, color: c } => ThingKind::Toy {
                kind: *kind,
                color: color(is_path("color"), c),
            },
            K::Table => ThingKind::Table,
            K::Cake { candle_sockets } => {
                if !(1..=12).contains(candle_sockets) {
                    errors.push(src.diag(
                        Severity::Error,
                        &is_path("candle_sockets"),
                        "a cake has 1 to 12 candle sockets",
                    ));
                }
                ThingKind::Cake {
                    candle_sockets: *candle_sockets,
                }
            }
            K::Candle { color: c } => ThingKind::Candle {
                color: color(is_path("color"), c),
            },
            K::Window => ThingKind::Window,
            K::Letter => ThingKind::Letter,
            K::Flowers { color: c } => ThingKind::Flowers {
                color: color(is_path("color"), c),
            },
            K::Model { file } => ThingKind::Model { file: file.into() },
        })
    }

    /// The sockets a thing has: those found by themselves (its model's `socket_*`
    /// empties, a cake's candle sockets), refined or added to by those written.
    fn compile_sockets(
        &mut self,
        tid: &str,
        def: &ThingDef,
        kind: &ThingKind,
        model: Option<&SceneModel>,
        src: &Source,
        tpath: &[Seg],
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<Socket> {
        let mut sockets: Vec<Socket> = match model {
            Some(m) => m
                .sockets
                .iter()
                .map(|(name, at, rotation)| Socket {
                    name: name.clone(),
                    at: *at,
                    rotation: *rotation,
                    accepts: Vec::new(),
                })
                .collect(),
            None => kit::builtin_sockets(kind),
        };
        let found: Vec<String> = sockets.iter().map(|s| s.name.clone()).collect();
        let mut written: Vec<&str> = Vec::new();
        for (name, sdef) in def.sockets.iter() {
            let spath = [tpath, &[field("sockets"), key(name)]].concat();
            if written.contains(&name) {
                errors.push(src.diag(
                    Severity::Error,
                    &[tpath, &[field("sockets"), key_name(name)]].concat(),
                    format!("the socket `{name}` is written twice"),
                ));
                continue;
            }
            written.push(name);
            for (i, a) in sdef.accepts.iter().enumerate() {
                if !self.thing_ids.contains(a) && !self.thing_tags.contains(a) {
                    let names = self.thing_ids.iter().chain(&self.thing_tags);
                    errors.push(
                        src.diag(
                            Severity::Error,
                            &[&spath[..], &[field("accepts"), index(i)]].concat(),
                            format!("no scene has a thing or tag called `{a}`"),
                        )
                        .with_hint_opt(
                            did_you_mean(a, names.map(String::as_str)).or_else(|| {
                                Some(
                                    "a socket accepts thing ids and tags (`tags: [\"rose\"]`)"
                                        .into(),
                                )
                            }),
                        ),
                    );
                }
            }
            if let Some(at) = sdef.at
                && ![at.0, at.1, at.2].iter().all(|v| v.is_finite())
            {
                errors.push(src.diag(
                    Severity::Error,
                    &[&spath[..], &[field("at")]].concat(),
                    "positions must be finite numbers",
                ));
            }
            if let Some(s) = sockets.iter_mut().find(|s| s.name == name) {
                if let Some(at) = sdef.at {
                    s.at = Vec3::from(at);
                }
                if !sdef.accepts.is_empty() {
                    s.accepts = sdef.accepts.clone();
                }
                continue;
            }
            if let Some(at) = sdef.at {
                sockets.push(Socket {
                    name: name.to_owned(),
                    at: Vec3::from(at),
                    rotation: Quat::IDENTITY,
                    accepts: sdef.accepts.clone(),
                });
                continue;
            }
            let (message, fallback) = match &def.is {
                // A model that could not be read is reported already; its empties are
                // not known.
                format::ThingKind::Model { .. } if model.is_none() => continue,
                format::ThingKind::Model { file } => (
                    format!(
                        "`{tid}`'s model `{file}` has no empty `{SOCKET_PREFIX}{name}`, and the socket gives no `at`"
                    ),
                    if found.is_empty() {
                        format!(
                            "write `at: (x, y, z)`, or add an empty named `{SOCKET_PREFIX}{name}` to the model"
                        )
                    } else {
                        format!(
                            "its sockets are: {}; or write `at: (x, y, z)`",
                            found.join(", ")
                        )
                    },
                ),
                _ => (
                    format!(
                        "`{tid}` has no socket `{name}` of its own, and the socket gives no `at`"
                    ),
                    "write `at: (x, y, z)`: where the socket is, in metres from the thing's origin"
                        .to_owned(),
                ),
            };
            let hint = did_you_mean(name, found.iter().map(String::as_str)).or(Some(fallback));
            errors.push(
                src.diag(Severity::Error, &spath, message)
                    .with_hint_opt(hint),
            );
        }
        sockets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_advice_is_a_power_of_ten_back_into_range() {
        assert_eq!(
            scale_advice(92.0, THING_SMALLEST, THING_TALLEST),
            Some((0.01, "if it was exported in centimetres"))
        );
        assert_eq!(
            scale_advice(920.0, THING_SMALLEST, THING_TALLEST).map(|a| a.0),
            Some(0.001)
        );
        assert_eq!(
            scale_advice(0.0009, THING_SMALLEST, THING_TALLEST).map(|a| a.0),
            Some(100.0)
        );
        assert_eq!(scale_advice(0.92, THING_SMALLEST, THING_TALLEST), None);
        assert_eq!(scale_advice(6.0, THING_SMALLEST, THING_TALLEST), None);
        assert_eq!(written_scale(0.01), "0.01");
        assert_eq!(written_scale(100.0), "100.0");
        assert_eq!(metres(92.1), "92");
        assert_eq!(metres(0.005), "0.005");
    }
}
