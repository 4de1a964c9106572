//! Empty on purpose: this crate only asks cargo for the union of the
//! features that xtask and the runtime binaries need from the crates they
//! share (see its Cargo.toml), so each is compiled once per profile.
