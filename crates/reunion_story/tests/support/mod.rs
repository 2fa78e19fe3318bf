//! Helpers shared by the integration tests.

pub mod test_model;
