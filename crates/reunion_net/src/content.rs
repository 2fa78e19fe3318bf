//! The story's content hash: the host sends it, a participant whose story differs is
//! refused with a clear message (both machines must have the same story installed).

use std::path::{Path, PathBuf};

/// A hash of every file in the story folder (names and contents, in name order).
/// Session logs and hidden files are left out: they change without the story
/// changing.
pub fn story_hash(folder: &Path) -> std::io::Result<[u8; 32]> {
    let mut files = Vec::new();
    collect(folder, folder, &mut files)?;
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for relative in files {
        let bytes = std::fs::read(folder.join(&relative))?;
        let name = relative.to_string_lossy().replace('\\', "/");
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(*hasher.finalize().as_bytes())
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "sessions" {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_path_buf());
        }
    }
    Ok(())
}

/// The first bytes of a hash in hex, for messages.
pub fn short(hash: &[u8; 32]) -> String {
    hash[..6].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("reunion-net-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("scenes")).expect("temp folder");
        std::fs::write(dir.join("story.ron"), "(title: \"a\")").expect("write");
        std::fs::write(dir.join("scenes/park.scene.ron"), "()").expect("write");
        dir
    }

    #[test]
    fn the_same_files_hash_the_same_and_any_change_shows() {
        let a = folder("same-a");
        let b = folder("same-b");
        let ha = story_hash(&a).expect("hash");
        assert_eq!(ha, story_hash(&b).expect("hash"));
        // A session log or a hidden file is not the story.
        std::fs::create_dir_all(b.join("sessions")).expect("mkdir");
        std::fs::write(b.join("sessions/log.jsonl"), "{}").expect("write");
        std::fs::write(b.join(".swp"), "x").expect("write");
        assert_eq!(ha, story_hash(&b).expect("hash"));
        std::fs::write(b.join("scenes/park.scene.ron"), "( )").expect("write");
        assert_ne!(ha, story_hash(&b).expect("hash"), "a changed scene");
        std::fs::write(b.join("scenes/park.scene.ron"), "()").expect("write");
        std::fs::rename(
            b.join("scenes/park.scene.ron"),
            b.join("scenes/beach.scene.ron"),
        )
        .expect("rename");
        assert_ne!(ha, story_hash(&b).expect("hash"), "a renamed file");
        assert_eq!(short(&ha).len(), 12);
        let _ = std::fs::remove_dir_all(a);
        let _ = std::fs::remove_dir_all(b);
    }
}
