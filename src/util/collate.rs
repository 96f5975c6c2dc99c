//! strcoll in the locale's collation (see csrc/collate.c), for SORT's
//! ALPHA order.

use std::cmp::Ordering;
use std::ffi::{CStr, c_char, c_int};

unsafe extern "C" {
    fn ferredis_strcoll(a: *const c_char, b: *const c_char) -> c_int;
    fn ferredis_init_collation();
}

/// Compares two C strings as strcoll does.
pub fn collate(a: &CStr, b: &CStr) -> Ordering {
    // SAFETY: both are NUL-terminated.
    unsafe { ferredis_strcoll(a.as_ptr(), b.as_ptr()) }.cmp(&0)
}

/// Takes the collation order from the environment, as Redis does at
/// start-up.
pub fn init_collation() {
    // SAFETY: called once at start-up, before any other thread exists.
    unsafe { ferredis_init_collation() }
}
