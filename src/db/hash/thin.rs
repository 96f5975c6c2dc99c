//! Compact storage for hashes, where memory per field is what counts.
//!
//! A [`Value`](crate::db::Value) has 16 bytes with a tag byte of its own,
//! so a hash fits there only as a single pointer. [`Repr`] is that
//! pointer: to a [`Packed`] block (the listpack of a small hash, header
//! and entries in one exactly sized allocation, so a small hash costs one
//! allocation beyond its key, as in Redis) or to a boxed [`Dict`]. Both
//! are at least 4-byte aligned, so the pointer's low bit is free to say
//! which; everything else about the tag stays in this file.
//!
//! In the dict, each value is a [`Blob`]: short ones inline, longer ones
//! in an allocation of exactly their length, with no header.

use crate::db::dict::Dict;
use bytes::Bytes;
use std::alloc::{self, Layout};
use std::mem::ManuallyDrop;
use std::ops::Range;
use std::ptr::{self, NonNull};

/// The block's header, followed by `len` bytes of listpack entries.
#[repr(C)]
struct Header {
    len: u32,
    /// Entries (fields and values each count one), as Redis's listpack
    /// header keeps it: HLEN needs no walk.
    count: u32,
}

const HEADER: usize = size_of::<Header>();

/// The most entry bytes a block may hold. Redis converts a listpack that
/// would pass 1 GB (LISTPACK_MAX_SAFETY_SIZE); callers do the same, which
/// also keeps every size here far from overflowing.
pub const MAX_BYTES: usize = 1 << 30;

/// The layout of a block holding `len` entry bytes.
fn layout(len: usize) -> Layout {
    let size = HEADER + len.min(MAX_BYTES);
    // A header-aligned size a little above 1 GB is always a valid layout.
    Layout::from_size_align(size, align_of::<Header>()).unwrap_or(Layout::new::<Header>())
}

/// Listpack bytes and their entry count in one exactly sized allocation.
/// Every change reallocates to the new size, as Redis's listpack does, so
/// no spare capacity is kept.
#[repr(transparent)]
pub struct Packed {
    ptr: NonNull<Header>,
}

impl Packed {
    /// A block holding `bytes` (`count` entries, already encoded).
    /// Bytes of the block: header and entries, allocated to size.
    pub fn heap_bytes(&self) -> usize {
        crate::alloc::size_class(HEADER + self.bytes().len(), std::mem::align_of::<Header>())
    }

    pub fn with_bytes(bytes: &[u8], count: u32) -> Packed {
        let len = bytes.len().min(MAX_BYTES);
        let layout = layout(len);
        // SAFETY: the layout has a non-zero size (the header).
        let raw = unsafe { alloc::alloc(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<Header>()) else {
            alloc::handle_alloc_error(layout)
        };
        // SAFETY: the block was just allocated for the header plus `len`
        // bytes; `bytes` is a different allocation.
        unsafe {
            ptr.as_ptr().write(Header {
                len: len as u32,
                count,
            });
            ptr::copy_nonoverlapping(bytes.as_ptr(), raw.add(HEADER), len);
        }
        Packed { ptr }
    }

    fn header(&self) -> &Header {
        // SAFETY: `ptr` always points to an initialised header.
        unsafe { self.ptr.as_ref() }
    }

    fn data(&self) -> *mut u8 {
        // SAFETY: the entries start right after the header, inside the block.
        unsafe { self.ptr.as_ptr().cast::<u8>().add(HEADER) }
    }

    /// The listpack's bytes.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `len` initialised bytes follow the header.
        unsafe { std::slice::from_raw_parts(self.data(), self.header().len as usize) }
    }

    /// Number of entries (twice the number of fields).
    pub fn count(&self) -> usize {
        self.header().count as usize
    }

    /// Replaces the bytes in `range` with `with`, changing the entry count
    /// by `count_delta`; the block is reallocated to the exact new size.
    /// The caller keeps the total within [`MAX_BYTES`].
    pub fn splice(&mut self, range: Range<usize>, with: &[u8], count_delta: i64) {
        let old_len = self.header().len as usize;
        if range.start > range.end || range.end > old_len {
            debug_assert!(false, "splice out of bounds");
            return;
        }
        let new_len = old_len - range.len() + with.len();
        if new_len > MAX_BYTES {
            alloc::handle_alloc_error(layout(new_len));
        }
        let tail = old_len - range.end;
        let dst = range.start + with.len();
        // Move the tail before shrinking, after growing, so no byte that is
        // kept ever lies outside the allocation.
        if new_len < old_len {
            // SAFETY: both ranges lie within the current block.
            unsafe { ptr::copy(self.data().add(range.end), self.data().add(dst), tail) };
            self.resize(old_len, new_len);
        } else if new_len > old_len {
            self.resize(old_len, new_len);
            // SAFETY: both ranges lie within the grown block.
            unsafe { ptr::copy(self.data().add(range.end), self.data().add(dst), tail) };
        }
        let count = (i64::from(self.header().count) + count_delta).max(0);
        // SAFETY: `with` fits at `range.start` in the resized block and
        // lives elsewhere; the header is ours to write.
        unsafe {
            ptr::copy_nonoverlapping(with.as_ptr(), self.data().add(range.start), with.len());
            let header = self.ptr.as_mut();
            header.len = new_len as u32;
            header.count = u32::try_from(count).unwrap_or(u32::MAX);
        }
    }

    fn resize(&mut self, old_len: usize, new_len: usize) {
        let new_layout = layout(new_len);
        // SAFETY: the block was allocated with `layout(old_len)`; the new
        // size is non-zero and, below 1 GB plus a header, cannot overflow.
        let raw = unsafe {
            alloc::realloc(
                self.ptr.as_ptr().cast::<u8>(),
                layout(old_len),
                new_layout.size(),
            )
        };
        match NonNull::new(raw.cast::<Header>()) {
            Some(ptr) => self.ptr = ptr,
            None => alloc::handle_alloc_error(new_layout),
        }
    }
}

impl Drop for Packed {
    fn drop(&mut self) {
        let layout = layout(self.header().len as usize);
        // SAFETY: the block was allocated with exactly this layout.
        unsafe { alloc::dealloc(self.ptr.as_ptr().cast::<u8>(), layout) }
    }
}

impl Clone for Packed {
    fn clone(&self) -> Packed {
        Packed::with_bytes(self.bytes(), self.header().count)
    }
}

/// A hash's storage behind one tagged pointer: low bit clear, a
/// [`Packed`] block; set, a `Box<Dict<Blob>>`.
pub struct Repr {
    ptr: NonNull<u8>,
}

/// What a [`Repr`] holds, borrowed.
pub enum Ref<'a> {
    Packed(&'a Packed),
    Table(&'a Dict<Blob>),
}

/// What a [`Repr`] holds, mutably borrowed.
pub enum Mut<'a> {
    Packed(&'a mut Packed),
    Table(&'a mut Dict<Blob>),
}

const TABLE_BIT: usize = 1;

// SAFETY: a Repr owns what it points to exclusively, as the Packed or Box
// it was made from did, and those are Send and Sync.
unsafe impl Send for Repr {}
unsafe impl Sync for Repr {}

impl Repr {
    pub fn packed(p: Packed) -> Repr {
        let p = ManuallyDrop::new(p);
        Repr {
            ptr: p.ptr.cast::<u8>(),
        }
    }

    pub fn table(d: Box<Dict<Blob>>) -> Repr {
        let ptr = NonNull::from(Box::leak(d)).cast::<u8>();
        Repr {
            ptr: ptr.map_addr(|a| a | TABLE_BIT),
        }
    }

    fn is_table(&self) -> bool {
        self.ptr.addr().get() & TABLE_BIT != 0
    }

    fn table_ptr(&self) -> *mut Dict<Blob> {
        self.ptr
            .as_ptr()
            .map_addr(|a| a & !TABLE_BIT)
            .cast::<Dict<Blob>>()
    }

    /// The field as a Packed: `Packed` is a transparent wrapper of a
    /// pointer, so the untagged field can be borrowed as one.
    fn packed_slot(&self) -> *mut Packed {
        (&raw const self.ptr).cast::<Packed>().cast_mut()
    }

    pub fn get(&self) -> Ref<'_> {
        if self.is_table() {
            // SAFETY: with the bit set the pointer came from a leaked Box.
            Ref::Table(unsafe { &*self.table_ptr() })
        } else {
            // SAFETY: with the bit clear the field is a Packed's pointer.
            Ref::Packed(unsafe { &*self.packed_slot() })
        }
    }

    pub fn get_mut(&mut self) -> Mut<'_> {
        if self.is_table() {
            // SAFETY: as in `get`; `&mut self` makes the borrow unique.
            Mut::Table(unsafe { &mut *self.table_ptr() })
        } else {
            // SAFETY: as in `get`. A Packed that reallocates writes its new
            // pointer back into this field, still 4-aligned, bit clear.
            Mut::Packed(unsafe { &mut *(&raw mut self.ptr).cast::<Packed>() })
        }
    }
}

impl Drop for Repr {
    fn drop(&mut self) {
        if self.is_table() {
            // SAFETY: the pointer came from Box::leak and is dropped once.
            drop(unsafe { Box::from_raw(self.table_ptr()) });
        } else {
            // SAFETY: the field is a Packed's pointer, dropped once.
            drop(unsafe { ptr::read(self.packed_slot()) });
        }
    }
}

impl Clone for Repr {
    fn clone(&self) -> Repr {
        match self.get() {
            Ref::Packed(p) => Repr::packed(p.clone()),
            Ref::Table(d) => Repr::table(Box::new(d.clone())),
        }
    }
}

/// Longest value a [`Blob`] keeps inline.
pub const INLINE_CAP: usize = 14;

/// A value in a hash's dict, 16 bytes: an integer, up to 14 bytes inline,
/// an exact heap copy, or for a large value the request's own buffer
/// (replies then send it without copying), as db::value::Str does for
/// strings but without a header on the heap copy.
#[derive(Clone)]
pub enum Blob {
    Int(i64),
    Inline { len: u8, data: [u8; INLINE_CAP] },
    Heap(Boxed),
    Shared(Box<Bytes>),
}

/// Bytes on the heap with their length beside the pointer, packed to 12
/// bytes so that a [`Blob`] holding them stays 16.
#[repr(C, packed(4))]
pub struct Boxed {
    ptr: NonNull<u8>,
    len: u32,
}

// SAFETY: Boxed owns its bytes exclusively, as the Box<[u8]> it was made
// from did.
unsafe impl Send for Boxed {}
unsafe impl Sync for Boxed {}

impl Boxed {
    /// A copy of `bytes` (callers keep values of 4 GB and more shared).
    fn new(bytes: &[u8]) -> Boxed {
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let b: Box<[u8]> = Box::from(&bytes[..len as usize]);
        let ptr = NonNull::from(Box::leak(b)).cast::<u8>();
        Boxed { ptr, len }
    }

    pub fn as_slice(&self) -> &[u8] {
        let (ptr, len) = (self.ptr, self.len);
        // SAFETY: `ptr` and `len` come from a leaked Box<[u8]> we own.
        unsafe { std::slice::from_raw_parts(ptr.as_ptr(), len as usize) }
    }
}

impl Drop for Boxed {
    fn drop(&mut self) {
        let (ptr, len) = (self.ptr, self.len);
        let slice = ptr::slice_from_raw_parts_mut(ptr.as_ptr(), len as usize);
        // SAFETY: rebuilds the Box<[u8]> leaked in `new`, once.
        drop(unsafe { Box::from_raw(slice) });
    }
}

impl Clone for Boxed {
    fn clone(&self) -> Boxed {
        Boxed::new(self.as_slice())
    }
}

impl Blob {
    /// Bytes the value holds beyond its own 16.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Blob::Int(_) | Blob::Inline { .. } => 0,
            Blob::Heap(b) => crate::alloc::size_class(b.len as usize, 1),
            Blob::Shared(b) => {
                crate::db::usage::boxed::<Bytes>() + crate::alloc::size_class(b.len(), 1)
            }
        }
    }

    pub fn from_slice(bytes: &[u8]) -> Blob {
        if bytes.len() <= INLINE_CAP {
            let mut data = [0u8; INLINE_CAP];
            data[..bytes.len()].copy_from_slice(bytes);
            Blob::Inline {
                len: bytes.len() as u8,
                data,
            }
        } else if bytes.len() >= crate::db::value::SHARED_STR_MIN {
            Blob::Shared(Box::new(Bytes::copy_from_slice(bytes)))
        } else {
            Blob::Heap(Boxed::new(bytes))
        }
    }

    /// Stores a command argument: a large one keeps the request's buffer.
    pub fn from_arg(arg: &Bytes) -> Blob {
        if arg.len() >= crate::db::value::SHARED_STR_MIN {
            Blob::Shared(Box::new(arg.clone()))
        } else {
            Blob::from_slice(arg)
        }
    }

    /// The bytes; an integer is formatted into `buf`.
    pub fn as_bytes<'a>(&'a self, buf: &'a mut [u8; 20]) -> &'a [u8] {
        match self {
            Blob::Int(n) => crate::util::fmt_i64(*n, buf),
            Blob::Inline { len, data } => &data[..usize::from(*len)],
            Blob::Heap(b) => b.as_slice(),
            Blob::Shared(b) => b,
        }
    }

    pub fn shared_bytes(&self) -> Option<&Bytes> {
        match self {
            Blob::Shared(b) => Some(b),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_sizes() {
        assert_eq!(size_of::<Repr>(), 8);
        assert_eq!(size_of::<Option<Repr>>(), 8);
        assert_eq!(size_of::<Blob>(), 16);
    }

    #[test]
    fn blobs_round_trip() {
        let mut buf = [0u8; 20];
        for len in [0, 1, 14, 15, 100, 40_000] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let b = Blob::from_slice(&bytes);
            assert_eq!(b.clone().as_bytes(&mut buf), &bytes[..]);
        }
        assert!(matches!(Blob::from_slice(&[1; 15]), Blob::Heap(_)));
        assert!(Blob::from_slice(&[1; 40_000]).shared_bytes().is_some());
        assert_eq!(Blob::Int(-12).as_bytes(&mut buf), b"-12");
    }

    #[test]
    fn splice_grows_and_shrinks() {
        let mut p = Packed::with_bytes(b"hello", 1);
        p.splice(5..5, b" world", 1);
        assert_eq!((p.bytes(), p.count()), (&b"hello world"[..], 2));
        p.splice(0..6, b"", -1);
        assert_eq!((p.bytes(), p.count()), (&b"world"[..], 1));
        p.splice(1..4, b"ORL", 0);
        assert_eq!(p.bytes(), b"wORLd");
        let q = p.clone();
        p.splice(0..5, b"", -1);
        assert_eq!((p.bytes(), p.count()), (&b""[..], 0));
        assert_eq!(q.bytes(), b"wORLd");
    }

    #[test]
    fn tagged_variants() {
        let mut r = Repr::packed(Packed::with_bytes(b"ab", 2));
        if let Mut::Packed(p) = r.get_mut() {
            p.splice(2..2, &[b'c'; 100], 1);
        }
        match r.clone().get() {
            Ref::Packed(p) => assert_eq!((p.bytes().len(), p.count()), (102, 3)),
            Ref::Table(_) => panic!("packed expected"),
        }
        let mut d = Dict::new();
        d.insert(b"f", Blob::Int(1));
        r = Repr::table(Box::new(d));
        match r.get() {
            Ref::Table(d) => assert_eq!(d.len(), 1),
            Ref::Packed(_) => panic!("table expected"),
        }
        if let Mut::Table(d) = r.get_mut() {
            d.insert(b"g", Blob::Int(2));
        }
        match r.clone().get() {
            Ref::Table(d) => assert_eq!(d.len(), 2),
            Ref::Packed(_) => panic!("table expected"),
        }
    }
}
