using System;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>Which conntrack notifications a <see cref="ConntrackMonitor"/> subscribes to (<c>NFNLGRP_CONNTRACK_*</c>), as <c>conntrack -E -e EVENTS</c> selects them.</summary>
[Flags]
public enum ConntrackEventGroups
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>New connections (<c>NFNLGRP_CONNTRACK_NEW</c>; <c>-e NEW</c>).</summary>
    New = 1,
    /// <summary>Changes of existing entries (<c>NFNLGRP_CONNTRACK_UPDATE</c>; <c>-e UPDATES</c>).</summary>
    Update = 2,
    /// <summary>Removed entries (<c>NFNLGRP_CONNTRACK_DESTROY</c>; <c>-e DESTROY</c>).</summary>
    Destroy = 4,
    /// <summary>All three (<c>conntrack -E</c>).</summary>
    All = New | Update | Destroy,
}
