using System;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Ownership;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    /// <summary>
    /// Creates a named network namespace, like <see cref="CreateNamed(string)"/>, that carries
    /// <paramref name="owner"/>'s tag as the alias of its loopback interface
    /// (<c>ip -n NAME link show lo</c> prints <c>alias lxi-owner name=... pid=...</c>), so
    /// <see cref="Leftovers"/> can tell whose it is after its creator crashed. The namespace is created anonymous,
    /// tagged, and only then bind-mounted on <c>/run/netns/NAME</c>: it never exists under its name untagged.
    /// Equivalent to: <c>ip netns add NAME; ip -n NAME link set lo alias TAG</c>. Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.
    /// </summary>
    /// <remarks>
    /// The tag lives in the namespace itself rather than in a file beside it: it goes when the namespace goes
    /// (whoever deletes it, <c>ip netns delete</c> included), cannot drift out of step with it, and a namespace
    /// later made under the same name by someone else does not inherit it.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c>.</exception>
    /// <exception cref="LinuxSyscallException">A step failed: EEXIST when the name is taken (nothing was changed), EPERM without the capability.</exception>
    /// <exception cref="NetlinkException">Setting the loopback alias failed (nothing was left behind).</exception>
    /// <exception cref="UndoFailedException">A step failed and removing the bind mount failed too; <see cref="UndoFailedException.LeftBehind"/> names it.</exception>
    public static NetworkNamespace CreateNamed(string name, ResourceOwner owner)
    {
        NetworkNamespaceName.Validate(name);
        ArgumentNullException.ThrowIfNull(owner);
        string path = PathOf(name);
        var op = new MultiStepOperation(LinuxIsolationLogging.Namespaces, "create owned named network namespace", name);
        RtnetlinkClient? inside = null;
        using NetworkNamespace created = op.Step("unshare an anonymous network namespace", () => CreateAnonymous(out inside));
        op.Step("set the owner tag as the loopback alias", () =>
        {
            using RtnetlinkClient rtnetlink = inside!;
            rtnetlink.SetLinkAlias(rtnetlink.GetLink("lo").Index, owner.Tag);
        });
        op.Step("make /run/netns a shared mount", EnsureRunDirectory);
        op.Step($"bind-mount it on {path}", () =>
        {
            try
            {
                created.Handle.MakePersistent(path);
            }
            catch (LinuxSyscallException e) when (e.Errno == Errno.EEXIST)
            {
                throw new LinuxSyscallException(e.Errno, e.Syscall, path, $"a network namespace named '{name}' already exists; nothing was changed");
            }
        });
        op.OnUndo(path, $"ip netns delete {name}", () => NamespaceHandle.Unbind(path));
        NamespaceHandle handle = op.Step("open the namespace", () => NamespaceHandle.OpenPath(path, NamespaceKind.Network));
        op.Complete();
        return new NetworkNamespace(handle, name);
    }

    /// <summary>
    /// Reads the owner tag of this namespace (the alias of its loopback interface, set by
    /// <see cref="CreateNamed(string, ResourceOwner)"/>); null when it has none or another program's alias.
    /// Equivalent to: <c>ip -n NAME -d link show lo</c>. Needs CAP_SYS_ADMIN to enter the namespace.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    /// <exception cref="LinuxSyscallException">Entering the namespace failed.</exception>
    /// <exception cref="NetlinkException">Reading the loopback interface failed.</exception>
    public ResourceOwner? ReadOwner()
    {
        using RtnetlinkClient rtnetlink = OpenRtnetlink();
        return ResourceOwner.TryParse(rtnetlink.GetLink("lo").Alias, out ResourceOwner? owner) ? owner : null;
    }
}
