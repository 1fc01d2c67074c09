namespace LinuxIsolation.Processes;

/// <summary>
/// One range of a user namespace's uid or gid map: <see cref="Count"/> ids from <see cref="ContainerId"/>
/// inside map to the same number from <see cref="HostId"/> outside (a line of <c>/proc/PID/uid_map</c>;
/// <c>unshare --map-users=inside:outside:count</c>).
/// </summary>
/// <param name="ContainerId">The first id inside the namespace.</param>
/// <param name="HostId">The first id in the parent user namespace.</param>
/// <param name="Count">How many ids, at least 1.</param>
public readonly record struct IdMapping(uint ContainerId, uint HostId, uint Count);
