namespace LinuxIsolation.Oci.Hooks;

/// <summary>
/// The hooks of runtime-spec 1.2 (config.md "POSIX-platform Hooks"), in lifecycle order, with where each runs.
/// "Runtime namespace" hooks are run by lxi itself (<see cref="OciHookRunner"/>) with the state's pid as lxi
/// sees it; "container namespace" hooks must run inside the container's namespaces, so they need the spawn
/// path of the library (the child runs them: see the remarks of each).
/// </summary>
public enum OciHookKind
{
    /// <summary>
    /// prestart (deprecated): during create, after the container's namespaces exist and its mounts are made,
    /// before pivot_root; in the runtime namespace, before createRuntime; a failure stops create. Needs the
    /// spawn path to pause the child before pivot_root and report that point to lxi.
    /// </summary>
    Prestart,

    /// <summary>createRuntime: as prestart (runtime namespace, before pivot_root), after the prestart hooks.</summary>
    CreateRuntime,

    /// <summary>
    /// createContainer: during create, after createRuntime, before pivot_root, executed in the container's
    /// namespaces (its path resolves in the runtime's mount namespace). Must be run by the child (or a
    /// helper that has joined all its namespaces): needs the spawn path.
    /// </summary>
    CreateContainer,

    /// <summary>
    /// startContainer: during start, before the user program runs, executed inside the container (its path
    /// resolves in the container's root). Must be run by the child after pivot_root, when start releases it
    /// and before execve: needs the spawn path.
    /// </summary>
    StartContainer,

    /// <summary>poststart: after the user program started, before start returns; in the runtime namespace; a failure is a warning.</summary>
    Poststart,

    /// <summary>poststop: after the container is deleted, before delete returns; in the runtime namespace; a failure is a warning.</summary>
    Poststop,
}
