//! Compiling the story's sections: the story as a whole (format, languages, start,
//! ending), its safety settings and consent, and the cast. Places are compiled in
//! [`super::scene`], nodes in [`super::nodes`], the graph checked in [`super::graph`],
//! cast models in [`super::model`].

use std::collections::HashSet;

use super::Compiler;
use super::parse::parse_color;
use crate::diagnostic::did_you_mean;
use crate::format::{self, FORMAT_VERSION};
use crate::spans::{Seg, field, index, key, key_name};
use crate::story::*;

/// The longest participant name (they are shown in the others' views and logs; the
/// host refuses longer names at join).
pub const MAX_PARTICIPANT_NAME: usize = 32;

impl Compiler<'_> {
    pub(super) fn compile(&mut self) -> Option<Story> {
        let f = self.file;
        if f.format != FORMAT_VERSION {
            self.error(
                &[field("format")],
                format!(
                    "this story is format {}, but this reunion reads format {FORMAT_VERSION}",
                    f.format
                ),
            );
        }
        if f.languages.is_empty() {
            self.error(
                &[field("languages")],
                "a story needs at least one language, e.g. [\"en\"]",
            );
        }
        let mut seen = HashSet::new();
        for (i, l) in f.languages.iter().enumerate() {
            if !seen.insert(l) {
                self.error(
                    &[field("languages"), index(i)],
                    format!("language `{l}` is listed twice"),
                );
            }
        }

        self.check_duplicates("cast", f.cast.keys());
        self.check_duplicates("places", f.places.keys());
        self.check_duplicates("variables", f.variables.keys());
        self.check_duplicates("nodes", f.nodes.keys());
        self.check_participants();

        let cast = self.compile_cast();
        let intents = self.compile_intents();
        let places = self.compile_places();
        let variables: Vec<Variable> = f
            .variables
            .iter()
            .map(|(id, v)| Variable {
                id: id.to_owned(),
                initial: v.clone(),
            })
            .collect();

        if f.nodes.is_empty() {
            self.error(&[field("nodes")], "the story has no nodes");
            return None;
        }

        let start = self.node_ref(&[field("start")], &f.start, "`start`");
        let ending = f
            .ending
            .as_ref()
            .and_then(|e| self.node_ref(&[field("ending")], e, "`ending`"));

        let mut nodes = Vec::with_capacity(f.nodes.len());
        for (i, (id, def)) in f.nodes.iter().enumerate() {
            let kind = self.compile_node(i, id, def);
            self.nodes_failed |= kind.is_none();
            nodes.push(Node {
                id: id.to_owned(),
                kind: kind.unwrap_or(NodeKind::End { aftercare: None }),
            });
        }

        let safety = self.compile_safety();
        let consent = self.compile_consent();
        let start = start?;
        let mut story = Story {
            safety,
            consent,
            title: f.title.clone(),
            languages: f.languages.clone(),
            cast,
            places,
            nodes,
            variables,
            start,
            ending,
            participants: f.participants.clone(),
            node_place: Vec::new(),
            intents,
            answers: Vec::new(),
        };
        self.check_graph(&mut story);
        self.check_unused_things(&story);
        self.check_thing_uses(&story);
        self.compile_answers(&mut story);
        Some(story)
    }

    pub(super) fn compile_safety(&mut self) -> Safety {
        let def = &self.file.safety;
        let calm_color = match parse_color(&def.calm_color) {
            Some(c) => c,
            None => {
                let msg = format!("`{}` is not a colour", def.calm_color);
                self.error(&[field("safety"), field("calm_color")], msg)
                    .hint = Some("write colours as \"#rrggbb\"".into());
                Rgb::from_srgb([0.96, 0.93, 0.91])
            }
        };
        let time_limit = def.time_limit_minutes.and_then(|m| {
            if m.is_finite() && m > 0.0 {
                Some(f64::from(m) * 60.0)
            } else {
                self.error(
                    &[field("safety"), field("time_limit_minutes")],
                    "a time limit must be more than 0 minutes (or None for no limit)",
                );
                None
            }
        });
        if def.time_limit_minutes.is_none() {
            self.warn(
                &[field("safety"), field("time_limit_minutes")],
                "this story has no time limit: a session can last as long as it is left running",
            );
        }
        Safety {
            exit_gesture: def.exit_gesture,
            time_limit,
            calm_color,
        }
    }

    pub(super) fn compile_consent(&mut self) -> Option<Consent> {
        let Some(def) = &self.file.consent else {
            self.warn(
                &[field("title")],
                "the story says nothing of consent: whose likeness and voice it is, who agreed, and until when",
            )
            .hint = Some(
                "add consent: (likeness_of: ..., voice_of: ..., consented_by: ..., consented_on: \"YYYY-MM-DD\", source_media: [...], retire_after: \"YYYY-MM-DD\")".into(),
            );
            return None;
        };
        let date = |c: &mut Self, name: &str, value: &str| {
            let d = Date::parse(value);
            if d.is_none() {
                c.error(
                    &[field("consent"), field(name)],
                    format!("`{value}` is not a date"),
                )
                .hint = Some("write dates as \"YYYY-MM-DD\"".into());
            }
            d
        };
        let consented_on = date(self, "consented_on", &def.consented_on);
        let retire_after = match &def.retire_after {
            Some(r) => date(self, "retire_after", r),
            None => {
                self.warn(
                    &[field("consent")],
                    "consent has no `retire_after` date: say until when this recreation may be used",
                );
                None
            }
        };
        for (name, value) in [
            ("likeness_of", &def.likeness_of),
            ("voice_of", &def.voice_of),
            ("consented_by", &def.consented_by),
        ] {
            if value.trim().is_empty() {
                self.error(
                    &[field("consent"), field(name)],
                    format!("`{name}` is empty"),
                );
            }
        }
        Some(Consent {
            likeness_of: def.likeness_of.clone(),
            voice_of: def.voice_of.clone(),
            consented_by: def.consented_by.clone(),
            consented_on: consented_on?,
            source_media: def.source_media.clone(),
            retire_after,
            notes: def.notes.clone(),
            record_speech: def.record_speech,
        })
    }

    pub(super) fn check_duplicates<'k>(
        &mut self,
        section: &str,
        keys: impl Iterator<Item = &'k str>,
    ) {
        let mut seen = HashSet::new();
        let mut dups = Vec::new();
        for k in keys {
            if !seen.insert(k) {
                dups.push(k.to_owned());
            }
        }
        for k in dups {
            // Point at the second occurrence: the scanner finds the first, so point at
            // the section and name the id.
            self.error(
                &[field(section)],
                format!("`{k}` is defined more than once in `{section}`"),
            );
        }
    }

    /// The participants a story names: each once, a plain name a participant can
    /// join under (`--as`), and neither "participant" nor one of the cast, which a
    /// look at them would be confused with.
    fn check_participants(&mut self) {
        let f = self.file;
        self.check_duplicates("participants", f.participants.iter().map(String::as_str));
        for (i, name) in f.participants.iter().enumerate() {
            let path = [field("participants"), index(i)];
            if name.trim() != name
                || name.is_empty()
                || name.chars().count() > MAX_PARTICIPANT_NAME
                || name.chars().any(char::is_control)
            {
                self.error(
                    &path,
                    format!(
                        "a participant's name is 1 to {MAX_PARTICIPANT_NAME} printable characters, without spaces around it"
                    ),
                );
            } else if name == "participant" {
                self.error(
                    &path,
                    "`participant` means whoever takes part; name them, e.g. \"mother\"",
                )
                .hint =
                    Some("a look at \"participant\" turns to whoever speaks or is nearest".into());
            } else if f.cast.keys().any(|k| k == name) {
                self.error(
                    &path,
                    format!("`{name}` is in the cast: a participant needs a name of their own"),
                );
            }
        }
    }

    pub(super) fn text_per_language(
        &mut self,
        path: &[Seg],
        text: &format::Text,
        what: &str,
    ) -> Vec<String> {
        let langs = self.file.languages.clone();
        let mut out = Vec::with_capacity(langs.len());
        for l in &langs {
            match text.get(l) {
                Some(t) if !t.trim().is_empty() => out.push(t.clone()),
                Some(_) => {
                    self.error(path, format!("{what} has empty `{l}` text"));
                    out.push(String::new());
                }
                None => {
                    self.error(path, format!("{what} has no `{l}` text")).hint = Some(format!(
                        "every text needs each of the story's languages: {}",
                        langs.join(", ")
                    ));
                    out.push(String::new());
                }
            }
        }
        for k in text.keys() {
            if !langs.contains(k) {
                let hint = did_you_mean(k, langs.iter().map(String::as_str));
                self.warn(
                    &[path, &[key_name(k)]].concat(),
                    format!("`{k}` is not one of the story's languages"),
                )
                .hint = hint;
            }
        }
        out
    }

    pub(super) fn compile_cast(&mut self) -> Vec<Actor> {
        let mut cast = Vec::new();
        for (id, entry) in self.file.cast.iter() {
            let path = [field("cast"), key(id)];
            let name = self.text_per_language(
                &[&path[..], &[field("name")]].concat(),
                &entry.name,
                &format!("the name of `{id}`"),
            );
            let look = &entry.look;
            let mut color = |fname: &str, value: &str| {
                parse_color(value).unwrap_or_else(|| {
                    self.error(
                        &[&path[..], &[field("look"), field(fname)]].concat(),
                        format!("`{value}` is not a colour"),
                    )
                    .hint = Some("write colours as \"#rrggbb\", e.g. \"#f7c6d9\"".into());
                    Rgb::BLACK
                })
            };
            let compiled = Look {
                height: look.height,
                skin: color("skin", &look.skin),
                hair: color("hair", &look.hair),
                hair_style: look.hair_style,
                eyes: color("eyes", &look.eyes),
                top: color("top", &look.top),
                bottom: color("bottom", &look.bottom),
            };
            if !(0.5..=2.3).contains(&look.height) {
                self.error(
                    &[&path[..], &[field("look"), field("height")]].concat(),
                    format!("a height of {} m is out of range (0.5 to 2.3)", look.height),
                );
            }
            let model = entry.model.as_ref().and_then(|m| self.compile_model(id, m));
            cast.push(Actor {
                id: id.to_owned(),
                name,
                look: compiled,
                model,
            });
        }
        cast
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::load::test_story::*;
    use crate::story::{Environment, NodeId, NodeKind, PlaceId, Rgb, ThingKind, Transition};

    #[test]
    fn a_good_story_compiles() {
        let files = mem(&story("arrive", ""), &[("park.scene.ron", SCENE)]);
        let loaded = load_mem(&files);
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let story = loaded.story.expect("story");
        assert_eq!(story.nodes.len(), 3);
        assert_eq!(story.node_place[1], Some(PlaceId(0)));
        let line = story.line(NodeId(1)).expect("a line");
        assert_eq!(line.text[1], "엄마, 어디 있어?");
        assert_eq!(line.next, NodeId(2));
    }

    #[test]
    fn a_typo_in_start_is_located_with_a_hint() {
        let files = mem(&story("arive", ""), &[("park.scene.ron", SCENE)]);
        let loaded = load_mem(&files);
        assert!(loaded.story.is_none());
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.file, PathBuf::from("s/story.ron"));
        assert_eq!((d.line, d.col), (7, 12));
        assert!(d.message.contains("`arive`"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `arrive`?"));
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let extra = r#""bad": Say(speaker: "nayoen", text: { "en": "Hi" }, next: "nowhere"),
        "waits": Wait(until: HandHeld(by: "ghost")),"#;
        let files = mem(&story("arrive", extra), &[("park.scene.ron", SCENE)]);
        let loaded = load_mem(&files);
        let messages: Vec<_> = loaded.diagnostics.0.iter().map(|d| d.headline()).collect();
        let all = messages.join("\n");
        assert!(all.contains("`nayoen` is not in the cast"), "{all}");
        assert!(all.contains("has no `ko` text"), "{all}");
        assert!(all.contains("node `nowhere`"), "{all}");
        assert!(all.contains("`ghost` is not in the cast"), "{all}");
        assert!(all.contains("has no timeout"), "{all}");
        assert!(loaded.diagnostics.errors().count() >= 4, "{all}");
    }

    #[test]
    fn scene_errors_point_into_the_scene_file() {
        let bad_scene = SCENE.replace("Actor(\"nayeon\")", "Actor(\"nayon\")");
        let files = mem(&story("arrive", ""), &[("park.scene.ron", &bad_scene)]);
        let loaded = load_mem(&files);
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.file, PathBuf::from("s/park.scene.ron"));
        assert_eq!(d.line, 5);
        assert_eq!(d.hint.as_deref(), Some("did you mean `nayeon`?"));
    }

    #[test]
    fn colours_are_compiled_to_linear_rgb() {
        let grey = Rgb::from_srgb([128.0 / 255.0; 3]);
        let text = story("arrive", "")
            .replace(
                "Fade(seconds: 1.0)",
                "Fade(color: \"#808080\", seconds: 1.0)",
            )
            .replace(
                "(name: {",
                "(look: (skin: \"#808080\", eyes: \"#000000\"), name: {",
            )
            .replace(
                "nodes: {",
                "safety: (calm_color: \"#808080\"),\n    nodes: {",
            );
        let scene = SCENE.replace("Park()", "Park(sky: \"#808080\")").replace(
            "things: {",
            "things: {\n        \"b\": (is: Balloon(color: \"#808080\", height: 1.5), at: (1.0, 0.0, -2.0)),",
        );
        let files = mem(&text, &[("park.scene.ron", &scene)]);
        let loaded = load_mem(&files);
        let story = loaded
            .story
            .unwrap_or_else(|| panic!("{}", loaded.diagnostics));
        assert!((grey.red - 0.215_860_5).abs() < 1e-7, "{grey:?}");
        assert_eq!(story.safety.calm_color, grey);
        assert_eq!(story.cast[0].look.skin, grey);
        assert_eq!(story.cast[0].look.eyes, Rgb::BLACK);
        assert_eq!(
            story.places[0].environment,
            Environment::Park {
                sky: grey,
                trees: 6
            }
        );
        assert!(story.places[0].things.iter().any(|t| t.kind
            == ThingKind::Balloon {
                color: grey,
                height: 1.5
            }));
        let NodeKind::Go { transition, .. } = &story.nodes[0].kind else {
            panic!("a Go");
        };
        assert_eq!(
            *transition,
            Transition::Fade {
                color: grey,
                seconds: 1.0
            }
        );
    }

    #[test]
    fn a_word_that_is_no_colour_is_an_error_at_its_field() {
        let scene = SCENE.replace("Park()", "Park(sky: \"sky blue\")");
        let files = mem(&story("arrive", ""), &[("park.scene.ron", &scene)]);
        let loaded = load_mem(&files);
        assert!(loaded.story.is_none());
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.file, PathBuf::from("s/park.scene.ron"));
        assert_eq!((d.line, d.col), (2, 28), "{d}");
        assert_eq!(d.message, "`sky blue` is not a colour");
    }
}
