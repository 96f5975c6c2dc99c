//! Random command generation: a small shared key space (so commands collide
//! on keys and hit WRONGTYPE), edge-case values on purpose, every option,
//! and now and then a wrong arity or a mangled argument.

use fastrand::Rng;

/// How far millisecond TTLs (PTTL, PEXPIRETIME) may differ: a relative
/// expiry is set on each server a moment apart, and on a loaded machine
/// that moment has reached 130 ms. A unit mistake (seconds for
/// milliseconds) still shows in most steps.
pub const MS_TTL_SLACK: i64 = 500;

/// How two replies are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// Byte for byte.
    Exact,
    /// An array whose order Redis does not define: compared as a multiset.
    Unordered,
    /// A flat array of pairs whose order Redis does not define.
    UnorderedPairs,
    /// An integer that may differ by up to this much (TTLs, times).
    Near(i64),
    /// Only the reply's type (and arity for arrays) must agree.
    Shape,
    /// Every element ferredis returns must be in Redis's reply, which may
    /// hold more: listings of the whole command table (COMMAND, COMMAND
    /// LIST), where ferredis has only the commands it implements.
    Subset,
    /// COMMAND INFO entries: exact, except that the order of a
    /// container's subcommands is Redis's dict order, so it is not compared.
    CommandEntries,
    /// Exact while the collection at argument `key_at` has a compact
    /// encoding on Redis (listpack, intset: an order ferredis reproduces),
    /// under `otherwise` once it is a hash table, whose order comes from
    /// the hash function.
    ExactIfCompact {
        key_at: usize,
        otherwise: &'static Cmp,
    },
}

/// One generated step.
#[derive(Debug, Clone)]
pub enum Step {
    /// A single request.
    One { args: Vec<Vec<u8>>, cmp: Cmp },
    /// A whole SCAN-family iteration (cursor loop); the union of the
    /// returned elements is compared as a set. `cursor_at` is the index of
    /// the cursor argument.
    ScanAll {
        args: Vec<Vec<u8>>,
        cursor_at: usize,
    },
    /// A reply listing set members, whose order Redis defines only when
    /// they come from an intset (ascending): compared exactly when `order`
    /// says Redis's reply is in that order, else under `otherwise`. See
    /// set_checks.rs.
    SetReply {
        args: Vec<Vec<u8>>,
        order: SetOrder,
        otherwise: Cmp,
    },
    /// SPOP or SRANDMEMBER on `key`: random members, compared by reply
    /// type, size, membership and repeats (`unique`: none allowed). When
    /// `pops` and the servers popped different members, the key is then
    /// made equal again on both.
    RandomMembers {
        args: Vec<Vec<u8>>,
        key: Vec<u8>,
        pops: bool,
        unique: bool,
    },
    /// A random pick from a collection (HRANDFIELD and the like): the
    /// replies must have the same shape, and every element ferredis picked
    /// must be in what `population` lists (read on ferredis; fields and
    /// values in pairs when `pairs`), each at most once when `distinct`.
    Sample {
        args: Vec<Vec<u8>>,
        population: Vec<Vec<u8>>,
        pairs: bool,
        distinct: bool,
    },
    /// DUMP of a key (`args`): the payloads compared byte for byte unless
    /// Redis keeps the value in a hash table, then each server RESTOREs
    /// the other's payload under `restored` (which the data-set
    /// comparison then checks).
    CrossRestore { args: Vec<Vec<u8>> },
}

/// When a set reply is in the intset's ascending order.
#[derive(Debug, Clone)]
pub enum SetOrder {
    /// The key is an intset (SMEMBERS, one SSCAN call).
    Intset(Vec<u8>),
    /// The smallest of the sets (the first of equals) is an intset: SINTER
    /// walks it.
    Smallest(Vec<Vec<u8>>),
    /// The members could all go in an intset: SUNION's result is built as
    /// one.
    Result,
    /// The first set is an intset within the limit: every SDIFF result is
    /// then built as an intset.
    First(Vec<u8>),
}

impl Step {
    pub fn exact(args: Vec<Vec<u8>>) -> Step {
        Step::One {
            args,
            cmp: Cmp::Exact,
        }
    }

    pub fn with(args: Vec<Vec<u8>>, cmp: Cmp) -> Step {
        Step::One { args, cmp }
    }

    pub fn args(&self) -> &[Vec<u8>] {
        match self {
            Step::One { args, .. }
            | Step::ScanAll { args, .. }
            | Step::SetReply { args, .. }
            | Step::RandomMembers { args, .. }
            | Step::Sample { args, .. }
            | Step::CrossRestore { args } => args,
        }
    }

    /// The command's name (and subcommand for containers), for reports.
    pub fn name(&self) -> String {
        command_name(self.args())
    }
}

/// Containers whose second word names the subcommand.
const CONTAINERS: &[&str] = &[
    "client", "config", "command", "object", "memory", "xinfo", "xgroup", "pubsub", "function",
    "script", "acl", "cluster", "latency", "slowlog", "module",
];

pub fn command_name(args: &[Vec<u8>]) -> String {
    let first = args
        .first()
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .unwrap_or_default();
    match args.get(1) {
        Some(sub) if CONTAINERS.contains(&first.as_str()) => {
            format!(
                "{first} {}",
                String::from_utf8_lossy(sub).to_ascii_lowercase()
            )
        }
        _ => first,
    }
}

/// The keys every generated command draws from, in every database used.
pub const KEYS: &[&[u8]] = &[
    b"k0",
    b"k1",
    b"k2",
    b"k3",
    b"k4",
    b"",
    b"bin\x00\r\nkey",
    b"long-key-name-beyond-inline-storage",
];

/// Values chosen to break things: empty, binary, integer edges, floats,
/// near-integers, and a value big enough to take the large-bulk path.
fn edge_values() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = [
        &b""[..],
        b"0",
        b"1",
        b"-1",
        b"10",
        b"-0",
        b"+1",
        b"01",
        b" 1",
        b"1 ",
        b"9223372036854775807",
        b"-9223372036854775808",
        b"9223372036854775806",
        b"-9223372036854775807",
        b"9223372036854775808",
        b"-9223372036854775809",
        b"99999999999999999999",
        b"3.14",
        b"-2.5e3",
        b"1e308",
        b"1e400",
        b"inf",
        b"-inf",
        b"nan",
        b"0x10",
        b"abc",
        b"hello world",
        b"\r\n",
        b"a\x00b",
        b"\xff\xfe\x00",
        b"12345678901234",
        b"123456789012345",
        b"this value is longer than forty four bytes, so it is raw",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect();
    v.push(vec![b'x'; 40 * 1024]);
    v
}

/// Integer arguments: offsets, counts, increments, indexes.
const EDGE_INTS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "-2",
    "5",
    "10",
    "-10",
    "100",
    "-100",
    "1000",
    "4294967296",
    "536870912",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775806",
    "9223372036854775808",
    "abc",
    "",
    "1.5",
    "+1",
    "01",
    " 1",
];

pub struct Gen {
    pub rng: Rng,
    values: Vec<Vec<u8>>,
    /// Whether the steps generated so far leave a MULTI open, for
    /// families that generate transactions and must know what gets queued.
    pub in_multi: bool,
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::with_seed(seed),
            values: edge_values(),
            in_multi: false,
        }
    }

    pub fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    pub fn key(&mut self) -> Vec<u8> {
        KEYS[self.rng.usize(..KEYS.len())].to_vec()
    }

    /// One to `max` keys, repeats allowed.
    pub fn keys(&mut self, max: usize) -> Vec<Vec<u8>> {
        let n = self.rng.usize(1..=max);
        (0..n).map(|_| self.key()).collect()
    }

    pub fn value(&mut self) -> Vec<u8> {
        match self.rng.u32(..10) {
            0..=5 => self.values[self.rng.usize(..self.values.len())].clone(),
            6 | 7 => self.rng.i64(-1000..1000).to_string().into_bytes(),
            _ => {
                let len = self.rng.usize(0..30);
                (0..len).map(|_| self.rng.alphanumeric() as u8).collect()
            }
        }
    }

    /// A small integer most of the time, an edge case otherwise.
    pub fn int(&mut self, lo: i64, hi: i64) -> Vec<u8> {
        if self.chance(80) {
            self.rng.i64(lo..=hi).to_string().into_bytes()
        } else {
            self.edge_int()
        }
    }

    /// A time to live: long enough not to race between the two servers,
    /// or one of the invalid and extreme values Redis must refuse.
    pub fn ttl(&mut self, lo: i64, hi: i64) -> Vec<u8> {
        const BAD: &[&str] = &[
            "0",
            "-1",
            "-100",
            "abc",
            "",
            "1.5",
            "+1",
            "01",
            " 1",
            "9223372036854775807",
            "9223372036854775806",
            "-9223372036854775808",
            "9223372036854775808",
        ];
        if self.chance(85) {
            self.rng.i64(lo..=hi).to_string().into_bytes()
        } else {
            BAD[self.rng.usize(..BAD.len())].as_bytes().to_vec()
        }
    }

    /// A byte or bit offset: small, an edge case, and once in a long while
    /// one at the very limit, which makes a 512 MB string (slow, so rare).
    pub fn offset(&mut self, lo: i64, hi: i64) -> Vec<u8> {
        if self.rng.u32(..1000) == 0 {
            return self.pick(&["536870911", "4294967295"]).as_bytes().to_vec();
        }
        self.int(lo, hi)
    }

    pub fn edge_int(&mut self) -> Vec<u8> {
        EDGE_INTS[self.rng.usize(..EDGE_INTS.len())]
            .as_bytes()
            .to_vec()
    }

    pub fn float(&mut self) -> Vec<u8> {
        const F: &[&str] = &[
            "0",
            "1",
            "-1",
            "0.1",
            "1.5",
            "-2.25",
            "1e3",
            "3.0e-5",
            "10.5",
            "5.0e3",
            "inf",
            "-inf",
            "nan",
            "abc",
            "",
            "1e308",
            "1.7976931348623157e308",
            "0x1p3",
            " 1",
            "1 ",
        ];
        if self.chance(50) {
            format!("{:.3}", self.rng.f64() * 200.0 - 100.0).into_bytes()
        } else {
            F[self.rng.usize(..F.len())].as_bytes().to_vec()
        }
    }

    pub fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.rng.usize(..options.len())]
    }

    /// The command name in random letter case (Redis ignores case).
    pub fn name(&mut self, name: &str) -> Vec<u8> {
        match self.rng.u32(..4) {
            0 => name.to_ascii_uppercase().into_bytes(),
            1 => name
                .bytes()
                .map(|b| {
                    if self.rng.bool() {
                        b.to_ascii_uppercase()
                    } else {
                        b
                    }
                })
                .collect(),
            _ => name.as_bytes().to_vec(),
        }
    }

    /// One of several command names, in random letter case.
    pub fn name_of(&mut self, names: &[&str]) -> Vec<u8> {
        let n = self.pick(names);
        self.name(n)
    }

    /// Now and then breaks arity: drops the last argument or adds one.
    pub fn mangle(&mut self, mut args: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
        if self.chance(3) && args.len() > 1 {
            args.pop();
        } else if self.chance(3) {
            let extra = self.value();
            args.push(extra);
        }
        args
    }
}

/// Builds an argument vector from string pieces and byte pieces.
#[macro_export]
macro_rules! args {
    ($($a:expr),* $(,)?) => {{
        let mut v: Vec<Vec<u8>> = Vec::new();
        $( $crate::generate::push_arg(&mut v, $a); )*
        v
    }};
}

pub trait IntoArgs {
    fn push_into(self, v: &mut Vec<Vec<u8>>);
}

impl IntoArgs for &str {
    fn push_into(self, v: &mut Vec<Vec<u8>>) {
        v.push(self.as_bytes().to_vec());
    }
}

impl IntoArgs for String {
    fn push_into(self, v: &mut Vec<Vec<u8>>) {
        v.push(self.into_bytes());
    }
}

impl IntoArgs for Vec<u8> {
    fn push_into(self, v: &mut Vec<Vec<u8>>) {
        v.push(self);
    }
}

impl IntoArgs for Vec<Vec<u8>> {
    fn push_into(self, v: &mut Vec<Vec<u8>>) {
        v.extend(self);
    }
}

pub fn push_arg(v: &mut Vec<Vec<u8>>, a: impl IntoArgs) {
    a.push_into(v);
}
