//! Is there an OpenXR runtime and a headset to play in VR? Asks the system's OpenXR
//! loader without starting a session, and says what is missing in words a
//! facilitator can act on.

use std::fmt;

/// What stands between this machine and a VR session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No OpenXR loader library (`libopenxr_loader.so`) to load.
    Loader(String),
    /// A loader, but no runtime registered or running.
    Runtime(String),
    /// `XR_RUNTIME_JSON` names a runtime manifest that is not there (or not readable).
    Manifest { path: String, error: String },
    /// A runtime that would not create an instance.
    Refused(String),
    /// A runtime with no headset connected (or switched on).
    Headset { runtime: String, error: String },
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Loader(e) => write!(
                f,
                "the OpenXR loader (libopenxr_loader.so) is not installed ({e}); on Debian or \
                 Ubuntu install libopenxr-loader1 and libopenxr-dev (the .so link comes with \
                 the -dev package), then an OpenXR runtime such as SteamVR, Monado or WiVRn"
            ),
            Missing::Runtime(e) => write!(
                f,
                "the OpenXR loader found no runtime ({e}); install and start one (SteamVR, \
                 Monado or WiVRn) and make it the active runtime, or point XR_RUNTIME_JSON \
                 at a runtime's manifest"
            ),
            Missing::Manifest { path, error } => write!(
                f,
                "XR_RUNTIME_JSON names the runtime manifest {path}, which cannot be read \
                 ({error}); point it at the manifest of an installed runtime (Monado's \
                 openxr_monado.json, SteamVR's steamxr_linux64.json), or unset it to use the \
                 active runtime"
            ),
            Missing::Refused(e) => write!(f, "the OpenXR runtime refused to start ({e})"),
            Missing::Headset { runtime, error } => write!(
                f,
                "the OpenXR runtime \"{runtime}\" is running but has no headset ({error}); \
                 connect the headset and switch it on (for WiVRn or Quest Link, start the \
                 app on the headset first)"
            ),
        }
    }
}

/// What was found: the runtime's and the headset's names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub runtime: String,
    pub headset: String,
}

/// Looks for the loader, a runtime and a headset, in that order.
pub fn probe() -> Result<Found, Missing> {
    // The same loader bevy_mod_openxr uses: built in on Windows, dlopen'ed elsewhere.
    #[cfg(windows)]
    let entry = openxr::Entry::linked();
    // SAFETY: loading the OpenXR loader runs its initialisers; it is the same call
    // bevy_mod_openxr makes when it starts a session.
    #[cfg(not(windows))]
    let entry = unsafe { openxr::Entry::load() }.map_err(|e| Missing::Loader(e.to_string()))?;
    if let Some(missing) = manifest_problem(std::env::var_os("XR_RUNTIME_JSON").as_deref()) {
        return Err(missing);
    }
    let extensions = entry
        .enumerate_extensions()
        .map_err(|e| Missing::Runtime(e.to_string()))?;
    if !extensions.khr_vulkan_enable2 && !extensions.khr_vulkan_enable {
        return Err(Missing::Refused(
            "it offers no Vulkan (XR_KHR_vulkan_enable2), which reunion renders with".into(),
        ));
    }
    let instance = entry
        .create_instance(
            &openxr::ApplicationInfo {
                application_name: "reunion probe",
                application_version: 0,
                engine_name: "reunion",
                engine_version: 0,
                api_version: openxr::Version::new(1, 0, 0),
            },
            &openxr::ExtensionSet::default(),
            &[],
        )
        .map_err(|e| Missing::Refused(e.to_string()))?;
    let runtime = instance
        .properties()
        .map_or_else(|_| "unnamed".to_string(), |p| p.runtime_name);
    let system = instance
        .system(openxr::FormFactor::HEAD_MOUNTED_DISPLAY)
        .map_err(|e| Missing::Headset {
            runtime: runtime.clone(),
            error: e.to_string(),
        })?;
    let headset = instance
        .system_properties(system)
        .map_or_else(|_| "a headset".to_string(), |p| p.system_name);
    Ok(Found { runtime, headset })
}

/// What is wrong with the runtime manifest `XR_RUNTIME_JSON` names, if it is set and
/// names a file that cannot be read (the loader would only say it found no runtime).
pub fn manifest_problem(var: Option<&std::ffi::OsStr>) -> Option<Missing> {
    let path = std::path::Path::new(var.filter(|v| !v.is_empty())?);
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => None,
        Ok(_) => Some(Missing::Manifest {
            path: path.display().to_string(),
            error: "it is not a file".into(),
        }),
        Err(e) => Some(Missing::Manifest {
            path: path.display().to_string(),
            error: if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".into()
            } else {
                e.to_string()
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_that_is_not_there_is_named() {
        let missing =
            manifest_problem(Some("/nonexistent/openxr_runtime.json".as_ref())).expect("a problem");
        let said = missing.to_string();
        assert!(said.contains("/nonexistent/openxr_runtime.json"), "{said}");
        assert!(said.contains("no such file"), "{said}");
        assert!(said.contains("unset it"), "{said}");
        let dir = std::env::temp_dir();
        assert!(
            manifest_problem(Some(dir.as_os_str())).is_some(),
            "a folder"
        );
    }

    #[test]
    fn a_manifest_that_is_there_or_no_variable_is_no_problem() {
        assert_eq!(manifest_problem(None), None);
        assert_eq!(manifest_problem(Some("".as_ref())), None);
        let file = std::env::temp_dir().join("reunion-probe-manifest.json");
        std::fs::write(&file, "{}").expect("write");
        assert_eq!(manifest_problem(Some(file.as_os_str())), None);
    }
}
