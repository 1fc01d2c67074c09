using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Oci.State;

/// <summary>
/// An exclusive lock on one container's state directory (flock(2) LOCK_EX on the directory), held by one
/// command at a time: a second <c>lxi</c> command on the same container waits until the first has finished
/// (<c>flock DIR COMMAND</c>). Read and write the state through it; dispose it to release the lock.
/// </summary>
public sealed class OciContainerLock : IDisposable
{
    private int _fd;

    internal OciContainerLock(OciStateStore store, string id, int fd, OciContainerRecord record)
    {
        Store = store;
        Id = id;
        _fd = fd;
        Record = record;
    }

    /// <summary>The store.</summary>
    public OciStateStore Store { get; }

    /// <summary>The container id.</summary>
    public string Id { get; }

    /// <summary>The container's state directory.</summary>
    public string Directory => Store.DirectoryOf(Id);

    /// <summary>The record as last read or saved.</summary>
    public OciContainerRecord Record { get; private set; }

    /// <summary>Writes <paramref name="record"/> to state.json atomically (a temporary file renamed over it), so readers never see half a file.</summary>
    /// <param name="record">The new record.</param>
    public void Save(OciContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        string target = Path.Combine(Directory, OciStateStore.StateFileName);
        string temp = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $".{OciStateStore.StateFileName}.{Environment.ProcessId}.tmp"));
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            stream.Write(OciJson.SerializeToUtf8(record));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, target, overwrite: true);
        Record = record;
    }

    /// <summary>Removes the state directory and everything in it; the lock is released. Equivalent to <c>rm -r ROOT/ID</c>.</summary>
    public void Remove()
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        Dispose();
    }

    internal void SetRecord(OciContainerRecord record) => Record = record;

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        int fd = _fd;
        _fd = -1;
        if (fd >= 0)
        {
            // Closing the last descriptor of the open file releases the flock.
            Interop.close(fd);
        }
    }

    internal static int OpenAndLock(string directory, bool wait)
    {
        int fd = Interop.open(directory, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return -Marshal.GetLastPInvokeError();
        }

        while (Interop.flock(fd, Interop.LOCK_EX | (wait ? 0 : Interop.LOCK_NB)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == 4 /* EINTR */)
            {
                continue;
            }

            Interop.close(fd);
            return -errno;
        }

        return fd;
    }

    /// <summary>True when the locked directory has been removed meanwhile (another command deleted the container while this one waited).</summary>
    internal static bool IsUnlinked(int fd)
    {
        try
        {
            string? target = new FileInfo(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{fd}")).LinkTarget;
            return target is null || target.EndsWith(" (deleted)", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }
}
