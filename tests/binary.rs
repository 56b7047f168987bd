//! How the `gazette` binary is built: properties a query's start-up time depends on.

/// build.rs links the binary at a fixed address on Linux (no relocations to apply at each
/// start); a PIE is only made on request.
#[test]
#[cfg(target_os = "linux")]
fn the_binary_is_linked_position_dependent() {
    if option_env!("GAZETTE_PIE").is_some_and(|v| !v.is_empty() && v != "0") {
        return;
    }
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_gazette")).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    // e_type: 2 = ET_EXEC (fixed address), 3 = ET_DYN (position-independent).
    let e_type = u16::from_le_bytes([bytes[16], bytes[17]]);
    assert_eq!(e_type, 2, "gazette was linked as a PIE");
}
