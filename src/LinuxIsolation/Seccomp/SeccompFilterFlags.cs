using System;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// <c>SECCOMP_FILTER_FLAG_*</c>: the flags of <c>seccomp(SECCOMP_SET_MODE_FILTER, flags, &amp;prog)</c>; the values
/// are the kernel's bits. The OCI runtime spec spells them <c>SECCOMP_FILTER_FLAG_LOG</c> and so on.
/// </summary>
[Flags]
public enum SeccompFilterFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary><c>SECCOMP_FILTER_FLAG_TSYNC</c> (Linux 3.17): install the filter on every thread of the process.</summary>
    Tsync = 1u << 0,

    /// <summary><c>SECCOMP_FILTER_FLAG_LOG</c> (Linux 4.14): log every action but ALLOW (subject to <c>kernel.seccomp.actions_logged</c>).</summary>
    Log = 1u << 1,

    /// <summary><c>SECCOMP_FILTER_FLAG_SPEC_ALLOW</c> (Linux 4.17): do not turn on the Speculative Store Bypass mitigation.</summary>
    SpecAllow = 1u << 2,

    /// <summary>
    /// <c>SECCOMP_FILTER_FLAG_NEW_LISTENER</c> (Linux 5.0): the call returns a listener descriptor for
    /// <see cref="SeccompActionKind.UserNotify"/>. Set by <see cref="SeccompFilter.Compile()"/> whenever a rule notifies.
    /// </summary>
    NewListener = 1u << 3,

    /// <summary>
    /// <c>SECCOMP_FILTER_FLAG_TSYNC_ESRCH</c> (Linux 5.7): a failed <see cref="Tsync"/> returns ESRCH instead of a thread
    /// id; needed to combine <see cref="Tsync"/> with <see cref="NewListener"/>.
    /// </summary>
    TsyncEsrch = 1u << 4,
}
