//! A 200 MB JSON-lines file is streamed: it goes in whole while the ingest's memory stays
//! bounded. Alone in its test binary, so the peak memory of this process's children is
//! the ingest's own.

mod util;

use std::io::Write;

use util::Env;

/// Peak resident memory of all waited-for children of this process, in MB.
fn children_peak_mb() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is a valid target.
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    usage.ru_maxrss as f64 / 1024.0 // kilobytes on Linux
}

#[test]
fn a_200_mb_jsonl_file_is_streamed_with_bounded_memory() {
    let env = Env::new();
    let path = env.dir.path().join("corpus/huge.jsonl");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    // Each line: a short article plus a 2 KB field gazette ignores (like raw HTML in a
    // crawl dump), so the file is large while the tagging work stays small.
    let padding = "x".repeat(2000);
    let mut lines = 0u64;
    let mut bytes = 0u64;
    while bytes < 200_000_000 {
        let line = format!(
            "{{\"id\": \"a{lines}\", \"title\": \"Report {lines}\", \"body\": \"Harbour report number {lines}.\", \"raw\": \"{padding}\"}}\n"
        );
        bytes += line.len() as u64;
        lines += 1;
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
    drop(out);

    let out = env.run(&["ingest", "corpus", "--memory", "64", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    let peak = children_peak_mb();
    let count: u64 = env
        .ok(&["query", "harbour", "--count"], 0)
        .trim()
        .parse()
        .unwrap();
    assert_eq!(count, lines);
    eprintln!("ingest peak memory: {peak:.0} MB for {lines} articles");
    // The file is 200 MB; a reader that slurped it (or kept its articles) would pass that.
    assert!(peak < 400.0, "peak memory {peak:.0} MB for a 200 MB file");
}
