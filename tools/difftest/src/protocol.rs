//! Protocol edge cases sent on raw sockets: what each server replies and
//! whether it closes the connection afterwards.

/// (name, bytes to send, how many bytes per write; 0 = all at once).
pub fn cases() -> Vec<(String, Vec<u8>, usize)> {
    let mut v: Vec<(String, Vec<u8>, usize)> = Vec::new();
    let mut add =
        |name: &str, bytes: &[u8], step: usize| v.push((name.to_string(), bytes.to_vec(), step));
    add("inline ping", b"PING\r\n", 0);
    add("inline bare newline", b"PING\n", 0);
    add("inline quotes", b"ECHO \"a b\\x41\\n\" 'c d'\r\n", 0);
    add("inline unbalanced", b"SET \"a\r\n", 0);
    add("inline bad closing quote", b"ECHO \"a\"b\r\n", 0);
    add("inline single escape", b"ECHO 'it\\'s'\r\n", 0);
    add("inline empty lines", b"\r\n\r\n  \r\nPING\r\n", 0);
    add("empty multibulk", b"*0\r\n*-1\r\nPING\r\n", 0);
    add("multibulk bad count", b"*x\r\n", 0);
    add("multibulk plus count", b"*+1\r\n$4\r\nPING\r\n", 0);
    add("multibulk leading zero", b"*01\r\n$4\r\nPING\r\n", 0);
    add("multibulk minus zero", b"*-0\r\n", 0);
    add("multibulk too many", b"*2147483648\r\n", 0);
    add("multibulk huge count", b"*2147483647\r\n$4\r\nPING\r\n", 0);
    add("expected dollar", b"*1\r\nx\r\n", 0);
    add("negative bulk", b"*1\r\n$-1\r\n", 0);
    add("bulk leading zero", b"*1\r\n$04\r\nPING\r\n", 0);
    add("bulk too big", b"*1\r\n$536870913\r\n", 0);
    add(
        "bulk trailing bytes skipped",
        b"*1\r\n$4\r\nPINGxy*1\r\n$4\r\nPING\r\n",
        0,
    );
    add("header byte after cr skipped", b"*1\rX$4\r\nPING\r\n", 0);
    add("unknown command", b"*2\r\n$3\r\nfoo\r\n$1\r\na\r\n", 0);
    add(
        "unknown command with nul",
        b"*2\r\n$4\r\nf\x00oo\r\n$3\r\na\x00b\r\n",
        0,
    );
    add(
        "one byte writes",
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
        1,
    );
    add("one byte inline", b"ECHO hi\r\n", 1);
    add(
        "binary value",
        b"*2\r\n$4\r\nECHO\r\n$6\r\n\r\n\x00\xff\r\n\r\n",
        0,
    );
    // Redis checks the limit between 16 KiB reads, so a line is refused
    // only once more than 64 KiB arrived without its newline.
    let mut long_inline = vec![b'a'; 60_000];
    long_inline.extend_from_slice(b"\r\n");
    add("long inline", &long_inline, 0);
    let mut too_long = vec![b'a'; 100_000];
    too_long.extend_from_slice(b"\r\n");
    add("too big inline", &too_long, 0);
    let mut mbulk = b"*".to_vec();
    mbulk.extend(std::iter::repeat_n(b'1', 70_000));
    add("too big mbulk count", &mbulk, 0);
    let mut bulk = b"*1\r\n$".to_vec();
    bulk.extend(std::iter::repeat_n(b'1', 70_000));
    add("too big bulk count", &bulk, 0);
    let mut pipeline = Vec::new();
    for i in 0..5000 {
        pipeline.extend_from_slice(
            format!(
                "*3\r\n$3\r\nSET\r\n$3\r\np{:02}\r\n$4\r\n{i:04}\r\n",
                i % 50
            )
            .as_bytes(),
        );
        pipeline
            .extend_from_slice(format!("*2\r\n$3\r\nGET\r\n$3\r\np{:02}\r\n", i % 50).as_bytes());
    }
    add("10000 pipelined commands", &pipeline, 0);
    v
}
