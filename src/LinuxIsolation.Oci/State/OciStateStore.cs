using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace LinuxIsolation.Oci.State;

/// <summary>
/// The containers of one runtime root (<c>--root</c>, default <see cref="DefaultRoot"/>): one directory per
/// container id holding <c>state.json</c> (an <see cref="OciContainerRecord"/>). Creating refuses an existing
/// id (mkdir is atomic); every command that changes a container holds its <see cref="OciContainerLock"/>, so
/// two commands on one container are serialized. Ids are validated first (<see cref="OciContainerId"/>), so
/// none leads out of the root.
/// </summary>
public sealed class OciStateStore
{
    /// <summary>lxi's default root, a tmpfs on most hosts (runc's is /run/runc).</summary>
    public const string DefaultRoot = "/run/lxi";

    /// <summary>The state file in a container's directory.</summary>
    public const string StateFileName = "state.json";

    /// <summary>Uses <paramref name="rootDirectory"/> (made, mode 0700, on the first create).</summary>
    /// <param name="rootDirectory">An absolute directory, not "/".</param>
    public OciStateStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        string full = Path.GetFullPath(rootDirectory);
        if (full == "/")
        {
            throw new ArgumentException("the root directory must not be /", nameof(rootDirectory));
        }

        RootDirectory = full.TrimEnd('/');
    }

    /// <summary>The absolute root directory.</summary>
    public string RootDirectory { get; }

    /// <summary>The state directory of <paramref name="id"/> (validated).</summary>
    /// <param name="id">The container id.</param>
    public string DirectoryOf(string id)
    {
        OciContainerId.Validate(id);
        return RootDirectory + "/" + id;
    }

    /// <summary>
    /// Creates the container <paramref name="record"/> names (its <see cref="OciContainerRecord.Id"/>): makes its
    /// directory, locks it and writes state.json. Equivalent to <c>mkdir ROOT/ID</c>.
    /// </summary>
    /// <param name="record">The first record (status "creating").</param>
    /// <exception cref="OciStateException">A container of that id exists (<see cref="OciStateError.AlreadyExists"/>).</exception>
    public OciContainerLock Create(OciContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string id = record.Id ?? throw new ArgumentException("the record has no id", nameof(record));
        string directory = DirectoryOf(id);
        Directory.CreateDirectory(RootDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            // CreateDirectory succeeds on an existing directory; a new one is made with mkdir, which is atomic.
            if (Directory.Exists(directory))
            {
                throw new OciStateException(OciStateError.AlreadyExists, id, $"container with id exists: {id}");
            }

            DirectoryInfo made = Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _ = made;
        }
        catch (IOException e) when (Directory.Exists(directory))
        {
            throw new OciStateException(OciStateError.AlreadyExists, id, $"container with id exists: {id} ({e.Message})");
        }

        int fd = OciContainerLock.OpenAndLock(directory, wait: true);
        if (fd < 0)
        {
            throw new IOException($"cannot lock {directory}: errno {-fd}");
        }

        var held = new OciContainerLock(this, id, fd, record);
        try
        {
            held.Save(record);
        }
        catch
        {
            held.Remove();
            throw;
        }

        return held;
    }

    /// <summary>
    /// Locks the container <paramref name="id"/>, waiting while another command holds it, and reads its state.
    /// Equivalent to <c>flock ROOT/ID</c>.
    /// </summary>
    /// <param name="id">The container id.</param>
    /// <exception cref="OciStateException">No such container (<see cref="OciStateError.NotFound"/>), also when it was deleted while this waited.</exception>
    public OciContainerLock Lock(string id)
    {
        string directory = DirectoryOf(id);
        int fd = OciContainerLock.OpenAndLock(directory, wait: true);
        if (fd < 0)
        {
            throw new OciStateException(OciStateError.NotFound, id, "container does not exist");
        }

        var held = new OciContainerLock(this, id, fd, new OciContainerRecord());
        try
        {
            if (OciContainerLock.IsUnlinked(fd))
            {
                throw new OciStateException(OciStateError.NotFound, id, "container does not exist");
            }

            held.SetRecord(Load(id));
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Reads the state of <paramref name="id"/> without locking (state.json is replaced atomically, so it is always whole).</summary>
    /// <param name="id">The container id.</param>
    /// <exception cref="OciStateException">No such container, or its state.json is damaged.</exception>
    public OciContainerRecord Load(string id)
    {
        string file = Path.Combine(DirectoryOf(id), StateFileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OciStateException(OciStateError.NotFound, id, "container does not exist");
        }

        try
        {
            OciContainerRecord record = OciJson.ParseRecord(bytes, file);
            if (record.Id != id)
            {
                throw new OciStateException(OciStateError.Corrupt, id, $"{file} is for container {OciProblems.Quote(record.Id)}, not {id}");
            }

            return record;
        }
        catch (OciConfigException e)
        {
            throw new OciStateException(OciStateError.Corrupt, id, $"the state of container {id} is damaged: {e.Message}");
        }
    }

    /// <summary>True when a container <paramref name="id"/> exists.</summary>
    /// <param name="id">The container id.</param>
    public bool Exists(string id) => File.Exists(Path.Combine(DirectoryOf(id), StateFileName));

    /// <summary>
    /// Lists the containers, by id; one whose state cannot be read is passed to <paramref name="onError"/> and
    /// left out (as runc's list does). An absent root is an empty list. Equivalent to <c>ls ROOT</c>.
    /// </summary>
    /// <param name="onError">Called with the id and the failure for each unreadable container, or null.</param>
    public IReadOnlyList<OciContainerRecord> List(Action<string, Exception>? onError = null)
    {
        if (!Directory.Exists(RootDirectory))
        {
            return [];
        }

        var records = new List<OciContainerRecord>();
        foreach (string dir in Directory.GetDirectories(RootDirectory).Order(StringComparer.Ordinal))
        {
            string id = Path.GetFileName(dir);
            if (!OciContainerId.IsValid(id) || !File.Exists(Path.Combine(dir, StateFileName)))
            {
                continue;
            }

            try
            {
                records.Add(Load(id));
            }
            catch (OciStateException e) when (e.Kind != OciStateError.NotFound)
            {
                onError?.Invoke(id, e);
            }
            catch (OciStateException)
            {
                // Deleted while listing.
            }
        }

        return records;
    }
}
