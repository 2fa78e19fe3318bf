//! Is there an OpenXR runtime to play in VR? Asks the system's OpenXR loader without
//! starting anything, and says what is missing in words a facilitator can act on.

/// The runtime's name, or what is missing.
pub fn probe() -> Result<String, String> {
    // SAFETY: loading the OpenXR loader runs its initialisers; it is the same call
    // bevy_mod_openxr makes when it starts a session.
    let entry = match unsafe { openxr::Entry::load() } {
        Ok(e) => e,
        Err(e) => {
            return Err(format!(
                "the OpenXR loader (libopenxr_loader.so) is not installed ({e}); on Debian install \
                 libopenxr-loader1 and libopenxr-dev, then an OpenXR runtime such as SteamVR, Monado or WiVRn"
            ));
        }
    };
    if let Err(e) = entry.enumerate_extensions() {
        return Err(format!(
            "the OpenXR loader found no runtime ({e}); start SteamVR, Monado or WiVRn, or point \
             XR_RUNTIME_JSON at a runtime's manifest"
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
        .map_err(|e| format!("the OpenXR runtime refused to start ({e})"))?;
    let props = instance
        .properties()
        .map_err(|e| format!("the OpenXR runtime did not describe itself ({e})"))?;
    Ok(props.runtime_name)
}
