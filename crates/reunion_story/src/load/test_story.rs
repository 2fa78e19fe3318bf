//! The small story the loader's tests are written against, held in memory.

use std::path::{Path, PathBuf};

use super::{Loaded, MemFiles, STORY_FILE, load};

pub(super) fn mem(story: &str, scenes: &[(&str, &str)]) -> MemFiles {
    let mut files = MemFiles::default();
    files
        .files
        .insert(PathBuf::from(STORY_FILE), story.to_owned());
    for (name, text) in scenes {
        files.files.insert(PathBuf::from(name), (*text).to_owned());
    }
    files
}

pub(super) const SCENE: &str = r#"(
    environment: Park(),
    start: (at: (0.0, 0.0, 0.0)),
    things: {
        "nayeon": (is: Actor("nayeon"), at: (0.0, 0.0, -2.0), facing: 180.0),
    },
)"#;

pub(super) fn story(start: &str, extra_node: &str) -> String {
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

pub(super) fn load_mem(files: &MemFiles) -> Loaded {
    load(files, Path::new(STORY_FILE), Path::new("s"))
}

/// The test story with a voice on `calling`, and clips in `clips` (language, bytes).
pub(super) fn voiced(clips: &[(&str, Vec<u8>)]) -> MemFiles {
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

/// The test story with a voice on `calling` and a song, each line of the story as
/// [`story`] has it.
pub(super) fn with_sound() -> String {
    story(
        "arrive",
        r#""song": Cue(world: [PlayMusic(clip: "music/birthday.ogg")]),"#,
    )
    .replace(
        r#"text: { "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" }"#,
        r#"text: { "en": "Mommy, where are you?", "ko": "엄마, 어디 있어?" }, voice: "calling""#,
    )
}

/// A good Ogg Vorbis clip of one second.
pub(super) fn clip() -> Vec<u8> {
    crate::ogg::fake::clip(22_050, 22_050)
}

/// The 1-based line and column (in characters) of `needle` on the first line of
/// `text` that has it.
pub(super) fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with `{needle}`"));
    let byte = line.find(needle).expect("on the line");
    (i + 1, line[..byte].chars().count() + 1)
}

/// A story folder on disk (`story/` in a temporary folder, removed when dropped) and,
/// beside it, `outside/`: somewhere for links out of the story folder to point.
pub(super) struct TempStory(PathBuf);

impl TempStory {
    /// The story of [`with_sound`], its scene, and every clip it plays, all good.
    pub(super) fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("reunion-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("outside")).expect("a temporary folder");
        let s = Self(root);
        s.write(STORY_FILE, with_sound().as_bytes());
        s.write("park.scene.ron", SCENE.as_bytes());
        for clip_path in [
            "voice/en/calling.ogg",
            "voice/ko/calling.ogg",
            "music/birthday.ogg",
            "ambience/park.ogg",
        ] {
            s.write(clip_path, &clip());
        }
        s
    }

    /// The story folder.
    pub(super) fn story(&self) -> PathBuf {
        self.0.join("story")
    }

    /// A file outside the story folder.
    pub(super) fn outside(&self, name: &str) -> PathBuf {
        self.0.join("outside").join(name)
    }

    /// Writes a file of the story folder.
    pub(super) fn write(&self, path: &str, bytes: &[u8]) {
        let path = self.story().join(path);
        std::fs::create_dir_all(path.parent().expect("in a folder")).expect("a folder");
        std::fs::write(path, bytes).expect("written");
    }

    /// Makes a file of the story folder a symbolic link to `target`.
    #[cfg(unix)]
    pub(super) fn link(&self, path: &str, target: &Path) {
        let path = self.story().join(path);
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(target, path).expect("a link");
    }

    pub(super) fn load(&self) -> Loaded {
        super::load_dir(&self.story())
    }
}

impl Drop for TempStory {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
