//! How every snapshot and rewrite reaches disk, so that the live file is
//! never a half-written one: the data goes to a temporary file in the same
//! directory, is flushed and fsynced, then renamed over the live name, and
//! the directory is fsynced so the rename itself survives a crash.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `dir/name` through `dir/temp_name` with `fill`. On any error the
/// temporary file is removed and the live file is left as it was.
pub fn write_atomically(
    dir: &Path,
    name: &str,
    temp_name: &str,
    fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let temp = dir.join(temp_name);
    let result = (|| {
        let file = File::create(&temp)?;
        let mut w = BufWriter::with_capacity(64 * 1024, file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&temp, dir.join(name))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// fsync of a directory, which makes a rename in it durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("ferredis-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn replaces_the_file_only_when_the_write_succeeds() {
        let d = scratch("atomic");
        fs::write(d.join("dump.rdb"), b"old").unwrap();
        let failed = write_atomically(&d, "dump.rdb", "temp-1.rdb", &mut |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(d.join("dump.rdb")).unwrap(), b"old");
        assert!(!d.join("temp-1.rdb").exists());
        write_atomically(&d, "dump.rdb", "temp-1.rdb", &mut |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read(d.join("dump.rdb")).unwrap(), b"new");
        assert!(!d.join("temp-1.rdb").exists());
        fs::remove_dir_all(&d).unwrap();
    }
}
