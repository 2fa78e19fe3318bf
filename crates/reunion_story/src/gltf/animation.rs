//! Animations: each one's name, its channels (which node, which property) and its
//! duration, the latest keyframe time of its samplers (their input accessors' `max`,
//! which the specification requires, else read from the data).

use super::buffers::BinaryData;
use super::document::Root;
use super::problem::{Problem, check_index};

/// What a channel animates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelPath {
    Translation,
    Rotation,
    Scale,
    /// Morph target weights.
    Weights,
    /// Anything else (`pointer` of KHR_animation_pointer): Bevy does not play it.
    Other(String),
}

/// One channel of an animation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    /// The node it moves (`None` for a KHR_animation_pointer channel).
    pub node: Option<usize>,
    pub path: ChannelPath,
}

/// One animation clip.
#[derive(Clone, Debug, PartialEq)]
pub struct Animation {
    pub name: Option<String>,
    pub channels: Vec<Channel>,
    /// Seconds, from 0 to the latest keyframe.
    pub duration: f32,
}

pub(crate) fn read_animations(
    doc: &Root,
    data: &BinaryData<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Animation> {
    doc.animations
        .iter()
        .enumerate()
        .map(|(a, anim)| {
            let mut duration: f32 = 0.0;
            for (s, sampler) in anim.samplers.iter().enumerate() {
                let at = |field: &str| format!("animations[{a}].samplers[{s}].{field}");
                let input_ok = check_index(
                    problems,
                    || at("input"),
                    sampler.input,
                    doc.accessors.len(),
                    "accessors",
                );
                check_index(
                    problems,
                    || at("output"),
                    sampler.output,
                    doc.accessors.len(),
                    "accessors",
                );
                if !input_ok {
                    continue;
                }
                let input = &doc.accessors[sampler.input];
                let end = input
                    .max
                    .as_ref()
                    .and_then(|m| m.first())
                    .map(|&m| m as f32)
                    .or_else(|| {
                        data.read_floats(doc, sampler.input)?
                            .into_iter()
                            .reduce(f32::max)
                    });
                if let Some(end) = end.filter(|e| e.is_finite()) {
                    duration = duration.max(end);
                }
            }
            let channels = anim
                .channels
                .iter()
                .enumerate()
                .map(|(c, channel)| {
                    let at = |field: &str| format!("animations[{a}].channels[{c}].{field}");
                    check_index(
                        problems,
                        || at("sampler"),
                        channel.sampler,
                        anim.samplers.len(),
                        "samplers",
                    );
                    let node = channel.target.node.filter(|&n| {
                        check_index(problems, || at("target.node"), n, doc.nodes.len(), "nodes")
                    });
                    let path = match channel.target.path.as_str() {
                        "translation" => ChannelPath::Translation,
                        "rotation" => ChannelPath::Rotation,
                        "scale" => ChannelPath::Scale,
                        "weights" => ChannelPath::Weights,
                        other => ChannelPath::Other(other.to_owned()),
                    };
                    Channel { node, path }
                })
                .collect();
            Animation {
                name: anim.name.clone(),
                channels,
                duration,
            }
        })
        .collect()
}
