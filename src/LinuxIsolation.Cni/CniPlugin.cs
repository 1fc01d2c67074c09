using System.Collections.Generic;

namespace LinuxIsolation.Cni;

/// <summary>
/// A CNI plugin: derive from it and pass an instance to <see cref="CniPluginHost.Run(CniPlugin)"/> from
/// <c>Main</c>. Throw <see cref="CniException"/> with the spec's code for a failure the runtime should see as such;
/// any other exception is reported as code 999 with its message.
/// </summary>
public abstract class CniPlugin
{
    /// <summary>The spec versions the plugin supports; <see cref="CniVersions.All"/> unless overridden.</summary>
    public virtual IReadOnlyList<string> SupportedVersions => CniVersions.All;

    /// <summary>ADD: attach the container and return the result (the host writes it in the request's version).</summary>
    /// <param name="request">The invocation.</param>
    public abstract CniResult Add(CniRequest request);

    /// <summary>DEL: release what ADD made. Must succeed when things are already gone, and when <c>CNI_NETNS</c> is not set.</summary>
    /// <param name="request">The invocation.</param>
    public abstract void Delete(CniRequest request);

    /// <summary>CHECK: throw <see cref="CniException"/> when the attachment of <see cref="CniNetworkConfig.PrevResult"/> is not as described.</summary>
    /// <param name="request">The invocation.</param>
    public abstract void Check(CniRequest request);

    /// <summary>STATUS (CNI 1.1.0): throw <see cref="CniException"/> with code 50 or 51 when not ready. Ready unless overridden.</summary>
    /// <param name="request">The invocation (no container).</param>
    public virtual void Status(CniRequest request)
    {
    }

    /// <summary>GC (CNI 1.1.0): release everything of attachments not in <paramref name="validAttachments"/>. Nothing unless overridden.</summary>
    /// <param name="request">The invocation (no container).</param>
    /// <param name="validAttachments">The attachments in use (<c>cni.dev/valid-attachments</c>).</param>
    public virtual void GarbageCollect(CniRequest request, IReadOnlyList<CniAttachment> validAttachments)
    {
    }
}
