//! Empty: the build-dependency on syn only unifies the features the
//! proc-macros of xtask and of the runtimes ask of it.

fn main() {}
