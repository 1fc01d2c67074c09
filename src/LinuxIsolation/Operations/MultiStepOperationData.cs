namespace LinuxIsolation;

/// <summary>
/// Keys of <see cref="System.Exception.Data"/> entries on the exception a multi-step operation throws after it
/// failed part way and undid what it had made. The exception keeps its type and errno (so callers can go on
/// catching <see cref="LinuxSyscallException"/>, <see cref="Netlink.NetlinkException"/> or
/// <see cref="Cgroups.CgroupException"/> by errno); its message names the operation and step and says "undone",
/// and these entries carry the same facts for code. When undoing failed, <see cref="UndoFailedException"/> is
/// thrown instead.
/// </summary>
public static class MultiStepOperationData
{
    /// <summary>The operation (a string), e.g. "add veth peer".</summary>
    public const string Operation = "LinuxIsolation.Operation";

    /// <summary>The failed step (a string), e.g. "step 3 (set eth0 master br0)".</summary>
    public const string Step = "LinuxIsolation.Step";

    /// <summary>True (a bool) when everything the operation had made was removed again.</summary>
    public const string Undone = "LinuxIsolation.Undone";
}
