fn main() {
    // A position-dependent executable starts faster: the loader has no
    // hundred thousand relocations to apply to the (large) binary first.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
