using System;
using System.Collections.Generic;
using System.Linq;

namespace LinuxIsolation.Oci;

/// <summary>
/// A mount's <c>options</c> parsed the way mount(8) and runc read them, left to right, a later option undoing
/// an earlier one ("ro" then "rw" is read-write): the mount(2) flags to set and to clear, the propagation
/// change made after mounting, the recursive attributes for mount_setattr(AT_RECURSIVE), bind/rbind,
/// idmap/ridmap, tmpcopyup, and the rest joined as the file system data ("mode=755,size=65536k").
/// </summary>
public sealed class OciMountOptions
{
    private static readonly Dictionary<string, (bool Clear, OciMountFlags Flag)> Flags = new(StringComparer.Ordinal)
    {
        ["async"] = (true, OciMountFlags.Synchronous),
        ["atime"] = (true, OciMountFlags.NoAtime),
        ["bind"] = (false, OciMountFlags.Bind),
        ["defaults"] = (false, OciMountFlags.None),
        ["dev"] = (true, OciMountFlags.NoDev),
        ["diratime"] = (true, OciMountFlags.NoDirAtime),
        ["dirsync"] = (false, OciMountFlags.DirSync),
        ["exec"] = (true, OciMountFlags.NoExec),
        ["iversion"] = (false, OciMountFlags.IVersion),
        ["lazytime"] = (false, OciMountFlags.LazyTime),
        ["loud"] = (true, OciMountFlags.Silent),
        ["mand"] = (false, OciMountFlags.MandatoryLock),
        ["noatime"] = (false, OciMountFlags.NoAtime),
        ["nodev"] = (false, OciMountFlags.NoDev),
        ["nodiratime"] = (false, OciMountFlags.NoDirAtime),
        ["noexec"] = (false, OciMountFlags.NoExec),
        ["noiversion"] = (true, OciMountFlags.IVersion),
        ["nolazytime"] = (true, OciMountFlags.LazyTime),
        ["nomand"] = (true, OciMountFlags.MandatoryLock),
        ["norelatime"] = (true, OciMountFlags.RelAtime),
        ["nostrictatime"] = (true, OciMountFlags.StrictAtime),
        ["nosuid"] = (false, OciMountFlags.NoSuid),
        ["nosymfollow"] = (false, OciMountFlags.NoSymFollow),
        ["rbind"] = (false, OciMountFlags.Bind | OciMountFlags.Recursive),
        ["relatime"] = (false, OciMountFlags.RelAtime),
        ["remount"] = (false, OciMountFlags.Remount),
        ["ro"] = (false, OciMountFlags.ReadOnly),
        ["rw"] = (true, OciMountFlags.ReadOnly),
        ["silent"] = (false, OciMountFlags.Silent),
        ["strictatime"] = (false, OciMountFlags.StrictAtime),
        ["suid"] = (true, OciMountFlags.NoSuid),
        ["symfollow"] = (true, OciMountFlags.NoSymFollow),
        ["sync"] = (false, OciMountFlags.Synchronous),
    };

    private static readonly Dictionary<string, OciMountFlags> Propagations = new(StringComparer.Ordinal)
    {
        ["private"] = OciMountFlags.Private,
        ["rprivate"] = OciMountFlags.Private | OciMountFlags.Recursive,
        ["shared"] = OciMountFlags.Shared,
        ["rshared"] = OciMountFlags.Shared | OciMountFlags.Recursive,
        ["slave"] = OciMountFlags.Slave,
        ["rslave"] = OciMountFlags.Slave | OciMountFlags.Recursive,
        ["unbindable"] = OciMountFlags.Unbindable,
        ["runbindable"] = OciMountFlags.Unbindable | OciMountFlags.Recursive,
    };

    private static readonly Dictionary<string, (bool Clear, OciMountAttributes Attribute)> RecursiveAttributes = new(StringComparer.Ordinal)
    {
        ["rro"] = (false, OciMountAttributes.ReadOnly),
        ["rrw"] = (true, OciMountAttributes.ReadOnly),
        ["rnosuid"] = (false, OciMountAttributes.NoSuid),
        ["rsuid"] = (true, OciMountAttributes.NoSuid),
        ["rnodev"] = (false, OciMountAttributes.NoDev),
        ["rdev"] = (true, OciMountAttributes.NoDev),
        ["rnoexec"] = (false, OciMountAttributes.NoExec),
        ["rexec"] = (true, OciMountAttributes.NoExec),
        ["rnodiratime"] = (false, OciMountAttributes.NoDirAtime),
        ["rdiratime"] = (true, OciMountAttributes.NoDirAtime),
        ["rnoatime"] = (false, OciMountAttributes.NoAtime),
        ["ratime"] = (true, OciMountAttributes.NoAtime),
        ["rstrictatime"] = (false, OciMountAttributes.StrictAtime),
        ["rnostrictatime"] = (true, OciMountAttributes.StrictAtime),
        ["rrelatime"] = (true, OciMountAttributes.AtimeMask),
        ["rnorelatime"] = (false, OciMountAttributes.None),
        ["rnosymfollow"] = (false, OciMountAttributes.NoSymFollow),
        ["rsymfollow"] = (true, OciMountAttributes.NoSymFollow),
    };

    private OciMountOptions(IReadOnlyList<string> options)
    {
        Options = options;
    }

    /// <summary>The options as given.</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>The mount(2) flags to set, without the propagation ones.</summary>
    public OciMountFlags Set { get; private set; }

    /// <summary>The mount(2) flags an option explicitly cleared ("rw", "suid", "dev", "exec", "atime", ...): on a remount they must be off.</summary>
    public OciMountFlags Cleared { get; private set; }

    /// <summary>The propagation change made after the mount (one of Private, Shared, Slave, Unbindable, with Recursive for the r* forms); None when not given.</summary>
    public OciMountFlags Propagation { get; private set; }

    /// <summary>The options that set <see cref="Propagation"/>, in order (the last one wins).</summary>
    public IReadOnlyList<string> PropagationOptions { get; private set; } = [];

    /// <summary>MOUNT_ATTR_* to set recursively (mount_setattr with AT_RECURSIVE, Linux 5.12).</summary>
    public OciMountAttributes RecursiveSet { get; private set; }

    /// <summary>MOUNT_ATTR_* to clear recursively.</summary>
    public OciMountAttributes RecursiveClear { get; private set; }

    /// <summary>The recursive-attribute options given ("rro", "rnosuid", ...), in order.</summary>
    public IReadOnlyList<string> RecursiveOptions { get; private set; } = [];

    /// <summary>"bind" or "rbind" was given.</summary>
    public bool IsBind => Set.HasFlag(OciMountFlags.Bind);

    /// <summary>"rbind" was given: the submounts are bound too.</summary>
    public bool IsRecursiveBind => IsBind && Set.HasFlag(OciMountFlags.Recursive);

    /// <summary>"idmap" or "ridmap" was given (an id-mapped mount; not passed to mount(2)).</summary>
    public bool IdMap { get; private set; }

    /// <summary>"ridmap" was given: the id mapping applies to the submounts too.</summary>
    public bool RecursiveIdMap { get; private set; }

    /// <summary>"tmpcopyup" was given (runc's and crun's extension: copy what the image has at the destination into the new tmpfs).</summary>
    public bool TmpCopyUp { get; private set; }

    /// <summary>The options that are not mount(2) flags, joined with commas: the file system data (mount's fifth argument), or null.</summary>
    public string? Data { get; private set; }

    /// <summary>The data options, one by one.</summary>
    public IReadOnlyList<string> DataOptions { get; private set; } = [];

    /// <summary>Parses <paramref name="options"/> (null is none).</summary>
    /// <param name="options">A mount's options.</param>
    public static OciMountOptions Parse(IEnumerable<string>? options)
    {
        string[] list = options?.Where(o => o is not null).ToArray() ?? [];
        var result = new OciMountOptions(list);
        var data = new List<string>();
        var propagation = new List<string>();
        var recursive = new List<string>();
        foreach (string o in list)
        {
            if (Flags.TryGetValue(o, out (bool Clear, OciMountFlags Flag) f))
            {
                if (f.Clear)
                {
                    result.Set &= ~f.Flag;
                    result.Cleared |= f.Flag;
                }
                else
                {
                    result.Set |= f.Flag;
                    result.Cleared &= ~f.Flag;
                }
            }
            else if (Propagations.TryGetValue(o, out OciMountFlags prop))
            {
                result.Propagation = prop;
                propagation.Add(o);
            }
            else if (RecursiveAttributes.TryGetValue(o, out (bool Clear, OciMountAttributes Attribute) a))
            {
                recursive.Add(o);
                if (a.Clear)
                {
                    result.RecursiveClear |= a.Attribute;
                    result.RecursiveSet &= ~a.Attribute;
                }
                else
                {
                    result.RecursiveSet |= a.Attribute;
                    result.RecursiveClear &= ~a.Attribute;
                }
            }
            else if (o is "idmap" or "ridmap")
            {
                result.IdMap = true;
                result.RecursiveIdMap |= o == "ridmap";
            }
            else if (o == "tmpcopyup")
            {
                result.TmpCopyUp = true;
            }
            else
            {
                data.Add(o);
            }
        }

        result.DataOptions = data;
        result.Data = data.Count == 0 ? null : string.Join(',', data);
        result.PropagationOptions = propagation;
        result.RecursiveOptions = recursive;
        return result;
    }

    /// <summary>True when <paramref name="option"/> is not a mount option lxi knows, so it goes to the file system as data.</summary>
    /// <param name="option">One option.</param>
    public static bool IsFilesystemData(string option) =>
        !Flags.ContainsKey(option) && !Propagations.ContainsKey(option) && !RecursiveAttributes.ContainsKey(option)
        && option is not ("idmap" or "ridmap" or "tmpcopyup");
}
