//! Where a story's files come from, and the paths a story may name.
//!
//! [`Files`] is the one way the checker reads: [`DirFiles`] from a folder on disk,
//! [`MemFiles`] from what an asset loader has read. [`check_relative_path`] keeps every
//! path written in a story inside the story folder; [`model_files`] and
//! [`voice_files`] list what an asset loader must read before calling [`super::load`].

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::format::{NodeDef, StoryFile};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::test_story::*;

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
}
