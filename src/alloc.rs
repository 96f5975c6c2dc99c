//! The global allocator: jemalloc, as Redis uses, wrapped so the server
//! always knows how many bytes it has allocated (Redis's
//! zmalloc_used_memory), which INFO's used_memory reports and the
//! maxmemory check before every write reads.
//!
//! Why a counter of our own rather than jemalloc's `stats.allocated`:
//! that figure is only current after an epoch advance, a mallctl call
//! that merges every arena's statistics, far too dear to run before each
//! command. The counter adds each block's jemalloc size class (the bytes
//! jemalloc really sets aside, what `stats.allocated` sums too) on
//! allocation and subtracts it on free. The size class is computed from
//! the requested size with jemalloc's rule (four classes per doubling,
//! 16-byte quantum), so the hot path is a little arithmetic and one
//! relaxed atomic add, as Redis's zmalloc does with its own counter.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};
use tikv_jemallocator::Jemalloc;

/// jemalloc wrapped with a count of the bytes it handed out.
pub struct CountingJemalloc;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

/// jemalloc's smallest spacing of size classes on 64-bit targets
/// (LG_QUANTUM 4); below it only the tiny class of 8 bytes exists.
const QUANTUM: usize = 16;

/// jemalloc 5.3.1 (as tikv-jemalloc-sys builds it) serves requests above
/// 32 KiB in whole pages rather than in the classes of four per doubling
/// (its usize gap limit), which keeps large blocks from wasting up to a
/// fifth of their size.
const PAGE_GAP_FROM: usize = 32 * 1024;
const PAGE: usize = 4096;

/// Bytes currently allocated through the global allocator, counted in
/// jemalloc's size classes.
#[inline]
pub fn used_memory() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

/// The size class jemalloc serves a request of `size` bytes aligned to
/// `align` from: the request rounded up to the alignment, then to the
/// next class. Classes are 8, then multiples of 16 up to 128, then four
/// per doubling (160, 192, 224, 256, 320, ...), small and large alike.
#[inline]
pub fn size_class(size: usize, align: usize) -> usize {
    let size = size.max(1).next_multiple_of(align.max(1));
    if size <= 8 {
        return 8;
    }
    if size <= 128 {
        return size.next_multiple_of(QUANTUM);
    }
    if size > PAGE_GAP_FROM {
        return size.next_multiple_of(PAGE);
    }
    let lg = usize::BITS - 1 - (size - 1).leading_zeros();
    let delta = 1usize << (lg - 2);
    size.next_multiple_of(delta)
}

#[inline]
fn add(n: usize) {
    ALLOCATED.fetch_add(n, Ordering::Relaxed);
}

#[inline]
fn sub(n: usize) {
    ALLOCATED.fetch_sub(n, Ordering::Relaxed);
}

// SAFETY: every call is passed to jemalloc unchanged; the wrapper only
// keeps a count beside it.
unsafe impl GlobalAlloc for CountingJemalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { Jemalloc.alloc(layout) };
        if !ptr.is_null() {
            add(size_class(layout.size(), layout.align()));
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { Jemalloc.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(size_class(layout.size(), layout.align()));
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(size_class(layout.size(), layout.align()));
        unsafe { Jemalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { Jemalloc.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            let (old, now) = (
                size_class(layout.size(), layout.align()),
                size_class(new_size, layout.align()),
            );
            if now >= old {
                add(now - old);
            } else {
                sub(old - now);
            }
        }
        new
    }
}

/// Turns jemalloc's background threads on or off (jemalloc-bg-thread, on
/// by default as in Redis). With them, freed pages go back to the system
/// from those threads rather than from whichever thread frees: a 10M-
/// element value freed by the lazyfree thread then no longer makes the
/// event loop's own allocations wait on page purging.
pub fn set_background_thread(on: bool) {
    if let Err(e) = tikv_jemalloc_ctl::background_thread::write(on) {
        log::warn!("Could not set jemalloc's background threads to {on}: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The computed class is the one jemalloc reports for the very block.
    #[test]
    fn size_classes_match_jemalloc() {
        let mut sizes: Vec<usize> = (1..=20_000).collect();
        let mut s = 20_000usize;
        while s < 64 << 20 {
            sizes.extend([s - 1, s, s + 1, s + s / 3]);
            s = s * 5 / 4;
        }
        for size in sizes {
            for align in [1, 8, 16, 64, 4096] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero layout, freed right after with it.
                unsafe {
                    let p = std::alloc::alloc(layout);
                    assert!(!p.is_null());
                    let real = tikv_jemallocator::usable_size(p);
                    std::alloc::dealloc(p, layout);
                    assert_eq!(size_class(size, align), real, "size {size} align {align}");
                }
            }
        }
    }
}
