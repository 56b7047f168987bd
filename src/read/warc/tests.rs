//! Tests of the web archive reader on records built in memory.
