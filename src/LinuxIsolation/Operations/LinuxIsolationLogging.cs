using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxIsolation;

/// <summary>
/// The one place where an application connects the library's logging to its own: set <see cref="LoggerFactory"/>
/// once at start-up (e.g. from the host's <c>ILoggerFactory</c>). Until then nothing is logged and logging costs
/// nothing (a null logger whose <c>IsEnabled</c> is false, checked before any argument is formatted).
/// </summary>
/// <remarks>
/// Only multi-step operations log (named network namespace creation, <see cref="Namespaces.NetworkNamespace.AddVethPeer(Netlink.Rtnetlink.RtnetlinkClient, Namespaces.VethPeerOptions)"/>,
/// cgroup creation with limits, isolated process start): Debug for each step, Information when an operation
/// completes (with its duration), Warning when a failed operation was undone, Error when undoing failed and
/// something was left behind. Categories: <c>LinuxIsolation.Namespaces</c>, <c>LinuxIsolation.Networking</c>,
/// <c>LinuxIsolation.Cgroups</c>, <c>LinuxIsolation.Processes</c>. The netlink package never logs (its encoder
/// is the hot path).
/// </remarks>
public static class LinuxIsolationLogging
{
    private static volatile Loggers s_loggers = new(NullLoggerFactory.Instance);

    /// <summary>
    /// The factory the library creates its loggers from; <see cref="NullLoggerFactory.Instance"/> by default. Setting
    /// it affects operations started afterwards. Thread-safe.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null (use <see cref="NullLoggerFactory.Instance"/> to turn logging off).</exception>
    public static ILoggerFactory LoggerFactory
    {
        get => s_loggers.Factory;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            s_loggers = new Loggers(value);
        }
    }

    internal static ILogger Namespaces => s_loggers.Namespaces;

    internal static ILogger Networking => s_loggers.Networking;

    internal static ILogger Cgroups => s_loggers.Cgroups;

    internal static ILogger Processes => s_loggers.Processes;

    /// <summary>The loggers of one factory, swapped as a whole so a reader never sees a mix.</summary>
    private sealed class Loggers(ILoggerFactory factory)
    {
        public ILoggerFactory Factory { get; } = factory;

        public ILogger Namespaces { get; } = factory.CreateLogger("LinuxIsolation.Namespaces");

        public ILogger Networking { get; } = factory.CreateLogger("LinuxIsolation.Networking");

        public ILogger Cgroups { get; } = factory.CreateLogger("LinuxIsolation.Cgroups");

        public ILogger Processes { get; } = factory.CreateLogger("LinuxIsolation.Processes");
    }
}
