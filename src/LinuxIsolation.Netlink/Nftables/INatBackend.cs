namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Installs an application's NAT and forwarding rules (<see cref="NatRuleset"/>) in one network namespace's
/// firewall, and removes them, touching nothing that belongs to anyone else.
/// </summary>
public interface INatBackend
{
    /// <summary>
    /// Makes the firewall hold exactly the rules of <paramref name="desired"/> under its owner tag, replacing the
    /// owner's earlier rules; atomic where the backend allows it. Applying the same ruleset twice changes nothing.
    /// </summary>
    void Apply(NatRuleset desired);

    /// <summary>Removes every rule of the owner <paramref name="owner"/>; nothing else. Not an error when there are none.</summary>
    void Teardown(string owner);
}
