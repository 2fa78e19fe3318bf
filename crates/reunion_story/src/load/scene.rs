//! Compiling the places: every scene file read and parsed first (so each knows every
//! thing id and tag of the story), then each one's environment (procedural, or a model
//! with its light) and its things ([`super::things`]), and what the place costs to draw
//! ([`super::cost`]).

use std::collections::HashSet;
use std::io;
use std::path::PathBuf;

use super::Compiler;
use super::files::{check_relative_path, read_failure};
use super::parse::{Source, parse_color, parse_ron};
use super::things::{PLACE_LARGEST, PLACE_SMALLEST, metres, scale_advice, scale_hint, tags_of};
use crate::diagnostic::{Diagnostic, Severity};
use crate::format::{self, SceneFile};
use crate::spans::{Seg, field, key, key_name};
use crate::story::*;

/// The first bytes of every KTX2 file.
const KTX2_MAGIC: [u8; 12] = [
    0xAB, 0x4B, 0x54, 0x58, 0x20, 0x32, 0x30, 0xBB, 0x0D, 0x0A, 0x1A, 0x0A,
];

impl Compiler<'_> {
    pub(super) fn compile_places(&mut self) -> Vec<Place> {
        let f = self.file;
        if f.places.is_empty() {
            self.error(&[field("places")], "the story has no places: a story plays in at least one")
                .hint = Some(
                "name a scene file: `places: { \"park\": \"park.scene.ron\" }`, and begin with `Go(place: \"park\", ...)`"
                    .into(),
            );
        }
        let mut parsed = Vec::new();
        for (i, (id, file)) in f.places.iter().enumerate() {
            let path = [field("places"), key(id)];
            let rel = match check_relative_path(file) {
                Ok(p) => p,
                Err(e) => {
                    self.error(&path, e);
                    continue;
                }
            };
            if !file.ends_with(".scene.ron") {
                self.warn(
                    &path,
                    format!("scene files are named `*.scene.ron`, not `{file}`"),
                );
            }
            let full = self.story_dir.join(&rel);
            let display = self.display_root.join(&full);
            let text = match self.files.read(&full) {
                Ok(t) => t,
                Err(e) => {
                    let msg = if e.kind() == io::ErrorKind::NotFound {
                        format!("place `{id}`: the scene file `{file}` does not exist")
                    } else {
                        let why = read_failure(&e, || format!("cannot read `{file}`: {e}"));
                        format!("place `{id}`: {why}")
                    };
                    self.error(&path, msg);
                    continue;
                }
            };
            let scene: SceneFile = match parse_ron(&display, &text) {
                Ok(s) => s,
                Err(d) => {
                    self.diags.push(*d);
                    continue;
                }
            };
            for (tid, def) in scene.things.iter() {
                self.thing_ids.push(tid.to_owned());
                for tag in tags_of(def) {
                    if !self.thing_tags.contains(&tag) {
                        self.thing_tags.push(tag);
                    }
                }
            }
            parsed.push((
                PlaceId(i as u16),
                id,
                file,
                scene,
                Source::new(display, text),
            ));
        }
        let mut places = Vec::new();
        for (place_id, id, file, scene, src) in parsed {
            if let Some(place) = self.compile_scene(id, file, &scene, &src) {
                self.place_things.push((
                    place_id,
                    place
                        .things
                        .iter()
                        .map(|t| (t.id.clone(), t.tags.clone()))
                        .collect(),
                ));
                places.push(place);
                self.scene_sources.push((place_id, src));
            }
        }
        places
    }

    pub(super) fn compile_scene(
        &mut self,
        id: &str,
        file: &str,
        scene: &SceneFile,
        src: &Source,
    ) -> Option<Place> {
        let mut errors = Vec::new();
        let environment = self.compile_environment(&scene.environment, src, &mut errors);
        self.ambience_clip(&environment, src);
        let mut seen = HashSet::new();
        let mut things = Vec::new();
        for (tid, def) in scene.things.iter() {
            if !seen.insert(tid) {
                errors.push(src.diag(
                    Severity::Error,
                    &[field("things"), key_name(tid)],
                    format!("`{tid}` is defined more than once"),
                ));
            }
            if let Some(thing) = self.compile_thing(tid, def, src, &mut errors) {
                things.push(thing);
            }
        }
        let mut models: Vec<PathBuf> = Vec::new();
        for m in environment
            .model_file()
            .into_iter()
            .chain(things.iter().filter_map(Thing::model_file))
        {
            if !models.contains(m) {
                models.push(m.clone());
            }
        }
        // The actors' own models (the cast checker reads and reports them).
        for t in &things {
            if let ThingKind::Actor(a) = t.kind
                && let Some((_, entry)) = self.file.cast.0.get(a.index())
                && let Some(m) = &entry.model
                && let Ok(rel) = check_relative_path(&m.file)
                && !models.contains(&rel)
            {
                models.push(rel);
            }
        }
        let ok = !errors.iter().any(|d| d.severity == Severity::Error);
        for e in errors {
            self.diags.push(e);
        }
        let place = Place {
            id: id.to_owned(),
            file: file.to_owned(),
            environment,
            start: scene.start.clone(),
            things,
            models,
        };
        self.check_place_cost(&place);
        ok.then_some(place)
    }

    fn compile_environment(
        &mut self,
        env: &format::Environment,
        src: &Source,
        errors: &mut Vec<Diagnostic>,
    ) -> Environment {
        let env_path = |rest: &[Seg]| [&[field("environment")][..], rest].concat();
        let color = |path: Vec<Seg>, s: &str, errors: &mut Vec<Diagnostic>| -> Rgb {
            parse_color(s).unwrap_or_else(|| {
                errors.push(
                    src.diag(Severity::Error, &path, format!("`{s}` is not a colour"))
                        .with_hint("write colours as \"#rrggbb\""),
                );
                Rgb::BLACK
            })
        };
        let sky =
            |s: &str, errors: &mut Vec<Diagnostic>| color(env_path(&[field("sky")]), s, errors);
        match env {
            format::Environment::Park { sky: s, trees } => Environment::Park {
                sky: sky(s, errors),
                trees: *trees,
            },
            format::Environment::Sky { sky: s } => Environment::Sky {
                sky: sky(s, errors),
            },
            format::Environment::Room { walls, size } => {
                if size.0 < 2.0 || size.1 < 2.0 {
                    errors.push(src.diag(
                        Severity::Error,
                        &env_path(&[field("size")]),
                        "a room must be at least 2 m by 2 m",
                    ));
                }
                Environment::Room {
                    walls: color(env_path(&[field("walls")]), walls, errors),
                    size: *size,
                }
            }
            format::Environment::Model {
                file,
                scale,
                sky: s,
                sun,
                ambient,
                environment_map,
            } => {
                let scale = if scale.is_finite() && *scale > 0.0 {
                    *scale
                } else {
                    errors.push(src.diag(
                        Severity::Error,
                        &env_path(&[field("scale")]),
                        "`scale` must be more than 0 (1.0 is the size as modelled)",
                    ));
                    1.0
                };
                let file_path = env_path(&[field("file")]);
                let model = self.scene_model(file, src, &file_path, errors);
                let bounds = model
                    .as_ref()
                    .and_then(|m| m.bounds)
                    .map(|b| b.scaled(scale));
                if let Some(b) = bounds
                    && let Some((factor, why)) =
                        scale_advice(b.largest(), PLACE_SMALLEST, PLACE_LARGEST)
                {
                    let size = metres(b.largest());
                    let message = if factor < 1.0 {
                        format!(
                            "`{file}` is {size} m across, too big for a place (more than {PLACE_LARGEST} m)"
                        )
                    } else {
                        format!(
                            "`{file}` is {size} m across, too small for a place (less than {PLACE_SMALLEST} m)"
                        )
                    };
                    errors.push(
                        src.diag(Severity::Warning, &file_path, message)
                            .with_hint(scale_hint(scale, factor, why)),
                    );
                }
                let sun = sun.as_ref().map(|sun| {
                    let sun_path = |rest: &str| env_path(&[field("sun"), field(rest)]);
                    let d = glam::Vec3::from(sun.direction);
                    let direction = if d.is_finite() && d.length() > 1e-6 {
                        let d = d.normalize();
                        if d.y >= 0.0 {
                            errors.push(
                                src.diag(
                                    Severity::Warning,
                                    &sun_path("direction"),
                                    "this sun shines upwards, from below the ground",
                                )
                                .with_hint(
                                    "`direction` is the way the light travels: down is a negative y, e.g. (0.3, -1.0, -0.4)",
                                ),
                            );
                        }
                        d
                    } else {
                        errors.push(src.diag(
                            Severity::Error,
                            &sun_path("direction"),
                            "the sun's `direction` must be a direction, not (0.0, 0.0, 0.0)",
                        ));
                        glam::Vec3::NEG_Y
                    };
                    if !(sun.illuminance.is_finite() && sun.illuminance >= 0.0) {
                        errors.push(src.diag(
                            Severity::Error,
                            &sun_path("illuminance"),
                            "`illuminance` is in lux, 0 or more",
                        ));
                    }
                    Sun {
                        direction,
                        color: color(sun_path("color"), &sun.color, errors),
                        illuminance: sun.illuminance,
                    }
                });
                if !(ambient.brightness.is_finite() && ambient.brightness >= 0.0) {
                    errors.push(src.diag(
                        Severity::Error,
                        &env_path(&[field("ambient"), field("brightness")]),
                        "`brightness` must be 0 or more",
                    ));
                }
                let ambient = Ambient {
                    color: color(
                        env_path(&[field("ambient"), field("color")]),
                        &ambient.color,
                        errors,
                    ),
                    brightness: ambient.brightness,
                };
                let environment_map = environment_map.as_ref().and_then(|m| {
                    self.environment_map(m, src, &env_path(&[field("environment_map")]), errors)
                });
                if let Some(m) = &model
                    && m.lights == 0
                    && sun.is_none()
                    && environment_map.is_none()
                {
                    errors.push(
                        src.diag(
                            Severity::Warning,
                            &file_path,
                            format!("`{file}` has no lights and the scene gives no `sun`: only the ambient light reaches this place"),
                        )
                        .with_hint("add `sun: (direction: (0.3, -1.0, -0.4))`, or lights to the model (KHR_lights_punctual)"),
                    );
                }
                Environment::Model {
                    file: file.into(),
                    scale,
                    sky: sky(s, errors),
                    sun,
                    ambient,
                    environment_map,
                    bounds,
                }
            }
        }
    }

    /// An environment map: a KTX2 file in the story folder.
    fn environment_map(
        &mut self,
        written: &str,
        src: &Source,
        path: &[Seg],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<PathBuf> {
        let rel = match check_relative_path(written) {
            Ok(p) => p,
            Err(e) => {
                errors.push(src.diag(Severity::Error, path, e));
                return None;
            }
        };
        let problem = match self.files.read_bytes(&self.story_dir.join(&rel)) {
            Ok(bytes) if bytes.starts_with(&KTX2_MAGIC) => None,
            Ok(_) => Some(format!(
                "the environment map `{written}` is not a KTX2 file"
            )),
            Err(e) => Some(read_failure(&e, || {
                if e.kind() == io::ErrorKind::NotFound {
                    format!("the environment map `{written}` does not exist")
                } else {
                    format!("the environment map `{written}` cannot be read: {e}")
                }
            })),
        };
        match problem {
            Some(message) => {
                errors.push(src.diag(Severity::Error, path, message).with_hint(
                    "an environment map is a KTX2 cube map, e.g. made with `cmgen` or `ktx create --cubemap`",
                ));
                None
            }
            None => Some(rel),
        }
    }
}
