using System;
using System.Globalization;

namespace LinuxIsolation.Ownership;

/// <summary>
/// Who created a kernel object: an owner name the application chooses (e.g. <c>myorch</c>) and the creating process,
/// identified by its pid, its start time and its pid namespace, so that a reused pid never makes a dead owner look
/// alive. Written as a tag (<see cref="Tag"/>) on what the library creates for it (a link's alias, the loopback alias
/// of a named network namespace, a cgroup's <c>user.linuxisolation.owner</c> extended attribute, an nf_tables table's
/// comment), readable back from the kernel alone after the process crashed; <see cref="Leftovers"/> finds and removes
/// what owners that are no longer running left behind.
/// </summary>
/// <remarks>
/// The tag reads <c>lxi-owner name=NAME pid=PID start=TICKS pidns=INODE</c>: <c>TICKS</c> is field 22 of
/// <c>/proc/PID/stat</c> (start time in clock ticks since boot) and <c>INODE</c> the inode of
/// <c>/proc/PID/ns/pid</c>. Nothing it tags outlives a reboot (named namespaces live on the <c>/run</c> tmpfs), so
/// no boot id is recorded. At most 116 bytes, it fits an nft comment (127) and a link alias (255).
/// </remarks>
public sealed record ResourceOwner
{
    /// <summary>The first word of every tag.</summary>
    public const string TagPrefix = "lxi-owner";

    /// <summary>The longest owner name.</summary>
    public const int MaxNameLength = 32;

    internal ResourceOwner(string name, int processId, ulong startTime, ulong pidNamespace)
    {
        Name = name;
        ProcessId = processId;
        StartTime = startTime;
        PidNamespace = pidNamespace;
    }

    /// <summary>The owner name the application chose: 1 to 32 characters of <c>a-z</c>, <c>0-9</c> and <c>-</c>, starting and ending with a letter or digit.</summary>
    public string Name { get; }

    /// <summary>The creating process's id, as its own pid namespace numbers it.</summary>
    public int ProcessId { get; }

    /// <summary>The creating process's start time in clock ticks after boot (field 22 of <c>/proc/PID/stat</c>).</summary>
    public ulong StartTime { get; }

    /// <summary>The inode of the creating process's pid namespace (<c>readlink /proc/PID/ns/pid</c> shows <c>pid:[INODE]</c>).</summary>
    public ulong PidNamespace { get; }

    /// <summary>The tag written on tagged objects: <c>lxi-owner name=NAME pid=PID start=TICKS pidns=INODE</c>.</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"{TagPrefix} name={Name} pid={ProcessId} start={StartTime} pidns={PidNamespace}");

    /// <summary>
    /// The owner <paramref name="name"/> with the calling process as creator: its pid, its start time and its pid
    /// namespace, read from <c>/proc/self/stat</c> and <c>/proc/self/ns/pid</c>. Needs no capability.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the naming rule (see <see cref="ValidateName"/>).</exception>
    /// <exception cref="InvalidOperationException"><c>/proc</c> is not mounted or unreadable.</exception>
    public static ResourceOwner Current(string name)
    {
        ValidateName(name);
        int pid = Environment.ProcessId;
        ProcessSnapshot self = ProcessSnapshot.Read(pid)
            ?? throw new InvalidOperationException($"/proc/{pid}/stat is missing: is /proc mounted?");
        return new ResourceOwner(name, pid, self.StartTime, ProcessSnapshot.CurrentPidNamespace());
    }

    /// <summary>
    /// Checks an owner name: 1 to 32 characters of <c>a-z</c>, <c>0-9</c> and <c>-</c>, starting and ending with a
    /// letter or digit (so it is usable in a link alias, an nft comment, an xattr value and a file name unchanged).
    /// </summary>
    /// <exception cref="ArgumentException">The name breaks the rule; the message says which part.</exception>
    public static void ValidateName(string name)
    {
        string? error = NameError(name);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(name));
        }
    }

    /// <summary>True when <paramref name="name"/> is a valid owner name (see <see cref="ValidateName"/>).</summary>
    public static bool IsValidName(string? name) => NameError(name) is null;

    /// <summary>Reads a tag written by <see cref="Tag"/>.</summary>
    /// <exception cref="FormatException">The text is not a tag.</exception>
    public static ResourceOwner Parse(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return TryParse(tag, out ResourceOwner? owner) ? owner : throw new FormatException($"'{tag}' is not an owner tag ({TagPrefix} name=NAME pid=PID start=TICKS pidns=INODE).");
    }

    /// <summary>
    /// Reads a tag written by <see cref="Tag"/>: exactly five space-separated words in that order, decimal numbers
    /// without sign or leading zeros, a valid owner name, a positive pid. Anything else (another program's alias or
    /// comment, null) gives false.
    /// </summary>
    public static bool TryParse(string? tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceOwner? owner)
    {
        owner = null;
        if (tag is null || tag.Length > 200)
        {
            return false;
        }

        string[] words = tag.Split(' ');
        if (words.Length != 5 || words[0] != TagPrefix
            || !TryValue(words[1], "name=", out string name) || !IsValidName(name)
            || !TryValue(words[2], "pid=", out string pidText) || !TryNumber(pidText, out ulong pid) || pid == 0 || pid > int.MaxValue
            || !TryValue(words[3], "start=", out string startText) || !TryNumber(startText, out ulong start)
            || !TryValue(words[4], "pidns=", out string pidnsText) || !TryNumber(pidnsText, out ulong pidns))
        {
            return false;
        }

        owner = new ResourceOwner(name, (int)pid, start, pidns);
        return true;
    }

    /// <summary>
    /// Tells whether the creating process still runs: <see cref="OwnerState.Alive"/> when <c>/proc/PID</c> exists
    /// with the same start time and is not a zombie; <see cref="OwnerState.Dead"/> when it is gone, a zombie, or the
    /// pid now belongs to a process started at another time; <see cref="OwnerState.Unknown"/> when the owner ran in
    /// another pid namespace than the caller (its pid means nothing here). Reads <c>/proc</c> only; no capability.
    /// </summary>
    /// <param name="reason">Why, in words (e.g. "pid 4242 now belongs to another process ...").</param>
    public OwnerState GetState(out string reason) =>
        ProcessSnapshot.Judge(this, ProcessSnapshot.CurrentPidNamespace(), ProcessSnapshot.Read(ProcessId), out reason);

    /// <summary>True when <paramref name="other"/> has the same name (whatever the process).</summary>
    public bool IsSameOwnerName(ResourceOwner other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Name, other.Name, StringComparison.Ordinal);
    }

    /// <summary>The tag (<see cref="Tag"/>).</summary>
    public override string ToString() => Tag;

    private static string? NameError(string? name)
    {
        if (name is null)
        {
            return "An owner name must not be null.";
        }

        if (name.Length is 0 or > MaxNameLength)
        {
            return $"An owner name is 1 to {MaxNameLength} characters, not {name.Length}.";
        }

        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return $"An owner name may hold only a-z, 0-9 and '-' ('{name}' has '{c}').";
            }
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            return $"An owner name must start and end with a letter or digit ('{name}').";
        }

        return null;
    }

    private static bool TryValue(string word, string key, out string value)
    {
        value = word.StartsWith(key, StringComparison.Ordinal) ? word.Substring(key.Length) : string.Empty;
        return value.Length > 0;
    }

    private static bool TryNumber(string text, out ulong value)
    {
        value = 0;
        if (text.Length is 0 or > 20 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
