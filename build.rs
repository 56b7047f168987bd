//! Links the `gazette` binary as a position-dependent executable on Linux.
//!
//! Every query is a process, so start-up time is query time. A position-independent
//! executable makes the dynamic loader apply ~31,000 relative relocations at every start,
//! copying each page it patches; linked at a fixed address there are none, and
//! `gazette --version` starts in about half the time (see README, "Performance").
//! Set `GAZETTE_PIE=1` when building to keep a PIE (address-space randomisation of the
//! executable itself).

fn main() {
    println!("cargo:rerun-if-env-changed=GAZETTE_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let pie = std::env::var("GAZETTE_PIE").is_ok_and(|v| !v.is_empty() && v != "0");
    if linux && !pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
