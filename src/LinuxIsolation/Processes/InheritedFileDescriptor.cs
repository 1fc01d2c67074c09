using System.Runtime.InteropServices;

namespace LinuxIsolation.Processes;

/// <summary>A descriptor passed to the process as number <see cref="TargetFd"/>; every other one above 2 is closed.</summary>
/// <param name="Handle">The caller's descriptor; the caller keeps owning it.</param>
/// <param name="TargetFd">Its number in the process, 3 or more.</param>
public sealed record InheritedFileDescriptor(SafeHandle Handle, int TargetFd);
