//! Inline Leaflet into the offline map page (`plan.html`).
//!
//! Leaflet comes from the npm registry, pinned by the repository's `package.json` and
//! `package-lock.json` (version and sha512 integrity). When `node_modules/leaflet` is missing,
//! this script runs `npm ci --no-audit --no-fund` in the repository root (Node.js and npm
//! needed once, on the first build). It copies `leaflet.js` and `leaflet.css` into `OUT_DIR`,
//! with the CSS's images (`images/layers.png`, ...) turned into `data:` URIs so the page
//! needs no other file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest
        .parent()
        .and_then(Path::parent)
        .expect("crates/report lives two levels below the repository root")
        .to_path_buf();
    let dist = root.join("node_modules/leaflet/dist");
    println!(
        "cargo:rerun-if-changed={}",
        root.join("package-lock.json").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        dist.join("leaflet.js").display()
    );
    if !dist.join("leaflet.js").is_file() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!(
                "fiberplan's offline map inlines Leaflet from the npm registry, and `npm ci` in {} \
                 failed ({other:?}): install Node.js and npm (Debian: apt-get install npm), then \
                 run `npm ci --no-audit --no-fund` there",
                root.display()
            ),
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let js = std::fs::read_to_string(dist.join("leaflet.js"))
        .expect("node_modules/leaflet/dist/leaflet.js");
    let mut css = std::fs::read_to_string(dist.join("leaflet.css"))
        .expect("node_modules/leaflet/dist/leaflet.css");
    for img in [
        "layers.png",
        "layers-2x.png",
        "marker-icon.png",
        "marker-icon-2x.png",
        "marker-shadow.png",
    ] {
        if let Ok(bytes) = std::fs::read(dist.join("images").join(img)) {
            let uri = format!("data:image/png;base64,{}", base64(&bytes));
            css = css.replace(&format!("url(images/{img})"), &format!("url({uri})"));
        }
    }
    std::fs::write(out.join("leaflet.js"), js).expect("write OUT_DIR/leaflet.js");
    std::fs::write(out.join("leaflet.css"), css).expect("write OUT_DIR/leaflet.css");
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                s.push(A[((n >> shift) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}
