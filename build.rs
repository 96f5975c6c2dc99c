// Compiles csrc/numconv.c: the long double arithmetic and printf-style float
// formatting Redis uses, which Rust cannot express (see the file's header),
// and csrc/collate.c: strcoll for SORT ... ALPHA.
fn main() {
    println!("cargo:rerun-if-changed=csrc/numconv.c");
    println!("cargo:rerun-if-changed=csrc/collate.c");
    cc::Build::new()
        .file("csrc/numconv.c")
        .file("csrc/collate.c")
        .warnings(true)
        .compile("numconv");
}
