//! Keys as stored in the keyspace: short keys live inside the dict entry,
//! longer ones in one heap block.
//!
//! Every key costs memory in every entry, so the common short key (up to
//! 14 bytes, e.g. `key:00001234`) takes no allocation of its own; the
//! whole `Key` is 16 bytes either way.

use thin_vec::ThinVec;

/// Longest key stored inline.
pub const INLINE_CAP: usize = 14;

/// A ThinVec holding a copy of `bytes`, made with one memcpy: thin-vec's
/// own `From<&[u8]>` pushes byte by byte, which showed in profiles of
/// SETs of kilobyte values.
pub fn thin_copy(bytes: &[u8]) -> ThinVec<u8> {
    let mut v = ThinVec::with_capacity(bytes.len());
    if !bytes.is_empty() {
        // SAFETY: `v` owns room for `bytes.len()` bytes (a non-empty
        // capacity is a real allocation, so the pointer is into it); the
        // bytes are copied in before the length claims them, and `u8`
        // needs no initialisation beyond that.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), v.as_mut_ptr(), bytes.len());
            v.set_len(bytes.len());
        }
    }
    v
}

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
            Key::Heap(thin_copy(bytes))
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, data } => &data[..usize::from(*len)],
            Key::Heap(v) => v,
        }
    }
}

impl AsRef<[u8]> for Key {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
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
    fn thin_copy_copies_every_byte() {
        for len in [0, 1, 15, 1000, 70_000] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let v = thin_copy(&bytes);
            assert_eq!(&v[..], &bytes[..]);
            assert!(v.capacity() >= len);
        }
    }

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
