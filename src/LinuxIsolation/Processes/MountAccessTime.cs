namespace LinuxIsolation.Processes;

/// <summary>How a mount records access times (<see cref="IsolatedMount.AccessTime"/>); the kernel's default is relatime.</summary>
public enum MountAccessTime
{
    /// <summary>relatime (<c>-o relatime</c>, MS_RELATIME): updated when older than the modification time, or a day old.</summary>
    Relative = 0,

    /// <summary>strictatime (<c>-o strictatime</c>, MS_STRICTATIME): updated on every access.</summary>
    Strict = 1,

    /// <summary>noatime (<c>-o noatime</c>, MS_NOATIME): never updated.</summary>
    None = 2,
}
