// Compiles csrc/numconv.c: the long double arithmetic and printf-style float
// formatting Redis uses, which Rust cannot express (see the file's header).
fn main() {
    println!("cargo:rerun-if-changed=csrc/numconv.c");
    cc::Build::new()
        .file("csrc/numconv.c")
        .warnings(true)
        .compile("numconv");
}
