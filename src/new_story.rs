//! `reunion new NAME`: a new story folder from a small template
//! (`assets/templates/new_story`) that checks clean and plays to its end: one place, a
//! line, a wait with a timeout, an end, with comments that teach the format. The title
//! is the folder's name; the consent's dates are today's and ten years on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reunion_story::story::Date;

/// `reunion new`'s arguments.
#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The folder to make (it must not exist, or be empty).
    pub name: PathBuf,
}

/// The template's files: name and text.
const TEMPLATE: [(&str, &str); 2] = [
    (
        "story.ron",
        include_str!("../assets/templates/new_story/story.ron"),
    ),
    (
        "garden.scene.ron",
        include_str!("../assets/templates/new_story/garden.scene.ron"),
    ),
];

/// The template's story text for a story titled `title`, consented to on `today`.
fn story_text(template: &str, title: &str, today: Date) -> String {
    let title: String = title
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    let later = Date::parse(&format!(
        "{:04}-{:02}-{:02}",
        today.year + 10,
        today.month,
        today.day
    ))
    .unwrap_or(Date {
        year: today.year + 10,
        month: 3,
        day: 1,
    });
    template
        .replace("\"A new story\"", &format!("\"{title}\""))
        .replace("\"2026-12-03\"", &format!("\"{today}\""))
        .replace("\"2036-12-03\"", &format!("\"{later}\""))
}

pub fn run(args: &NewArgs) -> ExitCode {
    match make(&args.name) {
        Ok(()) => {
            let name = args.name.display();
            println!(
                "{name}: a new story. Next:\n  reunion check {name}\n  reunion play {name}\n  reunion graph {name} --out {name}/story.svg"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn make(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| format!("{shown} is there and cannot be read: {e}"))?;
        if entries.next().is_some() {
            return Err(format!(
                "{shown} is there and not empty: choose a new name, nothing was written"
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {shown}: {e}"))?;
    let title = dir
        .file_name()
        .map(|n| n.to_string_lossy().replace(['_', '-'], " "))
        .unwrap_or_else(|| "A new story".into());
    for (name, text) in TEMPLATE {
        let text = if name == "story.ron" {
            story_text(text, &title, Date::today())
        } else {
            text.to_owned()
        };
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
