//! Reading a story folder: parse, check everything, compile.
//!
//! [`load_dir`] reads a folder from disk; [`load`] works on any [`Files`] (the Bevy
//! asset loader hands it files it has read itself). Both return every diagnostic found,
//! and a [`Story`] when there were no errors.
//!
//! Checking goes in passes so one mistake does not hide the next: each file is parsed
//! on its own (a syntax error stops only that file), then every reference is checked
//! against every id, then the graph as a whole (where does the story run off the end,
//! which nodes can never be reached, which waits could hold the participant forever).
//! A cast member's glTF model is read too ([`Files::read_bytes`], [`crate::gltf`]) and
//! checked for every clip and morph target the story asks of it, and every voice clip
//! ([`crate::ogg`]) for its length, which times the line.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io;
use std::path::{Component, Path, PathBuf};

use ron::extensions::Extensions;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::format::{
    self, FORMAT_VERSION, ModelDef, NodeDef, SceneFile, StoryFile, ThingDef, WorldCueDef,
};
use crate::gltf::read_gltf;
use crate::ogg::read_ogg_vorbis;
use crate::spans::{Seg, SpanTree, field, index, key, key_name};
use crate::story::*;

/// Where story files come from. Paths are relative to the story folder.
pub trait Files {
    /// The text of a file.
    fn read(&self, path: &Path) -> io::Result<String>;
    /// The bytes of a file (models are binary). By default, the text of [`Files::read`].
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read(path).map(String::into_bytes)
    }
    /// Whether a file exists; `None` when this source cannot tell (it is not checked).
    fn exists(&self, path: &Path) -> Option<bool>;
}

/// Files in a folder on disk.
pub struct DirFiles {
    pub root: PathBuf,
}

impl Files for DirFiles {
    fn read(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(self.root.join(path))
    }
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.root.join(path))
    }
    fn exists(&self, path: &Path) -> Option<bool> {
        Some(self.root.join(path).is_file())
    }
}

/// Files held in memory (what an asset loader has read): text files in `files`,
/// binary ones (models) in `bytes`.
#[derive(Default)]
pub struct MemFiles {
    pub files: HashMap<PathBuf, String>,
    pub bytes: HashMap<PathBuf, Vec<u8>>,
}

impl Files for MemFiles {
    fn read(&self, path: &Path) -> io::Result<String> {
        if let Some(text) = self.files.get(path) {
            return Ok(text.clone());
        }
        match self.bytes.get(path) {
            Some(b) => String::from_utf8(b.clone())
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "file not found")),
        }
    }
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.bytes.get(path) {
            Some(b) => Ok(b.clone()),
            None => self.read(path).map(String::into_bytes),
        }
    }
    fn exists(&self, path: &Path) -> Option<bool> {
        (self.files.contains_key(path) || self.bytes.contains_key(path)).then_some(true)
    }
}

/// The model files a story's cast points at, relative to the story folder (paths that
/// would leave the folder are left out; the checker reports them). An asset loader
/// reads these into [`MemFiles::bytes`] before calling [`load`], as it reads the scene
/// files into [`MemFiles::files`].
pub fn model_files(file: &StoryFile) -> Vec<PathBuf> {
    file.cast
        .iter()
        .filter_map(|(_, entry)| entry.model.as_ref())
        .filter_map(|m| check_relative_path(&m.file).ok())
        .collect()
}

/// Where a line's voice clip is, relative to the story folder.
pub fn voice_clip_path(lang: &str, voice: &str) -> String {
    format!("voice/{lang}/{voice}.ogg")
}

/// The voice clips a story's lines name, in every language, relative to the story
/// folder (paths that would leave it are left out; the checker reports them). An asset
/// loader reads these into [`MemFiles::bytes`] before calling [`load`], so the checker
/// can time each line by its clip; a clip it could not read is reported missing.
pub fn voice_files(file: &StoryFile) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (_, node) in file.nodes.iter() {
        if let NodeDef::Say {
            voice: Some(voice), ..
        } = node
        {
            for lang in &file.languages {
                if let Ok(p) = check_relative_path(&voice_clip_path(lang, voice))
                    && !out.contains(&p)
                {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// The outcome of loading: the story if it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    pub story: Option<Story>,
    pub diagnostics: Diagnostics,
}

/// The file name of a story's main file.
pub const STORY_FILE: &str = "story.ron";

/// Loads a story from a folder, or from the path of its `story.ron`.
pub fn load_dir(path: &Path) -> Loaded {
    let (root, file) = if path.is_dir() {
        (path.to_path_buf(), PathBuf::from(STORY_FILE))
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let file = PathBuf::from(path.file_name().unwrap_or_default());
        (root, file)
    };
    let files = DirFiles { root: root.clone() };
    load(&files, &file, &root)
}

/// Parses RON text the way every reunion file is parsed (`Some` may be left out).
pub fn parse_ron<T: serde::de::DeserializeOwned>(
    display: &Path,
    text: &str,
) -> Result<T, Box<Diagnostic>> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    options.from_str::<T>(text).map_err(|e| {
        let pos = crate::spans::Pos {
            line: e.span.start.line,
            col: e.span.start.col,
        };
        let (message, hint) = if text.trim().is_empty() {
            ("the file is empty".into(), None)
        } else {
            describe_ron_error(&e.code)
        };
        Box::new(
            Diagnostic::at_pos(Severity::Error, display, text, pos, message).with_hint_opt(hint),
        )
    })
}

fn describe_ron_error(code: &ron::Error) -> (String, Option<String>) {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected, found, ..
        } => (
            format!("unknown field `{found}`"),
            did_you_mean(found, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", ")))),
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => (
            format!("unknown kind `{found}`"),
            did_you_mean(found, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", ")))),
        ),
        E::MissingStructField { field, outer } => (
            match outer {
                Some(o) => format!("`{o}` is missing the field `{field}`"),
                None => format!("missing the field `{field}`"),
            },
            None,
        ),
        E::Eof => (
            "the file ends too early".into(),
            Some("a bracket or parenthesis may not be closed".into()),
        ),
        other => (other.to_string(), None),
    }
}

/// Checks a path written in a story: relative, inside the story folder.
pub fn check_relative_path(path: &str) -> Result<PathBuf, String> {
    let p = Path::new(path);
    if path.is_empty() {
        return Err("the path is empty".into());
    }
    if p.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
        return Err(format!(
            "`{path}` is an absolute path; paths are relative to the story folder"
        ));
    }
    // `..` between backslashes too: a story written here may be played on Windows.
    let up = path.split(['/', '\\']).any(|part| part == "..");
    for c in p.components() {
        match c {
            Component::Normal(_) | Component::CurDir if !up => {}
            _ => {
                return Err(format!(
                    "`{path}` leaves the story folder; paths must stay inside it"
                ));
            }
        }
    }
    Ok(p.to_path_buf())
}

/// Parses `#rrggbb` into linear-free sRGB components in 0..1.
pub fn parse_color(s: &str) -> Option<[f32; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some([
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    ])
}

/// One parsed file and where its text is, for locating diagnostics.
struct Source {
    display: PathBuf,
    text: String,
    tree: SpanTree,
}

impl Source {
    fn new(display: PathBuf, text: String) -> Self {
        let tree = SpanTree::scan(&text);
        Self {
            display,
            text,
            tree,
        }
    }

    fn diag(&self, severity: Severity, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let span = self.tree.locate(path);
        match severity {
            Severity::Error => Diagnostic::error(&self.display, &self.text, span, message),
            Severity::Warning => Diagnostic::warning(&self.display, &self.text, span, message),
        }
    }
}

/// Loads a story through `files`: `story_file` is relative to the story folder, and
/// `display_root` is prefixed to paths in diagnostics.
pub fn load(files: &dyn Files, story_file: &Path, display_root: &Path) -> Loaded {
    let mut diags = Diagnostics::default();
    let display = display_root.join(story_file);
    let text = match files.read(story_file) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::file_error(
                &display,
                format!("cannot read the story: {e}"),
            ));
            return Loaded {
                story: None,
                diagnostics: diags,
            };
        }
    };
    let file: StoryFile = match parse_ron(&display, &text) {
        Ok(f) => f,
        Err(d) => {
            diags.push(*d);
            return Loaded {
                story: None,
                diagnostics: diags,
            };
        }
    };
    let src = Source::new(display, text);
    let story_dir = story_file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut c = Compiler {
        files,
        src: &src,
        file: &file,
        diags: &mut diags,
        story_dir,
        display_root: display_root.to_path_buf(),
        thing_ids: Vec::new(),
    };
    let story = c.compile();
    diags.sort();
    let story = if diags.has_errors() { None } else { story };
    Loaded {
        story,
        diagnostics: diags,
    }
}

struct Compiler<'a> {
    files: &'a dyn Files,
    src: &'a Source,
    file: &'a StoryFile,
    diags: &'a mut Diagnostics,
    story_dir: PathBuf,
    display_root: PathBuf,
    /// The ids of the things in every scene that parsed (read once).
    thing_ids: Vec<String>,
}

/// Shorthand for building paths into story.ron.
fn node_path(id: &str, rest: &[Seg]) -> Vec<Seg> {
    let mut p = vec![field("nodes"), key(id)];
    p.extend_from_slice(rest);
    p
}

impl Compiler<'_> {
    fn error(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let d = self.src.diag(Severity::Error, path, message);
        self.diags.push(d);
        self.diags.0.last_mut().expect("just pushed")
    }

    fn warn(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let d = self.src.diag(Severity::Warning, path, message);
        self.diags.push(d);
        self.diags.0.last_mut().expect("just pushed")
    }

    fn compile(&mut self) -> Option<Story> {
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

        let cast = self.compile_cast();
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
            node_place: Vec::new(),
        };
        self.check_graph(&mut story);
        Some(story)
    }

    fn compile_safety(&mut self) -> Safety {
        let def = &self.file.safety;
        let calm_color = match parse_color(&def.calm_color) {
            Some(c) => c,
            None => {
                let msg = format!("`{}` is not a colour", def.calm_color);
                self.error(&[field("safety"), field("calm_color")], msg)
                    .hint = Some("write colours as \"#rrggbb\"".into());
                [0.96, 0.93, 0.91]
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

    fn compile_consent(&mut self) -> Option<Consent> {
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
        })
    }

    fn check_duplicates<'k>(&mut self, section: &str, keys: impl Iterator<Item = &'k str>) {
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

    fn text_per_language(&mut self, path: &[Seg], text: &format::Text, what: &str) -> Vec<String> {
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

    fn compile_cast(&mut self) -> Vec<Actor> {
        let mut cast = Vec::new();
        for (id, entry) in self.file.cast.iter() {
            let path = [field("cast"), key(id)];
            let name = self.text_per_language(
                &[&path[..], &[field("name")]].concat(),
                &entry.name,
                &format!("the name of `{id}`"),
            );
            let look = &entry.look;
            for (fname, value) in [
                ("skin", &look.skin),
                ("hair", &look.hair),
                ("eyes", &look.eyes),
                ("top", &look.top),
                ("bottom", &look.bottom),
            ] {
                if parse_color(value).is_none() {
                    self.error(
                        &[&path[..], &[field("look"), field(fname)]].concat(),
                        format!("`{value}` is not a colour"),
                    )
                    .hint = Some("write colours as \"#rrggbb\", e.g. \"#f7c6d9\"".into());
                }
            }
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
                look: look.clone(),
                model,
            });
        }
        cast
    }

    fn compile_places(&mut self) -> Vec<Place> {
        let mut places = Vec::new();
        for (id, file) in self.file.places.iter() {
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
                        format!("place `{id}`: cannot read `{file}`: {e}")
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
            self.thing_ids
                .extend(scene.things.keys().map(str::to_owned));
            let scene_src = Source::new(display, text);
            if let Some(place) = self.compile_scene(id, file, &scene, &scene_src) {
                places.push(place);
            }
        }
        places
    }

    fn compile_scene(
        &mut self,
        id: &str,
        file: &str,
        scene: &SceneFile,
        src: &Source,
    ) -> Option<Place> {
        let mut errors = Vec::new();
        let color = |path: Vec<Seg>, s: &str, errors: &mut Vec<Diagnostic>| -> [f32; 3] {
            parse_color(s).unwrap_or_else(|| {
                errors.push(
                    src.diag(Severity::Error, &path, format!("`{s}` is not a colour"))
                        .with_hint("write colours as \"#rrggbb\""),
                );
                [1.0, 0.0, 1.0]
            })
        };
        match &scene.environment {
            Environment::Park { sky, .. } | Environment::Sky { sky } => {
                color(vec![field("environment"), field("sky")], sky, &mut errors);
            }
            Environment::Room { walls, size } => {
                color(
                    vec![field("environment"), field("walls")],
                    walls,
                    &mut errors,
                );
                if size.0 < 2.0 || size.1 < 2.0 {
                    errors.push(src.diag(
                        Severity::Error,
                        &[field("environment"), field("size")],
                        "a room must be at least 2 m by 2 m",
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        let mut things = Vec::new();
        for (tid, def) in scene.things.iter() {
            let tpath = vec![field("things"), key(tid)];
            if !seen.insert(tid) {
                errors.push(src.diag(
                    Severity::Error,
                    &[field("things"), key_name(tid)],
                    format!("`{tid}` is defined more than once"),
                ));
            }
            let ThingDef {
                is,
                at,
                facing,
                hidden,
            } = def;
            if ![at.0, at.1, at.2, *facing].iter().all(|v| v.is_finite()) {
                errors.push(src.diag(Severity::Error, &tpath, "positions must be finite numbers"));
            }
            let is_path = |rest: &str| {
                let mut p = tpath.clone();
                p.push(field("is"));
                p.push(field(rest));
                p
            };
            use format::ThingKind as K;
            let kind = match is {
                K::Actor(cast) => match self.file.cast.keys().position(|c| c == cast) {
                    Some(i) => ThingKind::Actor(ActorId(i as u16)),
                    None => {
                        let mut p = tpath.clone();
                        p.push(field("is"));
                        errors.push(
                            src.diag(
                                Severity::Error,
                                &p,
                                format!("`{cast}` is not in the story's cast"),
                            )
                            .with_hint_opt(did_you_mean(cast, self.file.cast.keys())),
                        );
                        continue;
                    }
                },
                K::Marker => ThingKind::Marker,
                K::Bench => ThingKind::Bench,
                K::Tree { height } => ThingKind::Tree { height: *height },
                K::Lamp => ThingKind::Lamp,
                K::Bed { color: c } => ThingKind::Bed {
                    color: color(is_path("color"), c, &mut errors),
                },
                K::Balloon { color: c, height } => ThingKind::Balloon {
                    color: color(is_path("color"), c, &mut errors),
                    height: *height,
                },
                K::Toy { kind, color: c } => ThingKind::Toy {
                    kind: *kind,
                    color: color(is_path("color"), c, &mut errors),
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
                    color: color(is_path("color"), c, &mut errors),
                },
                K::Window => ThingKind::Window,
                K::Letter => ThingKind::Letter,
                K::Flowers { color: c } => ThingKind::Flowers {
                    color: color(is_path("color"), c, &mut errors),
                },
            };
            things.push(Thing {
                id: tid.to_owned(),
                kind,
                at: *at,
                facing: *facing,
                hidden: *hidden,
            });
        }
        let ok = errors.is_empty();
        for e in errors {
            self.diags.push(e);
        }
        ok.then(|| Place {
            id: id.to_owned(),
            file: file.to_owned(),
            environment: scene.environment.clone(),
            start: scene.start.clone(),
            things,
        })
    }

    fn node_ref(&mut self, path: &[Seg], name: &str, what: &str) -> Option<NodeId> {
        match self.file.nodes.keys().position(|k| k == name) {
            Some(i) => Some(NodeId(i as u32)),
            None => {
                let hint = did_you_mean(name, self.file.nodes.keys());
                self.error(
                    path,
                    format!("{what} names node `{name}`, which does not exist"),
                )
                .hint = hint;
                None
            }
        }
    }

    fn actor_ref(&mut self, path: &[Seg], name: &str) -> Option<ActorId> {
        match self.file.cast.keys().position(|k| k == name) {
            Some(i) => Some(ActorId(i as u16)),
            None => {
                let hint = did_you_mean(name, self.file.cast.keys())
                    .or_else(|| Some(format!("the cast is: {}", self.cast_list())));
                self.error(path, format!("`{name}` is not in the cast"))
                    .hint = hint;
                None
            }
        }
    }

    fn cast_list(&self) -> String {
        self.file.cast.keys().collect::<Vec<_>>().join(", ")
    }

    fn var_ref(&mut self, path: &[Seg], name: &str) -> Option<VarId> {
        match self.file.variables.keys().position(|k| k == name) {
            Some(i) => Some(VarId(i as u16)),
            None => {
                let hint = did_you_mean(name, self.file.variables.keys()).or_else(|| {
                    Some(format!(
                        "declare it under `variables`, e.g. variables: {{ \"{name}\": false }}"
                    ))
                });
                self.error(path, format!("there is no variable `{name}`"))
                    .hint = hint;
                None
            }
        }
    }

    /// Every thing id in any place: look-at targets and show/hide name these.
    fn thing_exists(&self, name: &str) -> bool {
        self.thing_ids.iter().any(|t| t == name)
    }

    fn look_target(&mut self, path: &[Seg], name: &str) -> Option<LookTarget> {
        if name == "participant" {
            return Some(LookTarget::Participant);
        }
        if self.thing_exists(name) {
            return Some(LookTarget::Thing(name.to_owned()));
        }
        let mut candidates = self.thing_ids.clone();
        candidates.push("participant".into());
        let hint = did_you_mean(name, candidates.iter().map(String::as_str))
            .or_else(|| Some("look at \"participant\" or at a thing's id in a scene".into()));
        self.error(path, format!("nothing called `{name}` to look at"))
            .hint = hint;
        None
    }

    fn clip_ref(&mut self, path: &[Seg], clip: &str) {
        match check_relative_path(clip) {
            Err(e) => {
                self.error(path, e);
            }
            Ok(rel) => {
                if self.files.exists(&self.story_dir.join(&rel)) == Some(false) {
                    self.error(path, format!("the clip `{clip}` does not exist"));
                }
            }
        }
    }

    /// A line's voice clip in one language: its length, if it exists and is one. A
    /// missing clip is only a warning (the line is timed from its text, and shown as
    /// a subtitle); a file that is there but is no Ogg Vorbis clip is an error.
    fn voice_clip(&mut self, path: &[Seg], clip: &str) -> Option<f32> {
        let rel = match check_relative_path(clip) {
            Ok(rel) => rel,
            Err(e) => {
                self.error(path, e);
                return None;
            }
        };
        let bytes = match self.files.read_bytes(&self.story_dir.join(&rel)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.warn(
                    path,
                    format!(
                        "the voice clip `{clip}` does not exist: the line will be timed from its text"
                    ),
                );
                return None;
            }
            Err(e) => {
                self.error(path, format!("the voice clip `{clip}` cannot be read: {e}"));
                return None;
            }
        };
        match read_ogg_vorbis(&bytes) {
            Ok(info) => Some(info.seconds() as f32),
            Err(e) => {
                self.error(path, format!("the voice clip `{clip}` is unusable: {e}"))
                    .hint = Some(format!(
                    "voice clips are Ogg Vorbis files, e.g. `oggenc line.wav -o {clip}`"
                ));
                None
            }
        }
    }

    fn positive(&mut self, path: &[Seg], value: f32, what: &str) {
        if !(value.is_finite() && value > 0.0) {
            self.error(path, format!("{what} must be more than 0 seconds"));
        }
    }

    /// `next` written, or the node after this one in the file.
    fn next_of(&mut self, i: usize, id: &str, next: &Option<String>) -> Option<NodeId> {
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

    fn compile_node(&mut self, i: usize, id: &str, def: &NodeDef) -> Option<NodeKind> {
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
                let until = self.condition(&node_path(id, &[field("until")]), until);
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
                    match self.world_cue(&node_path(id, &[field("world"), index(ci)]), cue) {
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

    fn check_value_type(&mut self, path: &[Seg], var: VarId, value: &Value) {
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

    fn transition(&mut self, path: &[Seg], t: &format::Transition) -> Option<Transition> {
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

    fn condition(&mut self, path: &[Seg], c: &format::Condition) -> Option<Condition> {
        use format::Condition as C;
        let sub = |rest: Seg| [path, &[rest]].concat();
        Some(match c {
            C::HandHeld { by } => Condition::HandHeld(self.actor_ref(&sub(field("by")), by)?),
            C::HandReleased => Condition::HandReleased,
            C::GazeHeld { on, seconds } => {
                self.positive(&sub(field("seconds")), *seconds, "a gaze");
                Condition::GazeHeld {
                    on: self.actor_ref(&sub(field("on")), on)?,
                    seconds: *seconds,
                }
            }
            C::Near { to, within } => {
                if !(within.is_finite() && *within > 0.0) {
                    self.error(&sub(field("within")), "`within` must be more than 0 metres");
                }
                Condition::Near {
                    to: self.actor_ref(&sub(field("to")), to)?,
                    within: *within,
                }
            }
            C::CandlePlaced => Condition::CandlePlaced,
            C::AllCandlesPlaced => Condition::AllCandlesPlaced,
            C::CandlesLit => Condition::CandlesLit,
            C::CandlesBlownOut => Condition::CandlesBlownOut,
            C::ParticipantSpoke => Condition::ParticipantSpoke,
            C::Touched { actor, zone } => Condition::Touched {
                actor: self.actor_ref(&sub(field("actor")), actor)?,
                zone: *zone,
            },
            C::OperatorCue(name) => Condition::OperatorCue(name.clone()),
            C::Any(list) | C::All(list) => {
                if list.is_empty() {
                    self.error(path, "an empty `Any`/`All` can never be met");
                }
                let mut out = Vec::new();
                for (i, item) in list.iter().enumerate() {
                    out.push(self.condition(&sub(index(i)), item));
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

    fn world_cue(&mut self, path: &[Seg], c: &format::WorldCueDef) -> Option<WorldCue> {
        use format::WorldCueDef as W;
        let sub = |rest: &str| [path, &[field(rest)]].concat();
        Some(match c {
            W::OfferHand { actor } => WorldCue::OfferHand(self.actor_ref(&sub("actor"), actor)?),
            W::LetGo { actor } => WorldCue::LetGo(self.actor_ref(&sub("actor"), actor)?),
            W::LightCandles => WorldCue::LightCandles,
            W::PlayMusic { clip } => {
                self.clip_ref(&sub("clip"), clip);
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

    /// Whole-graph checks: reachability, endings, loops that take no time, places.
    fn check_graph(&mut self, story: &mut Story) {
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

/// Why a model needs a clip: the first node that asks for it, and how many more do.
struct ClipNeed {
    /// What needs it, for the message: "the gesture `Clap`".
    what: String,
    /// The nodes that ask for it, in file order.
    nodes: Vec<String>,
}

/// Our clip names, with what each is for.
fn our_clip_names() -> impl Iterator<Item = &'static str> {
    [IDLE_CLIP, WALK_CLIP]
        .into_iter()
        .chain(GESTURES.iter().map(|g| gesture_clip_name(*g)))
}

/// Our name for a clip key as written: `wave`, or the gesture as written in a story,
/// `Wave`.
fn our_clip_name(written: &str) -> Option<&'static str> {
    our_clip_names().find(|c| *c == written).or_else(|| {
        GESTURES
            .iter()
            .find(|g| format!("{g:?}") == written)
            .map(|g| gesture_clip_name(*g))
    })
}

/// The clips the story needs from `actor`'s model, by our name: `idle`, each gesture
/// she makes in a line or a cue, and `walk` when she leads by the hand.
fn clip_needs(file: &StoryFile, actor: &str) -> Vec<(&'static str, ClipNeed)> {
    let mut needs: Vec<(&'static str, ClipNeed)> = vec![(
        IDLE_CLIP,
        ClipNeed {
            what: "every model (she plays it whenever she does nothing else)".into(),
            nodes: Vec::new(),
        },
    )];
    let mut need = |ours: &'static str, what: String, node: &str| match needs
        .iter_mut()
        .find(|(c, _)| *c == ours)
    {
        Some((_, n)) => n.nodes.push(node.to_owned()),
        None => needs.push((
            ours,
            ClipNeed {
                what,
                nodes: vec![node.to_owned()],
            },
        )),
    };
    let gesture = |g: Gesture| (gesture_clip_name(g), format!("the gesture `{g:?}`"));
    for (id, def) in file.nodes.iter() {
        match def {
            NodeDef::Say {
                speaker,
                gesture: Some(g),
                ..
            } if speaker == actor => {
                let (ours, what) = gesture(*g);
                need(ours, what, id);
            }
            NodeDef::Cue { world, .. } => {
                for cue in world {
                    if let WorldCueDef::Gesture {
                        actor: a,
                        gesture: g,
                    } = cue
                        && a == actor
                    {
                        let (ours, what) = gesture(*g);
                        need(ours, what, id);
                    }
                }
            }
            NodeDef::Go {
                transition: format::Transition::LeadByHand { actor: a, .. },
                ..
            } if a == actor => need(WALK_CLIP, "leading by the hand".into(), id),
            _ => {}
        }
    }
    needs
}

/// A URI's path with `%xx` escapes decoded (`my%20skin.png` → `my skin.png`); the URI
/// as written if the escapes are not valid UTF-8.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| uri.to_owned())
}

/// "did you mean `claps`?" when the file has a name close to `name`; when `rename` is
/// `Some((section, ours))`, with the rename that would use it.
fn near_miss(name: &str, in_file: &[String], rename: Option<(&str, &str)>) -> Option<String> {
    let hint = did_you_mean(name, in_file.iter().map(String::as_str))?;
    let found = in_file
        .iter()
        .find(|c| hint == format!("did you mean `{c}`?"));
    Some(match (rename, found) {
        (Some((section, ours)), Some(c)) => {
            format!("{hint} To use it, write {section}: {{ \"{ours}\": \"{c}\" }}")
        }
        _ => hint,
    })
}

/// ` (node `a`)`, ` (node `a` and 2 more)`, or nothing.
fn used_at(nodes: &[String]) -> String {
    match nodes {
        [] => String::new(),
        [one] => format!(" (node `{one}`)"),
        [first, rest @ ..] => format!(" (node `{first}` and {} more)", rest.len()),
    }
}

impl Compiler<'_> {
    /// Checks a cast member's glTF model against what the story asks of it.
    fn compile_model(&mut self, actor: &str, def: &ModelDef) -> Option<Model> {
        let mpath = [field("cast"), key(actor), field("model")];
        let sub = |rest: &[Seg]| [&mpath[..], rest].concat();
        let file = &def.file;
        let rel = match check_relative_path(file) {
            Ok(p) => p,
            Err(e) => {
                self.error(&sub(&[field("file")]), e);
                return None;
            }
        };
        let ext = rel
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("glb" | "gltf")) {
            self.error(
                &sub(&[field("file")]),
                format!("`{file}` is not a glTF model: a model is a `.glb` or `.gltf` file"),
            );
            return None;
        }

        // Renames, keyed by our name: (the key as written, the name in the file).
        let mut clip_renames: Vec<(&'static str, &str, &str)> = Vec::new();
        for (written, in_file) in def.clips.iter() {
            let Some(ours) = our_clip_name(written) else {
                let ours: Vec<&str> = our_clip_names().collect();
                let hint = did_you_mean(written, ours.iter().copied())
                    .or_else(|| Some(format!("the clips are: {}", ours.join(", "))));
                self.error(
                    &sub(&[field("clips"), key_name(written)]),
                    format!("`{written}` is not a clip reunion plays"),
                )
                .hint = hint;
                continue;
            };
            if clip_renames.iter().any(|(o, _, _)| *o == ours) {
                self.error(
                    &sub(&[field("clips"), key_name(written)]),
                    format!("the clip `{ours}` is renamed more than once"),
                );
                continue;
            }
            clip_renames.push((ours, written, in_file));
        }
        let mut morph_renames: Vec<(&'static str, &str, &str)> = Vec::new();
        for (written, in_file) in def.morphs.iter() {
            let Some(ours) = MORPH_TARGETS.iter().find(|m| **m == written) else {
                let hint = did_you_mean(written, MORPH_TARGETS).or_else(|| {
                    Some(format!(
                        "the morph targets are: {}",
                        MORPH_TARGETS.join(", ")
                    ))
                });
                self.error(
                    &sub(&[field("morphs"), key_name(written)]),
                    format!("`{written}` is not a morph target reunion drives"),
                )
                .hint = hint;
                continue;
            };
            if morph_renames.iter().any(|(o, _, _)| o == ours) {
                self.error(
                    &sub(&[field("morphs"), key_name(written)]),
                    format!("the morph target `{ours}` is renamed more than once"),
                );
                continue;
            }
            morph_renames.push((ours, written, in_file));
        }

        let full = self.story_dir.join(&rel);
        let bytes = match self.files.read_bytes(&full) {
            Ok(b) => b,
            Err(e) => {
                let msg = if e.kind() == io::ErrorKind::NotFound {
                    format!("`{actor}`'s model `{file}` does not exist")
                } else {
                    format!("`{actor}`'s model `{file}` cannot be read: {e}")
                };
                self.error(&sub(&[field("file")]), msg);
                return None;
            }
        };
        let summary = match read_gltf(&bytes) {
            Ok(s) => s,
            Err(e) => {
                self.error(&sub(&[field("file")]), format!("`{file}`: {e}"))
                    .hint = Some("export the model as glTF 2.0 (.glb or .gltf)".into());
                return None;
            }
        };
        self.check_model_uris(&sub(&[field("file")]), &rel, &summary.external_uris);

        let mut ok = true;
        let mut clips = BTreeMap::new();
        let needs = clip_needs(self.file, actor);
        for ours in our_clip_names() {
            let rename = clip_renames.iter().find(|(o, _, _)| *o == ours);
            let in_file = rename.map_or(ours, |(_, _, f)| *f);
            if summary.has_animation(in_file) {
                clips.insert(ours.to_owned(), in_file.to_owned());
                continue;
            }
            let need = needs.iter().find(|(o, _)| *o == ours).map(|(_, n)| n);
            let (path, named) = match rename {
                Some((_, written, _)) => (
                    sub(&[field("clips"), key(written)]),
                    format!("no animation `{in_file}` (named for `{ours}` under `clips`)"),
                ),
                None => (mpath.to_vec(), format!("no animation `{ours}`")),
            };
            let hint = near_miss(in_file, &summary.animations, rename.is_none().then_some(("clips", ours)))
                .or_else(|| {
                    Some(if summary.animations.is_empty() {
                        "the file has no named animations".to_owned()
                    } else {
                        format!(
                            "its animations are: {}; to use one of them, write clips: {{ \"{ours}\": \"...\" }}",
                            summary.animations.join(", ")
                        )
                    })
                });
            match need {
                Some(need) => {
                    ok = false;
                    self.error(
                        &path,
                        format!(
                            "`{actor}`'s model `{file}` has {named}, which {} needs{}",
                            need.what,
                            used_at(&need.nodes)
                        ),
                    )
                    .hint = hint;
                }
                None if rename.is_some() => {
                    self.warn(&path, format!("`{actor}`'s model `{file}` has {named}"))
                        .hint = hint;
                }
                None => {}
            }
        }

        let mut morphs = BTreeMap::new();
        for ours in MORPH_TARGETS {
            let rename = morph_renames.iter().find(|(o, _, _)| *o == ours);
            let in_file = rename.map_or(ours, |(_, _, f)| *f);
            if summary.has_morph_target(in_file) {
                morphs.insert(ours.to_owned(), in_file.to_owned());
                continue;
            }
            ok = false;
            let (path, named) = match rename {
                Some((_, written, _)) => (
                    sub(&[field("morphs"), key(written)]),
                    format!("no morph target `{in_file}` (named for `{ours}` under `morphs`)"),
                ),
                None => (mpath.to_vec(), format!("no morph target `{ours}`")),
            };
            let hint = near_miss(in_file, &summary.morph_targets, rename.is_none().then_some(("morphs", ours)))
                .or_else(|| {
                    Some(if summary.morph_targets.is_empty() {
                        "the file names no morph targets (reunion reads `extras.targetNames` on its meshes)".to_owned()
                    } else {
                        format!(
                            "its morph targets are: {}; to use one of them, write morphs: {{ \"{ours}\": \"...\" }}",
                            summary.morph_targets.join(", ")
                        )
                    })
                });
            self.error(
                &path,
                format!("`{actor}`'s model `{file}` has {named}, which every model needs"),
            )
            .hint = hint;
        }

        ok.then_some(Model {
            file: rel,
            clips,
            morphs,
        })
    }

    /// The external files a `.gltf` refers to exist and stay inside the story folder.
    fn check_model_uris(&mut self, path: &[Seg], model: &Path, uris: &[String]) {
        let dir = model.parent().unwrap_or(Path::new(""));
        for uri in uris {
            if uri.contains("://") {
                self.error(
                    path,
                    format!("the model refers to `{uri}`, which is not a file in the story folder"),
                );
                continue;
            }
            // Resolve `..` against the model's folder; the result must stay inside.
            let mut resolved = PathBuf::new();
            let mut inside = !Path::new(uri).is_absolute();
            for c in dir.join(percent_decode(uri)).components() {
                match c {
                    Component::Normal(part) => resolved.push(part),
                    Component::CurDir => {}
                    Component::ParentDir if inside => inside = resolved.pop(),
                    _ => inside = false,
                }
            }
            if !inside {
                self.error(
                    path,
                    format!("the model refers to `{uri}`, which is outside the story folder"),
                );
            } else if self.files.exists(&self.story_dir.join(&resolved)) == Some(false) {
                self.error(
                    path,
                    format!(
                        "the model refers to `{uri}`, which does not exist (looked for `{}`)",
                        resolved.display()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(story: &str, scenes: &[(&str, &str)]) -> MemFiles {
        let mut files = MemFiles::default();
        files
            .files
            .insert(PathBuf::from(STORY_FILE), story.to_owned());
        for (name, text) in scenes {
            files.files.insert(PathBuf::from(name), (*text).to_owned());
        }
        files
    }

    const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
    },
)"#;

    fn story(start: &str, extra_node: &str) -> String {
        format!(
            r#"(
    format: 1,
    title: "Test",
    languages: ["en", "ko"],
    cast: {{ "nayeon": (name: {{ "en": "Nayeon", "ko": "나연" }}) }},
    places: {{ "park": "park.scene.ron" }},
    start: "{start}",
    nodes: {{
        "arrive": Go(place: "park", transition: Fade(seconds: 1.0)),
        "calling": Say(speaker: "nayeon", text: {{ "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" }}),
        {extra_node}
        "end": End(),
    }},
)"#
        )
    }

    fn load_mem(files: &MemFiles) -> Loaded {
        load(files, Path::new(STORY_FILE), Path::new("s"))
    }

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
    fn a_syntax_error_names_its_line() {
        let text = story("arrive", "").replace("title: \"Test\",", "title: \"Test\"");
        let files = mem(&text, &[("park.scene.ron", SCENE)]);
        let loaded = load_mem(&files);
        let d = loaded.diagnostics.errors().next().expect("an error");
        assert_eq!(d.line, 4, "{d}");
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
    fn paths_outside_the_story_are_refused() {
        let text = story("arrive", "").replace("park.scene.ron\" }", "../../etc/passwd\" }");
        let files = mem(&text, &[]);
        let loaded = load_mem(&files);
        let all = loaded.diagnostics.to_string();
        assert!(all.contains("leaves the story folder"), "{all}");
        assert!(check_relative_path("/etc/passwd").is_err());
        assert!(check_relative_path("voice/en/a.ogg").is_ok());
    }

    #[test]
    fn uris_in_models_are_percent_decoded() {
        assert_eq!(percent_decode("my%20skin.png"), "my skin.png");
        assert_eq!(percent_decode("%E3%81%82.bin"), "あ.bin");
        assert_eq!(percent_decode("100%.bin"), "100%.bin");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF.bin"), "%FF.bin");
    }

    /// The test story with a voice on `calling`, and clips in `clips` (language, bytes).
    fn voiced(clips: &[(&str, Vec<u8>)]) -> MemFiles {
        let text = story("arrive", "").replace(
            r#"text: { "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" }"#,
            r#"text: { "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" },
            voice: "calling""#,
        );
        let mut files = mem(&text, &[("park.scene.ron", SCENE)]);
        for (lang, bytes) in clips {
            files.bytes.insert(
                PathBuf::from(format!("voice/{lang}/calling.ogg")),
                bytes.clone(),
            );
        }
        files
    }

    #[test]
    fn a_voice_clip_gives_its_line_its_length() {
        let files = voiced(&[
            ("en", crate::ogg::fake::clip(22_050, 2 * 22_050)),
            ("ko", crate::ogg::fake::clip(16_000, 40_000)),
        ]);
        let loaded = load_mem(&files);
        let all = loaded.diagnostics.to_string();
        assert!(!all.contains("voice clip"), "{all}");
        let story = loaded.story.expect("story");
        let line = story.line(NodeId(1)).expect("a line");
        // Languages in the story's order: en, ko.
        assert_eq!(line.clip_seconds, [Some(2.0), Some(2.5)]);
        let asked: Vec<String> = voice_files(
            &parse_ron::<StoryFile>(Path::new("s"), &files.files[Path::new(STORY_FILE)])
                .expect("parses"),
        )
        .iter()
        .map(|p| p.display().to_string())
        .collect();
        assert_eq!(asked, ["voice/en/calling.ogg", "voice/ko/calling.ogg"]);
    }

    #[test]
    fn a_missing_voice_clip_is_a_warning_at_its_voice_field() {
        let files = voiced(&[("en", crate::ogg::fake::clip(22_050, 22_050))]);
        let loaded = load_mem(&files);
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let warnings: Vec<_> = loaded
            .diagnostics
            .0
            .iter()
            .filter(|d| d.severity == Severity::Warning && d.message.contains("voice clip"))
            .collect();
        assert_eq!(warnings.len(), 1, "{}", loaded.diagnostics);
        let w = warnings[0];
        assert_eq!(
            w.message,
            "the voice clip `voice/ko/calling.ogg` does not exist: the line will be timed from its text"
        );
        // `voice: "calling"` is on line 11 of the test story, its value at column 20.
        assert_eq!((w.line, w.col), (11, 20), "{w}");
        let story = loaded.story.expect("a story, warnings and all");
        let line = story.line(NodeId(1)).expect("a line");
        assert_eq!(line.clip_seconds, [Some(1.0), None]);
    }

    #[test]
    fn a_voice_clip_that_is_no_ogg_vorbis_is_an_error_with_its_reason() {
        let good = crate::ogg::fake::clip(22_050, 22_050);
        let files = voiced(&[
            ("en", b"RIFF\0\0\0\0WAVEfmt ".to_vec()),
            ("ko", good[..good.len() - 20].to_vec()),
        ]);
        let loaded = load_mem(&files);
        assert!(loaded.story.is_none());
        let errors: Vec<String> = loaded.diagnostics.errors().map(|d| d.headline()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("`voice/en/calling.ogg` is unusable: not an Ogg file"),
            "{errors:?}"
        );
        assert!(errors[1].contains("`voice/ko/calling.ogg`"), "{errors:?}");
        assert!(errors[1].contains("cut short"), "{errors:?}");
    }

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
