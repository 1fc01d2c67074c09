namespace LinuxIsolation.Ownership;

/// <summary>What kind of object a <see cref="Leftover"/> is.</summary>
public enum LeftoverKind
{
    /// <summary>A named network namespace (<c>/run/netns/NAME</c>), tagged on its loopback alias.</summary>
    NetworkNamespace,

    /// <summary>A network link (veth end, bridge, ...), tagged by its alias.</summary>
    Link,

    /// <summary>An nf_tables table, tagged by its comment.</summary>
    NftTable,

    /// <summary>A cgroup v2 directory, tagged by its <c>user.linuxisolation.owner</c> extended attribute.</summary>
    Cgroup,
}
