//! The list operations other commands build on: pushing, popping and
//! moving elements between lists. They work on a database and return
//! what happened; replies, dirty counts and argument parsing are the
//! callers' business. LPUSH, LPOP, LMPOP, LMOVE and RPOPLPUSH call them
//! directly; the blocking commands (BLPOP, BRPOP, BLMPOP, BLMOVE,
//! BRPOPLPUSH) call them once a list they wait on has something to give.

use super::{End, as_list_mut, write_list};
use crate::commands::CmdError;
use crate::db::list::List;
use crate::db::listpack::Listpack;
use crate::db::{Db, Object, Value};

/// Pushes `elements` one by one onto `end` of the list at `key` and
/// returns its new length. A missing key becomes a new list whose nodes
/// follow `fill` (list-max-listpack-size), unless `existing_only`
/// (LPUSHX/RPUSHX), which returns `Ok(None)` instead. WRONGTYPE if the key
/// holds something else.
///
/// Every element that enters a list by a push comes through here: the
/// LPUSH family and the destination of LMOVE/RPOPLPUSH (LINSERT and LSET
/// do not count, as in Redis). This is the one place to wake clients
/// blocked on the key (Redis's signalKeyAsReady).
pub fn push_to<'a>(
    db: &mut Db,
    key: &[u8],
    end: End,
    elements: impl IntoIterator<Item = &'a [u8]>,
    existing_only: bool,
    fill: i64,
    now_ms: i64,
) -> Result<Option<usize>, CmdError> {
    if let Some(list) = write_list(db, key, now_ms)? {
        for e in elements {
            list.push(end, e);
        }
        return Ok(Some(list.len()));
    }
    if existing_only {
        return Ok(None);
    }
    let mut list = List::new(fill);
    for e in elements {
        list.push(end, e);
    }
    let len = list.len();
    db.add(key, Object::new(Value::List(Box::new(list)), now_ms));
    Ok(Some(len))
}

/// Pops up to `count` elements from `end` of the list at `key`, deleting
/// the key when the list empties (Redis deletes empty lists). The
/// elements come back packed, in the order they left the list; `Ok(None)`
/// means there is no such key, WRONGTYPE that it holds something else.
/// With a count of 0 an existing list gives back no elements.
pub fn pop_from(
    db: &mut Db,
    key: &[u8],
    end: End,
    count: usize,
    now_ms: i64,
) -> Result<Option<Listpack>, CmdError> {
    let Some(list) = write_list(db, key, now_ms)? else {
        return Ok(None);
    };
    let mut popped = Listpack::new();
    list.pop_into(end, count, &mut popped);
    if list.is_empty() {
        db.remove(key);
    }
    Ok(Some(popped))
}

/// Moves one element from the `from` end of the list at `src` to the `to`
/// end of the list at `dst` (LMOVE, RPOPLPUSH, and the blocking BLMOVE
/// and BRPOPLPUSH) and returns it; `Ok(None)` when `src` is missing.
/// WRONGTYPE if `src` is not a list, or if `dst` holds something else:
/// `dst` is only checked once `src` has an element, and nothing changes
/// on an error. `src` and `dst` may be the same list (a rotation). A
/// missing `dst` is created with `fill`; an emptied `src` is deleted.
pub fn lmove(
    db: &mut Db,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
    fill: i64,
    now_ms: i64,
) -> Result<Option<Vec<u8>>, CmdError> {
    let Some(list) = write_list(db, src, now_ms)? else {
        return Ok(None);
    };
    if src == dst {
        let Some(element) = list.pop_with(from, |e| e.to_vec()) else {
            return Ok(None);
        };
        list.push(to, &element[..]);
        return Ok(Some(element));
    }
    if list.is_empty() {
        return Ok(None);
    }
    // Redis looks the destination up (and type-checks it) before popping.
    // Only its type is needed here; push_to does the lookup that counts.
    if let Some(obj) = db.peek(dst, now_ms)
        && !matches!(obj.value, Value::List(_))
    {
        return Err(CmdError::WRONG_TYPE);
    }
    let Some(obj) = db.peek_mut(src, now_ms) else {
        return Ok(None);
    };
    let list = as_list_mut(&mut obj.value)?;
    let Some(element) = list.pop_with(from, |e| e.to_vec()) else {
        return Ok(None);
    };
    if list.is_empty() {
        db.remove(src);
    }
    push_to(db, dst, to, [&element[..]], false, fill, now_ms)?;
    Ok(Some(element))
}
