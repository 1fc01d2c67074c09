namespace LinuxIsolation.Cni;

/// <summary>The operation a runtime asks of a plugin (<c>CNI_COMMAND</c>).</summary>
public enum CniCommand
{
    /// <summary><c>ADD</c>: attach the container to the network and return a result.</summary>
    Add,

    /// <summary><c>DEL</c>: release what <see cref="Add"/> made; must succeed when it is already gone.</summary>
    Del,

    /// <summary><c>CHECK</c> (CNI 0.4.0 and later): verify that the attachment described by <c>prevResult</c> is in place.</summary>
    Check,

    /// <summary><c>VERSION</c>: report the spec versions the plugin supports.</summary>
    Version,

    /// <summary><c>STATUS</c> (CNI 1.1.0): report whether the plugin is ready to serve ADDs.</summary>
    Status,

    /// <summary><c>GC</c> (CNI 1.1.0): release resources of every attachment not named in <c>cni.dev/valid-attachments</c>.</summary>
    Gc,
}
