//! Helpers shared by the kit's tests.

pub mod read_glb;
