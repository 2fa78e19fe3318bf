//! Where a story's files come from, and the paths a story may name.
//!
//! [`Files`] is the one way the checker reads: [`DirFiles`] from a folder on disk,
//! [`MemFiles`] from what an asset loader has read. [`check_relative_path`] keeps every
//! path written in a story inside the story folder, and [`DirFiles`] keeps every file
//! it reads there after resolving links. [`model_files`], [`voice_files`],
//! [`music_files`] and [`ambience_files`] list what an asset loader must read before
//! calling [`super::load`].

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::format::{NodeDef, StoryFile, WorldCueDef};
use crate::story::AMBIENCES;

/// Where story files come from. Paths are relative to the story folder.
pub trait Files {
    /// The text of a file.
    fn read(&self, path: &Path) -> io::Result<String>;
    /// The bytes of a file (models are binary). By default, the text of [`Files::read`].
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read(path).map(String::into_bytes)
    }
    /// Whether a file is there to be read: `Some(Ok(()))` it is; `Some(Err(_))` it is
    /// not (`NotFound`) or may not be ([`OutsideStoryFolder`]); `None` when this source
    /// cannot tell (it is not checked).
    fn exists(&self, path: &Path) -> Option<io::Result<()>>;
}

/// Files in a folder on disk. A path is read where it really is, links resolved,
/// and only if that is inside the folder (itself resolved): a link in the story
/// folder to a file elsewhere is refused with [`OutsideStoryFolder`].
pub struct DirFiles {
    pub root: PathBuf,
}

impl DirFiles {
    /// Where `path` really is, if that is inside the story folder.
    fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        let root = if self.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.root
        };
        let real = root.join(path).canonicalize()?;
        if real.starts_with(root.canonicalize()?) {
            Ok(real)
        } else {
            Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                OutsideStoryFolder {
                    path: path.to_path_buf(),
                },
            ))
        }
    }
}

impl Files for DirFiles {
    fn read(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(self.resolve(path)?)
    }
    fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.resolve(path)?)
    }
    fn exists(&self, path: &Path) -> Option<io::Result<()>> {
        Some(self.resolve(path).and_then(|real| {
            if real.is_file() {
                Ok(())
            } else {
                Err(io::Error::new(io::ErrorKind::NotFound, "not a file"))
            }
        }))
    }
}

/// A file of the story folder that is a link to a file outside it.
#[derive(Debug)]
pub struct OutsideStoryFolder {
    /// The path as the story names it, relative to the story folder.
    pub path: PathBuf,
}

impl fmt::Display for OutsideStoryFolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is a link to a file outside the story folder",
            self.path.display()
        )
    }
}

impl std::error::Error for OutsideStoryFolder {}

/// The message for a file that could not be read: a link out of the story folder
/// says so by itself; any other failure is told by `otherwise`.
pub(super) fn read_failure(e: &io::Error, otherwise: impl FnOnce() -> String) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<OutsideStoryFolder>())
    {
        Some(outside) => outside.to_string(),
        None => otherwise(),
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
    fn exists(&self, path: &Path) -> Option<io::Result<()>> {
        (self.files.contains_key(path) || self.bytes.contains_key(path)).then_some(Ok(()))
    }
}

/// The model files a story's cast points at, relative to the story folder (paths that
/// would leave the folder are left out; the checker reports them). An asset loader
/// reads these into [`MemFiles::bytes`] before calling [`super::load`], as it reads the scene
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
/// loader reads these into [`MemFiles::bytes`] before calling [`super::load`], so the checker
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

/// The music clips a story's cues play (`PlayMusic`), relative to the story folder
/// (paths that would leave it are left out; the checker reports them). An asset loader
/// reads these into [`MemFiles::bytes`] before calling [`super::load`]; a clip it could
/// not read is reported missing.
pub fn music_files(file: &StoryFile) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (_, node) in file.nodes.iter() {
        let NodeDef::Cue { world, .. } = node else {
            continue;
        };
        for cue in world {
            if let WorldCueDef::PlayMusic { clip } = cue
                && let Ok(p) = check_relative_path(clip)
                && !out.contains(&p)
            {
                out.push(p);
            }
        }
    }
    out
}

/// Where an environment's ambience loop is, relative to the story folder.
pub fn ambience_clip_path(name: &str) -> String {
    format!("ambience/{name}.ogg")
}

/// Every ambience loop an environment can play, relative to the story folder. An
/// asset loader reads those that are there into [`MemFiles::bytes`] before calling
/// [`super::load`] (a missing one means silence, and is no problem).
pub fn ambience_files() -> Vec<PathBuf> {
    AMBIENCES
        .iter()
        .map(|name| PathBuf::from(ambience_clip_path(name)))
        .collect()
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

/// `name` (a file a model names, relative to the model's folder `dir`) as a path
/// relative to the story folder, if that stays inside it: `None` for an absolute path
/// or a `..` past the story folder's root.
pub(super) fn resolve_beside(dir: &Path, name: &str) -> Option<PathBuf> {
    if Path::new(name).is_absolute() || name.starts_with(['/', '\\']) {
        return None;
    }
    let mut resolved = PathBuf::new();
    for c in dir.join(name).components() {
        match c {
            std::path::Component::Normal(part) => resolved.push(part),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if resolved.pop() => {}
            _ => return None,
        }
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::test_story::*;
    #[cfg(unix)]
    use crate::{
        diagnostic::Diagnostic,
        load::{Loaded, STORY_FILE, load_dir},
    };

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

    /// The one error whose message is `message`.
    #[cfg(unix)]
    fn the_error<'a>(loaded: &'a Loaded, message: &str) -> &'a Diagnostic {
        let found: Vec<_> = loaded
            .diagnostics
            .errors()
            .filter(|d| d.message == message)
            .collect();
        assert_eq!(found.len(), 1, "`{message}` in:\n{}", loaded.diagnostics);
        found[0]
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_story_folder_is_refused_for_every_kind_of_file() {
        let dir = TempStory::new("links-out");
        let loaded = dir.load();
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let story_text = with_sound();
        let outside = |name: &str, bytes: &[u8]| {
            let path = dir.outside(name);
            std::fs::write(&path, bytes).expect("written");
            path
        };

        // Music: a link to a system file, as in the issue.
        dir.link("music/birthday.ogg", Path::new("/etc/passwd"));
        let loaded = dir.load();
        let d = the_error(
            &loaded,
            "`music/birthday.ogg` is a link to a file outside the story folder",
        );
        assert_eq!(
            (d.line, d.col),
            position_of(&story_text, "\"music/birthday.ogg\"")
        );
        assert!(!loaded.diagnostics.to_string().contains("root:"));
        dir.write("music/birthday.ogg", &clip());

        // A voice clip, linked to a good clip that is elsewhere.
        dir.link("voice/ko/calling.ogg", &outside("calling.ogg", &clip()));
        let loaded = dir.load();
        let d = the_error(
            &loaded,
            "`voice/ko/calling.ogg` is a link to a file outside the story folder",
        );
        assert_eq!((d.line, d.col), position_of(&story_text, "\"calling\")"));
        dir.write("voice/ko/calling.ogg", &clip());

        // The ambience: at the scene's environment.
        dir.link("ambience/park.ogg", &outside("park.ogg", &clip()));
        let loaded = dir.load();
        let d = the_error(
            &loaded,
            "`ambience/park.ogg` is a link to a file outside the story folder",
        );
        assert!(d.file.ends_with("park.scene.ron"), "{d}");
        assert_eq!((d.line, d.col), position_of(SCENE, "Park()"));
        dir.write("ambience/park.ogg", &clip());

        // A scene file: at its place entry.
        dir.link(
            "park.scene.ron",
            &outside("park.scene.ron", SCENE.as_bytes()),
        );
        let loaded = dir.load();
        let d = the_error(
            &loaded,
            "place `park`: `park.scene.ron` is a link to a file outside the story folder",
        );
        assert_eq!(
            (d.line, d.col),
            position_of(&story_text, "\"park.scene.ron\"")
        );
        dir.write("park.scene.ron", SCENE.as_bytes());

        // The story itself.
        dir.link(STORY_FILE, &outside("story.ron", story_text.as_bytes()));
        let loaded = dir.load();
        assert!(loaded.story.is_none());
        the_error(
            &loaded,
            "`story.ron` is a link to a file outside the story folder",
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_that_stays_inside_the_story_folder_is_followed() {
        let dir = TempStory::new("links-in");
        // The Korean line says the English clip; the song is in another folder of the
        // story, reached through a linked folder.
        dir.link("voice/ko/calling.ogg", Path::new("../en/calling.ogg"));
        dir.write("songs/birthday.ogg", &clip());
        std::fs::remove_dir_all(dir.story().join("music")).expect("removed");
        dir.link("music", Path::new("songs"));
        let loaded = dir.load();
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        let story = loaded.story.expect("a story");
        let line = story
            .line(story.node_id("calling").expect("a node"))
            .expect("a line");
        assert_eq!(line.clip_seconds, [Some(1.0), Some(1.0)]);
    }

    #[cfg(unix)]
    #[test]
    fn a_story_folder_that_is_itself_a_link_reads_as_usual() {
        let dir = TempStory::new("folder-link");
        let link = dir.outside("the-story");
        std::os::unix::fs::symlink(dir.story(), &link).expect("a link");
        let loaded = load_dir(&link);
        assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics);
        assert!(loaded.story.is_some());
    }
}
