//! Records the compiler's version (`rustc --version`) for `--json`: the
//! figures of a run depend on the code the compiler made.

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=KEY_DIFFERENCES_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
