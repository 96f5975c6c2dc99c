//! Keys as stored in the keyspace: short keys live inside the dict entry,
//! longer ones in one heap block.
//!
//! Every key costs memory in every entry, so the common short key (up to
//! 14 bytes, e.g. `key:00001234`) takes no allocation of its own; the
//! whole `Key` is 16 bytes either way.

use thin_vec::ThinVec;

/// Longest key stored inline.
pub const INLINE_CAP: usize = 14;

/// A binary-safe key.
#[derive(Clone)]
pub enum Key {
    Inline { len: u8, data: [u8; INLINE_CAP] },
    Heap(ThinVec<u8>),
}

impl Key {
    pub fn new(bytes: &[u8]) -> Key {
        if bytes.len() <= INLINE_CAP {
            let mut data = [0u8; INLINE_CAP];
            data[..bytes.len()].copy_from_slice(bytes);
            Key::Inline {
                len: bytes.len() as u8,
                data,
            }
        } else {
            Key::Heap(ThinVec::from(bytes))
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, data } => &data[..usize::from(*len)],
            Key::Heap(v) => v,
        }
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap() {
        assert_eq!(std::mem::size_of::<Key>(), 16);
        for len in [0, 1, 14, 15, 100] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            assert_eq!(Key::new(&bytes).as_bytes(), &bytes[..]);
        }
        assert!(matches!(Key::new(b"key:00001234"), Key::Inline { .. }));
    }
}
