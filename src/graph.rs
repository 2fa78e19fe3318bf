//! `reunion graph PATH`: the story drawn as a graph. The DOT text is written by
//! [`reunion_story::story_dot`] from the checked story; Graphviz's `dot` lays it out
//! into SVG, PNG or PDF (by `--out`'s extension). `--dot FILE` keeps the DOT text.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// `reunion graph`'s arguments.
#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// The story folder, or its story.ron.
    pub path: PathBuf,
    /// The picture to write: .svg, .png or .pdf (default: story.svg here).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the DOT text to FILE ("-" for stdout); with --dot alone no picture
    /// is drawn, so Graphviz is not needed.
    #[arg(long, value_name = "FILE")]
    pub dot: Option<PathBuf>,
    /// The language of the lines shown (default: the story's first).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
}

/// The picture format `dot` writes for a file name.
fn format_of(out: &Path) -> Result<&'static str, String> {
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Ok("svg"),
        Some("png") => Ok("png"),
        Some("pdf") => Ok("pdf"),
        _ => Err(format!(
            "{}: the picture must end in .svg, .png or .pdf",
            out.display()
        )),
    }
}

pub fn run(args: &GraphArgs) -> ExitCode {
    if !args.path.exists() {
        eprintln!("error: {} does not exist", args.path.display());
        return ExitCode::from(1);
    }
    let loaded = reunion_story::load::load_dir(&args.path);
    let Some(story) = loaded.story.filter(|_| !loaded.diagnostics.has_errors()) else {
        eprintln!("{}", loaded.diagnostics);
        eprintln!("error: the story has errors; fix them to draw it");
        return ExitCode::from(1);
    };
    let lang = match &args.lang {
        Some(code) => match story.lang_id(code) {
            Some(l) => l,
            None => {
                eprintln!(
                    "error: the story has no language `{code}`; it has: {}",
                    story.languages.join(", ")
                );
                return ExitCode::from(2);
            }
        },
        None => reunion_story::story::LangId(0),
    };
    let dot = reunion_story::story_dot::to_dot(&story, lang);
    let warnings = reunion_story::story_dot::findings(&story)
        .iter()
        .filter(|f| !f.is_empty())
        .count();
    if let Some(path) = &args.dot {
        let written = if path.as_os_str() == "-" {
            std::io::stdout().write_all(dot.as_bytes())
        } else {
            std::fs::write(path, &dot)
        };
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
        if args.out.is_none() {
            return ExitCode::SUCCESS;
        }
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("story.svg"));
    let format = match format_of(&out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match draw(&dot, format, &out) {
        Ok(()) => {
            println!(
                "{}: {} nodes drawn{}",
                out.display(),
                story.nodes.len(),
                match warnings {
                    0 => String::new(),
                    n => format!(", {n} with warnings (in red)"),
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}

/// Runs Graphviz's `dot` (or `$REUNION_DOT`) on `dot`, writing `out`.
fn draw(dot: &str, format: &str, out: &Path) -> Result<(), String> {
    let program = std::env::var_os("REUNION_DOT").unwrap_or_else(|| "dot".into());
    let mut child = Command::new(&program)
        .arg(format!("-T{format}"))
        .arg("-o")
        .arg(out)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "Graphviz's `{}` is not installed: install it (Debian: `apt-get install graphviz`), \
                     or write the DOT text with --dot FILE and lay it out elsewhere",
                    program.to_string_lossy()
                )
            } else {
                format!("cannot run `{}`: {e}", program.to_string_lossy())
            }
        })?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(dot.as_bytes())
        .map_err(|e| format!("cannot give the graph to dot: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("dot did not finish: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "dot could not draw the graph: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(())
}
