//! The materials of what stands in for the flat screen in a headset: colours that
//! reach the eye as they are (not tone-mapped as the world is), so the veil's white
//! is the flat screen's white; the veil's own variant also passes every depth test.

use bevy::mesh::MeshVertexBufferLayoutRef;
use bevy::pbr::{
    ExtendedMaterial, MaterialExtension, MaterialExtensionKey, MaterialExtensionPipeline,
};
use bevy::prelude::*;
use bevy::render::render_resource::{
    AsBindGroup, CompareFunction, RenderPipelineDescriptor, SpecializedMeshPipelineError,
};
use bevy::shader::ShaderDefVal;

/// A material for what stands in for the flat screen: an unlit [`StandardMaterial`]
/// whose colour reaches the eye as it is, not tone-mapped as the world is, so the
/// veil's white is the flat screen's white and the subtitles' text stays bright.
pub type ScreenColor = ExtendedMaterial<StandardMaterial, Untonemapped>;

/// Leaves tone mapping out of the shader (for cameras without HDR, as here and in the
/// headset, where tone mapping is done in the material's shader).
#[derive(Asset, AsBindGroup, Reflect, Debug, Clone, Default)]
pub struct Untonemapped {}

impl MaterialExtension for Untonemapped {
    fn specialize(
        _pipeline: &MaterialExtensionPipeline,
        descriptor: &mut RenderPipelineDescriptor,
        _layout: &MeshVertexBufferLayoutRef,
        _key: MaterialExtensionKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        leave_out_tone_mapping(descriptor);
        Ok(())
    }
}

/// The veil's material: as [`ScreenColor`], and drawn over whatever is nearer than
/// it too (a hand, a candle held up), as the flat screen's cover hides everything.
pub type VeilColor = ExtendedMaterial<StandardMaterial, OverEverything>;

/// Leaves tone mapping out, and passes every depth test.
#[derive(Asset, AsBindGroup, Reflect, Debug, Clone, Default)]
pub struct OverEverything {}

impl MaterialExtension for OverEverything {
    fn specialize(
        _pipeline: &MaterialExtensionPipeline,
        descriptor: &mut RenderPipelineDescriptor,
        _layout: &MeshVertexBufferLayoutRef,
        _key: MaterialExtensionKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        leave_out_tone_mapping(descriptor);
        if let Some(depth) = descriptor.depth_stencil.as_mut() {
            depth.depth_compare = Some(CompareFunction::Always);
            depth.depth_write_enabled = Some(false);
        }
        Ok(())
    }
}

fn leave_out_tone_mapping(descriptor: &mut RenderPipelineDescriptor) {
    if let Some(fragment) = descriptor.fragment.as_mut() {
        fragment
            .shader_defs
            .retain(|d| !matches!(d, ShaderDefVal::Bool(name, _) if name == "TONEMAP_IN_SHADER"));
    }
}

pub(crate) fn screen_color(base: StandardMaterial) -> ScreenColor {
    ExtendedMaterial {
        base,
        extension: Untonemapped {},
    }
}
