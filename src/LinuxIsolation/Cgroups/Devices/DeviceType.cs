namespace LinuxIsolation.Cgroups.Devices;

/// <summary>The kind of device a <see cref="DeviceRule"/> covers (OCI <c>linux.resources.devices[].type</c>).</summary>
public enum DeviceType
{
    /// <summary>Every device, character and block ("a").</summary>
    All = 'a',

    /// <summary>Character devices ("c"; also "u", unbuffered, in the OCI spec).</summary>
    Character = 'c',

    /// <summary>Block devices ("b").</summary>
    Block = 'b',
}
