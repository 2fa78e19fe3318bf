//! Headless apps run every frame on the main thread.
//!
//! A headless frame is a few hundred microseconds of small systems. On Bevy's
//! multi-threaded executor each schedule (`First`, `PreUpdate`, `PostUpdate`, `Last`, …)
//! hands its systems to the compute pool's workers and waits for them, and Bevy's
//! transform propagation wakes a worker for its dirty-tree pass every frame: about 41
//! `futex` calls a frame, and more time in the kernel than in the systems themselves
//! (docs/performance.md). Headless, nothing is gained from the hand-offs, so
//! [`OneThreadPlugin`] puts every schedule on the single-threaded executor, and
//! [`task_pools`] keeps the compute pool at one thread (parallel queries then run
//! serially on the main thread). The asset server's loading keeps its I/O thread.
//!
//! The windowed app keeps Bevy's threads for rendering; only its `Update` is single
//! threaded (`StagePlugin`).

use bevy::app::{TaskPoolOptions, TaskPoolPlugin, TaskPoolThreadAssignmentPolicy};
use bevy::ecs::schedule::{Schedules, SingleThreadedExecutor};
use bevy::prelude::*;
use bevy::transform::StaticTransformOptimizations;

/// Every schedule of the app on the single-threaded executor, and transform
/// propagation without its worker tasks. Add it to headless apps only; its work is
/// done when the app finishes (after every plugin has added its schedules), so it can
/// be added at any point before that.
pub struct OneThreadPlugin;

impl Plugin for OneThreadPlugin {
    fn build(&self, app: &mut App) {
        // Bevy's static-tree optimisation marks changed subtrees with a producer, a
        // traversal and a consumer task on the compute pool every frame, even when
        // nothing moved; without it the propagation walks every tree on this thread
        // (a few hundred entities headless).
        app.insert_resource(StaticTransformOptimizations::Disabled);
    }

    fn finish(&self, app: &mut App) {
        single_thread_every_schedule(app.world_mut());
    }

    fn cleanup(&self, app: &mut App) {
        // Again, for schedules a plugin created in its own `finish`.
        single_thread_every_schedule(app.world_mut());
    }
}

/// Puts every schedule the world has now on the single-threaded executor; returns how
/// many there are.
pub fn single_thread_every_schedule(world: &mut World) -> usize {
    let Some(mut schedules) = world.get_resource_mut::<Schedules>() else {
        return 0;
    };
    let mut count = 0;
    for (_, schedule) in schedules.iter_mut() {
        // `new`, not `default`: the derived default does not apply the commands of
        // the schedule's last systems when it ends (`Startup`'s would be lost).
        schedule.set_executor(SingleThreadedExecutor::new());
        count += 1;
    }
    count
}

/// The task pools for a headless app: one compute thread (so parallel queries and
/// scopes run on the calling thread instead of waking workers), one for I/O (asset
/// loading) and one for async work. Bevy's pools are global: the first app of a
/// process sets them.
pub fn task_pools() -> TaskPoolPlugin {
    let one = || TaskPoolThreadAssignmentPolicy {
        min_threads: 1,
        max_threads: 1,
        percent: 1.0,
        on_thread_spawn: None,
        on_thread_destroy: None,
    };
    TaskPoolPlugin {
        task_pool_options: TaskPoolOptions {
            io: one(),
            async_compute: one(),
            compute: one(),
            ..default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::thread::ThreadId;

    /// The threads systems ran on.
    #[derive(Resource, Clone, Default)]
    struct Ran(Arc<Mutex<Vec<ThreadId>>>);

    fn note(ran: Res<Ran>) {
        ran.0.lock().unwrap().push(std::thread::current().id());
    }

    #[test]
    fn a_headless_app_runs_every_system_on_the_main_thread() {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins.set(task_pools()), OneThreadPlugin));
        let ran = Ran::default();
        app.insert_resource(ran.clone());
        // Independent systems in several schedules: the multi-threaded executor would
        // hand some of them to the compute pool's worker.
        for _ in 0..4 {
            app.add_systems(First, note)
                .add_systems(PreUpdate, note)
                .add_systems(PostUpdate, note)
                .add_systems(Last, note);
        }
        app.finish();
        app.cleanup();
        for _ in 0..200 {
            app.update();
        }
        let main = std::thread::current().id();
        let threads = ran.0.lock().unwrap();
        assert_eq!(threads.len(), 200 * 16);
        let elsewhere = threads.iter().filter(|t| **t != main).count();
        assert_eq!(elsewhere, 0, "systems ran off the main thread");
        assert_eq!(
            *app.world().resource::<StaticTransformOptimizations>(),
            StaticTransformOptimizations::Disabled
        );
    }

    #[derive(Resource)]
    struct Made(&'static str);

    #[test]
    fn commands_of_the_last_systems_of_a_schedule_are_applied_when_it_ends() {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins.set(task_pools()), OneThreadPlugin));
        app.add_systems(Startup, |mut commands: Commands| {
            commands.insert_resource(Made("at start-up"));
        });
        app.add_systems(Update, |mut commands: Commands, made: Res<Made>| {
            if made.0 == "at start-up" {
                commands.insert_resource(Made("in the first update"));
            }
        });
        // Reads what `Update` made in the same frame.
        app.add_systems(PostUpdate, |made: Res<Made>, mut seen: Local<bool>| {
            assert!(*seen || made.0 == "in the first update", "{}", made.0);
            *seen = true;
        });
        app.finish();
        app.cleanup();
        app.update();
        assert_eq!(app.world().resource::<Made>().0, "in the first update");
    }
}
