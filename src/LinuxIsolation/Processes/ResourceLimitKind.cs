namespace LinuxIsolation.Processes;

/// <summary>Resources limited by setrlimit(2); the values are the kernel's <c>RLIMIT_*</c> numbers.</summary>
public enum ResourceLimitKind
{
    /// <summary>RLIMIT_CPU: CPU time in seconds.</summary>
    Cpu = 0,

    /// <summary>RLIMIT_FSIZE: largest file size in bytes.</summary>
    FileSize = 1,

    /// <summary>RLIMIT_DATA: data segment size in bytes.</summary>
    Data = 2,

    /// <summary>RLIMIT_STACK: stack size in bytes.</summary>
    Stack = 3,

    /// <summary>RLIMIT_CORE: core file size in bytes.</summary>
    Core = 4,

    /// <summary>RLIMIT_RSS.</summary>
    Rss = 5,

    /// <summary>RLIMIT_NPROC: processes of the real uid.</summary>
    Processes = 6,

    /// <summary>RLIMIT_NOFILE: open file descriptors (<c>ulimit -n</c>).</summary>
    OpenFiles = 7,

    /// <summary>RLIMIT_MEMLOCK: locked memory in bytes.</summary>
    LockedMemory = 8,

    /// <summary>RLIMIT_AS: address space in bytes.</summary>
    AddressSpace = 9,

    /// <summary>RLIMIT_LOCKS: file locks.</summary>
    Locks = 10,

    /// <summary>RLIMIT_SIGPENDING: queued signals.</summary>
    PendingSignals = 11,

    /// <summary>RLIMIT_MSGQUEUE: bytes in POSIX message queues.</summary>
    MessageQueueBytes = 12,

    /// <summary>RLIMIT_NICE: ceiling of the nice value.</summary>
    Nice = 13,

    /// <summary>RLIMIT_RTPRIO: ceiling of the real-time priority.</summary>
    RealTimePriority = 14,

    /// <summary>RLIMIT_RTTIME: real-time CPU time in microseconds.</summary>
    RealTimeTimeout = 15,
}
