//! Runs the Rust main-text extractors gazette was measured against on a folder of pages.
//!
//! `html-candidates PAGES_DIR OUT_DIR` reads every `*.html` / `*.html.gz` in PAGES_DIR and
//! writes `OUT_DIR/NAME.json` per extractor, in the shape the Zyte benchmark's
//! `evaluate.py` reads (`{page id: {"articleBody": text}}`), plus `OUT_DIR/NAME.time`
//! with the seconds of extraction alone (parsing included, file reading excluded), on one
//! thread, as gazette's reader runs per page. scripts/eval-html.py drives it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Extractor = fn(&str, &str) -> String;

fn rs_trafilatura(html: &str, _url: &str) -> String {
    rs_trafilatura::extract(html)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

fn trafilatura_with(html: &str, url: &str, tune: fn(&mut trafilatura::Options)) -> String {
    let mut opts = trafilatura::Options::default();
    opts.original_url = url::Url::parse(url).ok();
    tune(&mut opts);
    trafilatura::extract(html, &opts)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

fn trafilatura_rs(html: &str, url: &str) -> String {
    trafilatura_with(html, url, |_| {})
}

fn trafilatura_rs_fallback(html: &str, url: &str) -> String {
    trafilatura_with(html, url, |o| o.enable_fallback = true)
}

fn trafilatura_rs_precision(html: &str, url: &str) -> String {
    trafilatura_with(html, url, |o| {
        o.focus = trafilatura::ExtractionFocus::FavorPrecision
    })
}

fn trafilatura_rs_recall(html: &str, url: &str) -> String {
    trafilatura_with(html, url, |o| {
        o.focus = trafilatura::ExtractionFocus::FavorRecall
    })
}

fn trafilatura_rs_recall_nocomments(html: &str, url: &str) -> String {
    trafilatura_with(html, url, |o| {
        o.focus = trafilatura::ExtractionFocus::FavorRecall;
        o.exclude_comments = true;
    })
}

fn trafilatura_rs_nocomments(html: &str, url: &str) -> String {
    trafilatura_with(html, url, |o| o.exclude_comments = true)
}

fn dom_smoothie(html: &str, url: &str) -> String {
    let url = (!url.is_empty()).then_some(url);
    dom_smoothie::Readability::new(html, url, None)
        .and_then(|mut r| r.parse())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

fn readability(html: &str, url: &str) -> String {
    let Ok(url) = url::Url::parse(url) else {
        return String::new();
    };
    readability::extractor::extract(&mut html.as_bytes(), &url)
        .map(|p| p.text)
        .unwrap_or_default()
}

fn llm_readability(html: &str, url: &str) -> String {
    let Ok(url) = url::Url::parse(url) else {
        return String::new();
    };
    llm_readability::extractor::extract(&mut html.as_bytes(), &url)
        .map(|p| p.text)
        .unwrap_or_default()
}

const EXTRACTORS: &[(&str, Extractor)] = &[
    ("rs-trafilatura", rs_trafilatura),
    ("trafilatura-rs", trafilatura_rs),
    ("trafilatura-rs+fallback", trafilatura_rs_fallback),
    ("trafilatura-rs+precision", trafilatura_rs_precision),
    ("trafilatura-rs+recall", trafilatura_rs_recall),
    ("trafilatura-rs+no-comments", trafilatura_rs_nocomments),
    (
        "trafilatura-rs+recall+no-comments",
        trafilatura_rs_recall_nocomments,
    ),
    ("dom_smoothie", dom_smoothie),
    ("readability", readability),
    ("llm_readability", llm_readability),
];

fn main() {
    if let Ok(page) = std::env::var("PEEK") {
        let html = load(Path::new(&page)).into_iter().next().unwrap().1;
        let mut opts = trafilatura::Options::default();
        opts.focus = trafilatura::ExtractionFocus::FavorRecall;
        opts.exclude_comments = true;
        let r = trafilatura::extract(&html, &opts).unwrap();
        println!("{}", r.content_html);
        return;
    }
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [pages, out, rest @ ..] = args.as_slice() else {
        eprintln!("usage: html-candidates PAGES_DIR OUT_DIR [URLS.json]");
        std::process::exit(2);
    };
    // Optional {id: {"url": ...}} (the benchmark's ground truth carries the page URLs,
    // which the readability ports require).
    let urls: BTreeMap<String, String> = rest
        .first()
        .map(|p| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(p).expect("read urls")).expect("json");
            v.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v["url"].as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let pages = load(pages);
    std::fs::create_dir_all(out).expect("create output folder");
    for (name, extract) in EXTRACTORS {
        let mut output = serde_json::Map::new();
        let mut spent = Duration::ZERO;
        for (id, html) in &pages {
            let url = urls.get(id).map(String::as_str).unwrap_or("");
            let start = Instant::now();
            let text = extract(html, url);
            spent += start.elapsed();
            output.insert(id.clone(), serde_json::json!({ "articleBody": text }));
        }
        let json = serde_json::to_string(&output).unwrap();
        std::fs::write(out.join(format!("{name}.json")), json).expect("write output");
        std::fs::write(
            out.join(format!("{name}.time")),
            format!("{}\n", spent.as_secs_f64()),
        )
        .expect("write time");
        eprintln!(
            "{name}: {} pages, {:.3} s",
            pages.len(),
            spent.as_secs_f64()
        );
    }
}

/// Every page in the folder as UTF-8 text (bytes that are not UTF-8 are replaced), keyed
/// by its file name without `.html` / `.html.gz`.
fn load(dir: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read pages folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (id, gz) = if let Some(id) = name.strip_suffix(".html.gz") {
            (id.to_string(), true)
        } else if let Some(id) = name.strip_suffix(".html") {
            (id.to_string(), false)
        } else {
            continue;
        };
        let raw = std::fs::read(&path).expect("read page");
        let mut bytes = Vec::new();
        if gz {
            flate2::read::MultiGzDecoder::new(raw.as_slice())
                .read_to_end(&mut bytes)
                .expect("gunzip");
        } else {
            bytes = raw;
        }
        pages.push((id, String::from_utf8_lossy(&bytes).into_owned()));
    }
    pages.sort();
    pages
}
